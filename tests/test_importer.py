"""Import transformations, each on a small fixture, then whole files and the five seeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from landscape import importer
from landscape.importer import (
    ImportError_,
    adjust_headings,
    collapse_repeats,
    convert,
    convert_highlights,
    convert_images,
    convert_local_links,
    extract_hashtags,
    map_front_matter,
    neutralise,
    normalise_callouts,
    paragraphs_from_lines,
    plan_imports,
    repair_mojibake,
    resolve_wikilinks,
    slugify,
    source_title,
    split_source_front_matter,
    suggest_layer,
    urls_to_sources,
    write_plan,
)
from landscape.cli import read_config
from landscape.notes import Layer
from landscape.paths import Paths

from .conftest import ROOT

LAYERS = [Layer(layer.id, layer.title, "", layer.keywords) for layer in read_config(ROOT / "mkdocs.yml").layers]  # keywords from mkdocs.yml
TODAY = dt.date(2026, 11, 23)


# ------------------------------------------------------------------------------------------ mojibake


def test_mojibake_cp1252_round_trip_is_repaired():
    text, notes = repair_mojibake("Itâ€™s the â€œbestâ€\x9d cafÃ©.")
    assert text == "It’s the “best” café."
    assert len(notes) == 4 and notes[0] == "line 1: repaired 'â€™' -> '’' (UTF-8 read as cp1252)"


def test_mojibake_thai_codepage_round_trip_is_repaired():
    # "’" is E2 80 99: read as TIS-620 that is "โ" and two C1 controls
    garbled = "It" + "’".encode("utf-8").decode("iso8859_11") + "s"
    text, notes = repair_mojibake(garbled)
    assert text == "It’s"
    assert "cp874" in notes[0]


def test_mojibake_thai_remains_of_a_lost_character_are_removed_and_reported():
    # seed 004: the bytes F0 A4 of a four-byte character (an emoji) read as cp874 -> "๐ค"
    text, notes = repair_mojibake("Ajeya Cotra\n๐ค SpeakerAppearances Over Time\n")
    assert text == "Ajeya Cotra\nSpeakerAppearances Over Time\n"
    assert notes == ["line 2: removed '๐ค', the remains of a UTF-8 character whose other bytes are lost (F0 A4)"]


def test_mojibake_leaves_correct_text_alone():
    good = "Café’s naïve résumé — “quoted” … 10 µs, 5 °C, Straße, ½"
    assert repair_mojibake(good) == (good, [])
    thai = "ภาษาไทย เกม ค่ะ " * 5 + "๐ค"
    assert repair_mojibake(thai) == (thai, [])  # a Thai document keeps its Thai


# ------------------------------------------------------------------------------------------ front matter

JEKYLL = """---
layout: post
title: "Notes: Generative AI Landscape"
categories: notes
modified_date: Feb 26, 2022
author:
- Jovan Sardinha
---

## The Compute layer
"""


def test_jekyll_front_matter_is_mapped():
    data, body = split_source_front_matter(JEKYLL)
    fields = map_front_matter(data)
    assert fields.title == "Notes: Generative AI Landscape"
    assert fields.tags == ["notes"]
    assert fields.updated == dt.date(2022, 2, 26)
    assert fields.authors == ["Jovan Sardinha"]
    assert fields.dropped == ["layout"]
    assert body.strip() == "## The Compute layer"


def test_unreadable_front_matter_is_an_error():
    with pytest.raises(ImportError_, match="front matter is not valid YAML"):
        split_source_front_matter("---\ntitle: [unclosed\n---\nbody\n")


def test_unreadable_date_is_dropped_not_guessed():
    fields = map_front_matter({"date": "sometime in spring"})
    assert fields.updated is None and fields.dropped == ["date (unreadable date 'sometime in spring')"]


# ------------------------------------------------------------------------------------------ repeats


def test_thread_posts_repeated_back_to_back_collapse_to_one():
    text = (
        "4) Scaling Laws Improve\n"
        "Historically, AI has scaled through a power law.\n"
        "Meta shows that data pruning beats it.\n"
        "Historically, AI has scaled through a power law.\n"
        "Meta shows that data pruning beats it.\n"
        "5) Data is the new bottleneck\n"
    )
    out, removed = collapse_repeats(text)
    assert removed == 1
    assert out.count("Historically") == 1 and out.count("Meta shows") == 1
    assert out.startswith("4) Scaling") and out.rstrip().endswith("5) Data is the new bottleneck")


def test_paragraph_repeated_after_a_blank_line_collapses():
    para = "The same paragraph, scraped twice by the tool."
    out, removed = collapse_repeats(f"{para}\n\n{para}\n\nNext.\n")
    assert removed == 1 and out.count(para) == 1 and "Next." in out


def test_short_repeated_lines_and_code_are_kept():
    text = "| a |\n|---|\n|---|\n\n```\nx = 1\nx = 1\nsame line in code, long enough to count\nsame line in code, long enough to count\n```\n"
    assert collapse_repeats(text) == (text, 0)


# ------------------------------------------------------------------------------------------ Obsidian


def test_hashtags_become_tags_headings_and_fragments_stay():
    text = "#openai\n#asic\n## Heading stays\nSee https://x.org/#frag, C# and China #2, inline #Scaling_Laws here.\n`#code`\n"
    out, tags = extract_hashtags(text)
    assert tags == ["openai", "asic", "Scaling_Laws"]
    assert out.split("\n")[0] == "## Heading stays"
    assert "https://x.org/#frag" in out and "C#" in out and "#2" in out and "`#code`" in out
    assert importer.normalise_tag("Scaling_Laws") == "scaling-laws"


def test_highlights_become_mark_outside_code():
    out, count = convert_highlights("A ==key point== and `a ==b== c` and x == y == z.")
    assert out == "A <mark>key point</mark> and `a ==b== c` and x == y == z."
    assert count == 1


def test_known_callouts_stay_unknown_become_note():
    out, notes = normalise_callouts("> [!tip] Good\n> body\n\n> [!weird]- Odd\n> more\n")
    assert "> [!tip] Good" in out and "> [!note]- Odd" in out
    assert notes == ["line 4: callout type [!weird] is not known; made [!note]"]


def test_images_found_copied_missing_marked_remote_linked(tmp_path):
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "chart.png").write_bytes(b"\x89PNG")
    text = "![[chart.png]]\n![[gone.png|300]]\n![gpu 1](/assets/gpu_1.png)\n![r](https://example.org/r.png)\n![[Other note]]\n"
    result = convert_images(text, tmp_path, "compute", "my-note")
    lines = result.text.split("\n")
    assert lines[0] == "![chart.png](../assets/imported/my-note/chart.png)"
    assert lines[1] == "*(image not imported: gone.png; `gone.png` was not found)*"
    assert lines[2] == "*(image not imported: gpu 1; `/assets/gpu_1.png` was not found)*"
    assert lines[3] == "[Image: r](https://example.org/r.png)"
    assert lines[4] == "[[Other note]]"
    assert result.missing == ["gone.png", "/assets/gpu_1.png"]
    assert [c.source.name for c in result.copies] == ["chart.png"]


def test_local_markdown_links_become_wikilinks_other_paths_plain_text():
    out, notes = convert_local_links("[GPU trends](GPU%20trends.md) and [file](../x/file.pdf) and [web](https://a.org)")
    assert out == "[[GPU trends|GPU trends]] and file and [web](https://a.org)"
    assert notes == ["link to local path '../x/file.pdf' made plain text (the site has no such page)"]


def test_wikilinks_to_nothing_become_plain_text_and_are_reported():
    known = {"gpu-price-performance", "running out of data"}
    out, unresolved = resolve_wikilinks(
        "[[gpu-price-performance]], [[Running out of data|data]], [[Nowhere]], [[Gone|the label]], `[[code]]`",
        lambda t: t in known or t.lower() in known,
    )
    assert out == "[[gpu-price-performance]], [[Running out of data|data]], Nowhere, the label, `[[code]]`"
    assert unresolved == ["Nowhere", "Gone"]


# ------------------------------------------------------------------------------------------ sources


def test_bare_urls_become_autolinks_and_sources():
    text = ("See https://epochai.org/blog/trends-in-gpu-price-performance, and arxiv.org/abs/2203.15556.\n"
            "[V100](https://www.nvidia.com/en-us/data-center/v100/) and <https://a.org/x>\n"
            "ai.facebook.com/research/beyond-neural-scaling-laws-p...\n")
    out, sources, truncated = urls_to_sources(text)
    assert "<https://epochai.org/blog/trends-in-gpu-price-performance>," in out
    assert "<https://arxiv.org/abs/2203.15556>." in out
    assert [s.url for s in sources] == [
        "https://epochai.org/blog/trends-in-gpu-price-performance",
        "https://arxiv.org/abs/2203.15556",
        "https://www.nvidia.com/en-us/data-center/v100/",
        "https://a.org/x",
    ]
    assert sources[0].title == "epochai.org: trends in gpu price performance"
    assert sources[2].title == "V100"
    assert truncated == ["ai.facebook.com/research/beyond-neural-scaling-laws-p..."]


def test_source_titles_from_urls_without_words():
    assert source_title("https://arxiv.org/abs/2203.15556") == "arxiv.org/abs/2203.15556"
    assert source_title("https://news.ycombinator.com/item?id=34400693") == "news.ycombinator.com/item?id=34400693"
    assert source_title("https://twitter.com/a/status/1?s=20") == "twitter.com/a/status/1"


# ------------------------------------------------------------------------------------------ the rest


def test_embed_syntax_and_unsafe_html_are_neutralised():
    out, notes = neutralise("Use {{ site.title }} here.\n<script>alert(1)</script>\n[x](javascript:alert(1))\n")
    assert "`{{ site.title }}`" in out
    assert "&lt;script>" in out and "javascript&#58;" in out
    assert len(notes) == 3


def test_headings_demoted_when_there_is_an_h1_and_title_heading_dropped():
    assert adjust_headings("# My title\n\n# Part\n## Sub\n", "My title") == "\n\n## Part\n### Sub\n"
    assert adjust_headings("## Part\n", "Other") == "## Part\n"


def test_lines_become_paragraphs_only_when_the_text_has_no_blank_lines():
    lines = "\n".join(["Line one."] * 3 + ["- a", "- b"] + ["Line."] * 6)
    out, split = paragraphs_from_lines(lines)
    assert split and "Line one.\n\nLine one." in out and "- a\n- b" in out and "\n\n- a" in out
    assert paragraphs_from_lines("a\n\nb\n" * 6) == ("a\n\nb\n" * 6, False)


def test_layer_suggested_from_keywords_ties_go_to_the_first_layer():
    layer, scores = suggest_layer("GPU prices", "The H100 chip and the A100 chip.", LAYERS)
    assert layer == "compute" and scores["compute"] > scores["products"]
    assert suggest_layer("Nothing", "Nothing here at all.", LAYERS)[0] == "compute"
    other = [Layer("oceans", "Oceans", "Currents, tides and waves."), Layer("skies", "Skies", "Clouds and weather.")]
    assert suggest_layer("On tides", "Spring tides and currents.", other)[0] == "oceans"


def test_layer_keywords_come_from_the_layers_unless_given(tmp_path):
    text = "The GPU chips ran the chatbot for its users."
    assert suggest_layer("Chips", text, LAYERS)[0] == "compute"  # gpu, chips: compute's keywords in mkdocs.yml
    own = {"products": ("chatbot", "users", "chips")}
    layer, scores = suggest_layer("Chips", text, LAYERS, own)
    assert layer == "products" and scores["products"] == 6 and scores["compute"] == 0
    source = tmp_path / "chips.md"
    source.write_text(f"# Chips\n\n{text}\n", encoding="utf-8")
    plan = plan_imports([source], Paths(tmp_path), LAYERS, today=TODAY, keywords=own)
    assert [draft.relative_path.as_posix() for draft in plan.drafts] == ["notes/products/chips.md"]


def test_slugify():
    assert slugify("Notes: Generative AI Landscape") == "notes-generative-ai-landscape"
    assert slugify("Café — über 100%") == "cafe-uber-100"
    assert len(slugify("word " * 40)) <= 60


# ------------------------------------------------------------------------------------------ whole files


def test_convert_obsidian_note_gives_valid_front_matter(tmp_path):
    source = tmp_path / "Scaling notes.md"
    source.write_text("#scaling\nA ==big== claim, see [[Elsewhere]] and https://example.org/a-long-post.\n", encoding="utf-8")
    draft = convert(source.read_text(encoding="utf-8"), source, LAYERS, layer="algorithms", today=TODAY)
    assert (draft.title, draft.slug, draft.layer, draft.tags) == ("Scaling notes", "scaling-notes", "algorithms", ["scaling"])
    text = draft.text()
    assert text.startswith("---\ntitle: Scaling notes\n")
    assert "status: draft" in text and "updated: 2026-11-23" in text
    assert "> [!warning] Imported draft: review before publishing" in text


def test_plan_refuses_existing_note_and_writes_nothing(tmp_path):
    paths = Paths(tmp_path / "kb")
    (paths.notes / "data").mkdir(parents=True)
    (paths.notes / "data" / "scaling-notes.md").write_text("existing", encoding="utf-8")
    source = tmp_path / "Scaling notes.md"
    source.write_text("Text.\n", encoding="utf-8")
    plan = plan_imports([source], paths, LAYERS, today=TODAY)
    assert plan.errors == [f"{source}: notes/data/scaling-notes.md already exists; an import never overwrites a note (use --title to name it otherwise)"]
    assert (paths.notes / "data" / "scaling-notes.md").read_text(encoding="utf-8") == "existing"


def test_plan_reports_non_utf8_and_unreadable(tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("first line\ncaf\xe9\n".encode("latin-1"))
    plan = plan_imports([bad, tmp_path / "missing.md", tmp_path], Paths(tmp_path / "kb"), LAYERS)
    assert plan.drafts == []
    assert plan.errors[0] == f"{bad}: line 2: file is not valid UTF-8 (byte 0xE9); convert it to UTF-8 first"
    assert plan.errors[1].startswith(f"{tmp_path / 'missing.md'}: cannot read file")
    assert plan.errors[2] == f"{tmp_path}: is a folder, not a file"


def test_wikilinks_between_files_of_one_batch_resolve(tmp_path):
    a, b = tmp_path / "Alpha note.md", tmp_path / "Beta note.md"
    a.write_text("See [[Beta note]] and [[Gamma]].\n", encoding="utf-8")
    b.write_text("Back to [[alpha-note]].\n", encoding="utf-8")
    paths = Paths(tmp_path / "kb")
    plan = plan_imports([a, b], paths, LAYERS, layer="data", today=TODAY)
    assert plan.errors == []
    first, second = plan.drafts
    assert "[[Beta note]]" in first.body and "[[Gamma]]" not in first.body and "Gamma" in first.body
    assert any("[[Gamma]]" in line for line in first.report)
    assert "[[alpha-note]]" in second.body
    written = write_plan(plan, paths)
    assert [p.name for p in written] == ["alpha-note.md", "beta-note.md"]


SEEDS = sorted((Path(__file__).resolve().parents[2] / "shared" / "seeds").glob("*.txt"))


@pytest.mark.skipif(len(SEEDS) != 5, reason="the five seeds live in ../shared/seeds")
def test_seed_conversions(tmp_path):
    plan = plan_imports(SEEDS, Paths(tmp_path), LAYERS, today=TODAY)
    assert plan.errors == []
    by_name = {d.source.name[:3]: d for d in plan.drafts}
    jekyll = by_name["000"]
    assert (jekyll.title, jekyll.updated, jekyll.tags) == ("Notes: Generative AI Landscape", dt.date(2022, 2, 26), ["notes"])
    assert jekyll.body.count("*(image not imported:") == 6
    assert "https://epochai.org/blog/trends-in-gpu-price-performance" in [s.url for s in jekyll.sources]
    obsidian = by_name["002"]
    assert obsidian.tags == ["openai", "asic"] and "<mark>" in obsidian.body and "openai1.png" in obsidian.body
    thread = by_name["003"]
    assert thread.body.count("ChatGPT reached 1 million users in 5 days.") == 1
    assert thread.body.count("Grokking shows") == 1
    transcript = by_name["004"]
    assert "๐" not in transcript.text() and "SpeakerAppearances Over Time" in transcript.body
