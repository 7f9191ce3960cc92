"""Error messages quote a bad value by its first 80 characters, with an ellipsis and its length."""

from __future__ import annotations

import re

from landscape.config import SiteConfig
from landscape import pipeline
from landscape.notes import Layer
from landscape.problems import shorten

LAYERS = [Layer(i, i.title(), "") for i in ("compute", "data", "algorithms", "systems", "products")]

TABLE = """\
id: long
title: A table
description: What is computed.
sources:
  s1: {{title: A source, url: "https://example.org/s"}}
inputs:
  - {{name: compute, label: Compute, value: 1e20, unit: FLOP, source: s1}}
outputs:
  - {{name: out, label: Out, formula: "{formula}", unit: {unit}, digits: 3}}
"""


def test_shorten_keeps_short_values_and_cuts_long_ones():
    assert shorten("compute * 2") == "'compute * 2'"
    assert shorten(42) == "42"
    long = "x" * 10_000
    cut = shorten(long)
    assert cut.startswith("'xxxx") and cut.endswith("… (10,000 characters)")
    assert len(cut) < 110


def test_a_10000_character_formula_is_quoted_short(kb):
    formula = "compute * 2 + " * 714 + "compute"
    assert len(formula) > 9_990
    kb.write("charts/tables/long.yaml", TABLE.format(formula=formula, unit="FLOP"))
    found = [str(p) for p in pipeline.check(kb.root, SiteConfig.of_layers(LAYERS)).problems]
    assert len(found) == 1, found
    message = found[0]
    assert re.search(r"charts/tables/long\.yaml:9: outputs\[0\]\.formula: 'compute \* 2 \+ .*… \(10,\d{3} characters\): formula is 10,\d{3} characters long; at most 2,000 are allowed$", message), message
    assert len(message.split(".yaml:9: ", 1)[1]) < 200


def test_long_values_elsewhere_are_cut_too(kb):
    name = "y" * 10_000
    kb.write("charts/tables/long.yaml", TABLE.format(formula=f"compute * {name}", unit="FLOP"))
    kb.write("charts/tables/unit.yaml", TABLE.format(formula="compute * 2", unit="z" * 10_000).replace("id: long", "id: unit"))
    found = [str(p) for p in pipeline.check(kb.root, SiteConfig.of_layers(LAYERS)).problems]
    assert len(found) == 2, found
    for message in found:
        text = message.split(".yaml:9: ", 1)[1]
        assert len(text) < 360 and "… (10,0" in text, message
