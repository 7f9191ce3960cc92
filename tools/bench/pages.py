"""What a reader waits for and downloads: page weight, and under `mkdocs serve` the seconds from saving a
file to the rebuilt page being served."""

from __future__ import annotations

import gzip
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

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


def _wait_for(url: str, needle: str, timeout: float, alive: Callable[[], bool], poll: float = 0.1) -> float | None:
    """Seconds until the page at ``url`` holds ``needle``; None after ``timeout`` or once the server is gone."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout and alive():
        text = _fetch(url)
        if text is not None and needle in text:
            return time.perf_counter() - start
        time.sleep(poll)
    return None


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


@dataclass(frozen=True)
class Edit:
    """One save under `mkdocs serve`: ``new`` replaces the first ``old`` in ``path`` (or is appended when
    ``old`` is None); the figure is the time until the page at ``url`` holds ``marker``."""

    label: str  # the figure is named "<label>_save_to_page_s"
    path: Path
    url: str  # relative to the site root, e.g. "compute/gpus/"
    new: str
    marker: str
    old: str | None = None


def marker() -> str:
    return f"benchmark-marker-{time.time_ns()}"


def apply(edit: Edit) -> bool:
    text = edit.path.read_text("utf-8")
    if edit.old is None:
        text += edit.new
    elif edit.old in text:
        text = text.replace(edit.old, edit.new, 1)
    else:
        return False
    edit.path.write_text(text, "utf-8")
    return True


SEARCH_ENTRY = "pagefind/pagefind-entry.json"  # written by Pagefind once the first build is complete


def landscape_serve(engine: str) -> Callable[[str], list[str]]:
    """`landscape serve --engine ENGINE` as `make serve` runs it: `mkdocs serve --dirty`, or the page tree
    under `zensical serve`, rewritten on each save."""
    return lambda address: [sys.executable, "-m", "landscape.cli", "serve", "--engine", engine, "--dev-addr", address]


def serve_latency(root: Path, edits: list[Edit], env: dict[str, str], timeout: float, log: Callable[[str], None],
                  command: Callable[[str], list[str]], label: str, ready: str | None = SEARCH_ENTRY) -> dict[str, Any]:
    """Start ``command(address)`` on a free 127.0.0.1 port in ``root``; once the first build is served
    (``ready``, a file the first build writes last, and every edited page), make each edit in turn and
    time until its page holds the change (polling every 0.1 s). The edited files are restored afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    result: dict[str, Any] = {"server": label, "port": port}
    originals = {edit.path: edit.path.read_bytes() for edit in edits}
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command(f"127.0.0.1:{port}"), cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

        def alive() -> bool:
            return process.poll() is None

        try:
            urls = [base + path for path in ([ready] if ready else []) + [edit.url for edit in edits]]
            began = time.perf_counter()
            started = began if all(_wait_for(url, "", timeout, alive) is not None for url in [base, *urls]) else None
            result["first_build_s"] = None if started is None else round(time.perf_counter() - began, 2)
            if started is None:
                out.seek(0)
                result["error"] = out.read().decode("utf-8", "replace")[-1500:]
                return result
            time.sleep(1.0)  # let the watcher settle before the first change
            for edit in edits:
                key = f"{edit.label}_save_to_page_s"
                if not apply(edit):
                    result[key] = None
                    result.setdefault("skipped", []).append(f"{edit.label}: {edit.old!r} is not in {edit.path.name}")
                    continue
                seconds = _wait_for(base + edit.url, edit.marker, timeout, alive)
                result[key] = None if seconds is None else round(seconds, 2)
                log(f"  {label}: {edit.label} saved -> page {result[key]} s")
            if not alive():  # the server stopped: say why
                out.seek(0)
                result["error"] = out.read().decode("utf-8", "replace")[-1500:]
        finally:  # the server and what it started (Zensical, Pagefind) share its session
            _signal_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
            for path, data in originals.items():
                path.write_bytes(data)
    return result
