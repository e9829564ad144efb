"""Traces as text and JSON: every step with its relationship type and source line."""

from __future__ import annotations

import json
from typing import Any

from graphgov.audit import Step, Trace
from graphgov.findings import show


def trace_text(t: Trace) -> str:
    n = t.node
    lines = [f"{n.label} {n.id}: {n.name}  ({n.source})"]
    for title, steps in (
        ("Depends on (upstream)", t.upstream),
        ("Depended on by (downstream)", t.downstream),
        ("Context", t.context),
    ):
        lines += ["", f"{title}: {len(steps)}"]
        for s in steps:
            arrow = f"-[{s.rel_type}]->" if s.direction == "out" else f"<-[{s.rel_type}]-"
            lines.append(
                f"  {s.via} {arrow} {s.node.label} {s.node.id}: {s.node.name}  ({s.node.source})"
            )
    return "\n".join(lines) + "\n"


def _step(s: Step) -> dict[str, Any]:
    return {
        "depth": s.depth,
        "relationship": s.rel_type,
        "direction": s.direction,
        "via": s.via,
        "label": s.node.label,
        "id": s.node.id,
        "name": s.node.name,
        "source": {"file": s.node.source.file, "line": s.node.source.line},
    }


def trace_json(t: Trace) -> str:
    n = t.node
    data = {
        "node": {
            "label": n.label,
            "id": n.id,
            "name": n.name,
            "properties": {k: show(v) for k, v in n.properties.items()},
            "source": {"file": n.source.file, "line": n.source.line},
        },
        "upstream": [_step(s) for s in t.upstream],
        "downstream": [_step(s) for s in t.downstream],
        "context": [_step(s) for s in t.context],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
