"""The folder emitter and the engines that build its tree: plain MkDocs and Zensical give the pages the
plugin build gives; a rewrite touches only the files whose bytes changed; bad input writes nothing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from landscape.cli import main
from landscape.engines import ZENSICAL_ENV, build_site
from landscape.folder import write_tree
from landscape.problems import ProblemsError

from .conftest import ROOT, free_port

# Pages the plugin build and the tree build may render differently, and why:
#   notebooks: mkdocs-jupyter's template against the tree's nbconvert page; search: Material's index
#   holds the notebook's text as each template renders it.
ENGINE_SPECIFIC = ("notebooks/", "search/", "sitemap.xml.gz")


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tree")
    write_tree(ROOT, out)
    return out


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def main_text(page: Path) -> str:
    """The reader's text of a page's article, without permalink anchors and the tag list, which the
    engines place differently (Material's tags plugin above the title, Zensical below the text)."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article")
    for node in article.select("a.headerlink, nav.md-tags, .md-tags"):
        node.decompose()
    return re.sub(r"\s+", " ", article.get_text(" ")).strip()


def test_tree_holds_every_page_with_the_home_filled_in(tree):
    docs = tree / "docs"
    home = (docs / "index.md").read_text(encoding="utf-8")
    assert "<!-- landscape:home -->" not in home and "compute/index.md" in home
    assert (docs / "notebooks" / "training-compute-trends.md").is_file()
    assert (docs / "notebooks" / "training-compute-trends.ipynb").is_file()  # still downloadable
    for note in (ROOT / "notes").glob("*/*.md"):
        if note.name != "_index.md":
            assert (docs / note.parent.name / note.name).is_file(), note
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]
    assert "landscape" not in names and "mkdocs-jupyter" not in names
    abbr = next(e["abbr"] for e in config["markdown_extensions"] if isinstance(e, dict) and "abbr" in e)
    assert abbr["glossary"]["FLOP"]
    assert "notebooks/training-compute-trends.md" in str(config["nav"])


@pytest.mark.slow
def test_plain_mkdocs_turns_the_tree_into_the_same_pages(tree, built_site, tmp_path):
    site = tmp_path / "site"
    build_site("mkdocs", tree, site)
    assert html_pages(site) == html_pages(built_site)
    differ = [
        uri for uri in sorted(html_pages(site))
        if not uri.startswith(ENGINE_SPECIFIC) and (site / uri).read_bytes() != (built_site / uri).read_bytes()
    ]
    assert differ == []


@pytest.mark.slow
def test_zensical_builds_the_same_urls_and_note_text(tree, built_site, zensical, tmp_path):
    site = tmp_path / "zensical-site"
    build_site("zensical", tree, site, ROOT)
    ours = {uri for uri in html_pages(built_site) if uri != "404.html"}
    theirs = {uri for uri in html_pages(site) if uri != "404.html"}
    assert theirs == ours
    notes = [p for p in (ROOT / "notes").glob("*/*.md") if p.name != "_index.md"]
    assert len(notes) > 50
    for note in notes:
        uri = f"{note.parent.name}/{note.stem}/index.html"
        assert main_text(site / uri) == main_text(built_site / uri), uri


def test_a_rewrite_touches_only_the_changed_page(kb, tmp_path):
    kb.note("compute", "one", "One", body="First body. See [[two]].\n")
    kb.note("compute", "two", "Two", body="Second body.\n")
    out = tmp_path / "tree"
    first = write_tree(kb.root, out)
    assert "docs/compute/one.md" in first.written and first.unchanged == 0
    again = write_tree(kb.root, out)
    assert again.written == [] and again.removed == []
    kb.note("compute", "one", "One", body="First body, edited. See [[two]].\n")
    edited = write_tree(kb.root, out)
    assert edited.written == ["docs/compute/one.md"]
    assert "First body, edited." in (out / "docs/compute/one.md").read_text(encoding="utf-8")
    (kb.root / "notes/compute/two.md").unlink()
    kb.note("compute", "one", "One", body="No links now.\n")
    removed = write_tree(kb.root, out)
    assert "docs/compute/two.md" in removed.removed and not (out / "docs/compute/two.md").exists()
    assert "docs/compute/one.md" in removed.written and "docs/compute/index.md" in removed.written


def test_a_broken_note_writes_nothing(kb, tmp_path):
    kb.note("compute", "one", "One")
    out = tmp_path / "tree"
    write_tree(kb.root, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    kb.write("notes/compute/one.md", "---\ntitle: [unclosed\n---\nBody\n")
    with pytest.raises(ProblemsError) as raised:
        write_tree(kb.root, out)
    assert "notes/compute/one.md:3: invalid YAML" in raised.value.report()
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_cli_build_out(kb, tmp_path, monkeypatch, capsys):
    kb.note("compute", "one", "One")
    monkeypatch.chdir(kb.root)
    assert main(["build", "--out", str(tmp_path / "tree")]) == 0
    assert "files written" in capsys.readouterr().out
    assert main(["build", "--out", str(kb.root)]) == 2
    assert "outside the knowledge base" in capsys.readouterr().err
    kb.write("notes/compute/bad.md", "no front matter\n")
    assert main(["build", "--out", str(tmp_path / "tree")]) == 1
    assert "notes/compute/bad.md" in capsys.readouterr().err


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _until(check, timeout: float = 180, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_serve_with_zensical_rewrites_only_the_saved_page_and_keeps_the_last_good_one(kb, zensical):
    """`landscape serve --engine zensical`: a saved note reaches its served page, only its file of the tree
    is rewritten, Pagefind re-indexes; a broken note leaves the tree and the served page as they were."""
    kb.note("compute", "one", "One", body="First body. See [[two]].\n")
    kb.note("compute", "two", "Two", body="Second body.\n")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, ZENSICAL_ENV: str(zensical)}
    process = subprocess.Popen([sys.executable, "-m", "landscape.cli", "serve", "--engine", "zensical", "--dev-addr", f"127.0.0.1:{port}"],
                               cwd=kb.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    tree = kb.root / ".cache" / "landscape" / "tree"
    entry = tree / "site" / "pagefind" / "pagefind-entry.json"
    try:
        _until(lambda: "First body." in (_fetch(f"{base}/compute/one/") or ""), what="the first build")
        _until(entry.is_file, what="the first search index")
        time.sleep(1.0)
        stamps = {p: p.stat().st_mtime_ns for p in (tree / "docs").rglob("*") if p.is_file()}
        indexed = entry.stat().st_mtime_ns

        note = kb.root / "notes" / "compute" / "one.md"
        note.write_text(note.read_text(encoding="utf-8").replace("First body.", "First body, saved."), encoding="utf-8")
        page = _until(lambda: (lambda text: text if text and "First body, saved." in text else None)(_fetch(f"{base}/compute/one/")), what="the saved note")
        assert "Second body." not in page
        changed = sorted(p.relative_to(tree).as_posix() for p, stamp in stamps.items() if p.stat().st_mtime_ns != stamp)
        assert changed == ["docs/compute/one.md"]
        _until(lambda: entry.is_file() and entry.stat().st_mtime_ns != indexed, what="the search index after the save")

        note.write_text("---\ntitle: [unclosed\n---\nBody\n", encoding="utf-8")
        time.sleep(3.0)
        assert "First body, saved." in (_fetch(f"{base}/compute/one/") or "")
        assert "First body, saved." in (tree / "docs" / "compute" / "one.md").read_text(encoding="utf-8")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert "notes/compute/one.md:3: invalid YAML" in output and "the last good pages stay served" in output, output[-3000:]
    assert _fetch(f"{base}/compute/one/") is None  # Zensical stopped with it


def test_serve_refuses_an_unknown_engine_and_a_missing_zensical(kb, monkeypatch, capsys):
    kb.note("compute", "one", "One")
    monkeypatch.chdir(kb.root)
    with pytest.raises(SystemExit) as exit_info:
        main(["serve", "--engine", "hugo"])
    assert exit_info.value.code == 2 and "invalid choice: 'hugo'" in capsys.readouterr().err
    monkeypatch.setenv(ZENSICAL_ENV, str(kb.root / "no-such-zensical"))
    monkeypatch.setenv("PATH", "/nonexistent")
    assert main(["--root", str(kb.root), "serve", "--engine", "zensical"]) == 1
    err = capsys.readouterr().err
    assert "landscape serve: error: zensical is not installed: run `make build ENGINE=zensical`" in err
    assert not (kb.root / ".cache" / "landscape" / "tree").exists()  # nothing written


def test_serve_with_zensical_stops_at_a_broken_first_build(kb, zensical, monkeypatch, capsys):
    kb.write("notes/compute/bad.md", "no front matter\n")
    monkeypatch.setenv(ZENSICAL_ENV, str(zensical))
    assert main(["--root", str(kb.root), "serve", "--engine", "zensical"]) == 1
    assert "notes/compute/bad.md" in capsys.readouterr().err
    assert not (kb.root / ".cache" / "landscape" / "tree" / "docs").exists()
