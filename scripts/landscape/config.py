"""The site configuration, engine-neutral: read from mkdocs.yml (plugins -> landscape) by one function.

The CLI, the folder emitter and the tests read it here; the MkDocs plugin validates the same options
through MkDocs' own config schema. Errors name the file and, where YAML gives one, the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .notes import SLUG_PATTERN, Layer
from .problems import display_path

PLUGIN_NAME = "landscape"
HOME_MARKER = "<!-- landscape:home -->"


class ConfigError(Exception):
    """mkdocs.yml cannot be read as a knowledge-base configuration; the message names the file."""


@dataclass(frozen=True)
class SiteConfig:
    site_name: str
    layers: list[Layer]
    docs_dir: str = "docs"
    glossary: str | None = None  # abbreviations file, relative to mkdocs.yml
    trusted_notebooks: frozenset[str] = field(default_factory=frozenset)
    home_marker: str = HOME_MARKER


class _ConfigLoader(yaml.SafeLoader):
    """Safe YAML that reads MkDocs' tags (!!python/name:..., !ENV) as null instead of failing."""


def _ignore_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore_tag)
_ConfigLoader.add_multi_constructor("!", _ignore_tag)


def read_site_config(config_path: Path) -> SiteConfig:
    shown = display_path(config_path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{shown}: cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown}: file is not valid UTF-8") from None
    try:
        config = yaml.load(text, Loader=_ConfigLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(f"{shown}:{mark.line + 1 if mark else 1}: invalid YAML") from None
    config = config if isinstance(config, dict) else {}
    options: Any = None
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            options = entry[PLUGIN_NAME]
    options = options if isinstance(options, dict) else {}
    raw_layers = options.get("layers")
    if not isinstance(raw_layers, list) or not raw_layers:
        raise ConfigError(f"{shown}: plugins -> {PLUGIN_NAME} -> layers is missing or empty")
    layers = []
    for index, item in enumerate(raw_layers):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not SLUG_PATTERN.match(item["id"]):
            raise ConfigError(f"{shown}: plugins -> {PLUGIN_NAME} -> layers[{index}] needs an id of lowercase words joined by hyphens")
        layers.append(Layer(item["id"], str(item.get("title") or item["id"]), str(item.get("summary") or "")))
    trusted = options.get("trusted_notebooks") or []
    if not isinstance(trusted, list) or not all(isinstance(t, str) for t in trusted):
        raise ConfigError(f"{shown}: plugins -> {PLUGIN_NAME} -> trusted_notebooks must be a list of paths")
    glossary = options.get("glossary")
    if glossary is not None and not isinstance(glossary, str):
        raise ConfigError(f"{shown}: plugins -> {PLUGIN_NAME} -> glossary must be a path")
    return SiteConfig(
        site_name=str(config.get("site_name") or ""),
        layers=layers,
        docs_dir=str(config.get("docs_dir") or "docs"),
        glossary=glossary,
        trusted_notebooks=frozenset(t.strip("/") for t in trusted),
        home_marker=str(options.get("home_marker") or HOME_MARKER),
    )
