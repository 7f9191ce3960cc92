"""Shared fixtures: the real site built once per test session, a local server for it, and a factory
for small knowledge bases written into a temporary folder."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("CHROMIUM") or "/usr/bin/chromium")  # `make test` passes its CHROMIUM
LAYERS_YAML = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def mkdocs_build(project: Path, site_dir: Path, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real knowledge base, built with --strict into a temporary folder."""
    site = tmp_path_factory.mktemp("site") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
    return site


def pagefind_records(site: Path) -> list[dict]:
    """What Pagefind stored about each page of a built site (its fragments: url, content, meta, filters)."""
    import gzip
    import json

    records = []
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        records.append(json.loads(data[len(b"pagefind_dcd"):]))
    return records


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


def serve(directory: Path):
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(built_site):
    server, url = serve(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():  # a failure, never a skip: `make test` installs it (see Makefile: browser)
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium as root), or "
                    "sudo apt-get install chromium fonts-dejavu-core")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


class KnowledgeBase:
    """A small knowledge base in a temporary folder, with this repo's mkdocs.yml and docs/."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(ROOT / "docs", root / "docs")
        for folder in ("notes/compute", "notes/data", "notes/algorithms", "notes/systems", "notes/products", "charts/data", "charts/tables"):
            (root / folder).mkdir(parents=True, exist_ok=True)

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def note(self, layer: str, slug: str, title: str, body: str = "Body text.\n", **fields) -> Path:
        meta = {
            "title": title,
            "summary": fields.pop("summary", f"{title} in one sentence."),
            "tags": fields.pop("tags", ["example"]),
            "sources": fields.pop("sources", [{"title": "A source", "url": "https://example.org/source"}]),
            "updated": fields.pop("updated", "2026-11-23"),
            **fields,
        }
        import yaml

        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
        return self.write(f"notes/{layer}/{slug}.md", f"---\n{front}---\n\n{textwrap.dedent(body)}")

    def build(self, site_dir: Path | None = None) -> subprocess.CompletedProcess:
        return mkdocs_build(self.root, site_dir or self.root / "site")


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "kb")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def zensical() -> Path:
    """Zensical, installed from requirements-zensical.lock into .venv-zensical/ as `make build ENGINE=zensical` does."""
    result = subprocess.run(["make", "--no-print-directory", ".venv-zensical/.installed"], cwd=ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return ROOT / ".venv-zensical" / "bin" / "zensical"
