"""{{datum DATASET[ROW].COLUMN}}: a note quotes one cell of a dataset, as a contributor writes it."""

from __future__ import annotations

from landscape.cli import main

from .test_cli import here, kb  # noqa: F401  (fixtures)

DATASET = """\
id: chips
title: Chips
description: Two chips.
licence: CC BY 4.0
credit: Example
sources:
  sheet: {title: Datasheet, url: "https://example.org/sheet"}
columns:
  - {name: chip, type: string}
  - {name: tdp, type: number, unit: W}
  - {name: released, type: date}
  - {name: fp16, type: number, unit: FLOP/s}
rows:
  - {chip: "Alpha X1", tdp: 700, released: 2023-03-21, fp16: 9.89e14, source: sheet}
  - {chip: "Beta", tdp: null, released: 2022-01-01, fp16: 1e14, source: sheet}
  - {chip: "Beta", tdp: 300, released: 2022-06-01, fp16: 2e14, source: sheet}
"""


def check(capsys) -> tuple[int, str]:
    status = main(["check"])
    out = capsys.readouterr()
    return status, out.out + out.err


def test_datum_quotes_a_cell_with_its_unit(here, capsys):
    here.write("charts/data/chips.yaml", DATASET)
    here.note("compute", "alpha", "Alpha", body="Alpha X1 draws {{datum chips[Alpha X1].tdp}} since {{datum chips[Alpha X1].released}}.\n")
    status, out = check(capsys)
    assert status == 0, out
    site = here.root / "site"
    result = here.build(site)
    assert result.returncode == 0, result.stderr
    page = (site / "compute" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "Alpha X1 draws 700 W since 2023-03-21." in page


def test_bad_datums_name_file_line_and_why(here, capsys):
    here.write("charts/data/chips.yaml", DATASET)
    here.note("compute", "bad", "Bad", body=(
        "Line one {{datum chips[Alpha X2].tdp}}.\n\n"
        "Line three {{datum chips[Alpha X1].power}}.\n\n"
        "Line five {{datum chips[Beta].tdp}}.\n\n"
        "Line seven {{datum nosuch[Alpha X1].tdp}}.\n"
    ))
    status, out = check(capsys)
    assert status == 1
    assert "no row of 'chips' has chip 'Alpha X2'; nearest: 'Alpha X1'" in out
    assert "has no column 'power'" in out
    assert "2 rows of 'chips' have chip 'Beta'" in out and "ambiguous" in out
    assert "unknown dataset 'nosuch'" in out
    lines = [line for line in out.splitlines() if "notes/compute/bad.md:" in line]
    assert len(lines) == 4 and all(": datum: " in line for line in lines), out
