"""Regenerate the schema table in README.md from the ontology (tests fail when it is stale)."""

from __future__ import annotations

from pathlib import Path

from graphgov.schema import load_schema
from graphgov.schema_doc import schema_markdown

START, END = "<!-- schema:start -->", "<!-- schema:end -->"


def main() -> None:
    readme = Path(__file__).resolve().parents[1] / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(
        f"{head}{START}\n{schema_markdown(load_schema())}{END}{tail}", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
