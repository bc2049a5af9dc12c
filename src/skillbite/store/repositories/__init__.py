"""Repositories: the only code that queries tables. Tenant-owned ones are bound to one organisation."""
