"""The build cache (``.cache/landscape/``): data only, authenticated, safe when builds run side by side.

- Data, never code: entries are JSON (or plain text such as SVG and the Vega bundle), read back with
  ``json`` and validated again by a pydantic model; nothing is unpickled or executed.
- Authenticated: every entry starts with an HMAC-SHA256 of its name and content, keyed by a secret kept
  outside the knowledge base (``~/.cache/landscape/cache-key``, made on first use, mode 0600). A file
  planted under .cache/ (a pull request can add one; its name is easy to compute) has no valid tag and
  is ignored, as is a torn, truncated or foreign file: the entry is rebuilt and rewritten.
- Concurrent builds: an entry is written to a unique temporary file in its own folder
  (``tempfile.mkstemp``) and moved into place with ``os.replace``, which is atomic, so a reader sees the
  old entry, the new one or none, never half of one. Entries are named by a hash of their inputs, so two
  builds that write one name write the same content and no lock is needed; the key file is created
  with ``os.link``, which fails rather than overwrite when another build made it first.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import functools
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterable, TypeVar

from pydantic import BaseModel, ValidationError

MAGIC = b"landscape-cache-1 "
KEY_ENV = "LANDSCAPE_CACHE_KEY"  # path of the key file, for tests and unusual machines
_TAG_LENGTH = 64

Model = TypeVar("Model", bound=BaseModel)
_keys: dict[str, bytes] = {}
PACKAGE = Path(__file__).resolve().parent
OUTPUT_ASSETS = ("static", "overrides")  # folders of the package whose files shape the output (scripts, CSS, templates)


def is_code_file(relative: str | PurePosixPath) -> bool:
    """Whether a file of the package (path relative to its folder) shapes what a build writes: every
    Python module at any depth, and every file under OUTPUT_ASSETS (never bytecode)."""
    parts = PurePosixPath(relative).parts
    if not parts or "__pycache__" in parts or parts[-1].endswith((".pyc", ".pyo")):
        return False
    return parts[-1].endswith(".py") or parts[0] in OUTPUT_ASSETS


def code_files(package: Path = PACKAGE) -> list[str]:
    """The package's files that shape output, as sorted paths relative to ``package`` (POSIX form)."""
    found = (path.relative_to(package).as_posix() for path in package.rglob("*") if path.is_file())
    return sorted(name for name in found if is_code_file(name))


def version_of(files: Iterable[tuple[str, bytes]]) -> str:
    """A hash of (relative path, content) pairs, in sorted order: renaming, adding or removing a file
    changes it as well as editing one."""
    digest = hashlib.sha256()
    for name, data in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()[:16]


@functools.cache
def code_version() -> str:
    """The version of the code every cache entry is made by: a hash of all of the package's code files
    (``code_files``), so that no change to how inputs are read or drawn can leave a stale entry."""
    return version_of((name, (PACKAGE / name).read_bytes()) for name in code_files())


def key_path() -> Path:
    configured = os.environ.get(KEY_ENV)
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "landscape" / "cache-key"


def _key() -> bytes:
    """The machine's cache secret; where it cannot be kept, one for this process only (entries written
    by an earlier process are then ignored, which costs time, never correctness)."""
    path = key_path()
    cached = _keys.get(str(path))
    if cached is not None:
        return cached
    key = _read_key(path) or _make_key(path) or secrets.token_bytes(32)
    _keys[str(path)] = key
    return key


def _read_key(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text) if len(text) == 64 else None
    except (OSError, ValueError):
        return None


def _make_key(path: Path) -> bytes | None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".cache-key.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="ascii") as out:
                out.write(secrets.token_hex(32) + "\n")
            os.chmod(temp, 0o600)
            try:
                os.link(temp, path)  # atomic, and never replaces a key another build made first
            except FileExistsError:
                pass
        finally:
            Path(temp).unlink(missing_ok=True)
        return _read_key(path)
    except OSError:
        return None


def _tag(name: str, payload: bytes) -> bytes:
    return hmac.new(_key(), name.encode("utf-8") + b"\0" + payload, hashlib.sha256).hexdigest().encode("ascii")


def read_bytes(path: Path) -> bytes | None:
    """An entry's content, or None when it is missing, torn, foreign or planted (its tag does not verify)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + _TAG_LENGTH + 1
    if len(data) < head or not data.startswith(MAGIC) or data[head - 1 : head] != b"\n":
        return None
    tag, payload = data[len(MAGIC) : head - 1], data[head:]
    if not hmac.compare_digest(tag, _tag(Path(path).name, payload)):
        return None
    return payload


def write_bytes(path: Path, payload: bytes) -> None:
    """Write an entry atomically under a unique temporary name; a cache that cannot be written is skipped."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(MAGIC + _tag(path.name, payload) + b"\n" + payload)
        os.replace(temp, path)
    except OSError:
        Path(temp).unlink(missing_ok=True)


def read_text(path: Path) -> str | None:
    payload = read_bytes(path)
    if payload is None:
        return None
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return None


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))


def read_model(path: Path, model: type[Model]) -> Model | None:
    """A JSON entry validated by ``model``; None when missing, unauthenticated or not valid."""
    payload = read_bytes(path)
    if payload is None:
        return None
    try:
        return model.model_validate_json(payload)
    except ValidationError:
        return None


def write_model(path: Path, value: BaseModel) -> None:
    write_bytes(path, value.model_dump_json().encode("utf-8"))


def prune(folder: Path, stem: str, keep: Path) -> None:
    """Remove the entries of ``stem`` other than ``keep`` (older versions of one dataset or chart), and
    temporary files left by a build that was killed; files another build removed first are skipped."""
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if entry == keep:
            continue
        own = name.startswith(f"{stem}-") and name[len(stem) + 1 :].split(".", 1)[0].isalnum()
        if own or name.endswith((".pickle", ".tmp")) and name.lstrip(".").startswith(f"{stem}-") and not _fresh(entry):
            try:
                entry.unlink()
            except OSError:
                pass


def _fresh(path: Path, seconds: float = 600) -> bool:
    """Whether a temporary file may still belong to a build that is running."""
    import time

    try:
        return time.time() - path.stat().st_mtime < seconds
    except OSError:
        return False
