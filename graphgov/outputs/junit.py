"""JUnit XML for CI dashboards: one test case per check, failing when it has findings.
JUnit XML has no single official schema; this follows the common Jenkins/pytest shape.

Inventory text keeps its characters as far as XML 1.0 allows: a control character XML
cannot hold at all (ESC, NUL, ...) is shown as a visible escape, and one it can hold but
that would act on a terminal or hide text (DEL, C1, CR, bidirectional marks) is written
as a character reference, so the file is safe to print and parses to the same text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from graphgov.display import printable
from graphgov.findings import NEW
from graphgov.outputs.check_run import CheckRun

# what XML 1.0 forbids even as a character reference
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7e]|\r")


def findings_junit(run: CheckRun) -> str:
    """One test case per check, failing when it has findings; with a baseline, failing
    only on new findings, the unchanged and resolved ones listed in its system-out."""
    checks = [r for r in run.results if r.query.definition.kind == "check"]
    gated = run.gated
    failing_refs = {f.query for f in gated}
    failing = sum(1 for r in checks if r.query.ref in failing_refs)
    suites = ET.Element(
        "testsuites", name="graphgov", tests=str(len(checks)), failures=str(failing), errors="0"
    )
    by_pack: dict[str, ET.Element] = {}
    for result in checks:
        q = result.query
        if q.pack not in by_pack:
            mine = [r for r in checks if r.query.pack == q.pack]
            by_pack[q.pack] = ET.SubElement(
                suites,
                "testsuite",
                name=_xml(q.pack),
                tests=str(len(mine)),
                failures=str(sum(1 for r in mine if r.query.ref in failing_refs)),
                errors="0",
                skipped="0",
                time="0",
            )
        case = ET.SubElement(
            by_pack[q.pack],
            "testcase",
            classname=_xml(q.pack),
            name=_xml(q.definition.id),
            time="0",
        )
        found = [f for f in gated if f.query == q.ref]
        if found:
            new = "new " if run.baseline is not None else ""
            failure = ET.SubElement(
                case,
                "failure",
                type=q.definition.severity or "low",
                message=_xml(f"{len(found)} {new}finding(s): {q.definition.title}"),
            )
            failure.text = _xml("\n".join(f"{run.location(f.source)}: {f.message}" for f in found))
        if run.baseline is not None:
            old = [
                f"{state}: {run.location(f.source)}: {f.message}"
                for f, state in run.marked()
                if f.query == q.ref and state != NEW
            ]
            old += [
                f"resolved: {run.absent_location(f)}: {f.message}"
                for f in run.baseline.absent
                if f.query == q.ref
            ]
            if old:
                ET.SubElement(case, "system-out").text = _xml("\n".join(old))
    ET.indent(suites)
    text = ET.tostring(suites, encoding="unicode", xml_declaration=True)
    # markup is ASCII: whatever is left to reference sits in text or attribute values
    return _NON_ASCII.sub(_reference, text) + "\n"


def _xml(text: str) -> str:
    return _NOT_XML.sub(lambda m: _visible(m.group()), text)


def _visible(char: str) -> str:
    shown = printable(char)
    return shown if shown != char else f"\\u{ord(char):04x}"


def _reference(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\r" or printable(char) != char:
        return f"&#x{ord(char):x};"
    return char
