#!/usr/bin/env python3
"""Trunk post-build hook: adds a Content-Security-Policy to the built index.html.

Scripts may come only from the site itself, plus the one inline loader script Trunk writes,
allowed by its SHA-256 hash: any other inline script (an injected one) is refused by the
browser. Styles allow inline attributes (Yew positions rows with them); nothing else loads
from outside, except lesson files a link names (read as text).
"""
import base64
import hashlib
import os
import re
import sys

staging = os.environ.get("TRUNK_STAGING_DIR") or (sys.argv[1] if len(sys.argv) > 1 else "dist")
path = os.path.join(staging, "index.html")
with open(path, encoding="utf-8") as f:
    html = f.read()

hashes = []
for body in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S):
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    hashes.append("'sha256-%s'" % base64.b64encode(digest).decode("ascii"))

policy = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' " + " ".join(hashes),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    # Lessons and courses by link (`#lesson-url=`, `#course-url=`) come from any https host
    # (or an author's own machine); they are read as lesson text, never run.
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
])
meta = '<meta http-equiv="Content-Security-Policy" content="%s" />' % policy
html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>\s*', "", html)
# Right after the charset declaration, written `<meta charset="utf-8" />` in www/index.html and
# `<meta charset=utf-8>` once Trunk has minified the page (release builds).
html, placed = re.subn(r'(<meta charset="?utf-8"?\s*/?>)', lambda m: m.group(1) + meta, html, count=1)
if not placed:
    sys.exit("csp: no <meta charset> in %s to put the policy after" % path)
with open(path, "w", encoding="utf-8") as f:
    f.write(html)
print("csp: %d inline script(s) allowed by hash" % len(hashes))
