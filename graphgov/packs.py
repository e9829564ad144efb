"""Query packs: folders of queries, each defined once as data (``<id>.yaml`` with its
metadata and ``<id>.cypher`` with its Cypher) plus its in-memory twin, the only code
(``twins.py`` in the pack, a ``TWINS`` dictionary keyed by query id, best filled with
``graphgov.twin_kit.registrar``'s ``@twin("query-id")``). Cypher receives the ontology's
vocabularies (``schema.Schema.query_parameters``) as parameters without declaring them.

The built-in packs ship in ``graphgov.queries``; users add their own folders in the
same format. A malformed pack gets the same clear problems as a malformed inventory.
"""

from __future__ import annotations

import importlib
import importlib.util
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graphgov.dates import months_before, parse_date
from graphgov.errors import EnvironmentProblem, InvalidInputError, Problem
from graphgov.records import RawRecord, RawValue
from graphgov.schema import load_schema
from graphgov.store.base import Twin

BUILTIN_PACKAGE = "graphgov.queries"
# A check's severity is a level of the ontology, least to most severe.
SEVERITIES: tuple[str, ...] = load_schema().vocabulary("Level").values
SUBJECT_COLUMNS = ("id", "label", "name", "source_file", "source_line")
_WRITE_CLAUSES = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|LOAD\s+CSV|FOREACH|CALL)\b", re.IGNORECASE
)
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_RELATIVE_DATE = re.compile(r"^as_of\s*-\s*(\d+)\s*days?$")
# Month arithmetic is spelt differently by every Cypher engine (Neo4j's
# duration({months: n}), ladybug's to_months(n)), and neither takes the other's. A query
# that compares a date with a number of months receives this parameter instead: for
# each count of months up to MAX_MONTHS, the date that many months before the as-of
# date (graphgov.dates.months_before), as {months, day}.
MONTHS_BEFORE_AS_OF = "months_before_as_of"
MAX_MONTHS = 1200

Row = Mapping[str, Any]


class Parameter(BaseModel):
    """A query parameter: its name, type, default and what it means."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z_][a-z0-9_]*$")
    # days: a whole number of days, given to the query as a duration (a Python
    # timedelta, which Neo4j and ladybug both add to a date), since the engines share no
    # spelling of date arithmetic in the query text (see MONTHS_BEFORE_AS_OF)
    type: Literal["string", "integer", "days", "boolean", "date", "list"]
    description: str
    default: str | int | bool | list[str] | None = None
    # The label of the record(s) the value names: checked against the graph before the
    # query runs, so a misspelt id is an error and not an empty answer.
    label: str | None = None

    @model_validator(mode="after")
    def _check_label(self) -> Parameter:
        if self.label is not None:
            labels = load_schema().labels
            if self.label not in labels:
                raise ValueError(
                    f"label {self.label!r} is not in the ontology; labels are: "
                    + ", ".join(sorted(labels))
                )
            if self.type not in ("string", "list"):
                raise ValueError("a parameter that names a record is a string or a list")
        return self

    def resolve(self, given: str | None, as_of: date) -> Any:
        """The parameter's value from text given by a user, or its default. Raises
        ValueError with a plain reason when the text does not fit the type."""
        if given is None:
            if self.default is None:
                raise ValueError(f"parameter {self.name} is required ({self.description})")
            if self.type == "date" and isinstance(self.default, str):
                return _relative_date(self.default, as_of)
            if self.type == "days":
                return self.resolve(str(self.default), as_of)
            return self.default
        if self.type in ("integer", "days"):
            try:
                number = int(given)
            except ValueError:
                raise ValueError(f"parameter {self.name} must be a whole number") from None
            return timedelta(days=number) if self.type == "days" else number
        if self.type == "boolean":
            if given.lower() not in ("true", "false"):
                raise ValueError(f"parameter {self.name} must be true or false")
            return given.lower() == "true"
        if self.type == "date":
            try:
                return parse_date(given)
            except ValueError as exc:
                raise ValueError(f"parameter {self.name} {exc}") from None
        if self.type == "list":
            return [part.strip() for part in given.split(",") if part.strip()]
        return given


def months_before_as_of(as_of: date) -> list[dict[str, Any]]:
    """The value of ``$months_before_as_of``: ``{months: n, day: as_of less n months}``
    for n from 0 to MAX_MONTHS (fewer when that would go back past year 1)."""
    last = min(MAX_MONTHS, as_of.year * 12 + as_of.month - 13)
    return [{"months": n, "day": months_before(as_of, n)} for n in range(last + 1)]


def _relative_date(text: str, as_of: date) -> date:
    if text == "as_of":
        return as_of
    match = _RELATIVE_DATE.match(text)
    if match is None:
        return date.fromisoformat(text)
    return as_of - timedelta(days=int(match.group(1)))


class QueryDefinition(BaseModel):
    """A query's metadata, as written in its YAML file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    question: str
    kind: Literal["check", "exploration"]
    severity: str | None = None
    clauses: tuple[str, ...] = ()
    controls: tuple[str, ...] = ()
    # what it evidences in other frameworks, by framework id (eu-ai-act: [art-14]);
    # clauses and controls are ISO/IEC 42001's, which the crosswalks start from
    requirements: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    parameters: tuple[Parameter, ...] = ()
    columns: tuple[str, ...]
    # for a check that can give several rows about one subject (one per dependency, one
    # per missing value): the columns that tell those rows apart. With the check and the
    # subject they make a finding's fingerprint (findings.fingerprint), so name only
    # columns an unrelated edit leaves alone; default none (one row per subject)
    key: tuple[str, ...] = ()
    message: str | None = None
    remediation: str | None = None

    @field_validator("severity")
    @classmethod
    def _known_severity(cls, value: str | None) -> str | None:
        if value is not None and value not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}")
        return value

    @field_validator("key")
    @classmethod
    def _known_key(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        columns = info.data.get("columns", ())
        bad = [c for c in value if c not in columns or c in SUBJECT_COLUMNS]
        if bad:
            raise ValueError(
                f"key must name result columns other than the subject's "
                f"({', '.join(SUBJECT_COLUMNS)}); not {', '.join(bad)}"
            )
        return value

    @model_validator(mode="after")
    def _check_shape(self) -> QueryDefinition:
        if self.kind == "check":
            missing = [c for c in SUBJECT_COLUMNS if c not in self.columns]
            if missing:
                raise ValueError(f"a check must return the columns {', '.join(missing)}")
            for name in ("severity", "message", "remediation"):
                if getattr(self, name) is None:
                    raise ValueError(f"a check needs a {name}")
        elif self.severity is not None:
            raise ValueError("an exploration has no severity")
        if self.message:
            unknown = set(re.findall(r"{(\w+)}", self.message)) - set(self.columns)
            if unknown:
                raise ValueError(f"message refers to unknown columns: {', '.join(sorted(unknown))}")
        return self


@dataclass(frozen=True)
class Query:
    """A query of a pack: its definition, its Cypher and its in-memory twin."""

    pack: str
    definition: QueryDefinition
    cypher: str
    twin: Twin | None
    source: str

    @property
    def ref(self) -> str:
        return f"{self.pack}/{self.definition.id}"

    @property
    def direct_references(self) -> tuple[str, ...]:
        """Every requirement id the query names itself, qualified where it is not
        ISO/IEC 42001's."""
        d = self.definition
        others = [f"{fw}:{rid}" for fw, ids in sorted(d.requirements.items()) for rid in ids]
        return (*d.clauses, *d.controls, *others)

    @property
    def vocabularies(self) -> dict[str, list[str]]:
        """The ontology's vocabularies this query's Cypher uses, by parameter name."""
        used = set(_PARAMETER.findall(strip_literals(self.cypher)))
        return {
            name: list(values)
            for name, values in load_schema().query_parameters.items()
            if name in used
        }

    def parameters(self, given: Mapping[str, str], as_of: date) -> dict[str, Any]:
        """Every parameter's value: given ones parsed, the rest defaulted, plus the
        ontology's vocabularies the query uses (see ``vocabularies``). Raises
        InvalidInputError naming unknown or badly typed parameters."""
        problems = []
        declared = {p.name: p for p in self.definition.parameters}
        for name in sorted(set(given) - set(declared)):
            known = ", ".join(declared) or "none"
            problems.append(Problem(self.ref, None, name, f"unknown parameter (known: {known})"))
        values: dict[str, Any] = {}
        for name, param in declared.items():
            try:
                values[name] = param.resolve(given.get(name), as_of)
            except ValueError as exc:
                problems.append(Problem(self.ref, None, name, str(exc)))
        if problems:
            raise InvalidInputError(problems)
        if MONTHS_BEFORE_AS_OF in _PARAMETER.findall(strip_literals(self.cypher)):
            day = values.get("as_of")
            values[MONTHS_BEFORE_AS_OF] = months_before_as_of(
                day if isinstance(day, date) else as_of
            )
        return {**self.vocabularies, **values}


@dataclass(frozen=True)
class Pack:
    name: str
    queries: tuple[Query, ...] = field(default_factory=tuple)

    def get(self, query_id: str) -> Query | None:
        return next((q for q in self.queries if q.definition.id == query_id), None)


def checks(packs: Iterable[Pack]) -> list[Query]:
    """The checks (not the explorations) of ``packs``."""
    return [q for p in packs for q in p.queries if q.definition.kind == "check"]


def builtin_packs() -> list[Pack]:
    """The packs shipped with graphgov."""
    return list(_builtin())


@cache
def _builtin() -> tuple[Pack, ...]:
    root = resources.files(BUILTIN_PACKAGE)
    if not isinstance(root, Path):
        raise EnvironmentProblem("graphgov's query packs must be installed as files")
    return tuple(
        read_pack(folder, f"{BUILTIN_PACKAGE}.{folder.name}")
        for folder in sorted(root.iterdir())
        if folder.is_dir() and (folder / "twins.py").exists()
    )


def read_pack(folder: Path, module: str | None = None) -> Pack:
    """The pack in ``folder``; raises InvalidInputError with every problem in it."""
    from graphgov.pipeline import loaders  # the engine reaches loaders through their registry

    problems: list[Problem] = []
    twins = _twins(folder, module, problems)
    queries: list[Query] = []
    files = sorted(folder.glob("*.yaml"))
    if not files:
        problems.append(Problem(str(folder), None, None, "no query files (<id>.yaml) here"))
    for path in files:
        records, found = loaders()["inventory"](path, None)
        problems.extend(found)
        for record in records[:1]:
            query = _query(folder.name, path, record, twins, problems)
            if query is not None:
                queries.append(query)
        if len(records) > 1:
            problems.append(Problem(str(path), None, None, "a query file holds one query"))
    # a query's id is its file's name; a twin named otherwise would silently never run
    for name in sorted(set(twins) - {path.stem for path in files}):
        problems.append(Problem(str(folder / "twins.py"), None, name, "no query has this id"))
    if problems:
        raise InvalidInputError(problems)
    return Pack(folder.name, tuple(queries))


def _query(
    pack: str, path: Path, record: RawRecord, twins: Mapping[str, Twin], problems: list[Problem]
) -> Query | None:
    whole = RawValue(record.line, mapping=record.fields)
    cypher_path = path.with_suffix(".cypher")
    cypher = cypher_path.read_text(encoding="utf-8") if cypher_path.exists() else None
    if cypher is None:
        problems.append(Problem(str(path), record.line, None, f"no Cypher file {cypher_path.name}"))
    try:
        definition = QueryDefinition.model_validate(whole.plain())
    except ValidationError as exc:
        for error in exc.errors():
            loc = [step for step in error["loc"] if isinstance(step, str | int)]
            name = str(loc[0]) if loc else None
            reason = error["msg"].removeprefix("Value error, ")
            problems.append(Problem(str(path), whole.line_of(loc), name, reason))
        if cypher is not None:
            problems.extend(cypher_problems(cypher, None, str(cypher_path)))
        return None
    line = record.fields["id"].line if "id" in record.fields else record.line
    if definition.id != path.stem:
        problems.append(Problem(str(path), line, "id", f"must match the file name ({path.stem})"))
    problems.extend(_reference_problems(definition, whole, str(path)))
    if cypher is None:
        return None
    problems.extend(cypher_problems(cypher, definition, str(cypher_path)))
    return Query(pack, definition, cypher, twins.get(definition.id), str(path))


def _reference_problems(definition: QueryDefinition, whole: RawValue, shown: str) -> list[Problem]:
    """A query's framework references must name requirements of the loaded catalogues:
    an unknown id would silently drop the query's findings from the SoA."""
    from graphgov.frameworks import load_frameworks  # frameworks read the packs' loader

    frameworks = load_frameworks()
    problems = []
    wanted = {"clauses": ("clause",), "controls": ("control",)}
    for name, types in wanted.items():
        for index, ref in enumerate(getattr(definition, name)):
            line = whole.line_of([name, index])
            reason = frameworks.problem(ref)
            found = frameworks.requirement(ref)
            if reason is None and found is not None and found.type not in types:
                reason = f"{ref!r} is {found.type}, not a {' or '.join(types)}"
            if reason:
                problems.append(Problem(shown, line, name, reason))
    for framework, ids in definition.requirements.items():
        for index, local in enumerate(ids):
            reason = frameworks.problem(f"{framework}:{local}")
            if reason:
                line = whole.line_of(["requirements", framework, index])
                problems.append(Problem(shown, line, "requirements", reason))
    return problems


def cypher_problems(cypher: str, definition: QueryDefinition | None, shown: str) -> list[Problem]:
    """Why a Cypher text cannot be a query of graphgov: it writes, or its parameters do
    not match those the definition declares (when there is a valid definition)."""
    problems = []
    code = strip_literals(cypher)
    write = _WRITE_CLAUSES.search(code)
    if write:
        problems.append(
            Problem(
                shown, None, None, f"queries are read-only; {write.group(1).upper()} is not allowed"
            )
        )
    if definition is None:
        return problems
    used = set(_PARAMETER.findall(code))
    declared = {p.name for p in definition.parameters}
    vocabularies = set(load_schema().query_parameters) | {MONTHS_BEFORE_AS_OF}
    for name in sorted(used - declared - vocabularies):
        problems.append(Problem(shown, None, name, "parameter used but not declared"))
    for name in sorted(declared & vocabularies):
        problems.append(
            Problem(shown, None, name, "this name is an ontology vocabulary; choose another")
        )
    for name in sorted(declared - used):
        problems.append(Problem(shown, None, name, "parameter declared but not used"))
    return problems


def strip_literals(cypher: str) -> str:
    """The Cypher text with string literals and comments blanked out."""
    return re.sub(
        r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", "''", cypher, flags=re.DOTALL
    )


def _twins(folder: Path, module: str | None, problems: list[Problem]) -> Mapping[str, Twin]:
    path = folder / "twins.py"
    if not path.exists():
        return {}
    try:
        if module is not None:
            loaded = importlib.import_module(f"{module}.twins")
        else:
            spec = importlib.util.spec_from_file_location(f"graphgov_pack_{folder.name}", path)
            assert spec is not None and spec.loader is not None
            loaded = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(loaded)
    except Exception as exc:  # a user's pack code may fail in any way; report it, plainly
        problems.append(Problem(str(path), None, None, f"cannot load the twins: {exc}"))
        return {}
    twins = getattr(loaded, "TWINS", None)
    if not isinstance(twins, dict):
        problems.append(Problem(str(path), None, None, "twins.py must define a TWINS dictionary"))
        return {}
    return twins


def severity_rank(severity: str | None) -> int:
    """The place of ``severity`` among SEVERITIES (0 for low), -1 when it is none."""
    return load_schema().vocabulary("Level").rank(severity)
