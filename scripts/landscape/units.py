"""Units: one pint registry with the project's extra units, and a parser that explains its failures.

The registry is built once at import; a site's own units (mkdocs.yml `units:`) are only ever added to it.
Extra units, each its own dimension so that adding one to another fails loudly:
FLOP (floating-point operations), USD, token, parameter, sample, word, GPU, and emissions in CO2e
(gCO2e, kgCO2e, tCO2e).
"""

from __future__ import annotations

import functools
import math

import pint
from .problems import shorten

EXTRA_UNITS = (
    "FLOP = [computation] = _ = flop",
    "USD = [currency] = _ = dollar",
    "token = [token]",
    "parameter = [parameter]",
    "sample = [sample]",
    "word = [word]",
    "GPU = [gpu]",
    "gram_CO2e = [emissions] = gCO2e",
    "kilogram_CO2e = 1000 * gram_CO2e = kgCO2e",
    "tonne_CO2e = 1e6 * gram_CO2e = tCO2e",
)

# Units shown with their plural when the value is not 1 ("13.0 days", "10,000 GPUs").
PLURAL_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "year", "token", "parameter", "sample", "word", "GPU"}
)


def make_registry() -> pint.UnitRegistry:
    registry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True, on_redefinition="raise")
    for definition in EXTRA_UNITS:
        registry.define(definition)
    return registry


UREG: pint.UnitRegistry = make_registry()
Quantity = UREG.Quantity
_SITE_UNITS: set[str] = set()


def define_site_units(definitions: tuple[str, ...]) -> None:
    """Add a site's own unit definitions (mkdocs.yml `units:`) to the registry, once each.

    Raises ValueError naming the definition that pint rejects or that redefines a known unit. Under
    `mkdocs serve` a definition removed from mkdocs.yml stays known until the server restarts."""
    for definition in definitions:
        if definition in _SITE_UNITS:
            continue
        try:
            UREG.define(definition)
        except (pint.errors.DefinitionSyntaxError, pint.errors.RedefinitionError, ValueError, TypeError) as exc:
            raise ValueError(f"unit definition {shorten(definition)}: {exc}") from None
        _SITE_UNITS.add(definition)
        parse_unit.cache_clear()


@functools.lru_cache(maxsize=512)
def parse_unit(text: str) -> pint.Unit:
    """Parse a unit written in a data file ("FLOP/s", "MWh", "mm^2", "dimensionless").

    Raises ValueError with a message fit for a reader: which part is unknown and what is accepted.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("unit is empty: write a unit such as FLOP, W or MWh, or 'dimensionless'")
    cleaned = text.strip()
    try:
        unit = UREG.parse_units(cleaned)
    except pint.UndefinedUnitError as exc:
        names = ", ".join(sorted(str(n) for n in (exc.unit_names if isinstance(exc.unit_names, (list, tuple)) else [exc.unit_names])))
        raise ValueError(
            f"unknown unit {shorten(names)} in {shorten(cleaned)} (pint units such as W, MWh, mm^2, year, plus "
            "FLOP, USD, token, parameter, sample, word, GPU, gCO2e, kgCO2e, tCO2e)"
        ) from None
    except (ValueError, AssertionError, TypeError, SyntaxError, pint.PintError) as exc:
        detail = str(exc).strip()
        raise ValueError(f"cannot read unit {shorten(cleaned)}" + (f": {detail}" if detail else "")) from None
    return unit


def unit_label(text: str, plural: bool = False) -> str:
    """How a unit written in a data file is shown to readers: as written, pluralised for whole words."""
    cleaned = text.strip()
    if cleaned in ("dimensionless", ""):
        return ""
    if cleaned == "percent":
        return "%"
    if plural and cleaned in PLURAL_UNITS:
        return cleaned + "s"
    return cleaned


def convert(value: float, from_unit: str, to_unit: str) -> float:
    """Convert a magnitude between two units written in data files; raises pint.DimensionalityError."""
    return float(Quantity(value, parse_unit(from_unit)).to(parse_unit(to_unit)).magnitude)


def significant(value: float, digits: int) -> float:
    """Round to ``digits`` significant figures."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def format_number(value: float, digits: int = 3) -> str:
    """A number for readers: thousands separators, ``digits`` significant figures, no exponent below 1e15.

    13.0 (digits 3) -> "13.0"; 1404 (digits 4) -> "1,404"; 1497.6 (digits 3) -> "1,500"; 3.14e23 -> "3.14 × 10²³".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if value == 0:
        return "0"
    rounded = significant(float(value), digits)
    magnitude = math.floor(math.log10(abs(rounded)))
    if magnitude >= 15 or magnitude <= -5:
        mantissa = rounded / 10**magnitude
        text = f"{mantissa:.{max(digits - 1, 0)}f}"
        return f"{text} × 10{superscript(magnitude)}"
    decimals = max(digits - 1 - magnitude, 0)
    return f"{rounded:,.{decimals}f}"


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def superscript(number: int) -> str:
    return str(number).translate(_SUPERSCRIPT)


# Units shown with an SI prefix ("989 TFLOP/s", "80.0 GB", "3.35 TB/s"); "byte" is written B.
PREFIXED_UNITS = {"FLOP/s": "FLOP/s", "byte": "B", "byte/s": "B/s", "FLOP/s/W": "FLOP/s/W", "FLOP/s/USD": "FLOP/s per US$",
                  "FLOP/s/mm^2": "FLOP/s/mm²", "OP/s": "OP/s", "Hz": "Hz"}
_PREFIXES = [(1e18, "E"), (1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]
_WORDS = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]
_POWERS = {"^2": "²", "^3": "³"}


def reader_quantity(value: float, unit: str | None, digits: int = 3) -> str:
    """A number with its unit the way a reader expects a figure of a data table: SI prefixes for rates
    and bytes, millions and billions for counts and dollars, whole numbers below a million in full,
    powers of ten for FLOP totals (3.14 × 10²³ FLOP)."""
    unit = (unit or "").strip()
    magnitude = abs(value)
    if unit in PREFIXED_UNITS:
        shown = PREFIXED_UNITS[unit]
        for scale, prefix in _PREFIXES:
            if magnitude >= scale:
                return f"{format_number(value / scale, digits)} {prefix}{shown}"
        return f"{format_number(value, digits)} {shown}"
    if unit == "USD":
        for scale, word in _WORDS:
            if magnitude >= scale:
                return f"US${format_number(value / scale, digits)} {word}"
        return f"US${format_number(value, digits) if magnitude < 1000 else f'{round(value):,}'}"
    label = unit_label(unit, plural=value != 1)
    for power, sign in _POWERS.items():
        label = label.replace(power, sign)
    if label in ("", "parameter", "parameters", "token", "tokens", "word", "words", "sample", "samples") and 1e6 <= magnitude < 1e15:
        words = next(f"{format_number(value / scale, digits)} {word}" for scale, word in _WORDS if magnitude >= scale)
        return f"{words} {label}".strip()
    if float(value).is_integer() and magnitude < 1e6:
        text = f"{int(value):,}"
    else:
        text = format_number(value, digits)
    if not label:
        return text
    return f"{text}{label}" if label == "%" else f"{text} {label}"
