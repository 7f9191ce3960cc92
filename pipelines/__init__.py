"""Data pipelines run by hand, apart from the site build: epoch (derive datasets from Epoch AI's CSVs)."""
