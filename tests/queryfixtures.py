"""The per-query fixtures: tests/fixtures/queries/<query-id>/{fires,passes}.yaml, each a
small inventory whose header says which subjects the query must report
(``# expect: a, b``) and with which parameters (``# params: name=value``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent / "fixtures" / "queries"


@dataclass(frozen=True)
class Fixture:
    query: str
    case: str
    path: Path
    expect: frozenset[str]
    params: dict[str, str]

    @property
    def name(self) -> str:
        return f"{self.query}/{self.case}"


def fixtures() -> list[Fixture]:
    out = []
    for path in sorted(ROOT.glob("*/*.yaml")):
        expect: frozenset[str] = frozenset()
        params: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# expect:"):
                expect = frozenset(i.strip() for i in line[9:].split(",") if i.strip())
            elif line.startswith("# params:"):
                params = dict(p.strip().split("=", 1) for p in line[9:].split(",") if p.strip())
        out.append(Fixture(path.parent.name, path.stem, path, expect, params))
    return out
