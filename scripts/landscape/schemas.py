"""JSON Schemas for every kind of input file, generated from the package's pydantic models.

``landscape schemas`` writes them to docs/schemas/<kind>.schema.json (editors can validate YAML and
front matter against them); a test and ``landscape check`` make sure the committed files equal what
the models generate. The models are imported lazily, so this module costs nothing until used.

Rules the models check in validators are added where a schema can say them: a tag's pattern. A
dataset's rows are validated in code (their columns are declared by the file itself), so the model
types them as ``Any``; the schema adds what holds for every row: a ``source``, an optional
``reference`` URL, and cells that are text, numbers, booleans, null or a {low, central, high} range.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Kind:
    name: str  # file name stem: docs/schemas/<name>.schema.json
    module: str
    model: str
    title: str
    where: str


KINDS = (
    Kind("note", "landscape.notes", "FrontMatter", "Note front matter", "the YAML block at the top of notes/<layer>/<slug>.md"),
    Kind("dataset", "landscape.datasets", "DatasetHeader", "Dataset", "charts/data/<id>.yaml"),
    Kind("chart", "landscape.charts", "ChartModel", "Chart", "charts/<id>.yaml"),
    Kind("table", "landscape.tables", "TableModel", "Computed table", "charts/tables/<id>.yaml"),
)

RANGE = {
    "type": "object",
    "description": "A value known within a range; a side the source does not give is null.",
    "properties": {"low": {"type": ["number", "null"]}, "central": {"type": "number"}, "high": {"type": ["number", "null"]}},
    "required": ["low", "central", "high"],
    "additionalProperties": False,
}
CELL = {"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "boolean"}, {"type": "null"}, {"$ref": "#/$defs/Range"}]}
ROW = {
    "type": "object",
    "description": "One row: a value for each column (by name), the key of its source, and optionally the URL of its own primary source.",
    "properties": {
        "source": {"type": "string", "description": "A key of the file's sources."},
        "reference": {"type": "string", "pattern": "^https?://", "description": "The URL of the row's own primary source."},
    },
    "required": ["source"],
    "additionalProperties": CELL,
}


def model_schema(kind: Kind) -> dict[str, Any]:
    module = importlib.import_module(kind.module)
    model = getattr(module, kind.model)
    schema = model.model_json_schema(by_alias=True, mode="validation")
    if kind.name == "dataset":
        schema.setdefault("$defs", {})["Range"] = RANGE
        schema["$defs"]["Row"] = ROW
        schema["properties"]["rows"] = {"type": "array", "items": {"$ref": "#/$defs/Row"}, "title": "Rows"}
    if kind.name == "note":  # the tag rule is a validator in the model; give editors its pattern
        schema["properties"]["tags"]["items"]["pattern"] = module.TAG_PATTERN.pattern
    return {
        "$schema": DIALECT,
        **schema,
        "title": kind.title,
        "description": f"{kind.title}: {kind.where}. Generated from {kind.module}.{kind.model} by `landscape schemas`; do not edit.",
    }


def schema_text(kind: Kind) -> str:
    return json.dumps(model_schema(kind), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> dict[str, str]:
    """File name -> JSON text, for every kind."""
    return {f"{kind.name}.schema.json": schema_text(kind) for kind in KINDS}


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
