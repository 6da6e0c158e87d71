#!/usr/bin/env python3
"""Trunk post-build step: splits the app's wasm in two, so the page's first load is smaller.

The first module (the "primary") holds what draws the workbench and runs the engine: the UI,
the cluster, the saved session. The Kafka tools, the lessons, share links and the widget group
go to a second module, `<name>_split.wasm`, which the page fetches right after it has started
and which links itself into the first: both share one memory, one stack and one function table.

How: every function moved out keeps its index in the primary with a three-instruction stub,
so any caller — direct or through the table (trait objects, closures) — still works. The stub
calls the real function through a table slot that the second module fills when it is
instantiated; if it is not there yet, the stub first calls `ensure`, a JS function that
compiles and instantiates the second module on the spot (from the bytes already fetched, or
with a synchronous request). So a command typed before the second module has arrived still
runs; it only waits for it. The second module imports from the primary the memory, the
tables, the globals and every function its code calls, all exported under short names.

Which functions move: those whose names (the wasm's name section, kept by Trunk's
`data-keep-debug` and wasm-opt's `-g` for this step, then dropped) match SPLIT below, and
every function only they call. Runs only for release builds, before minify_js.py and csp.py:
it patches the JS glue (to link the second module) and index.html (the integrity hash of the
changed wasm, and a prefetch of the second module, which the service worker also caches).
"""
import os
import re
import sys

from sri import set_integrity

# What runs only when a command runs: the console's tools, the `playground` command, the shell's
# built-ins, its parser and its Tab completion, and the deflate half of share links (made by a
# command; opening a link needs only inflate). Nothing that starting the page or restoring a
# saved session calls — the UI, the engine, the snapshot and share-journal readers, lessons,
# widget groups — so the page starts without the second module. (A share link or a widget
# replays commands as the page starts: then the page waits for the second module; see LOADER.)
# What only these functions call moves with them.
SPLIT = re.compile(
    r"^<?kafka_playground(\[\w+\])?::console::(tools|playground_cmd|builtins|shell|complete|options)::"
    r"|^<?kafka_playground(\[\w+\])?::console::terminal::Terminal>?::(run_command|execute)\b"
    r"|^<?miniz_oxide(\[\w+\])?::deflate::"
)

# The code in the first module that may call into the second: the terminal and the script
# runner, which run commands, and the shared sort (tools sort with their own comparisons).
# Anything else — the UI and Yew, which run as the page draws — keeps what it calls.
CALLS_INTO_SPLIT = re.compile(
    r"kafka_playground(\[\w+\])?::(console::(terminal|script)|sort)::"
    r"|HookProvider<kafka_playground(\[\w+\])?::ui::state::WorkbenchState"  # Share: deflate
)
# A function this small in the function table may be one body shared by several (identical
# functions are folded into one, named after one of them: a tool's empty `kill` may be the
# UI's no-op too), and moving it gains nothing: it stays.
SMALLEST_MOVED = 40
# Functions of the primary up to this many bytes that the moved code calls are copied into the
# secondary (see `copied` in split()). Measured with the perf test typed into the page (1 M
# records, warm runs): one module ~3.3 M records/s, split without copies ~2.2, copies up to
# 400 bytes ~3.15 (the secondary 122 KB gzipped instead of 107), copying everything ~2.7.
COPIED_MAX = int(os.environ.get("SPLIT_COPIED_MAX", "400"))

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")


def leb_u(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def leb_s(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            if x & 0x40:
                r -= 1 << s
            return r, i


def enc_u(n):
    out = bytearray()
    while True:
        x = n & 0x7F
        n >>= 7
        if n:
            out.append(x | 0x80)
        else:
            out.append(x)
            return bytes(out)


def enc_s(n):
    out = bytearray()
    while True:
        x = n & 0x7F
        n >>= 7
        if (n == 0 and not x & 0x40) or (n == -1 and x & 0x40):
            out.append(x)
            return bytes(out)
        out.append(x | 0x80)


def enc_name(s):
    b = s.encode("utf-8")
    return enc_u(len(b)) + b


def vec(items):
    return enc_u(len(items)) + b"".join(items)


def section(sid, body):
    return bytes([sid]) + enc_u(len(body)) + body


def read_name(b, i):
    n, i = leb_u(b, i)
    return b[i : i + n].decode("utf-8"), i + n


def read_limits(b, i):
    flags = b[i]
    lo, i = leb_u(b, i + 1)
    hi = None
    if flags & 1:
        hi, i = leb_u(b, i)
    return (flags, lo, hi), i


def enc_limits(lim):
    flags, lo, hi = lim
    return bytes([flags]) + enc_u(lo) + (enc_u(hi) if flags & 1 else b"")


def skip_const_expr(b, i):
    # The init expressions here are single constants or global.get, then `end`.
    while b[i] != 0x0B:
        op = b[i]
        i += 1
        if op in (0x41, 0x42):
            _, i = leb_s(b, i)
        elif op == 0x43:
            i += 4
        elif op == 0x44:
            i += 8
        elif op in (0x23, 0xD2):
            _, i = leb_u(b, i)
        elif op == 0xD0:
            i += 1
        else:
            raise ValueError("constant expression opcode 0x%02x" % op)
    return i + 1


# One-byte opcodes without immediates (numeric, parametric, control without labels).
NO_IMMEDIATE = set(range(0x45, 0xC5)) | {0x00, 0x01, 0x05, 0x0B, 0x0F, 0x1A, 0x1B, 0xD1}
VALTYPES = {0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F}


def instructions(code, i, on_index):
    """Walks a function's instructions from i to the end, calling on_index(kind, start, end,
    value) for each function index (`call`, `ref.func`) and for memory.init/data.drop."""
    end = len(code)
    while i < end:
        op = code[i]
        i += 1
        if op in NO_IMMEDIATE:
            continue
        if op in (0x02, 0x03, 0x04):
            if code[i] == 0x40 or code[i] in VALTYPES:
                i += 1
            else:
                _, i = leb_s(code, i)
        elif op in (0x0C, 0x0D, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x3F, 0x40):
            _, i = leb_u(code, i)
        elif op == 0x0E:
            n, i = leb_u(code, i)
            for _ in range(n + 1):
                _, i = leb_u(code, i)
        elif op in (0x10, 0xD2):
            start = i
            v, i = leb_u(code, i)
            on_index("call" if op == 0x10 else "ref.func", start, i, v)
        elif op == 0x11:
            _, i = leb_u(code, i)
            _, i = leb_u(code, i)
        elif op == 0x1C:
            n, i = leb_u(code, i)
            i += n
        elif 0x28 <= op <= 0x3E:
            _, i = leb_u(code, i)
            _, i = leb_u(code, i)
        elif op in (0x41, 0x42):
            _, i = leb_s(code, i)
        elif op == 0x43:
            i += 4
        elif op == 0x44:
            i += 8
        elif op == 0xD0:
            i += 1
        elif op == 0xFC:
            sub, i = leb_u(code, i)
            if sub <= 7:
                pass
            elif sub in (8, 9):
                on_index("data", i, i, sub)
                _, i = leb_u(code, i)
                i += 1 if sub == 8 else 0
            elif sub == 10:
                i += 2
            elif sub == 11:
                i += 1
            elif sub in (12, 14):
                _, i = leb_u(code, i)
                _, i = leb_u(code, i)
            elif sub in (13, 15, 16, 17):
                _, i = leb_u(code, i)
            else:
                raise ValueError("opcode 0xFC %d" % sub)
        else:
            raise ValueError("opcode 0x%02x" % op)


def code_start(body):
    n, i = leb_u(body, 0)
    for _ in range(n):
        _, i = leb_u(body, i)
        i += 1
    return i


class Module:
    def __init__(self, data):
        if data[:8] != b"\0asm\1\0\0\0":
            raise ValueError("not a wasm module")
        self.sections = []
        i = 8
        while i < len(data):
            sid = data[i]
            size, j = leb_u(data, i + 1)
            self.sections.append([sid, data[j : j + size]])
            i = j + size
        self.types = []  # raw bytes of each type
        self.func_types = []  # type index of every function: imported, then defined
        self.imports = []  # (module, name, kind, desc bytes)
        self.tables = []  # (reftype, limits) of defined tables
        self.globals = []  # (valtype, mutable) of every global: imported, then defined
        self.bodies = []
        self.names = {}
        self.elem_tables = set()
        for sid, s in self.sections:
            if sid == 1:
                n, i = leb_u(s, 0)
                for _ in range(n):
                    start = i
                    assert s[i] == 0x60
                    p, i = leb_u(s, i + 1)
                    i += p
                    r, i = leb_u(s, i)
                    i += r
                    self.types.append(s[start:i])
            elif sid == 2:
                n, i = leb_u(s, 0)
                for _ in range(n):
                    mod, i = read_name(s, i)
                    nm, i = read_name(s, i)
                    kind = s[i]
                    start = i + 1
                    if kind == 0:
                        t, i = leb_u(s, start)
                        self.func_types.append(t)
                    elif kind == 1:
                        _, i = read_limits(s, start + 1)
                    elif kind == 2:
                        _, i = read_limits(s, start)
                    elif kind == 3:
                        self.globals.append((s[start], s[start + 1]))
                        i = start + 2
                    self.imports.append((mod, nm, kind, s[start:i]))
            elif sid == 3:
                n, i = leb_u(s, 0)
                for _ in range(n):
                    t, i = leb_u(s, i)
                    self.func_types.append(t)
            elif sid == 4:
                n, i = leb_u(s, 0)
                for _ in range(n):
                    rt = s[i]
                    lim, i = read_limits(s, i + 1)
                    self.tables.append((rt, lim))
            elif sid == 6:
                n, i = leb_u(s, 0)
                for _ in range(n):
                    self.globals.append((s[i], s[i + 1]))
                    i = skip_const_expr(s, i + 2)
            elif sid == 9:
                n, i = leb_u(s, 0)
                for _ in range(n):
                    flags, i = leb_u(s, i)
                    if flags not in (0, 2):
                        raise ValueError("element segment kind %d" % flags)
                    table = 0
                    if flags == 2:
                        table, i = leb_u(s, i)
                    self.elem_tables.add(table)
                    i = skip_const_expr(s, i)
                    if flags == 2:
                        i += 1
                    m, i = leb_u(s, i)
                    for _ in range(m):
                        _, i = leb_u(s, i)
            elif sid == 10:
                n, i = leb_u(s, 0)
                for _ in range(n):
                    size, i = leb_u(s, i)
                    self.bodies.append(s[i : i + size])
                    i += size
            elif sid == 0:
                nm, i = read_name(s, 0)
                if nm == "name":
                    while i < len(s):
                        sub = s[i]
                        size, i = leb_u(s, i + 1)
                        end = i + size
                        if sub == 1:
                            n, i = leb_u(s, i)
                            for _ in range(n):
                                idx, i = leb_u(s, i)
                                fn, i = read_name(s, i)
                                self.names[idx] = fn
                        i = end
        self.imported_funcs = sum(1 for imp in self.imports if imp[2] == 0)
        self.imported_tables = [imp for imp in self.imports if imp[2] == 1]
        self.imported_memories = [imp for imp in self.imports if imp[2] == 2]

    def section(self, sid):
        return next((s for k, s in self.sections if k == sid), None)


def split(primary_bytes):
    m = Module(primary_bytes)
    if not m.names:
        sys.exit("split_wasm: the wasm has no function names (data-keep-debug and wasm-opt -g)")
    if m.imported_tables or m.imported_memories or m.elem_tables != {0}:
        sys.exit("split_wasm: unexpected table or memory layout")
    if m.tables[0][0] != 0x70:
        sys.exit("split_wasm: table 0 is not the function table")
    first = m.imported_funcs
    calls = {}
    uses_data = set()
    for k, body in enumerate(m.bodies):
        found = set()

        def note(kind, _start, _end, value, found=found, f=first + k):
            if kind == "data":
                uses_data.add(f)
            else:
                found.add(value)

        instructions(body, code_start(body), note)
        calls[first + k] = found

    in_table = table_functions(m)

    stays = set()  # moved code that something drawing the page calls (see `drawn` below)

    def movable(f):
        small_shared = f in in_table and len(m.bodies[f - first]) < SMALLEST_MOVED
        return f >= first and f not in uses_data and not small_shared and f not in stays

    seeds = {f for f in calls if movable(f) and SPLIT.search(m.names.get(f, ""))}
    roots = set(exported_functions(m)) | in_table
    while True:
        # Everything the rest of the module reaches without going through a seed stays; what
        # only seeds reach moves with them. Roots: exports and the function table.
        reached = set()
        stack = [f for f in roots if f >= first and f not in seeds]
        while stack:
            f = stack.pop()
            if f in reached or f in seeds or f < first:
                continue
            reached.add(f)
            stack.extend(calls[f])
        moved = set()
        kept = set()
        stack = list(seeds)
        while stack:
            f = stack.pop()
            if f in moved or f in kept or f in reached or f < first:
                continue
            (moved if movable(f) else kept).add(f)
            stack.extend(calls[f])
        # The UI draws as the page starts (the console view asks the tools' registry for
        # option hints, say): a moved function it calls would need the second module before
        # it has arrived. Such functions stay, and the split is worked out again.
        drawn = {
            c
            for f in reached
            if not CALLS_INTO_SPLIT.search(m.names.get(f, ""))
            for c in calls[f]
            if c in moved
        }
        if not drawn:
            break
        if os.environ.get("SPLIT_VERBOSE"):
            for c in sorted(drawn):
                print("split_wasm: stays (called as the page draws): %s" % m.names.get(c, c))
        seeds -= drawn
        stays |= drawn

    moved = sorted(moved)
    # The console's tools alone are hundreds of functions: far fewer means SPLIT no longer
    # matches the code's names (a module renamed), and the first load would silently grow.
    if len(moved) < 100:
        sys.exit("split_wasm: only %d functions match SPLIT; have the tools' modules been renamed?" % len(moved))
    slot_of = {}
    base = m.tables[0][1][1]
    for n, f in enumerate(moved):
        slot_of[f] = base + n
    ensure_slot = base + len(moved)
    grow = len(moved) + 1

    # Types: the stub's `ensure` call needs () -> (); add it if the module has none.
    void = bytes([0x60, 0, 0])
    types = list(m.types)
    if void not in types:
        types.append(void)
    void_type = types.index(void)

    # The functions the moved code calls that stay in the primary are copied into the
    # secondary too (their callees as well), up to COPIED_MAX bytes each: a call from one
    # module into the other costs more than a call within one (V8 inlines small functions
    # only within a module), and the perf tools call the engine once a record. A copy works
    # on the same memory, globals and table, so it behaves as the original. Bigger ones are
    # imported.
    copied = set()
    stack = [c for f in moved for c in calls[f]]
    while stack:
        c = stack.pop()
        if c in copied or c in slot_of or c < first or c in uses_data or len(m.bodies[c - first]) > COPIED_MAX:
            continue
        copied.add(c)
        stack.extend(calls[c])
    local = moved + sorted(copied)
    # The secondary's function indices: its imports (functions its code calls that stay in
    # the primary), then the moved functions, then the copies.
    callees = sorted({c for f in local for c in calls[f] if c not in slot_of and c not in copied})
    import_index = {c: n for n, c in enumerate(callees)}
    local_index = {f: len(callees) + n for n, f in enumerate(local)}

    def short(prefix, n):
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"
        s = ""
        while True:
            s = digits[n % 36] + s
            n //= 36
            if not n:
                return prefix + s

    # --- the primary ---
    new_exports = []
    new_exports.append(enc_name("m") + bytes([2]) + enc_u(0))
    for t in range(len(m.tables)):
        new_exports.append(enc_name(short("t", t)) + bytes([1]) + enc_u(t))
    for g in range(len(m.globals)):
        new_exports.append(enc_name(short("g", g)) + bytes([3]) + enc_u(g))
    for c in callees:
        new_exports.append(enc_name(short("f", c)) + bytes([0]) + enc_u(c))
    old_exports = m.section(7)
    n_old, i = leb_u(old_exports, 0)
    exports = enc_u(n_old + len(new_exports)) + old_exports[i:] + b"".join(new_exports)

    def stub(f):
        t = m.types[m.func_types[f]]
        params, _ = leb_u(t, 1)
        slot = enc_s(slot_of[f])
        code = bytearray(b"\x00")  # no locals
        code += b"\x41" + slot + b"\x25\x00\xD1\x04\x40"  # if table[slot] is null:
        code += b"\x41" + enc_s(ensure_slot) + b"\x11" + enc_u(void_type) + b"\x00\x0B"
        for p in range(params):
            code += b"\x20" + enc_u(p)
        code += b"\x41" + slot + b"\x11" + enc_u(m.func_types[f]) + b"\x00\x0B"
        return bytes(code)

    primary = bytearray(b"\0asm\1\0\0\0")
    for sid, s in m.sections:
        if sid == 0:
            continue  # names and producers: not shipped
        if sid == 1:
            s = vec(types)
        elif sid == 4:
            tables = []
            for n, (rt, (flags, lo, hi)) in enumerate(m.tables):
                if n == 0:
                    lo += grow
                    hi = hi + grow if hi is not None else None
                tables.append(bytes([rt]) + enc_limits((flags, lo, hi)))
            s = vec(tables)
        elif sid == 7:
            s = exports
        elif sid == 10:
            bodies = []
            for k, body in enumerate(m.bodies):
                f = first + k
                b = stub(f) if f in slot_of else body
                bodies.append(enc_u(len(b)) + b)
            s = vec(bodies)
        primary += section(sid, s)

    # --- the secondary ---
    imports = []
    mem = m.section(5)
    _, i = leb_u(mem, 0)
    mem_limits, _ = read_limits(mem, i)
    imports.append(enc_name("p") + enc_name("m") + bytes([2]) + enc_limits(mem_limits))
    for t, (rt, (flags, lo, hi)) in enumerate(m.tables):
        if t == 0:
            lo += grow
            hi = hi + grow if hi is not None else None
        imports.append(enc_name("p") + enc_name(short("t", t)) + bytes([1, rt]) + enc_limits((flags, lo, hi)))
    for g, (valtype, mutable) in enumerate(m.globals):
        imports.append(enc_name("p") + enc_name(short("g", g)) + bytes([3, valtype, mutable]))
    for c in callees:
        imports.append(enc_name("p") + enc_name(short("f", c)) + bytes([0]) + enc_u(m.func_types[c]))

    def relink(f):
        body = m.bodies[f - first]
        out = bytearray()
        last = 0

        def patch(kind, start, end, value):
            nonlocal last
            if kind == "data":
                raise ValueError("moved function uses data segments")
            new = local_index[value] if value in local_index else import_index[value]
            out.extend(body[last:start])
            out.extend(enc_u(new))
            last = end

        instructions(body, code_start(body), patch)
        out.extend(body[last:])
        return enc_u(len(out)) + bytes(out)

    secondary = bytearray(b"\0asm\1\0\0\0")
    secondary += section(1, vec(types))
    secondary += section(2, vec(imports))
    secondary += section(3, vec([enc_u(m.func_types[f]) for f in local]))
    elem = b"\x00" + b"\x41" + enc_s(base) + b"\x0B" + vec([enc_u(local_index[f]) for f in moved])
    # ref.func needs its functions declared: the active segment does that.
    secondary += section(9, vec([elem]))
    secondary += section(10, vec([relink(f) for f in local]))
    moved_bytes = sum(len(m.bodies[f - first]) for f in moved)
    return bytes(primary), bytes(secondary), ensure_slot, len(moved), moved_bytes


def exported_functions(m):
    s = m.section(7)
    n, i = leb_u(s, 0)
    out = []
    for _ in range(n):
        _, i = read_name(s, i)
        kind = s[i]
        idx, i = leb_u(s, i + 1)
        if kind == 0:
            out.append(idx)
    return out


def table_functions(m):
    s = m.section(9)
    out = set()
    if s is None:
        return out
    n, i = leb_u(s, 0)
    for _ in range(n):
        flags, i = leb_u(s, i)
        if flags == 2:
            _, i = leb_u(s, i)
        i = skip_const_expr(s, i)
        if flags == 2:
            i += 1
        k, i = leb_u(s, i)
        for _ in range(k):
            f, i = leb_u(s, i)
            out.add(f)
    return out


# The loader, added to wasm-bindgen's glue: links the second module into the first.
# `globalThis.kafkaPlaygroundTools` says how it was loaded, for the end-to-end tests: "in the
# background" (the usual case) or "when first needed" (a command ran before it had arrived).
LOADER = r"""
const __split = { url: new URL(%(url)s, import.meta.url), slot: %(slot)d, bytes: null, module: null, linked: false, exports: null, ready: null };
function __split_link(how) {
    if (__split.linked) return;
    if (__split.module === null) {
        let bytes = __split.bytes;
        if (bytes === null) {
            // A command needs the tools before they arrived: fetch them now, synchronously.
            const request = new XMLHttpRequest();
            request.open('GET', __split.url, false);
            request.overrideMimeType('text/plain; charset=x-user-defined');
            request.send();
            if (request.status !== 200) throw new Error('Kafka Playground could not load ' + __split.url);
            bytes = Uint8Array.from(request.responseText, (c) => c.charCodeAt(0) & 0xff);
        }
        __split.module = new WebAssembly.Module(bytes);
    }
    new WebAssembly.Instance(__split.module, { p: __split.exports });
    __split.linked = true;
    globalThis.kafkaPlaygroundTools = how === 'background' ? 'in the background' : 'when first needed';
}
function __split_start(instance) {
    if (__split.exports !== null) return;
    __split.exports = instance.exports;
    // A wasm function that calls __split_link, for the table slot the stubs call.
    const helper = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([
        0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 2, 7, 1, 1, 109, 1, 102, 0, 0,
        7, 5, 1, 1, 102, 0, 0])), { m: { f: () => {
            // Which code needed the tools before they arrived (wasm frames name function indices).
            if (!__split.linked) globalThis.kafkaPlaygroundToolsNeededBy = new Error().stack;
            __split_link('needed');
        } } });
    instance.exports.t0.set(__split.slot, helper.exports.f);
    // Fetched and compiled in the background while the page starts.
    __split.ready = fetch(__split.url)
        .then((response) => response.ok ? response.arrayBuffer() : Promise.reject(new Error(response.statusText)))
        .then((buffer) => { __split.bytes = new Uint8Array(buffer); return WebAssembly.compile(buffer); })
        .then((module) => { if (__split.module === null) __split.module = module; __split_link('background'); })
        .catch((error) => console.warn('Kafka Playground: the tools module will load when first needed', error));
}
"""


def main():
    if os.environ.get("TRUNK_PROFILE") != "release":
        return
    names = [n for n in os.listdir(staging) if n.endswith("_bg.wasm")]
    if len(names) != 1:
        sys.exit("split_wasm: expected one *_bg.wasm in %s, found %s" % (staging, names))
    wasm_name = names[0]
    wasm_path = os.path.join(staging, wasm_name)
    with open(wasm_path, "rb") as f:
        data = f.read()
    if os.environ.get("KAFKA_PLAYGROUND_NO_SPLIT"):
        # One module, as before the split (for comparisons): only the names are dropped.
        module = Module(data)
        one = b"\0asm\1\0\0\0" + b"".join(section(k, s) for k, s in module.sections if k != 0)
        with open(wasm_path, "wb") as f:
            f.write(one)
        set_integrity(staging, wasm_name, one, "split_wasm")
        print("split_wasm: not split (KAFKA_PLAYGROUND_NO_SPLIT)")
        return
    primary, secondary, slot, moved, moved_bytes = split(data)
    split_name = wasm_name[: -len("_bg.wasm")] + "_split.wasm"
    with open(wasm_path, "wb") as f:
        f.write(primary)
    with open(os.path.join(staging, split_name), "wb") as f:
        f.write(secondary)

    js_name = wasm_name[: -len("_bg.wasm")] + ".js"
    js_path = os.path.join(staging, js_name)
    with open(js_path, encoding="utf-8") as f:
        js = f.read()
    hook = "function __wbg_finalize_init(instance, module) {\n"
    loaded = "await __wbg_load(await module_or_path, imports);\n"
    if hook not in js or loaded not in js:
        sys.exit("split_wasm: %s is not the wasm-bindgen glue this script patches" % js_name)
    js = js.replace(hook, hook + "    __split_start(instance);\n", 1)
    # A share link (#s=) or a widget (#embed=) replays commands as the page starts: the page
    # starts once the tools are there.
    js = js.replace(loaded, loaded + "    __split_start(instance);\n"
                    "    if (/^#(s|embed)=/.test(location.hash)) await __split.ready;\n", 1)
    js += LOADER % {"url": repr("./" + split_name).replace("'", '"'), "slot": slot}
    with open(js_path, "w", encoding="utf-8") as f:
        f.write(js)

    set_integrity(staging, wasm_name, primary, "split_wasm")
    index = os.path.join(staging, "index.html")
    with open(index, encoding="utf-8") as f:
        html = f.read()
    # A low-priority download of the second module, which the service worker caches with the
    # page's other assets (it reads their names from the page).
    html = html.replace("</head>", '<link rel="prefetch" href="./%s" crossorigin></head>' % split_name, 1)
    with open(index, "w", encoding="utf-8") as f:
        f.write(html)
    print(
        "split_wasm: %d functions (%d bytes of code) moved to %s; first module %d bytes, second %d"
        % (moved, moved_bytes, split_name, len(primary), len(secondary))
    )


if __name__ == "__main__":
    main()
