"""SPDX 3.0 JSON-LD documents (the AI and Dataset profiles): each element validated
against the SPDX 3.0.1 model by ``spdx-python-model`` (Python bindings generated from
the official SHACL model; it ships the model, so no network), then read into records.

Validation takes the elements of ``@graph`` one at a time, so every element that breaks
the model is reported at once, each with its JSON pointer (``/@graph/4``): its type
must be one of the model's, its properties the type's, their values of the right type
and its required properties present (checked by serialising it with the library).

What becomes what:

- an ``ai_AIPackage`` is a model (name, ``software_packageVersion`` as version,
  ``ai_typeOfModel`` as model_type, ``software_packageUrl`` as purl, description or
  summary);
- a ``dataset_DatasetPackage`` is a dataset; ``dataset_hasSensitivePersonalInformation``
  ``yes`` means it holds personal data and special-category data, ``no`` that it holds
  no special-category data; otherwise both stay absent;
- ``suppliedBy`` and ``originatedBy`` agents are suppliers (by name) the record is
  ``supplied_by``;
- ``Relationship`` elements: ``trainedOn`` and ``testedOn`` (a model to datasets) are
  ``trained_on`` (trained, fine-tuned or validated on); ``descendantOf`` and
  ``ancestorOf`` between two models are ``based_on``, between two datasets
  ``derived_from``; ``dependsOn`` between the document's models and datasets means the
  same as in CycloneDX. Other relationship types are not read."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

from spdx_python_model import v3_0_1 as spdx

from graphgov.errors import Problem
from graphgov.records import RawRecord
from graphgov.schema import Schema

from .bomfile import (
    SPDX3_CONTEXT,
    Findings,
    Found,
    JsonDoc,
    identifier,
    parse,
    pointer,
    schema_reason,
)

_KINDS = {"ai_AIPackage": "model", "dataset_DatasetPackage": "dataset"}
_LINEAGE = {"model": "based_on", "dataset": "derived_from"}
_OBJECT_NUMBER = re.compile(r" \(\d+\)")  # the library names an object by its id() in memory


def read_spdx(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """The models, datasets and suppliers of an SPDX 3.0 JSON-LD document as records,
    or the problems that stop it (every invalid element at once)."""
    doc = parse(path, shown)
    if isinstance(doc, Problem):
        return [], [doc]
    return read_spdx_document(doc, shown, relative)


def read_spdx_document(
    doc: JsonDoc, shown: str, relative: str
) -> tuple[list[RawRecord], list[Problem]]:
    """``read_spdx`` on a document already parsed."""
    data = doc.data
    context = data.get("@context") if isinstance(data, dict) else None
    contexts = context if isinstance(context, list) else [context]
    if SPDX3_CONTEXT not in contexts:
        if isinstance(data, dict) and isinstance(data.get("spdxVersion"), str):
            reason = (
                f"an {data['spdxVersion']} document; graphgov reads SPDX 3.0 JSON-LD "
                f"({SPDX3_CONTEXT}): convert it, or move it out of the inventory"
            )
        else:
            shown_context = schema_reason(repr(context))
            reason = (
                f"not an SPDX 3.0 document: its @context is {shown_context}, not "
                f"{SPDX3_CONTEXT!r} (files named *.spdx.json or *.spdx3.jsonld are read as SPDX)"
            )
        return [], [Problem(shown, 1, "/@context" if context else None, reason)]
    graph = data.get("@graph")
    elements: list[tuple[list[str | int], Any]]
    if isinstance(graph, list):
        elements = [(["@graph", n], e) for n, e in enumerate(graph)]
    else:
        elements = [([], {k: v for k, v in data.items() if k != "@context"})]
    problems = [p for path, e in elements if (p := _element_problem(doc, shown, path, e, context))]
    if problems:
        return [], problems
    findings = _Reader(doc, shown, [e for _, e in elements]).read()
    return findings.records(shown, relative), findings.problems.kept()


def _element_problem(
    doc: JsonDoc, shown: str, path: list[str | int], element: Any, context: Any
) -> Problem | None:
    line = doc.line_on(path)
    where = pointer(path) or None
    if not isinstance(element, dict):
        return Problem(shown, line, where, "not valid SPDX 3.0.1: an element must be an object")
    kind = element.get("type", element.get("@type"))
    if not isinstance(kind, str) or kind not in spdx.SHACLObject.CLASSES:
        return Problem(
            shown, line, where, f"not valid SPDX 3.0.1: {kind!r} is not a type of the model"
        )
    failure = _failure(element, context, check_required=True)
    if failure is None:
        return None
    # the library does not say which property it refused: the first that fails alone
    for key in element:
        if key not in _IDENTITY:
            single = {k: v for k, v in element.items() if k in _IDENTITY or k == key}
            if _failure(single, context, check_required=False) is not None:
                where = pointer([*path, key])
                break
    return Problem(shown, line, where, f"not valid SPDX 3.0.1: {schema_reason(failure)}")


_IDENTITY = ("type", "@type", "spdxId", "@id")


def _failure(element: dict[str, Any], context: Any, *, check_required: bool) -> str | None:
    """Why the library refuses one element, or None when it takes it."""
    objects = spdx.SHACLObjectSet()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated properties are still SPDX 3.0.1
            spdx.JSONLDDeserializer().deserialize_data(
                {"@context": context, "@graph": [element]}, objects
            )
            if check_required:
                spdx.JSONLDSerializer().serialize_data(objects)  # checks required properties
    except (KeyError, TypeError, ValueError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        return _OBJECT_NUMBER.sub("", str(message))
    return None


class _Reader:
    def __init__(self, doc: JsonDoc, shown: str, elements: list[Any]) -> None:
        self.doc = doc
        self.shown = shown
        self.found = Findings(shown)
        self.elements = elements
        self.by_id: dict[str, dict[str, Any]] = {
            e["spdxId"]: e for e in elements if isinstance(e.get("spdxId"), str)
        }
        self.records: dict[str, Found] = {}  # spdxId -> the record it became

    def line(self, value: Any, fallback: int = 1) -> int:
        return self.doc.line_of(value) or fallback

    def read(self) -> Findings:
        for element in self.elements:
            kind = _KINDS.get(element.get("type", ""))
            if kind is not None:
                self.record(kind, element)
        for element in self.elements:
            if element.get("type") == "Relationship":
                self.relationship(element)
        return self.found

    def record(self, kind: str, e: dict[str, Any]) -> None:
        line = self.line(e)
        ident = identifier(e.get("spdxId"), e.get("software_packageUrl"), e.get("name"))
        if ident is None:
            return  # the model requires an IRI of an element, which is always an id
        found = self.found.add(kind, ident, line)
        if isinstance(e.get("spdxId"), str):
            self.records.setdefault(e["spdxId"], found)
        found.set("name", e.get("name"), line)
        found.set("description", e.get("description") or e.get("summary"), line)
        found.set("purl", e.get("software_packageUrl"), line)
        if kind == "model":
            found.set("version", e.get("software_packageVersion"), line)
            types = [t for t in _many(e.get("ai_typeOfModel")) if isinstance(t, str)]
            found.set("model_type", ", ".join(types), line)
        else:
            sensitive = _term(e.get("dataset_hasSensitivePersonalInformation"))
            if sensitive == "yes":
                found.set("contains_personal_data", True, line)
                found.set("special_category_data", True, line)
            elif sensitive == "no":
                found.set("special_category_data", False, line)
        agents = [("suppliedBy", e.get("suppliedBy"))]
        agents += [("originatedBy", agent) for agent in _many(e.get("originatedBy"))]
        for name, agent in agents:
            self.supplier(found, name, agent, line)

    def supplier(self, found: Found, name: str, agent: Any, line: int) -> None:
        element = self.by_id.get(agent) if isinstance(agent, str) else agent
        if isinstance(agent, str) and element is None:
            # the agent is not in this document: its supplier cannot be named, and
            # leaving it out would lose it without a word
            self.found.problems.append(
                Problem(
                    self.shown,
                    line,
                    name,
                    f"names the agent {agent!r}, which is not an element of this document; "
                    "add the Organization (or Person) element it names",
                )
            )
            return
        if not isinstance(element, dict):
            return
        ident = identifier(element.get("name"))
        if ident is None:
            return
        at = self.line(element, line)
        supplier = self.found.add("supplier", ident, at)
        supplier.set("name", element.get("name"), at)
        found.refer("supplied_by", supplier.id, line)

    def relationship(self, e: dict[str, Any]) -> None:
        kind = _term(e.get("relationshipType"))
        line = self.line(e)
        start = e.get("from")
        ends = [t for t in _many(e.get("to")) if isinstance(t, str)]
        if not isinstance(start, str):
            return
        origin = self.records.get(start)
        if kind in ("trainedOn", "testedOn") and origin is not None and origin.kind == "model":
            for end in ends:
                found = self.records.get(end)
                origin.refer("trained_on", found.id if found else end, line)
        elif kind == "descendantOf" and origin is not None:
            for end in ends:
                self._lineage(origin, self.records.get(end), line)
        elif kind == "ancestorOf" and origin is not None:
            for end in ends:
                self._lineage(self.records.get(end), origin, line)
        elif kind == "dependsOn" and origin is not None:
            for end in ends:
                found = self.records.get(end)
                if found is not None and origin.kind == "model" and found.kind == "dataset":
                    origin.refer("trained_on", found.id, line)
                else:
                    self._lineage(origin, found, line)

    @staticmethod
    def _lineage(descendant: Found | None, ancestor: Found | None, line: int) -> None:
        if descendant is None or ancestor is None or descendant is ancestor:
            return
        if descendant.kind == ancestor.kind and descendant.kind in _LINEAGE:
            descendant.refer(_LINEAGE[descendant.kind], ancestor.id, line)


def _term(value: Any) -> str | None:
    """An enumeration's value as its short name, however the document spells it."""
    if not isinstance(value, str):
        return None
    return value.rsplit("/", 1)[-1]


def _many(value: Any) -> list[Any]:
    """A property that may hold several values, as a list: JSON-LD writes a single value
    without the brackets (``"to": "urn:x"``), which is that one value, not its letters."""
    if isinstance(value, list):
        return value
    return [] if value is None else [value]
