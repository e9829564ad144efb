"""Traces as text and JSON: every step with its relationship type and source line. Text
shows each node on one line, inventory text escaped (``display.printable``); JSON keeps
it exactly, with typed values (booleans, numbers, dates as ISO text). Source paths are
shown as ``check`` shows them: the inventory folder and the file in it
(``outputs.check_run.inventory_path``), the catalogue's own as it names them."""

from __future__ import annotations

from typing import Any

from graphgov.audit import Step, Trace
from graphgov.display import printable
from graphgov.graph import Node, Source
from graphgov.outputs.cells import json_text, json_value
from graphgov.outputs.check_run import inventory_path, location


def trace_text(t: Trace, *, inventory: str = "") -> str:
    """The trace as lines of text, one per node; paths under ``inventory``."""
    lines = [_node(t.node, inventory)]
    for title, steps in (
        ("Depends on (upstream)", t.upstream),
        ("Depended on by (downstream)", t.downstream),
        ("Context", t.context),
    ):
        lines += ["", f"{title}: {len(steps)}"]
        for s in steps:
            arrow = f"-[{s.rel_type}]->" if s.direction == "out" else f"<-[{s.rel_type}]-"
            lines.append(f"  {_one(s.via)} {arrow} {_node(s.node, inventory)}")
    return "\n".join(lines) + "\n"


def _node(n: Node, inventory: str) -> str:
    where = location(inventory, n.source)
    return f"{n.label} {_one(n.id)}: {_one(n.name)}  ({_one(where)})"


def _one(value: object) -> str:
    # a node is one line of a trace, whatever its names hold
    return printable(str(value), one_line=True)


def _source(inventory: str, source: Source) -> dict[str, Any]:
    return {"file": inventory_path(inventory, source) or source.file, "line": source.line}


def _step(s: Step, inventory: str) -> dict[str, Any]:
    return {
        "depth": s.depth,
        "relationship": s.rel_type,
        "direction": s.direction,
        "via": s.via,
        "label": s.node.label,
        "id": s.node.id,
        "name": s.node.name,
        "source": _source(inventory, s.node.source),
    }


def trace_json(t: Trace, *, inventory: str = "") -> str:
    """The trace as JSON; paths under ``inventory``."""
    n = t.node
    data = {
        "node": {
            "label": n.label,
            "id": n.id,
            "name": n.name,
            "properties": {k: json_value(v) for k, v in n.properties.items()},
            "source": _source(inventory, n.source),
        },
        "upstream": [_step(s, inventory) for s in t.upstream],
        "downstream": [_step(s, inventory) for s in t.downstream],
        "context": [_step(s, inventory) for s in t.context],
    }
    return json_text(data)
