"""Units: one pint registry with the project's extra units, and a parser that explains its failures.

The registry is built once at import and never changed afterwards (it is read-only state).
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
