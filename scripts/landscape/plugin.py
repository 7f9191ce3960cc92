"""The MkDocs plugin: a thin caller of the pipeline. Only this module imports MkDocs.

on_config   remember where the knowledge base lives; watch notes/ and charts/ under `mkdocs serve`;
            give the abbreviation glossary to Python-Markdown's abbr extension
on_files    run the pipeline and hand MkDocs every page and asset as a generated file (never into docs/)
on_page_markdown  put the generated sections into the hand-written home page
on_post_page      keep notebook pages offline (mkdocs-jupyter points MathJax, Mermaid and Vega at CDNs)
on_post_build     index the built HTML with Pagefind into <site>/pagefind/ (search.py); under `mkdocs serve`
                  this runs after every rebuild, into the folder serve builds in

The theme overrides in ``overrides/`` (the search button, the page body Pagefind indexes) are put
before Material's templates, after a project's own ``custom_dir``.

Notebooks (docs/**/*.ipynb) whose outputs carry scripts are a build error naming the notebook and the
cell, unless listed in the option ``trusted_notebooks`` (paths relative to docs/, e.g. notebooks/x.ipynb).
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from . import offline, search
from .glossary import load_glossary
from .notes import Layer
from .pipeline import Artefacts, run
from .problems import ProblemsError

log = logging.getLogger("mkdocs.plugins.landscape")
OVERRIDES = Path(__file__).resolve().parent / "overrides"


class LayerConfig(base.Config):
    id = c.Type(str)
    title = c.Type(str)
    summary = c.Type(str)


class LandscapeConfig(base.Config):
    layers = c.ListOfItems(c.SubConfig(LayerConfig))
    home_marker = c.Type(str, default="<!-- landscape:home -->")
    trusted_notebooks = c.ListOfItems(c.Type(str), default=[])
    glossary = c.Optional(c.Type(str))  # abbreviations file, relative to mkdocs.yml


class LandscapePlugin(BasePlugin[LandscapeConfig]):
    def __init__(self) -> None:
        self.root: Path | None = None
        self.artefacts: Artefacts | None = None

    def layers(self) -> list[Layer]:
        return [Layer(layer.id, layer.title, layer.summary) for layer in self.config.layers]

    def on_config(self, config):
        self.root = Path(config.config_file_path).resolve().parent
        if str(OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if getattr(config.theme, "custom_dir", None) else 0, str(OVERRIDES))
        for folder in ("notes", "charts"):
            path = str(self.root / folder)
            if path not in config.watch:
                config.watch.append(path)
        if self.config.glossary:
            glossary_path = self.root / self.config.glossary
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
        try:
            self.artefacts = run(self.root, self.layers())
        except ProblemsError as exc:
            raise PluginError(exc.report()) from None
        untrusted = self.untrusted_notebooks(files, config)
        if untrusted:
            raise PluginError(ProblemsError(untrusted).report())
        for uri, content in sorted(self.artefacts.files.items()):
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"docs/{uri}: a hand-written file has the path of a generated one; move or rename it")
            files.append(File.generated(config, uri, content=content))
        timings = ", ".join(f"{name} {seconds:.2f}s" for name, seconds in self.artefacts.timings.items())
        log.info(
            "landscape: %d generated files; charts rendered %d, from cache %d; %s",
            len(self.artefacts.files), self.artefacts.charts_rendered, self.artefacts.charts_cached, timings,
        )
        return files

    def untrusted_notebooks(self, files: Files, config) -> list:
        trusted = {path.strip("/") for path in self.config.trusted_notebooks}
        found = []
        for file in files:
            if file.src_uri.endswith(".ipynb") and file.src_uri not in trusted and file.abs_src_path:
                found += offline.notebook_script_problems(Path(file.abs_src_path))
        return found

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        marker = self.config.home_marker
        if self.artefacts and marker in markdown:
            return markdown.replace(marker, self.artefacts.home)
        return markdown

    def on_post_page(self, output: str, *, page, config) -> str:
        if page.file.src_uri.endswith(".ipynb"):
            return offline.strip_notebook_cdn(output)
        return output

    def on_post_build(self, *, config) -> None:
        try:
            stats = search.build_index(Path(config.site_dir))
        except search.SearchIndexError as exc:
            raise PluginError(f"search index: {exc}") from None
        log.info(
            "landscape: search index of %d pages, %d words, %d filters in %.2fs (%.2f MB)",
            stats.pages, stats.words, stats.filters, stats.seconds, stats.bytes / 1e6,
        )
