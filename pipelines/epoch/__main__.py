"""python -m pipelines.epoch [--epoch-dir ../shared/data/epoch] [--out charts/data]

Exit status: 0 written, 1 problems in the CSVs (listed, nothing written), 2 bad arguments or no CSV directory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cells import DeriveError
from .derive import derive_all, write_atomically


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.epoch", description="Derive charts/data/*.yaml from Epoch AI's CSVs.")
    parser.add_argument("--epoch-dir", type=Path, default=Path("../shared/data/epoch"),
                        help="directory holding Epoch's CSVs (default: ../shared/data/epoch)")
    parser.add_argument("--out", type=Path, default=Path("charts/data"),
                        help="directory the YAML datasets are written to (default: charts/data)")
    args = parser.parse_args(argv)
    if not args.epoch_dir.is_dir():
        print(f"pipelines.epoch: no Epoch CSV directory at {args.epoch_dir} (pass --epoch-dir)", file=sys.stderr)
        return 2
    try:
        outputs = derive_all(args.epoch_dir)
    except DeriveError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for path in write_atomically(outputs, args.out):
        rows = sum(1 for line in outputs[path.name].splitlines() if line.startswith("  - {") and "source:" in line)
        print(f"wrote {path} ({rows} rows, {path.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
