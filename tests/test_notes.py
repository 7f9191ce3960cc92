"""Loading and validating notes: each bad case gives one clear problem naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from landscape.notes import Layer, load_notes

LAYERS = [Layer(id, id.title(), "") for id in ("compute", "data", "algorithms", "systems", "products")]

GOOD = """---
title: GPU price-performance
summary: FLOP/s per dollar doubles about every 2.5 years.
tags: [gpu, price-performance]
sources:
  - title: Trends in GPU price-performance
    url: https://epoch.ai/blog/trends-in-gpu-price-performance
    publisher: Epoch AI
    date: 2022-06-27
updated: 2026-11-23
---

Body.
"""


def write(root: Path, relative: str, text: str) -> Path:
    path = root / "notes" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(root: Path):
    files = sorted((root / "notes").rglob("*.md"))
    return load_notes(files, LAYERS, root / "notes")


def only_problem(root: Path) -> str:
    notes, problems = load(root)
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


def test_good_note_loads_with_layer_slug_and_body_line(tmp_path):
    write(tmp_path, "compute/gpu-price-performance.md", GOOD)
    notes, problems = load(tmp_path)
    assert problems == []
    (note,) = notes
    assert (note.layer, note.slug, note.title) == ("compute", "gpu-price-performance", "GPU price-performance")
    assert note.meta.sources[0].publisher == "Epoch AI"
    assert str(note.meta.updated) == "2026-11-23"
    assert note.meta.status == "reviewed"
    assert note.body_line == 12 and note.body.strip() == "Body."  # the line after the closing ---


def test_missing_front_matter(tmp_path):
    write(tmp_path, "data/no-front.md", "Just text.\n")
    message = only_problem(tmp_path)
    assert message.endswith("no-front.md:1: front matter: missing: a note starts with a YAML block between '---' lines")


def test_front_matter_that_is_not_yaml_names_the_line(tmp_path):
    write(tmp_path, "data/bad-yaml.md", "---\ntitle: A\nsummary: [unclosed\nupdated: 2026-01-01\n---\nBody\n")
    message = only_problem(tmp_path)
    assert "bad-yaml.md:4: invalid YAML" in message


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("title: GPU price-performance\n", "", "bad.md:2: title: required field is missing"),
        ("updated: 2026-11-23", "updated: last tuesday", "bad.md:10: updated: Input should be a valid date"),
        ("tags: [gpu, price-performance]", "tags: gpu", "bad.md:4: tags: Input should be a valid list"),
        ("url: https://epoch.ai/blog/trends-in-gpu-price-performance", "url: epoch.ai/blog", "bad.md:7: sources.0.url: String should match pattern"),
        ("publisher: Epoch AI", "publisher: [Epoch, AI]", "bad.md:8: sources.0.publisher: Input should be a valid string"),
        ("updated: 2026-11-23", "updated: 2026-11-23\nstatus: final", "bad.md:11: status: Input should be 'draft' or 'reviewed'"),
        ("tags: [gpu, price-performance]", "tags: [GPU]", "bad.md:4: tags: Value error, tag 'GPU' must be lowercase"),
    ],
)
def test_missing_or_mistyped_field(tmp_path, old, new, expected):
    write(tmp_path, "compute/bad.md", GOOD.replace(old, new))
    assert expected in only_problem(tmp_path)


def test_unknown_field_is_named(tmp_path):
    write(tmp_path, "compute/extra.md", GOOD.replace("updated:", "author: Someone\nupdated:"))
    assert only_problem(tmp_path).endswith("extra.md:10: author: unknown field")


def test_summary_of_two_sentences_is_rejected(tmp_path):
    write(tmp_path, "compute/two.md", GOOD.replace("doubles about every 2.5 years.", "doubles. It is fast."))
    assert "two.md:3: summary: Value error, summary must be one sentence" in only_problem(tmp_path)


def test_unknown_layer_folder(tmp_path):
    write(tmp_path, "hardware/gpu.md", GOOD)
    message = only_problem(tmp_path)
    assert "hardware/gpu.md: layer: unknown layer folder 'hardware'" in message
    assert "compute" in message and "products" in message


def test_note_outside_a_layer_folder(tmp_path):
    write(tmp_path, "loose.md", GOOD)
    assert "loose.md: layer: notes live in notes/<layer>/<slug>.md" in only_problem(tmp_path)


def test_two_notes_with_one_slug(tmp_path):
    write(tmp_path, "compute/gpu.md", GOOD)
    write(tmp_path, "data/gpu.md", GOOD)
    message = only_problem(tmp_path)
    assert "gpu.md: slug: slug 'gpu' is already used by compute/gpu.md" in message


def test_bad_slug(tmp_path):
    write(tmp_path, "compute/GPU Notes.md", GOOD)
    assert "slug: file name 'GPU Notes.md' must be lowercase words joined by hyphens" in only_problem(tmp_path)


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "notes" / "compute" / "latin.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(GOOD.replace("Body.", "Caf\xe9").encode("latin-1"))
    assert "latin.md:13: file is not valid UTF-8" in only_problem(tmp_path)


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    write(tmp_path, "compute/a.md", "no front matter")
    write(tmp_path, "data/b.md", GOOD.replace("updated: 2026-11-23", "updated: never"))
    write(tmp_path, "nowhere/c.md", GOOD)
    _, problems = load(tmp_path)
    assert len(problems) == 3


def test_layer_overview_is_not_a_note(tmp_path):
    write(tmp_path, "compute/_index.md", "Overview for newcomers.\n")
    notes, problems = load(tmp_path)
    assert notes == [] and problems == []


def test_impossible_date_names_the_line(tmp_path):
    write(tmp_path, "compute/bad-date.md", GOOD.replace("updated: 2026-11-23", "updated: 2026-13-01"))
    assert "bad-date.md:10: invalid YAML: '2026-13-01' is not a valid date" in only_problem(tmp_path)
