"""The Markdown transform: wikilinks, callouts, embeds, quoted values, unsafe HTML, code left alone."""

from __future__ import annotations

from pathlib import Path

from landscape.kinds import Target
from landscape.markdown import transform

NOTES = {"gpu-price-performance": ("compute/gpu-price-performance.md", "GPU price-performance"),
         "running-out-of-data": ("data/running-out-of-data.md", "Running out of data")}


def resolve(target: str):
    for slug, (uri, title) in NOTES.items():
        if target in (slug, title) or target.lower() == title.lower():
            return slug, uri, title
    return None


class Embeds:
    def embed_words(self):
        return {"chart", "table"}

    def embed(self, kind, ident, src_uri):
        return f'<figure class="{kind}">{ident}</figure>' if ident == "known" else None

    def embed_kind(self, word):
        return word

    def quote_words(self):
        return {"value", "fit"}

    def quote(self, kind, ident, name):
        return "13.0 days" if (kind, ident, name) == ("value", "gpt3", "days") else None

    def quote_kind(self, word):
        return {"value": "table", "fit": "chart"}[word]

    def link_kinds(self):
        return {"chart", "table", "dataset"}

    def missing(self, kind, ident):
        return f"unknown {kind} id {ident!r}"

    def page(self, kind, ident):
        return Target(f"charts/{ident}.md", "Training compute", "chart:known") if (kind, ident) == ("chart", "known") else None


def run(body: str, first_line: int = 10):
    return transform(body, path=Path("notes/compute/here.md"), first_line=first_line, src_uri="compute/here.md",
                     resolve=resolve, embeds=Embeds())


def test_wikilinks_by_slug_title_label_and_heading():
    out = run("See [[running-out-of-data]], [[GPU price-performance]], [[gpu-price-performance|this note]] "
              "and [[running-out-of-data#The 2024 update|the update]].\n")
    assert out.problems == []
    assert "[Running out of data](../data/running-out-of-data.md)" in out.markdown
    assert "[GPU price-performance](gpu-price-performance.md)" in out.markdown
    assert "[this note](gpu-price-performance.md)" in out.markdown
    assert "[the update](../data/running-out-of-data.md#the-2024-update)" in out.markdown
    assert out.links == ["running-out-of-data", "gpu-price-performance"]


def test_broken_wikilink_names_file_and_line():
    out = run("Intro.\n\nA [[no-such-note]] here.\n")
    assert [str(p) for p in out.problems] == ["notes/compute/here.md:12: wikilink: [[no-such-note]] links to no note (by slug or title)"]


def test_callout_becomes_admonition_and_its_body_is_transformed():
    out = run("> [!warning] The seed says 1.7B\n> GPT-2 has 1.5B parameters, see [[gpu-price-performance]].\n>\n> Second paragraph.\n")
    lines = out.markdown.splitlines()
    assert '!!! warning "The seed says 1.7B"' in lines
    assert "    GPT-2 has 1.5B parameters, see [GPU price-performance](gpu-price-performance.md)." in lines
    assert "    Second paragraph." in lines


def test_foldable_callout_and_unknown_type():
    assert '??? tip "More"' in run("> [!tip]- More\n> hidden\n").markdown
    out = run("> [!shout] Hey\n> text\n")
    assert "here.md:10: callout: unknown callout type [!shout]" in str(out.problems[0])


def test_embeds_and_quoted_values():
    out = run("{{chart known}}\n\nTraining took {{value gpt3.days}}.\n")
    assert '<figure class="chart">known</figure>' in out.markdown
    assert "Training took 13.0 days." in out.markdown
    assert out.embeds == ["chart:known", "table:gpt3"]


def test_unknown_embed_and_value_are_errors_with_lines():
    out = run("{{chart nope}}\n{{table nope}}\nIt took {{value gpt3.weeks}}.\n{{chrat x}}\n")
    messages = [str(p) for p in out.problems]
    assert messages == [
        "notes/compute/here.md:10: chart: unknown chart id 'nope'",
        "notes/compute/here.md:11: table: unknown table id 'nope'",
        "notes/compute/here.md:12: value: {{value gpt3.weeks}} refers to nothing",
        "notes/compute/here.md:13: embed: unknown syntax '{{chrat x}}': use {{chart ID}}, {{table ID}} alone on a line, or {{value TABLE.NAME}}, {{fit CHART.FIT}}, {{datum DATASET[ROW].COLUMN}}",
    ]


def test_code_is_left_alone():
    body = "Use `[[slug]]` to link.\n\n```markdown\n[[not-a-note]] {{chart nope}} <script>\n```\n"
    out = run(body)
    assert out.problems == []
    assert "`[[slug]]`" in out.markdown and "[[not-a-note]] {{chart nope}} <script>" in out.markdown


def test_unsafe_html_is_rejected_on_the_rendered_html_by_line():
    from landscape import safety

    body = ('<script>alert(1)</script>\n<img src="x.png" onerror="alert(1)">\n<a href="javascript:alert(1)">x</a>\n'
            "[x](javascript:alert(1))\n<iframe src=x></iframe>\n<b>bold is fine</b>\n\n```\n<script>in code</script>\n```\n")
    assert run(body).problems == []  # the transform leaves HTML to the rendered-HTML check
    messages = [str(p) for p in safety.body_problems(Path("notes/compute/here.md"), body, 10, safety.renderer())]
    assert sorted(messages) == [
        "notes/compute/here.md:10: html: HTML element <script> is not allowed",
        "notes/compute/here.md:11: html: event-handler attribute onerror= is not allowed",
        "notes/compute/here.md:12: html: javascript: URLs are not allowed (href= on <a>)",
        "notes/compute/here.md:13: html: javascript: URLs are not allowed (href= on <a>)",
        "notes/compute/here.md:14: html: HTML element <iframe> is not allowed",
    ]


def test_wikilinks_to_chart_pages():
    out = run("See [[chart:known]] and [[chart:known|the chart]]; [[chart:nope]].\n")
    assert "See [Training compute](../charts/known.md) and [the chart](../charts/known.md)" in out.markdown
    assert [str(p) for p in out.problems] == ["notes/compute/here.md:10: wikilink: [[chart:nope]]: unknown chart id 'nope'"]
