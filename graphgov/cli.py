"""The command line: thin click commands over the library. Exit codes: 0 success,
1 invalid input, 2 usage or environment error."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from graphgov import examples, pipeline
from graphgov.errors import GraphgovError, InvalidInputError
from graphgov.schema import load_schema
from graphgov.schema_doc import schema_json, schema_markdown
from graphgov.store import STORES
from graphgov.summary import counts_text, overview_text

EXIT_INVALID = 1
EXIT_USAGE = 2


class _Commands(click.Group):
    """Turns graphgov's own errors into messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidInputError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{exc}; nothing was loaded.", err=True)
            ctx.exit(EXIT_INVALID)
        except GraphgovError as exc:
            click.echo(f"graphgov: {exc}", err=True)
            ctx.exit(EXIT_USAGE)


def _as_of(_ctx: click.Context, _param: click.Parameter, value: datetime | None) -> date:
    return value.date() if value else date.today()


AS_OF = click.option(
    "--as-of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    callback=_as_of,
    help="The date to judge expiry and reviews against (YYYY-MM-DD; default: today).",
)
INVENTORY = click.argument("inventory", type=click.Path(exists=True, path_type=Path))
STORE = click.option(
    "--store",
    type=click.Choice(sorted(STORES)),
    default="memory",
    show_default=True,
    help="Where to load the graph.",
)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="graphgov")
def cli() -> None:
    """graphgov: a knowledge graph of your AI systems, tied to ISO/IEC 42001.

    \b
    Start with:
      graphgov demo                    the example organisation, summarised
      graphgov init --example acme/    the same organisation as files to edit
      graphgov validate acme/          check an inventory; every error at once
    """


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--example",
    is_flag=True,
    help="Write the Acme Lending example organisation instead of a skeleton.",
)
def init(directory: Path, example: bool) -> None:
    """Write a new inventory folder: a commented skeleton, or the example organisation.

    \b
    Example:
      graphgov init --example acme/
    """
    written = examples.write("acme" if example else "skeleton", directory)
    click.echo(f"Wrote {len(written)} files to {directory}.")
    click.echo(f"Next: graphgov validate {directory}")


@cli.command()
@INVENTORY
def validate(inventory: Path) -> None:
    """Check an inventory folder against the ontology and report every problem at once.

    \b
    Example:
      graphgov validate acme/
    """
    batch = pipeline.read(inventory)
    click.echo(
        f"{inventory}: valid: {len(batch.nodes)} records, {len(batch.relationships)} relationships."
    )


@cli.command()
@INVENTORY
@STORE
def load(inventory: Path, store: str) -> None:
    """Load an inventory folder (with the ISO/IEC 42001 catalogue) into a graph store and
    print the number of nodes per label and relationships per type.

    \b
    Example:
      graphgov load acme/
    """
    target = STORES[store]()
    try:
        pipeline.load(inventory, target)
        click.echo(counts_text(target.counts()))
    finally:
        target.close()


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="Markdown tables or JSON.",
)
def schema(fmt: str) -> None:
    """Print the node labels, relationship types and properties, read from the ontology.

    \b
    Example:
      graphgov schema --format json > schema.json
    """
    if fmt == "json":
        click.echo(json.dumps(schema_json(load_schema()), indent=2))
    else:
        click.echo(schema_markdown(load_schema()), nl=False)


@cli.command()
@AS_OF
def demo(as_of: date) -> None:
    """Load the example organisation (Acme Lending) into memory and summarise it.

    \b
    Example:
      graphgov demo --as-of 2026-11-23
    """
    store = STORES["memory"]()
    with examples.folder("acme") as folder:
        batch = pipeline.load(folder, store)
    click.echo(overview_text(store, as_of))
    click.echo("")
    click.echo(
        f"Loaded {len(batch.nodes)} nodes and {len(batch.relationships)} relationships "
        "(the inventory and the ISO/IEC 42001 catalogue)."
    )
    click.echo("Edit your own copy: graphgov init --example acme/ && graphgov validate acme/")


def main() -> None:
    cli(prog_name="graphgov")
