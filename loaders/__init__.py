"""Loaders: one module per kind of source, each turning a source into raw records that
graphgov validates against the ontology.

``LOADERS`` maps a loader's name to its reader; graphgov looks them up here.
"""

from .inventory import read_inventory

LOADERS = {"inventory": read_inventory}

__all__ = ["LOADERS", "read_inventory"]
