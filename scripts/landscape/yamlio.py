"""Safe YAML loading that remembers the line of every mapping key and list item.

Mappings load as ``YamlMap`` and sequences as ``YamlList``; both carry the 1-based line where they
start and the line of each key or item, so that validation errors can name the line of a field.
Only the safe constructors are used (PyYAML's C parser where present): YAML can never build objects.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable

import yaml

from .problems import Problem, problem, shorten

try:  # the C parser is several times faster; fall back to pure Python where libyaml is missing
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class YamlMap(dict):
    line: int = 0
    key_lines: dict


class YamlList(list):
    line: int = 0
    item_lines: list


class _LineLoader(_BaseLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
            )
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shorten(key)}", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> Any:
    """PyYAML raises a bare ValueError for an impossible date (2026-13-01); report it with its line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.constructor.ConstructorError(None, None, f"{shorten(node.value)} is not a valid date ({exc})", node.start_mark)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlError(Exception):
    def __init__(self, found: Problem):
        self.problem = found
        super().__init__(str(found))


def parse_yaml(text: str, path: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML text; raise YamlError naming the file and line of a syntax error."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        raise YamlError(problem(path, line, None, f"invalid YAML: {exc.problem or exc}")) from None
    except yaml.YAMLError as exc:
        raise YamlError(problem(path, None, None, f"invalid YAML: {exc}")) from None
    if line_offset:
        _shift_lines(data, line_offset)
    return data


def read_yaml_file(path: Path) -> Any:
    """Read and parse a UTF-8 YAML file; raise YamlError on unreadable, non-UTF-8 or invalid input."""
    return parse_yaml(read_text(path), path)


def read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise YamlError(problem(path, None, None, f"cannot read file: {exc.strerror}")) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlError(problem(path, line, None, "file is not valid UTF-8")) from None


def read_model(path: Path, model: Any, what: str) -> tuple[YamlMap | None, Any, list[Problem]]:
    """Read a YAML mapping file and validate it with a pydantic ``model``.

    Returns (raw mapping with lines, validated model or None, problems naming file, line and field).
    A file that validates may still have problems: unsafe HTML in a text field (safety.py).
    ``what`` describes the file for the message when it is not a mapping, e.g. "a dataset file".
    """
    from pydantic import ValidationError

    try:
        raw = read_yaml_file(path)
    except YamlError as exc:
        return None, None, [exc.problem]
    if not isinstance(raw, YamlMap):
        return None, None, [problem(path, 1, None, f"{what} must be a YAML mapping")]
    try:
        validated = model.model_validate(raw)
    except ValidationError as exc:
        return raw, None, pydantic_problems(exc, path, raw)
    from . import safety

    return raw, validated, safety.yaml_text_problems(path, raw, safety.renderer())  # text that reaches a page


def load_each(files: Iterable[Path], load_one: Any, kind: str) -> tuple[dict[str, Any], list[Problem]]:
    """Load every file with ``load_one(path) -> (item with .id and .path, problems)``, keyed by id;
    two files with one id (possible when files come from several folders) are a problem."""
    loaded: dict[str, Any] = {}
    found: list[Problem] = []
    for path in sorted(files):
        item, problems = load_one(path)
        found.extend(problems)
        if item is None:
            continue
        if item.id in loaded:
            found.append(problem(path, 1, "id", f"{kind} id {shorten(item.id)} is also used by {loaded[item.id].path}"))
            continue
        loaded[item.id] = item
    return loaded, found


def id_problem(path: Path, raw: YamlMap, ident: str) -> list[Problem]:
    """A YAML file's ``id`` must equal its file name."""
    if ident == path.stem:
        return []
    return [problem(path, raw.key_lines.get("id"), "id", f"id {shorten(ident)} must equal the file name {shorten(path.stem)}")]


def _shift_lines(node: Any, offset: int) -> None:
    if isinstance(node, YamlMap):
        node.line += offset
        node.key_lines = {k: v + offset for k, v in node.key_lines.items()}
        for value in node.values():
            _shift_lines(value, offset)
    elif isinstance(node, YamlList):
        node.line += offset
        node.item_lines = [v + offset for v in node.item_lines]
        for value in node:
            _shift_lines(value, offset)


def line_of(root: Any, loc: Iterable[Any]) -> int | None:
    """The line of the deepest node on the path ``loc`` (a pydantic error location) that is known."""
    line = getattr(root, "line", None) or None
    node = root
    for part in loc:
        if isinstance(node, YamlMap) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, YamlList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line


def pydantic_problems(exc: Any, path: Path | str, raw: Any, prefix: tuple = ()) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems that name file, line and field."""
    found = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
        field = ".".join(str(p) for p in (*prefix, *loc)) or None
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown field"
        elif error["type"] == "missing":
            message = "required field is missing"
        found.append(problem(path, line_of(raw, loc), field, message))
    return found


def to_date(value: Any) -> dt.date | None:
    """YAML gives dates as date objects or strings; accept YYYY-MM-DD in both forms."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
