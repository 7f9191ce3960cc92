"""The abbreviation glossary: every term is marked on pages; a malformed line names file and line."""

from __future__ import annotations

from landscape.glossary import load_glossary

from .conftest import ROOT


def test_project_glossary_loads():
    terms, problems = load_glossary(ROOT / "docs" / "includes" / "abbreviations.md")
    assert problems == []
    assert terms["PUE"].startswith("power usage effectiveness")
    assert {"FLOP", "FLOP/s", "TDP", "MFU"} <= set(terms)


def test_bad_lines_are_named(tmp_path):
    path = tmp_path / "abbr.md"
    path.write_text("*[GPU]: graphics processing unit\nGPU = graphics\n*[GPU]: again\n", encoding="utf-8")
    terms, problems = load_glossary(path)
    assert terms == {"GPU": "graphics processing unit"}
    assert [str(p).split("abbr.md")[1] for p in problems] == [
        ":2: glossary: expected a line of the form *[TERM]: definition",
        ":3: glossary: 'GPU' is defined twice",
    ]


def test_abbreviations_are_marked_on_note_pages(built_site):
    html = (built_site / "systems" / "pue-data-centre-overhead" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="power usage effectiveness' in html
