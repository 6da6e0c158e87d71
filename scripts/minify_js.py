#!/usr/bin/env python3
"""Trunk post-build step: minifies wasm-bindgen's JS glue with esbuild (first-load budget).

Trunk's own JS minifier gives up on the glue (it keeps the file as it is), so release builds
run esbuild on it: 55 KB → 25 KB, about 2 KB less gzipped. The page names the file with a
Subresource Integrity hash, which is recomputed here. Runs before scripts/csp.py (both edit
index.html, so Trunk.toml runs them one after the other). Only release builds are minified;
without esbuild on PATH (scripts/setup.sh installs it) the glue is left as it is, with a
warning: the site works either way.
"""
import os
import re
import shutil
import subprocess
import sys

from sri import set_integrity

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
if os.environ.get("TRUNK_PROFILE") != "release":
    sys.exit(0)
esbuild = shutil.which("esbuild")
if esbuild is None:
    print("minify_js: esbuild not found (scripts/setup.sh installs it); JS glue left as it is")
    sys.exit(0)

names = [n for n in os.listdir(staging) if re.fullmatch(r"kafka-playground-[0-9a-f]+\.js", n)]
for name in names:
    path = os.path.join(staging, name)
    subprocess.run([esbuild, path, "--minify", "--format=esm", "--log-level=warning",
                    "--outfile=" + path, "--allow-overwrite"], check=True)
    with open(path, "rb") as f:
        set_integrity(staging, name, f.read(), "minify_js")
print("minify_js: %d file(s) minified" % len(names))
