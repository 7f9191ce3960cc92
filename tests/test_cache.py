"""No cache can run code, and builds side by side share one cache safely.

Every entry under .cache/ is replaced by a pickle payload, by JSON with bad fields, by JSON with
well-formed but forged values, by a torn copy of itself: the build never runs the payload, ignores the
entry, rebuilds it and writes exactly the site a cold build writes. Three builds started together on one
knowledge base, with one cold cache, all succeed and write identical sites."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from landscape import cache

from .conftest import mkdocs_build

DATASET = """\
id: things
title: Things
description: One row per thing.
licence: CC BY 4.0
credit: Someone
sources:
  s1: {title: A source, url: "https://example.org/s"}
columns:
  - {name: name, type: string, description: Name}
  - {name: released, type: date, description: Release date}
  - {name: value, type: number, unit: FLOP, description: Value}
rows:
  - {name: alpha, released: 2020-01-01, value: 1e3, source: s1}
  - {name: beta, released: 2021-06-30, value: {low: 1.5e3, central: 2e3, high: null}, source: s1}
  - {name: gamma, released: 2022-03-15, value: 4.25e3, source: s1}
"""

CHART = """\
id: things-chart
title: Things over time
caption: What a reader sees.
alt: A description for screen readers.
x: {title: Released, type: temporal}
y: {title: Value (FLOP), type: quantitative, scale: log}
layers:
  - {dataset: things, mark: point, x: released, y: value}
"""


def _kb(kb):
    kb.write("charts/data/things.yaml", DATASET)
    kb.write("charts/things-chart.yaml", CHART)
    kb.note("compute", "uses-chart", "Uses the chart", body="The chart:\n\n{{chart things-chart}}\n")
    return kb


def _env(tmp_path: Path) -> dict[str, str]:
    return {cache.KEY_ENV: str(tmp_path / "key" / "cache-key")}


def _site(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entries(root: Path) -> list[Path]:
    return sorted(p for p in (root / ".cache" / "landscape").rglob("*") if p.is_file())


class Payload:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _forged(entry: Path) -> bytes:
    """The entry's JSON with every number doubled and every text changed, under a made-up tag."""
    payload = entry.read_bytes().split(b"\n", 1)[1]
    try:
        data = json.loads(payload)
    except ValueError:
        return cache.MAGIC + b"0" * 64 + b"\n" + b"alert('planted');\n"

    def forge(value):
        if isinstance(value, dict):
            return {k: forge(v) for k, v in value.items()}
        if isinstance(value, list):
            return [forge(v) for v in value]
        if isinstance(value, float) and not isinstance(value, bool):
            return value * 2
        if isinstance(value, str) and value not in ("string", "date", "number", "s1") and not value.startswith("/"):
            return value + "<script>alert(1)</script>"
        return value

    return cache.MAGIC + b"f" * 64 + b"\n" + json.dumps(forge(data)).encode("utf-8")


@pytest.mark.parametrize("plant", ["pickle", "bad-json", "forged-json", "torn"])
def test_a_planted_cache_entry_is_never_run_and_the_output_is_right(kb, tmp_path, plant):
    _kb(kb)
    env = _env(tmp_path)
    cold = mkdocs_build(kb.root, tmp_path / "cold", env)
    assert cold.returncode == 0, cold.stderr[-3000:]
    entries = _entries(kb.root)
    kinds = {p.parent.name for p in entries}
    assert kinds == {"datasets", "charts", "vega", "safety"}, entries
    assert all(p.suffix in (".json", ".js", ".txt") for p in entries)
    marker = tmp_path / "pwned"
    for entry in entries:
        if plant == "pickle":
            entry.write_bytes(pickle.dumps(Payload(marker)))
            entry.with_name(entry.name.rsplit(".", 1)[0] + ".pickle").write_bytes(pickle.dumps(Payload(marker)))
        elif plant == "bad-json":
            entry.write_bytes(json.dumps({"id": 5, "rows": "x", "spec": None, "extra": True}).encode())
        elif plant == "forged-json":
            entry.write_bytes(_forged(entry))
        else:
            data = entry.read_bytes()
            entry.write_bytes(data[: len(data) // 2])
            (entry.parent / f".{entry.name}.abc123.tmp").write_bytes(data[:100])
    warm = mkdocs_build(kb.root, tmp_path / "warm", env)
    assert warm.returncode == 0, warm.stderr[-3000:]
    assert not marker.exists(), "a cache entry ran code"
    assert "charts rendered 1, from cache 0" in warm.stderr  # the planted chart entry was not used
    assert _site(tmp_path / "warm") == _site(tmp_path / "cold")
    page = (tmp_path / "warm" / "datasets" / "things" / "index.html").read_text(encoding="utf-8")
    assert "4,250" in page and "alert" not in page
    # the entries were rebuilt: a third build takes every chart from the cache and writes the same site
    again = mkdocs_build(kb.root, tmp_path / "again", env)
    assert again.returncode == 0 and "charts rendered 0, from cache 1" in again.stderr, again.stderr[-2000:]
    assert _site(tmp_path / "again") == _site(tmp_path / "cold")


def test_entries_are_json_tagged_for_this_machine_only(kb, tmp_path):
    _kb(kb)
    assert mkdocs_build(kb.root, tmp_path / "one", _env(tmp_path)).returncode == 0
    entry = next(p for p in _entries(kb.root) if p.parent.name == "datasets")
    head, payload = entry.read_bytes().split(b"\n", 1)
    assert head.startswith(cache.MAGIC) and json.loads(payload)["id"] == "things"
    key = tmp_path / "key" / "cache-key"
    assert key.stat().st_mode & 0o777 == 0o600
    # another machine (another key) takes nothing from this cache
    other = mkdocs_build(kb.root, tmp_path / "two", {cache.KEY_ENV: str(tmp_path / "other-key")})
    assert other.returncode == 0 and "charts rendered 1, from cache 0" in other.stderr


def test_three_builds_in_parallel_share_one_cache(kb, tmp_path):
    _kb(kb)
    for index in range(6):
        kb.note("data", f"extra-{index}", f"Extra note {index}", body=f"Text {index}, linking [[uses-chart]].\n")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **_env(tmp_path)}
    runs = [
        subprocess.Popen([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / f"site{i}")],
                         cwd=kb.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(3)
    ]
    results = [(run.wait(timeout=900), *run.communicate()) for run in runs]
    for code, _out, err in results:
        assert code == 0, err[-3000:]
        assert "Traceback" not in err
    sites = [_site(tmp_path / f"site{i}") for i in range(3)]
    assert len(sites[0]) > 20
    assert sites[0] == sites[1] == sites[2]
    assert not [p for p in (kb.root / ".cache").rglob("*.tmp")], "temporary files left behind"
    # and the shared cache they wrote is whole: a fourth build takes everything from it
    fourth = mkdocs_build(kb.root, tmp_path / "site3", _env(tmp_path))
    assert fourth.returncode == 0 and "charts rendered 0, from cache 1" in fourth.stderr
    assert _site(tmp_path / "site3") == sites[0]


def _hammer(args) -> int:
    """Write and read one entry many times; count reads that were neither the old nor the new content."""
    path, key, worker = args
    os.environ[cache.KEY_ENV] = key
    contents = {b"A" * 200_000, b"B" * 300_000, b"C" * 100_000}
    bad = 0
    for round_ in range(60):
        cache.write_bytes(Path(path), sorted(contents)[(worker + round_) % 3])
        got = cache.read_bytes(Path(path))
        if got is not None and got not in contents:
            bad += 1
    return bad


def test_concurrent_writers_never_show_a_torn_entry(tmp_path, monkeypatch):
    key = str(tmp_path / "key")
    monkeypatch.setenv(cache.KEY_ENV, key)
    entry = tmp_path / "c" / "entry.json"
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        torn = pool.map(_hammer, [(str(entry), key, i) for i in range(3)])
    assert torn == [0, 0, 0]
    assert cache.read_bytes(entry) in {b"A" * 200_000, b"B" * 300_000, b"C" * 100_000}
    assert [p.name for p in entry.parent.iterdir()] == ["entry.json"]


def _tracked_step() -> str:
    import yaml

    workflow = yaml.safe_load((Path(__file__).resolve().parents[1] / ".github" / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check-build-test"]["steps"]
    names = [step.get("name", "") for step in steps]
    index = names.index("No cache or build output tracked")
    assert index < names.index("Install from requirements.lock"), "the check runs before anything is built"
    return steps[index]["run"]


@pytest.mark.parametrize("tracked, fails", [(None, False), (".cache/landscape/datasets/x-0123.json", True), ("site/index.html", True)])
def test_the_pull_request_workflow_refuses_a_tracked_cache_or_site(tmp_path, tracked, fails):
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    (repo / "README.md").write_text("x\n")
    paths = ["README.md"]
    if tracked:
        (repo / tracked).parent.mkdir(parents=True)
        (repo / tracked).write_text("planted\n")
        paths.append(tracked)
    subprocess.run([*git, "add", "-f", *paths], cwd=repo, check=True)
    result = subprocess.run(["bash", "-e", "-c", _tracked_step()], cwd=repo, capture_output=True, text=True)
    assert (result.returncode != 0) is fails, result.stdout + result.stderr
    if fails:
        assert tracked in result.stdout and "::error::" in result.stdout


def test_safety_verdicts_are_read_only_when_authentic(tmp_path, monkeypatch):
    from landscape import safety

    monkeypatch.setenv(cache.KEY_ENV, str(tmp_path / "key"))
    digest = safety.Verdicts.digest("page", "<img src=x onerror=alert(1)>")
    planted = tmp_path / "safety" / "passed.txt"
    planted.parent.mkdir()
    planted.write_text(digest + "\n")
    assert safety.Verdicts.open(planted).known == set()
    cache.write_text(planted, digest)
    assert safety.Verdicts.open(planted).known == {digest}
    # and the page check never remembers a page that failed
    safety.use_verdicts(safety.Verdicts.open(None))
    assert safety.page_problems("<img src=x onerror=alert(1)>", "x.md")
    assert safety.verdicts().passed == set()
    assert safety.page_problems("<p>fine</p>", "x.md") == [] and len(safety.verdicts().passed) == 1


def test_the_code_version_covers_every_module_and_asset_of_the_package(tmp_path):
    """Cache entries are keyed by a hash of the whole package, never of listed files: splitting a module,
    adding one in a subpackage or editing the page script each gives a new version."""
    names = cache.code_files()
    assert "charts/render.py" in names and "chartpages/chart.py" in names and "cache.py" in names
    assert "static/charts.js" in names and "overrides/main.html" in names
    assert not any("__pycache__" in name or name.endswith(".pyc") for name in names)
    on_disk = {p.relative_to(cache.PACKAGE).as_posix() for p in cache.PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert on_disk <= set(names)

    package = tmp_path / "landscape"
    (package / "charts").mkdir(parents=True)
    (package / "static").mkdir()
    (package / "charts" / "model.py").write_text("A = 1\n")
    (package / "static" / "charts.js").write_text("let a;\n")
    (package / "notes.txt").write_text("not code\n")

    def version() -> str:
        return cache.version_of((name, (package / name).read_bytes()) for name in cache.code_files(package))

    assert cache.code_files(package) == ["charts/model.py", "static/charts.js"]
    first = version()
    (package / "notes.txt").write_text("still not code\n")
    assert version() == first
    (package / "static" / "charts.js").write_text("let b;\n")
    edited = version()
    assert edited != first
    (package / "charts" / "layout.py").write_text("")  # a new, empty module
    added = version()
    assert added != edited
    (package / "charts" / "layout.py").rename(package / "charts" / "theme.py")  # the same bytes, moved
    assert version() not in (added, edited)
