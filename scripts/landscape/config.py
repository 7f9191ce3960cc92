"""The site configuration, engine-neutral: read from mkdocs.yml (plugins -> landscape) by one function.

The MkDocs plugin, the CLI, the folder emitter and the tests all call ``read_site_config``; the plugin
declares its options to MkDocs only loosely (so MkDocs accepts them) and takes their meaning from here.
Errors name the file and, where YAML gives one, the line. Nothing site-specific lives in code: the site
name, the layers and their keywords, the glossary, the chart theme, extra units and extra content kinds
are all read here.
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
OPTIONS = ("layers", "home_marker", "trusted_notebooks", "glossary", "chart_theme", "units", "kinds")

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
    chart_theme: dict[str, Any] = field(default_factory=dict)  # overrides of charts.ChartTheme: font, light, dark
    units: tuple[str, ...] = ()  # the site's own pint unit definitions, added to units.EXTRA_UNITS
    kinds: tuple[str, ...] = ()  # extra content kinds, "module:NAME" (see kinds/)

    @classmethod
    def of_layers(cls, layers: list[Layer], site_name: str = "") -> SiteConfig:
        """A configuration with defaults around the given layers (tests and fixture trees)."""
        return cls(site_name=site_name, layers=list(layers))


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
    return site_config(options if isinstance(options, dict) else {}, str(config.get("site_name") or ""),
                       str(config.get("docs_dir") or "docs"), shown)


def site_config(options: dict[str, Any], site_name: str, docs_dir: str, shown: str) -> SiteConfig:
    """The plugin's options (as a dict) validated into a SiteConfig; ``shown`` names the file in errors."""
    where = f"{shown}: plugins -> {PLUGIN_NAME}"
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ConfigError(f"{where}: unknown option {unknown[0]!r} (options: {', '.join(OPTIONS)})")
    raw_layers = options.get("layers")
    if not isinstance(raw_layers, list) or not raw_layers:
        raise ConfigError(f"{where} -> layers is missing or empty")
    layers = []
    for index, item in enumerate(raw_layers):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not SLUG_PATTERN.match(item["id"]):
            raise ConfigError(f"{where} -> layers[{index}] needs an id of lowercase words joined by hyphens")
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k.strip() for k in keywords):
            raise ConfigError(f"{where} -> layers[{index}] -> keywords must be a list of words")
        layers.append(Layer(item["id"], str(item.get("title") or item["id"]), str(item.get("summary") or ""),
                            tuple(k.strip().lower() for k in keywords)))
    trusted = _strings(options, "trusted_notebooks", where, "a list of paths")
    glossary = options.get("glossary")
    if glossary is not None and not isinstance(glossary, str):
        raise ConfigError(f"{where} -> glossary must be a path")
    theme = options.get("chart_theme") or {}
    if not isinstance(theme, dict) or set(theme) - {"font", "light", "dark"}:
        raise ConfigError(f"{where} -> chart_theme takes font (text), light and dark (colour maps)")
    if "font" in theme and not isinstance(theme["font"], str):
        raise ConfigError(f"{where} -> chart_theme -> font must be text")
    for scheme in ("light", "dark"):
        if scheme in theme and not isinstance(theme[scheme], dict):
            raise ConfigError(f"{where} -> chart_theme -> {scheme} must map colour names to colours")
    kinds = _strings(options, "kinds", where, "a list of module:NAME")
    for spec in kinds:
        if spec.count(":") != 1 or not all(spec.split(":")):
            raise ConfigError(f"{where} -> kinds: {spec!r} is not module:NAME")
    return SiteConfig(
        site_name=site_name,
        layers=layers,
        docs_dir=docs_dir,
        glossary=glossary,
        trusted_notebooks=frozenset(t.strip("/") for t in trusted),
        home_marker=str(options.get("home_marker") or HOME_MARKER),
        chart_theme=theme,
        units=tuple(_strings(options, "units", where, "a list of pint unit definitions")),
        kinds=tuple(kinds),
    )


def _strings(options: dict[str, Any], key: str, where: str, what: str) -> list[str]:
    value = options.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} -> {key} must be {what}")
    return value
