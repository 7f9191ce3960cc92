"""The benchmark's entry point: every size, the project's own site, the JSON record and the report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any, Callable, Sequence

from .fixtures import ROWS_PER_DATASET, Generated, Size, generate, size_for
from .pages import Edit, landscape_serve, marker, page_path, page_weight, serve_latency
from .report import report, targets
from .runs import bench_env, best_of, describe_build, mkdocs_build, plain_docs, run_zensical, warm_up, zensical_binary
from .search import search_latency

DEFAULT_SIZES = (100, 1000, 5000)


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
        if not args.no_zensical and plain_run.ok:
            tree_edit = Edit("note", Path("docs") / f"{kb.plain_note}.md", f"{kb.plain_note}/", "", "")
            result["zensical"] = run_zensical(plain, work / f"zensical-{size.notes}", project, cache, args, tree_edit, log)
        shutil.rmtree(plain, ignore_errors=True)

    if not args.no_browser:
        try:
            result["search"] = search_latency(site, kb.titles[-1], kb.titles[len(kb.titles) // 2])
        except Exception as exc:  # a browser failure must not lose the other figures
            result["search"] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        log(f"  search: {result['search']}")
    if not args.no_serve:
        result.update(measure_serve(kb.root, lambda: synthetic_edits(kb), not args.no_zensical, env, args, project, cache, log))
    if not args.keep:
        shutil.rmtree(kb.root, ignore_errors=True)
    return result


def measure_serve(root: Path, edits: Callable[[], list[Edit]], zensical: bool, env: dict[str, str], args: argparse.Namespace,
                  project: Path, cache: Path, log: Callable[[str], None]) -> dict[str, Any]:
    """Save-to-page under `landscape serve` with each engine, one after the other (each from a fresh
    start, with fresh edits): "serve" for MkDocs, "serve_zensical" for the tree under Zensical."""
    out: dict[str, Any] = {}
    if "mkdocs" in args.serve_engines:
        out["serve"] = serve_latency(root, edits(), env, args.serve_timeout, log, landscape_serve("mkdocs"), "mkdocs serve --dirty")
    binary = zensical_binary(project, cache, log) if zensical and "zensical" in args.serve_engines else None
    if binary is not None:
        from landscape.engines import ZENSICAL_ENV

        out["serve_zensical"] = serve_latency(root, edits(), {**env, ZENSICAL_ENV: str(binary)}, args.serve_timeout, log,
                                              landscape_serve("zensical"), "landscape serve --engine zensical")
    return out


def synthetic_edits(kb: Generated) -> list[Edit]:
    """A note without a chart gets a sentence; the first dataset's first row is renamed (its page shows it)."""
    note, renamed = marker(), marker()
    dataset = kb.dataset_ids[0]
    return [
        Edit("note", kb.root / "notes" / f"{kb.plain_note}.md", f"{kb.plain_note}/", f"\nSaved by the benchmark: {note}.\n", note),
        Edit("dataset", kb.root / "charts" / "data" / f"{dataset}.yaml", f"datasets/{dataset}/", f"model: {renamed},", renamed, old="model: Model 0-0,"),
    ]


# The real site's entity edit: a row of notable-models, shown on that model's entity page.
REAL_ENTITY = ("notable-models", 'model: "GPT-3 175B (davinci)", organization: "OpenAI"', "models", "GPT-3 175B (davinci)")


def real_edits(root: Path) -> list[Edit]:
    """The first note (by path; a layer's _index.md overview is not a note) gets a sentence; GPT-3's
    organisation in notable-models gets a suffix, which its entity page shows."""
    from landscape.entities import slugify

    note_path = next(path for path in sorted((root / "notes").glob("*/*.md")) if not path.name.startswith("_"))
    note = marker()
    dataset, row, collection, name = REAL_ENTITY
    entity = marker()
    return [
        Edit("note", note_path, f"{note_path.parent.name}/{note_path.stem}/", f"\nSaved by the benchmark: {note}.\n", note),
        Edit("entity", root / "charts" / "data" / f"{dataset}.yaml", f"{collection}/{slugify(name)}/",
             row.removesuffix('"') + f' {entity}"', entity, old=row),
    ]


def measure_real_site(project: Path, work: Path, cache: Path, args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    """The project's own knowledge base (entity pages included), copied into the work folder, built cold
    and warm; then, unless --no-serve, the save-to-page times of a note and an entity under `mkdocs serve`."""
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
    warm = best_of(args.repeat, lambda: describe_build(mkdocs_build(root, site, env), site))
    log(f"== real site: cold {cold.wall_s} s wall ({cold.cpu_s} s CPU), warm {warm.wall_s} s wall ({warm.cpu_s} s CPU), "
        f"{warm.pages} pages, {warm.output_mb} MB, search index {warm.search_index_mb} MB")
    result: dict[str, Any] = {"cold": asdict(cold), "warm": asdict(warm)}
    if warm.ok and not args.no_serve:
        result.update(measure_serve(root, lambda: real_edits(root), not args.no_zensical, env, args, project, cache, log))
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return result


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


def parse_engines(text: str) -> list[str]:
    engines = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(engines) - {"mkdocs", "zensical"})
    if not engines or unknown:
        raise argparse.ArgumentTypeError(f"--serve-engines takes mkdocs and/or zensical separated by commas, got {text!r}")
    return engines


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="bench", description="Build synthetic knowledge bases and print performance figures.")
    p.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES), help="note counts, e.g. 100,1000 (default 100,1000,5000)")
    p.add_argument("--no-real", action="store_true", help="skip the build of the project's own site")
    p.add_argument("--real-only", action="store_true", help="measure the project's own site only (no synthetic sizes)")
    p.add_argument("--no-plain", action="store_true", help="skip the plain Material build (and so Zensical)")
    p.add_argument("--no-zensical", action="store_true", help="skip Zensical")
    p.add_argument("--zensical-timeout", type=float, default=900.0, help="seconds before a Zensical build is stopped (default 900)")
    p.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve save-to-page timing")
    p.add_argument("--serve-engines", type=parse_engines, default=["mkdocs", "zensical"],
                   help="engines whose save-to-page time is measured under `landscape serve` (default mkdocs,zensical)")
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
            results["real_site"] = measure_real_site(project, work, cache, args, log)
        for notes in [] if args.real_only else args.sizes:
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
    real_ok = "real_site" not in results or results["real_site"]["warm"]["ok"]
    return 0 if real_ok and all("warm" in r for r in results["sizes"]) else 1
