"""Regenerate the query texts written out from the ontology (tests fail when one is stale):
incomplete-record's Cypher, from the properties the ontology expects (gg:expected)."""

from __future__ import annotations

from pathlib import Path

from graphgov.queries.iso42001.twins import incomplete_record_cypher

from graphgov.schema import load_schema

PACK = Path(__file__).resolve().parents[1] / "queries" / "iso42001"


def main() -> None:
    (PACK / "incomplete-record.cypher").write_text(
        incomplete_record_cypher(load_schema()), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
