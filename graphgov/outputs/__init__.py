"""Output formats: findings of a check run and rows of a query, each format a function
registered here by name."""

from __future__ import annotations

from collections.abc import Callable

from graphgov.outputs.check_run import CheckRun
from graphgov.outputs.data import findings_csv, findings_json, rows_csv, rows_json
from graphgov.outputs.junit import findings_junit
from graphgov.outputs.markdown import findings_markdown, rows_markdown
from graphgov.outputs.sarif import findings_sarif
from graphgov.outputs.text import findings_table, rows_table
from graphgov.store.base import Rows

FINDINGS: dict[str, Callable[[CheckRun], str]] = {
    "table": findings_table,
    "json": findings_json,
    "csv": findings_csv,
    "markdown": findings_markdown,
    "sarif": findings_sarif,
    "junit": findings_junit,
}
ROWS: dict[str, Callable[[Rows], str]] = {
    "table": rows_table,
    "json": rows_json,
    "csv": rows_csv,
    "markdown": rows_markdown,
}

__all__ = ["FINDINGS", "ROWS", "CheckRun"]
