"""Example inventories shipped with graphgov (graphgov init --example)."""
