"""Inventory records as loaders hand them over, and the pydantic validators of their
properties (typed dictionaries, one per label). They are derived from the schema
registry, so they cannot drift from the ontology."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal, NotRequired, cast

from pydantic import (
    BeforeValidator,
    ConfigDict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
)
from typing_extensions import TypedDict  # pydantic asks for this one before Python 3.12

from graphgov.dates import parse_date
from graphgov.display import did_you_mean
from graphgov.errors import Problem
from graphgov.graph import Source, Value
from graphgov.schema import LabelSpec, PropertySpec, Schema

MAX_TEXT = 10_000


@dataclass(slots=True)
class RawValue:
    """A value as written in a source: a scalar's text (None when left blank), a list
    of values, or a mapping of values, each with the line it is on.

    One per cell read and per id in a cell (about 1.6 million at M, counted under
    cProfile): slots, and not frozen, which would build each field through
    ``object.__setattr__`` (as ``graphgov.graph``'s objects). Nothing assigns to one after
    it is built."""

    line: int
    text: str | None = None
    items: tuple[RawValue, ...] | None = None
    mapping: Mapping[str, RawValue] | None = None

    @property
    def nested(self) -> bool:
        return self.mapping is not None

    @property
    def blank(self) -> bool:
        return self.text is None and self.items is None and self.mapping is None

    def plain(self) -> Any:
        """The value as plain text, lists and dictionaries (for models other than records)."""
        if self.items is not None:
            return [item.plain() for item in self.items]
        if self.mapping is not None:
            return {key: value.plain() for key, value in self.mapping.items()}
        return self.text

    def line_of(self, path: Sequence[str | int]) -> int:
        """The line of the value at ``path`` inside this one (its own line if absent)."""
        value: RawValue = self
        for step in path:
            if isinstance(step, int) and value.items is not None and step < len(value.items):
                value = value.items[step]
            elif isinstance(step, str) and value.mapping is not None and step in value.mapping:
                value = value.mapping[step]
            else:
                break
        return value.line


@dataclass(slots=True)
class RawRecord:
    """One record read from a source, before validation. ``file`` is the path to show a
    user; ``source`` is the provenance stored in the graph (relative to the inventory)."""

    file: str
    source: Source
    fields: Mapping[str, RawValue]

    @property
    def line(self) -> int:
        return self.source.line or 0

    def problem(self, field: str | None, reason: str, line: int | None = None) -> Problem:
        return Problem(self.file, line if line is not None else self.source.line, field, reason)


# reads one file: (path, name to show, name in provenance, schema) -> records, problems
FileReader = Callable[[Path, str, str, Schema | None], tuple[list[RawRecord], list[Problem]]]


@dataclass(frozen=True)
class SourceFile:
    """One file of a source that its loader reads on its own, so that what an earlier
    run made of it can be reused while it is unchanged: where it is, its name as shown
    to a user (``RawRecord.file``) and as recorded in provenance (``Source.file``), and
    the reader that turns it into records."""

    path: Path
    shown: str
    relative: str
    reader: FileReader

    def read(self, schema: Schema | None = None) -> tuple[list[RawRecord], list[Problem]]:
        """The file's records and the problems found reading it."""
        return self.reader(self.path, self.shown, self.relative, schema)


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _date(value: Any) -> Any:
    return parse_date(value) if isinstance(value, str) else value


# Surrounding whitespace is trimmed from property values (a name, a choice, a date),
# where it cannot change what a value means; an id is taken exactly as written, since
# trimming it would make two different texts refer to one record.
_TRIMMED = BeforeValidator(_strip)
_DATE = BeforeValidator(_date)


def _annotation(prop: PropertySpec) -> Any:
    base: Any
    if prop.allowed:
        base = Literal[prop.allowed]
    elif prop.datatype == "boolean":
        base = bool
    elif prop.datatype == "integer":
        base = int
    elif prop.datatype == "decimal":
        base = float
    elif prop.datatype == "date":
        base = date
    else:
        base = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
    checks: list[Any] = []
    if prop.datatype == "date":
        # only YYYY-MM-DD: pydantic alone would take 0 for 1970-01-01, or a time of day
        checks.append(_DATE)
    if prop.name != "id":
        checks.append(_TRIMMED)  # listed last, so it runs first
    annotation = base if prop.required else base | None
    if checks:
        annotation = Annotated[annotation, *checks]
    return (annotation, ...) if prop.required else (annotation, None)


# built once per label of each schema: keyed by the spec's identity (a spec holds
# mappings, so it cannot be hashed), which the entry keeps alive
_VALIDATORS: dict[int, tuple[LabelSpec, TypeAdapter[dict[str, Any]]]] = {}


def record_type(spec: LabelSpec) -> type[dict[str, Any]]:
    """The typed dictionary of a label's writable properties, derived from its spec in
    the schema the caller validates against: each property's type, required or not,
    and no other key."""
    fields: dict[str, Any] = {}
    for prop in spec.writable:
        annotation, default = _annotation(prop)
        fields[prop.name] = annotation if default is ... else NotRequired[annotation]
    typed_dict: Any = TypedDict  # called with a name known only now
    shape = typed_dict(spec.name, fields)
    shape.__pydantic_config__ = ConfigDict(extra="forbid")
    return cast(type[dict[str, Any]], shape)


def record_validator(spec: LabelSpec) -> TypeAdapter[dict[str, Any]]:
    """pydantic's validator of ``record_type(spec)``. A dictionary in, a dictionary out:
    a model would build an object to dump again (8 µs a record, not 2)."""
    cached = _VALIDATORS.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    validator: TypeAdapter[dict[str, Any]] = TypeAdapter(record_type(spec))
    _VALIDATORS[id(spec)] = (spec, validator)
    return validator


def validate_properties(
    spec: LabelSpec, record: RawRecord, texts: Mapping[str, str]
) -> tuple[dict[str, Value], list[Problem]]:
    """Typed property values of one record, or the problems that stop them."""
    try:
        typed = record_validator(spec).validate_python(texts)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else None
            raw = record.fields.get(name) if name else None
            line = raw.line if raw is not None else None
            prop = spec.properties.get(name or "")
            problems.append(record.problem(name, _reason(error, prop, spec), line))
        return {}, problems
    values = {k: v for k, v in typed.items() if v is not None}
    return values, []


def _reason(error: Mapping[str, Any], prop: PropertySpec | None, spec: LabelSpec) -> str:
    kind = error["type"]
    got = error.get("input")
    shown = f" (got {got!r})" if isinstance(got, str) else ""
    if kind == "value_error":
        # raised by graphgov's own checks (dates), whose message is already the reason
        return str(error.get("ctx", {}).get("error", error.get("msg", "is not valid")))
    if kind == "missing":
        return f"is required (every {spec.kind} has one)"
    if prop is not None and prop.allowed:
        # 'High' for high (the case is the likeliest slip) or a misspelling
        hint = did_you_mean(got.strip().lower(), prop.allowed) if isinstance(got, str) else ""
        return f"{got!r} is not allowed{hint}; use one of: {', '.join(prop.allowed)}"
    if kind.startswith("bool"):
        return f"must be true or false{shown}"
    if kind.startswith("date"):
        return f"must be a date written YYYY-MM-DD{shown}"
    if kind.startswith("int"):
        return f"must be a whole number{shown}"
    if kind.startswith("float"):
        return f"must be a number{shown}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is longer than {MAX_TEXT} characters"
    return str(error.get("msg", "is not valid"))
