"""What the check would reject, made harmless: embed syntax put in inline code, unsafe HTML escaped (judged
on the rendered HTML, as the build judges it)."""

from __future__ import annotations

import re

from .. import safety
from ..problems import shorten
from .prose import map_prose


BRACES = re.compile(r"\{\{.*?\}\}")
ANCHOR_RESIDUE = re.compile(r"""['"]\s*target=['"]_blank['"]\s*>""")


def neutralise(text: str) -> tuple[str, list[str]]:
    """``{{...}}`` (our embed syntax) goes into inline code; unsafe HTML is escaped so it shows as text."""
    notes: list[str] = []

    def on_piece(piece: str, number: int) -> str:
        def code(match: re.Match) -> str:
            notes.append(f"line {number}: {shorten(match.group(0))} put in inline code (it is embed syntax here)")
            return f"`{match.group(0)}`"

        piece = BRACES.sub(code, piece)
        if ANCHOR_RESIDUE.search(piece):
            notes.append(f"line {number}: left-over HTML of a scraped link removed")
            piece = ANCHOR_RESIDUE.sub(" ", piece)
        render = safety.renderer()
        if safety.scan(render(piece)):  # judged on the rendered HTML, as the build judges it
            notes.append(f"line {number}: unsafe HTML escaped so it shows as text")
            piece = piece.replace("<", "&lt;")
            piece = re.sub(r"(?i)(javascript|vbscript|data):", r"\1&#58;", piece)
            if safety.scan(render(piece)):  # an encoded scheme in a Markdown link: show the line as code
                piece = "`` " + piece.replace("`", "'") + " ``"
        return piece

    return _neutralise_blocks(map_prose(text, on_piece), notes), notes


def _neutralise_blocks(text: str, notes: list[str]) -> str:
    """What is unsafe only across lines (an attribute list under a paragraph, a reference definition):
    escape the paragraph's ``{`` and ``<``, or show it as code when that is not enough."""
    render = safety.renderer()
    if not safety.scan(render(text)):
        return text
    lines = text.split("\n")
    for start, block in safety.blocks(text, 1):
        if not safety.scan(render(block)):
            continue
        count = len(block.splitlines())
        escaped = [line.replace("<", "&lt;").replace("{", "&#123;") for line in lines[start - 1 : start - 1 + count]]
        if safety.scan(render("\n".join(escaped))):
            escaped = ["`` " + line.replace("`", "'") + " ``" for line in lines[start - 1 : start - 1 + count]]
        lines[start - 1 : start - 1 + count] = escaped
        notes.append(f"line {start}: unsafe HTML escaped so it shows as text")
    return "\n".join(lines)
