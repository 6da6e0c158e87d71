#!/usr/bin/env python3
"""Trunk post-build hook: names the lesson files in the built sw.js, and writes the SHA-384 of
each asset the worker caches, so it can tell a damaged cached copy from a good one.

The browser app fetches a lesson's Markdown (lessons/<file>, copied next to the page by Trunk)
only when the lesson opens, so the service worker must cache every lesson file when it installs
for lessons to open offline after the first visit, like the rest of the app. The list carries a
digest of the files too: a new version of any lesson changes sw.js, so browsers install the new
worker, which caches the new files.
"""
import base64
import hashlib
import json
import os
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
lessons_dir = os.path.join(staging, "lessons")
names = sorted(n for n in os.listdir(lessons_dir) if n.endswith(".md") and n != "README.md")
digest = hashlib.sha256()
for name in names:
    digest.update(name.encode("utf-8") + b"\0")
    with open(os.path.join(lessons_dir, name), "rb") as f:
        digest.update(f.read())

path = os.path.join(staging, "sw.js")
with open(path, encoding="utf-8") as f:
    sw = f.read()
marker = "const LESSONS = [];"
if marker not in sw:
    sys.exit("sw_lessons: %s has no '%s' line to fill in" % (path, marker))
sw = sw.replace(marker, "const LESSONS = %s; // %s" % (json.dumps(names), digest.hexdigest()[:16]), 1)
# The page's assets as built (wasm-opt has run): the worker checks each cached copy against
# its hash before serving it, and fetches a damaged one again.
integrity = {}
for name in sorted(os.listdir(staging)):
    if name != "sw.js" and name.endswith((".js", ".css", ".wasm")):
        with open(os.path.join(staging, name), "rb") as f:
            digest384 = hashlib.sha384(f.read()).digest()
        integrity[name] = "sha384-" + base64.b64encode(digest384).decode("ascii")
marker = "const INTEGRITY = {};"
if marker not in sw:
    sys.exit("sw_lessons: %s has no '%s' line to fill in" % (path, marker))
sw = sw.replace(marker, "const INTEGRITY = %s;" % json.dumps(integrity), 1)
with open(path, "w", encoding="utf-8") as f:
    f.write(sw)
print("sw_lessons: %d lesson file(s) cached by the service worker, %d asset hash(es)" % (len(names), len(integrity)))
