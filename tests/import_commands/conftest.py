"""The importer tests' file factories (real CSV/XLSX files in tmp_path), shared rather than rewritten."""

from tests.importers.conftest import write_text, write_xlsx  # noqa: F401  (pytest fixtures)
