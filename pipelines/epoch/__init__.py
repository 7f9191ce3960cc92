"""The Epoch pipeline: derive charts/data/{notable-models,ml-hardware,training-costs,hardware-prices}.yaml
from Epoch AI's CSVs (``../shared/data/epoch/``). Run by hand: `make derive`, or from the repository root
`python -m pipelines.epoch [--epoch-dir DIR] [--out DIR]`.

cells.py reads the CSVs and parses their cells; model.py holds Epoch's sources and builds each dataset with
landscape's dataset models; models.py and hardware.py derive the four datasets; render.py writes YAML;
derive.py runs them all, checks every output with the site's dataset loader and writes atomically.
pandas is used here only (the optional dependency `epoch`), never by the site's build.
"""
