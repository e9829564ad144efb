# %% [markdown]
# # Asking graphgov questions from Python
#
# Three questions an analyst asks of the example organisation, Acme Lending, each
# answered end to end with graphgov's Python API (`graphgov.open`): one in Cypher, one
# with networkx and a pack query, one with the EU AI Act posture. Run it as a script
# (`python docs/analyst-example.py`) or cell by cell in an editor that reads `# %%`
# cells (VS Code, PyCharm, Jupytext). It writes the example to `./acme` when that folder
# is not there yet, as `graphgov init --example acme/` would.

# %%
from pathlib import Path

import graphgov
from graphgov import examples
from graphgov.posture import PARTLY
from graphgov.summary import high_risk

inventory = Path("acme")
if not inventory.exists():
    examples.write("acme", inventory)

# Validated and loaded by the same rules as the command line; everything that depends
# on a date is judged on this one, so the answers do not change from day to day.
g = graphgov.open(inventory, as_of="2026-11-23")
print(g)

# %% [markdown]
# ## 1. Which data sets feed more than one high-risk system?
#
# A data set shared by several high-risk systems is a single point of failure: a
# quality or provenance problem in it reaches all of them. It may feed a system
# directly, through the training data of the system's model, or through the data sets
# it was derived from. `$high_risk_tiers` is the ontology's own list of high-risk tiers,
# given to every query, so no query spells it.

# %%
shared = g.query(
    """
    MATCH (s:AISystem)-[:USES_DATASET|USES_MODEL|TRAINED_ON|DERIVED_FROM*1..6]->(d:Dataset)
    WHERE s.in_scope AND s.risk_tier IN $high_risk_tiers
    WITH d, collect(DISTINCT s.id) AS systems
    WHERE size(systems) > 1
    RETURN d.id AS dataset, d.name AS name, d.contains_personal_data AS personal,
           systems
    ORDER BY size(systems) DESC, dataset
    """
)
print("Q1: data sets feeding more than one high-risk system")
for row in shared:
    personal = ", personal data" if row["personal"] else ""
    systems = ", ".join(sorted(row["systems"]))
    print(f"  {row['dataset']} ({row['name']}{personal}): {systems}")
if not shared:
    print("  none")

# %% [markdown]
# ## 2. Which suppliers' failure would hit the most high-risk systems?
#
# The networkx graph lists the suppliers; the pack's `supplier-blast-radius`
# exploration says what depends on each, through models, data sets and other systems;
# `summary.high_risk` is the one definition of "high risk" every report counts by (in
# scope, with a high-risk tier).

# %%
graph = g.networkx
suppliers = sorted(
    node_id for node_id, data in graph.nodes(data=True) if data["node"].label == "Supplier"
)
reach = []
for supplier in suppliers:
    hit = g.run("iso42001/supplier-blast-radius", supplier=supplier)
    systems = sorted(
        row["id"]
        for row in hit
        if row["label"] == "AISystem" and high_risk(graph.nodes[row["id"]]["node"])
    )
    reach.append((len(systems), len(hit), supplier, systems))
reach.sort(key=lambda r: (-r[0], -r[1], r[2]))

print("Q2: suppliers by the high-risk systems their failure would hit")
for count, everything, supplier, systems in reach:
    if count:
        name = graph.nodes[supplier]["node"].name
        print(
            f"  {supplier} ({name}): {count} high-risk ({', '.join(systems)}); "
            f"{everything} records in all"
        )
untouched = [supplier for count, _, supplier, _ in reach if not count]
print(f"  no high-risk system depends on: {', '.join(untouched) or 'none'}")

# %% [markdown]
# ## 3. Which AI Act obligations are only partly met for credit-scoring, and why?
#
# Posture follows each obligation through the crosswalk to ISO/IEC 42001 and judges
# what it reaches: a requirement backed only by overlapping mappings is at most partly
# met, and one that rests on a partly implemented control is partly met. Each row says
# why, and its basis lists the ISO/IEC 42001 requirements behind it.

# %%
act = g.posture("eu-ai-act")
partly = [r for r in act.rows if r.system.id == "credit-scoring" and r.status == PARTLY]
# partly met only because the crosswalk overlaps it, though all it reaches is met...
overlap = [r for r in partly if all(b.state in (None, "met") for b in r.basis)]
# ...or because something it rests on falls short
short = [r for r in partly if r not in overlap]

print(f"Q3: EU AI Act obligations only partly met for credit-scoring ({len(partly)})")
print(f"  {len(short)} rest on ISO/IEC 42001 requirements not shown to be met:")
for row in short:
    print(f"  {row.requirement.ref} {row.requirement.name}: {row.status_why}")
    for basis in row.basis:
        if basis.state not in (None, "met"):
            print(f"      {basis.requirement.ref} ({basis.relationship}): {basis.why}")
print(
    f"  {len(overlap)} are met as far as ISO/IEC 42001 reaches, but its mappings only "
    "overlap them (judge the rest yourself):"
)
print("  " + ", ".join(r.requirement.ref for r in overlap))
