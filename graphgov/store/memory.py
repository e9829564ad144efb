"""The embedded default store: nodes by id, with indexes per label and per relationship
type and adjacency lists, so a query touches only the nodes and relationships it asks
for. The networkx MultiDiGraph of the same graph is built on first use, for whoever asks
(graph algorithms, the views): no query reads it, so a load does not pay for it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx

from graphgov.errors import StoreConflictError
from graphgov.graph import Counts, Direction, GraphBatch, Node, Relationship
from graphgov.store.base import GraphStore, Twin

if TYPE_CHECKING:
    from graphgov.store.base import Rows
    from graphgov.store.embedded_cypher import EmbeddedCypher


class MemoryStore(GraphStore):
    """Nodes keyed by id, relationships by type and ends; ``graph`` is the same graph as
    networkx sees it: each node carries its Node as the ``node`` attribute and each edge
    its Relationship as ``rel``, keyed by type."""

    name = "memory"

    def __init__(self) -> None:
        self._nodes: dict[str, Node] = {}
        self._graph: nx.MultiDiGraph[str] | None = None
        self._by_label: dict[str, dict[str, Node]] = {}
        self._by_type: dict[str, dict[tuple[str, str], Relationship]] = {}
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
        linked: list[Relationship] = []
        for node in batch.nodes:
            if node.id in nodes:
                continue
            nodes[node.id] = node
            self._by_label.setdefault(node.label, {})[node.id] = node
            added.append(node)
        by_type, outs, ins = self._by_type, self._out, self._in
        for rel in batch.relationships:
            kind, start, end = rel.type, rel.start, rel.end
            index = by_type.get(kind)
            if index is None:
                index, outs[kind], ins[kind] = by_type.setdefault(kind, {}), {}, {}
            elif (start, end) in index:
                continue
            linked.append(rel)
            index[(start, end)] = rel
            out = outs[kind].get(start)
            if out is None:
                outs[kind][start] = [end]
            else:
                out.append(end)
            into = ins[kind].get(end)
            if into is None:
                ins[kind][end] = [start]
            else:
                into.append(start)
        if self._graph is not None:
            _add_to(self._graph, added, linked)
        if self._cypher is not None and (added or linked):
            ends = {end for rel in linked for end in (rel.start, rel.end)}
            known = {i: n.label for i in ends if (n := self.node(i)) is not None}
            self._cypher.load(GraphBatch(tuple(added), tuple(linked)), known)

    @property
    def graph(self) -> nx.MultiDiGraph[str]:
        """The graph as a networkx MultiDiGraph (built on first use, then kept up to
        date by ``add``)."""
        if self._graph is None:
            graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
            rels = [r for index in self._by_type.values() for r in index.values()]
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
        return iter(list(self._by_type.get(rel_type, {}).values()))

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
            rels = tuple(r for index in self._by_type.values() for r in index.values())
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
