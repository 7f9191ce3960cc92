"""The performance benchmark (`make bench`): synthetic knowledge bases, built and measured.

For each size (notes, charts) it writes a synthetic knowledge base in the project's formats into a
temporary folder (with this project's mkdocs.yml and docs/), then measures:

- the build, cold (no chart cache) and warm (chart cache kept): wall and CPU seconds, peak memory,
  output and search-index size, charts rendered and taken from the cache;
- a plain Material build of the same generated Markdown with the same settings and navigation
  (generator overhead = landscape warm build / plain build);
- Zensical, as a peer, building the same Markdown with stock Material settings (its own venv);
- page weight (bytes, gzip bytes, JavaScript included) of the home page, a note without a chart and a
  chart page;
- under `mkdocs serve`: seconds from saving a note, and a dataset, to the rebuilt page being served;
- the search index (Pagefind, run by the plugin after each build): seconds, pages, index and bundle size;
- in Chromium, on a fresh page: milliseconds from opening search (its script loads then) and entering a
  query to the first result shown, then for a second query, and the bytes of index a query fetched.

It prints the figures with the targets of issue 7 and writes them as JSON into bench-results/.
Figures are measurements of one run on one machine: compare runs on the same machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.server
import json
import os
import platform
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, field
from functools import partial
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable, Sequence

import yaml

DEFAULT_SIZES = (100, 1000, 5000)
CHARTS_FOR_SIZE = {100: 20, 1000: 100, 5000: 200}
ROWS_PER_DATASET = 300
CHARTS_PER_DATASET = 5
LAYER_IDS = ("compute", "data", "algorithms", "systems", "products")
CHROMIUM = Path("/usr/bin/chromium")
LOG_LINE = re.compile(r"landscape: (\d+) generated files; charts rendered (\d+), from cache (\d+); (.*)")
SEARCH_LINE = re.compile(r"landscape: search index of (\d+) pages, (\d+) words, (\d+) filters in ([\d.]+)s")
SEARCH_INDEX_PARTS = ("filter", "fragment", "index")  # with *.pf_meta and pagefind-entry.json: the index itself

# Targets from issue 7, checked (and printed) against the figures.
TARGET_REAL_WARM_S = 5.0
TARGET_1000_WARM_S = 10.0
TARGET_1000_OUTPUT_MB = 50.0
TARGET_GROWTH_5000_OVER_1000 = 5.5
TARGET_OVERHEAD = 1.3
# Targets from issue 11 (search at 5,000 notes; page weight).
TARGET_FIRST_RESULT_MS = 500
TARGET_SECOND_QUERY_MS = 100
TARGET_NOTE_GZIP_KB = 68.0


# ----------------------------------------------------------------------------- synthetic content

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
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front}---\n\n" + "\n\n".join(body) + "\n"


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


# ----------------------------------------------------------------------------- running builds


@dataclass
class Run:
    """One child process: wall and CPU seconds, peak memory, exit status, output."""

    command: list[str]
    wall_s: float
    cpu_s: float
    peak_mb: float
    returncode: int
    stderr_tail: str = ""
    timed_out: bool = False
    log: str = field(default="", repr=False)


def bench_env(cache: Path) -> dict[str, str]:
    """The environment of every build: bytecode cached (as on a normal machine) under the bench's cache,
    never in the source tree; reproducible timestamps; Material's MkDocs 2 notice off."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache / "pycache")
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def run_measured(command: Sequence[str], cwd: Path, env: dict[str, str], timeout: float | None = None) -> Run:
    """Run a command; its peak memory and CPU time come from wait4's resource usage (RUSAGE_CHILDREN
    of that one child), so each run is measured alone."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        timed_out = False
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                process.kill()
                timed_out = True
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        log = out.read().decode("utf-8", "replace")
    return Run(
        command=list(command), wall_s=round(wall, 3), cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        peak_mb=round(usage.ru_maxrss / 1024, 1), returncode=process.returncode,
        stderr_tail="\n".join(log.strip().splitlines()[-15:]) if process.returncode else "",
        timed_out=timed_out, log=log,
    )


def mkdocs_build(root: Path, site: Path, env: dict[str, str]) -> Run:
    return run_measured([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)], root, env)


@dataclass
class Build:
    wall_s: float
    cpu_s: float
    peak_mb: float
    output_mb: float
    search_index_mb: float
    pages: int
    charts_rendered: int | None
    charts_cached: int | None
    stage_s: dict[str, float]
    ok: bool
    error: str = ""
    search_index_s: float | None = None  # Pagefind's run after the build
    search_pages: int = 0
    search_bundle_mb: float = 0.0  # the whole pagefind/ folder: index, search script, wasm, UI


def search_index_bytes(bundle: Path) -> int:
    """Bytes of the Pagefind index proper (chunks, fragments, filters, meta), not its scripts and UI."""
    if not bundle.is_dir():
        return 0
    parts = [bundle / "pagefind-entry.json", *bundle.glob("*.pf_meta")]
    for name in SEARCH_INDEX_PARTS:
        parts += [p for p in (bundle / name).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in parts if p.is_file())


def best_of(times: int, build: Callable[[], Build]) -> Build:
    """The fastest (by wall time) of ``times`` builds: the machine's other load only ever adds time."""
    runs = [build() for _ in range(max(1, times))]
    return min(runs, key=lambda b: (not b.ok, b.wall_s))


def warm_up(project: Path, work: Path, cache: Path) -> None:
    """One unmeasured build of a tiny knowledge base, so that no measured build pays for compiling
    Python bytecode or for fetching the Vega bundle."""
    kb = generate(work / "warm-up", Size(5, 1), project)
    mkdocs_build(kb.root, kb.root / "site", bench_env(cache))
    shutil.rmtree(kb.root, ignore_errors=True)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def describe_build(run: Run, site: Path) -> Build:
    match = LOG_LINE.search(run.log)
    stages: dict[str, float] = {}
    if match:
        for part in match.group(4).split(", "):
            name, _, seconds = part.rpartition(" ")
            if seconds.endswith("s"):
                stages[name] = float(seconds[:-1])
    searched = SEARCH_LINE.search(run.log)
    bundle = site / "pagefind"
    ok = run.returncode == 0
    return Build(
        wall_s=run.wall_s, cpu_s=run.cpu_s, peak_mb=run.peak_mb,
        output_mb=round(folder_bytes(site) / 1e6, 2) if ok else 0.0,
        search_index_mb=round(search_index_bytes(bundle) / 1e6, 2) if ok else 0.0,
        pages=sum(1 for _ in site.rglob("index.html")) if ok else 0,
        charts_rendered=int(match.group(2)) if match else None,
        charts_cached=int(match.group(3)) if match else None,
        stage_s=stages, ok=ok, error=run.stderr_tail,
        search_index_s=float(searched.group(4)) if searched else None,
        search_pages=int(searched.group(1)) if searched else 0,
        search_bundle_mb=round(folder_bytes(bundle) / 1e6, 2) if ok and bundle.is_dir() else 0.0,
    )


# ----------------------------------------------------------------------------- plain Material and Zensical


def plain_docs(root: Path, target: Path) -> Path:
    """The knowledge base at ``root`` as the folder emitter writes it (landscape build --out): every page
    and asset as plain files with a mkdocs.yml without the landscape plugin, for plain Material and Zensical."""
    from .folder import write_tree

    if target.exists():
        shutil.rmtree(target)
    write_tree(root, target)
    return target


def zensical_config(plain: Path, target: Path) -> Path:
    """The same Markdown for Zensical with stock Material settings: default theme features, no nav
    (so every page is in the navigation), the project's Markdown extensions so pages render alike."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(plain / "docs", target / "docs", ignore=shutil.ignore_patterns("*.ipynb"))
    project = yaml.load((plain / "mkdocs.yml").read_text("utf-8"), Loader=yaml.SafeLoader)
    config = {
        "site_name": "Benchmark",
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": {"name": "material"},
        "markdown_extensions": project.get("markdown_extensions", []),
        "exclude_docs": project.get("exclude_docs", ""),
    }
    (target / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    return target


def zensical_binary(cache: Path, log: Callable[[str], None]) -> Path | None:
    """Zensical in its own venv under the bench cache (``python -m venv`` + ``pip install zensical``)."""
    venv = cache / "zensical-venv"
    binary = venv / "bin" / "zensical"
    if binary.is_file():
        return binary
    log(f"installing zensical into {venv} ...")
    python = shutil.which("python3.11") or sys.executable
    steps = [[python, "-m", "venv", str(venv)], [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "zensical"]]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True)
        if result.returncode != 0:
            log(f"cannot install zensical: {' '.join(step)}: {result.stderr.strip()[-400:]}")
            return None
    return binary if binary.is_file() else None


def zensical_version(binary: Path) -> str:
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return result.stdout.strip() or result.stderr.strip()


# ----------------------------------------------------------------------------- page weight


class _Refs(HTMLParser):
    """Scripts, stylesheets, images and the chart loader's runtime fetches referenced by a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.images: list[str] = []
        self.runtime: list[str] = []  # fetched by the chart loader: the Vega bundle and the chart's spec
        self.inline_js = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "link" and "stylesheet" in a.get("rel", "") and a.get("href"):
            self.styles.append(a["href"])
        elif tag == "img" and a.get("src") and "lc-chart__img--dark" not in a.get("class", ""):
            self.images.append(a["src"])
        for key in ("data-lc-bundle", "data-lc-spec"):
            if a.get(key):
                self.runtime.append(a[key])


def _local(page_dir: Path, site: Path, ref: str) -> Path | None:
    ref = ref.split("#")[0].split("?")[0]
    if not ref or re.match(r"^[a-z]+:", ref):
        return None
    path = (site / ref.lstrip("/")) if ref.startswith("/") else (page_dir / ref)
    path = path.resolve()
    return path if path.is_file() else None


def page_weight(site: Path, page: Path) -> dict[str, Any]:
    """Bytes and gzip bytes of a page: HTML, CSS, JavaScript (static scripts and what the chart loader
    fetches at run time: the Vega bundle and the spec), and light-scheme images."""
    html = page.read_bytes()
    refs = _Refs()
    refs.feed(html.decode("utf-8", "replace"))
    parts: dict[str, list[Path]] = {"css": [], "js": [], "runtime_js": [], "images": []}
    for key, items in (("css", refs.styles), ("js", refs.scripts), ("runtime_js", refs.runtime), ("images", refs.images)):
        for ref in dict.fromkeys(items):
            path = _local(page.parent, site, ref)
            if path is not None:
                parts[key].append(path)
    weight: dict[str, Any] = {"html": {"bytes": len(html), "gzip": len(gzip.compress(html, 6))}}
    total, total_gz = len(html), weight["html"]["gzip"]
    for key, files in parts.items():
        data = [f.read_bytes() for f in files]
        raw, gz = sum(len(d) for d in data), sum(len(gzip.compress(d, 6)) for d in data)
        weight[key] = {"bytes": raw, "gzip": gz, "files": len(files)}
        total, total_gz = total + raw, total_gz + gz
    weight["total"] = {"bytes": total, "gzip": total_gz}
    weight["loads_vega"] = any("vega" in p.name for p in parts["js"] + parts["runtime_js"])
    return weight


def page_path(site: Path, layer_slug: str) -> Path:
    return site / layer_slug / "index.html"


# ----------------------------------------------------------------------------- serve: save to page


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, TimeoutError):
        return None


def _wait_for(url: str, needle: str, timeout: float, poll: float = 0.1) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = _fetch(url)
        if text is not None and needle in text:
            return time.perf_counter() - start
        time.sleep(poll)
    return None


def serve_latency(kb: Generated, env: dict[str, str], timeout: float, log: Callable[[str], None]) -> dict[str, Any]:
    """Start `mkdocs serve` on a free 127.0.0.1 port, save a note and then a dataset, and time until the
    rebuilt page holds the change (polling every 0.1 s)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"]  # as make serve runs it
    result: dict[str, Any] = {"port": port}
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=kb.root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            started = _wait_for(base, "<html", timeout)
            result["first_build_s"] = None if started is None else round(started, 2)
            if started is None:
                out.seek(0)
                result["error"] = out.read().decode("utf-8", "replace")[-1500:]
                return result
            time.sleep(1.0)  # let the watcher settle before the first change
            marker = f"benchmark-marker-{time.time_ns()}"
            note = kb.root / "notes" / f"{kb.plain_note}.md"
            note.write_text(note.read_text("utf-8") + f"\nSaved by the benchmark: {marker}.\n", "utf-8")
            seconds = _wait_for(base + kb.plain_note + "/", marker, timeout)
            result["note_save_to_page_s"] = None if seconds is None else round(seconds, 2)
            log(f"  serve: note saved -> page {result['note_save_to_page_s']} s")
            dataset_id = kb.dataset_ids[0]
            path = kb.root / "charts" / "data" / f"{dataset_id}.yaml"
            marker = f"Renamed{time.time_ns()}"
            path.write_text(path.read_text("utf-8").replace("model: Model 0-0,", f"model: {marker},", 1), "utf-8")
            seconds = _wait_for(base + f"datasets/{dataset_id}/", marker, timeout)
            result["dataset_save_to_page_s"] = None if seconds is None else round(seconds, 2)
            log(f"  serve: dataset saved -> page {result['dataset_save_to_page_s']} s")
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    return result


# ----------------------------------------------------------------------------- search in the browser


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


SEARCH_RUNS = 3  # fresh pages; the fastest counts (the machine's other load only ever adds time)
# In the page: from the click on the search button (or from entering a query) to the first result link
# of that query in the DOM, timed with performance.now() (no browser-driver overhead in the figure).
_TIME_TO_RESULT = r"""async ({ query, click }) => {
  const start = performance.now();
  const shown = () => { const s = (document.querySelector('pagefind-summary')?.textContent || '').trim();
    return s.includes(query) && /^[\d,.\s]+ results? for/.test(s) && !!document.querySelector('pagefind-results a.pf-result-link'); };
  let opened = null;
  if (click) {
    document.querySelector('[data-lsc-search-open]').click();
    await new Promise(r => { const t = () => document.querySelector('pagefind-modal dialog[open] input.pf-input') ? r() : requestAnimationFrame(t); t(); });
    opened = performance.now() - start;
  }
  const input = document.querySelector('pagefind-modal input.pf-input');
  input.value = query;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise((resolve, reject) => {
    const done = () => { if (shown()) { observer.disconnect(); resolve(); } };
    const observer = new MutationObserver(done);
    observer.observe(document.querySelector('pagefind-modal'), { childList: true, subtree: true, characterData: true });
    setTimeout(() => reject(new Error('no result for ' + query)), 60000);
    done();
  });
  return { opened, result: performance.now() - start };
}"""


def _one_search(browser: Any, url: str, site: Path, first: str, second: str) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url) if "/pagefind/" in request.url else None)

    def kb(urls: list[str]) -> float:
        files = [site / urllib.parse.urlparse(u).path.lstrip("/") for u in urls]
        return round(sum(f.stat().st_size for f in files if f.is_file()) / 1000, 1)

    try:
        page.goto(url, wait_until="load")
        page.wait_for_timeout(300)
        before = len(fetched)
        one = page.evaluate(_TIME_TO_RESULT, {"query": first, "click": True})
        titles = page.locator("pagefind-results a.pf-result-link").all_inner_texts()
        mark = len(fetched)
        two = page.evaluate(_TIME_TO_RESULT, {"query": second, "click": False})
        page.wait_for_timeout(200)
        return {
            "open_ms": round(one["opened"]), "first_result_ms": round(one["result"]), "second_query_ms": round(two["result"]),
            "first_hit": bool(titles) and titles[0].strip() == first, "requests_before_open": before,
            "first_query_kb": kb(fetched[before:mark]), "second_query_kb": kb(fetched[mark:]),
        }
    finally:
        context.close()


def search_latency(site: Path, first: str, second: str) -> dict[str, Any]:
    """Serve ``site``; in Chromium, on a fresh page, open search from the header (its script and stylesheet
    load then), enter ``first`` and time until its first result shows, then ``second``. The times include
    the search box's debounce (60 ms after the last keystroke). The fastest of SEARCH_RUNS fresh pages."""
    if not CHROMIUM.exists():
        return {"skipped": "no /usr/bin/chromium"}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright is not installed"}
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
            runs = [_one_search(browser, url, site, first, second) for _ in range(SEARCH_RUNS)]
            browser.close()
    finally:
        server.shutdown()
    best = min(runs, key=lambda r: r["first_result_ms"])
    return {"query": first, "second_query": second, **best,
            "second_query_ms": min(r["second_query_ms"] for r in runs),
            "runs_first_result_ms": [r["first_result_ms"] for r in runs]}


# ----------------------------------------------------------------------------- one size


def measure_size(size: Size, args: argparse.Namespace, project: Path, work: Path, cache: Path, log: Callable[[str], None]) -> dict[str, Any]:
    env = bench_env(cache)
    log(f"== {size.notes} notes, {size.charts} charts, {size.datasets} datasets of {ROWS_PER_DATASET} rows")
    started = time.perf_counter()
    kb = generate(work / f"kb-{size.notes}", size, project, seed=args.seed)
    log(f"  generated in {time.perf_counter() - started:.1f} s ({kb.note_bytes / size.notes / 1000:.1f} KB a note)")
    result: dict[str, Any] = {"notes": size.notes, "charts": size.charts, "datasets": size.datasets,
                              "rows_per_dataset": ROWS_PER_DATASET, "note_kb_mean": round(kb.note_bytes / size.notes / 1000, 2)}
    site = kb.root / "site"
    shutil.rmtree(kb.root / ".cache", ignore_errors=True)
    cold = describe_build(mkdocs_build(kb.root, site, env), site)
    log(f"  cold build: {cold.wall_s} s wall, {cold.cpu_s} s CPU, {cold.peak_mb} MB peak, charts rendered {cold.charts_rendered}")
    if not cold.ok:
        result["error"] = cold.error
        log(cold.error)
        return result
    warm = best_of(args.repeat, lambda: describe_build(mkdocs_build(kb.root, site, env), site))
    log(f"  warm build: {warm.wall_s} s wall, {warm.cpu_s} s CPU, charts from cache {warm.charts_cached}")
    log(f"  search index: {warm.search_pages} pages in {warm.search_index_s} s, index {warm.search_index_mb} MB, bundle {warm.search_bundle_mb} MB")
    result["cold"], result["warm"] = asdict(cold), asdict(warm)
    result["ms_per_note_warm"] = round(warm.wall_s * 1000 / size.notes, 1)
    result["page_weight"] = {
        "home": page_weight(site, site / "index.html"),
        "note_without_chart": page_weight(site, page_path(site, kb.plain_note)),
        "note_with_chart": page_weight(site, page_path(site, kb.chart_note)),
        "chart_page": page_weight(site, site / "charts" / kb.chart_ids[0] / "index.html"),
    }

    if not args.no_plain:
        plain = plain_docs(kb.root, work / f"plain-{size.notes}")
        plain_run = best_of(args.repeat, lambda: describe_build(mkdocs_build(plain, plain / "site", env), plain / "site"))
        result["plain_material"] = asdict(plain_run)
        if plain_run.ok:
            result["overhead_wall"] = round(warm.wall_s / plain_run.wall_s, 2)
            result["overhead_cpu"] = round(warm.cpu_s / plain_run.cpu_s, 2)
        log(f"  plain Material: {plain_run.wall_s} s wall, {plain_run.cpu_s} s CPU -> overhead x{result.get('overhead_wall')} wall, x{result.get('overhead_cpu')} CPU")
        want_zensical = not args.no_zensical and (size.notes < 5000 or args.zensical_5000)
        if want_zensical and plain_run.ok:
            result["zensical"] = run_zensical(plain, work / f"zensical-{size.notes}", cache, args.zensical_timeout, log)
        shutil.rmtree(plain, ignore_errors=True)

    if not args.no_browser:
        try:
            result["search"] = search_latency(site, kb.titles[-1], kb.titles[len(kb.titles) // 2])
        except Exception as exc:  # a browser failure must not lose the other figures
            result["search"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        log(f"  search: {result['search']}")
    if not args.no_serve:
        result["serve"] = serve_latency(kb, env, args.serve_timeout, log)
    if not args.keep:
        shutil.rmtree(kb.root, ignore_errors=True)
    return result


def run_zensical(plain: Path, target: Path, cache: Path, timeout: float, log: Callable[[str], None]) -> dict[str, Any]:
    binary = zensical_binary(cache, log)
    if binary is None:
        return {"skipped": "zensical could not be installed"}
    folder = zensical_config(plain, target)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    out: dict[str, Any] = {"version": zensical_version(binary), "timeout_s": timeout}
    for label, command in (("cold", [str(binary), "build", "--clean"]), ("warm", [str(binary), "build"])):
        run = run_measured(command, folder, env, timeout=timeout)
        site = folder / "site"
        out[label] = {"wall_s": run.wall_s, "cpu_s": run.cpu_s, "peak_mb": run.peak_mb, "ok": run.returncode == 0 and not run.timed_out,
                      "timed_out": run.timed_out, "output_mb": round(folder_bytes(site) / 1e6, 2) if site.is_dir() else 0.0}
        if run.returncode and not run.timed_out:
            out[label]["error"] = run.log.strip()[-800:]
        log(f"  zensical {label}: {run.wall_s} s wall{' (time limit)' if run.timed_out else ''}, output {out[label]['output_mb']} MB")
        if run.timed_out:
            break
    shutil.rmtree(folder, ignore_errors=True)
    return out


def measure_real_site(project: Path, work: Path, cache: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """The project's own knowledge base, copied into the work folder, built cold and warm."""
    root = work / "real"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir()
    for name in ("mkdocs.yml", "notes", "charts", "docs"):
        source = project / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    env = bench_env(cache)
    site = root / "site"
    cold = describe_build(mkdocs_build(root, site, env), site)
    warm = best_of(2, lambda: describe_build(mkdocs_build(root, site, env), site))
    log(f"== real site: cold {cold.wall_s} s wall ({cold.cpu_s} s CPU), warm {warm.wall_s} s wall ({warm.cpu_s} s CPU), "
        f"{warm.output_mb} MB, search index {warm.search_index_mb} MB")
    result = {"cold": asdict(cold), "warm": asdict(warm)}
    shutil.rmtree(root, ignore_errors=True)
    return result


# ----------------------------------------------------------------------------- report


def _fmt(value: Any, unit: str = "", digits: int = 2) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def _kb(weight: dict[str, Any]) -> str:
    total = weight["total"]
    js = weight["js"]["bytes"] + weight["runtime_js"]["bytes"]
    return f"{total['bytes'] / 1000:.0f} KB ({total['gzip'] / 1000:.0f} KB gzip; JS {js / 1000:.0f} KB{', Vega' if weight['loads_vega'] else ', no Vega'})"


def targets(results: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, figure, met?) for each target of issue 7 the run has figures for."""
    out: list[tuple[str, str, bool | None]] = []
    real = results.get("real_site")
    if real and real["warm"]["ok"]:
        out.append((f"real site warm build < {TARGET_REAL_WARM_S:g} s", f"{real['warm']['wall_s']} s wall, {real['warm']['cpu_s']} s CPU", real["warm"]["wall_s"] < TARGET_REAL_WARM_S))
    sizes = {r["notes"]: r for r in results["sizes"] if "warm" in r}
    if 1000 in sizes:
        warm = sizes[1000]["warm"]
        out.append((f"1,000 notes warm < {TARGET_1000_WARM_S:g} s", f"{warm['wall_s']} s", warm["wall_s"] < TARGET_1000_WARM_S))
        out.append((f"1,000 notes output < {TARGET_1000_OUTPUT_MB:g} MB", f"{warm['output_mb']} MB", warm["output_mb"] < TARGET_1000_OUTPUT_MB))
    if 1000 in sizes and 5000 in sizes:
        ratio = sizes[5000]["warm"]["wall_s"] / sizes[1000]["warm"]["wall_s"]
        out.append((f"5,000 / 1,000 notes warm <= {TARGET_GROWTH_5000_OVER_1000:g}x", f"{ratio:.2f}x", ratio <= TARGET_GROWTH_5000_OVER_1000))
    notes_html = {n: r["page_weight"]["note_without_chart"]["html"]["bytes"] for n, r in sizes.items()}
    if len(notes_html) > 1:
        low, high = min(notes_html), max(notes_html)
        growth = notes_html[high] / notes_html[low]
        out.append(("note HTML does not grow with the notes", f"{notes_html[low]} B at {low}, {notes_html[high]} B at {high} notes", growth < 1.1))
    for n, r in sorted(sizes.items()):
        if "overhead_wall" in r:
            out.append((f"{n} notes: overhead <= {TARGET_OVERHEAD:g}x plain Material", f"x{r['overhead_wall']} wall, x{r['overhead_cpu']} CPU", r["overhead_wall"] <= TARGET_OVERHEAD))
        z = r.get("zensical", {}).get("warm") or r.get("zensical", {}).get("cold")
        if n == 1000 and z:
            out.append(("1,000 notes: faster than Zensical", f"{r['warm']['wall_s']} s vs {z['wall_s']} s{' (limit)' if z.get('timed_out') else ''}", r["warm"]["wall_s"] < z["wall_s"]))
        if r["cold"]["charts_rendered"] is not None:
            out.append((f"{n} notes: warm build renders no chart", f"rendered {r['warm']['charts_rendered']}, cached {r['warm']['charts_cached']}", r["warm"]["charts_rendered"] == 0))
        out.append((f"{n} notes: a note without a chart loads no Vega", "loads Vega" if r["page_weight"]["note_without_chart"]["loads_vega"] else "no Vega", not r["page_weight"]["note_without_chart"]["loads_vega"]))
        note_gz = r["page_weight"]["note_without_chart"]["total"]["gzip"] / 1000
        out.append((f"{n} notes: a note without a chart <= {TARGET_NOTE_GZIP_KB:g} KB gzip", f"{note_gz:.1f} KB gzip", note_gz <= TARGET_NOTE_GZIP_KB))
        found = r.get("search", {})
        if "first_result_ms" in found:
            out.append((f"{n} notes: first search result < {TARGET_FIRST_RESULT_MS} ms (fresh page)", f"{found['first_result_ms']} ms", found["first_result_ms"] < TARGET_FIRST_RESULT_MS))
            out.append((f"{n} notes: second query < {TARGET_SECOND_QUERY_MS} ms", f"{found['second_query_ms']} ms", found["second_query_ms"] < TARGET_SECOND_QUERY_MS))
    return out


def report(results: dict[str, Any]) -> str:
    lines = [f"Benchmark {results['date']} on {results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
             f"MkDocs {results['machine']['mkdocs']}, Material {results['machine']['material']}", ""]
    real = results.get("real_site")
    if real:
        lines.append(f"Real site: cold {real['cold']['wall_s']} s, warm {real['warm']['wall_s']} s wall "
                     f"({real['warm']['cpu_s']} s CPU), peak {real['warm']['peak_mb']} MB, output {real['warm']['output_mb']} MB, "
                     f"search index {real['warm']['search_index_mb']} MB")
        lines.append("")
    head = f"{'notes':>6} {'charts':>6} {'cold s':>7} {'warm s':>7} {'CPU s':>6} {'ms/note':>8} {'peak MB':>8} {'out MB':>7} {'index MB':>8} {'rendered/cached':>16} {'plain s':>8} {'overhead':>8} {'zensical s':>11}"
    lines.append(head)
    for r in results["sizes"]:
        if "warm" not in r:
            lines.append(f"{r['notes']:>6} {r['charts']:>6}  failed: {r.get('error', '')[:200]}")
            continue
        cold, warm = r["cold"], r["warm"]
        plain = r.get("plain_material", {})
        z = r.get("zensical", {})
        z_text = "–"
        if z.get("cold"):
            z_text = f"{z['cold']['wall_s']}" + ("+" if z["cold"].get("timed_out") else "")
            if z.get("warm"):
                z_text += f"/{z['warm']['wall_s']}"
        lines.append(
            f"{r['notes']:>6} {r['charts']:>6} {cold['wall_s']:>7.1f} {warm['wall_s']:>7.1f} {warm['cpu_s']:>6.1f} {r['ms_per_note_warm']:>8.1f} "
            f"{max(cold['peak_mb'], warm['peak_mb']):>8.0f} {warm['output_mb']:>7.1f} {warm['search_index_mb']:>8.2f} "
            f"{str(cold['charts_rendered']) + '/' + str(warm['charts_cached']):>16} {_fmt(plain.get('wall_s'), digits=1):>8} "
            f"{_fmt(r.get('overhead_wall'), 'x'):>8} {z_text:>11}"
        )
    lines.append("(cold/warm: wall seconds; CPU: warm build user+sys; rendered/cached: charts rendered cold / taken from cache warm; zensical: cold/warm wall s, + = stopped at the time limit)")
    for r in results["sizes"]:
        if "page_weight" not in r:
            continue
        w = r["page_weight"]
        lines.append("")
        lines.append(f"{r['notes']} notes, page weight: home {_kb(w['home'])}; note without chart {_kb(w['note_without_chart'])}; "
                     f"note with chart {_kb(w['note_with_chart'])}; chart page {_kb(w['chart_page'])}")
        warm = r["warm"]
        lines.append(f"{r['notes']} notes, search index (Pagefind): {warm.get('search_pages')} pages in {warm.get('search_index_s')} s, "
                     f"index {warm['search_index_mb']} MB, bundle {warm.get('search_bundle_mb')} MB")
        if "search" in r:
            found = r["search"]
            if "first_result_ms" in found:
                lines.append(f"{r['notes']} notes, search in Chromium (fresh page): open {found['open_ms']} ms, first result {found['first_result_ms']} ms "
                             f"(runs {found['runs_first_result_ms']}, {found['first_query_kb']} KB fetched), second query {found['second_query_ms']} ms "
                             f"({found['second_query_kb']} KB); "
                             f"expected first hit: {found['first_hit']}")
            else:
                lines.append(f"{r['notes']} notes, search: {found}")
        if "serve" in r:
            s = r["serve"]
            lines.append(f"{r['notes']} notes, mkdocs serve: first build {s.get('first_build_s')} s, note saved -> page {s.get('note_save_to_page_s')} s, "
                         f"dataset saved -> page {s.get('dataset_save_to_page_s')} s" + (f" ERROR {s['error'][-300:]}" if "error" in s else ""))
        z = r.get("zensical", {})
        if z.get("cold"):
            lines.append(f"{r['notes']} notes, Zensical {z.get('version', '')}: output {z['cold']['output_mb']} MB, peak {z['cold']['peak_mb']} MB")
    lines.append("")
    lines.append("Targets:")
    for name, figure, met in targets(results):
        lines.append(f"  [{'met ' if met else 'MISS' if met is False else ' ?  '}] {name}: {figure}")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- entry point


def machine() -> dict[str, Any]:
    from importlib.metadata import version

    return {
        "cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
        "mkdocs": version("mkdocs"), "material": version("mkdocs-material"), "load_average": os.getloadavg()[0],
    }


def git_commit(project: Path) -> str | None:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True, text=True)
    return result.stdout.strip() or None


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes takes whole numbers separated by commas, got {text!r}") from None
    if not sizes or any(n < 2 for n in sizes):
        raise argparse.ArgumentTypeError("every size must be at least 2 notes")
    return sizes


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bench", description="Build synthetic knowledge bases and print performance figures.")
    p.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), help="note counts, e.g. 100,1000 (default 100,1000,5000)")
    p.add_argument("--no-real", action="store_true", help="skip the build of the project's own site")
    p.add_argument("--no-plain", action="store_true", help="skip the plain Material build (and so Zensical)")
    p.add_argument("--no-zensical", action="store_true", help="skip Zensical")
    p.add_argument("--zensical-5000", action="store_true", help="also run Zensical at 5,000 notes or more")
    p.add_argument("--zensical-timeout", type=float, default=900.0, help="seconds before a Zensical build is stopped (default 900)")
    p.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve save-to-page timing")
    p.add_argument("--serve-timeout", type=float, default=900.0, help="seconds to wait for a page under mkdocs serve (default 900)")
    p.add_argument("--no-browser", action="store_true", help="skip the search timing in Chromium")
    p.add_argument("--repeat", type=int, default=2, help="warm and plain builds are run this many times, the fastest counts (default 2)")
    p.add_argument("--seed", type=int, default=7, help="seed of the synthetic content (default 7)")
    p.add_argument("--work", type=Path, default=None, help="folder for the synthetic knowledge bases (default: a temporary folder)")
    p.add_argument("--cache", type=Path, default=None, help="folder for Zensical's venv and bytecode (default ~/.cache/landscape-bench)")
    p.add_argument("--out", type=Path, default=None, help="folder for the JSON results (default bench-results/ in the project)")
    p.add_argument("--keep", action="store_true", help="keep the synthetic knowledge bases")
    return p


def main(argv: Sequence[str] | None = None, project: Path | None = None) -> int:
    args = parser().parse_args(argv)
    project = (project or Path(__file__).resolve().parents[2]).resolve()
    cache = (args.cache or Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "landscape-bench").resolve()
    cache.mkdir(parents=True, exist_ok=True)
    out_dir = (args.out or project / "bench-results").resolve()
    log = partial(print, flush=True)
    results: dict[str, Any] = {
        "date": dt.datetime.now().isoformat(timespec="seconds"), "commit": git_commit(project), "machine": machine(),
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}, "sizes": [],
    }
    temporary = None if args.work else tempfile.TemporaryDirectory(prefix="landscape-bench-")
    work = (args.work or Path(temporary.name)).resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        log("warming up (bytecode, Vega bundle) ...")
        warm_up(project, work, cache)
        if not args.no_real:
            results["real_site"] = measure_real_site(project, work, cache, log)
        for notes in args.sizes:
            results["sizes"].append(measure_size(size_for(notes), args, project, work, cache, log))
    finally:
        if temporary is not None and not args.keep:
            temporary.cleanup()
    results["targets"] = [{"target": t, "figure": f, "met": m} for t, f, m in targets(results)]
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out_dir / f"bench-{stamp}.json"
    path.write_text(json.dumps(results, indent=1, sort_keys=True, default=str) + "\n", "utf-8")
    print()
    print(report(results))
    print(f"\nFigures written to {path}")
    return 0 if all("warm" in r for r in results["sizes"]) else 1
