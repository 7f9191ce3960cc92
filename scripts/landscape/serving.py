"""`mkdocs serve` with a broken file: keep serving the last good build and show the problems on the page.

MkDocs' live-reload server holds every request until a build succeeds, so a build that raises on a
broken note made every page wait until the file was fixed. Under `mkdocs serve` the plugin therefore
does not raise for problems in notes, datasets, charts and tables once one build has succeeded: it
hands MkDocs the generated files of the last good build and every page gets an overlay listing the
problems (``file:line: field: message``). The next good build has no overlay. `mkdocs build` and
`landscape check` still fail with the same problems.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .pipeline import Artefacts
from .problems import Problem

OVERLAY_ID = "lsc-problems"

_STYLE = (
    "position:fixed;z-index:10000;left:.8rem;right:.8rem;bottom:.8rem;max-height:60vh;overflow:auto;"
    "padding:.8rem 1rem;border-radius:.3rem;border-left:.4rem solid #b71c1c;background:#fff5f5;color:#1a1a1a;"
    "box-shadow:0 .2rem 1rem rgba(0,0,0,.35);font:.8rem/1.5 system-ui,sans-serif"
)


@dataclass
class ServeState:
    """What survives between the builds of one `mkdocs serve`."""

    serving: bool = False
    last_good: Artefacts | None = None
    problems: list[Problem] = field(default_factory=list)  # of the current build, shown on every page

    def keep_serving(self) -> bool:
        """Whether a build with problems should serve the last good build instead of failing."""
        return self.serving and self.last_good is not None


def overlay(problems: list[Problem]) -> str:
    """The overlay's HTML: a heading, what is shown instead, and one line per problem (all escaped)."""
    count = len(problems)
    items = "".join(
        f'<li><code style="white-space:pre-wrap;word-break:break-word;background:none;color:inherit">{html.escape(str(p))}</code></li>'
        for p in problems
    )
    return (
        f'<div id="{OVERLAY_ID}" role="alert" style="{_STYLE}">'
        f'<strong style="color:#b71c1c">{count} problem{"s" if count != 1 else ""} in the knowledge base</strong>'
        " — the site shows the last good build until they are fixed."
        f'<ul style="margin:.4rem 0 0 1.2rem;padding:0">{items}</ul></div>'
    )


def with_overlay(page_html: str, problems: list[Problem]) -> str:
    if not problems:
        return page_html
    block = overlay(problems)
    index = page_html.rfind("</body>")
    return page_html[:index] + block + page_html[index:] if index >= 0 else page_html + block


def withheld(source: Path | str) -> str:
    """The content of a page that failed the safety check under `mkdocs serve` (the overlay says why)."""
    return f"<p><strong>This page is not shown:</strong> {html.escape(str(source))} has unsafe HTML (see the problems below).</p>"


def change_events() -> list[type]:
    """The watchdog events that are changes. inotify also reports files being opened and closed, and a
    build opens the files it reads: only a change may ask for a rebuild, as with polling."""
    from watchdog import events

    return [events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
            events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]


def watch_natively(server: Any) -> bool:
    """MkDocs' live-reload server polls what it watches every 0.5 s (watchdog's PollingObserver), so a save
    waits a quarter of a second on average, and up to half a second, before its rebuild starts. Where the
    system reports changes itself (inotify), give the server an observer that listens, with the same
    watches; keep the polling one where it cannot (no inotify, its limit reached, or LANDSCAPE_POLL=1).
    Returns whether the server now listens."""
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    paths = getattr(server, "_watched_paths", None)
    if os.environ.get("LANDSCAPE_POLL") or Observer is PollingObserver or not isinstance(paths, dict):
        return False
    changes = change_events()

    class ChangesOnly(Observer):  # type: ignore[misc, valid-type]
        def schedule(self, handler, path, *, recursive=False, event_filter=None):
            return super().schedule(handler, path, recursive=recursive, event_filter=event_filter or changes)

    observer = ChangesOnly()
    try:
        observer.start()
    except OSError:
        return False
    observer.start = lambda: None  # type: ignore[method-assign]  # the server starts its observer in serve(): this one runs
    polling, server.observer = server.observer, observer
    polling.unschedule_all()
    server._watched_paths, server._watch_refs = {}, {}
    for path in paths:  # the server's own watch(): the same handler that asks for a rebuild
        server.watch(path)
    return True
