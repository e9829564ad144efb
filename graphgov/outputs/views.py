"""Interactive graph views built with pyvis: the AI ecosystem's scope, Annex A coverage,
a supplier's blast radius and data lineage. Colour and shape by label with a legend,
findings marked, tooltips with properties and source lines, and a layout computed here
(layered by label, sorted by id, physics off) so it is the same from run to run.

Every layout is sized so that, fitted into a page about 1300 pixels wide, every label is
drawn at 11 pixels or more: columns are spaced for the longest label (labels longer
than LABEL_CHARS end in "…", the full text is in the tooltip) and the view asks for the
height its rows need."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from math import ceil
from typing import Any

from graphgov.audit import ORGANISATION_WIDE, SoaRow, statement_of_applicability
from graphgov.display import plural, printable, quoted
from graphgov.findings import Finding, show
from graphgov.graph import Node
from graphgov.outputs.check_run import location
from graphgov.schema import natural_key, vocabulary
from graphgov.store.base import GraphStore
from graphgov.twin_kit import DEPENDS, FEEDS, reach

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

# The layout's measures, in canvas pixels (at scale 1 a canvas pixel is a screen pixel).
FONT = 14
LABEL_CHARS = 26  # longer labels end in an ellipsis
COLUMN = 270  # room for a label of LABEL_CHARS characters and a gap
ROW_INSIDE = 38  # a row of shapes with the label inside (box, ellipse)
ROW_GROUP = 54  # a two-line group box
ROW_BELOW = 50  # a row of shapes with the label below them
NODE_SIZE = 10
PAGE_WIDTH = 1300  # the graph's width on a page 1400 pixels wide
MIN_HEIGHT, MAX_HEIGHT = 360, 2400
INSIDE = ("box", "ellipse", "circle", "database", "text")

# What a Control's status means for what it covers, as the coverage matrix shows it.
STATE_COLOUR = {
    "implemented": "#2e7d32",
    "partially_implemented": "#d08c00",
    "planned": "#3f6fd8",
    "missing": "#c62828",
    "not_applicable": "#9aa5b1",
    "not applicable": "#9aa5b1",
}
STATE_FILL = {
    "implemented": "#dff3e4",
    "partially_implemented": "#fff1c9",
    "planned": "#e6eefb",
    "missing": "#fbe3e3",
    "not_applicable": "#eceff2",
    "not applicable": "#eceff2",
}
STATE_WORDS = {
    "implemented": "implemented",
    "partially_implemented": "partial",
    "planned": "planned",
    "missing": "missing",
    "not_applicable": "excluded",
    "not applicable": "excluded",
}
# the statuses of a control that is in place or on its way, best first (the ontology's
# ApplicableStatus, read from least to most)
APPLIED = tuple(reversed(vocabulary("ApplicableStatus").values))
NOT_CURRENT = "#c62828"
CURRENT = "#2e7d32"
# Ids graphgov makes up for nodes of its own: inventory ids never start with a space.
GROUP_PREFIX = " group "
_OTHER = ("#999999", "dot", 5)
ORGANISATION_NODE = " organisation-wide"


@dataclass(frozen=True)
class GraphView:
    title: str
    data: dict[str, Any]
    legend: tuple[tuple[str, str, str], ...]
    note: str = ""
    height: int = 640
    edge_legend: tuple[tuple[str, str], ...] = field(default=())

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
    as_of: date | None = None,
    inventory: str = "",
) -> GraphView:
    """The graph view ``name`` (one of VIEWS) of what ``store`` holds. ``as_of`` is the
    day evidence is judged current on (the coverage view; today if not given); tooltips
    show source paths under ``inventory``, as ``check`` prints them."""
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
        title += f", within {plural(depth, 'step')} of {focus}"
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
    if name == "coverage" and focus is None:
        rows = statement_of_applicability(store, found, as_of or date.today())
        return _coverage(title, rows, store, _Marks(by_subject, inventory))
    return _network(title, nodes, edges, _Marks(by_subject, inventory), name)


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


def short(text: object, limit: int = LABEL_CHARS) -> str:
    """``text`` on one line, escaped, and cut to ``limit`` characters with an ellipsis."""
    line = printable(str(text), one_line=True)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _one(text: object) -> str:
    return printable(str(text), one_line=True)


@dataclass(frozen=True)
class _Marks:
    """What a node's drawing needs besides the node: its findings and where its
    inventory is."""

    findings: dict[str, list[Finding]]
    inventory: str

    def get(self, node_id: str, default: list[Finding]) -> list[Finding]:
        return self.findings.get(node_id, default)

    def tooltip(self, node: Node, findings: Iterable[Finding]) -> str:
        return _tooltip(node, findings, self.inventory)


def _tooltip(node: Node, findings: Iterable[Finding], inventory: str = "") -> str:
    lines = [f"{node.label} {node.id}"]
    lines += [f"{k}: {show(v)}" for k, v in node.properties.items() if k != "id"]
    lines.append(f"source: {location(inventory, node.source)}")
    lines += [f"⚠ {f.message}" for f in findings]
    # vis-network draws tooltips itself, outside the template's escaping; one line each,
    # so no value can pass for another property or the source
    return "\n".join(_one(line) for line in lines)


def _height(columns: int, rows_extent: float, label_width: float = COLUMN - 30) -> int:
    """The container height at which a layout of ``columns`` columns, ``rows_extent``
    tall, is fitted at scale 1 (or as near as the page's width allows)."""
    # vis-network fits the nodes' bounding boxes with a 10% margin, and never above 1
    width = (columns - 1) * COLUMN + label_width
    scale = min(1.0, PAGE_WIDTH / (width * 1.1))
    return max(MIN_HEIGHT, min(MAX_HEIGHT, ceil(rows_extent * 1.1 * scale) + 24))


def _stack(count: int, spacing: int, tallest: float) -> list[float]:
    """``count`` rows ``spacing`` apart, centred on the middle of the tallest column."""
    top = (tallest - (count - 1) * spacing) / 2
    return [top + i * spacing for i in range(count)]


def _network(
    title: str,
    nodes: dict[str, Node],
    edges: Sequence[tuple[str, str, str]],
    marks: _Marks,
    name: str,
) -> GraphView:
    from pyvis.network import Network  # only graph views need pyvis

    net = Network(directed=True, cdn_resources="in_line")
    columns: dict[int, list[Node]] = {}
    for node in sorted(nodes.values(), key=lambda n: natural_key(n.id)):
        columns.setdefault(STYLE.get(node.label, ("", "", 5))[2], []).append(node)
    # empty columns take no room: the first column present is drawn at x = 0
    order = {column: i for i, column in enumerate(sorted(columns))}

    def spacing(members: list[Node]) -> int:
        shapes = {STYLE.get(n.label, ("", "dot", 5))[1] for n in members}
        return ROW_INSIDE if shapes <= set(INSIDE) else ROW_BELOW

    tallest = max(((len(m) - 1) * spacing(m) for m in columns.values()), default=0)
    for column, members in sorted(columns.items()):
        for node, y in zip(members, _stack(len(members), spacing(members), tallest), strict=True):
            colour, shape, _ = STYLE.get(node.label, ("#999999", "dot", 5))
            flagged = marks.get(node.id, [])
            out_of_scope = node.get("in_scope") is False
            net.add_node(
                node.id,
                label=("⚠ " if flagged else "") + short(node.name),
                title=marks.tooltip(node, flagged),
                color={
                    "background": "#e8ebef" if out_of_scope else colour,
                    "border": "#c62828" if flagged else "#33404d",
                },
                borderWidth=4 if flagged else 1,
                shapeProperties={"borderDashes": [6, 4] if out_of_scope else False},
                shape=shape,
                x=order[column] * COLUMN,
                y=round(y),
                size=NODE_SIZE,
                physics=False,
                font={
                    "color": "#ffffff" if shape == "box" and not out_of_scope else "#1d2733",
                    "size": FONT,
                },
            )
    for rel_type, start, end in edges:
        net.add_edge(start, end, title=rel_type, arrows="to", color="#9aa5b1")
    net.toggle_physics(False)
    nodes_data, edges_data, *_ = net.get_network_data()
    legend = tuple(
        (label, STYLE[label][0], STYLE[label][1])
        for label in STYLE
        if any(n.label == label for n in nodes.values())
    )
    note = "dashed grey: outside the scope of the management system" if name == "scope" else ""
    return GraphView(
        title,
        {"nodes": nodes_data, "edges": edges_data, "options": _options()},
        legend,
        note,
        _height(len(columns), tallest + 2 * FONT + 2 * NODE_SIZE),
    )


def _options() -> dict[str, Any]:
    return {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 100},
        "edges": {"smooth": False},
    }


# -- the coverage view --------------------------------------------------------------------


@dataclass
class _Scene:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    def node(self, node_id: str, label: str, title: str, x: float, y: float, **style: Any) -> None:
        font = {"size": FONT, "color": style.pop("font_colour", "#1d2733")}
        self.nodes.append(
            {
                "id": node_id,
                "label": label,
                "title": title,
                "x": round(x),
                "y": round(y),
                "shape": style.pop("shape", "box"),
                "physics": False,
                "font": font,
                **style,
            }
        )

    def edge(self, start: str, end: str, title: str, colour: str, **style: Any) -> None:
        self.edges.append(
            {
                "from": start,
                "to": end,
                "title": title,
                "arrows": "to",
                "color": {"color": colour, "highlight": colour, "hover": colour},
                **style,
            }
        )


def _group_key(row: SoaRow) -> str:
    return row.group.split(" ", 1)[0] if row.group else "other"


def _counts(rows: Sequence[SoaRow]) -> str:
    tally: dict[str, int] = {}
    for r in rows:
        word = STATE_WORDS.get(r.status, r.status.replace("_", " "))
        tally[word] = tally.get(word, 0) + 1
    words = ("implemented", "partial", "planned", "missing", "excluded")
    parts = [f"{tally[w]} {w}" for w in words if w in tally]
    parts += [f"{n} {w}" for w, n in sorted(tally.items()) if w not in words]
    return ", ".join(parts)


def _coverage(
    title: str,
    rows: Sequence[SoaRow],
    store: GraphStore,
    marks: _Marks,
) -> GraphView:
    """Annex A groups on the left, what they cover on the right, one edge per group and
    system coloured by the best status of the controls behind it. A click on a group
    opens it: its Annex A controls, the controls that implement them, their evidence
    (current or not) and the systems they apply to."""
    groups: dict[str, list[SoaRow]] = {}
    for r in rows:
        groups.setdefault(_group_key(r), []).append(r)
    order = sorted(groups, key=natural_key)
    names = {k: groups[k][0].group or "Other controls" for k in order}
    targets = _targets(store, rows)

    def group_node(scene: _Scene, key: str, y: float, opened: bool) -> None:
        members = groups[key]
        # findings about the group's own Annex A controls and the controls behind them
        subjects = {r.control.id for r in members} | {
            i.control.id for r in members for i in r.implementations
        }
        flagged = [f for s in sorted(subjects) for f in marks.get(s, [])]
        scene.node(
            GROUP_PREFIX + key,
            ("▾ " if opened else "▸ ") + short(names[key], 30) + "\n" + _counts(members),
            _one(f"{names[key]}: {len(members)} Annex A controls, {_counts(members)}")
            + "\n"
            + (
                "click to close"
                if opened
                else "click to open: its controls, their evidence and the systems covered"
            ),
            0,
            y,
            color={
                "background": "#5d6b7a",
                "border": "#c62828" if flagged else "#33404d",
            },
            borderWidth=3 if flagged else 1,
            font_colour="#ffffff",
            shape="box",
        )

    # overview: groups and what they cover
    overview = _Scene()
    right = [t for t in targets.values() if any(_reaches(r, t[0]) for r in rows)]
    tallest = max((len(order) - 1) * ROW_GROUP, (len(right) - 1) * ROW_INSIDE)
    for key, y in zip(order, _stack(len(order), ROW_GROUP, tallest), strict=True):
        group_node(overview, key, y, opened=False)
    for (target, node), y in zip(right, _stack(len(right), ROW_INSIDE, tallest), strict=True):
        _target_node(overview, target, node, 3 * COLUMN, y, marks)
    for key in order:
        for target, _node in right:
            applied = [
                i
                for r in groups[key]
                for i in r.implementations
                if target in i.covers and i.control.get("status") in APPLIED
            ]
            if not applied:
                continue
            ids = sorted({i.control.id for i in applied}, key=natural_key)
            best = min((str(i.control.get("status")) for i in applied), key=APPLIED.index)
            overview.edge(
                GROUP_PREFIX + key,
                _target_id(target),
                _one(
                    f"{key} → {_target_name(target, targets)}: "
                    f"{len(ids)} control{'s' if len(ids) != 1 else ''}, best "
                    f"{STATE_WORDS[best]} ({', '.join(ids)})"
                ),
                STATE_COLOUR[best],
                width=1 + min(len(ids), 4) * 0.75,
            )
    scenes = {
        GROUP_PREFIX + key: _opened(key, order, groups, targets, store, marks, group_node)
        for key in order
    }
    heights = [
        _height(4, tallest + 40),
        *(s["height"] for s in scenes.values()),
    ]
    covered = sorted(
        {n.label for _t, n in targets.values() if n is not None},
        key=lambda label: (STYLE.get(label, _OTHER)[2], label),
    )
    legend = (
        ("Annex A group", "#5d6b7a", "box"),
        ("AnnexAControl (fill: its status)", "#dff3e4", "box"),
        ("Control", STYLE["Control"][0], "ellipse"),
        ("Evidence (dashed: not current)", STYLE["Evidence"][0], "box"),
        ("organisation-wide", "#1d2b3a", "box"),
        *((label, STYLE.get(label, _OTHER)[0], "box") for label in covered),
    )
    edge_legend = (
        ("implemented", STATE_COLOUR["implemented"]),
        ("partial", STATE_COLOUR["partially_implemented"]),
        ("planned", STATE_COLOUR["planned"]),
        ("missing", STATE_COLOUR["missing"]),
        ("evidence current", CURRENT),
        ("evidence not current", NOT_CURRENT),
    )
    return GraphView(
        title,
        {
            "nodes": overview.nodes,
            "edges": overview.edges,
            "options": _options(),
            "height": heights[0],
            "scenes": scenes,
        },
        legend,
        "click a group to open it, click it again to close it; edge colour: the best "
        "status of the controls behind it",
        heights[0],
        edge_legend,
    )


def _targets(store: GraphStore, rows: Sequence[SoaRow]) -> dict[str, tuple[str, Node | None]]:
    """What the implementing controls apply to: organisation-wide first, then systems in
    natural order."""
    ids = {c for r in rows for i in r.implementations for c in i.covers}
    out: dict[str, tuple[str, Node | None]] = {}
    if ORGANISATION_WIDE in ids:
        out[ORGANISATION_WIDE] = (ORGANISATION_WIDE, None)
    for i in sorted(ids - {ORGANISATION_WIDE}, key=natural_key):
        out[i] = (i, store.node(i))
    return out


def _reaches(row: SoaRow, target: str) -> bool:
    return any(target in i.covers for i in row.implementations)


def _target_id(target: str) -> str:
    return ORGANISATION_NODE if target == ORGANISATION_WIDE else target


def _target_name(target: str, targets: dict[str, tuple[str, Node | None]]) -> str:
    node = targets[target][1]
    return node.name if node is not None else target


def _target_node(
    scene: _Scene,
    target: str,
    node: Node | None,
    x: float,
    y: float,
    marks: _Marks,
) -> None:
    if node is None:
        scene.node(
            ORGANISATION_NODE,
            "Organisation-wide",
            "Controls that apply to the whole organisation, and so to every system",
            x,
            y,
            color={"background": "#1d2b3a", "border": "#1d2b3a"},
            font_colour="#ffffff",
        )
        return
    flagged = marks.get(node.id, [])
    out_of_scope = node.get("in_scope") is False
    scene.node(
        node.id,
        ("⚠ " if flagged else "") + short(node.name),
        marks.tooltip(node, flagged),
        x,
        y,
        color={
            "background": "#e8ebef" if out_of_scope else STYLE.get(node.label, _OTHER)[0],
            "border": "#c62828" if flagged else "#33404d",
        },
        borderWidth=3 if flagged else 1,
        shapeProperties={"borderDashes": [6, 4] if out_of_scope else False},
        font_colour="#1d2733" if out_of_scope else "#ffffff",
    )


def _opened(
    key: str,
    order: Sequence[str],
    groups: dict[str, list[SoaRow]],
    targets: dict[str, tuple[str, Node | None]],
    store: GraphStore,
    marks: _Marks,
    group_node: Any,
) -> dict[str, Any]:
    """The scene with group ``key`` open: the groups down the left with this one's Annex
    A controls under it, then the controls implementing them, their evidence and what
    they apply to."""
    scene = _Scene()
    members = groups[key]
    controls: dict[str, Node] = {}
    for r in members:
        for i in r.implementations:
            controls.setdefault(i.control.id, i.control)
    current = {e.evidence.id: e.current for r in members for e in r.evidence}
    evidence: dict[str, Node] = {}
    for c in controls.values():
        for e in store.neighbours(c.id, "EVIDENCED_BY"):
            evidence.setdefault(e.id, e)
    covers = {c for r in members for i in r.implementations for c in i.covers}
    right = [targets[t] for t in targets if t in covers]
    # the left column: a two-line box per group, a one-line box per open Annex A control
    items: list[tuple[str, float]] = [(GROUP_PREFIX + o, ROW_GROUP) for o in order]
    after = order.index(key) + 1
    items[after:after] = [(r.control.id, ROW_INSIDE) for r in members]
    # each row as tall as its box: centres half a row and half the next row apart
    left: list[tuple[str, float]] = []
    y = 0.0
    for n, (node_id, tall) in enumerate(items):
        if n:
            y += (items[n - 1][1] + tall) / 2
        left.append((node_id, y))
    tallest = max(y, (max(len(controls), len(evidence), len(right)) - 1) * ROW_INSIDE)
    shift = (tallest - y) / 2
    rows_by_id = {r.control.id: r for r in members}
    at: float
    for node_id, at in left:
        if node_id.startswith(GROUP_PREFIX):
            other = node_id[len(GROUP_PREFIX) :]
            group_node(scene, other, at + shift, opened=other == key)
            continue
        r = rows_by_id[node_id]
        flagged = marks.get(r.control.id, [])
        state = STATE_WORDS.get(r.status, r.status)
        scene.node(
            r.control.id,
            ("⚠ " if flagged else "") + short(f"{r.control.id} {r.control.name}"),
            _one(f"{r.control.id} {r.control.name}: {r.decision}, {state}")
            + "".join("\n" + _one(f"⚠ {f.message}") for f in flagged),
            0,
            at + shift,
            color={
                "background": STATE_FILL.get(r.status, "#ffffff"),
                "border": "#c62828" if flagged else STATE_COLOUR.get(r.status, "#33404d"),
            },
            borderWidth=3 if flagged else 2,
        )
    for c, at in zip(controls.values(), _stack(len(controls), ROW_INSIDE, tallest), strict=True):
        flagged = marks.get(c.id, [])
        status = str(c.get("status"))
        state = STATE_WORDS.get(status, status)
        scene.node(
            c.id,
            ("⚠ " if flagged else "") + short(c.name),
            marks.tooltip(c, flagged),
            COLUMN,
            at,
            shape="ellipse",
            color={
                "background": STYLE["Control"][0],
                "border": "#c62828" if flagged else "#33404d",
            },
            borderWidth=3 if flagged else 1,
            font_colour="#ffffff",
        )
        for r in members:
            if any(i.control.id == c.id for i in r.implementations):
                scene.edge(
                    c.id,
                    r.control.id,
                    _one(f"{c.id} implements {r.control.id} ({state})"),
                    STATE_COLOUR.get(status, "#9aa5b1"),
                    width=2,
                )
        for target, _node in right:
            if any(
                i.control.id == c.id and target in i.covers
                for r in members
                for i in r.implementations
            ):
                scene.edge(
                    c.id,
                    _target_id(target),
                    _one(f"{c.id} applies to {_target_name(target, targets)} ({state})"),
                    STATE_COLOUR.get(status, "#9aa5b1"),
                )
        for e in store.neighbours(c.id, "EVIDENCED_BY"):
            ok = current.get(e.id, False)
            scene.edge(
                c.id,
                e.id,
                _one(f"{c.id} evidenced by {e.id} ({'current' if ok else 'not current'})"),
                CURRENT if ok else NOT_CURRENT,
                dashes=not ok,
            )
    for e, at in zip(evidence.values(), _stack(len(evidence), ROW_INSIDE, tallest), strict=True):
        flagged = marks.get(e.id, [])
        ok = current.get(e.id, False)
        scene.node(
            e.id,
            ("⚠ " if flagged else "") + short(e.name),
            marks.tooltip(e, flagged) + "\n" + ("current" if ok else "not current"),
            3 * COLUMN,
            at,
            color={
                "background": STYLE["Evidence"][0] if ok else "#f6edd0",
                "border": "#c62828" if flagged else "#33404d",
            },
            borderWidth=3 if flagged else 1,
            shapeProperties={"borderDashes": False if ok else [6, 4]},
        )
    for (target, node), at in zip(right, _stack(len(right), ROW_INSIDE, tallest), strict=True):
        _target_node(scene, target, node, 2 * COLUMN, at, marks)
    return {"nodes": scene.nodes, "edges": scene.edges, "height": _height(4, tallest + 60)}


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
            title=f"{plural(count, label + ' node')}",
            color=colour,
            shape=shape,
            x=i * COLUMN,
            y=(i % 2) * 160,
            physics=False,
            font={"size": FONT},
        )
    for (a, b, rel_type), count in sorted(links.items()):
        net.add_edge(a, b, label=f"{rel_type.lower()} ({count})", arrows="to")
    nodes_data, edges_data, *_ = net.get_network_data()
    legend = tuple((label, STYLE[label][0], STYLE[label][1]) for label in STYLE if label in counts)
    note = (
        f"{plural(len(nodes), 'node')}, grouped by label; use --focus ID --depth N to see one part"
    )
    return GraphView(
        title,
        {"nodes": nodes_data, "edges": edges_data, "options": {"physics": {"enabled": False}}},
        legend,
        note,
        _height(len(counts), 160 + 2 * FONT),
    )
