"""SARIF 2.1.0 for code-scanning tools: one rule per check, each result at the
inventory file and line that caused it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from graphgov.outputs.cells import json_text
from graphgov.outputs.run import VERSION, CheckRun

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def findings_sarif(run: CheckRun) -> str:
    checks = [r.query for r in run.results if r.query.definition.kind == "check"]
    index = {q.ref: i for i, q in enumerate(checks)}
    rules = []
    for q in checks:
        d = q.definition
        tags = [q.pack, *(f"ISO/IEC 42001 {c}" for c in d.clauses), *d.controls]
        rules.append(
            {
                "id": q.ref,
                "name": d.title,
                "shortDescription": {"text": d.title},
                "fullDescription": {"text": d.question},
                "help": {"text": d.remediation or d.question},
                "defaultConfiguration": {"level": LEVELS[d.severity or "low"]},
                "properties": {"tags": tags, "severity": d.severity},
            }
        )
    results = []
    for f in run.findings:
        location: dict[str, Any] = {
            "logicalLocations": [
                {"name": f.id, "fullyQualifiedName": f"{f.label}/{f.id}", "kind": "object"}
            ],
        }
        path = run.path(f.source)
        if path is not None:
            region = {"startLine": f.source.line} if f.source.line else {}
            location["physicalLocation"] = {
                "artifactLocation": {"uri": quote(path)},
                **({"region": region} if region else {}),
            }
        results.append(
            {
                "ruleId": f.query,
                "ruleIndex": index[f.query],
                "level": LEVELS[f.severity],
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {"graphgovSubject/v1": f"{f.query}:{f.label}:{f.id}"},
            }
        )
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "graphgov", "version": VERSION, "rules": rules}},
                "results": results,
                "properties": {"asOf": run.as_of.isoformat()},
            }
        ],
    }
    return json_text(log)
