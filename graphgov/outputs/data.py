"""JSON and CSV for tools."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from graphgov.findings import Finding
from graphgov.outputs.cells import json_text, spreadsheet_cell
from graphgov.outputs.check_run import VERSION, CheckRun
from graphgov.store.base import Rows

FINDING_COLUMNS = (
    "severity",
    "query",
    "label",
    "id",
    "name",
    "message",
    "file",
    "line",
    "clauses",
    "controls",
    "remediation",
    "references",
)


def _finding(run: CheckRun, f: Finding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "query": f.query,
        "label": f.label,
        "id": f.id,
        "name": f.name,
        "message": f.message,
        "file": run.path(f.source) or f.source.file,
        "line": f.source.line,
        "clauses": list(f.clauses),
        "controls": list(f.controls),
        "remediation": f.remediation,
        "references": [
            {"ref": r.ref, "relationship": r.relationship, "via": r.via} for r in f.references
        ],
    }


def findings_json(run: CheckRun) -> str:
    data = {
        "tool": "graphgov",
        "version": VERSION,
        "inventory": run.inventory,
        "as_of": run.as_of.isoformat(),
        "checks": [
            {
                "query": r.query.ref,
                "title": r.query.definition.title,
                "severity": r.query.definition.severity,
                "findings": run.count(r),
            }
            for r in run.results
            if r.query.definition.kind == "check"
        ],
        "findings": [_finding(run, f) for f in run.findings],
    }
    return json_text(data)


def findings_csv(run: CheckRun) -> str:
    rows = []
    for f in run.findings:
        record = _finding(run, f)
        record["clauses"] = "; ".join(f.clauses)
        record["controls"] = "; ".join(f.controls)
        record["references"] = "; ".join(r.ref for r in f.references)
        rows.append([record[c] for c in FINDING_COLUMNS])
    return csv_table(FINDING_COLUMNS, rows)


def rows_json(result: Rows) -> str:
    records = [{k: _json_value(v) for k, v in r.items()} for r in result.records()]
    return json_text({"query": result.query, "rows": records})


def rows_csv(result: Rows) -> str:
    return csv_table(result.columns, result.rows)


def csv_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([[spreadsheet_cell(v) for v in row] for row in rows])
    return out.getvalue()


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
