"""Write docs/notebooks/training-compute-trends.ipynb: an analysis of Epoch AI's notable-models data,
executed here so the notebook stores its outputs (the site renders it with `execute: false`).

Run `python -m tools.build_notebook` (from the repository root) after `make derive` changes charts/data/notable-models.yaml.
Cells run in one namespace, as in a kernel; outputs are text, HTML tables and SVG (no JavaScript), so
the notebook page stays offline.
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "notebooks" / "training-compute-trends.ipynb"

CELLS: list[tuple[str, str]] = [
    ("markdown", """# Training compute of notable models: fitting the trends

This notebook reads the project's `notable-models` dataset (derived from Epoch AI's database of notable AI
models, CC BY 4.0, snapshot of 2025-08-07) with the `landscape` package, and fits the growth of training
compute with the same log-linear least-squares fit the site's charts use. It asks three questions:

1. How fast did training compute grow before and after 2010, and among frontier models?
2. How sensitive is the deep-learning-era doubling time to the window chosen?
3. Which domains account for the largest training runs?

Eras follow Sevilla et al. (2022), *Compute Trends Across Three Eras of Machine Learning*
([arXiv:2202.05924](https://arxiv.org/abs/2202.05924)): before 2010, and from 2010 on."""),
    ("code", """from pathlib import Path
import pandas as pd
from landscape.datasets import load_datasets, central
from landscape.trends import decimal_year, fit_log_linear

datasets, problems = load_datasets([Path("charts/data/notable-models.yaml")])
assert not problems, problems
models = datasets["notable-models"]
frame = pd.DataFrame(
    {
        "model": r.get("model"),
        "domain": r.get("domain"),
        "released": r.get("released"),
        "compute": central(r.get("compute")),
        "frontier": bool(r.get("frontier")),
    }
    for r in models.rows
)
frame = frame.dropna(subset=["compute", "released"])
frame["year"] = frame["released"].map(decimal_year)
print(f"{len(frame)} models with training compute, {frame['released'].min()} to {frame['released'].max()}")"""),
    ("markdown", """## Growth per era

Each fit regresses log10(training compute in FLOP) on the publication date in decimal years. The
doubling time is 12·log10(2)/slope months; the interval is the 95% interval of the slope (Student's t)."""),
    ("code", """def fit_row(label, subset):
    fit = fit_log_linear(list(subset["year"]), list(subset["compute"]))
    return {
        "selection": label,
        "models": fit.n,
        "from": int(fit.start),
        "to": int(fit.end),
        "growth (x/yr)": round(fit.growth_per_year, 2),
        "doubling (months)": round(fit.doubling_months, 1),
        "95% interval (months)": f"{fit.doubling_low:.1f}–{fit.doubling_high:.1f}",
        "R²": round(fit.r2, 2),
    }

eras = pd.DataFrame([
    fit_row("Pre-deep-learning (before 2010)", frame[frame["year"] < 2010]),
    fit_row("Deep learning (2010 on)", frame[frame["year"] >= 2010]),
    fit_row("Frontier models (2010 on)", frame[(frame["year"] >= 2010) & frame["frontier"]]),
])
eras"""),
    ("markdown", """Sevilla et al. (2022) report a doubling time of about 20 months before 2010 and about 6 months in the
deep-learning era, on the data of early 2022. The fits above use Epoch's 2025 snapshot, which holds more
models and more recent ones; a different count and window give a somewhat different figure."""),
    ("markdown", """## Sensitivity to the window

The doubling time of the deep-learning era depends on where the window starts and ends. Moving the start
year shows how much."""),
    ("code", """rows = []
for start in range(2010, 2021, 2):
    subset = frame[frame["year"] >= start]
    rows.append(fit_row(f"{start} to 2025", subset))
pd.DataFrame(rows).set_index("selection")"""),
    ("markdown", """## Where the largest runs are

The share of each domain among the 100 largest training runs in the dataset."""),
    ("code", """largest = frame.nlargest(100, "compute")
largest["domain"].value_counts().rename("models among the 100 largest").to_frame()"""),
    ("code", """import altair as alt
import vl_convert as vlc

recent = frame[frame["year"] >= 2010].assign(released=lambda d: pd.to_datetime(d["released"]))
chart = (
    alt.Chart(recent, title="Training compute of notable models since 2010 (data: Epoch AI, CC BY 4.0)")
    .mark_circle(size=18, opacity=0.6)
    .encode(
        x=alt.X("released:T", title="Publication date", axis=alt.Axis(format="%Y")),
        y=alt.Y("compute:Q", title="Training compute (FLOP)", scale=alt.Scale(type="log"),
                axis=alt.Axis(labelExpr="'10^' + format(log(datum.value) / log(10), 'd')")),
        color=alt.Color("frontier:N", title="Frontier model"),
    )
    .properties(width=560, height=320)
)
display_svg(vlc.vegalite_to_svg(chart.to_json()))"""),
    ("markdown", """## What this shows and where it stops

- Training compute of notable models has grown by orders of magnitude since 2010; the fitted doubling time
  is a summary of a noisy cloud of points, not a law.
- The selection matters: Epoch's database is of *notable* models, chosen by citations, state-of-the-art
  results or historical importance, so it over-represents large runs.
- The charts on this site compute the same fits at build time: see
  [training compute of notable models](../charts/training-compute.md)."""),
]


def run_cells() -> nbformat.NotebookNode:
    os.chdir(ROOT)
    namespace: dict = {}
    outputs_of_display: list = []

    def display_svg(svg: str) -> None:
        outputs_of_display.append(nbformat.v4.new_output("display_data", data={"image/svg+xml": svg, "text/plain": "<chart>"}))

    namespace["display_svg"] = display_svg
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python"}}
    count = 0
    for kind, source in CELLS:
        if kind == "markdown":
            notebook.cells.append(nbformat.v4.new_markdown_cell(source))
            continue
        count += 1
        outputs_of_display.clear()
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            exec(compile(tree, f"<cell {count}>", "exec"), namespace)  # noqa: S102 - the project's own cells
            value = eval(compile(ast.Expression(last.value), f"<cell {count}>", "eval"), namespace) if last else None
        outputs = []
        if stdout.getvalue():
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=stdout.getvalue()))
        outputs.extend(outputs_of_display)
        if value is not None:
            data = {"text/plain": repr(value)}
            if hasattr(value, "to_html"):
                data["text/html"] = value.to_html()
            outputs.append(nbformat.v4.new_output("execute_result", data=data, execution_count=count))
        cell = nbformat.v4.new_code_cell(source, execution_count=count, outputs=outputs)
        notebook.cells.append(cell)
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index}"
    return notebook


def main() -> None:
    notebook = run_cells()
    nbformat.validate(notebook)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({len(notebook.cells)} cells)")


if __name__ == "__main__":
    main()
