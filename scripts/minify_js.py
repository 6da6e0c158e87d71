#!/usr/bin/env python3
"""Trunk post-build step: minifies wasm-bindgen's JS glue with esbuild (first-load budget).

Trunk's own JS minifier gives up on the glue (it keeps the file as it is), so release builds
run esbuild on it: 55 KB → 25 KB, about 2 KB less gzipped. The page names the file with a
Subresource Integrity hash, which is recomputed here. Runs before scripts/csp.py (both edit
index.html, so Trunk.toml runs them one after the other). Only release builds are minified;
without esbuild on PATH (scripts/setup.sh installs it) the glue is left as it is, with a
warning: the site works either way.
"""
import base64
import hashlib
import os
import re
import shutil
import subprocess
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
if os.environ.get("TRUNK_PROFILE") != "release":
    sys.exit(0)
esbuild = shutil.which("esbuild")
if esbuild is None:
    print("minify_js: esbuild not found (scripts/setup.sh installs it); JS glue left as it is")
    sys.exit(0)

index = os.path.join(staging, "index.html")
with open(index, encoding="utf-8") as f:
    html = f.read()
names = [n for n in os.listdir(staging) if re.fullmatch(r"kafka-playground-[0-9a-f]+\.js", n)]
for name in names:
    path = os.path.join(staging, name)
    subprocess.run([esbuild, path, "--minify", "--format=esm", "--log-level=warning",
                    "--outfile=" + path, "--allow-overwrite"], check=True)
    with open(path, "rb") as f:
        digest = base64.b64encode(hashlib.sha384(f.read()).digest()).decode("ascii")
    # `<link href=./NAME integrity=sha384-…` (minified page) or `href="./NAME" integrity="…"`.
    html, n = re.subn(r'(href="?\./%s"?[^>]*?\bintegrity=)"?sha384-[A-Za-z0-9+/=]+"?' % re.escape(name),
                      lambda m: m.group(1) + '"sha384-%s"' % digest, html)
    if n == 0 and "integrity" in html:
        sys.exit("minify_js: no integrity attribute for %s in %s" % (name, index))
with open(index, "w", encoding="utf-8") as f:
    f.write(html)
print("minify_js: %d file(s) minified" % len(names))
