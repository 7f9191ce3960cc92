"""The `landscape` command: each command's good and bad paths, as a contributor sees them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from landscape.cli import main, read_config

from .conftest import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT.parent / "shared" / "seeds").glob("*.txt"))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def kb(tmp_path) -> KnowledgeBase:
    """A small knowledge base: this repo's mkdocs.yml and docs/, empty notes/ and charts/."""
    root = tmp_path / "kb"
    root.mkdir()
    return KnowledgeBase(root)


@pytest.fixture
def here(kb, monkeypatch):
    """The small knowledge base as the current folder."""
    monkeypatch.chdir(kb.root)
    return kb


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------------------------------ layers


def test_layers_come_from_mkdocs_yml_and_python_tags_are_ignored(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  key: !ENV [KEY, none]\nplugins:\n  - search\n  - landscape:\n      layers:\n"
        "        - {id: oceans, title: Oceans, summary: Tides.}\n        - {id: skies, title: Skies}\n",
        encoding="utf-8",
    )
    assert [(l.id, l.title) for l in read_config(config).layers] == [("oceans", "Oceans"), ("skies", "Skies")]
    assert [l.id for l in read_config(ROOT / "mkdocs.yml").layers] == ["compute", "data", "algorithms", "systems", "products"]


def test_no_mkdocs_yml_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "check")
    assert status == 2 and out == ""
    assert err.startswith("landscape check: error: no mkdocs.yml in ") and err.count("\n") == 1


def test_bad_arguments_give_one_line_and_status_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'frobnicate'" in err
    with pytest.raises(SystemExit):
        main(["new", "A title"])  # --layer is required
    assert "the following arguments are required: --layer" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------ new


def test_new_writes_a_draft_that_passes_check(here, capsys):
    status, out, _ = run(capsys, "new", "GPU memory bandwidth", "--layer", "compute", "--tags", "gpu", "memory,HBM")
    assert status == 0
    assert out == "wrote notes/compute/gpu-memory-bandwidth.md (status: draft); write the summary and the sources, then set status: reviewed\n"
    text = (here.root / "notes/compute/gpu-memory-bandwidth.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: GPU memory bandwidth\nsummary: One sentence that states the claim of the note.\n")
    assert "tags:\n- gpu\n- memory\n- hbm\n" in text and "status: draft\n" in text
    status, out, _ = run(capsys, "check")
    assert status == 0 and out.startswith("checked 1 notes, 0 datasets, 0 charts, 0 tables, 0 entity collections: no problems")


def test_new_refuses_to_overwrite_in_any_layer(here, capsys):
    here.note("data", "gpu-memory-bandwidth", "Something else")
    before = files_under(here.root / "notes")
    status, out, err = run(capsys, "new", "GPU memory bandwidth", "--layer", "compute")
    assert status == 1 and out == ""
    assert err == "landscape new: error: notes/data/gpu-memory-bandwidth.md already exists; not overwritten (pass --slug to choose another name)\n"
    assert files_under(here.root / "notes") == before


def test_new_rejects_unknown_layer_with_the_list_of_layers(here, capsys):
    status, _, err = run(capsys, "new", "A note", "--layer", "hardware")
    assert status == 2
    assert err == "landscape new: error: unknown layer 'hardware'; layers: compute, data, algorithms, systems, products\n"
    assert files_under(here.root / "notes") == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["   ", "--layer", "data"], "the title is empty"),
        (["Ünïcödé only ☃", "--layer", "data", "--slug", "Bad Slug"], "cannot make a slug from 'Ünïcödé only ☃'"),
        (["A note", "--layer", "data", "--tags", "ok", "#bad"], "tag '#bad' must be lowercase letters"),
        (["A note", "--layer", "data", "--summary", "One. Two sentences."], "summary: Value error, summary must be one sentence"),
    ],
)
def test_new_bad_input_writes_nothing(here, capsys, argv, message):
    status, _, err = run(capsys, "new", *argv)
    assert status == 2 and message in err and err.count("\n") == 1
    assert files_under(here.root / "notes") == []


# ------------------------------------------------------------------------------------------ check


def test_check_reports_every_problem_as_file_line_field_message(here, capsys):
    here.note("compute", "good", "Good note", body="Links to [[nowhere]].\n")
    here.write("notes/data/bad-front.md", "---\ntitle: Bad\nsummary: Fine.\nupdated: next week\ncolour: red\n---\nBody.\n")
    here.write("charts/data/broken.yaml", "id: broken\ntitle: [unclosed\n")
    status, out, err = run(capsys, "check")
    assert status == 1
    assert out.splitlines() == [
        "charts/data/broken.yaml:3: invalid YAML: did not find expected ',' or ']'",
        "notes/compute/good.md:12: wikilink: [[nowhere]] links to no note (by slug or title)",
        "notes/data/bad-front.md:4: updated: Input should be a valid date or datetime, input is too short",
        "notes/data/bad-front.md:5: colour: unknown field",
    ]
    assert err.startswith("checked 2 notes, 1 datasets, 0 charts, 0 tables, 0 entity collections: 4 problems in 3 files")


def test_check_does_not_blame_links_to_a_note_that_failed_to_load(here, capsys):
    here.note("compute", "linker", "Linker", body="See [[broken-note]].\n")
    here.write("notes/data/broken-note.md", "---\ntitle: Broken\n---\nBody.\n")
    status, out, _ = run(capsys, "check")
    assert status == 1
    assert all("broken-note.md" in line for line in out.splitlines()), out


def test_check_non_utf8_file(here, capsys):
    (here.root / "notes/compute/latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    status, out, _ = run(capsys, "check")
    assert status == 1 and out == "notes/compute/latin1.md:2: file is not valid UTF-8\n"


def test_check_paths_limit_the_report(here, capsys):
    here.note("compute", "one", "One", body="[[missing-one]]\n")
    here.note("data", "two", "Two", body="[[missing-two]]\n")
    status, out, _ = run(capsys, "check", "notes/data")
    assert status == 1 and out == "notes/data/two.md:12: wikilink: [[missing-two]] links to no note (by slug or title)\n"
    status, _, err = run(capsys, "check", "notes/nowhere")
    assert status == 2 and err == "landscape check: error: notes/nowhere: no such file or folder\n"


def test_check_github_format_annotates(here, capsys):
    here.note("compute", "one", "One", body="[[missing]]\n")
    status, out, _ = run(capsys, "check", "--format", "github")
    assert status == 1
    assert out == "::error file=notes/compute/one.md,line=12::wikilink: [[missing]] links to no note (by slug or title)\n"


def test_check_reports_stale_schemas(here, capsys):
    (here.root / "docs/schemas").mkdir(exist_ok=True)
    (here.root / "docs/schemas/note.schema.json").write_text("{}\n", encoding="utf-8")
    status, out, _ = run(capsys, "check")
    assert status == 1
    assert "docs/schemas/note.schema.json: schema: out of date with the models: run `landscape schemas`" in out


def test_check_through_the_installed_entry_point(kb):
    kb.note("compute", "one", "One")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "scripts")}
    result = subprocess.run([sys.executable, "-m", "landscape.cli", "check"], cwd=kb.root, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("checked 1 notes, 0 datasets, 0 charts, 0 tables, 0 entity collections: no problems")


# ------------------------------------------------------------------------------------------ import


@pytest.mark.skipif(len(SEEDS) != 5, reason="the five seeds live in ../shared/seeds")
def test_import_the_five_seeds_then_check_passes(here, capsys):
    status, out, err = run(capsys, "import", *map(str, SEEDS))
    assert status == 0, err
    assert out.count(" -> notes/") == 5 and "imported 5 drafts" in out
    assert "removed '๐ค'" in out and "collapsed to one" in out and "not found, left as visible placeholders" in out
    assert len(list((here.root / "notes").glob("*/*.md"))) == 5
    status, out, err = run(capsys, "check")
    assert (status, err) == (0, ""), out
    assert out.startswith("checked 5 notes")
    # a second import changes nothing and says why
    before = {p: p.read_bytes() for p in (here.root / "notes").glob("*/*.md")}
    status, out, err = run(capsys, "import", *map(str, SEEDS))
    assert status == 1 and out == "" and "already exists; an import never overwrites a note" in err
    assert err.rstrip().endswith("nothing imported: 5 problems")
    assert {p: p.read_bytes() for p in (here.root / "notes").glob("*/*.md")} == before


def test_import_with_layer_and_title(here, capsys, tmp_path):
    source = tmp_path / "x.md"
    source.write_text("Some text about [[Unknown note]].\n", encoding="utf-8")
    status, out, _ = run(capsys, "import", str(source), "--layer", "data", "--title", "My imported note")
    assert status == 0
    assert out.splitlines()[0] == f"{source} -> notes/data/my-imported-note.md (status: draft)"
    assert "  wikilinks: 1 to no note made plain text: [[Unknown note]]" in out
    body = (here.root / "notes/data/my-imported-note.md").read_text(encoding="utf-8")
    assert "Some text about Unknown note." in body
    assert run(capsys, "check")[0] == 0


def test_import_dry_run_writes_nothing(here, capsys, tmp_path):
    source = tmp_path / "x.md"
    source.write_text("Text.\n", encoding="utf-8")
    status, out, _ = run(capsys, "import", str(source), "--dry-run")
    assert status == 0 and out.rstrip().endswith("dry run: 1 draft not written")
    assert files_under(here.root / "notes") == []


def test_import_bad_inputs_write_nothing(here, capsys, tmp_path):
    good = tmp_path / "good.md"
    good.write_text("Fine text.\n", encoding="utf-8")
    latin = tmp_path / "latin.txt"
    latin.write_bytes(b"caf\xe9\n")
    status, _, err = run(capsys, "import", str(good), str(latin))
    assert status == 1
    assert err.splitlines() == [
        f"{latin}: line 1: file is not valid UTF-8 (byte 0xE9); convert it to UTF-8 first",
        "nothing imported: 1 problem",
    ]
    assert files_under(here.root / "notes") == []
    status, _, err = run(capsys, "import", str(tmp_path / "nope.md"))
    assert status == 2 and err == f"landscape import: error: {tmp_path / 'nope.md'}: no such file or folder\n"
    status, _, err = run(capsys, "import", str(good), "--layer", "hardware")
    assert status == 2 and "unknown layer 'hardware'; layers: compute, data" in err
    status, _, err = run(capsys, "import", str(good), str(latin), "--title", "T")
    assert status == 2 and "--title names one note" in err
    assert files_under(here.root / "notes") == []


# ------------------------------------------------------------------------------------------ schemas


def test_schemas_command_writes_then_reports_unchanged(here, capsys):
    folder = here.root / "docs/schemas"
    if folder.exists():
        for path in folder.iterdir():
            path.unlink()
    status, out, _ = run(capsys, "schemas", "--check")
    assert status == 1
    status, out, _ = run(capsys, "schemas")
    assert status == 0 and out.count("wrote docs/schemas/") == 5
    status, out, _ = run(capsys, "schemas")
    assert out.count("unchanged docs/schemas/") == 5
    assert run(capsys, "schemas", "--check")[0] == 0
