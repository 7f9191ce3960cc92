"""The folder emitter: the whole page tree of the knowledge base as plain files, for any engine.

``write_tree(root, out)`` runs the same pipeline as the MkDocs plugin and writes, under ``out``:

    overrides/    the theme templates the plugin adds (the search button, the page body Pagefind indexes)
    docs/         the hand-written docs/ pages with the home sections filled in, every generated page
                  and asset, and each notebook converted to a Markdown page at the same URL
    mkdocs.yml    the project's configuration without the plugins that only the generator runs
                  (landscape, mkdocs-jupyter), the glossary handed to the abbr extension

Plain ``mkdocs build`` and Zensical both build that tree into the same pages. Only files whose bytes
changed are written (each through a unique temporary file and an atomic rename), and files the tree no
longer holds are removed, so an engine's own change detection sees exactly what changed.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import offline
from .config import SiteConfig, read_site_config
from .glossary import load_glossary
from .pipeline import Memo, run
from .problems import ProblemsError, problem
from .safety import theme_text

GENERATOR_PLUGINS = {"landscape", "mkdocs-jupyter"}
OVERRIDES = Path(__file__).resolve().parent / "overrides"


@dataclass
class TreeReport:
    out: Path
    written: list[str] = field(default_factory=list)  # paths relative to out, in order
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def pages(self) -> int:
        return sum(1 for p in self.written if p.endswith(".md")) + self.unchanged


@dataclass
class TreeMemo:
    """What `landscape serve --engine zensical` keeps between rewrites of the tree, so that a rewrite's
    work follows the change: the pipeline's memo, each notebook's page (by path, size and modification
    time) and the bytes the tree holds, compared in memory rather than read back from disk."""

    pipeline: Memo = field(default_factory=Memo)
    notebooks: dict[str, tuple[tuple[int, int], bytes]] = field(default_factory=dict)
    written: dict[str, bytes] = field(default_factory=dict)
    escaped: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)  # page -> (as generated, as written)

    def notebook(self, path: Path) -> bytes:
        stat = path.stat()
        stamp = (stat.st_size, stat.st_mtime_ns)
        kept = self.notebooks.get(str(path))
        if kept is None or kept[0] != stamp:
            kept = self.notebooks[str(path)] = (stamp, notebook_page(path).encode("utf-8"))
        return kept[1]

    def escaped_meta(self, path: str, data: bytes) -> bytes:
        kept = self.escaped.get(path)
        if kept is None or kept[0] != data:
            kept = self.escaped[path] = (data, _escaped_meta(data))
        return kept[1]


def tree_files(root: Path, config: SiteConfig | None = None, memo: TreeMemo | None = None) -> dict[str, bytes]:
    """Every file of the tree (path relative to the tree -> bytes); raises ProblemsError."""
    config = config or read_site_config(root / "mkdocs.yml")
    artefacts = run(root, config, memo=memo.pipeline if memo else None)
    docs = root / config.docs_dir
    files: dict[str, bytes] = {}
    problems = []
    for path in sorted(p for p in docs.rglob("*") if p.is_file()):
        uri = path.relative_to(docs).as_posix()
        if uri.endswith(".ipynb"):
            if uri not in config.trusted_notebooks:
                problems += offline.notebook_script_problems(path, f"{config.docs_dir}/{uri}")
            files["docs/" + uri[: -len(".ipynb")] + ".md"] = memo.notebook(path) if memo else notebook_page(path).encode("utf-8")
            # the notebook itself stays downloadable beside its page, as mkdocs-jupyter's include_source does
        data = path.read_bytes()
        if uri == "index.md":
            data = data.decode("utf-8").replace(config.home_marker, artefacts.home).encode("utf-8")
        files["docs/" + uri] = data
    if problems:
        raise ProblemsError(problems)
    for uri, content in artefacts.files.items():
        key = "docs/" + uri
        if key in files:
            raise ProblemsError([problem(f"{config.docs_dir}/{uri}", None, "path",
                                                 "a hand-written file has the path of a generated one; move or rename it")])
        files[key] = content if isinstance(content, bytes) else content.encode("utf-8")
    for path in sorted(p for p in OVERRIDES.rglob("*") if p.is_file()):
        files["overrides/" + path.relative_to(OVERRIDES).as_posix()] = path.read_bytes()
    files["mkdocs.yml"] = tree_config(root, config).encode("utf-8")
    escape = memo.escaped_meta if memo else (lambda path, data: _escaped_meta(data))
    return {path: (escape(path, data) if path.endswith(".md") else data) for path, data in files.items()}


def _escaped_meta(data: bytes) -> bytes:
    """The tree has no plugin to escape a page's title and description before the theme writes them
    unescaped (plugin.on_page_markdown does it in the plugin build): escape them in the front matter."""
    text = data.decode("utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[3:]:
        return data
    head, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(head)
    if not isinstance(meta, dict) or not any(isinstance(meta.get(k), str) for k in ("title", "description")):
        return data
    for key in ("title", "description"):
        if isinstance(meta.get(key), str):
            meta[key] = theme_text(meta[key])
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1_000_000)
    return f"---\n{front}---\n{body}".encode("utf-8")


def tree_config(root: Path, config: SiteConfig) -> str:
    """mkdocs.yml for the tree: the project's, less the generator's plugins, notebooks as pages."""
    raw = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    raw["docs_dir"] = "docs"
    raw.setdefault("theme", {})["custom_dir"] = "overrides"  # the templates the plugin adds (search, page body)
    raw["plugins"] = [p for p in raw.get("plugins", []) if _plugin_name(p) not in GENERATOR_PLUGINS]
    if not any(_plugin_name(p) == "search" for p in raw["plugins"]):
        # Pagefind is the site's search: an engine's own stays off (Zensical's is on by default, and at
        # 5,000 notes its index of the sources page exceeds its limit and aborts the build)
        raw["plugins"].append({"search": {"enabled": False}})
    raw["nav"] = [_nav_item(item) for item in raw.get("nav", [])]
    if config.glossary:
        terms, problems = load_glossary(root / config.glossary)
        if problems:
            raise ProblemsError(problems)
        extensions = [e for e in raw.get("markdown_extensions", []) if _plugin_name(e) != "abbr"]
        raw["markdown_extensions"] = [{"abbr": {"glossary": dict(sorted(terms.items()))}}, *extensions]
    header = "# Written by `landscape build --out`: the generated page tree; edit the project's mkdocs.yml instead.\n"
    return header + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True, width=100)


def _plugin_name(entry) -> str:
    return next(iter(entry)) if isinstance(entry, dict) else str(entry)


def _nav_item(item):
    if isinstance(item, dict):
        return {key: _nav_item(value) for key, value in item.items()}
    if isinstance(item, list):
        return [_nav_item(value) for value in item]
    if isinstance(item, str) and item.endswith(".ipynb"):
        return item[: -len(".ipynb")] + ".md"
    return item


def notebook_page(path: Path) -> str:
    """A notebook as a Markdown page: its title, then cells as nbconvert's basic HTML, offline."""
    import nbformat
    from nbconvert import HTMLExporter

    notebook = nbformat.read(str(path), as_version=4)
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(notebook)
    title = _notebook_title(notebook) or path.stem.replace("-", " ").capitalize()
    body = offline.strip_notebook_cdn(body)
    front = yaml.safe_dump({"title": title}, allow_unicode=True).strip()
    return f"---\n{front}\n---\n\n<div class=\"landscape-notebook\" markdown=\"0\">\n{body}\n</div>\n"


def _notebook_title(notebook) -> str | None:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return None


def write_tree(root: Path, out: Path, config: SiteConfig | None = None, memo: TreeMemo | None = None) -> TreeReport:
    """Write the tree into ``out``, touching only files whose bytes changed; remove stale files.
    Nothing is written when loading or linking finds a problem (ProblemsError). With ``memo`` (kept by a
    long-lived caller), a rewrite reuses what did not change and compares with what it wrote last time."""
    files = tree_files(root, config, memo)
    report = TreeReport(out)
    out.mkdir(parents=True, exist_ok=True)
    held = memo.written if memo else {}
    for relative, data in sorted(files.items()):
        path = out / relative
        if held.get(relative) == data and path.is_file():
            report.unchanged += 1
            continue
        try:
            if relative not in held and path.read_bytes() == data:
                report.unchanged += 1
                continue
        except OSError:
            pass
        _atomic_write(path, data)
        report.written.append(relative)
    if held:  # the tree holds what was written last time: the stale files are known without a scan
        stale = sorted(set(held) - set(files))
    else:
        present = [p for top in ("docs", "overrides") for p in (out / top).rglob("*") if p.is_file()]
        stale = sorted(rel for rel in (p.relative_to(out).as_posix() for p in present) if rel not in files)
    if memo is not None:
        memo.written = files
    for relative in stale:
        (out / relative).unlink(missing_ok=True)
        report.removed.append(relative)
    if stale:
        for folder in sorted((p for top in ("docs", "overrides") for p in (out / top).rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(folder.iterdir()):
                folder.rmdir()
    return report


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
