"""Performance benchmark: `make bench`, or `python scripts/bench.py --sizes 100,1000` (see --help).

Builds synthetic knowledge bases of 100, 1,000 and 5,000 notes cold and warm, compares with a plain
Material build of the same pages and with Zensical, and prints the figures (also written as JSON into
bench-results/). The logic lives in landscape/bench.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from landscape.bench import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
