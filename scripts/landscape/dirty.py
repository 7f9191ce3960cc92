"""What changed since the last build of a served site, so that ``mkdocs serve --dirty`` rebuilds only it.

MkDocs' dirty mode rebuilds a page when ``File.is_modified()`` says so: by modification time for
hand-written files, and always for generated ones. The plugin asks this module instead, which keeps a
manifest of what each generated file held at the last build of the same site folder (a JSON file beside
that folder, removed when the server stops) and answers:

- a generated page or asset: modified when its bytes changed, or when it is new;
- the home page: when its generated sections changed;
- every page: when something all pages depend on changed (mkdocs.yml, the glossary) or the tags of any
  note changed (the tags page is rebuilt from every tagged page, so all of them are read again).

Deleted generated files are removed from the site folder after the build.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

def digest(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


def manifest_path(site_dir: Path) -> Path:
    return site_dir.parent / f"{site_dir.name}.landscape-manifest.json"


@dataclass
class Changes:
    """The answer for one build: which generated URIs changed, and whether everything must rebuild."""

    everything: bool
    changed: set[str] = field(default_factory=set)
    home: bool = True
    removed: list[str] = field(default_factory=list)
    manifest: dict[str, str] = field(default_factory=dict)

    def generated_modified(self, uri: str) -> bool:
        return self.everything or uri in self.changed


class Digests:
    """Digests of the generated files, kept between the builds of one server: a file the pipeline reused
    (the same object as last time, pipeline.Memo) is not hashed again."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[str | bytes, str]] = {}

    def of(self, files: dict[str, str | bytes]) -> dict[str, str]:
        kept: dict[str, tuple[str | bytes, str]] = {}
        for uri, content in files.items():
            previous = self.kept.get(uri)
            kept[uri] = previous if previous is not None and previous[0] is content else (content, digest(content))
        self.kept = kept
        return {uri: value for uri, (_, value) in kept.items()}


def compare(site_dir: Path, files: dict[str, str | bytes], home: str, tags: dict[str, list[str]], global_inputs: bytes,
            digests: Digests | None = None) -> Changes:
    manifest = (digests or Digests()).of(files)
    manifest["@home"] = digest(home)
    manifest["@tags"] = digest(json.dumps(tags, sort_keys=True))
    manifest["@global"] = digest(global_inputs)
    try:
        previous = json.loads(manifest_path(site_dir).read_text(encoding="utf-8"))
        if not isinstance(previous, dict) or not all(isinstance(v, str) for v in previous.values()):
            previous = {}
    except (OSError, ValueError):
        previous = {}
    everything = not previous or any(previous.get(key) != manifest[key] for key in ("@tags", "@global"))
    changed = {uri for uri, value in manifest.items() if not uri.startswith("@") and previous.get(uri) != value}
    removed = sorted(uri for uri in previous if not uri.startswith("@") and uri not in manifest)
    return Changes(everything, changed, previous.get("@home") != manifest["@home"], removed, manifest)


def record(site_dir: Path, changes: Changes) -> None:
    """Keep the manifest for the next build (a unique temporary file, then an atomic rename)."""
    target = manifest_path(site_dir)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(changes.manifest, stream, sort_keys=True)
    os.replace(temporary, target)


def forget(site_dir: Path) -> None:
    manifest_path(site_dir).unlink(missing_ok=True)
