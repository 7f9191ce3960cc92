"""Entity pages declared in YAML: a page for every model, chip, organisation (or country, paper...) named
in a dataset. A declaration (charts/pages/<id>.yaml) says which dataset, which column names the entity,
how to split a cell naming several, which name forms are one entity, which columns to show and which
related lists to build; no Python is needed for a new collection.

    id: models                 # the URL folder (/models/) and the declaration's file name
    link: model                # notes link an entity with [[model:NAME]] (by name or alias)
    title: AI models           # the index page's title
    singular: model
    description: ...
    dataset: notable-models
    name: model                # the column naming the entity
    split: ","                 # optional: a cell names several entities (an organisation column)
    aliases: {"GPT-3 175B (davinci)": [GPT-3, davinci]}   # other name forms; rows under them join the entity
    slugs: {"Name": slug}      # optional fixed slugs
    fields: [{column: parameters, label: Parameters}, ...]
    links: {organization: organisations}   # cells naming entities of another collection become links
    related:
      - {type: same, column: organization, label: ...}          # entities sharing a value of COLUMN
      - {type: neighbours, column: compute, label: ...}         # just before and after in COLUMN
      - {type: mentioned_by, collection: models, column: hardware, label: ...}  # rows of another collection naming it
      - {type: join, dataset: training-costs, column: model, fields: [...], label: ..., missing: ...}  # rows of another dataset
      - {type: counts, columns: [released, domain], label: ..., count: Models}  # for entities of many rows: counts by year, value

Slugs come from the name (lowercase words joined by hyphens); two names giving one slug are told apart
by a number in the order of the names, so slugs are stable from build to build.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from .datasets import Dataset, Row
from .model import Strict
from .problems import Problem, problem
from .yamlio import YamlList, YamlMap, id_problem, load_each, read_model

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


class FieldModel(Strict):
    column: str
    label: str | None = None


class RelatedModel(Strict):
    type: Literal["same", "neighbours", "mentioned_by", "join", "counts"]
    label: str
    column: str | None = None
    collection: str | None = None
    dataset: str | None = None
    fields: list[FieldModel] = Field(default_factory=list)
    columns: list[str] = Field(default_factory=list)
    count: str = Field(default="Rows", min_length=1, description="'counts': the heading of the count column")
    missing: str | None = Field(default=None, description="'join': what the page says when no row matches (else the list is left out)")


class CollectionModel(Strict):
    id: str = Field(pattern=SLUG)
    link: str = Field(pattern=r"^[a-z]+$", description="Notes link an entity with [[LINK:NAME]].")
    title: str = Field(min_length=1)
    singular: str = Field(min_length=1)
    description: str = ""
    dataset: str
    name: str = Field(description="The column naming the entity.")
    split: str | None = Field(default=None, description="A cell names several entities, separated by this.")
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    slugs: dict[str, str] = Field(default_factory=dict)
    fields: list[FieldModel] = Field(default_factory=list)
    links: dict[str, str] = Field(default_factory=dict, description="column -> collection whose entities it names")
    related: list[RelatedModel] = Field(default_factory=list)
    record: str | None = Field(default=None, description="URL of the entity's record at the data's source; {name} is replaced")


@dataclass(eq=False)  # compared and hashed by identity: one object an entity
class Entity:
    collection: str
    name: str
    slug: str
    rows: list[Row]
    forms: list[str]  # name forms found in the data (the name first)
    aliases: list[str]  # declared other names

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys([self.name, *self.forms, *self.aliases]))


@dataclass
class Collection:
    id: str
    spec: CollectionModel
    path: Path
    entities: list[Entity]  # in name order
    by_slug: dict[str, Entity] = field(default_factory=dict)
    by_name: dict[str, Entity] = field(default_factory=dict)  # every name form and alias, and lowercased
    key_lines: dict[str, int] = field(default_factory=dict)  # line of each top-level key of the file

    @property
    def link(self) -> str:
        return self.spec.link

    def find(self, name: str) -> Entity | None:
        return self.by_name.get(name) or self.by_name.get(name.strip().lower())

    def nearest(self, name: str, n: int = 3) -> list[str]:
        names = sorted({e.name for e in self.entities} | {a for e in self.entities for a in e.aliases})
        lowered = {x.lower(): x for x in names}
        return [lowered[m] for m in difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)]


def drawn_datasets(collections: dict[str, Collection]) -> set[str]:
    """The datasets whose rows are entities' rows: each collection's own, and those its pages join."""
    return {c.spec.dataset for c in collections.values()} | {r.dataset for c in collections.values() for r in c.spec.related if r.type == "join" and r.dataset}


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "entity"


def load_collections(files: list[Path], datasets: dict[str, Dataset]) -> tuple[dict[str, Collection], list[Problem]]:
    collections, found = load_each(files, lambda path: load_collection(path, datasets), "entity collection")
    links: dict[str, str] = {}
    for ident, collection in sorted(collections.items()):
        if collection.link in links:
            found.append(problem(collection.path, None, "link", f"link {collection.link!r} is also used by collection {links[collection.link]!r}"))
        links[collection.link] = ident
    for collection in collections.values():
        raw_lines = collection.key_lines
        for column, other in collection.spec.links.items():
            if other not in collections:
                found.append(problem(collection.path, raw_lines.get("links"), f"links.{column}", f"unknown collection {other!r} (collections: {', '.join(sorted(collections))})"))
        for index, related in enumerate(collection.spec.related):
            if related.collection and related.collection not in collections:
                found.append(problem(collection.path, raw_lines.get("related"), f"related[{index}].collection", f"unknown collection {related.collection!r}"))
    return collections, found


def load_collection(path: Path, datasets: dict[str, Dataset]) -> tuple[Collection | None, list[Problem]]:
    raw, spec, found = read_model(path, CollectionModel, "an entity collection (id, link, dataset, name, fields, ...)")
    if spec is None:
        return None, found
    found += id_problem(path, raw, spec.id)
    lines = raw.key_lines
    dataset = datasets.get(spec.dataset)
    if dataset is None:
        known = ", ".join(sorted(datasets)) or "none"
        return None, found + [problem(path, lines.get("dataset"), "dataset", f"unknown dataset {spec.dataset!r} (datasets: {known})")]

    def need_column(name: str | None, where: str, line: int | None, ds: Dataset = dataset) -> None:
        if name is not None and ds.column(name) is None:
            near = difflib.get_close_matches(name, ds.column_names, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            found.append(problem(path, line, where, f"dataset {ds.id!r} has no column {name!r}{hint}"))

    need_column(spec.name, "name", lines.get("name"))
    for index, item in enumerate(spec.fields):
        need_column(item.column, f"fields[{index}].column", _item_line(raw, "fields", index))
    for column in spec.links:
        need_column(column, f"links.{column}", lines.get("links"))
    for index, related in enumerate(spec.related):
        line = _item_line(raw, "related", index)
        if related.type == "join":
            other = datasets.get(related.dataset or "")
            if other is None:
                found.append(problem(path, line, f"related[{index}].dataset", f"unknown dataset {related.dataset!r}"))
                continue
            need_column(related.column, f"related[{index}].column", line, other)
            for item in related.fields:
                need_column(item.column, f"related[{index}].fields", line, other)
        elif related.type in ("same", "neighbours"):
            if related.column is None:
                found.append(problem(path, line, f"related[{index}].column", f"a {related.type!r} list needs a column"))
            need_column(related.column, f"related[{index}].column", line)
        elif related.type == "counts":
            for column in related.columns:
                need_column(column, f"related[{index}].columns", line)
        elif related.type == "mentioned_by" and (related.collection is None or related.column is None):
            found.append(problem(path, line, f"related[{index}]", "a 'mentioned_by' list needs a collection and a column"))
    if found:
        return None, found
    entities, problems = build_entities(spec, dataset, path, raw)
    found += problems
    if found:
        return None, found
    collection = Collection(spec.id, spec, path, entities, key_lines=dict(lines))
    for entity in entities:
        collection.by_slug[entity.slug] = entity
        for name in entity.names:
            collection.by_name.setdefault(name, entity)
            collection.by_name.setdefault(name.lower(), entity)
    return collection, []


def _item_line(raw: YamlMap, key: str, index: int) -> int | None:
    items = raw.get(key)
    if isinstance(items, YamlList) and index < len(items.item_lines):
        return items.item_lines[index]
    return raw.key_lines.get(key)


def build_entities(spec: CollectionModel, dataset: Dataset, path: Path, raw: YamlMap) -> tuple[list[Entity], list[Problem]]:
    found: list[Problem] = []
    canonical: dict[str, str] = {}  # name form or alias -> the entity's name
    for name, others in spec.aliases.items():
        for other in others:
            if other in canonical and canonical[other] != name:
                found.append(problem(path, raw.key_lines.get("aliases"), f"aliases.{name}", f"{other!r} is already an alias of {canonical[other]!r}"))
            canonical[other] = name
    rows_by_name: dict[str, list[Row]] = {}
    forms: dict[str, list[str]] = {}
    for row in dataset.rows:
        cell = row.get(spec.name)
        if cell is None or not str(cell).strip():
            continue
        names = [part.strip() for part in str(cell).split(spec.split)] if spec.split else [str(cell).strip()]
        for form in dict.fromkeys(n for n in names if n):
            name = canonical.get(form, form)
            if not rows_by_name.get(name) or rows_by_name[name][-1] is not row:  # "DeepMind, Google DeepMind": one row
                rows_by_name.setdefault(name, []).append(row)
            forms.setdefault(name, [])
            if form not in forms[name]:
                forms[name].append(form)
    for name in spec.aliases:
        if name not in rows_by_name:
            found.append(problem(path, raw.key_lines.get("aliases"), f"aliases.{name}", f"no row of {dataset.id!r} names {name!r} (or any of its aliases) in column {spec.name!r}"))
    fixed = dict(spec.slugs)
    taken: dict[str, str] = {}
    for name, slug in fixed.items():
        if not re.match(SLUG, slug):
            found.append(problem(path, raw.key_lines.get("slugs"), f"slugs.{name}", f"{slug!r} is not lowercase words joined by hyphens"))
        elif slug in taken:
            found.append(problem(path, raw.key_lines.get("slugs"), f"slugs.{name}", f"slug {slug!r} is also given to {taken[slug]!r}"))
        elif name not in rows_by_name:
            found.append(problem(path, raw.key_lines.get("slugs"), f"slugs.{name}", f"no entity is named {name!r}"))
        taken[slug] = name
    entities = []
    for name in sorted(rows_by_name, key=lambda n: (n.lower(), n)):
        slug = fixed.get(name)
        if slug is None:
            base = slugify(name)
            slug, number = base, 2
            while slug in taken or slug == "index":
                slug, number = f"{base}-{number}", number + 1
        taken[slug] = name
        form_list = [name, *[f for f in forms[name] if f != name]]
        entities.append(Entity(spec.id, name, slug, rows_by_name[name], form_list, list(spec.aliases.get(name, []))))
    return entities, found


@dataclass(frozen=True)
class Mention:
    """A known entity's name in a note's text that is not a link to its page: a hint, not an error."""

    path: Path
    line: int
    name: str
    link: str  # the wikilink that would link it

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: hint: {self.name!r} has a page: link it with {self.link}"


_LINKED_OR_CODE = re.compile(r"\{\{[^}]*\}\}|\[\[[^\]]*\]\]|\[[^\]]*\]\([^)]*\)|`[^`]*`|<[^>]*>|https?://\S+")


def unlinked_mentions(notes: list[Any], collections: dict[str, Collection], per_note: int = 5) -> list[Mention]:
    """The first lines where a note names, in plain text, an entity it never links to. Names shorter
    than four characters or written all in lower case are skipped (too many are ordinary words)."""
    targets: dict[str, tuple[str, Entity]] = {}
    for collection in sorted(collections.values(), key=lambda c: c.id):
        for entity in collection.entities:
            for name in entity.names:
                if len(name) >= 4 and name != name.lower() and name not in targets:
                    targets[name] = (collection.link, entity)
    if not targets:
        return []
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in sorted(targets, key=len, reverse=True)) + r")(?![\w-])")
    found: list[Mention] = []
    for note in notes:
        linked = {m.group(0).lower() for m in re.finditer(r"\[\[[a-z]+:[^\]|#]+", note.body)}
        seen: set[int] = set()
        count = 0
        in_fence = False
        for offset, line in enumerate(note.body.splitlines()):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if in_fence or count >= per_note:
                continue
            for match in pattern.finditer(_LINKED_OR_CODE.sub(lambda m: " " * len(m.group(0)), line)):
                link, entity = targets[match.group(1)]
                if id(entity) in seen or any(f"[[{link}:{n}".lower() in linked for n in entity.names):
                    continue
                seen.add(id(entity))
                found.append(Mention(note.path, note.body_line + offset, match.group(1), f"[[{link}:{match.group(1)}]]"))
                count += 1
                if count >= per_note:
                    break
    return found
