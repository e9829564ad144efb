"""Traces as text and JSON: every step with its relationship type and source line. Text
shows each node on one line, inventory text escaped (``display.printable``); JSON keeps
it exactly."""

from __future__ import annotations

from typing import Any

from graphgov.audit import Step, Trace
from graphgov.display import printable
from graphgov.findings import show
from graphgov.graph import Node
from graphgov.outputs.cells import json_text


def trace_text(t: Trace) -> str:
    lines = [_node(t.node)]
    for title, steps in (
        ("Depends on (upstream)", t.upstream),
        ("Depended on by (downstream)", t.downstream),
        ("Context", t.context),
    ):
        lines += ["", f"{title}: {len(steps)}"]
        for s in steps:
            arrow = f"-[{s.rel_type}]->" if s.direction == "out" else f"<-[{s.rel_type}]-"
            lines.append(f"  {_one(s.via)} {arrow} {_node(s.node)}")
    return "\n".join(lines) + "\n"


def _node(n: Node) -> str:
    return f"{n.label} {_one(n.id)}: {_one(n.name)}  ({_one(n.source)})"


def _one(value: object) -> str:
    # a node is one line of a trace, whatever its names hold
    return printable(str(value), one_line=True)


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
    return json_text(data)
