"""SARIF 2.1.0 for code-scanning tools: one rule per check, each result at the
inventory file and line that caused it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from graphgov.outputs.cells import json_text
from graphgov.outputs.check_run import VERSION, CheckRun
from graphgov.schema import natural_key

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
# SARIF relationship kinds for a rule and a framework requirement: its own references
# are "relevant"; a crosswalk's OLIR relationship becomes the nearest SARIF kind
KINDS = {
    None: "relevant",
    "equal": "equal",
    "subset-of": "subset",
    "superset-of": "superset",
    "intersects-with": "incomparable",
}
SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def findings_sarif(run: CheckRun) -> str:
    checks = [r.query for r in run.results if r.query.definition.kind == "check"]
    index = {q.ref: i for i, q in enumerate(checks)}
    rules = []
    used: dict[str, set[str]] = {}
    for q in checks:
        d = q.definition
        references = run.references(q)
        direct = [r for r in references if r.relationship is None]
        tags = [q.pack, *(run.frameworks.shown(r.ref) for r in direct)]
        relationships = []
        for r in references:
            used.setdefault(r.framework, set()).add(r.id)
            relationships.append(
                {
                    "target": {"id": r.id, "toolComponent": {"name": r.framework}},
                    "kinds": [KINDS[r.relationship]],
                    **({"description": {"text": f"through {r.via}"}} if r.via else {}),
                }
            )
        rules.append(
            {
                "id": q.ref,
                "name": d.title,
                "shortDescription": {"text": d.title},
                "fullDescription": {"text": d.question},
                "help": {"text": d.remediation or d.question},
                "defaultConfiguration": {"level": LEVELS[d.severity or "low"]},
                "properties": {"tags": tags, "severity": d.severity},
                "relationships": relationships,
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
                "taxonomies": _taxonomies(run, used),
                "results": results,
                "properties": {"asOf": run.as_of.isoformat()},
            }
        ],
    }
    return json_text(log)


def _taxonomies(run: CheckRun, used: dict[str, set[str]]) -> list[dict[str, Any]]:
    """One taxonomy per framework the rules refer to, listing the requirements used, so
    code-scanning tools show them by name."""
    out = []
    for framework_id in sorted(used):
        framework = run.frameworks.frameworks[framework_id]
        taxa = [
            {"id": local, "name": framework.requirements[local].name}
            for local in sorted(used[framework_id], key=natural_key)
        ]
        out.append(
            {
                "name": framework.id,
                "fullName": framework.title,
                **({"version": framework.version} if framework.version else {}),
                **({"organization": framework.publisher} if framework.publisher else {}),
                **({"informationUri": framework.url} if framework.url else {}),
                "taxa": taxa,
            }
        )
    return out
