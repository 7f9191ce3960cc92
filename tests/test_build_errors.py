"""Bad input stops `mkdocs build` with one clear report naming file, line and field, and writes no site."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_small_knowledge_base_builds(kb):
    kb.note("compute", "first", "First note", "Links to [[second]].\n")
    kb.note("data", "second", "Second note")
    result = kb.build()
    assert result.returncode == 0, result.stderr
    html = (kb.root / "site" / "data" / "second" / "index.html").read_text(encoding="utf-8")
    assert "Linked from" in html and "../../compute/first/" in html


@pytest.mark.parametrize(
    "write, expected",
    [
        (lambda kb: kb.write("notes/compute/bare.md", "No front matter here.\n"),
         "notes/compute/bare.md:1: front matter: missing"),
        (lambda kb: kb.write("notes/compute/yaml.md", "---\ntitle: [unclosed\n---\nBody\n"),
         "notes/compute/yaml.md:3: invalid YAML"),
        (lambda kb: kb.note("compute", "typed", "Typed", updated="someday"),
         "notes/compute/typed.md:9: updated: Input should be a valid date"),
        (lambda kb: kb.write("notes/hardware/x.md", "---\ntitle: X\n---\n"),
         "notes/hardware/x.md: layer: unknown layer folder 'hardware'"),
        (lambda kb: (kb.note("compute", "twin", "Twin A"), kb.note("data", "twin", "Twin B")),
         "notes/data/twin.md: slug: slug 'twin' is already used by compute/twin.md"),
        (lambda kb: kb.note("compute", "linker", "Linker", "Intro.\n\nSee [[nowhere]].\n"),
         "notes/compute/linker.md:14: wikilink: [[nowhere]] links to no note"),
        (lambda kb: kb.note("compute", "embed", "Embed", "{{chart no-such-chart}}\n"),
         "notes/compute/embed.md:12: chart: unknown chart id 'no-such-chart'"),
    ],
    ids=["no-front-matter", "invalid-yaml", "mistyped-field", "unknown-layer", "duplicate-slug", "broken-wikilink", "unknown-chart"],
)
def test_bad_input_stops_the_build(kb, write, expected):
    kb.note("compute", "fine", "A fine note")
    write(kb)
    result = kb.build()
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert expected in output, output
    assert "Traceback" not in output
    assert not (kb.root / "site" / "index.html").exists()
