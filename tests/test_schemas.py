"""The committed JSON Schemas equal what the models generate, and they accept and reject what the
models accept and reject."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from landscape.schemas import declared, generate, stale_schemas

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "docs" / "schemas"


def test_committed_schemas_equal_what_the_models_generate():
    assert stale_schemas(FOLDER) == [], "run `landscape schemas` and commit docs/schemas/"
    assert sorted(p.name for p in FOLDER.glob("*.json")) == sorted(f"{k.name}.schema.json" for k in declared())


def test_generation_is_deterministic():
    assert generate() == generate()


def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((FOLDER / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def json_ready(value):
    """YAML as an editor's YAML 1.2 reader sees it: dates are strings, 3.14e23 is a number
    (PyYAML reads YAML 1.1, where it is a string; the models accept both)."""
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [json_ready(v) for v in value]
    if isinstance(value, str) and NUMBER.match(value):
        return float(value)
    return json.loads(json.dumps(value, default=str))


def contributing_example(language: str, starts_with: str) -> dict:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for block in re.findall(rf"```{language}\n(.*?)```", text, re.S):
        if block.startswith(starts_with):
            body = block.split("---\n")[1] if language == "markdown" else block
            return json_ready(yaml.safe_load(body.replace("source: ...", "source: x")))
    raise AssertionError(f"no {language} example starting with {starts_with!r} in CONTRIBUTING.md")


def test_note_schema_accepts_the_documented_example_and_rejects_unknown_fields():
    check = validator("note")
    example = contributing_example("markdown", "---\ntitle:")
    assert list(check.iter_errors(example)) == []
    assert [e.message for e in check.iter_errors({**example, "colour": "red"})] == [
        "Additional properties are not allowed ('colour' was unexpected)"
    ]
    assert any("does not match" in e.message for e in check.iter_errors({**example, "tags": ["Upper Case"]}))


@pytest.mark.parametrize(("kind", "starts_with"), [("dataset", "id: gpu-price"), ("chart", "id: training-compute"), ("table", "id: gpt3")])
def test_yaml_schemas_accept_the_documented_examples(kind, starts_with):
    check = validator(kind)
    example = contributing_example("yaml", starts_with)
    assert [e.message for e in check.iter_errors(example)] == []
    assert any("was unexpected" in e.message for e in check.iter_errors({**example, "surprise": 1}))


def test_dataset_rows_need_a_source_and_take_ranges():
    check = validator("dataset")
    example = contributing_example("yaml", "id: gpu-price")
    example["rows"] = [{"chip": "X", "fp32": {"low": 1, "central": 2, "high": 3}}]
    assert [e.message for e in check.iter_errors(example)] == ["'source' is a required property"]
    example["rows"] = [{"chip": "X", "fp32": {"low": 1, "high": 3}, "source": "s"}]
    assert list(check.iter_errors(example)) != []


@pytest.mark.parametrize("cell", [{"low": None, "central": 2, "high": 3}, {"low": 1, "central": 2, "high": None}])
def test_a_range_with_a_null_side_validates_as_the_loader_accepts_it(cell, tmp_path):
    """The schema of a range is generated from the loader's own Range type: a side may be null in both."""
    from landscape.datasets import load_datasets

    example = contributing_example("yaml", "id: gpu-price")
    example["rows"] = [{**example["rows"][0], "fp32": cell}]
    assert [e.message for e in validator("dataset").iter_errors(example)] == []
    example["rows"][0]["fp32"] = {**cell, "central": None}
    assert any("is not valid under any of the given schemas" in e.message for e in validator("dataset").iter_errors(example))
    path = tmp_path / f"{example['id']}.yaml"
    example["rows"][0]["fp32"] = cell
    path.write_text(yaml.safe_dump(example, sort_keys=False), encoding="utf-8")
    datasets, problems = load_datasets([path])
    assert problems == []
    assert datasets[example["id"]].rows[0].values["fp32"].central == 2


def test_every_committed_dataset_validates_against_the_schema():
    """Editors flag what the schema rejects: every dataset the loader accepts must pass it, ranges with a
    null side included (notable-models has them)."""
    import yaml

    class Yaml12(yaml.SafeLoader):
        """Numbers as YAML 1.2 (and so editors) read them: 1.0e14 is a float, not text."""

    Yaml12.add_implicit_resolver("tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\d+\.?\d*|\.\d+)[eE][-+]?\d+$"), list("-+0123456789."))
    check = validator("dataset")
    nulls = 0
    for path in sorted((ROOT / "charts" / "data").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Yaml12)  # noqa: S506 - a SafeLoader subclass
        data = json.loads(json.dumps(data, default=str))  # dates as text, as an editor's YAML server sees them
        assert [e.message for e in check.iter_errors(data)] == [], path.name
        nulls += sum(1 for row in data["rows"] for v in row.values() if isinstance(v, dict) and None in v.values())
    assert nulls > 0
