"""Importers that turn other formats (tldr-pages, Anki packages, CSV files) into domain packs."""
