"""Which layer an imported note belongs to, suggested from keywords."""

from __future__ import annotations

import re
from typing import Mapping

from ..notes import Layer


# Keywords a note on each of the five standard layers tends to use: the default of the ``keywords``
# parameter (layer id -> words). Layers without keywords (another knowledge base) are scored on the words
# of their title and summary in mkdocs.yml only.
LAYER_KEYWORDS: Mapping[str, tuple[str, ...]] = {
    "compute": ("gpu", "gpus", "tpu", "tpus", "chip", "chips", "asic", "asics", "fpga", "hardware", "semiconductor",
                "transistor", "transistors", "nvidia", "amd", "v100", "a100", "h100", "tflops", "flop/s",
                "price-performance", "moore", "compute density", "accelerator", "accelerators", "memory bandwidth"),
    "data": ("data", "dataset", "datasets", "corpus", "tokens", "common crawl", "labeled", "labelled", "scraping",
             "synthetic data", "data-pruning", "data pruning", "run out of data", "stock of data", "text data"),
    "algorithms": ("algorithm", "algorithms", "algorithmic", "scaling law", "scaling laws", "llm", "llms",
                   "language model", "language models", "transformer", "transformers", "perplexity", "grokking",
                   "emergence", "emergent", "bioanchors", "biological anchors", "forecast", "parameters",
                   "compute trends", "training compute", "doubling", "architecture", "attention", "prompting",
                   "prompt", "efficiency", "fine-tune", "fine-tuning"),
    "systems": ("api", "apis", "inference", "serving", "latency", "training cost", "cost", "costs", "energy", "mwh",
                "kwh", "twh", "power", "emissions", "co2", "carbon", "pue", "watts", "deployment", "data center",
                "data centers", "datacenter", "infrastructure", "cloud"),
    "products": ("product", "products", "users", "startup", "startups", "market", "adoption", "chatgpt",
                 "midjourney", "copilot", "app", "apps", "customers", "newsletter", "company", "companies",
                 "revenue", "china", "export", "games", "consumer"),
}
_STOPWORDS = frozenset("the and from with that this them their they into over what which about there other how much "
                       "built behind trends".split())


def layer_keywords(layer: Layer, keywords: Mapping[str, tuple[str, ...]] = LAYER_KEYWORDS) -> tuple[str, ...]:
    own = {w for w in re.findall(r"[a-z][a-z\-]{3,}", f"{layer.title} {layer.summary}".lower()) if w not in _STOPWORDS}
    return tuple(sorted(set(keywords.get(layer.id, ())) | own))


def suggest_layer(title: str, body: str, layers: list[Layer],
                  keywords: Mapping[str, tuple[str, ...]] = LAYER_KEYWORDS) -> tuple[str, dict[str, int]]:
    """The layer whose keywords (``keywords`` by layer id, plus the words of the layer's title and summary)
    occur most often (title words count three times); ties go to the layer listed first in mkdocs.yml."""
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
