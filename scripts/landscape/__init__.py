"""The Generative AI Landscape generator: notes and YAML data in, MkDocs pages and assets out."""

__version__ = "0.1.0"
