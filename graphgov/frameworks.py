"""Frameworks as data: every framework graphgov speaks (ISO/IEC 42001, the EU AI Act,
the NIST AI RMF, ISO/IEC 27001, an organisation's own control set) is a catalogue file,
and the crosswalks between them are mapping files. Adding one adds files, never code.

A framework file holds a header document (``kind: framework``) and a list of
requirements; a crosswalk file a header (``kind: crosswalk``) and a list of mappings,
each with a NIST IR 8477 (OLIR) set-theory relationship and a rationale. Both are read
with the inventory's YAML reader, so every problem names its file, line and field.

Requirement ids are qualified by their framework (``eu-ai-act:art-9``) so that they
never collide (ISO/IEC 27001's 6.1.2 is not ISO/IEC 42001's); the short ISO/IEC 42001
ids that inventories and packs use (``A.6.2.6``, ``6.1.4``) keep working unqualified.
ISO/IEC 42001's requirements are its catalogue (the graph's clauses and Annex A
controls); its header lives beside the other frameworks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from graphgov.display import did_you_mean, path_text
from graphgov.errors import EnvironmentProblem, InvalidInputError, Problem
from graphgov.graph import GraphBatch, Relationship, Source
from graphgov.records import RawRecord, RawValue
from graphgov.schema import ONTOLOGY_PACKAGE, load_schema, natural_key
from graphgov.validation import build_batch

HOME = "iso42001"  # the framework whose ids may be written unqualified
SEPARATOR = ":"
FRAMEWORKS_FOLDER = "frameworks"
CROSSWALKS_FOLDER = "crosswalks"
# NIST IR 8477 (OLIR): how the 'from' requirement relates to the 'to' requirement
RELATIONSHIPS = ("equal", "subset-of", "superset-of", "intersects-with", "no-relationship")
# The labels of the ISO/IEC 42001 catalogue that are its requirements (and Annex C's
# objectives and risk sources, which crosswalks point at too), with their types
HOME_LABELS = {
    "Clause": "clause",
    "AnnexAGroup": "control-group",
    "AnnexAControl": "control",
    "Objective": "objective",
    "RiskSource": "risk-source",
}
# The label of the other frameworks' requirements in the graph, and the relationship
# type each OLIR relationship of a crosswalk row is loaded as (ontology/graphgov.ttl).
# A 'no-relationship' row says the two do not meet: it is no link, so no edge.
REQUIREMENT_LABEL = "Requirement"
EDGE_TYPES = {
    "equal": "EQUALS",
    "subset-of": "SUBSET_OF",
    "superset-of": "SUPERSET_OF",
    "intersects-with": "INTERSECTS_WITH",
}
# What an applicability condition may test, and the values each key takes
CONDITIONS: dict[str, tuple[str, ...] | None] = {
    "role": ("provider", "deployer", "importer", "distributor", "authorised-representative"),
    "tier": load_schema().vocabulary("RiskTier").values,  # an AI system's risk_tier
    "annex_iii_area": (
        "biometrics",
        "critical-infrastructure",
        "education",
        "employment",
        "essential-services",
        "law-enforcement",
        "migration",
        "justice",
    ),
    "annex_iii_point": None,  # free text such as '5b'
    "interacts_with_people": ("true",),
    "generates_synthetic_content": ("true",),
    "emotion_recognition": ("true",),
    "biometric_categorisation": ("true",),
    "deep_fake": ("true",),
    "public_body_or_public_service": ("true",),
    "general_purpose_model": ("true",),
    "systemic_risk": ("true",),
}


class _Header(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["framework"]
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str
    title: str
    version: str | None = None
    publisher: str | None = None
    source: str | None = None
    licence: str | None = None
    quotes_text: bool = False


class _Requirement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["requirement"]
    id: str = Field(pattern=r"^[^:\s;]+$", max_length=200)
    name: str
    requirement_type: str
    part_of: str | None = None
    description: str | None = None
    # a value is a list of alternatives; a single value may be written bare
    applies_when: tuple[dict[str, list[str] | str], ...] = ()

    def conditions(self) -> tuple[dict[str, tuple[str, ...]], ...]:
        return tuple(
            {k: tuple(v) if isinstance(v, list) else (v,) for k, v in condition.items()}
            for condition in self.applies_when
        )


class _CrosswalkHeader(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["crosswalk"]
    id: str
    # 'from' is a Python keyword; the file's own word is kept by the alias
    source_framework: str = Field(alias="from")
    target_framework: str = Field(alias="to")
    source: str | None = None


class _Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    relationship: Literal["equal", "subset-of", "superset-of", "intersects-with", "no-relationship"]
    rationale: str = Field(min_length=1)
    origin: str | None = Field(default=None, alias="source")


@dataclass(frozen=True)
class Requirement:
    """One requirement of a framework: an article, a subcategory, a clause, a control."""

    framework: str
    id: str
    name: str
    type: str
    parent: str | None
    description: str
    applies_when: tuple[Mapping[str, tuple[str, ...]], ...]
    source: Source

    @property
    def ref(self) -> str:
        """The qualified id, unique across frameworks (``eu-ai-act:art-9``)."""
        return f"{self.framework}{SEPARATOR}{self.id}"


@dataclass(frozen=True)
class Framework:
    """A framework's header and its requirements, in file order."""

    id: str
    name: str
    title: str
    version: str | None
    publisher: str | None
    url: str | None
    licence: str | None
    quotes_text: bool
    requirements: Mapping[str, Requirement]
    source: Source


@dataclass(frozen=True)
class CrosswalkMapping:
    """One row of a crosswalk: ``source`` RELATIONSHIP ``target`` (qualified ids)."""

    crosswalk: str
    source: str
    target: str
    relationship: str
    rationale: str
    cited: str | None
    origin: Source


@dataclass(frozen=True)
class Frameworks:
    """Every framework and crosswalk graphgov knows in one run."""

    frameworks: Mapping[str, Framework]
    mappings: tuple[CrosswalkMapping, ...] = ()
    _index: dict[str, Requirement] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for framework in self.frameworks.values():
            for requirement in framework.requirements.values():
                self._index[requirement.ref] = requirement

    def qualify(self, ref: str) -> str:
        """``ref`` with its framework: a bare id is ISO/IEC 42001's."""
        return ref if SEPARATOR in ref else f"{HOME}{SEPARATOR}{ref}"

    def requirement(self, ref: str) -> Requirement | None:
        """The requirement a (qualified or short ISO/IEC 42001) id names, or None."""
        return self._index.get(self.qualify(ref))

    def problem(self, ref: str) -> str | None:
        """Why ``ref`` names no requirement (with a did-you-mean), or None when it does."""
        qualified = self.qualify(ref)
        if qualified in self._index:
            return None
        framework, _, local = qualified.partition(SEPARATOR)
        if framework not in self.frameworks:
            known = ", ".join(sorted(self.frameworks))
            return (
                f"no framework {framework!r}{did_you_mean(framework, self.frameworks)} "
                f"(known: {known})"
            )
        ids = self.frameworks[framework].requirements
        return f"no requirement {local!r} in {framework}{did_you_mean(local, ids)}"

    def mapped(self, ref: str, framework: str | None = None) -> list[CrosswalkMapping]:
        """The mappings from the requirement ``ref`` (either end), optionally only those
        reaching ``framework``; each is turned so that ``source`` is ``ref``."""
        qualified = self.qualify(ref)
        out = []
        for m in self.mappings:
            if m.source == qualified:
                turned = m
            elif m.target == qualified:
                turned = _reversed(m)
            else:
                continue
            if framework is None or turned.target.startswith(framework + SEPARATOR):
                out.append(turned)
        return out

    def references(self, direct: Iterable[str]) -> tuple[Reference, ...]:
        """What ``direct`` requirement ids (a query's references) evidence in every
        framework: each of them, then what the crosswalks reach from them (never through
        a 'no-relationship' row), each once, by framework and natural id order. This is
        the one place that decides which framework references a finding carries."""
        found: dict[str, Reference] = {}
        for ref in direct:
            qualified = self.qualify(ref)
            found[qualified] = Reference(qualified, None, None)
        for ref in list(found):
            for m in self.mapped(ref):
                if m.relationship != "no-relationship" and m.target not in found:
                    found[m.target] = Reference(m.target, m.relationship, ref)
        return tuple(sorted(found.values(), key=lambda r: (r.framework, natural_key(r.id))))

    @property
    def home(self) -> Framework:
        """ISO/IEC 42001, the framework the catalogue, the SoA and the crosswalks are
        built around (renderers take its name from here, never spell it)."""
        return self.frameworks[HOME]

    def describe(self, references: Iterable[Reference]) -> str:
        """References as one line for a table cell: each shown with its framework's
        name, a crosswalk's relationship in brackets (``EU AI Act art-12
        (intersects-with)``)."""
        return ", ".join(
            self.shown(r.ref) + (f" ({r.relationship})" if r.relationship else "")
            for r in references
        )

    def shown(self, ref: str) -> str:
        """A reference as people read it: the framework's name and the requirement's id
        (``EU AI Act art-12``); no renderer spells a framework's name itself."""
        qualified = self.qualify(ref)
        framework, _, local = qualified.partition(SEPARATOR)
        known = self.frameworks.get(framework)
        return f"{known.name if known else framework} {local}"


@dataclass(frozen=True, order=True)
class Reference:
    """A requirement a finding evidences: directly (``relationship`` None) or through a
    crosswalk row from ``via`` with ``relationship``."""

    ref: str
    relationship: str | None
    via: str | None

    @property
    def framework(self) -> str:
        return self.ref.partition(SEPARATOR)[0]

    @property
    def id(self) -> str:
        return self.ref.partition(SEPARATOR)[2]


_CONVERSE = {"subset-of": "superset-of", "superset-of": "subset-of"}


def _reversed(m: CrosswalkMapping) -> CrosswalkMapping:
    return CrosswalkMapping(
        m.crosswalk,
        m.target,
        m.source,
        _CONVERSE.get(m.relationship, m.relationship),
        m.rationale,
        m.cited,
        m.origin,
    )


def load_frameworks(folders: Sequence[Path] = ()) -> Frameworks:
    """The shipped frameworks and crosswalks, with those in ``folders`` (a user's own:
    any ``*.yaml`` there holding a framework or a crosswalk). Raises InvalidInputError
    with every problem in every file; nothing is half loaded."""
    shipped = _shipped()
    if not folders:
        return shipped
    files: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            raise EnvironmentProblem(f"no such folder: {path_text(folder)}")
        files += sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml"))
    return _read(files, dict(shipped.frameworks), list(shipped.mappings))


@cache
def _shipped() -> Frameworks:
    root = resources.files(ONTOLOGY_PACKAGE)
    if not isinstance(root, Path):
        raise EnvironmentProblem("graphgov's ontology must be installed as files")
    files = sorted((root / FRAMEWORKS_FOLDER).glob("*.yaml"))
    files += sorted((root / CROSSWALKS_FOLDER).glob("*.yaml"))
    return _read(files, {}, [], shipped=True)


def _read(
    files: Iterable[Path],
    frameworks: dict[str, Framework],
    mappings: list[CrosswalkMapping],
    shipped: bool = False,
) -> Frameworks:
    # the engine reaches loaders by registry
    from graphgov.pipeline import home_catalogue, loaders

    problems: list[Problem] = []
    crosswalks: list[tuple[RawRecord, _CrosswalkHeader, list[RawRecord], str]] = []
    for path in files:
        records, found = loaders()["inventory"](path, None)
        problems += found
        if not records:
            continue
        head, rows = records[0], records[1:]
        kind = head.fields.get("kind")
        kind_text = kind.text if kind is not None else None
        shown = _shown(path, shipped)
        if kind_text == "framework":
            framework = _framework(head, rows, shown, problems)
            if framework is not None:
                if framework.id in frameworks:
                    problems.append(
                        head.problem("id", f"framework {framework.id!r} is defined twice")
                    )
                else:
                    frameworks[framework.id] = framework
        elif kind_text == "crosswalk":
            header = _model(_CrosswalkHeader, head, problems)
            if header is not None:
                crosswalks.append((head, header, rows, shown))
        else:
            problems.append(
                head.problem(
                    "kind", "the first document must be 'kind: framework' or 'kind: crosswalk'"
                )
            )
    if HOME not in frameworks and shipped:
        problems.append(Problem("graphgov:frameworks", None, None, f"no {HOME} header"))
    if HOME in frameworks and not frameworks[HOME].requirements:
        frameworks[HOME] = _with_catalogue(frameworks[HOME], home_catalogue())
    index = {r.ref for f in frameworks.values() for r in f.requirements.values()}
    for head, header, rows, shown in crosswalks:
        mappings += _mappings(head, header, rows, shown, frameworks, index, problems)
    if problems:
        raise InvalidInputError(problems)
    return Frameworks(dict(frameworks), tuple(mappings))


def _shown(path: Path, shipped: bool) -> str:
    return f"graphgov:{path.parent.name}/{path.name}" if shipped else path_text(path)


def _model(model: type[Any], record: RawRecord, problems: list[Problem]) -> Any:
    whole = RawValue(record.line, mapping=record.fields)
    try:
        return model.model_validate(whole.plain())
    except ValidationError as exc:
        for error in exc.errors():
            loc = [step for step in error["loc"] if isinstance(step, str | int)]
            name = str(loc[0]) if loc else None
            reason = error["msg"].removeprefix("Value error, ")
            problems.append(record.problem(name, reason, whole.line_of(loc)))
        return None


def _framework(
    head: RawRecord, rows: Sequence[RawRecord], shown: str, problems: list[Problem]
) -> Framework | None:
    header = _model(_Header, head, problems)
    requirements: dict[str, Requirement] = {}
    parents: list[tuple[RawRecord, str]] = []
    for row in rows:
        req = _model(_Requirement, row, problems)
        if req is None:
            continue
        if req.id in requirements:
            first = requirements[req.id].source.line
            problems.append(row.problem("id", f"duplicate id {req.id!r} (first on line {first})"))
            continue
        conditions = req.conditions()
        problems += _conditions(row, conditions)
        if req.part_of is not None:
            parents.append((row, req.part_of))
        requirements[req.id] = Requirement(
            framework=header.id if header else "",
            id=req.id,
            name=req.name,
            type=req.requirement_type,
            parent=req.part_of,
            description=req.description or "",
            applies_when=conditions,
            source=Source(shown, row.line),
        )
    for row, parent in parents:
        if parent not in requirements:
            problems.append(
                row.problem(
                    "part_of",
                    f"no requirement {parent!r} in this file{did_you_mean(parent, requirements)}",
                    row.fields["part_of"].line,
                )
            )
    if header is None:
        return None
    return Framework(
        id=header.id,
        name=header.name,
        title=header.title,
        version=header.version,
        publisher=header.publisher,
        url=header.source,
        licence=header.licence,
        quotes_text=header.quotes_text,
        requirements=requirements,
        source=Source(shown, head.line),
    )


def _conditions(
    row: RawRecord, conditions: Sequence[Mapping[str, tuple[str, ...]]]
) -> list[Problem]:
    problems = []
    raw = row.fields.get("applies_when")
    for index, condition in enumerate(conditions):
        for key, values in condition.items():
            line = raw.line_of([index, key]) if raw is not None else row.line
            if key not in CONDITIONS:
                problems.append(
                    row.problem(
                        "applies_when",
                        f"unknown condition {key!r}{did_you_mean(key, CONDITIONS)}; "
                        f"conditions are: {', '.join(CONDITIONS)}",
                        line,
                    )
                )
                continue
            allowed = CONDITIONS[key]
            for value in values:
                if allowed is not None and str(value).lower() not in allowed:
                    problems.append(
                        row.problem(
                            "applies_when",
                            f"{key}: {value!r} is not allowed; use one of: {', '.join(allowed)}",
                            line,
                        )
                    )
    return problems


def _with_catalogue(header: Framework, batch: Any) -> Framework:
    """ISO/IEC 42001's requirements are its catalogue's clauses, groups and controls."""
    parents: dict[str, str] = {}
    objective_group: dict[str, str] = {}
    for rel in batch.relationships:
        if rel.type == "SUBCLAUSE_OF":
            parents[rel.start] = rel.end
        elif rel.type == "OBJECTIVE_OF":
            objective_group[rel.start] = rel.end
    for rel in batch.relationships:
        if rel.type == "ACHIEVES" and rel.end in objective_group:
            parents[rel.start] = objective_group[rel.end]
    requirements = {
        node.id: Requirement(
            framework=HOME,
            id=node.id,
            name=node.name,
            type=HOME_LABELS[node.label],
            parent=parents.get(node.id),
            description=str(node.properties.get("description") or ""),
            applies_when=(),
            source=node.source,
        )
        for node in batch.nodes
        if node.label in HOME_LABELS
    }
    return dataclasses.replace(header, requirements=requirements)


def _mappings(
    head: RawRecord,
    header: _CrosswalkHeader,
    rows: Sequence[RawRecord],
    shown: str,
    frameworks: Mapping[str, Framework],
    index: set[str],
    problems: list[Problem],
) -> list[CrosswalkMapping]:
    out: list[CrosswalkMapping] = []
    ends = {"from": header.source_framework, "to": header.target_framework}
    for name, framework in ends.items():
        if framework not in frameworks:
            problems.append(
                head.problem(
                    name,
                    f"no framework {framework!r}{did_you_mean(framework, frameworks)}",
                    head.fields[name].line if name in head.fields else None,
                )
            )
    if any(f not in frameworks for f in ends.values()):
        return out
    for row in rows:
        mapping = _model(_Mapping, row, problems)
        if mapping is None:
            continue
        refs = {}
        for name, local in (("from", mapping.source), ("to", mapping.target)):
            framework = ends[name]
            ref = f"{framework}{SEPARATOR}{local}"
            refs[name] = ref
            if ref not in index:
                ids = frameworks[framework].requirements
                problems.append(
                    row.problem(
                        name,
                        f"no requirement {local!r} in {framework}{did_you_mean(local, ids)}",
                        row.fields[name].line,
                    )
                )
        out.append(
            CrosswalkMapping(
                crosswalk=header.id,
                source=refs["from"],
                target=refs["to"],
                relationship=mapping.relationship,
                rationale=mapping.rationale,
                cited=mapping.origin,
                origin=Source(shown, row.line),
            )
        )
    return out


def graph_batch(frameworks: Frameworks, home: GraphBatch) -> GraphBatch:
    """The frameworks as part of the catalogue in the graph, beside ``home`` (ISO/IEC
    42001's catalogue): every requirement of a framework other than ISO/IEC 42001 as a
    Requirement node (its id the qualified id, ``eu-ai-act:art-12``) with its PART_OF
    hierarchy, and every crosswalk row but the no-relationship ones as a relationship
    typed by its OLIR relationship (EDGE_TYPES), from the ISO/IEC 42001 node to the
    requirement. Each node and relationship has its framework or crosswalk file and line
    as its source. The requirements are validated against the ontology as catalogue
    records, like ISO/IEC 42001's; raises InvalidInputError for a row the ontology
    cannot hold (a crosswalk between two frameworks neither of which is ISO/IEC 42001)."""
    kind = load_schema().labels[REQUIREMENT_LABEL].kind
    records = []
    for framework in frameworks.frameworks.values():
        if framework.id == HOME:
            continue  # its requirements are the catalogue's own nodes
        for req in framework.requirements.values():
            texts = {
                "kind": kind,
                "id": req.ref,
                "name": req.name,
                "framework": framework.id,
                "requirement_type": req.type,
                "description": req.description or None,
                "part_of": f"{framework.id}{SEPARATOR}{req.parent}" if req.parent else None,
            }
            line = req.source.line or 0
            fields = {k: RawValue(line, text=v) for k, v in texts.items() if v is not None}
            records.append(RawRecord(req.source.file, req.source, fields))
    nodes = build_batch(records, known=home.nodes, catalogue=True, origin=home.origin)
    labels = {n.id: n.label for n in home.nodes + nodes.nodes}
    relations = load_schema().relations
    edges: dict[tuple[str, str, str], Relationship] = {}
    problems = []
    for m in frameworks.mappings:
        rel_type = EDGE_TYPES.get(m.relationship)
        if rel_type is None:
            continue
        start, end = _node_id(m.source), _node_id(m.target)
        if not relations[rel_type].joins(labels.get(start, ""), labels.get(end, "")):
            reason = f"the graph cannot hold {m.source} {rel_type} {m.target}"
            problems.append(Problem(m.origin.file, m.origin.line, None, reason))
            continue
        edges.setdefault((rel_type, start, end), Relationship(rel_type, start, end, m.origin))
    if problems:
        raise InvalidInputError(problems)
    return GraphBatch(nodes.nodes, nodes.relationships + tuple(edges.values()), home.origin)


def _node_id(ref: str) -> str:
    """The id of a requirement's node: ISO/IEC 42001's catalogue keeps its short ids."""
    framework, _, local = ref.partition(SEPARATOR)
    return local if framework == HOME else ref
