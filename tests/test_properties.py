"""Property-based tests (hypothesis): malformed notes, front matter and YAML datasets, charts and tables
never end `landscape check` in a traceback, always in problems naming the file, and a non-zero exit."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from landscape.config import SiteConfig
from landscape import pipeline
from landscape.notes import Layer

from .conftest import ROOT

LAYERS = [Layer(i, i.title(), "") for i in ("compute", "data", "algorithms", "systems", "products")]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.dates().map(str), st.sampled_from(["", "~", "1e21", "2020-13-45", "FLOP/s", "https://x"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=12)

NOTE_FIELDS = ["title", "summary", "tags", "sources", "updated", "status", "extra"]
DATASET_FIELDS = ["id", "title", "description", "licence", "credit", "sources", "columns", "rows", "other"]
CHART_FIELDS = ["id", "title", "caption", "alt", "x", "y", "layers", "trends", "params", "calculate"]
TABLE_FIELDS = ["id", "title", "description", "sources", "inputs", "outputs", "published"]

# Raw text that is not valid YAML, or valid YAML of the wrong shape, or not what a loader expects.
raw_texts = st.one_of(
    st.text(max_size=200),
    st.sampled_from([
        "", "---", "- a\n- b", "key: [unclosed", "a: b: c", "\t- tab", "!!binary x", "&a [*a]", "?", "id: 1\nid: 2",
        "rows:\n  - {x: 1", "%YAML 9.9\n---\na: 1", "a: !!python/name:os.system", "\ufeffid: x", "\x00",
    ]),
)


def _field_maps(fields: list[str]):
    return st.dictionaries(st.sampled_from(fields), values, max_size=len(fields))


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _check_in(files: dict[str, str]) -> list:
    """Write ``files`` into a fresh knowledge base with one good note, run the check in-process."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        for relative, text in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
        checked = pipeline.check(root, SiteConfig.of_layers(LAYERS))  # must not raise
        return [str(p) for p in checked.problems]


@SETTINGS
@given(front=st.one_of(_field_maps(NOTE_FIELDS).map(_dump), raw_texts), body=st.text(max_size=300))
def test_malformed_notes_give_problems_not_tracebacks(front, body):
    text = f"---\n{front}\n---\n\n{body}"
    found = _check_in({"notes/compute/bad-note.md": text})
    for message in found:
        assert "notes/compute/bad-note.md" in message, message


@SETTINGS
@given(kind=st.sampled_from(["charts/data/bad.yaml", "charts/bad.yaml", "charts/tables/bad.yaml"]), data=st.data())
def test_malformed_yaml_files_give_problems_not_tracebacks(kind, data):
    fields = {"charts/data/bad.yaml": DATASET_FIELDS, "charts/bad.yaml": CHART_FIELDS, "charts/tables/bad.yaml": TABLE_FIELDS}[kind]
    text = data.draw(st.one_of(_field_maps(fields).map(_dump), raw_texts), label="text")
    found = _check_in({kind: text})
    assert found, f"{kind} accepted: {text!r}"
    assert all(kind in message for message in found), found


@SETTINGS
@given(columns=st.lists(st.fixed_dictionaries({
    "name": st.sampled_from(["a", "b", "1x", "", "source"]),
    "type": st.sampled_from(["string", "number", "integer", "date", "boolean", "complex"]),
    "unit": st.sampled_from([None, "FLOP", "FLOP/s/USD", "parsec^-3", "banana", "", "USD/GPU/hour"]),
    "description": st.text(max_size=10),
}), max_size=3), rows=st.lists(st.dictionaries(st.sampled_from(["a", "b", "source", "reference", "zz"]), scalars, max_size=4), max_size=4))
def test_datasets_with_bad_columns_and_rows_give_problems_not_tracebacks(columns, rows):
    dataset = {"id": "bad", "title": "T", "description": "D", "licence": "CC0", "credit": "C",
               "sources": {"s": {"title": "S", "url": "https://example.org"}},
               "columns": [{k: v for k, v in c.items() if v is not None} for c in columns], "rows": rows}
    found = _check_in({"charts/data/bad.yaml": _dump(dataset)})
    assert all("charts/data/bad.yaml" in message for message in found), found


BAD_INPUTS = {
    "notes/compute/bad.md": "---\ntitle: [unclosed\n---\nBody\n",
    "charts/data/bad.yaml": "id: bad\ncolumns: 3\nrows: {a: 1}\n",
    "charts/bad.yaml": "- just\n- a list\n",
    "charts/tables/bad.yaml": "id: bad\noutputs:\n  - {name: x, formula: 'import os'}\n",
}


@pytest.mark.parametrize("relative", sorted(BAD_INPUTS))
def test_landscape_check_exits_non_zero_with_a_message(tmp_path, relative):
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(BAD_INPUTS[relative], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "landscape.cli", "--root", str(tmp_path), "check"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert relative in result.stdout + result.stderr
