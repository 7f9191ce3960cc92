"""The search index: Pagefind run over the built HTML, once MkDocs has written every page.

What is indexed is marked in the pages themselves (templates in ``overrides/``): each page's article is
``data-pagefind-body`` and carries its kind and layers as ``data-pagefind-filter``; data tables keep
only each row's name in the index (the other cells are ``data-pagefind-ignore``). Pages without a marked
body (404, redirects) are left out. The bundle (index, search script, Pagefind's Component UI) is
written to ``<site>/pagefind/``; nothing of it is loaded until a reader opens search. The UI is in the
theme overrides: the header button (partials/header.html), assets/javascripts/search.js (on every page:
the button and Material's "/", "s", "f" keys) and, loaded on opening with Pagefind's Component UI,
assets/javascripts/search-modal.js and assets/stylesheets/search-modal.css (the dialog).

The index is written into a hidden folder of the site and moved into place only when Pagefind
succeeded, so a failed run leaves no half-written bundle.

Reproducible output: Pagefind names every file by a hash of its content, and 1.5.2 writes everything
in a fixed order but its filter files, whose filters and values come out in hash-map order, so two runs
over the same HTML differ there (its source says "TODO: Change filter indexes to BTree to give them a
stable hash"; fixed on its main branch by PR #1124, in no release yet). ``canonical_filters`` does what
that fix does: it sorts each filter's values and the filter list, then renames the filter and meta
files by Pagefind's own hash of their new content, which keeps ``make build`` byte-reproducible.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import cbor2

BUNDLE_DIR = "pagefind"
LANGUAGE = "en"
# Page furniture that would otherwise reach titles and excerpts: heading permalinks ("¶"), the
# source-file dates, the tag chips above each page.
EXCLUDE_SELECTORS = ".headerlink, .md-source-file, .md-tags"
TIMEOUT_S = 600
SIGNATURE = b"pagefind_dcd"  # the head of every compressed Pagefind index file


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why."""


@dataclass(frozen=True)
class IndexStats:
    pages: int
    words: int
    filters: int
    seconds: float
    files: int
    bytes: int


def executable() -> Path:
    """The Pagefind binary of the ``pagefind-bin`` package (PAGEFIND_BINARY_PATH overrides it)."""
    try:
        from pagefind.service import get_executable
    except ImportError as exc:  # pragma: no cover - the lock file installs it
        raise SearchIndexError("the pagefind package is not installed (pip install 'pagefind[bin]==1.5.2')") from exc
    found = get_executable()
    if found is None or not Path(found).is_file():
        raise SearchIndexError("no Pagefind binary found: install the pagefind-bin package (pip install 'pagefind[bin]==1.5.2')")
    return Path(found)


def _count(pattern: str, log: str) -> int:
    match = re.search(pattern, log)
    return int(match.group(1)) if match else 0


def build_index(site_dir: Path) -> IndexStats:
    """Index every HTML page under ``site_dir`` into ``site_dir/pagefind/``, replacing an older index."""
    site_dir = Path(site_dir).resolve()
    if not site_dir.is_dir():
        raise SearchIndexError(f"{site_dir}: no built site to index")
    target = site_dir / BUNDLE_DIR
    partial = site_dir / f".{BUNDLE_DIR}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    command = [
        str(executable()), "--site", str(site_dir), "--output-path", str(partial),
        "--force-language", LANGUAGE, "--exclude-selectors", EXCLUDE_SELECTORS,
    ]
    # Pagefind also reads PAGEFIND_* variables and a pagefind.yml in its working folder: keep both out.
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
    started = time.perf_counter()
    try:
        result = subprocess.run(
            command, cwd=site_dir, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
        )
    except subprocess.TimeoutExpired:
        shutil.rmtree(partial, ignore_errors=True)
        raise SearchIndexError(f"Pagefind did not finish indexing {site_dir} within {TIMEOUT_S} s") from None
    seconds = time.perf_counter() - started
    log = result.stdout + result.stderr
    if result.returncode != 0 or not (partial / "pagefind-entry.json").is_file():
        shutil.rmtree(partial, ignore_errors=True)
        tail = "\n".join(log.strip().splitlines()[-15:])
        raise SearchIndexError(f"Pagefind failed to index {site_dir} (exit {result.returncode}):\n{tail}")
    pages = _count(r"Indexed (\d+) pages?", log)
    if pages == 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise SearchIndexError(f"Pagefind found no page to index in {site_dir} (no element marked data-pagefind-body)")
    try:
        canonical_filters(partial)
    except SearchIndexError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    os.replace(partial, target)
    files = [p for p in target.rglob("*") if p.is_file()]
    return IndexStats(
        pages=pages,
        words=_count(r"Indexed (\d+) words?", log),
        filters=_count(r"Indexed (\d+) filters?", log),
        seconds=round(seconds, 3),
        files=len(files),
        bytes=sum(p.stat().st_size for p in files),
    )


class BackgroundIndex:
    """Pagefind re-indexing after a rebuild under a live server (`mkdocs serve`, `landscape serve`), one
    run at a time; a save during a run asks for one more run after it, so the index always ends up
    matching the last build. ``ready``, when given, is called in the thread before the run: it waits for
    an engine that rebuilds in its own process to have written its pages."""

    def __init__(self, done: Callable[[IndexStats], None], failed: Callable[[SearchIndexError], None]) -> None:
        self.done, self.failed = done, failed
        self.lock = threading.Lock()
        self.pending: tuple[Path, Callable[[], None] | None] | None = None
        self.thread: threading.Thread | None = None

    def refresh(self, site_dir: Path, ready: Callable[[], None] | None = None) -> None:
        with self.lock:
            self.pending = (site_dir, ready)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="landscape-search-index", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            with self.lock:
                pending, self.pending = self.pending, None
                if pending is None:
                    return
            site_dir, ready = pending
            try:
                if ready is not None:
                    ready()
                self.done(build_index(site_dir))
            except SearchIndexError as exc:
                self.failed(exc)

    def wait(self, timeout: float | None = None) -> None:
        thread = self.thread
        if thread is not None:
            thread.join(timeout)


# ------------------------------------------------------------------ reproducible filter files


def pagefind_hash(data: bytes) -> str:
    """Pagefind's content hash: SHA-1, each byte in hex without zero padding (utils.rs full_hash)."""
    return "".join(f"{byte:x}" for byte in hashlib.sha1(data).digest())


def _read(path: Path) -> Any:
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError) as exc:
        raise SearchIndexError(f"{path}: not a Pagefind index file ({exc})") from None
    if not data.startswith(SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind index file (no {SIGNATURE.decode()} signature)")
    return cbor2.loads(data[len(SIGNATURE):])


def _write(path: Path, encoded: bytes) -> None:
    path.write_bytes(gzip.compress(SIGNATURE + encoded, compresslevel=9, mtime=0))


def canonical_filters(bundle: Path) -> None:
    """Sort the filters and their values in a Pagefind 1.5.x bundle and rename the files they change."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text("utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = meta[3] if isinstance(meta, list) and len(meta) > 3 else None
        if not isinstance(filters, list) or not all(isinstance(f, list) and len(f) == 2 for f in filters):
            raise SearchIndexError(f"{meta_path}: unexpected layout (Pagefind {entry.get('version')}): no filter list")
        taken: set[str] = set()
        for item in sorted(filters, key=lambda f: f[0]):
            name, old_hash = item
            old_path = bundle / "filter" / f"{old_hash}.pf_filter"
            index = _read(old_path)
            if not (isinstance(index, list) and len(index) == 2 and index[0] == name and isinstance(index[1], list)):
                raise SearchIndexError(f"{old_path}: unexpected layout for filter {name!r}")
            index[1].sort(key=lambda value: value[0])
            encoded = cbor2.dumps(index)
            full = f"{language}_{pagefind_hash(encoded)}"
            length = len(language) + 8
            while full[:length] in taken and length < len(full):  # Pagefind lengthens a colliding hash
                length += 1
            new_hash = full[:length]
            taken.add(new_hash)
            old_path.unlink()
            _write(bundle / "filter" / f"{new_hash}.pf_filter", encoded)
            item[1] = new_hash
        filters.sort(key=lambda f: f[0])
        encoded = cbor2.dumps(meta)
        new_meta = f"{language}_{pagefind_hash(encoded)[: len(language) + 8]}"
        meta_path.unlink()
        _write(bundle / f"pagefind.{new_meta}.pf_meta", encoded)
        info["hash"] = new_meta
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), "utf-8")
