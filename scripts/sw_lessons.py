#!/usr/bin/env python3
"""Trunk post-build hook: names the lesson files in the built sw.js.

The browser app fetches a lesson's Markdown (lessons/<file>, copied next to the page by Trunk)
only when the lesson opens, so the service worker must cache every lesson file when it installs
for lessons to open offline after the first visit, like the rest of the app. The list carries a
digest of the files too: a new version of any lesson changes sw.js, so browsers install the new
worker, which caches the new files.
"""
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
with open(path, "w", encoding="utf-8") as f:
    f.write(sw)
print("sw_lessons: %d lesson file(s) cached by the service worker" % len(names))
