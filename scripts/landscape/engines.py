"""Engines that turn the folder emitter's tree into a site: MkDocs (plain, without the landscape
plugin) and Zensical, then Pagefind over the result. Each runs as a subprocess on ``TREE/mkdocs.yml``; the site is built into a
temporary folder beside ``site`` and swapped in, so a failed build leaves the previous site in place."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ZENSICAL_ENV = "LANDSCAPE_ZENSICAL"  # path of the zensical executable (default: .venv-zensical/bin/zensical)


class EngineError(Exception):
    """The engine is missing or its build failed; the message says which and how to fix it."""


def zensical_binary(root: Path | None = None) -> Path:
    given = os.environ.get(ZENSICAL_ENV)
    candidates = [Path(given)] if given else []
    if root is not None:
        candidates.append(root / ".venv-zensical" / "bin" / "zensical")
    found = shutil.which("zensical")
    if found:
        candidates.append(Path(found))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise EngineError(f"zensical is not installed: run `make build ENGINE=zensical` (installs it from requirements-zensical.lock), or set {ZENSICAL_ENV}")


def build_site(engine: str, tree: Path, site: Path, root: Path | None = None) -> float:
    """Build ``tree`` with ``engine`` into ``site``; return the engine's wall time in seconds."""
    site.parent.mkdir(parents=True, exist_ok=True)
    # Zensical wants its site_dir inside the project: build there, then move the result into place.
    partial = Path(tempfile.mkdtemp(prefix=".site-", dir=tree if engine == "zensical" else site.parent))
    config = tree / "mkdocs.yml"
    if engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "--site-dir", str(partial)]
        cwd = tree
    elif engine == "zensical":
        # Zensical writes into the configured site_dir: give it a copy of the config pointing at partial.
        staged = tree / ".zensical.yml"
        text = config.read_text(encoding="utf-8")
        staged.write_text(text + f"\nsite_dir: {partial.name!r}\n", encoding="utf-8")
        command = [str(zensical_binary(root or tree)), "build", "--clean", "-f", str(staged)]
        cwd = tree
    else:
        raise EngineError(f"unknown engine {engine!r} (mkdocs or zensical)")
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        tail = (result.stderr or result.stdout).strip().splitlines()[-15:]
        raise EngineError(f"{engine} build failed:\n" + "\n".join(tail))
    from .search import SearchIndexError, build_index

    try:
        build_index(partial)  # the same Pagefind index the plugin builds after a MkDocs build
    except SearchIndexError as exc:
        shutil.rmtree(partial, ignore_errors=True)
        raise EngineError(f"search index: {exc}") from None
    previous = site.with_name(site.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if site.exists():
        site.rename(previous)
    shutil.move(str(partial), str(site))
    shutil.rmtree(previous, ignore_errors=True)
    return seconds
