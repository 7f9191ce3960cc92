"""The performance benchmark: synthetic knowledge bases, built and measured.

Run with `make bench` (BENCH_SIZES=100,1000 for a shorter run) or `python -m tools.bench --help`.

For each size (notes, charts) it writes a synthetic knowledge base in the project's formats into a
temporary folder (with this project's mkdocs.yml and docs/), then measures:

- the build, cold (no chart cache) and warm (chart cache kept): wall and CPU seconds, peak memory,
  output and search-index size, charts rendered and taken from the cache;
- a plain Material build of the same generated Markdown with the same settings and navigation
  (generator overhead = landscape warm build / plain build);
- Zensical, as a peer, building the same Markdown with stock Material settings (its own venv);
- page weight (bytes, gzip bytes, JavaScript included) of the home page, a note without a chart and a
  chart page;
- under `mkdocs serve`: seconds from saving a note, and a dataset, to the rebuilt page being served;
- the project's own site (entity pages included): cold and warm build, and under `mkdocs serve` the
  seconds from saving a note, and an entity's dataset row, to the rebuilt page;
- the search index (Pagefind, run by the plugin after each build): seconds, pages, index and bundle size;
- in Chromium, on a fresh page: milliseconds from opening search (its script loads then) and entering a
  query to the first result shown, then for a second query, and the bytes of index a query fetched.

Each build's figures (stage seconds, charts rendered and cached, search index) are read from the
JSON record the plugin writes when LANDSCAPE_TIMINGS names a file.

Modules: fixtures (synthetic knowledge bases), runs (measured builds, plain Material, Zensical),
pages (page weight, save-to-page under `mkdocs serve`), search (search timing in Chromium), report
(targets, printed table), cli (one size, the real site, the entry point).

It prints the figures with the targets of issues 7 and 11 and writes them as JSON into bench-results/.
Figures are measurements of one run on one machine: compare runs on the same machine.
"""
