// Kafka Playground widgets for documentation pages.
//
//   <script src="https://your-host/kafka-playground/embed.js" defer></script>
//   <div class="kafka-playground"
//        data-commands="kafka-topics.sh --bootstrap-server localhost:9092 --create --topic demo
//                       kafka-topics.sh --bootstrap-server localhost:9092 --describe --topic demo"
//        data-brokers="3" data-height="380" data-theme="dark"
//        data-hide-commands data-readonly data-lesson="first-topic"></div>
//
// Each widget is an iframe of the playground with its own cluster, created when it scrolls into
// view (or when its button is clicked). Everything given is passed as data, never as HTML.
// Script API: element.kafkaPlayground.run(command) resolves to what the command printed.
//
// Widgets with the same data-cluster="name" share one cluster, each with its own terminal. The
// first of them in page order holds it (its data-brokers and data-lesson count); it starts when
// any of them is shown, and then runs every widget's data-commands in page order, each in that
// widget's terminal. The others attach to it as they come into view.
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', script && script.src ? script.src : location.href);

  function b64url(text) {
    var bytes = new TextEncoder().encode(text);
    var bin = '';
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function commands(el) {
    return (el.dataset.commands || '').split('\n').map(function (s) { return s.trim(); }).filter(Boolean);
  }

  // The widgets sharing el's cluster, in page order (empty when it has a cluster of its own).
  function group(el) {
    var name = el.dataset.cluster;
    if (!name) return [];
    return Array.prototype.filter.call(document.querySelectorAll('.kafka-playground'), function (other) {
      return other.dataset.cluster === name;
    });
  }

  function settings(el) {
    var d = el.dataset;
    var members = group(el);
    var member = Math.max(0, members.indexOf(el));
    return {
      commands: commands(el),
      show_commands: !('hideCommands' in d),
      cluster: d.cluster || '',
      member: member,
      // The first widget runs the later ones' commands when the group starts.
      members: member === 0 ? members.slice(1).map(function (other) {
        return { commands: commands(other), show_commands: !('hideCommands' in other.dataset) };
      }) : [],
      brokers: parseInt(d.brokers, 10) || 3,
      theme: d.theme || '',
      readonly: 'readonly' in d,
      lesson: d.lesson || '',
      origin: location.origin
    };
  }

  function mount(el) {
    if (el.dataset.kpMounted) return;
    el.dataset.kpMounted = '1';
    // A shared cluster lives in its first widget: showing any widget of the group starts it.
    var first = group(el)[0];
    if (first && first !== el) mount(first);
    var frame = document.createElement('iframe');
    frame.src = new URL('index.html', base).href + '#embed=' + b64url(JSON.stringify(settings(el)));
    frame.title = el.getAttribute('aria-label') || 'Kafka Playground console';
    frame.style.cssText = 'display:block;width:100%;border:0;border-radius:10px;height:' +
      (parseInt(el.dataset.height, 10) || 380) + 'px';
    el.textContent = '';
    el.appendChild(frame);

    var ready = false, queue = [], pending = {}, next = 0;
    function send(msg) { frame.contentWindow.postMessage(msg, base.origin); }
    window.addEventListener('message', function (e) {
      // Only this widget's frame, from the playground's origin, in the expected shape.
      if (e.source !== frame.contentWindow || e.origin !== base.origin) return;
      var m = e.data;
      if (!m || typeof m !== 'object') return;
      if (m.type === 'kafka-playground:ready') {
        ready = true;
        queue.splice(0).forEach(send);
      } else if (m.type === 'kafka-playground:output' && pending[m.id]) {
        if (typeof m.error === 'string') pending[m.id].reject(new Error(m.error));
        else pending[m.id].resolve(String(m.output));
        delete pending[m.id];
      }
    });
    el.kafkaPlayground = {
      run: function (command) {
        return new Promise(function (resolve, reject) {
          var id = ++next;
          pending[id] = { resolve: resolve, reject: reject };
          var msg = { type: 'kafka-playground:run', id: id, command: String(command) };
          if (ready) send(msg); else queue.push(msg);
        });
      }
    };
  }

  function placeholder(el) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'kafka-playground-start';
    button.textContent = '\u25B6 Start the Kafka console';
    button.style.cssText = 'width:100%;padding:14px;border-radius:10px;border:1px dashed #5aa9e6;' +
      'background:#151b23;color:#d7dee8;font:inherit;cursor:pointer;height:' +
      (parseInt(el.dataset.height, 10) || 380) + 'px';
    button.addEventListener('click', function () { mount(el); });
    el.textContent = '';
    el.appendChild(button);
  }

  function init() {
    var els = document.querySelectorAll('.kafka-playground');
    var io = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); mount(e.target); }
      });
    }, { rootMargin: '100px' }) : null;
    Array.prototype.forEach.call(els, function (el) {
      placeholder(el);
      if (io) io.observe(el);
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
