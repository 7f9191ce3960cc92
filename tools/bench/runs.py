"""Measured builds: one child process timed alone, the landscape build and its figures, a plain Material
build of the folder emitter's tree, and Zensical as a peer."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .fixtures import Size, generate
from .pages import Edit, marker, serve_latency

SEARCH_INDEX_PARTS = ("filter", "fragment", "index")  # with *.pf_meta and pagefind-entry.json: the index itself


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
    record: dict[str, Any] | None = None  # the landscape plugin's record of the build (LANDSCAPE_TIMINGS)


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
    """`mkdocs build --strict`, with the plugin's record of the build (stage seconds, charts rendered and
    cached, search index) read back into ``Run.record``; None for a build without the landscape plugin."""
    handle, name = tempfile.mkstemp(prefix="landscape-timings-", suffix=".json")
    os.close(handle)
    record = Path(name)
    record.unlink()  # the plugin writes it; a build that does not leaves none
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
        run = run_measured(command, root, {**env, "LANDSCAPE_TIMINGS": str(record)})
        run.record = read_record(record)
    finally:
        record.unlink(missing_ok=True)
    return run


def read_record(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


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
    record = run.record or {}
    search = record.get("search") or {}
    bundle = site / "pagefind"
    ok = run.returncode == 0
    return Build(
        wall_s=run.wall_s, cpu_s=run.cpu_s, peak_mb=run.peak_mb,
        output_mb=round(folder_bytes(site) / 1e6, 2) if ok else 0.0,
        search_index_mb=round(search_index_bytes(bundle) / 1e6, 2) if ok else 0.0,
        pages=sum(1 for _ in site.rglob("index.html")) if ok else 0,
        charts_rendered=record.get("charts_rendered"),
        charts_cached=record.get("charts_cached"),
        stage_s={name: round(seconds, 3) for name, seconds in (record.get("stages") or {}).items()},
        ok=ok, error=run.stderr_tail,
        search_index_s=round(search["seconds"], 3) if "seconds" in search else None,
        search_pages=search.get("pages", 0),
        search_bundle_mb=round(folder_bytes(bundle) / 1e6, 2) if ok and bundle.is_dir() else 0.0,
    )


# ----------------------------------------------------------------------------- plain Material and Zensical


def plain_docs(root: Path, target: Path) -> Path:
    """The knowledge base at ``root`` as the folder emitter writes it (landscape build --out): every page
    and asset as plain files with a mkdocs.yml without the landscape plugin, for plain Material and Zensical."""
    from landscape.folder import write_tree

    if target.exists():
        shutil.rmtree(target)
    write_tree(root, target)
    return target


def zensical_config(plain: Path, target: Path) -> Path:
    """The folder emitter's tree as `make build ENGINE=zensical` builds it: the same Markdown, theme
    overrides and mkdocs.yml (its nav included), so that Zensical renders the pages plain Material renders.
    (With no nav every page would list every page: output growing with the square of the pages.)"""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(plain, target, ignore=shutil.ignore_patterns("*.ipynb", "site", ".cache"))
    # not strict: the synthetic knowledge base keeps the project's notebook, whose links to the real
    # site's charts do not resolve here (Zensical would abort after building)
    config = target / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "\nstrict: false\n", "utf-8")
    return target


def zensical_binary(project: Path, cache: Path, log: Callable[[str], None]) -> Path | None:
    """Zensical as pinned by requirements-zensical.lock: the one `make build ENGINE=zensical` installed
    (landscape.engines finds it), else installed from the lock into a venv under the bench cache."""
    from landscape.engines import EngineError, zensical_binary as installed

    try:
        return installed(project)
    except EngineError:
        pass
    venv = cache / "zensical-venv"
    binary = venv / "bin" / "zensical"
    if binary.is_file():
        return binary
    log(f"installing zensical into {venv} ...")
    python = shutil.which("python3.11") or sys.executable
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    steps = [[python, "-m", "venv", str(venv)], [*pip, "-r", str(project / "requirements-zensical.lock")]]
    for step in steps:
        result = subprocess.run(step, capture_output=True, text=True)
        if result.returncode != 0:
            log(f"cannot install zensical: {' '.join(step)}: {result.stderr.strip()[-400:]}")
            return None
    return binary if binary.is_file() else None


def zensical_version(binary: Path) -> str:
    result = subprocess.run([str(binary), "--version"], capture_output=True, text=True)
    return result.stdout.strip() or result.stderr.strip()


def run_zensical(plain: Path, target: Path, project: Path, cache: Path, args: Any, edit: Edit, log: Callable[[str], None]) -> dict[str, Any]:
    """Zensical over the plain tree, cold (--clean) then warm, each stopped after ``args.zensical_timeout``
    seconds; then, unless ``args.no_serve``, `zensical serve` on the same tree and the seconds from
    saving ``edit``'s Markdown page (a path relative to the tree) to the served page: Zensical alone."""
    binary = zensical_binary(project, cache, log)
    if binary is None:
        return {"skipped": "zensical could not be installed"}
    timeout = args.zensical_timeout
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
    if not args.no_serve and out.get("warm", {}).get("ok"):
        saved = marker()
        edits = [replace(edit, path=folder / edit.path, new=f"\nSaved by the benchmark: {saved}.\n", marker=saved)]
        out["serve"] = serve_latency(folder, edits, env, args.serve_timeout, log,
                                     lambda address: [str(binary), "serve", "-a", address], "zensical serve (its own Markdown)", ready=None)
    shutil.rmtree(folder, ignore_errors=True)
    return out

