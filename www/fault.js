// The fault boundary's backstop (the app's own is src/ui/fault.rs): loaded before the app, it
// draws a notice for any error nothing caught when the app could not draw one itself — the
// WebAssembly failed to load or start (a damaged download), or the instance is too broken to
// run its own handler. The page never stays blank.
(() => {
  const notice = (error) => {
    if (document.querySelector('.fault') || !document.body) return;
    const text = (error && (error.stack || error.message)) || String(error);
    const started = !!document.querySelector('#console-input');
    const panel = document.createElement('div');
    panel.className = 'fault';
    panel.setAttribute('role', 'alertdialog');
    panel.setAttribute('aria-label', 'The playground stopped');
    const title = document.createElement('h2');
    title.className = 'fault-title';
    title.textContent = started
      ? 'Something went wrong — the playground stopped.'
      : 'The playground could not start.';
    const p = document.createElement('p');
    p.textContent = 'Reload the page to try again. If you report this, copy the text below.';
    const report = document.createElement('textarea');
    report.className = 'fault-report';
    report.readOnly = true;
    report.value = `Kafka Playground ${started ? 'crashed' : 'could not start'}.\n${text}\nBrowser: ${navigator.userAgent}`;
    const reload = document.createElement('button');
    reload.className = 'btn primary fault-restore';
    reload.textContent = 'Reload';
    reload.addEventListener('click', () => location.reload());
    panel.append(title, p, report, reload);
    document.body.append(panel);
  };
  // After the app's own handler had its turn (it runs in the same dispatch).
  const later = (error) => setTimeout(() => notice(error), 0);
  addEventListener('error', (e) => {
    // The browser's own notice that a resize observer deferred work: nothing failed.
    if (!e.error && /^ResizeObserver loop/.test(e.message)) return;
    later(e.error || e.message);
  });
  addEventListener('unhandledrejection', (e) => later(e.reason));
})();
