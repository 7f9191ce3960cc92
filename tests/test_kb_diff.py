"""`python -m tools.kb_diff` on a temporary git repository: what a pull request's summary says."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True, text=True).stdout


def write(repo: Path, relative: str, text: str) -> None:
    path = repo / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def note(title: str, body: str = "Body.") -> str:
    return f"---\ntitle: {title}\nsummary: S.\nupdated: 2026-01-01\n---\n\n{body}\n"


DATASET = """
id: chips
title: Chips
columns:
  - {name: chip, type: string}
  - {name: flops, type: number, unit: FLOP/s}
rows:
  - {chip: A, flops: 1e12, source: s}
  - {chip: B, flops: 2e12, source: s}
  - {chip: C, flops: 3e12, source: s}
"""


def run(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """The tool as CI runs it: a module, from the project's root, on ``repo``."""
    return subprocess.run([sys.executable, "-m", "tools.kb_diff", *args, "--root", str(repo)], cwd=ROOT, env=ENV,
                          capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(repo, "notes/compute/kept.md", note("Kept"))
    write(repo, "notes/compute/edited.md", note("Edited"))
    write(repo, "notes/data/gone.md", note("Gone"))
    write(repo, "charts/data/chips.yaml", DATASET)
    write(repo, "charts/data/other.yaml", DATASET.replace("chips", "other"))
    write(repo, "charts/chips.yaml", "id: chips\nlayers:\n  - {dataset: chips, x: chip, y: flops}\n")
    write(repo, "charts/other.yaml", "id: other\nlayers:\n  - {dataset: other, x: chip, y: flops}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_summary_of_notes_rows_and_charts(repo):
    write(repo, "notes/compute/edited.md", note("Edited", "New body."))
    write(repo, "notes/algorithms/new-note.md", note("A new note"))
    (repo / "notes/data/gone.md").unlink()
    rows = DATASET.replace("{chip: B, flops: 2e12", "{chip: B, flops: 2.5e12").replace(
        "  - {chip: C, flops: 3e12, source: s}\n", "  - {chip: D, flops: 4e12, source: s}\n  - {chip: E, flops: 5e12, source: s}\n")
    write(repo, "charts/data/chips.yaml", rows)
    result = run(repo, "main")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("## Knowledge-base changes (main → working tree)\n")
    assert "### Notes: 1 added, 1 changed, 1 removed" in out
    assert "- added: **A new note** (`notes/algorithms/new-note.md`)" in out
    assert "- changed: **Edited** (`notes/compute/edited.md`)" in out
    assert "- removed: **Gone** (`notes/data/gone.md`)" in out
    assert "Kept" not in out
    assert "| `charts/data/chips.yaml` | 2 | 1 | 1 |  |" in out  # D, E added; B changed; C removed
    assert "### Charts whose SVG changes: 1" in out
    assert "| `charts/chips.yaml` |" in out and "dataset `chips`" in out and "charts/other.yaml" not in out


def test_no_changes_and_head_ref(repo):
    out = run(repo, "main").stdout
    assert "### Notes: 0 added, 0 changed, 0 removed" in out and "No dataset changed." in out and "No chart changes." in out
    write(repo, "charts/other.yaml", "id: other\ntitle: New title\nlayers:\n  - {dataset: other, x: chip, y: flops}\n")
    git(repo, "commit", "-q", "-am", "retitle")
    out = run(repo, "main~1", "--head", "main").stdout
    assert "| `charts/other.yaml` |" in out and "| chart spec |" in out


def test_rendering_code_change_flags_every_chart(repo):
    write(repo, "mkdocs.yml", "site_name: x\n")
    out = run(repo, "main").stdout
    assert "The chart rendering code or theme changed (`mkdocs.yml`)" in out
    assert "### Charts whose SVG changes: 2" in out


def test_a_change_anywhere_in_the_package_flags_every_chart(repo):
    """The rendering code is the whole package: a module added by a split counts, and so does one removed."""
    write(repo, "scripts/landscape/charts.py", "RENDER = 1\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "package")
    (repo / "scripts/landscape/charts.py").unlink()
    write(repo, "scripts/landscape/charts/layout.py", "RENDER = 1\n")
    write(repo, "scripts/landscape/__pycache__/charts.cpython-311.pyc", "x")  # bytecode never counts
    out = run(repo, "main").stdout
    assert "changed (`scripts/landscape/charts.py`, `scripts/landscape/charts/layout.py`):" in out
    assert "### Charts whose SVG changes: 2" in out and "rendering code" in out
    out = run(repo, "main", "--head", "main").stdout
    assert "No chart changes." in out


def test_unknown_ref_is_one_line_and_status_2(repo):
    result = run(repo, "no-such-branch")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == "kb_diff: error: 'no-such-branch' is not a commit in this repository (fetch it first?)\n"
