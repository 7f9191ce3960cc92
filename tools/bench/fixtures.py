"""Synthetic knowledge bases in the project's formats: notes, datasets, charts (``generate``)."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from landscape.notes import note_file

CHARTS_FOR_SIZE = {100: 20, 1000: 100, 5000: 200}
ROWS_PER_DATASET = 300
CHARTS_PER_DATASET = 5
LAYER_IDS = ("compute", "data", "algorithms", "systems", "products")

WORDS = (
    "model training compute data tokens parameters accelerator chip memory bandwidth cluster inference "
    "latency throughput cost energy price scaling law loss benchmark dataset corpus quality filter "
    "deduplication efficiency algorithm architecture transformer attention context window serving batch "
    "cache precision quantisation distillation fine-tuning evaluation release adoption market revenue "
    "users product interface agent tool retrieval search code reasoning safety policy export supply "
    "fab wafer node package interconnect network rack power cooling site grid demand growth trend "
    "estimate forecast uncertainty range median share frontier open weights licence api pricing "
    "provider platform enterprise consumer survey measurement source paper report figure series"
).split()
TOPICS = (
    "GPU memory bandwidth", "training cost", "inference price", "data quality", "scaling law",
    "algorithmic progress", "chip supply", "energy use", "model adoption", "open weights",
    "context length", "serving latency", "token budget", "benchmark saturation", "export controls",
    "cluster size", "fine-tuning cost", "retrieval systems", "agent tools", "compute forecast",
)
PUBLISHERS = ("Example Institute", "Example University", "Example Labs", "Example Research", "Example Agency")
CATEGORIES = ("Language", "Vision", "Multimodal", "Speech", "Games", "Biology")


@dataclass(frozen=True)
class Size:
    notes: int
    charts: int

    @property
    def datasets(self) -> int:
        return max(1, -(-self.charts // CHARTS_PER_DATASET))


def size_for(notes: int) -> Size:
    """The chart count of a size: 20 / 100 / 200 for 100 / 1,000 / 5,000 notes, else one per five notes."""
    charts = CHARTS_FOR_SIZE.get(notes, max(1, min(200, notes // 5)))
    return Size(notes, charts)


@dataclass
class Generated:
    root: Path
    slugs: list[str]  # every note's "layer/slug"
    titles: list[str]
    chart_ids: list[str]
    dataset_ids: list[str]
    plain_note: str  # "layer/slug" of a note that embeds no chart
    chart_note: str  # "layer/slug" of a note that embeds a chart
    note_bytes: int


def _sentence(rng: random.Random, low: int = 8, high: int = 20) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def note_text(index: int, size: Size, rng: random.Random, slugs: list[str], titles: list[str], chart: str | None) -> str:
    """One synthetic note: front matter (title, summary, tags, sources, date), about 2.5 KB of prose
    with wikilinks by slug and by title, a figures list, an occasional callout and maybe a chart."""
    source_pool = max(20, size.notes // 2)
    sources = []
    for number in sorted(rng.sample(range(source_pool), rng.randint(1, 3))):
        sources.append({
            "title": f"Synthetic source {number}: {TOPICS[number % len(TOPICS)]}",
            "url": f"https://example.org/sources/{number}",
            "publisher": PUBLISHERS[number % len(PUBLISHERS)],
            "date": dt.date(2020 + number % 6, 1 + number % 12, 1 + number % 28),
        })
    meta = {
        "title": titles[index],
        "summary": " ".join(_sentence(rng, 10, 18).split()),
        "tags": sorted(rng.sample([f"tag-{n}" for n in range(80)], rng.randint(2, 4))),
        "sources": sources,
        "updated": dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 1000)),
    }
    others = [i for i in rng.sample(range(size.notes), min(size.notes, 5)) if i != index][:4]
    links = []
    for n, other in enumerate(others):
        slug = slugs[other].split("/")[1]
        links.append(f"[[{slug}]]" if n % 2 == 0 else f"[[{titles[other]}|{rng.choice(WORDS)} note]]")
    body = [_paragraph(rng, 3) + f" See {links[0]} for the background." if links else _paragraph(rng, 3)]
    body.append(_paragraph(rng, 4) + (f" Compare {' and '.join(links[1:3])}." if len(links) > 2 else ""))
    body.append("## Figures\n\n" + "\n".join(
        f"- {rng.choice(WORDS).capitalize()}: {rng.randint(2, 900)} {rng.choice(('GW', 'USD', 'FLOP', 'tokens', 'ms'))} "
        f"({2018 + rng.randint(0, 7)}, source {1 + n})" for n in range(rng.randint(2, 4))
    ))
    if chart:
        body.append(f"{{{{chart {chart}}}}}")
    body.append(_paragraph(rng, 4))
    if index % 7 == 0:
        body.append(f"> [!warning] Where it stops holding\n> {_sentence(rng)}")
    body.append("## What it means\n\n" + _paragraph(rng, 3) + (f" More in {links[-1]}." if links else ""))
    return note_file(meta, "\n\n".join(body) + "\n")


def dataset_text(ident: str, number: int, rows: int, rng: random.Random) -> str:
    """A dataset in the project's format: typed columns with units, two sources, one per row, some ranges."""
    lines = [
        f"id: {ident}",
        f"title: Synthetic models {number}",
        "description: Synthetic rows for the benchmark; one row is one model.",
        "licence: CC BY 4.0",
        "credit: Synthetic data",
        "sources:",
        "  main: {title: Synthetic database, url: https://example.org/data, publisher: Example Institute, date: 2025-01-01}",
        "  extra: {title: Synthetic papers, url: https://example.org/papers, publisher: Example University, date: 2024-06-01}",
        "columns:",
        "  - {name: model, type: string, description: Model name}",
        "  - {name: released, type: date, description: Publication date}",
        "  - {name: category, type: string, description: Domain}",
        "  - {name: compute, type: number, unit: FLOP, description: Training compute}",
        "  - {name: params, type: number, unit: parameter, description: Parameters}",
        "  - {name: cost, type: number, unit: USD, description: Training cost}",
        "  - {name: open, type: boolean, description: Weights published}",
        "rows:",
    ]
    for row in range(rows):
        released = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randint(0, 5400))
        years = (released - dt.date(2010, 1, 1)).days / 365.25
        compute = 10 ** (17 + years * 0.55 + rng.uniform(-1.0, 1.0))
        cost = compute / 10 ** rng.uniform(16.5, 17.5)
        cost_text = (
            f"{{low: {cost * 0.5:.3g}, central: {cost:.3g}, high: {cost * 2:.3g}}}" if row % 9 == 0 else f"{cost:.3g}"
        )
        reference = f", reference: https://example.org/papers/{number}-{row}" if row % 3 == 0 else ""
        lines.append(
            f"  - {{model: Model {number}-{row}, released: {released.isoformat()}, category: {CATEGORIES[row % len(CATEGORIES)]}, "
            f"compute: {compute:.3e}, params: {10 ** rng.uniform(6, 12):.3e}, cost: {cost_text}, open: {str(row % 4 == 0).lower()}, "
            f"source: {'main' if row % 5 else 'extra'}{reference}}}"
        )
    return "\n".join(lines) + "\n"


def chart_text(ident: str, number: int, dataset: str) -> str:
    """A point chart on a log axis coloured by category; every other chart has a trend fit."""
    threshold = 1e17 * 10 ** (number % 4)
    text = (
        f"id: {ident}\n"
        f"title: Synthetic chart {number}\n"
        "subtitle: Log scale\n"
        f"caption: Training compute of synthetic models above {threshold:.0e} FLOP, by publication date.\n"
        "alt: A scatter plot of training compute against publication date, rising over time.\n"
        "x: {title: Publication date, type: temporal}\n"
        "y: {title: Training compute (FLOP), type: quantitative, scale: log}\n"
        "layers:\n"
        f"  - dataset: {dataset}\n"
        "    mark: point\n"
        "    x: released\n"
        "    y: compute\n"
        "    color: category\n"
        "    tooltip: [model, released, compute, category]\n"
        f"    filter: [{{field: compute, op: '>', value: {threshold:.0e}}}]\n"
    )
    if number % 2 == 0:
        text += (
            "trends:\n"
            "  - {id: all, label: All models, layer: 0, from: 2012-01-01, to: 2024-12-31}\n"
        )
    return text


def generate(root: Path, size: Size, project: Path, seed: int = 7) -> Generated:
    """Write a synthetic knowledge base of ``size`` into ``root`` (mkdocs.yml and docs/ from ``project``)."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copy(project / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(project / "docs", root / "docs")
    for layer in LAYER_IDS:
        (root / "notes" / layer).mkdir(parents=True)
    (root / "charts" / "data").mkdir(parents=True)
    (root / "charts" / "tables").mkdir(parents=True)

    dataset_ids = [f"synthetic-{n:03d}" for n in range(size.datasets)]
    for number, ident in enumerate(dataset_ids):
        (root / "charts" / "data" / f"{ident}.yaml").write_text(dataset_text(ident, number, ROWS_PER_DATASET, rng), "utf-8")
    chart_ids = [f"chart-{n:03d}" for n in range(size.charts)]
    for number, ident in enumerate(chart_ids):
        (root / "charts" / f"{ident}.yaml").write_text(chart_text(ident, number, dataset_ids[number // CHARTS_PER_DATASET]), "utf-8")

    slugs = [f"{LAYER_IDS[i % len(LAYER_IDS)]}/{TOPICS[i % len(TOPICS)].lower().replace(' ', '-')}-{i:05d}" for i in range(size.notes)]
    titles = [f"{TOPICS[i % len(TOPICS)].capitalize()} note {i}" for i in range(size.notes)]
    # every chart is embedded by one note (every third note, from the second on), the rest embed none
    embeds = {1 + 3 * n: chart_ids[n] for n in range(size.charts) if 1 + 3 * n < size.notes}
    total = 0
    for index, slug in enumerate(slugs):
        text = note_text(index, size, rng, slugs, titles, embeds.get(index))
        total += len(text.encode("utf-8"))
        (root / "notes" / f"{slug}.md").write_text(text, "utf-8")
    plain = next(slugs[i] for i in range(size.notes) if i not in embeds)
    with_chart = slugs[min(embeds)] if embeds else plain
    return Generated(root, slugs, titles, chart_ids, dataset_ids, plain, with_chart, total)

