"""A restricted evaluator for computed-table formulas, with pint units.

A formula is parsed with ``ast`` and checked against a whitelist BEFORE anything is evaluated:
numbers, names of inputs and earlier outputs, ``+ - * / ** %``, unary minus and plus, parentheses,
comparisons, and calls to the functions in FUNCTIONS with positional arguments. Everything else
(attribute access, subscripts, lambdas, comprehensions, strings, keyword arguments, dunder names,
other calls, conditional expressions, boolean operators, containers) is rejected with a message
saying what was found and where in the formula.
"""

from __future__ import annotations

import ast
import math
import operator
from typing import Any, Callable, Iterable, Mapping

import pint

from .units import UREG
from .problems import shorten

Quantity = UREG.Quantity

FUNCTIONS: tuple[str, ...] = ("min", "max", "abs", "sqrt", "log", "log10", "log2", "exp", "round", "floor", "ceil")


class FormulaError(ValueError):
    """A formula that is not allowed or cannot be evaluated; the message is meant for the author."""


_BINARY: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
    ast.Mod: operator.mod,
}
_BINARY_WORDS = {ast.Add: "add", ast.Sub: "subtract", ast.Mod: "take the remainder of"}
_COMPARE: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
_NODE_NAMES = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "strings",
    ast.IfExp: "conditional expressions",
    ast.BoolOp: "and/or",
    ast.NamedExpr: "assignment expressions",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.Starred: "starred arguments",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Slice: "slices",
}


MAX_LENGTH = 2000
MAX_DEPTH = 100


def _depth(tree: ast.AST) -> int:
    """How deeply the tree nests, counted without recursion."""
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def parse_formula(text: str, names: Iterable[str], later: Iterable[str] = ()) -> ast.Expression:
    """Parse and check a formula; raise FormulaError listing every disallowed construct."""
    if not isinstance(text, str) or not text.strip():
        raise FormulaError("formula is empty")
    if len(text) > MAX_LENGTH:  # ast.parse and the checks recurse: a huge formula would overflow the stack
        raise FormulaError(f"formula is {len(text):,} characters long; at most {MAX_LENGTH:,} are allowed")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"not a valid formula: {exc.msg} (column {exc.offset})") from None
    except (RecursionError, MemoryError):
        raise FormulaError("formula is nested too deeply") from None
    if _depth(tree) > MAX_DEPTH:
        raise FormulaError(f"formula is nested more than {MAX_DEPTH} levels deep")
    errors = check_tree(tree, set(names), set(later))
    if errors:
        raise FormulaError("; ".join(errors))
    return tree


def check_tree(tree: ast.Expression, names: set[str], later: set[str] = frozenset()) -> list[str]:
    errors: list[str] = []

    def visit(node: ast.AST) -> None:
        where = f" at column {node.col_offset + 1}" if hasattr(node, "col_offset") else ""
        if isinstance(node, ast.Expression):
            visit(node.body)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
                kind = "strings" if isinstance(node.value, (str, bytes)) else f"the constant {shorten(node.value)}"
                errors.append(f"{kind} are not allowed{where}" if kind == "strings" else f"{kind} is not allowed{where}")
        elif isinstance(node, ast.Name):
            if node.id.startswith("__"):
                errors.append(f"dunder name {shorten(node.id)} is not allowed{where}")
            elif node.id in FUNCTIONS:
                errors.append(f"function {shorten(node.id)} must be called{where}")
            elif node.id not in names:
                if node.id in later:
                    errors.append(f"{shorten(node.id)} is defined by a later output{where}: outputs may use only inputs and earlier outputs")
                else:
                    known = ", ".join(sorted(names)) or "none"
                    errors.append(f"unknown name {shorten(node.id)}{where} (known: {known})")
        elif isinstance(node, ast.BinOp):
            if type(node.op) not in _BINARY:
                errors.append(f"operator {type(node.op).__name__} is not allowed{where} (allowed: + - * / ** %)")
            visit(node.left)
            visit(node.right)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, (ast.USub, ast.UAdd)):
                errors.append(f"operator {type(node.op).__name__} is not allowed{where}")
            visit(node.operand)
        elif isinstance(node, ast.Compare):
            for op in node.ops:
                if type(op) not in _COMPARE:
                    errors.append(f"comparison {type(op).__name__} is not allowed{where}")
            visit(node.left)
            for comparator in node.comparators:
                visit(comparator)
        elif isinstance(node, ast.Call):
            func = node.func
            if not isinstance(func, ast.Name):
                errors.append(f"only calls to {', '.join(FUNCTIONS)} are allowed{where}")
                visit(func)
            elif func.id.startswith("__"):
                errors.append(f"dunder name {shorten(func.id)} is not allowed{where}")
            elif func.id not in FUNCTIONS:
                errors.append(f"call to {shorten(func.id)} is not allowed{where} (allowed: {', '.join(FUNCTIONS)})")
            if node.keywords:
                errors.append(f"keyword arguments are not allowed{where}")
            if not node.args and isinstance(func, ast.Name):
                errors.append(f"a function call needs at least one argument{where}")
            for arg in node.args:
                visit(arg)
            for keyword in node.keywords:
                visit(keyword.value)
        else:
            label = _NODE_NAMES.get(type(node), type(node).__name__)
            verb = "are" if label.endswith("s") and label != "attribute access" else "is"
            errors.append(f"{label} {verb} not allowed{where}")
            for child in ast.iter_child_nodes(node):  # report what is inside too (e.g. a dunder name)
                if isinstance(child, ast.expr):
                    visit(child)

    visit(tree)
    return list(dict.fromkeys(errors))


# ----------------------------------------------------------------------------- evaluation


def _dimensionless(value: Any, function: str) -> float:
    quantity = _as_quantity(value)
    if not quantity.dimensionless:
        raise FormulaError(f"{function}() needs a dimensionless argument, got {_unit_text(quantity)}")
    return float(quantity.to("dimensionless").magnitude)


def _keep_unit(function: Callable[[float], float]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        quantity = _as_quantity(value)
        return Quantity(function(quantity.magnitude), quantity.units)

    return apply


def _function(name: str, args: list[Any]) -> Any:
    if name in ("min", "max"):
        if len(args) < 2:
            raise FormulaError(f"{name}() needs at least two arguments")
        _same_dimension(args, name)
        return (min if name == "min" else max)(args)
    if len(args) != 1:
        raise FormulaError(f"{name}() takes one argument, got {len(args)}")
    (arg,) = args
    if name == "abs":
        return abs(arg)
    if name == "sqrt":
        return _as_quantity(arg) ** 0.5
    if name == "round":
        return _keep_unit(lambda m: float(round(m)))(arg)
    if name == "floor":
        return _keep_unit(lambda m: float(math.floor(m)))(arg)
    if name == "ceil":
        return _keep_unit(lambda m: float(math.ceil(m)))(arg)
    plain = _dimensionless(arg, name)
    try:
        result = {"log": math.log, "log10": math.log10, "log2": math.log2, "exp": math.exp}[name](plain)
    except (ValueError, OverflowError) as exc:
        raise FormulaError(f"{name}({plain:g}) is undefined: {exc}") from None
    return Quantity(result, "dimensionless")


def _as_quantity(value: Any) -> Any:
    return value if isinstance(value, Quantity) else Quantity(float(value), "dimensionless")


def _unit_text(quantity: Any) -> str:
    text = f"{quantity.units:~P}"
    return text or "a plain number"


def _same_dimension(values: list[Any], verb: str) -> None:
    quantities = [_as_quantity(v) for v in values]
    first = quantities[0]
    for other in quantities[1:]:
        if other.dimensionality != first.dimensionality:
            raise FormulaError(
                f"cannot {verb} {_unit_text(first)} and {_unit_text(other)}: their units measure different things "
                f"({first.dimensionality} vs {other.dimensionality})"
            )


def evaluate(tree: ast.Expression, values: Mapping[str, Any]) -> Any:
    """Evaluate a checked formula over pint Quantities; raise FormulaError on unit or arithmetic errors."""

    def ev(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return Quantity(float(node.value), "dimensionless")
        if isinstance(node, ast.Name):
            return _as_quantity(values[node.id])
        if isinstance(node, ast.UnaryOp):
            operand = ev(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            left, right = ev(node.left), ev(node.right)
            op_type = type(node.op)
            if op_type in _BINARY_WORDS:
                _same_dimension([left, right], _BINARY_WORDS[op_type])
            if op_type is ast.Pow:
                right = Quantity(_dimensionless(right, "the exponent of **"), "dimensionless").magnitude
            return _BINARY[op_type](left, right)
        if isinstance(node, ast.Compare):
            left = ev(node.left)
            result = True
            for op, comparator in zip(node.ops, node.comparators):
                right = ev(comparator)
                _same_dimension([left, right], "compare")
                result = result and _COMPARE[type(op)](left, right)
                left = right
            return Quantity(1.0 if result else 0.0, "dimensionless")
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)  # guaranteed by check_tree
            return _function(node.func.id, [ev(a) for a in node.args])
        raise FormulaError(f"{type(node).__name__} is not allowed")  # pragma: no cover - check_tree rejects it

    try:
        return _as_quantity(ev(tree))
    except ZeroDivisionError:
        raise FormulaError("division by zero") from None
    except OverflowError:
        raise FormulaError("the result is too large to represent") from None
    except pint.DimensionalityError as exc:
        raise FormulaError(f"units do not match: {exc}") from None


# ----------------------------------------------------------------------------- the same tree in the browser

_OP_SYMBOLS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.Mod: "%"}
_COMPARE_SYMBOLS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
BROWSER_FUNCTIONS = ("min", "max", "abs", "sqrt", "log", "log10", "log2", "exp")


def to_json_tree(tree: ast.Expression) -> Any:
    """A checked formula as a JSON tree that the page script evaluates with a small interpreter (nothing
    is ever passed to eval or Function): {"n": 2.5} a number, {"v": "name"} a value, {"op": "+", "a":
    [left, right]}, {"op": "neg", "a": [x]}, {"op": "cmp", "ops": ["<", ...], "a": [x, y, ...]},
    {"f": "sqrt", "a": [...]}. The browser evaluates in SI base units (every value is converted to
    them first), which gives the build's results for every unit-checked formula except round, floor
    and ceil, whose result depends on the unit a quantity happens to be in: those raise FormulaError."""

    def walk(node: ast.AST) -> Any:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return {"n": float(node.value)}
        if isinstance(node, ast.Name):
            return {"v": node.id}
        if isinstance(node, ast.UnaryOp):
            inner = walk(node.operand)
            return {"op": "neg", "a": [inner]} if isinstance(node.op, ast.USub) else inner
        if isinstance(node, ast.BinOp):
            return {"op": _OP_SYMBOLS[type(node.op)], "a": [walk(node.left), walk(node.right)]}
        if isinstance(node, ast.Compare):
            return {"op": "cmp", "ops": [_COMPARE_SYMBOLS[type(op)] for op in node.ops], "a": [walk(node.left), *(walk(c) for c in node.comparators)]}
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id not in BROWSER_FUNCTIONS:
                raise FormulaError(f"{node.func.id}() depends on the unit a value is held in, so it is not recomputed in the browser")
            return {"f": node.func.id, "a": [walk(a) for a in node.args]}
        raise FormulaError(f"{type(node).__name__} is not allowed")  # pragma: no cover - check_tree rejects it

    return walk(tree)


def evaluate_json_tree(node: Any, values: Mapping[str, float]) -> float:
    """The page script's interpreter, in Python: evaluates a JSON tree over plain numbers (SI base units).
    Tests compare it, and the browser, with ``evaluate``."""
    if "n" in node:
        return node["n"]
    if "v" in node:
        return values[node["v"]]
    args = [evaluate_json_tree(a, values) for a in node["a"]]
    if "f" in node:
        name = node["f"]
        if name in ("min", "max"):
            return (min if name == "min" else max)(args)
        return {"abs": abs, "sqrt": math.sqrt, "log": math.log, "log10": math.log10, "log2": math.log2, "exp": math.exp}[name](args[0])
    op = node["op"]
    if op == "neg":
        return -args[0]
    if op == "cmp":
        return float(all(_COMPARE[{v: k for k, v in _COMPARE_SYMBOLS.items()}[o]](args[i], args[i + 1]) for i, o in enumerate(node["ops"])))
    left, right = args
    return {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "**": operator.pow, "%": operator.mod}[op](left, right)
