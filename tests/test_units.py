"""Units: the project's extra units parse, convert, and unknown units fail with a clear message."""

import pint
import pytest

from landscape.units import UREG, Quantity, convert, format_number, parse_unit, unit_label


@pytest.mark.parametrize(
    "text", ["FLOP", "FLOP/s", "FLOP/s/USD", "USD", "W", "MWh", "mm^2", "token", "parameter", "sample",
             "word", "GPU", "year", "percent", "dimensionless", "TFLOP/s/GPU", "USD/hour", "tCO2e", "kgCO2e"],
)
def test_units_in_the_contributing_guide_parse(text):
    assert isinstance(parse_unit(text), pint.Unit)


def test_conversions():
    assert convert(936, "MWh", "kWh") == pytest.approx(936_000)
    assert convert(1, "PFLOP", "FLOP") == pytest.approx(1e15)
    assert convert(552, "tCO2e", "kgCO2e") == pytest.approx(552_000)
    days = (Quantity(3.14e23, "FLOP") / (Quantity(10_000, "GPU") * Quantity(28, "TFLOP/s/GPU"))).to("day")
    assert days.magnitude == pytest.approx(12.98, abs=0.01)


def test_project_units_have_their_own_dimensions():
    with pytest.raises(pint.DimensionalityError):
        Quantity(1, "FLOP").to("token")
    with pytest.raises(pint.DimensionalityError):
        Quantity(1, "W").to("FLOP")
    assert UREG.parse_units("GPUs") == UREG.parse_units("GPU")


@pytest.mark.parametrize("text, fragment", [("flops_per_banana", "unknown unit 'flops_per_banana'"), ("", "unit is empty"), ("FLOP/", "cannot read unit")])
def test_bad_units_name_the_problem(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_unit(text)


def test_number_and_unit_formatting():
    assert format_number(12.98, 3) == "13.0"
    assert format_number(1404, 4) == "1,404"
    assert format_number(1497.6, 3) == "1,500"
    assert format_number(3.14e23, 3) == "3.14 × 10²³"
    assert unit_label("day", plural=True) == "days"
    assert unit_label("MWh", plural=True) == "MWh"
    assert unit_label("dimensionless") == ""
