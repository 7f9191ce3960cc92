"""The restricted evaluator: right answers with units, and every construct outside the whitelist
rejected before anything runs."""

import pytest

from landscape.formula import FormulaError, evaluate, evaluate_json_tree, parse_formula, to_json_tree
from landscape.units import Quantity

VALUES = {
    "compute": Quantity(3.14e23, "FLOP"),
    "gpus": Quantity(10_000, "GPU"),
    "peak": Quantity(28, "TFLOP/s/GPU"),
    "power": Quantity(300, "W/GPU"),
    "pue": Quantity(1.5, "dimensionless"),
}


def run(text):
    return evaluate(parse_formula(text, VALUES), VALUES)


def test_arithmetic_with_units():
    days = run("compute / (gpus * peak)").to("day")
    assert days.magnitude == pytest.approx(12.979, abs=1e-3)
    energy = run("gpus * power * compute / (gpus * peak) * pue").to("MWh")
    assert energy.magnitude == pytest.approx(1401.8, abs=0.1)
    assert run("2 ** 10 % 1000").magnitude == 24
    assert run("-pue + 1").magnitude == pytest.approx(-0.5)


def test_functions():
    assert run("max(pue, 2)").magnitude == 2
    assert run("min(power, 250 * power / power * power / 300)").to("W/GPU").magnitude == pytest.approx(250)
    assert run("sqrt(pue * pue)").magnitude == pytest.approx(1.5)
    assert run("log10(1000)").magnitude == pytest.approx(3)
    assert run("round(pue) + floor(2.7) + ceil(0.2)").magnitude == 2 + 2 + 1
    assert run("pue > 1").magnitude == 1


@pytest.mark.parametrize("text, message", [
    ("power + compute", "cannot add W/GPU and FLOP"),
    ("compute - gpus", "cannot subtract"),
    ("log(power)", "log\\(\\) needs a dimensionless argument"),
    ("pue ** power", "exponent"),
    ("max(pue, power)", "cannot max"),
    ("pue / 0", "division by zero"),
])
def test_unit_and_arithmetic_errors(text, message):
    with pytest.raises(FormulaError, match=message):
        run(text)


REJECTED = [
    ("__import__('os').system('touch {marker}')", "dunder name"),
    ("open('{marker}', 'w')", "call to 'open' is not allowed"),
    ("pue.__class__", "attribute access"),
    ("compute.to('J')", "attribute access"),
    ("[pue][0]", "not allowed"),
    ("VALUES['pue']", "subscripts"),
    ("(lambda: 1)()", "lambdas"),
    ("[x for x in (1, 2)]", "comprehensions"),
    ("'text'", "strings"),
    ("f'{{pue}}'", "strings"),
    ("max(pue, key=1)", "keyword arguments"),
    ("pue if pue else 1", "conditional expressions"),
    ("pue and 1", "and/or"),
    ("(y := 1)", "assignment expressions"),
    ("__builtins__", "dunder name"),
    ("eval('1')", "call to 'eval' is not allowed"),
    ("exec('open(\"{marker}\", \"w\")')", "call to 'exec' is not allowed"),
    ("import os", "not a valid formula"),
    ("unknown * 2", "unknown name 'unknown'"),
    ("True + 1", "constant True"),
    ("pue << 1", "operator LShift"),
    ("log", "must be called"),
]


@pytest.mark.parametrize("template, message", REJECTED)
def test_rejected_constructs_have_no_side_effect(template, message, tmp_path):
    marker = tmp_path / "created"
    text = template.format(marker=marker)
    with pytest.raises(FormulaError, match=message):
        parse_formula(text, VALUES)
    assert not marker.exists()


def test_later_outputs_are_named():
    with pytest.raises(FormulaError, match="defined by a later output"):
        parse_formula("days * 2", ["compute"], later=["days"])


def test_every_problem_is_listed():
    with pytest.raises(FormulaError) as info:
        parse_formula("a.b + c[0] + 'x'", ["a", "c"])
    message = str(info.value)
    assert "attribute access" in message and "subscripts" in message and "strings" in message


@pytest.mark.parametrize("text, unit", [
    ("compute / (gpus * peak)", "day"),
    ("gpus * power * compute / (gpus * peak) * pue", "MWh"),
    ("2 ** (12 / (pue * 4)) - 1", "dimensionless"),
    ("max(pue, 1.2) * sqrt(pue) + log10(100) - log(exp(2)) + abs(-pue) % 1", "dimensionless"),
    ("(pue > 1) * 3 + (1 < pue <= 2) * 2", "dimensionless"),
    ("min(power, power * pue) * gpus", "kW"),
])
def test_the_json_tree_gives_the_evaluators_result_in_si_base_units(text, unit):
    """The page script evaluates the same parsed tree over values in SI base units; so does
    evaluate_json_tree, its Python twin: both must give what the pint evaluation gives."""
    tree = parse_formula(text, VALUES)
    expected = evaluate(tree, VALUES).to(unit).magnitude
    base = {name: float(q.to_base_units().magnitude) for name, q in VALUES.items()}
    factor = Quantity(1.0, unit).to_base_units().magnitude
    assert evaluate_json_tree(to_json_tree(tree), base) / factor == pytest.approx(expected, rel=1e-12)


def test_round_floor_ceil_stay_out_of_the_browser():
    for text in ("round(pue)", "floor(pue * 2)", "ceil(pue)"):
        with pytest.raises(FormulaError, match="not recomputed in the browser"):
            to_json_tree(parse_formula(text, VALUES))
