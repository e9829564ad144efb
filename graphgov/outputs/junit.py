"""JUnit XML for CI dashboards: one test case per check, failing when it has findings.
JUnit XML has no single official schema; this follows the common Jenkins/pytest shape."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from graphgov.outputs.run import CheckRun


def findings_junit(run: CheckRun) -> str:
    checks = [r for r in run.results if r.query.definition.kind == "check"]
    failing = sum(1 for r in checks if run.count(r))
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
                name=q.pack,
                tests=str(len(mine)),
                failures=str(sum(1 for r in mine if run.count(r))),
                errors="0",
                skipped="0",
                time="0",
            )
        case = ET.SubElement(
            by_pack[q.pack], "testcase", classname=q.pack, name=q.definition.id, time="0"
        )
        found = [f for f in run.findings if f.query == q.ref]
        if found:
            failure = ET.SubElement(
                case,
                "failure",
                type=q.definition.severity or "low",
                message=f"{len(found)} finding(s): {q.definition.title}",
            )
            failure.text = "\n".join(f"{run.location(f.source)}: {f.message}" for f in found)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
