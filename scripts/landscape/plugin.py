"""The MkDocs plugin: a thin caller of the pipeline. Only this module imports MkDocs.

on_config   remember where the knowledge base lives; watch notes/ and charts/ under `mkdocs serve`;
            give the abbreviation glossary to Python-Markdown's abbr extension
on_startup  under `mkdocs serve`, keep state between rebuilds (MkDocs keeps a plugin that has on_startup)
on_serve    listen for changes (inotify) rather than poll every 0.5 s (serving.watch_natively)
on_files    run the pipeline and hand MkDocs every page and asset as a generated file (never into docs/);
            under `mkdocs serve --dirty`, mark only the files whose bytes changed as modified (dirty.py)
on_page_markdown  put the generated sections into the hand-written home page
on_page_content   hold every rendered page to the HTML allow-list (safety.py); on_env fails the build
on_post_page      keep notebook pages offline (mkdocs-jupyter points MathJax, Mermaid and Vega at CDNs);
                  under `mkdocs serve`, show the current problems over the last good build (serving.py)
on_post_build     index the built HTML with Pagefind into <site>/pagefind/ (search.py); under `mkdocs serve`
                  this runs after every rebuild, into the folder serve builds in. With LANDSCAPE_TIMINGS=FILE
                  in the environment, the build's figures (stage seconds, charts, search index) go to FILE as JSON

The theme overrides in ``overrides/`` (the search button, the page body Pagefind indexes) are put
before Material's templates, after a project's own ``custom_dir``.

Notebooks (docs/**/*.ipynb) whose outputs carry scripts are a build error naming the notebook and the
cell, unless listed in the option ``trusted_notebooks`` (paths relative to docs/, e.g. notebooks/x.ipynb).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path

import jinja2
import jinja2.bccache

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import dirty as dirty_module
from . import offline, safety, search
from .glossary import load_glossary
from .config import ConfigError, SiteConfig, site_config
from .pipeline import Artefacts, Memo, run
from .problems import Problem, ProblemsError, display_path
from .serving import ServeState, watch_natively, with_overlay, withheld

log = logging.getLogger("mkdocs.plugins.landscape")
OVERRIDES = Path(__file__).resolve().parent / "overrides"
RECORD_ENV = "LANDSCAPE_TIMINGS"  # a path: after each build, its figures as JSON (Artefacts.record, search)


class _NotTheDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class LandscapeConfig(base.Config):
    """The options as MkDocs sees them: declared loosely, so that MkDocs accepts them; their meaning and
    every check are config.site_config's, the one reader the CLI and the folder emitter call too."""

    layers = c.Type(list, default=[])
    home_marker = c.Optional(c.Type(str))
    trusted_notebooks = c.Type(list, default=[])
    glossary = c.Optional(c.Type(str))  # abbreviations file, relative to mkdocs.yml
    chart_theme = c.Type(dict, default={})
    units = c.Type(list, default=[])
    kinds = c.Type(list, default=[])


class LandscapePlugin(BasePlugin[LandscapeConfig]):
    def __init__(self) -> None:
        self.root: Path | None = None
        self.artefacts: Artefacts | None = None
        self.serve = ServeState()
        self.unsafe_pages: list[Problem] = []
        self.dirty = False  # `mkdocs serve --dirty`: rebuild only what changed
        self.changes: dirty_module.Changes | None = None
        self.site_dir: Path | None = None
        self.site: SiteConfig | None = None
        self.indexer = search.BackgroundIndex(_log_index, lambda exc: log.warning("landscape: search index: %s", exc))
        self.memo: Memo | None = None  # under `mkdocs serve`: what a rebuild may reuse (pipeline.Memo)
        self.digests = dirty_module.Digests()  # under `mkdocs serve --dirty`: the generated files' digests
        self.templates = _CompiledTemplates()

    def on_startup(self, *, command, dirty) -> None:
        self.serve.serving = command == "serve"
        self.memo = Memo() if self.serve.serving else None
        self.dirty = self.serve.serving and dirty
        if self.dirty:  # MkDocs warns that dirty builds may leave links stale; this plugin marks what changed
            logging.getLogger("mkdocs.commands.build").addFilter(_NotTheDirtyWarning())

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        try:
            self.site = site_config(
                {key: value for key, value in self.config.items() if value not in (None, [], {})},
                str(config.site_name or ""), os.path.relpath(config.docs_dir, self.root), display_path(config.config_file_path),
            )
        except ConfigError as exc:
            raise PluginError(str(exc)) from None
        self.site_dir = Path(config.site_dir)
        if str(OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if getattr(config.theme, "custom_dir", None) else 0, str(OVERRIDES))
        for folder in ("notes", "charts"):
            path = str(self.root / folder)
            if path not in config.watch:
                config.watch.append(path)
        if self.site.glossary:
            glossary_path = self.root / self.site.glossary
            terms, problems = load_glossary(glossary_path)
            if problems:
                raise PluginError(ProblemsError(problems).report())
            if "abbr" not in config.markdown_extensions:
                config.markdown_extensions.append("abbr")
            config.mdx_configs.setdefault("abbr", {})["glossary"] = terms
            config.watch.append(str(glossary_path))
        return config

    @event_priority(50)
    def on_files(self, files: Files, *, config) -> Files:
        render = safety.markdown_renderer(config.markdown_extensions, config.mdx_configs)
        self.unsafe_pages = []
        try:
            self.artefacts = run(self.root, self.site, render, memo=self.memo)
            self.serve.last_good, self.serve.problems = self.artefacts, []
        except ProblemsError as exc:
            if not self.serve.keep_serving():
                raise PluginError(exc.report()) from None
            # mkdocs serve holds every request until a build succeeds: serve the last good build instead
            log.info("landscape: %s\nlandscape: serving the last good build; the problems are shown on every page", exc.report())
            self.artefacts, self.serve.problems = self.serve.last_good, exc.problems
        untrusted = self.untrusted_notebooks(files, config)
        if untrusted:
            raise PluginError(ProblemsError(untrusted).report())
        for uri, content in sorted(self.artefacts.files.items()):
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri}: a hand-written file has the path of a generated one; move or rename it")
            files.append(File.generated(config, uri, content=content))
        if self.dirty:
            self.mark_changes(files, config)
        timings = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.artefacts.timings.items())
        log.info(
            "landscape: %d generated files; charts rendered %d, from cache %d; %s",
            len(self.artefacts.files), self.artefacts.charts_rendered, self.artefacts.charts_cached, timings,
        )
        return files

    def mark_changes(self, files: Files, config) -> None:
        """Tell MkDocs' dirty build which files changed since the last build of this served site."""
        glossary = self.root / self.site.glossary if self.site.glossary else None
        global_inputs = Path(config.config_file_path).read_bytes() + (glossary.read_bytes() if glossary and glossary.is_file() else b"")
        site_dir = Path(config.site_dir)
        overlay = repr([str(p) for p in self.serve.problems]).encode("utf-8")  # every page shows the overlay
        self.changes = dirty_module.compare(site_dir, self.artefacts.files, self.artefacts.home, self.artefacts.tags, global_inputs + overlay,
                                            self.digests)
        for file in files:
            if file.src_uri in self.artefacts.files:
                modified = self.changes.generated_modified(file.src_uri)
            elif self.changes.everything or (file.src_uri == "index.md" and self.changes.home):
                modified = True
            else:
                continue  # hand-written: MkDocs compares modification times
            file.is_modified = (lambda flag=modified: flag)
        for uri in self.changes.removed:
            stale = site_dir / File.generated(config, uri, content="").dest_uri
            stale.unlink(missing_ok=True)

    def on_serve(self, server, *, config, builder):
        if watch_natively(server):
            log.debug("landscape: watching for changes with inotify, not by polling")
        return server

    def on_shutdown(self) -> None:
        self.indexer.wait(60)
        if self.site_dir is not None:
            dirty_module.forget(self.site_dir)

    def untrusted_notebooks(self, files: Files, config) -> list:
        trusted = self.site.trusted_notebooks
        found = []
        for file in files:
            if file.src_uri.endswith(".ipynb") and file.src_uri not in trusted and file.abs_src_path:
                found += offline.notebook_script_problems(Path(file.abs_src_path))
        return found

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        # the theme writes the title and description into the page unescaped: they are text, so escape them
        for key in ("title", "description"):
            if isinstance(page.meta.get(key), str):
                page.meta[key] = safety.theme_text(page.meta[key])
        marker = self.site.home_marker
        if self.artefacts and marker in markdown:
            return markdown.replace(marker, self.artefacts.home)
        return markdown

    def on_page_content(self, html_text: str, *, page, config, files) -> str:
        """The rendered page, generated markup included, against the allow-list: the final guarantee."""
        if page.file.src_uri.endswith(".ipynb"):
            return html_text  # notebook outputs are checked by cell (untrusted_notebooks)
        sources = self.artefacts.sources if self.artefacts else {}
        source = sources.get(page.file.src_uri) or (page.file.abs_src_path and display_path(page.file.abs_src_path)) or f"docs/{page.file.src_uri}"
        found = safety.page_problems(html_text, source)
        if not found:
            return html_text
        self.unsafe_pages += found
        return withheld(source)

    def on_env(self, env, *, config, files):
        safety.verdicts().save()  # every page has been checked by now
        if self.unsafe_pages:
            if not self.serve.serving:
                raise PluginError(ProblemsError(self.unsafe_pages).report())
            self.serve.problems = self.serve.problems + self.unsafe_pages
        if self.serve.serving:  # MkDocs makes a new theme environment for every rebuild: compile templates once
            env.bytecode_cache = self.templates
        return env

    def on_post_page(self, output: str, *, page, config) -> str:
        if page.file.src_uri.endswith(".ipynb"):
            output = offline.strip_notebook_cdn(output)
        if self.serve.serving:
            output = with_overlay(output, self.serve.problems)
        return output

    def on_post_build(self, *, config) -> None:
        if self.dirty and self.changes is not None:
            dirty_module.record(Path(config.site_dir), self.changes)
        if self.serve.serving and (Path(config.site_dir) / search.BUNDLE_DIR).is_dir():
            # under `mkdocs serve`, the rebuilt page is served at once and the index follows a moment later
            self.indexer.refresh(Path(config.site_dir))
            return
        self.indexer.wait()  # a background run must not write beside this one
        try:
            stats = search.build_index(Path(config.site_dir))
        except search.SearchIndexError as exc:
            raise PluginError(f"search index: {exc}") from None
        _log_index(stats)
        record_path = os.environ.get(RECORD_ENV)
        if record_path and self.artefacts is not None:  # the build's figures for tools (the benchmark)
            record = self.artefacts.record() | {"search": dataclasses.asdict(stats)}
            Path(record_path).write_text(json.dumps(record, sort_keys=True), encoding="utf-8")


def _log_index(stats: search.IndexStats) -> None:
    log.info(
        "landscape: search index of %d pages, %d words, %d filters in %.2fs (%.2f MB)",
        stats.pages, stats.words, stats.filters, stats.seconds, stats.bytes / 1e6,
    )


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates kept in memory between rebuilds under `mkdocs serve` (never on disk);
    Jinja checks each entry against its template's source, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()
