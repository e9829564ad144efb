"""JSON and CSV for tools."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from graphgov.findings import ABSENT, Finding, fingerprint
from graphgov.outputs.cells import json_text, json_value, spreadsheet_cell
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


def _finding(run: CheckRun, f: Finding, path: str | None = None) -> dict[str, Any]:
    """A finding's fields; ``path`` is its file when it is not the run's (an absent
    finding's, in the baseline)."""
    return {
        "severity": f.severity,
        "query": f.query,
        "label": f.label,
        "id": f.id,
        "name": f.name,
        "message": f.message,
        "file": path or run.path(f.source) or f.source.file,
        "line": f.source.line,
        "clauses": list(f.clauses),
        "controls": list(f.controls),
        "remediation": f.remediation,
        "references": [
            {"ref": r.ref, "relationship": r.relationship, "via": r.via} for r in f.references
        ],
        "fingerprint": fingerprint(f),
    }


def _absent(run: CheckRun, f: Finding) -> dict[str, Any]:
    return {**_finding(run, f, run.absent_path(f)), "baseline_state": ABSENT}


def _baseline(run: CheckRun) -> dict[str, Any]:
    """What the json says of the baseline: which version, and how many findings of each
    state (the absent ones are listed beside the findings)."""
    if run.baseline is None:
        return {}
    return {
        "baseline": {
            "version": run.baseline.shown,
            "revision": run.baseline.revision,
            **run.state_counts(),
            "summary": run.baseline_summary(),
        }
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
        "findings": [
            {**_finding(run, f), **({"baseline_state": state} if state else {})}
            for f, state in run.marked()
        ],
    }
    if run.baseline is not None:
        data |= _baseline(run)
        data["absent"] = [_absent(run, f) for f in run.baseline.absent]
    return json_text(data)


def findings_csv(run: CheckRun) -> str:
    """One row per finding; with a baseline, a ``baseline_state`` column (new,
    unchanged) and a row for each absent finding, at its place in the baseline."""
    first: tuple[str, ...] = () if run.baseline is None else ("baseline_state",)
    columns = (*first, *FINDING_COLUMNS, "fingerprint")
    records = [(_finding(run, f), f, state) for f, state in run.marked()]
    if run.baseline is not None:
        records += [(_absent(run, f), f, ABSENT) for f in run.baseline.absent]
    rows = []
    for record, f, state in records:
        record["baseline_state"] = state
        record["clauses"] = "; ".join(f.clauses)
        record["controls"] = "; ".join(f.controls)
        record["references"] = "; ".join(r.ref for r in f.references)
        rows.append([record[c] for c in columns])
    return csv_table(columns, rows)


def rows_json(result: Rows) -> str:
    records = [{k: json_value(v) for k, v in r.items()} for r in result.records()]
    return json_text({"query": result.query, "rows": records})


def rows_csv(result: Rows) -> str:
    return csv_table(result.columns, result.rows)


def csv_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([[spreadsheet_cell(v) for v in row] for row in rows])
    return out.getvalue()
