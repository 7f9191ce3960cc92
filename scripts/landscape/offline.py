"""Keep pages free of requests outside the site: notebook pages reference MathJax, Mermaid and
RequireJS on CDNs (mkdocs-jupyter's template); those tags are removed."""

from __future__ import annotations

import re

EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*\bsrc\s*=\s*[\"']?(?:https?:)?//[^>]*>\s*</script>", re.I)
EXTERNAL_STYLESHEET = re.compile(r"<link\b[^>]*\bhref\s*=\s*[\"']?(?:https?:)?//[^>]*>", re.I)
CDN_MODULE = re.compile(r"<script\b[^>]*type=[\"']module[\"'][^>]*>(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>", re.I | re.S)
MATHJAX_CONFIG = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)


def strip_notebook_cdn(html: str) -> str:
    html = MATHJAX_CONFIG.sub("", html)
    html = CDN_MODULE.sub("", html)
    html = EXTERNAL_SCRIPT.sub("", html)
    return EXTERNAL_STYLESHEET.sub("", html)


def external_references(html: str) -> list[str]:
    """URLs of scripts, stylesheets, images, fonts and frames a page would load from another host."""
    pattern = re.compile(r"<(?:script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)\s*=\s*[\"']((?:https?:)?//[^\"']+)", re.I)
    found = []
    for match in pattern.finditer(html):
        tag = html[match.start() : match.start() + 6].lower()
        if tag.startswith("<link") and not re.search(r"rel=[\"']?(?:stylesheet|preload|modulepreload|icon)", match.group(0), re.I):
            continue
        found.append(match.group(1))
    return found
