"""The ``landscape`` command: new, check, import, build, serve, schemas.

    landscape new "Title" --layer compute [--tags gpu price-performance]
    landscape check [PATHS...]
    landscape import SRC... [--layer L] [--title T] [--dry-run]
    landscape build --out DIR [--engine mkdocs|zensical] [--site SITE]
    landscape serve [--engine mkdocs|zensical] [--dev-addr IP:PORT]
    landscape schemas [--check]

Every command works on the knowledge base whose mkdocs.yml is in the current folder or above it (or
``--root``). The layers come from mkdocs.yml (plugins -> landscape -> layers): they are configuration.
Bad arguments, unreadable or non-UTF-8 files give one line on stderr and exit status 2 (usage) or 1;
a command that fails writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import yaml

from .config import ConfigError, SiteConfig, read_site_config
from .entities import unlinked_mentions
from .notes import SLUG_PATTERN, TAG_PATTERN, Layer, note_file
from .paths import Paths
from .problems import Problem, display_path, problem, shorten

CONFIG_NAME = "mkdocs.yml"
PLUGIN_NAME = "landscape"


class CliError(Exception):
    """A one-line message for the user; the command exits with ``status``."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


# ============================================================================ configuration


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding mkdocs.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise CliError(f"no {CONFIG_NAME} in {display_path(start)} or above it: run inside a knowledge base or pass --root", 2)


def read_config(config_path: Path) -> SiteConfig:
    """The site configuration in mkdocs.yml (config.read_site_config, the plugin's reader too)."""
    try:
        return read_site_config(config_path)
    except ConfigError as exc:
        raise CliError(str(exc)) from None


def layer_named(layer_id: str, layers: list[Layer]) -> str:
    if layer_id not in {layer.id for layer in layers}:
        raise CliError(f"unknown layer {shorten(layer_id)}; layers: {', '.join(layer.id for layer in layers)}", 2)
    return layer_id


# ============================================================================ new


NOTE_TEMPLATE = """\
Lead with the claim in one sentence. Then the figures (value, unit, date, who measured it, how), what
they mean, and where they stop holding.

Link related notes by slug or title in double square brackets, embed a chart or a computed table with
its id in double curly braces on a line of its own, and list every source in the front matter. See
CONTRIBUTING.md.
"""


def split_tags(values: Sequence[str] | None) -> list[str]:
    tags: list[str] = []
    for value in values or []:
        for part in value.split(","):
            tag = part.strip().lower()
            if not tag:
                continue
            if not TAG_PATTERN.match(tag):
                raise CliError(f"tag {shorten(part.strip())} must be lowercase letters, digits, spaces, '-', '+' or '.'", 2)
            if tag not in tags:
                tags.append(tag)
    return tags


def note_text(title: str, summary: str, tags: list[str], today: dt.date) -> str:
    meta = {"title": title, "summary": summary, "tags": tags, "sources": [], "updated": today, "status": "draft"}
    return note_file(meta, NOTE_TEMPLATE)


def cmd_new(args: argparse.Namespace, root: Path) -> int:
    from .importer import slugify
    from .notes import FrontMatter

    layers = read_config(root / CONFIG_NAME).layers
    layer = layer_named(args.layer, layers)
    title = " ".join(args.title.split())
    if not title:
        raise CliError("the title is empty", 2)
    slug = args.slug or slugify(title)
    if not slug or not SLUG_PATTERN.match(slug):
        raise CliError(f"cannot make a slug from {shorten(title)}: pass --slug (lowercase words joined by hyphens)", 2)
    summary = " ".join((args.summary or "One sentence that states the claim of the note.").split())
    tags = split_tags(args.tags)
    text = note_text(title, summary, tags, dt.date.today())
    from pydantic import ValidationError

    try:
        FrontMatter.model_validate(yaml.safe_load(text.split("---\n")[1]))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise CliError(f"{'.'.join(map(str, first['loc']))}: {first['msg']}", 2) from None
    paths = Paths(root)
    for existing in paths.note_files():
        if existing.stem == slug:
            raise CliError(f"{display_path(existing)} already exists; not overwritten (pass --slug to choose another name)")
    target = paths.notes / layer / f"{slug}.md"
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise CliError(f"{display_path(target)} already exists; not overwritten") from None
    print(f"wrote {display_path(target)} (status: draft); write the summary and the sources, then set status: reviewed")
    return 0


# ============================================================================ check


def consequential(problems: list[Problem], content: Any, paths: Paths) -> list[Problem]:
    """Drop link problems that only repeat a load problem: a link to a note, chart, table... whose file
    exists but did not validate (its own problem is reported). Read from the problems' codes and refs."""
    failed: set[str] = set()
    for kind in content.kinds:
        if kind.name == "note":
            loaded = {note.slug for note in content.notes}
            failed |= {f"note:{p.stem.lower()}" for p in paths.note_files() if p.stem not in loaded}
        else:
            failed |= {f"{kind.name}:{p.stem}" for p in kind.files(paths) if p.stem not in content.items.get(kind.name, {})}
    return [p for p in problems if not (p.code.startswith("link.") and p.ref in failed)]


def file_counts(kinds: list[Any], paths: Paths) -> str:
    """What `landscape check` read, counted by kind: "63 notes, 9 datasets, ..."."""
    counts = []
    for kind in kinds:
        count = kind.count(paths) if kind.count else len(kind.files(paths))
        if count is not None:
            counts.append(f"{count} {kind.plural}")
    return ", ".join(counts)


def schema_problems(paths: Paths) -> list[Problem]:
    """The committed JSON Schemas must equal what the models generate (when the folder exists)."""
    if not paths.schemas.is_dir():
        return []
    from .schemas import stale_schemas

    return [
        problem(paths.schemas / name, None, "schema", "out of date with the models: run `landscape schemas`")
        for name in stale_schemas(paths.schemas)
    ]


def under(file: str, filters: list[Path]) -> bool:
    path = Path(file).resolve()
    return any(path == f or f in path.parents for f in filters)


def cmd_check(args: argparse.Namespace, root: Path) -> int:
    from .pipeline import check

    started = time.perf_counter()
    config = read_config(root / CONFIG_NAME)
    filters = []
    for given in args.paths:
        path = Path(given)
        if not path.exists():
            raise CliError(f"{given}: no such file or folder", 2)
        filters.append(path.resolve())
    paths = Paths(root)
    checked = check(root, config)
    problems = consequential(checked.problems, checked.content, paths) + schema_problems(paths)
    if filters:
        problems = [p for p in problems if under(p.file, filters)]
    problems = sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
    counts = file_counts(checked.content.kinds, paths)
    for found in problems:
        print(github_annotation(found) if args.format == "github" else str(found))
    hints = [] if args.no_hints else unlinked_mentions(checked.content.notes, checked.content.collections)
    if filters:
        hints = [h for h in hints if under(display_path(h.path), filters)]
    for hint in hints:
        print(f"::notice file={display_path(hint.path)},line={hint.line}::{hint}" if args.format == "github" else _shown(hint))
    seconds = time.perf_counter() - started
    if problems:
        files = len({p.file for p in problems})
        print(f"checked {counts}: {len(problems)} problem{'s' if len(problems) != 1 else ''} in {files} file{'s' if files != 1 else ''} ({seconds:.1f} s)", file=sys.stderr)
        return 1
    print(f"checked {counts}: no problems ({seconds:.1f} s)")
    return 0


def _shown(hint: Any) -> str:
    return str(hint).replace(str(hint.path), display_path(hint.path), 1)


def github_annotation(found: Problem) -> str:
    """A GitHub Actions workflow command: the problem shows on the pull request's diff."""
    where = f"file={found.file}" + (f",line={found.line}" if found.line else "")
    message = f"{found.field}: {found.message}" if found.field else found.message
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::error {where}::{message}"


# ============================================================================ import


IMPORTABLE = (".md", ".markdown", ".txt")


def import_sources(given: Sequence[str]) -> list[Path]:
    sources: list[Path] = []
    for name in given:
        path = Path(name)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE and not any(part.startswith(".") for part in p.relative_to(path).parts))
            if not found:
                raise CliError(f"{name}: no .md, .markdown or .txt files in this folder", 2)
            sources.extend(found)
        elif path.exists():
            sources.append(path)
        else:
            raise CliError(f"{name}: no such file or folder", 2)
    return list(dict.fromkeys(sources))


def cmd_import(args: argparse.Namespace, root: Path) -> int:
    from .importer import plan_imports, write_plan

    layers = read_config(root / CONFIG_NAME).layers
    layer = layer_named(args.layer, layers) if args.layer else None
    sources = import_sources(args.sources)
    if args.title and len(sources) > 1:
        raise CliError("--title names one note: give one source file with it", 2)
    paths = Paths(root)
    plan = plan_imports(sources, paths, layers, layer=layer, title=args.title)
    if plan.errors:
        for error in plan.errors:
            print(error, file=sys.stderr)
        print(f"nothing imported: {len(plan.errors)} problem{'s' if len(plan.errors) != 1 else ''}", file=sys.stderr)
        return 1
    for draft in plan.drafts:
        print(f"{display_path(draft.source)} -> {draft.relative_path.as_posix()} (status: draft)")
        for line in draft.report:
            print(f"  {line}")
    if args.dry_run:
        print(f"dry run: {len(plan.drafts)} draft{'s' if len(plan.drafts) != 1 else ''} not written")
        return 0
    write_plan(plan, paths)
    print(f"imported {len(plan.drafts)} draft{'s' if len(plan.drafts) != 1 else ''}; run `landscape check`, then review each one")
    return 0


# ============================================================================ schemas


def cmd_schemas(args: argparse.Namespace, root: Path) -> int:
    from .schemas import generate, stale_schemas

    folder = Paths(root).schemas
    if args.check:
        stale = stale_schemas(folder)
        for name in stale:
            print(f"{display_path(folder / name)}: out of date with the models", file=sys.stderr)
        if stale:
            print("run `landscape schemas` and commit the result", file=sys.stderr)
            return 1
        print(f"{display_path(folder)}: every schema matches the models")
        return 0
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generate().items():
        target = folder / name
        old = target.read_text(encoding="utf-8") if target.is_file() else None
        if old != text:
            target.write_text(text, encoding="utf-8")
        print(f"{'unchanged' if old == text else 'wrote'} {display_path(target)}")
    return 0


# ============================================================================ build


def cmd_build(args: argparse.Namespace, root: Path) -> int:
    from .engines import EngineError, build_site
    from .folder import write_tree
    from .problems import ProblemsError

    started = time.perf_counter()
    out = args.out.resolve()
    if out == root or root.is_relative_to(out) or out == (root / "docs").resolve():
        raise CliError(f"--out {args.out}: choose a folder outside the knowledge base's own files", 2)
    try:
        report = write_tree(root, out, read_site_config(root / CONFIG_NAME))
    except ConfigError as exc:
        raise CliError(str(exc)) from None
    except ProblemsError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(f"wrote {display_path(out)}: {len(report.written)} files written, {report.unchanged} unchanged, "
          f"{len(report.removed)} removed ({time.perf_counter() - started:.1f} s)")
    if args.engine:
        site = (args.site or out / "site").resolve()
        try:
            seconds = build_site(args.engine, out, site, root)
        except EngineError as exc:
            raise CliError(str(exc)) from None
        print(f"built {display_path(site)} with {args.engine} ({seconds:.1f} s)")
    return 0


def cmd_serve(args: argparse.Namespace, root: Path) -> int:
    """Serve with live reload: `mkdocs serve --dirty` (the plugin's edit loop), or the page tree under
    `zensical serve`, rewritten on each save (treeserve.py)."""
    if args.engine == "mkdocs":
        command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", args.dev_addr]
        return subprocess.run(command, cwd=root).returncode
    from .engines import EngineError
    from .problems import ProblemsError
    from .treeserve import serve

    try:
        return serve(root, args.dev_addr)
    except (ConfigError, EngineError) as exc:
        raise CliError(str(exc)) from None
    except ProblemsError as exc:
        print(exc.report(), file=sys.stderr)
        return 1


# ============================================================================ entry point


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not the whole usage text
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog.split()[0]} --help)\n")


def parser() -> argparse.ArgumentParser:
    main_parser = _Parser(prog="landscape", description="Write and check the knowledge base.")
    main_parser.add_argument("--root", type=Path, help="the knowledge base (folder with mkdocs.yml); default: found from the current folder")
    commands = main_parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    new = commands.add_parser("new", help="write a new note from the template")
    new.add_argument("title", help="the note's title")
    new.add_argument("--layer", required=True, help="the layer (a folder of notes/), as listed in mkdocs.yml")
    new.add_argument("--tags", nargs="+", metavar="TAG", help="tags (space or comma separated)")
    new.add_argument("--summary", help="the one-sentence summary (default: a placeholder to replace)")
    new.add_argument("--slug", help="the file name without .md (default: from the title)")
    new.set_defaults(run=cmd_new)

    check = commands.add_parser("check", help="validate notes, datasets, charts and tables without building")
    check.add_argument("paths", nargs="*", help="report problems in these files or folders only (everything is still loaded)")
    check.add_argument("--format", choices=("text", "github"), default="text", help="github: workflow commands that annotate a pull request")
    check.add_argument("--no-hints", action="store_true", help="leave out the hints (a known model, chip or organisation named but not linked)")
    check.set_defaults(run=cmd_check)

    imp = commands.add_parser("import", help="convert notes kept elsewhere into drafts under notes/")
    imp.add_argument("sources", nargs="+", metavar="SRC", help="files or folders (.md, .markdown, .txt)")
    imp.add_argument("--layer", help="put every draft in this layer (default: suggested from each file's content)")
    imp.add_argument("--title", help="the title (one source only; default: from the source)")
    imp.add_argument("--dry-run", action="store_true", help="say what would be done; write nothing")
    imp.set_defaults(run=cmd_import)

    build = commands.add_parser("build", help="write the whole page tree into a folder, for any engine or for inspection")
    build.add_argument("--out", type=Path, required=True, help="the folder to write (docs/ and mkdocs.yml inside it)")
    build.add_argument("--engine", choices=("mkdocs", "zensical"), help="then build the tree into a site with this engine")
    build.add_argument("--site", type=Path, help="with --engine: the site folder (default: OUT/site)")
    build.set_defaults(run=cmd_build)

    serve = commands.add_parser("serve", help="build and serve the site with live reload")
    serve.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs", help="the engine (default mkdocs)")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="IP:PORT", help="where to serve (default 127.0.0.1:8000)")
    serve.set_defaults(run=cmd_serve)

    schemas = commands.add_parser("schemas", help="write docs/schemas/*.schema.json from the models")
    schemas.add_argument("--check", action="store_true", help="only compare; exit 1 if a file is out of date")
    schemas.set_defaults(run=cmd_schemas)
    return main_parser


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.root is not None:
            if not (args.root / CONFIG_NAME).is_file():
                raise CliError(f"--root {args.root}: no {CONFIG_NAME} there", 2)
            root = args.root.resolve()
        else:
            root = find_root(Path.cwd())
        return args.run(args, root)
    except CliError as exc:
        print(f"landscape {args.command}: error: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
