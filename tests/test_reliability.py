"""Reliability of the build: nothing in the sources is lost on the way to the site, two builds of the
same commit are byte-identical, and a failed `make build` leaves the previous site/ in place."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from landscape.paths import Paths

from .conftest import ROOT, mkdocs_build

pytestmark = pytest.mark.slow


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_every_note_dataset_row_chart_and_table_arrives(built_site: Path):
    paths = Paths(ROOT)
    notes = [p for p in paths.note_files() if not p.name.startswith("_")]
    pages = [p for p in notes if (built_site / p.parent.name / p.stem / "index.html").is_file()]
    assert len(pages) == len(notes), sorted(set(map(str, notes)) - set(map(str, pages)))
    total_rows = 0
    for source in paths.dataset_files():
        ident, rows = source.stem, len(_yaml(source)["rows"])
        total_rows += rows
        payload = json.loads((built_site / "datasets" / "assets" / f"{ident}.json").read_text(encoding="utf-8"))
        assert len(payload["rows"]) == rows, f"{ident}: {rows} rows in the source, {len(payload['rows'])} in the JSON"
        table = list(csv.reader(io.StringIO((built_site / "datasets" / "assets" / f"{ident}.csv").read_text(encoding="utf-8"))))
        assert len(table) - 1 == rows, f"{ident}: {rows} rows in the source, {len(table) - 1} in the CSV"
        page = (built_site / "datasets" / ident / "index.html").read_text(encoding="utf-8")
        assert f"{rows} rows." in page, ident
    for source in paths.chart_files():
        ident = source.stem
        assert (built_site / "charts" / ident / "index.html").is_file(), ident
        for suffix in ("svg", "dark.svg", "vl.json", "csv", "json"):
            asset = built_site / "charts" / "assets" / f"{ident}.{suffix}"
            assert asset.is_file() and asset.stat().st_size > 100, asset
        assert f'href="{ident}/"' in (built_site / "charts" / "index.html").read_text(encoding="utf-8"), ident
    for source in paths.table_files():
        assert (built_site / "tables" / source.stem / "index.html").is_file(), source.stem
    assert len(notes) >= 50 and total_rows >= 1000 and len(paths.chart_files()) >= 5


def test_two_builds_of_the_same_commit_are_byte_identical(built_site: Path, tmp_path: Path):
    second = tmp_path / "second"
    result = mkdocs_build(ROOT, second)
    assert result.returncode == 0, result.stderr[-3000:]
    first_files = {p.relative_to(built_site).as_posix() for p in built_site.rglob("*") if p.is_file()}
    second_files = {p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file()}
    assert first_files == second_files
    differ = sorted(name for name in first_files if (built_site / name).read_bytes() != (second / name).read_bytes())
    assert differ == [], f"files that differ between two builds: {differ}"


def _make_build_commands() -> list[str]:
    """The recipe of the Makefile's `build` target, with the venv's mkdocs replaced by this Python's."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^build-mkdocs:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    mkdocs = f"{shlex.quote(sys.executable)} -m mkdocs"
    script = recipe.replace("\\\n", " ").replace("$$", "$")  # as make hands it to the shell
    return [line.strip().replace("$(BIN)/mkdocs", mkdocs) for line in script.splitlines()]


def _make_build(root: Path) -> subprocess.CompletedProcess:
    script = "set -e\n" + "\n".join(_make_build_commands())
    return subprocess.run(["sh", "-c", script], cwd=root, capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1700000000", "HOME": str(root)})


def test_a_failed_build_leaves_the_previous_site_in_place(kb):
    kb.note("compute", "first", "First note")
    assert "site.partial" in " ".join(_make_build_commands())
    result = _make_build(kb.root)
    assert result.returncode == 0, result.stderr[-3000:]
    page = kb.root / "site" / "compute" / "first" / "index.html"
    before = page.read_bytes()
    kb.note("compute", "broken", "Broken note", body="Links to [[no-such-note]].\n")
    result = _make_build(kb.root)
    assert result.returncode != 0
    assert "notes/compute/broken.md" in result.stderr + result.stdout
    assert page.read_bytes() == before, "the previous site changed"
    assert not (kb.root / "site" / "compute" / "broken").exists()
    assert not (kb.root / "site.previous").exists()
    assert not list(kb.root.glob("site.partial*")), "the failed build's folder was left behind"


def test_two_make_builds_at_once_both_succeed(kb):
    from concurrent.futures import ThreadPoolExecutor

    kb.note("compute", "first", "First note")
    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda _: _make_build(kb.root), range(2)))
    for result in results:
        assert result.returncode == 0, result.stderr[-3000:]
    assert (kb.root / "site" / "compute" / "first" / "index.html").is_file()
    assert not list(kb.root.glob("site.partial*")) and not (kb.root / "site.previous").exists()
