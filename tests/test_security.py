"""Contributed content cannot attack readers or the build: unsafe HTML in notes, YAML tags that would
run code, formulas outside the restricted evaluator and notebooks whose outputs carry scripts are
errors naming the file (and line or cell), and nothing they ask for is run."""

from __future__ import annotations

import json
import re

import pytest

from landscape.config import SiteConfig
from landscape import offline, pipeline
from landscape.notes import Layer

from .conftest import ROOT

LAYERS = [Layer(i, i.title(), "") for i in ("compute", "data", "algorithms", "systems", "products")]

DATASET = """\
id: {ident}
title: A dataset
description: One row per thing.
licence: CC BY 4.0
credit: Someone
sources:
  s1: {{title: A source, url: "https://example.org/s"}}
columns:
  - {{name: name, type: string, description: Name}}
  - {{name: value, type: number, unit: FLOP, description: Value}}
rows:
  - {{name: a, value: 1e3, source: s1}}
  - {{name: b, value: 2e3, source: s1}}
"""

TABLE = """\
id: {ident}
title: A table
description: What is computed.
sources:
  s1: {{title: A source, url: "https://example.org/s"}}
inputs:
  - {{name: compute, label: Compute, value: 1e20, unit: FLOP, source: s1}}
outputs:
  - {{name: out, label: Out, formula: "{formula}", unit: FLOP, digits: 3}}
"""

CHART = """\
id: {ident}
title: A chart
caption: What a reader sees.
alt: A description for screen readers.
x: {{title: Name, type: nominal}}
y: {{title: Value, type: quantitative}}
layers:
  - {{dataset: things, mark: bar, x: name, y: value}}
"""


def problems_of(root) -> list[str]:
    return [str(p) for p in pipeline.check(root, SiteConfig.of_layers(LAYERS)).problems]


# ------------------------------------------------------------------------------------- raw HTML


UNSAFE_LINES = {
    "<script>alert(1)</script>": "HTML element <script>",
    '<iframe src="https://example.org"></iframe>': "HTML element <iframe>",
    '<object data="x.swf"></object>': "HTML element <object>",
    '<img src="x.png" onerror="alert(1)">': "event-handler attribute onerror=",
    '<a href="javascript:alert(1)">click</a>': "javascript: URLs",
    "[click](javascript:alert(1))": "javascript: URLs",
    '<a href=" JaVaScRiPt:alert(1)">x</a>': "javascript: URLs",
    '<div ONMOUSEOVER = "alert(1)">x</div>': "event-handler attribute onmouseover=",
}


def test_unsafe_html_in_a_note_fails_the_build_naming_file_and_line(kb, tmp_path):
    body = "Safe text with <abbr>FLOP</abbr> and <sup>2</sup>.\n\n" + "\n\n".join(UNSAFE_LINES) + "\n\n`<script>in code is fine</script>`\n"
    path = kb.note("compute", "unsafe", "Unsafe note", body=body)
    kb.note("compute", "safe", "Safe note", body="Plain <mark>text</mark> and <kbd>Ctrl</kbd>.\n")
    result = kb.build(tmp_path / "site")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    lines = path.read_text(encoding="utf-8").splitlines()
    for snippet, message in UNSAFE_LINES.items():
        line_no = lines.index(snippet) + 1
        assert re.search(rf"notes/compute/unsafe\.md:{line_no}: html: {re.escape(message)}", output), (snippet, output[-3000:])
    assert "safe.md" not in output.replace("unsafe.md", "")
    assert not (tmp_path / "site" / "compute" / "unsafe").exists()


def test_safe_html_builds_and_reaches_the_page_escaped(kb, tmp_path):
    kb.note("compute", "safe", "Safe note", body="Plain <mark>text</mark>, <kbd>Ctrl</kbd> and `<script>x</script>` in code.\n")
    result = kb.build(tmp_path / "site")
    assert result.returncode == 0, result.stderr[-3000:]
    html = (tmp_path / "site" / "compute" / "safe" / "index.html").read_text(encoding="utf-8")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert "<mark>text</mark>" in article and "&lt;script&gt;x&lt;/script&gt;" in article
    assert "<script>x" not in article


# ------------------------------------------------------------------------------------- YAML tags


PYTHON_TAG = '!!python/object/apply:os.system ["touch {marker}"]'


@pytest.mark.parametrize("where", ["dataset", "chart", "table", "front matter"])
def test_python_yaml_tags_are_an_error_and_run_nothing(kb, tmp_path, where):
    marker = tmp_path / f"pwned-{where.replace(' ', '-')}"
    tag = PYTHON_TAG.format(marker=marker)
    kb.write("charts/data/things.yaml", DATASET.format(ident="things"))
    if where == "dataset":
        target = kb.write("charts/data/evil.yaml", DATASET.format(ident="evil").replace("description: One row per thing.", f"description: {tag}"))
    elif where == "chart":
        target = kb.write("charts/evil.yaml", CHART.format(ident="evil").replace("caption: What a reader sees.", f"caption: {tag}"))
    elif where == "table":
        target = kb.write("charts/tables/evil.yaml", TABLE.format(ident="evil", formula="compute * 2").replace("description: What is computed.", f"description: {tag}"))
    else:
        target = kb.write("notes/compute/evil.md", f"---\ntitle: {tag}\nsummary: s.\ntags: []\nsources: []\nupdated: 2026-01-01\n---\n\nBody.\n")
    found = problems_of(kb.root)
    assert not marker.exists(), "the YAML tag ran a command"
    relative = target.relative_to(kb.root).as_posix()
    assert any(relative in p and "python/object" in p for p in found), found
    result = kb.build(tmp_path / "site")
    assert not marker.exists(), "the YAML tag ran a command during the build"
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert relative in result.stderr + result.stdout


# ------------------------------------------------------------------------------------- formulas


@pytest.mark.parametrize("formula", [
    "__import__('os').system('touch {marker}')",
    "compute.__class__",
    "[x for x in (1,)]",
    "(lambda: 1)()",
    "open('{marker}', 'w')",
    "compute if 1 else 2",
    "globals()",
])
def test_formulas_outside_the_restricted_evaluator_are_rejected(kb, tmp_path, formula):
    marker = tmp_path / "pwned"
    kb.write("charts/tables/evil.yaml", TABLE.format(ident="evil", formula=formula.format(marker=marker).replace('"', "'")))
    found = problems_of(kb.root)
    assert not marker.exists()
    assert any("charts/tables/evil.yaml" in p and "formula" in p for p in found), found


# ------------------------------------------------------------------------------------- notebooks


def _notebook(outputs: list[dict]) -> str:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Title"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["1 + 1"], "outputs": [
            {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": ["2"]}}]},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "source": ["show()"], "outputs": outputs},
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


SCRIPT_OUTPUTS = {
    "html-script": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<div>x</div><script>alert(1)</script>"]}}],
    "html-handler": [{"output_type": "display_data", "metadata": {}, "data": {"text/html": '<img src=x onerror="alert(1)">'}}],
    "javascript": [{"output_type": "display_data", "metadata": {}, "data": {"application/javascript": "alert(1)"}}],
}


@pytest.mark.parametrize("kind", sorted(SCRIPT_OUTPUTS))
def test_notebook_outputs_with_scripts_are_found_by_cell(tmp_path, kind):
    path = tmp_path / "x.ipynb"
    path.write_text(_notebook(SCRIPT_OUTPUTS[kind]), encoding="utf-8")
    found = offline.notebook_script_problems(path)
    assert len(found) == 1 and found[0].field == "cells[2]" and "cell 3" in found[0].message, found


def test_the_real_notebook_has_no_script_output():
    for notebook in (ROOT / "docs").rglob("*.ipynb"):
        assert offline.notebook_script_problems(notebook) == [], notebook


def test_a_notebook_with_a_script_fails_the_build_unless_trusted(kb, tmp_path):
    kb.write("docs/notebooks/evil.ipynb", _notebook(SCRIPT_OUTPUTS["html-script"]))
    result = kb.build(tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert re.search(r"docs/notebooks/evil\.ipynb: cells\[2\]: cell 3 has a text/html with a script output", output), output[-2000:]
    config = (kb.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      trusted_notebooks: []\n" in config
    config = config.replace("      trusted_notebooks: []\n", "      trusted_notebooks: [notebooks/evil.ipynb]\n", 1)
    (kb.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = kb.build(tmp_path / "site2")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
