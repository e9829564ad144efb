"""Query parameters outside a pack's declarations: a Cypher text of one's own gets its
``--param`` values typed as Cypher compares them, a Python caller's values become the
text a person would type, and every query may use the parameters graphgov gives it
(the ontology's vocabularies and the day's) without declaring them.

>>> from datetime import date
>>> typed({"tier": "high", "min": "2", "strict": "true", "due": "2026-11-23"})
{'tier': 'high', 'min': 2, 'strict': True, 'due': datetime.date(2026, 11, 23)}
>>> as_text({"supplier": "openai", "depth": 3, "on": date(2026, 11, 23), "ids": ["a", "b"]})
{'supplier': 'openai', 'depth': '3', 'on': '2026-11-23', 'ids': 'a,b'}
>>> sorted(given("MATCH (s:AISystem) WHERE s.risk_tier IN $high_risk_tiers RETURN s", None))
['high_risk_tiers']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from graphgov.dates import parse_date
from graphgov.packs import MONTHS_BEFORE_AS_OF, months_before_as_of, strip_literals
from graphgov.schema import load_schema

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def typed(texts: Mapping[str, str]) -> dict[str, Any]:
    """Values typed on a command line, as Cypher compares them: whole numbers,
    true/false and YYYY-MM-DD dates typed, anything else text."""
    out: dict[str, Any] = {}
    for name, value in texts.items():
        if value.lower() in ("true", "false"):
            out[name] = value.lower() == "true"
        elif value.lstrip("-").isdigit():
            out[name] = int(value)
        else:
            try:
                out[name] = parse_date(value)
            except ValueError:
                out[name] = value
    return out


def as_text(values: Mapping[str, object]) -> dict[str, str]:
    """Values given from Python as the text a person would type for them, so a pack
    query's parameters are parsed and checked exactly as on the command line."""
    out = {}
    for name, value in values.items():
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        elif isinstance(value, datetime):
            out[name] = value.date().isoformat()
        elif isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, timedelta):
            out[name] = str(value.days)
        elif isinstance(value, list | tuple | set | frozenset):
            out[name] = ",".join(str(v) for v in value)
        else:
            out[name] = str(value)
    return out


def given(cypher: str, as_of: date | None) -> dict[str, Any]:
    """The parameters graphgov gives a Cypher text, each only where the text uses it:
    the ontology's vocabularies (``$high_risk_tiers``, ``$levels``, ...) and, judged on
    ``as_of``, ``$as_of`` and ``$months_before_as_of``."""
    used = set(_PARAMETER.findall(strip_literals(cypher)))
    out: dict[str, Any] = {
        k: list(v) for k, v in load_schema().query_parameters.items() if k in used
    }
    if as_of is not None and "as_of" in used:
        out["as_of"] = as_of
    if as_of is not None and MONTHS_BEFORE_AS_OF in used:
        out[MONTHS_BEFORE_AS_OF] = months_before_as_of(as_of)
    return out
