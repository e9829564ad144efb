"""Query packs shipped with graphgov: one folder per pack."""
