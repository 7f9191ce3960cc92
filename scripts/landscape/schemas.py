"""JSON Schemas for every kind of input file, generated from the package's pydantic models.

``landscape schemas`` writes them to docs/schemas/<kind>.schema.json (editors can validate YAML and
front matter against them); a test and ``landscape check`` make sure the committed files equal what
the models generate. The models are imported lazily, so this module costs nothing until used.

Nothing here is written by hand: a rule a model checks in a validator is added where a schema can say
it (a tag's pattern, read from the model's module). A dataset's rows are checked in code (their columns
are declared by the file itself); their model (datasets.RowModel, cells of the loader's own Range type)
gives the schema what holds for every row without being used to validate them.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Schema:
    """A content kind's file format (kinds/: Kind.schema), named by its model's module and class."""

    name: str  # file name stem: docs/schemas/<name>.schema.json
    module: str
    model: str
    title: str
    where: str


def declared() -> list[Schema]:
    """The schema of every built-in content kind that declares one, in registry order."""
    from .kinds import builtin

    return [kind.schema for kind in builtin() if kind.schema is not None]


def model_schema(kind: Schema) -> dict[str, Any]:
    module = importlib.import_module(kind.module)
    model = getattr(module, kind.model)
    schema = model.model_json_schema(by_alias=True, mode="validation")
    if kind.name == "note":  # the tag rule is a validator in the model; give editors its pattern
        schema["properties"]["tags"]["items"]["pattern"] = module.TAG_PATTERN.pattern
    return {
        "$schema": DIALECT,
        **schema,
        "title": kind.title,
        "description": f"{kind.title}: {kind.where}. Generated from {kind.module}.{kind.model} by `landscape schemas`; do not edit.",
    }


def schema_text(kind: Schema) -> str:
    return json.dumps(model_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """File name -> JSON text, for every kind."""
    return {f"{kind.name}.schema.json": schema_text(kind) for kind in declared()}


def stale_schemas(folder: Path) -> list[str]:
    """Names of schema files in ``folder`` that are missing or differ from what the models generate."""
    stale = []
    for name, text in generate().items():
        path = folder / name
        try:
            current = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != text:
            stale.append(name)
    return stale
