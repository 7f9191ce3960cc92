"""Developer tools that are not the product: the benchmark, the knowledge-base diff, the notebook builder.

Run from the repository root as modules (``python -m tools.bench``, ``python -m tools.kb_diff``,
``python -m tools.build_notebook``); they use the installed ``landscape`` package as a library and do
not ship in its wheel.
"""
