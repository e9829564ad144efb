"""Records a user names by id (a trace's subject, a view's focus, a query parameter that
refers to a record) are looked up in the graph before anything runs, so a typo is an
error with a did-you-mean, never an empty answer that reads as "nothing is affected"."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from graphgov.display import did_you_mean, quoted
from graphgov.errors import GraphgovError
from graphgov.graph import Node
from graphgov.schema import load_schema
from graphgov.store.base import GraphStore


class UnknownRecordError(GraphgovError):
    """A user named a record the graph does not hold (a usage error: exit 2)."""


def named_node(
    store: GraphStore, node_id: str, labels: Sequence[str] = (), *, where: str = "id"
) -> Node:
    """The node ``node_id`` names (of one of ``labels``, when given). Raises
    UnknownRecordError, naming ``where`` (an option or parameter), when the graph holds no
    such node."""
    node = store.node(node_id)
    if node is not None and (not labels or node.label in labels):
        return node
    titles = " or ".join(load_schema().labels[label].title for label in labels)
    candidates = [n.id for label in labels for n in store.nodes(label)]
    if node is not None:
        title = load_schema().labels[node.label].title
        reason = f"{quoted(node_id)} is {_a(title)}, not {_a(titles)}"
    else:
        reason = f"no {titles or 'record'} with id {quoted(node_id)} in the graph"
        if not labels:
            candidates = [n.id for n in _all_nodes(store)]
    raise UnknownRecordError(f"{where}: {reason}{did_you_mean(node_id, candidates)}")


def _a(title: str) -> str:
    return ("an " if title[:1].lower() in "aeiou" else "a ") + title


def _all_nodes(store: GraphStore) -> Iterable[Node]:
    for label in store.counts().labels:
        yield from store.nodes(label)
