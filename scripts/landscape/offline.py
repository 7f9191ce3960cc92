"""Keep pages free of requests outside the site: notebook pages reference MathJax, Mermaid and
RequireJS on CDNs (mkdocs-jupyter's template); those tags are removed. Notebooks whose outputs carry
scripts are found here too (``notebook_script_problems``): the build rejects them unless trusted."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .problems import Problem, problem

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


SCRIPT_IN_HTML = re.compile(r"<\s*script\b|\bon[a-z]+\s*=|javascript:", re.I)
SCRIPT_MIME_TYPES = ("application/javascript", "text/javascript", "application/x-javascript")


def notebook_script_problems(path: Path, label: str | None = None) -> list[Problem]:
    """One problem per output cell of notebook ``path`` that would run a script in the reader's browser:
    a text/html output with <script>, an event-handler attribute or a javascript: URL, or a JavaScript output."""
    name = label or str(path)
    try:
        notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [problem(name, None, "notebook", f"cannot read the notebook: {exc}")]
    found: list[Problem] = []
    for index, cell in enumerate(notebook.get("cells", []) if isinstance(notebook, dict) else []):
        for output in cell.get("outputs", []) if isinstance(cell, dict) else []:
            data = output.get("data", {}) if isinstance(output, dict) else {}
            kinds = [mime for mime in data if mime in SCRIPT_MIME_TYPES]
            html = data.get("text/html", "")
            html = "".join(html) if isinstance(html, list) else str(html)
            if SCRIPT_IN_HTML.search(html):
                kinds.append("text/html with a script")
            for kind in kinds:
                found.append(problem(
                    name, None, f"cells[{index}]",
                    f"cell {index + 1} has a {kind} output, which would run in the reader's browser; "
                    "clear the output, or list the notebook under trusted_notebooks in mkdocs.yml",
                ))
    return found
