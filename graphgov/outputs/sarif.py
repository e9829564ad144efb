"""SARIF 2.1.0 for code-scanning tools: one rule per check, each result at the
inventory file and line that caused it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from graphgov.findings import ABSENT, Finding, fingerprint
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
# the key of graphgov's fingerprint among a result's partialFingerprints (SARIF names
# them "<kind>/v<version>"); the value is findings.fingerprint's, which is versioned too
FINGERPRINT_KEY = "graphgovFinding/v1"
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
    results = [_result(f, run.path(f.source), index, state) for f, state in run.marked()]
    properties: dict[str, Any] = {"asOf": run.as_of.isoformat()}
    if run.baseline is not None:
        results += [_result(f, run.absent_path(f), index, ABSENT) for f in run.baseline.absent]
        properties["baseline"] = {
            "version": run.baseline.shown,
            **({"revision": run.baseline.revision} if run.baseline.revision else {}),
            **run.state_counts(),
        }
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "graphgov", "version": VERSION, "rules": rules}},
                "taxonomies": _taxonomies(run, used),
                "results": results,
                "properties": properties,
            }
        ],
    }
    return json_text(log)


def _result(f: Finding, path: str | None, index: dict[str, int], state: str | None) -> Any:
    """A SARIF result at the finding's record (``path``: its file as the user knows it,
    None for the catalogue), fingerprinted so code-scanning tools follow it across
    commits, with its ``baselineState`` when compared with a baseline."""
    location: dict[str, Any] = {
        "logicalLocations": [
            {"name": f.id, "fullyQualifiedName": f"{f.label}/{f.id}", "kind": "object"}
        ],
    }
    if path is not None:
        region = {"startLine": f.source.line} if f.source.line else {}
        location["physicalLocation"] = {
            "artifactLocation": {"uri": quote(path)},
            **({"region": region} if region else {}),
        }
    # a finding the baseline had and this run does not is resolved: a "pass" at level
    # "none", so a tool that ignores baselineState does not show it as an open alert
    resolved = state == ABSENT
    return {
        "ruleId": f.query,
        **({"ruleIndex": index[f.query]} if f.query in index else {}),
        **({"kind": "pass"} if resolved else {}),
        "level": "none" if resolved else LEVELS[f.severity],
        "message": {"text": f.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
        **({"baselineState": state} if state else {}),
    }


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
