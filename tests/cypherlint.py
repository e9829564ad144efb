"""Neo4j's own Cypher parser and semantic analysis (npm @neo4j-cypher/language-support),
run with node on a list of Cypher texts. The test command installs it; if node or the
package is missing, the tests that use it fail rather than skip."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from graphgov.schema import Schema

TOOL = Path(__file__).resolve().parents[1] / "tools" / "cypherlint"


def db_schema(schema: Schema, extra_keys: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """What Neo4j would know of a database holding graphgov's graph: the ontology's
    labels, relationship types and property keys (plus ``extra_keys``)."""
    keys = sorted({p for spec in schema.labels.values() for p in spec.properties} | set(extra_keys))
    return {
        "labels": sorted(schema.labels),
        "relationshipTypes": sorted(schema.relations),
        "propertyKeys": keys,
    }


def lint(
    schema: Schema, texts: dict[str, tuple[str, dict[str, Any]]], extra_keys: tuple[str, ...] = ()
) -> dict[str, list[dict[str, Any]]]:
    """Diagnostics per text id; ``texts`` maps an id to (Cypher, parameters). The parser
    cannot tell a map key from a property key: ``extra_keys`` names map keys to accept."""
    node = shutil.which("node")
    assert node, "node is not installed: the Cypher checks need it (run scripts/test)"
    assert (TOOL / "node_modules" / "@neo4j-cypher").exists(), (
        "the Neo4j Cypher parser is not installed: run scripts/test (npm ci in tools/cypherlint)"
    )
    payload = {
        "schema": db_schema(schema, extra_keys),
        "queries": [{"id": k, "text": t, "parameters": p} for k, (t, p) in texts.items()],
    }
    done = subprocess.run(
        [node, str(TOOL / "lint.mjs")],
        input=json.dumps(payload, default=str),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return {r["id"]: r["diagnostics"] for r in json.loads(done.stdout)}
