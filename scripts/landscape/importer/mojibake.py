"""Repair UTF-8 text that was decoded with a single-byte code page (cp1252, latin-1, cp874)."""

from __future__ import annotations

import re

from ..problems import shorten


# UTF-8 read as cp1252 (or latin-1): a lead byte C2-F4 shows as Â..ô, continuation bytes 80-BF as
# the cp1252 punctuation, C1 controls (latin-1) or NBSP..¿.
_CP1252_CONT = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_CP1252_RUN = re.compile(f"(?:[\u00c2-\u00f4][{_CP1252_CONT}]+)+")
# UTF-8 read as cp874 / TIS-620 (Thai): byte b in A1-FB shows as U+0E00 + (b - 0xA0); lead bytes
# C2-F4 show as U+0E22-U+0E54, continuation bytes A1-BF as U+0E01-U+0E1F, 80-A0 as cp874 punctuation,
# C1 controls or NBSP.
_THAI_CONT = "\u0e01-\u0e1f\u0080-\u00a0€…‘’“”•–—"
_THAI_RUN = re.compile(f"(?:[\u0e22-\u0e54][{_THAI_CONT}]+)+")
_THAI_LETTER = re.compile("[\u0e01-\u0e5b]")
_REMOVED_AT_LINE_START = "\ue000"  # private-use sentinel: a removed run at a line start takes its space


def _byte_of(char: str, codec: str) -> int | None:
    try:
        return char.encode(codec)[0]
    except UnicodeEncodeError:
        code = ord(char)
        return code if code <= 0xFF else None


def _utf8_needs(lead: int) -> int:
    return 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 3 if 0xF0 <= lead <= 0xF4 else -1


def _truncated_utf8(data: bytes) -> bool:
    """True when ``data`` is made only of UTF-8 sequences that lost some continuation bytes."""
    index, truncated = 0, False
    while index < len(data):
        need = _utf8_needs(data[index])
        if need < 0:
            return False
        index += 1
        got = 0
        while index < len(data) and 0x80 <= data[index] <= 0xBF and got < need:
            index += 1
            got += 1
        truncated = truncated or got < need
    return truncated


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Repair UTF-8 text that was decoded with a single-byte code page (cp1252, latin-1, cp874).

    A run is replaced only when re-encoding it gives valid UTF-8, so ordinary accented letters and
    punctuation stay as they are. Thai-codepage runs whose UTF-8 bytes are partly lost (the tail of an
    emoji, say) cannot be repaired: they are removed and reported. Documents written in Thai (a fifth
    of their letters or more, not counting the runs themselves) are left alone.
    """
    notes: list[str] = []

    def fix(match: re.Match, codec: str) -> str:
        run = match.group(0)
        data = bytes(b for b in (_byte_of(c, codec) for c in run) if b is not None)
        line = text.count("\n", 0, match.start()) + 1
        try:
            fixed = data.decode("utf-8")
        except UnicodeDecodeError:
            if codec == "cp874" and _truncated_utf8(data):
                notes.append(f"line {line}: removed {shorten(run)}, the remains of a UTF-8 character whose other bytes are lost ({data.hex(' ').upper()})")
                at_line_start = match.start() == 0 or match.string[match.start() - 1] == "\n"
                return _REMOVED_AT_LINE_START if at_line_start else ""
            return run
        notes.append(f"line {line}: repaired {shorten(run)} -> {shorten(fixed)} (UTF-8 read as {codec})")
        return fixed

    for _ in range(2):  # twice: text can be mis-decoded twice over
        before = text
        text = _CP1252_RUN.sub(lambda m: fix(m, "cp1252"), text)
        if text == before:
            break
    outside_runs = _THAI_RUN.sub("", text)  # Thai letters that are not part of a mojibake-like run
    letters = sum(1 for c in outside_runs if c.isalpha())
    if len(_THAI_LETTER.findall(outside_runs)) <= 0.2 * letters:
        text = _THAI_RUN.sub(lambda m: fix(m, "cp874"), text)
        text = re.sub(_REMOVED_AT_LINE_START + " ?", "", text)  # a removed run at the start of a line takes its space with it
    return text, notes
