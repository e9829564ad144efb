"""The embedded default store: nodes by id, with indexes per label and per relationship
type and adjacency lists, so a query touches only the nodes and relationships it asks
for. The networkx MultiDiGraph of the same graph is built on first use, for whoever asks
(graph algorithms, the views): no query reads it, so a load does not pay for it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from graphgov.errors import StoreConflictError
from graphgov.graph import Counts, Direction, GraphBatch, Node, Relationship
from graphgov.store.base import GraphStore, Twin

if TYPE_CHECKING:
    import networkx as nx

    from graphgov.store.base import Rows
    from graphgov.store.embedded_cypher import EmbeddedCypher


class MemoryStore(GraphStore):
    """Nodes keyed by id and by label, relationships by type with the ends of each start
    and the starts of each end; ``graph`` is the same graph as networkx sees it: each
    node carries its Node as the ``node`` attribute and each edge its Relationship as
    ``rel``, keyed by type."""

    name = "memory"

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._graph: nx.MultiDiGraph[str] | None = None
        self._by_label: dict[str, dict[str, Node]] = {}
        self._by_type: dict[str, list[Relationship]] = {}
        self._out: dict[str, dict[str, list[str]]] = {}
        self._in: dict[str, dict[str, list[str]]] = {}
        # the embedded Cypher engine holding the same graph, built on first Cypher use
        self._cypher: EmbeddedCypher | None = None

    def add(self, batch: GraphBatch) -> None:
        nodes = self._nodes
        new_ids = {n.id for n in batch.nodes}
        clashes = []
        if not new_ids.isdisjoint(nodes):
            clashes = [
                n.id for n in batch.nodes if (old := nodes.get(n.id)) is not None and old != n
            ]
        # the ends no node has, found with set operations; named rel by rel only if any
        ends = {r.start for r in batch.relationships}
        ends.update(r.end for r in batch.relationships)
        unknown = ends - new_ids
        unknown.difference_update(nodes.keys() & unknown)
        dangling = (
            [
                f"{r.start}-[{r.type}]->{r.end}"
                for r in batch.relationships
                if r.start in unknown or r.end in unknown
            ]
            if unknown
            else []
        )
        if clashes or dangling:
            detail = []
            if clashes:
                detail.append("ids already in the store: " + ", ".join(clashes[:10]))
            if dangling:
                detail.append("relationships to unknown nodes: " + ", ".join(dangling[:10]))
            raise StoreConflictError("nothing was added; " + "; ".join(detail))
        added: list[Node] = []
        by_label = self._by_label
        for node in batch.nodes:
            if node.id in nodes:
                continue
            nodes[node.id] = node
            index = by_label.get(node.label)
            if index is None:
                index = by_label[node.label] = {}
            index[node.id] = node
            added.append(node)
        linked = self._link(batch.relationships)
        if self._graph is not None:
            _add_to(self._graph, added, linked)
        if self._cypher is not None and (added or linked):
            ends = {end for rel in linked for end in (rel.start, rel.end)}
            known = {i: n.label for i in ends if (n := self.node(i)) is not None}
            self._cypher.load(GraphBatch(tuple(added), tuple(linked)), known)

    def _link(self, relationships: Iterable[Relationship]) -> list[Relationship]:
        """Index the relationships not yet held, each (type, start, end) once, and return
        them. Whether one is held is asked of the shorter of its start's list of ends and
        its end's list of starts: both are short but for hubs, and no set of a
        million (start, end) pairs is kept only to answer it (1.5 s and 280 MB at L)."""
        linked: list[Relationship] = []
        tables: dict[str, tuple[list[Relationship], dict[str, list[str]], dict[str, list[str]]]]
        tables = {}
        for rel in relationships:
            kind, start, end = rel.type, rel.start, rel.end
            table = tables.get(kind)
            if table is None:
                table = tables[kind] = (
                    self._by_type.setdefault(kind, []),
                    self._out.setdefault(kind, {}),
                    self._in.setdefault(kind, {}),
                )
            held, outs, ins = table
            ends, starts = outs.get(start), ins.get(end)
            if ends is None:
                outs[start] = [end]
            elif starts is not None and (
                end in ends if len(ends) <= len(starts) else start in starts
            ):
                continue  # held already
            else:
                ends.append(end)
            if starts is None:
                ins[end] = [start]
            else:
                starts.append(start)
            held.append(rel)
            linked.append(rel)
        return linked

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The graph as a networkx MultiDiGraph (built on first use, then kept up to
        date by ``add``)."""
        if self._graph is None:
            import networkx as nx  # here: a command that never asks pays nothing for it

            graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
            rels = [r for held in self._by_type.values() for r in held]
            _add_to(graph, self._nodes.values(), rels)
            self._graph = graph
        return self._graph

    def node(self, node_id: str) -> Node | None:
        return self._nodes.get(node_id)

    def has(self, node_id: str) -> bool:
        return node_id in self._nodes

    def nodes(self, label: str) -> Iterator[Node]:
        return iter(list(self._by_label.get(label, {}).values()))

    def relationships(self, rel_type: str) -> Iterator[Relationship]:
        return iter(list(self._by_type.get(rel_type, ())))

    def neighbours(
        self, node_id: str, rel_type: str, direction: Direction = "out"
    ) -> Iterator[Node]:
        index = self._out if direction == "out" else self._in
        return map(self._nodes.__getitem__, index.get(rel_type, {}).get(node_id, ()))

    def execute(
        self,
        cypher: str,
        twin: Twin | None,
        parameters: Mapping[str, Any],
    ) -> Iterable[Mapping[str, Any]]:
        if twin is None:
            return self.cypher(cypher, parameters).records()
        return twin(self, parameters)

    def cypher(
        self,
        text: str,
        parameters: Mapping[str, Any],
        *,
        timeout: float | None = None,
        limit: int | None = None,
    ) -> Rows:
        """Run ``text`` on the embedded Cypher engine, filled from this store on first
        use (graphgov.store.embedded_cypher). Raises CypherError, or EnvironmentProblem
        when the engine is not installed."""
        return self.cypher_engine().run(text, parameters, timeout=timeout, limit=limit)

    def cypher_engine(self) -> EmbeddedCypher:
        """The embedded Cypher engine holding this store's graph (built once)."""
        if self._cypher is None:
            from graphgov.store.embedded_cypher import EmbeddedCypher

            engine = EmbeddedCypher()
            nodes = tuple(self._nodes.values())
            rels = tuple(r for held in self._by_type.values() for r in held)
            engine.load(GraphBatch(nodes, rels))
            self._cypher = engine
        return self._cypher

    def adjacency(self, rel_type: str, direction: Direction = "out") -> Mapping[str, Sequence[str]]:
        return (self._out if direction == "out" else self._in).get(rel_type, {})

    def counts(self) -> Counts:
        return Counts(
            labels={k: len(v) for k, v in sorted(self._by_label.items()) if v},
            relationships={k: len(v) for k, v in sorted(self._by_type.items()) if v},
        )


def _add_to(
    graph: nx.MultiDiGraph[str], nodes: Iterable[Node], rels: Iterable[Relationship]
) -> None:
    graph.add_nodes_from((n.id, {"node": n}) for n in nodes)
    for r in rels:
        graph.add_edge(r.start, r.end, key=r.type, rel=r)
