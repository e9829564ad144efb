"""Escaping for cells of tables other programs open: spreadsheets must never evaluate
inventory text as a formula, and Markdown tables must keep their shape."""

from __future__ import annotations

from typing import Any

from graphgov.findings import show

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> str:
    """Text a spreadsheet shows as text: a leading formula character is quoted away."""
    text = "" if value is None else show(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def markdown_cell(value: Any) -> str:
    """Text that stays inside one Markdown table cell."""
    text = "" if value is None else show(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split()) if text.strip() else ""
