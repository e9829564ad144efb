"""The command line: thin click commands over the library. Exit codes: 0 success,
1 invalid input (or, for check, findings), 2 usage or environment error."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from graphgov import examples, pipeline
from graphgov.dates import parse_date
from graphgov.diff import Side, diff
from graphgov.display import did_you_mean, path_text, plural, printable
from graphgov.errors import GraphgovError, InvalidInputError
from graphgov.export import admin_import_files, cypher_script
from graphgov.files import write_file, write_files
from graphgov.frameworks import Frameworks, load_frameworks
from graphgov.graph import GraphBatch
from graphgov.graph_files import gexf_text, graphml_text
from graphgov.load_statements import Tag, run_digest
from graphgov.lookup import named_node
from graphgov.outputs import FINDINGS, ROWS
from graphgov.outputs.crosswalk import CROSSWALK_FORMATS, crosswalk
from graphgov.outputs.diff import DIFF_FORMATS
from graphgov.outputs.history import HISTORY_FORMATS
from graphgov.outputs.html import finding_place, page
from graphgov.outputs.posture import POSTURE_FORMATS, posture_html
from graphgov.outputs.roadmap import roadmap_markdown
from graphgov.outputs.soa import soa_csv, soa_markdown, soa_xlsx, workbook_bytes
from graphgov.outputs.trace import trace_json, trace_text
from graphgov.outputs.upcoming import UPCOMING_FORMATS
from graphgov.outputs.views import VIEWS, view
from graphgov.packs import (
    SEVERITIES,
    Pack,
    builtin_packs,
    checks,
    read_pack,
)
from graphgov.parameters import typed
from graphgov.rdf import FORMATS as RDF_FORMATS
from graphgov.rdf import SUFFIXES as RDF_SUFFIXES
from graphgov.rdf import rdf_text
from graphgov.runner import find
from graphgov.schema import load_schema
from graphgov.schema_doc import schema_json, schema_markdown, schema_text
from graphgov.store import STORES, GraphStore
from graphgov.summary import counts_text, findings_summary, overview_text, system_counts
from graphgov.terminal import table

EXIT_INVALID = 1
GRAPH_FILES = {"graphml": graphml_text, "gexf": gexf_text}  # for Gephi, yEd, Cytoscape
EXIT_USAGE = 2
# Commands whose exit code 1 means "findings", so a bad input is a usage error there.
_FINDING_COMMANDS = {"check", "query", "diff"}
PROGRESS_FROM = 5000  # rows; smaller loads finish before a bar would help


class _Commands(click.Group):
    """Turns graphgov's own errors into messages and exit codes, never tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidInputError as exc:
            for problem in exc.problems:
                _say(str(problem), err=True)
            reading = ctx.meta.get(_READING)
            _say(f"{exc}; nothing was loaded." if reading else f"{exc}.", err=True)
            ctx.exit(EXIT_USAGE if ctx.invoked_subcommand in _FINDING_COMMANDS else EXIT_INVALID)
        except click.NoSuchOption as exc:
            # an id such as "-legacy" reads as an option; say how to pass it as a value
            if exc.option_name.startswith("--"):
                raise
            raise click.UsageError(
                f"{exc.format_message()} To give a value that starts with '-' (such as an "
                f"id), put -- before it: graphgov {ctx.invoked_subcommand or 'COMMAND'} "
                "[OPTIONS] INVENTORY -- -ID",
                ctx=exc.ctx,
            ) from None
        except GraphgovError as exc:
            _say(f"graphgov: {exc}", err=True)
            ctx.exit(EXIT_USAGE)


_READING = "graphgov.reading"  # set once a command starts reading an inventory


def _say(text: str, err: bool = False, nl: bool = True) -> None:
    """Print to the terminal; text from the input can never act on the terminal."""
    click.echo(printable(text), err=err, nl=nl)


def _read(inventory: Path, name: str | None = None) -> GraphBatch:
    click.get_current_context().meta[_READING] = True
    return pipeline.read(inventory, name=name)


def _load(inventory: Path, target: GraphStore) -> GraphBatch:
    return pipeline.add(_read(inventory), target)


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return parse_date(value)
    except ValueError as exc:  # the same words as for a date in an inventory
        raise click.BadParameter(str(exc)) from None


AS_OF = click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    callback=_as_of,
    help="The date to judge expiry and reviews against (YYYY-MM-DD; default: today).",
)


# click's ParamType is generic only in recent versions; subscript it for the type checker
if TYPE_CHECKING:
    from graphgov.api import Governance

    _PathParam = click.ParamType[Path, Any]
else:
    _PathParam = click.ParamType


class _Inventory(_PathParam):
    """An inventory folder or file that exists; ``hint`` says what a missing one may mean."""

    name = "inventory"

    def __init__(self, hint: str = "") -> None:
        self.hint = hint

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        path = Path(value)
        if not path.exists():
            hint = self.hint
            if ":" in str(value) and not hint:
                # REV:PATH names a version in git, which only comparisons read
                hint = (
                    "; a version in git (REV:PATH) is read by `graphgov diff` and "
                    "`check --baseline`, not as the inventory itself"
                )
            self.fail(f"no inventory folder or file {path_text(str(value))!r}{hint}", param, ctx)
        return path


def _markdown(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Every command spells Markdown the same two ways; ``md`` is short for it."""
    return "markdown" if value == "md" else value


INVENTORY = click.argument("inventory", type=_Inventory())
OPTIONAL_INVENTORY = click.argument("inventory", required=False, type=_Inventory())
PACK_DIR = click.option(
    "--pack-dir",
    "pack_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of your own queries in the pack format (repeatable).",
)
FRAMEWORK_DIR = click.option(
    "--framework-dir",
    "framework_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of your own frameworks and crosswalks, as data (repeatable).",
)
FRAMEWORK = click.option(
    "--framework",
    default=None,
    metavar="ID",
    help="Group the findings by this framework's requirements, directly or through the "
    "crosswalks (`graphgov frameworks` lists them).",
)
PARAM = click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable)."
)
OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of the terminal.",
)
INVENTORY_NAME = click.option(
    "--inventory-name",
    default=None,
    help="The inventory's name in a shared store (default: the folder's name).",
)


def _store_options(
    function: Callable[..., Any] | None = None, *, reading: bool = True
) -> Callable[..., Callable[..., Any]]:
    """--store and the Neo4j connection options (also read from NEO4J_* variables) and,
    for a command that reads (``reading``), --inventory: which inventory of a shared
    database to read. Bare (``@_store_options``) or ``@_store_options(reading=False)``;
    the return type fits both forms."""
    if function is None:
        return lambda f: _store_options(f, reading=reading)
    options = [
        click.option(
            "--store",
            type=click.Choice(sorted([*STORES, "neo4j"])),
            default="memory",
            show_default=True,
            help="The graph store: in memory, or a Neo4j server.",
        ),
        click.option(
            "--neo4j-uri",
            envvar="NEO4J_URI",
            metavar="URI",
            help="neo4j://, neo4j+s:// (Aura) or bolt:// URI [env NEO4J_URI].",
        ),
        click.option(
            "--neo4j-user",
            envvar="NEO4J_USERNAME",
            metavar="USER",
            help="[env NEO4J_USERNAME; default neo4j]",
        ),
        click.option(
            "--neo4j-password",
            envvar="NEO4J_PASSWORD",
            metavar="PASSWORD",
            help="Better given as NEO4J_PASSWORD; never printed.",
        ),
        click.option(
            "--neo4j-database",
            envvar="NEO4J_DATABASE",
            metavar="NAME",
            help="[env NEO4J_DATABASE; default: the server's default]",
        ),
    ]
    if reading:
        # the key's presence in the options tells _open_store that the command reads
        options.append(
            click.option(
                "--inventory",
                "inventory_scope",
                metavar="NAME",
                default=None,
                help="Neo4j: read only this inventory (with the catalogue); needed when "
                "the database holds several.",
            )
        )
    for option in reversed(options):
        function = option(function)
    return function


@contextmanager
def _open_store(
    store: str,
    options: dict[str, Any],
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[GraphStore]:
    target: GraphStore
    if store == "neo4j":
        # the driver is imported only by the commands that talk to Neo4j
        from contextlib import closing

        from graphgov.display import did_you_mean
        from graphgov.store.neo4j import Neo4jSettings, Neo4jStore

        settings = Neo4jSettings.from_env(
            uri=options.get("neo4j_uri"),
            user=options.get("neo4j_user"),
            password=options.get("neo4j_password"),
            database=options.get("neo4j_database"),
        )
        with closing(Neo4jStore(settings, batch_size=batch_size, progress=progress)) as server:
            # a command that reads gets one inventory, never several mixed
            reading = "inventory_scope" in options
            yield server.reading(options["inventory_scope"], did_you_mean) if reading else server
        return
    if options.get("inventory_scope") is not None:
        raise click.UsageError(
            "--inventory picks one inventory of a shared database: it needs --store neo4j"
        )
    target = STORES[store]()
    try:
        yield target
    finally:
        target.close()


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on a terminal for work of more than a moment; nothing otherwise."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


def _inventory_for(store: str, inventory: Path | None) -> None:
    if store == "memory" and inventory is None:
        raise click.UsageError("give an inventory folder (the in-memory store starts empty)")
    if store != "memory" and inventory is not None:
        raise click.UsageError(
            f"--store {store} reads what is already there; load the inventory first with "
            f"`graphgov load INVENTORY --store {store}`"
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
      graphgov check acme/             every check of the iso42001 pack
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
    _say(f"Wrote {len(written)} files to {path_text(directory)}.")
    _say(f"Next: graphgov validate {path_text(directory)}")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--size",
    default="S",
    show_default=True,
    metavar="S|M|L|N",
    help="S: about 1,000 records; M: 100,000; L: 1,000,000; or a number of AI systems.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="The random seed.")
@AS_OF
def generate(directory: Path, size: str, seed: int, as_of: date) -> None:
    """Write a generated organisation to try graphgov at your own scale: business units
    with their AI systems, models, datasets, risks, controls, evidence and assessments,
    a few percent with planted gaps. The same size, seed and --as-of give the same files.

    \b
    Example:
      graphgov generate --size M --seed 7 --as-of 2026-11-23 big/
      graphgov check big/ --as-of 2026-11-23
    """
    from graphgov.generate import generate as write_organisation

    try:
        made = write_organisation(directory, size.strip(), seed, as_of=as_of)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--size") from None
    planted = sum(made.gaps.values())
    _say(
        f"Wrote {sum(made.records.values()):,} records and {made.relationships:,} "
        f"relationships ({made.systems:,} AI systems in {made.units:,} business units, "
        f"{made.files:,} files) to {path_text(directory)}, with {plural(planted, 'planted gap')}."
    )
    _say(f"Next: graphgov check {path_text(directory)} --as-of {as_of.isoformat()}")


@cli.group()
def cache() -> None:
    """Where graphgov keeps what it validated, so a warm run re-reads only changed files.

    Set GRAPHGOV_CACHE_DIR to move it, GRAPHGOV_NO_CACHE=1 to turn it off.

    \b
    Example:
      graphgov cache path
      graphgov cache clear
    """


@cache.command("path")
def cache_path() -> None:
    """Print the cache's folder."""
    from graphgov import cache as kept

    _say(path_text(kept.cache_dir()) + ("" if kept.enabled() else " (turned off)"))


@cache.command("clear")
def cache_clear() -> None:
    """Remove every entry of the cache."""
    from graphgov import cache as kept
    from graphgov import history

    removed = kept.clear() + history.clear()  # the files' entries, and history's points
    entries = "entry" if removed == 1 else "entries"
    _say(f"Removed {removed:,} {entries} from {path_text(kept.cache_dir())}.")


@cli.command()
@INVENTORY
@click.option(
    "--shacl",
    is_flag=True,
    help="Check an RDF file (.ttl, .jsonld, .nt) against SHACL shapes generated from the "
    "ontology, with pySHACL, instead of reading an inventory.",
)
def validate(inventory: Path, shacl: bool) -> None:
    """Check an inventory folder against the ontology and report every problem at once.

    \b
    Example:
      graphgov validate acme/
      graphgov export acme/ --format turtle -o acme.ttl && graphgov validate --shacl acme.ttl
    """
    if shacl:
        from graphgov.shapes import check_shacl

        problems = check_shacl(inventory)
        if problems:
            raise InvalidInputError(problems)
        _say(f"{path_text(inventory)}: conforms to the ontology's SHACL shapes.")
        return
    batch = _read(inventory)
    _say(
        f"{path_text(inventory)}: valid: {len(batch.nodes)} records, "
        f"{len(batch.relationships)} relationships."
    )


@cli.command()
@INVENTORY
@_store_options(reading=False)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=None,
    help="Neo4j: commit in batches of this many rows (default: one transaction).",
)
@INVENTORY_NAME
def load(
    inventory: Path,
    store: str,
    batch_size: int | None,
    inventory_name: str | None,
    **options: Any,
) -> None:
    """Load an inventory folder (with the ISO/IEC 42001 catalogue) into a graph store and
    print the number of nodes per label and relationships per type.

    With --store neo4j, loading an inventory again replaces what it held before; other
    inventories in the same database are never touched.

    \b
    Example:
      graphgov load acme/
      graphgov load acme/ --store neo4j
    """
    batch = _read(inventory, inventory_name)
    size = len(batch.nodes) + len(batch.relationships)
    with (
        _progress(size, "Loading") as progress,
        _open_store(store, options, batch_size, progress) as target,
    ):
        pipeline.add(batch, target)
        _say(counts_text(target.counts()))


@cli.command()
@INVENTORY
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["cypher", "neo4j-admin", *RDF_FORMATS, *GRAPH_FILES, "xlsx"]),
    required=True,
    help="A Cypher script or CSV files for neo4j-admin database import (with the "
    "catalogue); RDF (turtle, json-ld, nt) in the ontology's terms; a graph file for "
    "Gephi, yEd or Cytoscape (graphml, gexf); an Excel register (xlsx), a sheet per "
    "kind, which reads back as the same graph.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="The file written, or the folder for the CSV files (neo4j-admin).",
)
@INVENTORY_NAME
def export(inventory: Path, fmt: str, output: Path, inventory_name: str | None) -> None:
    """Export an inventory: for Neo4j's own tools (with the catalogue), as RDF aligned
    with PROV-O, DPV and AIRO, which reads back as the same graph, or as a graph file.

    \b
    Example:
      graphgov export acme/ --format cypher -o acme.cypher
      graphgov export acme/ --format neo4j-admin -o import/
      graphgov export acme/ --format turtle -o acme.ttl
      graphgov export acme/ --format graphml -o acme.graphml
      graphgov export acme/ --format xlsx -o acme.xlsx
    """
    batch = _read(inventory, inventory_name)
    known = pipeline.catalogue().nodes  # the catalogue nodes it refers to, named
    if fmt == "xlsx":
        from graphgov.register import STAMP, register_workbook  # openpyxl: only when asked

        write_file(output, workbook_bytes(register_workbook(batch), STAMP))
        back = "" if output.suffix.lower() == ".xlsx" else "; name it *.xlsx to read it back"
        _say(f"Wrote {path_text(output)}{back}.")
        return
    if fmt in RDF_FORMATS:
        write_file(output, rdf_text(batch, fmt, known=known))
        suffix = next(s for s, f in RDF_SUFFIXES.items() if f == fmt)
        back = "" if output.suffix == suffix else f"; name it *{suffix} to read it back"
        _say(f"Wrote {path_text(output)}{back}.")
        return
    if fmt in GRAPH_FILES:
        write_file(output, GRAPH_FILES[fmt](batch, known=known))
        _say(f"Wrote {path_text(output)}.")
        return
    catalogue = pipeline.catalogue()
    batches = [
        (catalogue, Tag(catalogue.origin, run_digest(catalogue))),
        (batch, Tag(batch.origin, run_digest(batch))),
    ]
    if fmt == "cypher":
        write_file(output, cypher_script(load_schema(), batches))
        _say(f"Wrote {path_text(output)}; load it with: cypher-shell -f {path_text(output)}")
        return
    files = admin_import_files(load_schema(), batches)
    write_files(output, files)
    _say(
        f"Wrote {len(files)} files to {path_text(output)}; the import command is in "
        f"{path_text(output / 'import-command.txt')}"
    )


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx"]),
    default="xlsx",
    show_default=True,
    help="An Excel workbook (xlsx).",
)
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True, help="The file written."
)
def template(fmt: str, output: Path) -> None:
    """Write a blank register to fill in: a sheet per kind of record, generated from the
    ontology (required columns marked, closed lists as drop-downs), with the Annex A
    controls listed on the decisions sheet, ready for their decisions. Put it in an
    inventory folder once filled in.

    \b
    Example:
      graphgov template --format xlsx -o register.xlsx
    """
    from graphgov.register import STAMP, template_workbook  # openpyxl: only when asked

    if output.exists() and output.is_file():
        # a register being filled in must never be replaced by a blank one by mistake
        raise click.UsageError(
            f"{path_text(output)} exists: a template is blank, so write it to a new file "
            "(or remove the old one first)"
        )
    write_file(output, workbook_bytes(template_workbook(pipeline.catalogue().nodes), STAMP))
    back = "" if output.suffix.lower() == ".xlsx" else " (name it *.xlsx to read it back)"
    _say(f"Wrote {path_text(output)}{back}; fill it in, then: graphgov validate FOLDER")


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "md", "json"]),
    callback=_markdown,
    default="text",
    show_default=True,
    help="Text for a terminal, Markdown tables or JSON.",
)
def schema(fmt: str) -> None:
    """Print the node labels, relationship types and properties, read from the ontology.

    \b
    Example:
      graphgov schema --format json > schema.json
    """
    if fmt == "json":
        _say(json.dumps(schema_json(load_schema()), indent=2))
    elif fmt == "markdown":
        _say(schema_markdown(load_schema()), nl=False)
    else:
        _say(schema_text(load_schema()), nl=False)


@cli.command()
@AS_OF
def demo(as_of: date) -> None:
    """Load the example organisation (Acme Lending) into memory and summarise it.

    \b
    Example:
      graphgov demo --as-of 2026-11-23
    """
    with examples.folder("acme") as folder, _governed(folder, "memory", {}, as_of) as governed:
        found = governed.findings()
    _say(overview_text(governed.store, as_of))
    _say("")
    _say(findings_summary(found, len(checks(builtin_packs()))))
    _say("")
    counts, catalogue = governed.store.counts(), pipeline.catalogue()
    records = counts.nodes - len(catalogue.nodes)
    links = counts.edges - len(catalogue.relationships)
    _say(
        f"Loaded {records} records and {links} relationships; "
        f"with the ISO/IEC 42001 catalogue the graph has {counts.nodes} nodes and "
        f"{counts.edges} relationships."
    )
    _say("Edit your own copy: graphgov init --example acme/ && graphgov check acme/")


def _packs(pack_dirs: tuple[Path, ...], names: tuple[str, ...] = ()) -> list[Pack]:
    packs = builtin_packs() + [read_pack(folder) for folder in pack_dirs]
    if names:
        known = {p.name for p in packs}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise click.BadParameter(
                f"unknown pack {', '.join(unknown)} (known: {', '.join(sorted(known))})",
                param_hint="--pack",
            )
        packs = [p for p in packs if p.name in names]
    return packs


def _params(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param_hint="--param")
        out[name.strip()] = value.strip()
    return out


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        _say(text, nl=False)
    else:
        write_file(output, text)


@cli.command()
@OPTIONAL_INVENTORY
@_store_options
@PACK_DIR
@click.option("--pack", "pack_names", multiple=True, help="Run only this pack (repeatable).")
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "never"]),
    default="low",
    show_default=True,
    help="Exit 1 when a finding is at least this severe (with --baseline: a new finding).",
)
@click.option(
    "--baseline",
    metavar="OLD",
    help="Compare with the findings of OLD, a folder or REV:PATH (e.g. main:acme/): each "
    "finding is marked new or unchanged, resolved ones are listed, and --fail-on judges "
    "only the new ones.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted([*FINDINGS, "md"])),
    callback=_markdown,
    default="table",
    show_default=True,
    help="How to write the findings.",
)
@FRAMEWORK
@FRAMEWORK_DIR
@OUTPUT
@PARAM
@AS_OF
@click.pass_context
def check(
    ctx: click.Context,
    /,
    inventory: Path | None,
    store: str,
    pack_dirs: tuple[Path, ...],
    pack_names: tuple[str, ...],
    fail_on: str,
    baseline: str | None,
    fmt: str,
    framework: str | None,
    framework_dirs: tuple[Path, ...],
    output: Path | None,
    params: tuple[str, ...],
    as_of: date,
    **options: Any,
) -> None:
    """Run every check of the query packs on an inventory and report the findings.

    Exit 0 when no finding reaches --fail-on, 1 when some do, 2 on usage errors. With
    --store neo4j the checks read what is in the database, read-only. With --baseline,
    only findings that are new since OLD count for --fail-on.

    \b
    Example:
      graphgov check acme/
      graphgov check acme/ --fail-on high --format sarif -o graphgov.sarif
      graphgov check acme/ --baseline main:acme/ --fail-on high
      graphgov check acme/ --framework eu-ai-act
      graphgov check --store neo4j
    """
    if framework is not None:
        _known_framework(load_frameworks(framework_dirs), framework, "--framework")
    _packs(pack_dirs, pack_names)  # an unknown pack is a usage error, said as one
    with _governed(inventory, store, options, as_of, framework_dirs, pack_dirs) as g:
        run = g.check_run(pack_names, (), _params(params), framework, baseline)
    if run.baseline is not None:
        for note in run.baseline.skipped:
            _say(f"graphgov: note: {run.baseline.shown}: {note}", err=True)
    found = run.findings
    _emit(FINDINGS[fmt](run), output)
    if output is not None:
        ran = [r for r in run.results if r.query.definition.kind == "check"]
        against = run.baseline_summary()
        _say(
            f"{plural(len(found), 'finding')} from {plural(len(ran), 'check')}"
            f"{f' ({against})' if against else ''} written to {path_text(output)}.",
            err=True,
        )
    failing = fail_on != "never" and any(f.at_least(fail_on) for f in run.gated)
    ctx.exit(EXIT_INVALID if failing else 0)


@cli.group()
def query() -> None:
    """List, show and run the queries of the packs.

    \b
    Example:
      graphgov query list
      graphgov query show iso42001/high-risk-without-human-oversight
      graphgov query run iso42001/supplier-blast-radius acme/ --param supplier=openai
    """


@query.command("list")
@PACK_DIR
def query_list(pack_dirs: tuple[Path, ...]) -> None:
    """List the packs and their queries, with the question each answers.

    \b
    Example:
      graphgov query list
    """
    for pack in _packs(pack_dirs):
        _say(f"{pack.name} ({len(pack.queries)} queries)")
        for q in sorted(pack.queries, key=lambda q: (q.definition.kind, q.definition.id)):
            d = q.definition
            kind = f"check, {d.severity}" if d.kind == "check" else "exploration"
            _say(f"  {q.ref}  [{kind}]")
            _say(f"      {d.question}")


@query.command("show")
@click.argument("ref")
@PACK_DIR
def query_show(ref: str, pack_dirs: tuple[Path, ...]) -> None:
    """Show a query's metadata and its Cypher (paste it into Neo4j Browser).

    \b
    Example:
      graphgov query show iso42001/high-risk-without-human-oversight
    """
    q = find(_packs(pack_dirs), ref)
    d = q.definition
    _say(f"{q.ref}: {d.title}")
    _say(f"Question:   {d.question}")
    _say(f"Kind:       {d.kind}" + (f", severity {d.severity}" if d.severity else ""))
    known = load_frameworks()
    references = known.references(q.direct_references)
    direct = [r for r in references if r.relationship is None]
    reached = [r for r in references if r.relationship is not None]
    _say(f"Evidences: {known.describe(direct) or 'none'}")
    if reached:
        _say(f"Through the crosswalks: {known.describe(reached)}")
    for p in d.parameters:
        default = f" (default: {p.default})" if p.default is not None else " (required)"
        _say(f"Parameter:  ${p.name}: {p.type}{default}: {p.description}")
    _say(f"Columns:    {', '.join(d.columns)}")
    if d.remediation:
        _say(f"Remediation: {d.remediation}")
    _say("")
    _say(q.cypher, nl=False)


# the formats of a query's rows, for every command that prints rows
ROWS_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted([*ROWS, "md"])),
    callback=_markdown,
    default="table",
    show_default=True,
    help="How to write the rows.",
)


@query.command("run")
@click.argument("ref")
@OPTIONAL_INVENTORY
@_store_options
@PACK_DIR
@PARAM
@ROWS_FORMAT
@OUTPUT
@AS_OF
def query_run(
    ref: str,
    inventory: Path | None,
    store: str,
    pack_dirs: tuple[Path, ...],
    params: tuple[str, ...],
    fmt: str,
    output: Path | None,
    as_of: date,
    **options: Any,
) -> None:
    """Run one query on an inventory (or on what is in Neo4j) and print its rows.

    \b
    Example:
      graphgov query run iso42001/supplier-blast-radius acme/ --param supplier=openai
      graphgov query run iso42001/aims-scope --store neo4j
    """
    with _governed(inventory, store, options, as_of, pack_dirs=pack_dirs) as governed:
        rows = governed.run(ref, **_params(params))
    _emit(ROWS[fmt](rows), output)


@query.command("cypher")
@click.argument("inventory", required=False)
@click.argument("text", required=False)
@click.option(
    "-f",
    "--file",
    "cypher_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the Cypher text from this file.",
)
@_store_options
@PARAM
@ROWS_FORMAT
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    help="Stop the query after this many seconds.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="Show at most this many rows (a note says when rows were cut).",
)
@OUTPUT
@AS_OF
def query_cypher(
    inventory: str | None,
    text: str | None,
    cypher_file: Path | None,
    store: str,
    params: tuple[str, ...],
    fmt: str,
    timeout: float,
    limit: int,
    output: Path | None,
    as_of: date,
    **options: Any,
) -> None:
    """Run a read-only Cypher query of your own on an inventory (or on what is in Neo4j),
    with $parameters from --param (numbers, true/false and YYYY-MM-DD dates are typed;
    $as_of and the ontology's vocabularies such as $high_risk_tiers are given).

    \b
    Example:
      graphgov query cypher acme/ "MATCH (s:AISystem)-[:USES_MODEL]->(m:Model)
        RETURN m.name AS model, count(s) AS users ORDER BY users DESC"
      graphgov query cypher acme/ -f question.cypher --param tier=high --format csv
    """
    if store != "memory" and text is None and cypher_file is None:
        inventory, text = None, inventory  # with Neo4j the only argument is the query
    if cypher_file is not None:
        if text is not None:
            raise click.UsageError("give the query as TEXT or with -f FILE, not both")
        text = cypher_file.read_text(encoding="utf-8")
    if not text:
        raise click.UsageError("give the Cypher text, or -f FILE")
    folder = _Inventory().convert(inventory, None, None) if inventory is not None else None
    with _governed(folder, store, options, as_of) as governed:
        rows = governed.query(text, typed(_params(params)), timeout=timeout, limit=limit)
    _emit(ROWS[fmt](rows), output)
    if rows.truncated:
        _say(f"Only the first {plural(limit, 'row')} are shown; raise --limit for more.", err=True)


# -- auditor and architect outputs --------------------------------------------------------


@contextmanager
def _governed(
    inventory: Path | None,
    store: str,
    options: dict[str, Any],
    as_of: date,
    framework_dirs: tuple[Path, ...] = (),
    pack_dirs: tuple[Path, ...] = (),
) -> Iterator[Governance]:
    """The graph (an inventory in memory, or what is in Neo4j) as the Python API sees
    it, so every auditor's view the CLI writes is the one ``graphgov.open`` gives."""
    from graphgov.api import Governance

    _inventory_for(store, inventory)
    with _open_store(store, options) as target:
        if inventory is not None:
            _load(inventory, target)
        yield Governance(
            target,
            as_of=as_of,
            inventory=inventory,
            pack_dirs=pack_dirs,
            framework_dirs=framework_dirs,
        )


def _subtitle(target: GraphStore, inventory: Path | None, as_of: date) -> str:
    org = next(target.nodes("Organization"), None)
    parts = [
        org.name if org else "",
        f"inventory {inventory}" if inventory else "",
        f"as of {as_of.isoformat()}",
    ]
    return " · ".join(p for p in parts if p)


def _write(text: str | bytes, output: Path | None, web: bool = False) -> None:
    """Write an output to ``output``, or to standard output; a workbook never goes to
    standard output, and a web page not to a terminal, where it would be unreadable."""
    if isinstance(text, bytes):
        if output is None:
            raise click.UsageError("this format is binary: give -o FILE")
        write_file(output, text)
    elif web and output is None and sys.stdout.isatty():
        raise click.UsageError("this is a web page: give -o FILE.html, or pipe it elsewhere")
    else:
        _emit(text, output)
    if output is not None:
        _say(f"Wrote {path_text(output)}.", err=True)


def _shown(inventory: Path | None) -> str:
    """The inventory's path as every output shows it before a source file."""
    return path_text(inventory) if inventory is not None else ""


@cli.command()
@OPTIONAL_INVENTORY
@_store_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "md", "xlsx", "html", "csv"]),
    callback=_markdown,
    default="markdown",
    show_default=True,
    help="Markdown, an Excel workbook, a web page or CSV.",
)
@OUTPUT
@AS_OF
def soa(
    inventory: Path | None, store: str, fmt: str, output: Path | None, as_of: date, **options: Any
) -> None:
    """The Statement of Applicability: every Annex A control, applicable or excluded,
    with justification, implementation, evidence, systems covered and open findings.

    \b
    Example:
      graphgov soa acme/ --format xlsx -o soa.xlsx
    """
    with _governed(inventory, store, options, as_of) as g:
        target, rows = g.store, g.soa()
        if fmt == "xlsx":
            _write(soa_xlsx(rows, as_of), output)
        elif fmt == "csv":
            _write(soa_csv(rows), output)
        elif fmt == "html":
            _write(
                page(
                    "Statement of Applicability",
                    _subtitle(target, inventory, as_of),
                    ["soa"],
                    soa=rows,
                ),
                output,
                web=True,
            )
        else:
            _write(soa_markdown(rows, as_of), output)


@cli.command()
@OPTIONAL_INVENTORY
@_store_options
@OUTPUT
@AS_OF
def gaps(
    inventory: Path | None, store: str, output: Path | None, as_of: date, **options: Any
) -> None:
    """Gap analysis and a prioritised, phased roadmap (Markdown).

    \b
    Example:
      graphgov gaps acme/ -o roadmap.md
    """
    with _governed(inventory, store, options, as_of) as g:
        all_gaps, phases = g.gaps(), g.roadmap()
        _write(roadmap_markdown(all_gaps, phases, as_of, inventory=_shown(inventory)), output)


@cli.command()
@OPTIONAL_INVENTORY
@_store_options
@OUTPUT
@AS_OF
def coverage(
    inventory: Path | None, store: str, output: Path | None, as_of: date, **options: Any
) -> None:
    """In-scope AI systems against Annex A controls: implemented, partial, planned,
    missing or not applicable (a web page).

    \b
    Example:
      graphgov coverage acme/ -o coverage.html
    """
    with _governed(inventory, store, options, as_of) as g:
        _write(
            page(
                "Annex A coverage",
                _subtitle(g.store, inventory, as_of),
                ["coverage"],
                coverage=g.coverage(),
            ),
            output,
            web=True,
        )


@cli.command()
@click.argument(
    "inventory",
    required=False,
    type=_Inventory("; the inventory comes before the id: graphgov trace INVENTORY NODE_ID"),
)
@click.argument("node_id")
@_store_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
    help="Text, JSON, or a focused graph view.",
)
@click.option(
    "--depth",
    type=click.IntRange(1, 10),
    default=2,
    show_default=True,
    help="How far the html view reaches.",
)
@OUTPUT
@AS_OF
def trace(
    inventory: Path | None,
    node_id: str,
    store: str,
    fmt: str,
    depth: int,
    output: Path | None,
    as_of: date,
    **options: Any,
) -> None:
    """Everything upstream and downstream of a node, by relationship type, each node
    with its source file and line.

    \b
    Example:
      graphgov trace acme/ credit-scoring
    """
    with _governed(inventory, store, options, as_of) as g:
        target, found = g.store, g.findings()
        named_node(target, node_id, where="NODE_ID")
        result = g.trace(node_id)
        if fmt == "json":
            _write(trace_json(result, inventory=_shown(inventory)), output)
        elif fmt == "html":
            graph = view(
                target,
                "scope",
                found,
                focus=node_id,
                depth=depth,
                as_of=as_of,
                inventory=_shown(inventory),
            )
            _write(
                page(
                    f"Trace of {result.node.name}",
                    _subtitle(target, inventory, as_of),
                    ["graph"],
                    graph=graph,
                ),
                output,
                web=True,
            )
        else:
            _write(trace_text(result, inventory=_shown(inventory)), output)


@cli.command()
@OPTIONAL_INVENTORY
@_store_options
@click.option(
    "--view",
    "name",
    type=click.Choice(VIEWS),
    default="scope",
    show_default=True,
    help="scope, coverage, supplier (needs --supplier) or lineage.",
)
@click.option("--supplier", default=None, help="The supplier of the supplier view.")
@click.option("--focus", default=None, help="Show only what lies near this node id.")
@click.option(
    "--depth",
    type=click.IntRange(1, 10),
    default=2,
    show_default=True,
    help="How far --focus reaches.",
)
@OUTPUT
@AS_OF
def viz(
    inventory: Path | None,
    store: str,
    name: str,
    supplier: str | None,
    focus: str | None,
    depth: int,
    output: Path | None,
    as_of: date,
    **options: Any,
) -> None:
    """An interactive graph view (a self-contained web page built with pyvis).

    \b
    Example:
      graphgov viz acme/ --view scope -o scope.html
      graphgov viz acme/ --view supplier --supplier openai -o openai.html
    """
    with _governed(inventory, store, options, as_of) as g:
        target, found = g.store, g.findings()
        if focus is not None:
            named_node(target, focus, where="--focus")
        if supplier is not None:
            named_node(target, supplier, ["Supplier"], where="--supplier")
        try:
            graph = view(
                target,
                name,
                found,
                supplier=supplier,
                focus=focus,
                depth=depth,
                as_of=as_of,
                inventory=_shown(inventory),
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        _write(
            page(graph.title, _subtitle(target, inventory, as_of), ["graph"], graph=graph),
            output,
            web=True,
        )


@cli.command()
@OPTIONAL_INVENTORY
@_store_options
@OUTPUT
@AS_OF
def report(
    inventory: Path | None, store: str, output: Path | None, as_of: date, **options: Any
) -> None:
    """One self-contained page: summary, findings by severity, roadmap, Statement of
    Applicability, coverage and the graph of the AI ecosystem. Prints cleanly to PDF.

    \b
    Example:
      graphgov report acme/ -o report.html
    """
    with _governed(inventory, store, options, as_of) as g:
        target, found = g.store, g.findings()
        counts = target.counts().labels
        all_gaps = g.gaps()
        systems = system_counts(target.nodes("AISystem"))
        summary = [
            ("AI systems", systems.systems),
            ("in scope", systems.in_scope),
            ("high risk (in scope)", systems.high_risk),
            ("controls", counts.get("Control", 0)),
            ("findings", len(found)),
            ("high or critical", sum(1 for f in found if f.at_least("high"))),
            ("gaps", len(all_gaps)),
        ]
        _write(
            page(
                f"AI governance report ({load_frameworks().home.name})",
                _subtitle(target, inventory, as_of),
                ["summary", "findings", "roadmap", "soa", "coverage", "graph"],
                summary=summary,
                findings=found,
                where=finding_place(str(inventory or "")),
                phases=g.roadmap(),
                soa=g.soa(),
                coverage=g.coverage(),
                graph=view(target, "scope", found, as_of=as_of, inventory=_shown(inventory)),
            ),
            output,
            web=True,
        )


# -- frameworks -----------------------------------------------------------------------------


def _known_framework(known: Frameworks, name: str, hint: str) -> None:
    if name not in known.frameworks:
        raise click.BadParameter(
            f"no framework {name!r}{did_you_mean(name, known.frameworks)}; "
            f"known: {', '.join(sorted(known.frameworks))}",
            param_hint=hint,
        )


@cli.command("frameworks")
@FRAMEWORK_DIR
def frameworks_command(framework_dirs: tuple[Path, ...]) -> None:
    """List the frameworks graphgov knows, with their requirements and crosswalks.

    \b
    Example:
      graphgov frameworks
      graphgov frameworks --framework-dir our-policies/
    """
    known = load_frameworks(framework_dirs)
    rows = []
    for framework in sorted(known.frameworks.values(), key=lambda f: f.id):
        ends = (f"{framework.id}:",)
        mapped = sum(
            1 for m in known.mappings if m.source.startswith(ends) or m.target.startswith(ends)
        )
        rows.append(
            (framework.id, framework.name, framework.version, len(framework.requirements), mapped)
        )
    _say(table(("id", "name", "version", "requirements", "mappings"), rows, (14, 24, 8, 12, 8)))
    walks = sorted({m.crosswalk for m in known.mappings})
    _say(f"\n{plural(len(walks), 'crosswalk')}: " + (", ".join(walks) or "none"))


@cli.command("posture")
@OPTIONAL_INVENTORY
@_store_options
@click.option(
    "--framework",
    required=True,
    metavar="ID",
    help="The framework to judge against (`graphgov frameworks` lists them).",
)
@FRAMEWORK_DIR
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*POSTURE_FORMATS, "md"]),
    callback=_markdown,
    default="markdown",
    show_default=True,
    help="Markdown, CSV, JSON, an Excel workbook or a web page.",
)
@OUTPUT
@AS_OF
def posture_command(
    inventory: Path | None,
    store: str,
    framework: str,
    framework_dirs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    as_of: date,
    **options: Any,
) -> None:
    """Per in-scope AI system and per obligation of a framework: does it apply (and
    why), and is it met, partly met, not met or unknown (and why), followed through the
    crosswalk to ISO/IEC 42001 controls, coverage and findings. A system whose role or
    tier is not recorded is "cannot tell", never compliant.

    \b
    Example:
      graphgov posture acme/ --framework eu-ai-act -o act.xlsx
      graphgov posture acme/ --framework nist-ai-rmf --format md
    """
    _known_framework(load_frameworks(framework_dirs), framework, "--framework")
    with _governed(inventory, store, options, as_of, framework_dirs) as g:
        judged = g.posture(framework)
        if fmt == "html":
            _write(posture_html(judged, _subtitle(g.store, inventory, as_of)), output, web=True)
        else:
            _write(POSTURE_FORMATS[fmt](judged), output)


@cli.command("crosswalk")
@click.argument("source")
@click.argument("target")
@FRAMEWORK_DIR
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*CROSSWALK_FORMATS, "md"]),
    callback=_markdown,
    default="markdown",
    show_default=True,
    help="CSV, Markdown, JSON, or SSSOM's TSV.",
)
@OUTPUT
def crosswalk_command(
    source: str,
    target: str,
    framework_dirs: tuple[Path, ...],
    fmt: str,
    output: Path | None,
) -> None:
    """The mappings between two frameworks, each with its OLIR relationship (equal,
    subset-of, superset-of, intersects-with, no-relationship) and its rationale.

    \b
    Example:
      graphgov crosswalk iso42001 eu-ai-act --format csv -o act.csv
    """
    known = load_frameworks(framework_dirs)
    _known_framework(known, source, "SOURCE")
    _known_framework(known, target, "TARGET")
    _write(CROSSWALK_FORMATS[fmt](crosswalk(known, source, target)), output)


@cli.command("upcoming")
@OPTIONAL_INVENTORY
@_store_options
@PACK_DIR
@click.option("--pack", "pack_names", multiple=True, help="Watch only this pack (repeatable).")
@click.option(
    "--within",
    default="90d",
    show_default=True,
    metavar="N[d|w|m]",
    help="How far ahead to look: days, weeks or calendar months after --as-of.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*UPCOMING_FORMATS, "md"]),
    callback=_markdown,
    default="table",
    show_default=True,
    help="How to write what falls due; ics is an iCalendar file, one event per item.",
)
@OUTPUT
@AS_OF
def upcoming_command(
    inventory: Path | None,
    store: str,
    pack_dirs: tuple[Path, ...],
    pack_names: tuple[str, ...],
    within: str,
    fmt: str,
    output: Path | None,
    as_of: date,
    **options: Any,
) -> None:
    """What will lapse between --as-of and the horizon: evidence expiring, impact
    assessments and the AI policy falling due for review, suppliers due for
    reassessment, and whatever else a check judges by the day, each with its due date
    and source line, by date. The rules are the checks' own: an item is what `graphgov
    check --as-of` starts to report the day after its due date. What has already lapsed
    is for `graphgov check`.

    \b
    Example:
      graphgov upcoming acme/ --within 90d
      graphgov upcoming acme/ --within 12m --format ics -o audit.ics
    """
    from graphgov.upcoming import horizon, upcoming

    try:
        until = horizon(as_of, within)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--within") from None
    packs = _packs(pack_dirs, pack_names)
    with _governed(inventory, store, options, as_of, (), pack_dirs) as g:
        due = upcoming(g.store, checks(packs), as_of, until, g.frameworks)
    rendered = UPCOMING_FORMATS[fmt](due, _shown(inventory))
    if isinstance(rendered, bytes) and output is None:
        # a calendar is text with CRLF line ends, its controls already made visible
        click.echo(rendered, nl=False)
    else:
        _write(rendered, output)


# -- two versions: diff -------------------------------------------------------------------


@cli.command("diff")
@click.argument("old")
@click.argument("new")
@PACK_DIR
@click.option("--pack", "pack_names", multiple=True, help="Run only this pack (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*DIFF_FORMATS, "md"]),
    callback=_markdown,
    default="text",
    show_default=True,
    help="Text for a terminal, Markdown for a pull-request comment, or JSON.",
)
@click.option(
    "--fail-on",
    type=click.Choice([*SEVERITIES, "never"]),
    default="never",
    show_default=True,
    help="Exit 1 when NEW introduces a finding at least this severe.",
)
@click.option(
    "--framework",
    default=None,
    metavar="ID",
    help="Compare only the findings bearing on this framework (`graphgov frameworks`).",
)
@FRAMEWORK_DIR
@OUTPUT
@PARAM
@AS_OF
@click.pass_context
def diff_command(
    ctx: click.Context,
    /,
    old: str,
    new: str,
    pack_dirs: tuple[Path, ...],
    pack_names: tuple[str, ...],
    fmt: str,
    fail_on: str,
    framework: str | None,
    framework_dirs: tuple[Path, ...],
    output: Path | None,
    params: tuple[str, ...],
    as_of: date,
) -> None:
    """What NEW changes from OLD: records added, removed, changed (field by field) and
    moved, relationships, findings introduced, resolved and unchanged, Statement of
    Applicability rows and gaps, and AI systems whose risk tier, role or scope changed.
    OLD and NEW are folders, or REV:PATH read from git (PATH from the current folder)
    without touching the work tree. Both are judged on --as-of with the same checks.

    Exit 0 (a diff is information) unless --fail-on is given and NEW introduces a
    finding at least that severe (1); 2 when OLD or NEW is not a valid inventory, and on
    usage errors (an unknown revision, a path not in it).

    \b
    Example:
      graphgov diff main:acme/ acme/
      graphgov diff v2026.1:acme/ v2026.2:acme/ --format markdown -o pr-comment.md
      graphgov diff main:acme/ acme/ --fail-on high
    """
    if framework is not None:
        _known_framework(load_frameworks(framework_dirs), framework, "--framework")
    _packs(pack_dirs, pack_names)  # an unknown pack is a usage error, said as one
    judged = (pack_dirs, pack_names, _params(params), framework, framework_dirs, as_of)
    sides = [_diff_side(which, spec, *judged) for which, spec in (("OLD", old), ("NEW", new))]
    invalid = [s for s in sides if isinstance(s, InvalidInputError)]
    if invalid:
        _say(f"{plural(len(invalid), 'version')} not valid; nothing was compared.", err=True)
        ctx.exit(EXIT_USAGE)  # as for check: 1 means a finding introduced
    before, after = (s for s in sides if not isinstance(s, InvalidInputError))
    result = diff(before, after)
    _write(DIFF_FORMATS[fmt](result), output)
    failing = fail_on != "never" and any(f.at_least(fail_on) for f in result.introduced)
    ctx.exit(EXIT_INVALID if failing else 0)


def _diff_side(
    which: str,
    spec: str,
    pack_dirs: tuple[Path, ...],
    pack_names: tuple[str, ...],
    params: dict[str, str],
    framework: str | None,
    framework_dirs: tuple[Path, ...],
    as_of: date,
) -> Side | InvalidInputError:
    """One version read and judged as ``check`` and the auditors' views judge an
    inventory; an invalid one is said here, with every problem under the version's own
    name, and returned as its error so the other version is read and said too."""
    from graphgov.api import open_version
    from graphgov.versions import checkout

    with checkout(spec) as version:
        try:
            batch, g = open_version(
                version, as_of=as_of, pack_dirs=pack_dirs, framework_dirs=framework_dirs
            )
        except InvalidInputError as exc:
            _say(f"{which} {version.shown}: {exc}:", err=True)
            for problem in exc.problems:
                _say(f"  {problem}", err=True)
            return exc
        run = g.check_run(pack_names, (), params, framework)
        return Side(version.shown, as_of, batch, run.findings, tuple(g.soa()), tuple(g.gaps()))


def _since(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    return None if value is None else _as_of(_ctx, _param, value)


@cli.command("history")
@INVENTORY
@PACK_DIR
@click.option("--pack", "pack_names", multiple=True, help="Run only this pack (repeatable).")
@click.option(
    "--since",
    metavar="YYYY-MM-DD",
    callback=_since,
    help="Only commits made on or after this day (default: every commit).",
)
@click.option(
    "--max",
    "limit",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="At most this many commits, the newest.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(HISTORY_FORMATS)),
    default="html",
    show_default=True,
    help="A page with a chart, or the series as CSV or JSON.",
)
@OUTPUT
def history_command(
    inventory: Path,
    pack_dirs: tuple[Path, ...],
    pack_names: tuple[str, ...],
    since: date | None,
    limit: int,
    fmt: str,
    output: Path | None,
) -> None:
    """Open findings by severity at each commit that touched INVENTORY in its git
    repository, each commit judged as of its own date (what `graphgov check --as-of`
    would have said that day); a commit where the inventory was invalid or absent is a
    point marked so. Each commit's result is cached: a re-run judges only new commits.

    \b
    Example:
      graphgov history acme/ --since 2026-01-01 -o posture.html
      graphgov history acme/ --max 20 --format csv
    """
    from graphgov.history import history

    packs = _packs(pack_dirs, pack_names)
    series = history(inventory, since, checks(packs), limit, load_frameworks())
    _write(HISTORY_FORMATS[fmt](series), output, web=fmt == "html")
    cached = len(series.points) - len(series.computed)
    _say(
        f"{plural(len(series.points), 'commit')} judged ({cached} from the cache).",
        err=True,
    )


def main() -> None:
    # The Neo4j driver logs connection failures itself; graphgov reports them in one line.
    neo4j_log = logging.getLogger("neo4j")
    neo4j_log.addHandler(logging.NullHandler())
    neo4j_log.propagate = False
    cli(prog_name="graphgov")
