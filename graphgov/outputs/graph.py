"""Interactive graph views built with pyvis: the AI ecosystem's scope, Annex A coverage,
a supplier's blast radius and data lineage. Colour and shape by label with a legend,
findings marked, tooltips with properties and source lines, and a layout computed here
(layered by label, sorted by id, physics off) so it is the same from run to run."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from graphgov.display import printable, quoted
from graphgov.findings import Finding, show
from graphgov.graph import Node
from graphgov.store.base import GraphStore
from graphgov.twin import DEPENDS, FEEDS, reach

STYLE = {  # label: (colour, vis shape, column)
    "Supplier": ("#e39b3c", "diamond", 0),
    "Dataset": ("#4f9bd9", "square", 1),
    "Model": ("#8a6fd1", "hexagon", 2),
    "AISystem": ("#2f9e6e", "box", 3),
    "Stakeholder": ("#c0607a", "ellipse", 4),
    "AnnexAControl": ("#5d6b7a", "box", 0),
    "Control": ("#3f7fbf", "ellipse", 1),
    "Evidence": ("#d9b23c", "triangle", 2),
}
EDGES = {
    "scope": (*DEPENDS, "SUPPLIED_BY", "AFFECTS"),
    "coverage": ("IMPLEMENTS", "APPLIES_TO", "EVIDENCED_BY"),
    "lineage": FEEDS,
    "supplier": (*DEPENDS, "SUPPLIED_BY", "AFFECTS"),
}
VIEWS = ("scope", "coverage", "supplier", "lineage")
GROUP_ABOVE = 300


@dataclass(frozen=True)
class GraphView:
    title: str
    data: dict[str, Any]
    legend: tuple[tuple[str, str, str], ...]
    note: str = ""

    @property
    def node_count(self) -> int:
        return len(self.data["nodes"])


def view(
    store: GraphStore,
    name: str,
    found: Sequence[Finding] = (),
    *,
    supplier: str | None = None,
    focus: str | None = None,
    depth: int = 2,
) -> GraphView:
    """The graph view ``name`` (one of VIEWS) of what ``store`` holds."""
    nodes, title = _select(store, name, supplier)
    types = EDGES[name]
    if focus is not None:
        keep = {focus}
        frontier = {focus}
        for _ in range(depth):
            frontier = {
                o.id
                for n in frontier
                for t in types
                for d in ("out", "in")
                for o in store.neighbours(n, t, d)
            } - keep
            keep |= frontier
        nodes = {i: n for i, n in nodes.items() if i in keep}
        title += f", within {depth} steps of {focus}"
    edges = sorted(
        {
            (r.type, r.start, r.end)
            for t in types
            for r in store.relationships(t)
            if r.start in nodes and r.end in nodes
        }
    )
    by_subject: dict[str, list[Finding]] = {}
    for f in found:
        by_subject.setdefault(f.id, []).append(f)
    if len(nodes) > GROUP_ABOVE:
        return _grouped(title, nodes, edges)
    return _network(title, nodes, edges, by_subject, name)


def _select(store: GraphStore, name: str, supplier: str | None) -> tuple[dict[str, Node], str]:
    if name == "scope":
        labels = ("AISystem", "Model", "Dataset", "Supplier", "Stakeholder")
        chosen = {
            n.id: n
            for label in labels
            for n in store.nodes(label)
            if label != "Stakeholder" or any(True for _ in store.neighbours(n.id, "AFFECTS", "in"))
        }
        return chosen, "The AI ecosystem: systems, models, datasets, suppliers, affected people"
    if name == "coverage":
        chosen = {n.id: n for n in store.nodes("AnnexAControl")}
        for c in store.nodes("Control"):
            chosen[c.id] = c
            for n in (
                *store.neighbours(c.id, "EVIDENCED_BY"),
                *store.neighbours(c.id, "APPLIES_TO"),
            ):
                if n.label in STYLE:
                    chosen[n.id] = n
        return chosen, "Annex A coverage: controls, their evidence and the systems they cover"
    if name == "supplier":
        if supplier is None:
            raise ValueError("the supplier view needs a supplier id")
        start = store.node(supplier)
        if start is None or start.label != "Supplier":
            raise ValueError(f"no supplier {quoted(supplier)}")
        chosen = {start.id: start}
        for x in store.neighbours(start.id, "SUPPLIED_BY", "in"):
            for n in reach(store, x.id, DEPENDS, "in", include_start=True):
                chosen[n.id] = n
        for s in [n for n in chosen.values() if n.label == "AISystem"]:
            chosen.update({n.id: n for n in store.neighbours(s.id, "AFFECTS")})
        return chosen, f"Blast radius of {start.name}"
    if name == "lineage":
        return (
            {n.id: n for label in ("Dataset", "Model", "AISystem") for n in store.nodes(label)},
            "Data lineage: datasets to models to AI systems",
        )
    raise ValueError(f"unknown view {quoted(name)}; views are: {', '.join(VIEWS)}")


def _tooltip(node: Node, findings: Iterable[Finding]) -> str:
    lines = [f"{node.label} {node.id}"]
    lines += [f"{k}: {show(v)}" for k, v in node.properties.items() if k != "id"]
    lines.append(f"source: {node.source}")
    lines += [f"⚠ {f.message}" for f in findings]
    # vis-network draws tooltips itself, outside the template's escaping; one line each,
    # so no value can pass for another property or the source
    return "\n".join(printable(line, one_line=True) for line in lines)


def _network(
    title: str,
    nodes: dict[str, Node],
    edges: Sequence[tuple[str, str, str]],
    by_subject: dict[str, list[Finding]],
    name: str,
) -> GraphView:
    from pyvis.network import Network  # only graph views need pyvis

    net = Network(directed=True, cdn_resources="in_line")
    columns: dict[int, list[Node]] = {}
    for node in sorted(nodes.values(), key=lambda n: n.id):
        columns.setdefault(STYLE.get(node.label, ("", "", 5))[2], []).append(node)
    for column, members in sorted(columns.items()):
        for row, node in enumerate(members):
            colour, shape, _ = STYLE.get(node.label, ("#999999", "dot", 5))
            flagged = by_subject.get(node.id, [])
            out_of_scope = node.get("in_scope") is False
            net.add_node(
                node.id,
                label=("⚠ " if flagged else "") + printable(str(node.name), one_line=True)[:40],
                title=_tooltip(node, flagged),
                color={
                    "background": "#e8ebef" if out_of_scope else colour,
                    "border": "#c62828" if flagged else "#33404d",
                },
                borderWidth=4 if flagged else 1,
                shapeProperties={"borderDashes": [6, 4] if out_of_scope else False},
                shape=shape,
                x=column * 330,
                y=row * 84,
                size=14,
                physics=False,
                font={
                    "color": "#ffffff" if shape == "box" and not out_of_scope else "#1d2733",
                    "size": 13,
                },
            )
    for rel_type, start, end in edges:
        net.add_edge(start, end, title=rel_type, arrows="to", color="#9aa5b1")
    net.toggle_physics(False)
    nodes_data, edges_data, *_ = net.get_network_data()
    options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 100},
        "edges": {"smooth": False},
    }
    legend = tuple(
        (label, STYLE[label][0], STYLE[label][1])
        for label in STYLE
        if any(n.label == label for n in nodes.values())
    )
    note = "dashed grey: outside the scope of the management system" if name == "scope" else ""
    return GraphView(
        title, {"nodes": nodes_data, "edges": edges_data, "options": options}, legend, note
    )


def _grouped(
    title: str, nodes: dict[str, Node], edges: Sequence[tuple[str, str, str]]
) -> GraphView:
    """One node per label with its count, when a view is too large to read."""
    counts: dict[str, int] = {}
    for n in nodes.values():
        counts[n.label] = counts.get(n.label, 0) + 1
    links: dict[tuple[str, str, str], int] = {}
    for rel_type, start, end in edges:
        key = (nodes[start].label, nodes[end].label, rel_type)
        links[key] = links.get(key, 0) + 1
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line")
    for i, (label, count) in enumerate(sorted(counts.items())):
        colour, shape, _ = STYLE.get(label, ("#999999", "dot", 5))
        net.add_node(
            label,
            label=f"{label} ({count})",
            title=f"{count} {label} nodes",
            color=colour,
            shape=shape,
            x=i * 260,
            y=(i % 2) * 160,
            physics=False,
        )
    for (a, b, rel_type), count in sorted(links.items()):
        net.add_edge(a, b, label=f"{rel_type.lower()} ({count})", arrows="to")
    nodes_data, edges_data, *_ = net.get_network_data()
    legend = tuple((label, STYLE[label][0], STYLE[label][1]) for label in STYLE if label in counts)
    note = f"{len(nodes)} nodes, grouped by label; use --focus ID --depth N to see one part"
    return GraphView(
        title,
        {"nodes": nodes_data, "edges": edges_data, "options": {"physics": {"enabled": False}}},
        legend,
        note,
    )
