"""Summarise what a change does to the knowledge base, as Markdown (for $GITHUB_STEP_SUMMARY).

    python -m tools.kb_diff BASE_REF [--head REF]    (from the repository root)

Compares the notes/ and charts/ files of BASE_REF (read with git) with the working tree (or with
--head REF): notes added, changed and removed; dataset rows added, changed and removed; charts whose
SVG changes; computed tables changed. A chart's SVG is a function of its spec, the datasets it draws
and the rendering code, so a chart is listed when the hash of those inputs differs (nothing is built).
Rows are matched by their first column: a row whose first-column value is in both trees but whose
other values differ counts as changed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from landscape.cache import is_code_file

WATCHED = ("notes", "charts")
# The code and configuration that decide how every chart looks: when a file in these changes, every SVG may.
PACKAGE = "scripts/landscape"
RENDERER = (PACKAGE, "mkdocs.yml")

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class DiffError(Exception):
    pass


# ---------------------------------------------------------------------------------------- trees


@dataclass
class Tree:
    """The watched files of one side, by repository path."""

    files: dict[str, bytes]

    def get(self, path: str) -> bytes | None:
        return self.files.get(path)


def git(root: Path, *args: str) -> bytes:
    result = subprocess.run(["git", *args], cwd=root, capture_output=True)
    if result.returncode != 0:
        raise DiffError(f"git {' '.join(args)}: {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout


def tree_at(root: Path, ref: str) -> Tree:
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except DiffError:
        raise DiffError(f"{ref!r} is not a commit in this repository (fetch it first?)") from None
    names = git(root, "ls-tree", "-r", "-z", "--name-only", ref, "--", *WATCHED, *RENDERER).decode("utf-8").split("\0")
    files = {name: git(root, "show", f"{ref}:{name}") for name in names if name}
    return Tree(files)


def working_tree(root: Path) -> Tree:
    files: dict[str, bytes] = {}
    for folder in WATCHED:
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts):
                    files[path.relative_to(root).as_posix()] = path.read_bytes()
    listed = git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *RENDERER)
    for name in listed.decode("utf-8").split("\0"):
        if name and (root / name).is_file():  # tracked files deleted in the working tree are gone
            files[name] = (root / name).read_bytes()
    return Tree(files)


# ---------------------------------------------------------------------------------------- parsing


def load_yaml(data: bytes | None) -> Any:
    if data is None:
        return None
    try:
        return yaml.load(data.decode("utf-8"), Loader=_Loader)  # noqa: S506 - safe loader
    except (yaml.YAMLError, UnicodeDecodeError):
        return None


def note_title(data: bytes, path: str) -> str:
    text = data.decode("utf-8", "replace")
    if text.startswith("---"):
        end = text.find("\n---", 3)
        meta = load_yaml(text[3:end].encode("utf-8")) if end > 0 else None
        if isinstance(meta, dict) and isinstance(meta.get("title"), str):
            return meta["title"]
    return Path(path).stem


def is_note(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "notes" and path.endswith(".md") and parts[2] != "_index.md"


def is_dataset(path: str) -> bool:
    return path.startswith("charts/data/") and path.count("/") == 2 and path.endswith(".yaml")


def is_chart(path: str) -> bool:
    return path.startswith("charts/") and path.count("/") == 1 and path.endswith(".yaml")


def is_table(path: str) -> bool:
    return path.startswith("charts/tables/") and path.count("/") == 2 and path.endswith(".yaml")


# ---------------------------------------------------------------------------------------- comparisons


@dataclass
class RowChanges:
    added: int = 0
    changed: int = 0
    removed: int = 0
    columns_added: tuple[str, ...] = ()
    columns_removed: tuple[str, ...] = ()
    unreadable: bool = False


def _canonical(row: Any) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def row_changes(before: bytes | None, after: bytes | None) -> RowChanges:
    old, new = load_yaml(before) or {}, load_yaml(after) or {}
    if (before is not None and not isinstance(old, dict)) or (after is not None and not isinstance(new, dict)):
        return RowChanges(unreadable=True)
    old_rows = [r for r in old.get("rows") or [] if isinstance(r, dict)]
    new_rows = [r for r in new.get("rows") or [] if isinstance(r, dict)]
    key = _key_column(new) or _key_column(old)
    same = Counter(map(_canonical, old_rows)) & Counter(map(_canonical, new_rows))
    gone, came = _without(old_rows, same), _without(new_rows, same)
    gone_keys = Counter(_canonical(r.get(key)) for r in gone) if key else Counter()
    came_keys = Counter(_canonical(r.get(key)) for r in came) if key else Counter()
    changed = sum((gone_keys & came_keys).values())
    old_columns = [c.get("name") for c in old.get("columns") or [] if isinstance(c, dict)]
    new_columns = [c.get("name") for c in new.get("columns") or [] if isinstance(c, dict)]
    return RowChanges(
        added=len(came) - changed,
        changed=changed,
        removed=len(gone) - changed,
        columns_added=tuple(c for c in new_columns if c not in old_columns),
        columns_removed=tuple(c for c in old_columns if c not in new_columns),
    )


def _key_column(dataset: dict) -> str | None:
    columns = dataset.get("columns") or []
    return columns[0].get("name") if columns and isinstance(columns[0], dict) else None


def _without(rows: list[dict], same: Counter) -> list[dict]:
    left = Counter(same)
    out = []
    for row in rows:
        text = _canonical(row)
        if left[text] > 0:
            left[text] -= 1
        else:
            out.append(row)
    return out


def chart_datasets(data: bytes | None) -> list[str]:
    spec = load_yaml(data)
    if not isinstance(spec, dict):
        return []
    layers = spec.get("layers") or []
    return sorted({str(layer["dataset"]) for layer in layers if isinstance(layer, dict) and layer.get("dataset")})


def chart_inputs_hash(tree: Tree, chart_path: str) -> str | None:
    data = tree.get(chart_path)
    if data is None:
        return None
    digest = hashlib.sha256(data)
    for dataset in chart_datasets(data):
        digest.update(dataset.encode("utf-8") + b"\0" + (tree.get(f"charts/data/{dataset}.yaml") or b"<missing>"))
    return digest.hexdigest()[:12]


def is_renderer(path: str) -> bool:
    return path == "mkdocs.yml" or (path.startswith(PACKAGE + "/") and is_code_file(path.removeprefix(PACKAGE + "/")))


def renderer_changes(base: Tree, head: Tree) -> list[str]:
    """The rendering code and configuration files added, changed or removed."""
    paths = sorted(set(base.files) | set(head.files))
    return [p for p in paths if is_renderer(p) and base.get(p) != head.get(p)]


# ---------------------------------------------------------------------------------------- report


def summarise(base: Tree, head: Tree, base_name: str, head_name: str) -> str:
    lines = [f"## Knowledge-base changes ({base_name} → {head_name})", ""]
    paths = sorted(set(base.files) | set(head.files))

    notes = [p for p in paths if is_note(p) and base.get(p) != head.get(p)]
    added = [p for p in notes if base.get(p) is None]
    removed = [p for p in notes if head.get(p) is None]
    changed = [p for p in notes if p not in added and p not in removed]
    lines.append(f"### Notes: {len(added)} added, {len(changed)} changed, {len(removed)} removed")
    lines.append("")
    for label, group, tree in (("added", added, head), ("changed", changed, head), ("removed", removed, base)):
        lines.extend(f"- {label}: **{note_title(tree.files[p], p)}** (`{p}`)" for p in group)
    lines.append("" if notes else "No note changed.\n")

    datasets = [p for p in paths if is_dataset(p) and base.get(p) != head.get(p)]
    lines.append(f"### Datasets: {len(datasets)} changed")
    lines.append("")
    if datasets:
        lines += ["| dataset | rows added | rows changed | rows removed | columns |", "|---|---:|---:|---:|---|"]
        for path in datasets:
            c = row_changes(base.get(path), head.get(path))
            state = " (new)" if base.get(path) is None else " (removed)" if head.get(path) is None else ""
            if c.unreadable:
                lines.append(f"| `{path}`{state} | – | – | – | not readable YAML (the check reports why) |")
                continue
            columns = ", ".join([*(f"+{n}" for n in c.columns_added), *(f"−{n}" for n in c.columns_removed)])
            lines.append(f"| `{path}`{state} | {c.added} | {c.changed} | {c.removed} | {columns} |")
        lines.append("")
    else:
        lines.append("No dataset changed.\n")

    renderer = renderer_changes(base, head)
    renderer_changed = bool(renderer)
    charts = []
    for path in (p for p in paths if is_chart(p)):
        before, after = chart_inputs_hash(base, path), chart_inputs_hash(head, path)
        if before != after or (renderer_changed and after is not None):
            charts.append((path, before, after))
    lines.append(f"### Charts whose SVG changes: {len(charts)}")
    lines.append("")
    if renderer_changed:
        shown = ", ".join(f"`{n}`" for n in renderer[:5]) + (f" and {len(renderer) - 5} more" if len(renderer) > 5 else "")
        lines.append(f"The chart rendering code or theme changed ({shown}): every chart may look different.")
        lines.append("")
    if charts:
        lines += ["| chart | before | after | what changed |", "|---|---|---|---|"]
        for path, before, after in charts:
            why = []
            if base.get(path) != head.get(path):
                why.append("new chart" if before is None else "chart removed" if after is None else "chart spec")
            for dataset in chart_datasets(head.get(path) or base.get(path)):
                data_path = f"charts/data/{dataset}.yaml"
                if base.get(data_path) != head.get(data_path):
                    why.append(f"dataset `{dataset}`")
            if renderer_changed and not why:
                why.append("rendering code")
            lines.append(f"| `{path}` | {before or '–'} | {after or '–'} | {', '.join(why)} |")
        lines += ["", "Before/after are hashes of each chart's inputs (spec and datasets)."]
    else:
        lines.append("No chart changes.")
    lines.append("")

    tables = [p for p in paths if is_table(p) and base.get(p) != head.get(p)]
    lines.append(f"### Computed tables: {len(tables)} changed")
    lines.append("")
    for path in tables:
        state = "added" if base.get(path) is None else "removed" if head.get(path) is None else "changed"
        lines.append(f"- {state}: `{path}`")
    if not tables:
        lines.append("No computed table changed.")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Summarise knowledge-base changes against a git ref, as Markdown.")
    parser.add_argument("base", metavar="BASE_REF", help="the ref to compare with, e.g. origin/main")
    parser.add_argument("--head", metavar="REF", help="compare with this ref instead of the working tree")
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository (default: the current folder)")
    args = parser.parse_args(argv)
    try:
        root = Path(git(args.root, "rev-parse", "--show-toplevel").decode("utf-8").strip())
        base = tree_at(root, args.base)
        head = tree_at(root, args.head) if args.head else working_tree(root)
    except DiffError as exc:
        print(f"kb_diff: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(summarise(base, head, args.base, args.head or "working tree"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
