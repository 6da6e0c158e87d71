"""The built page's Subresource Integrity hashes, for the post-build steps that rewrite an asset
after Trunk has hashed it (scripts/split_wasm.py, scripts/minify_js.py)."""
import base64
import hashlib
import os
import re
import sys


def set_integrity(staging, name, data, step):
    """Gives the page's link to `./NAME` the sha384 hash of `data`. The page may be minified
    (`<link href=./NAME integrity=sha384-…`) or not (`href="./NAME" integrity="…"`)."""
    index = os.path.join(staging, "index.html")
    with open(index, encoding="utf-8") as f:
        html = f.read()
    digest = base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")
    html, n = re.subn(
        r'(href="?\./%s"?[^>]*?\bintegrity=)"?sha384-[A-Za-z0-9+/=]+"?' % re.escape(name),
        lambda m: m.group(1) + '"sha384-%s"' % digest,
        html,
    )
    if n == 0 and "integrity" in html:
        sys.exit("%s: no integrity attribute for %s in %s" % (step, name, index))
    with open(index, "w", encoding="utf-8") as f:
        f.write(html)
