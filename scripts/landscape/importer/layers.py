"""Which layer an imported note belongs to, suggested from keywords: each layer's own (``keywords:`` of the
layer in mkdocs.yml, Layer.keywords) unless a mapping of layer id -> words is given, plus the words of the
layer's title and summary."""

from __future__ import annotations

import re
from typing import Mapping

from ..notes import Layer

Keywords = Mapping[str, tuple[str, ...]]  # layer id -> words
_STOPWORDS = frozenset("the and from with that this them their they into over what which about there other how much "
                       "built behind trends".split())


def layer_keywords(layer: Layer, keywords: Keywords | None = None) -> tuple[str, ...]:
    given = layer.keywords if keywords is None else keywords.get(layer.id, ())
    own = {w for w in re.findall(r"[a-z][a-z\-]{3,}", f"{layer.title} {layer.summary}".lower()) if w not in _STOPWORDS}
    return tuple(sorted(set(given) | own))


def suggest_layer(title: str, body: str, layers: list[Layer], keywords: Keywords | None = None) -> tuple[str, dict[str, int]]:
    """The layer whose keywords (see layer_keywords) occur most often (title words count three times); ties
    go to the layer listed first in mkdocs.yml."""
    text_title, text_body = title.lower(), body.lower()
    scores: dict[str, int] = {}
    for layer in layers:
        score = 0
        for word in layer_keywords(layer, keywords):
            pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")
            score += 3 * len(pattern.findall(text_title)) + len(pattern.findall(text_body))
        scores[layer.id] = score
    best = max(layers, key=lambda layer: scores[layer.id]).id  # max keeps the first of equals
    return best, scores
