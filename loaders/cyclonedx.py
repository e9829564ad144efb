"""CycloneDX 1.5 and 1.6 JSON BOMs (ML-BOMs): validated against the official schema of
the version the file declares by CycloneDX's own library (``JsonStrictValidator``,
which ships the schemas), then read into records. The other versions that library has
a JSON schema for (1.2 to 1.7) are read the same way: a BOM before 1.5 cannot hold
models or datasets (the component types came with 1.5), so a library-only BOM such as
pip's own gives no records and, above all, does not stop the inventory loading.

What becomes what:

- a component of type ``machine-learning-model`` is a model: name, version,
  description, purl, and ``model_type`` from ``modelCard.modelParameters.task`` (else
  its ``approach.type``);
- a component of type ``data`` is a dataset: ``contains_personal_data`` is true when
  the classification or sensitive data of one of its ``data`` entries speaks of
  personal data (``personal``, ``PII``), ``special_category_data`` true when it speaks
  of special-category or sensitive personal data; otherwise both stay absent (the BOM
  does not say);
- a component's ``supplier`` and ``manufacturer`` (and, for the component the BOM
  describes, the metadata's) are suppliers the record is ``supplied_by``;
- ``pedigree.ancestors`` of the same type are what a model is ``based_on`` or a
  dataset ``derived_from``; ``modelCard.modelParameters.datasets`` (references or
  inline datasets) are what a model is ``trained_on``; ``dependencies`` between the
  BOM's models and datasets mean the same (a model on a dataset: trained on; a model on
  a model: based on; a dataset on a dataset: derived from); dependencies on anything
  else (libraries) are not governance facts here;
- a component's ``properties`` named ``graphgov:<field>`` set that field (how a BOM can
  say a model's ``origin``, which CycloneDX has no field for);
- nested ``components`` are read too; other component types are left out."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from jsonschema.exceptions import ValidationError, best_match

from graphgov.errors import Problem
from graphgov.records import RawRecord
from graphgov.schema import Schema

from .bomfile import Findings, Found, JsonDoc, identifier, parse, pointer, schema_reason

VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
MODEL = "machine-learning-model"
DATA = "data"
_KINDS = {MODEL: "model", DATA: "dataset"}
_LINEAGE = {"model": "based_on", "dataset": "derived_from"}
_PROPERTY_PREFIX = "graphgov:"
# personal data named, or denied ("non-personal", "no personal data", "not PII")
_PERSONAL = re.compile(
    r"(?P<denied>\b(?:non|no|not|without)[\s-]+)?\b(?:personal|pii|phi)\b", re.IGNORECASE
)
_SPECIAL = re.compile(r"special[ _-]categor|sensitive personal", re.IGNORECASE)


def read_cyclonedx(
    path: Path, shown: str, relative: str, schema: Schema | None = None
) -> tuple[list[RawRecord], list[Problem]]:
    """The models, datasets and suppliers of a CycloneDX JSON BOM as records, or the
    problems that stop it (every schema error at once, each with its JSON pointer)."""
    doc = parse(path, shown)
    if isinstance(doc, Problem):
        return [], [doc]
    return read_cyclonedx_document(doc, shown, relative)


def read_cyclonedx_document(
    doc: JsonDoc, shown: str, relative: str
) -> tuple[list[RawRecord], list[Problem]]:
    """``read_cyclonedx`` on a document already parsed."""
    data = doc.data
    if not isinstance(data, dict) or data.get("bomFormat") != "CycloneDX":
        return [], [
            Problem(
                shown,
                1,
                None,
                'not a CycloneDX BOM: its top object has no "bomFormat": "CycloneDX" '
                "(files named *.cdx.json or bom.json are read as CycloneDX)",
            )
        ]
    version = data.get("specVersion")
    if version not in VERSIONS:
        return [], [
            Problem(
                shown,
                doc.line_on(()),
                "/specVersion",
                f"CycloneDX {version!r} is not read; graphgov reads CycloneDX JSON "
                f"{VERSIONS[0]} to {VERSIONS[-1]}",
            )
        ]
    problems = _schema_problems(doc, shown, version)
    if problems:
        return [], problems
    findings = _Reader(doc, shown).read()
    return findings.records(shown, relative), findings.problems.kept()


# The schemas say the items of most arrays are unique, which jsonschema checks by
# comparing every pair of objects: hours for a BOM of 100,000 components. So a top-level
# array longer than _CHUNK (components, dependencies, services, ...) is validated
# _CHUNK items at a time, each inside a BOM of its own, and its uniqueness is checked
# here by hashing each item once; a nested array of more than _MAX_NESTED objects is
# refused. What is reported is what validating the whole BOM at once reports.
_CHUNK = 50
_MAX_NESTED = 1000
_HEAD = ("bomFormat", "specVersion", "version")


def _schema_problems(doc: JsonDoc, shown: str, version: str) -> list[Problem]:
    data: dict[str, Any] = doc.data
    validator = JsonStrictValidator(SchemaVersion.from_version(version))
    nested = _long_nested_array(data)
    if nested is not None:
        path, count = nested
        reason = (
            f"an array of {count:,} objects inside the BOM; graphgov reads at most "
            f"{_MAX_NESTED:,} here (list components at the top level instead)"
        )
        return [Problem(shown, doc.line_on(path), pointer(path), reason)]
    long = {k for k, v in data.items() if isinstance(v, list) and len(v) > _CHUNK}
    head = {k: data[k] for k in _HEAD if k in data}
    pieces: list[tuple[str | None, int, dict[str, Any]]] = [
        (None, 0, {k: v for k, v in data.items() if k not in long})
    ]
    out: list[Problem] = []
    for name in sorted(long):
        items = data[name]
        out.extend(_repeats(doc, shown, version, name, items))
        for at in range(0, len(items), _CHUNK):
            pieces.append((name, at, {**head, name: items[at : at + _CHUNK]}))
    for key, at, piece in pieces:
        errors = validator.validate_str(json.dumps(piece), all_errors=True)
        for error in errors or ():
            detail: ValidationError = error.data
            if detail.context:  # anyOf / oneOf: the alternative that came closest says most
                detail = best_match(detail.context) or detail
            path = list(detail.absolute_path)
            if key is not None and len(path) > 1 and path[0] == key:
                path[1] = int(path[1]) + at
            reason = f"not valid CycloneDX {version}: {schema_reason(detail.message)}"
            out.append(Problem(shown, doc.line_on(path), pointer(path) or None, reason))
    return sorted(set(out), key=lambda p: (p.line or 0, p.field or "", p.reason))


def _repeats(doc: JsonDoc, shown: str, version: str, key: str, items: list[Any]) -> list[Problem]:
    """A problem for each item of a long top-level array that repeats an earlier one."""
    first: dict[str, int] = {}
    out = []
    for n, item in enumerate(items):
        text = json.dumps(item, sort_keys=True)
        if text in first:
            out.append(
                Problem(
                    shown,
                    doc.line_on([key, n]),
                    pointer([key, n]),
                    f"not valid CycloneDX {version}: repeats {pointer([key, first[text]])} "
                    "(the items must be unique)",
                )
            )
        else:
            first[text] = n
    return out


def _long_nested_array(data: dict[str, Any]) -> tuple[list[str | int], int] | None:
    """The path and length of the first array below the top level that holds more than
    _MAX_NESTED objects, if any."""
    stack: list[tuple[list[str | int], Any]] = [([k], v) for k, v in data.items()]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(([*path, k], v) for k, v in value.items())
        elif isinstance(value, list):
            if (
                len(path) > 1
                and len(value) > _MAX_NESTED
                and any(isinstance(v, dict) for v in value)
            ):
                return path, len(value)
            stack.extend(([*path, n], v) for n, v in enumerate(value))
    return None


class _Reader:
    def __init__(self, doc: JsonDoc, shown: str) -> None:
        self.doc = doc
        self.found = Findings(shown)
        self.ids: dict[str, Found] = {}  # bom-ref -> the record it became
        # (record, field, bom-ref, line): references named by bom-ref, resolved once every
        # component was read, as a reference may come before what it names
        self.pending: list[tuple[Found, str, str, int]] = []

    def read(self) -> Findings:
        data = self.doc.data
        metadata = data.get("metadata", {})
        subject = metadata.get("component")
        if isinstance(subject, dict):
            # "manufacture" is 1.5's name for what 1.6 calls the metadata's manufacturer
            owners = [metadata.get(k) for k in ("supplier", "manufacturer", "manufacture")]
            self.component(subject, ["metadata", "component"], owners)
        for n, component in enumerate(data.get("components", [])):
            self.component(component, ["components", n], [])
        for found, name, ref, line in self.pending:
            target = self.ids.get(ref)
            found.refer(name, target.id if target is not None else ref, line)
        for dependency in data.get("dependencies", []):
            self.dependency(dependency)
        return self.found

    def line(self, value: Any, fallback: int) -> int:
        return self.doc.line_of(value) or fallback

    def component(self, c: dict[str, Any], path: list[str | int], owners: list[Any]) -> None:
        kind = _KINDS.get(c.get("type", ""))
        record: Found | None = None
        if kind is not None:
            line = self.line(c, 1)
            ident = identifier(c.get("bom-ref"), c.get("purl"), _named(c))
            if ident is None:
                self.found.problems.append(
                    Problem(
                        self.found.problems.file,
                        line,
                        pointer(path),
                        "has no bom-ref, purl or name that can be a graphgov id "
                        "(at most 200 printable characters, no ';'): give it a bom-ref",
                    )
                )
            else:
                record = self.record(kind, ident, c, line, owners)
        for n, child in enumerate(c.get("components", [])):
            self.component(child, [*path, "components", n], [])
        for n, ancestor in enumerate(c.get("pedigree", {}).get("ancestors", [])):
            self.component(ancestor, [*path, "pedigree", "ancestors", n], [])
            base = self.ids.get(ancestor.get("bom-ref")) or self._last_of(ancestor)
            if record is not None and base is not None and base.kind == record.kind:
                record.refer(_LINEAGE[record.kind], base.id, self.line(ancestor, record.line))

    def _last_of(self, c: dict[str, Any]) -> Found | None:
        kind = _KINDS.get(c.get("type", ""))
        ident = identifier(c.get("bom-ref"), c.get("purl"), _named(c))
        if kind is None or ident is None:
            return None
        return Found(kind, ident, 0)

    def record(
        self, kind: str, ident: str, c: dict[str, Any], line: int, owners: list[Any]
    ) -> Found:
        found = self.found.add(kind, ident, line)
        if isinstance(c.get("bom-ref"), str):
            self.ids.setdefault(c["bom-ref"], found)
        found.set("name", c.get("name"), line)
        found.set("description", c.get("description"), line)
        found.set("purl", c.get("purl"), line)
        if kind == "model":
            found.set("version", c.get("version"), line)
            self.model_card(found, c.get("modelCard", {}))
        else:
            self.data(found, c.get("data", []))
        for entity in [c.get("supplier"), c.get("manufacturer"), *owners]:
            self.supplier(found, entity)
        for prop in c.get("properties", []):
            name = prop.get("name", "")
            if name.startswith(_PROPERTY_PREFIX) and "value" in prop:
                found.set(name[len(_PROPERTY_PREFIX) :], prop["value"], self.line(prop, line))
        return found

    def model_card(self, found: Found, card: dict[str, Any]) -> None:
        parameters = card.get("modelParameters", {})
        line = self.line(parameters, found.line)
        task = parameters.get("task") or parameters.get("approach", {}).get("type")
        found.set("model_type", task, line)
        for entry in parameters.get("datasets", []):
            where = self.line(entry, line)
            if "ref" in entry:
                self.pending.append((found, "trained_on", entry["ref"], where))
                continue
            ident = identifier(entry.get("bom-ref"), entry.get("name"))
            if ident is None:
                continue
            dataset = self.found.add("dataset", ident, where)
            if isinstance(entry.get("bom-ref"), str):
                self.ids.setdefault(entry["bom-ref"], dataset)
            dataset.set("name", entry.get("name"), where)
            dataset.set("description", entry.get("description"), where)
            self.data(dataset, [entry])
            found.refer("trained_on", dataset.id, where)

    def data(self, found: Found, entries: list[dict[str, Any]]) -> None:
        for entry in entries:
            if isinstance(entry.get("bom-ref"), str):
                self.ids.setdefault(entry["bom-ref"], found)  # a ref may name the entry
            line = self.line(entry, found.line)
            texts = [entry.get("classification", ""), *entry.get("sensitiveData", [])]
            said = " ".join(t for t in texts if isinstance(t, str))
            named = [m.group("denied") is None for m in _PERSONAL.finditer(said)]
            if _SPECIAL.search(said):
                found.set("special_category_data", True, line)
                found.set("contains_personal_data", True, line)
            elif any(named):
                found.set("contains_personal_data", True, line)
            elif named:  # only ever denied: the BOM says there is none
                found.set("contains_personal_data", False, line)

    def supplier(self, found: Found, entity: Any) -> None:
        if not isinstance(entity, dict):
            return
        ident = identifier(entity.get("name"))
        if ident is None:
            return
        line = self.line(entity, found.line)
        supplier = self.found.add("supplier", ident, line)
        supplier.set("name", entity.get("name"), line)
        found.refer("supplied_by", supplier.id, line)

    def dependency(self, dependency: dict[str, Any]) -> None:
        start = self.ids.get(dependency.get("ref", ""))
        if start is None:
            return
        line = self.line(dependency, start.line)
        for ref in dependency.get("dependsOn", []):
            end = self.ids.get(ref)
            if end is None or end is start:
                continue
            # a model's dataset is its data; a model or dataset it merely depends on at run
            # time is no ancestor (lineage comes from pedigree.ancestors alone)
            if start.kind == "model" and end.kind == "dataset":
                start.refer("trained_on", end.id, line)


def _named(c: dict[str, Any]) -> str | None:
    name = c.get("name")
    if not isinstance(name, str):
        return None
    version = c.get("version")
    return f"{name}@{version}" if isinstance(version, str) and version else name
