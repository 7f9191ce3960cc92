"""`landscape serve --engine zensical`: the edit loop of an engine that runs no MkDocs plugin.

The folder emitter writes the page tree once (``.cache/landscape/tree``) and ``zensical serve`` serves it,
rebuilding the pages whose Markdown changed. Each save under the knowledge base (notes, charts, docs,
mkdocs.yml, the glossary) rewrites the tree through a ``folder.TreeMemo``: the pipeline reuses what the
change leaves alone and only files whose bytes changed are written, so Zensical sees exactly those.
Pagefind re-indexes the served site in the background once Zensical has written the changed pages.

A save that breaks a note or a dataset leaves the tree as it was: the problems are printed and the last
good pages stay served.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Callable

import yaml
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from . import search
from .config import ConfigError, SiteConfig, read_site_config
from .engines import zensical_binary
from .folder import TreeMemo, write_tree
from .paths import Paths
from .problems import ProblemsError
from .serving import change_events

SETTLE_S = 0.1  # a save is often several file events: rewrite once they have stopped for this long
PAGES_TIMEOUT_S = 600.0  # the longest wait for Zensical to write the changed pages before indexing anyway
SETTLED_S = 2.0  # pages there and untouched this long: the engine is done with them


def tree_folder(root: Path) -> Path:
    return Paths(root).cache / "tree"


def site_folder(tree: Path) -> Path:
    """Where Zensical writes and serves the tree: its configuration's site_dir."""
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    return (tree / str(config.get("site_dir") or "site")).resolve()


def page_outputs(site: Path, files: list[str]) -> list[Path]:
    """The HTML files the engine writes for the tree's Markdown pages among ``files`` (directory URLs)."""
    outputs = []
    for relative in files:
        if relative.startswith("docs/") and relative.endswith(".md"):
            uri = relative[len("docs/"):-len(".md")]
            folder = uri[: -len("index")].rstrip("/") if uri == "index" or uri.endswith("/index") else uri
            outputs.append(site / folder / "index.html" if folder else site / "index.html")
    return outputs


def wait_for_pages(outputs: list[Path], since_ns: int, timeout: float = PAGES_TIMEOUT_S) -> Callable[[], None]:
    """A wait until the engine has written ``outputs``: each one rewritten after ``since_ns``; or, for
    pages it does not write (excluded ones) or leaves as they were, nothing rewritten for SETTLED_S.
    At most ``timeout``."""

    def ready() -> None:
        deadline, quiet_since = time.monotonic() + timeout, None
        while time.monotonic() < deadline:
            present = []
            for path in outputs:
                try:
                    present.append(path.stat().st_mtime_ns)
                except OSError:
                    pass
            fresh = bool(present) and min(present) >= since_ns
            if fresh and len(present) == len(outputs):
                return
            if fresh or (present and (time.time_ns() - max(present)) / 1e9 > SETTLED_S):
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since > SETTLED_S:
                    return
            else:
                quiet_since = None
            time.sleep(0.25)

    return ready


class _Changes(FileSystemEventHandler):
    """Sets ``event`` on a change (serving.change_events) of a file the knowledge base is built from, not
    on editors' temporary files."""

    def __init__(self, root: Path) -> None:
        self.event = threading.Event()
        self.ignored = (Paths(root).cache.parent, root / "site")

    def on_any_event(self, event: FileSystemEvent) -> None:
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(str(raw))
            name = path.name
            if name.startswith(".") or name.endswith(("~", ".swp", ".tmp")) or any(path.is_relative_to(p) for p in self.ignored):
                continue
            self.event.set()


def watched(root: Path, config: SiteConfig) -> list[tuple[Path, bool]]:
    """(folder, recursive) pairs: the sources the plugin watches under `mkdocs serve`, and mkdocs.yml."""
    folders = [(root / "notes", True), (root / "charts", True), (root / config.docs_dir, True), (root, False)]
    if config.glossary:
        folders.append(((root / config.glossary).parent, False))
    return [(folder, recursive) for folder, recursive in folders if folder.is_dir()]


def serve(root: Path, dev_addr: str, log: Callable[[str], None] = print) -> int:
    """Write the tree, serve it with Zensical, and keep it current until interrupted."""
    binary = zensical_binary(root)
    config = read_site_config(root / "mkdocs.yml")
    tree, memo = tree_folder(root), TreeMemo()
    started = time.perf_counter()
    report = write_tree(root, tree, config, memo)  # a problem here stops serve: there is no good tree yet
    log(f"landscape: wrote the page tree, {len(report.written)} files written, {report.unchanged} unchanged "
        f"({time.perf_counter() - started:.1f} s)")
    site = site_folder(tree)
    indexer = search.BackgroundIndex(
        lambda stats: log(f"landscape: search index of {stats.pages} pages in {stats.seconds:.2f} s"),
        lambda exc: log(f"landscape: search index: {exc}"),
    )
    command = [str(binary), "serve", "-f", str(tree / "mkdocs.yml"), "-a", dev_addr]
    since = time.time_ns()
    process = subprocess.Popen(command, cwd=tree)
    indexer.refresh(site, wait_for_pages(page_outputs(site, sorted(memo.written)), since))  # every page of the first build
    changes = _Changes(root)
    observer = Observer()
    for folder, recursive in watched(root, config):
        observer.schedule(changes, str(folder), recursive=recursive, event_filter=change_events())
    observer.start()
    signal.signal(signal.SIGTERM, _stop)  # stop Zensical too when asked to stop
    try:
        while process.poll() is None:
            if not changes.event.wait(0.5):
                continue
            while True:  # let the save finish: several events, one rewrite
                changes.event.clear()
                if not changes.event.wait(SETTLE_S):
                    break
            config = rewrite(root, tree, config, memo, site, indexer, log)
        status = process.returncode
        how = f"was killed by signal {-status}" if status < 0 else f"exited with status {status}"
        log(f"landscape: zensical serve {how}" + (" (9: the kernel's, when memory runs out)" if status == -9 else ""))
        return 1
    except (KeyboardInterrupt, _Stopped):
        return 0
    finally:
        observer.stop()
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        indexer.wait(30)


class _Stopped(Exception):
    pass


def _stop(signum, frame) -> None:
    raise _Stopped()


def rewrite(root: Path, tree: Path, config: SiteConfig, memo: TreeMemo, site: Path,
            indexer: search.BackgroundIndex, log: Callable[[str], None]) -> SiteConfig:
    """One rewrite of the tree after a save; returns the configuration it used (mkdocs.yml may have changed)."""
    started = time.perf_counter()
    since = time.time_ns()
    try:
        config = read_site_config(root / "mkdocs.yml")
        report = write_tree(root, tree, config, memo)
    except (ConfigError, ProblemsError) as exc:
        text = exc.report() if isinstance(exc, ProblemsError) else str(exc)
        log(f"landscape: {text}\nlandscape: the tree is left as it was; the last good pages stay served")
        return config
    log(f"landscape: rewrote the tree, {len(report.written)} files written, {len(report.removed)} removed "
        f"({time.perf_counter() - started:.2f} s)")
    if report.written or report.removed:
        outputs = page_outputs(site, report.written)
        indexer.refresh(site, wait_for_pages(outputs, since) if outputs else (lambda: time.sleep(1.0)))
    return config
