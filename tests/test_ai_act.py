"""The EU AI Act on the example organisation: the systems that record their Annex III
area, point and features get told which obligations apply (no "cannot tell" for what
they record), and the eu_ai_act pack's findings land on the obligations they cite."""

from __future__ import annotations

import pytest
from conftest import AS_OF

from graphgov import examples, pipeline
from graphgov.findings import Finding, findings
from graphgov.frameworks import load_frameworks
from graphgov.packs import builtin_packs, checks
from graphgov.posture import CANNOT_TELL, NO, YES, Posture, PostureRow, posture
from graphgov.runner import run_all
from graphgov.store import MemoryStore

RECORDED = ("annex_iii_area", "annex_iii_point")


@pytest.fixture(scope="module")
def act(tmp_path_factory: pytest.TempPathFactory) -> tuple[Posture, list[Finding]]:
    root = tmp_path_factory.mktemp("ai-act") / "acme"
    examples.write("acme", root)
    store = MemoryStore()
    pipeline.load(root, store)
    found = findings(run_all(checks(builtin_packs()), store, {}, AS_OF))
    return posture(store, load_frameworks(), "eu-ai-act", found, AS_OF), found


def _rows(p: Posture) -> dict[tuple[str, str], PostureRow]:
    return {(r.system.id, r.requirement.id): r for r in p.rows}


def test_credit_scorings_annex_iii_obligations_are_told(
    act: tuple[Posture, list[Finding]],
) -> None:
    p, _ = act
    rows = _rows(p)
    # a deployer of an Annex III 5(b) system: the fundamental-rights impact assessment
    # and the right to an explanation apply, whatever the organisation is
    for requirement in ("art-27", "art-86"):
        row = rows[("credit-scoring", requirement)]
        assert row.applies == YES, (requirement, row.applies_why)
    assert "annex iii point 5b" in rows[("credit-scoring", "art-27")].applies_why
    # and as provider of a high-risk system, conformity assessment, marking, registration
    for requirement in ("art-43", "art-48", "art-49"):
        assert rows[("credit-scoring", requirement)].applies == YES, requirement
    # Art. 26(8) binds public deployers only: Acme records it is not one
    assert rows[("credit-scoring", "art-26-8")].applies == NO


def test_no_cannot_tell_for_what_a_system_records(act: tuple[Posture, list[Finding]]) -> None:
    p, _ = act
    for s in p.systems:
        recorded = {k for k in RECORDED if s.system.get(k) is not None}
        for r in s.rows:
            assert not recorded & set(r.missing), (s.system.id, r.requirement.id, r.missing)
    credit = next(s for s in p.systems if s.system.id == "credit-scoring")
    # what it leaves undetermined are the feature flags it does not record, never its area
    assert credit.missing and not set(RECORDED) & set(credit.missing)
    # the attrition predictor records no area: what depends on it cannot be told, and the
    # completeness check says so
    attrition = next(s for s in p.systems if s.system.id == "attrition-predictor")
    assert "annex_iii_area" in attrition.missing
    assert any(r.applies == CANNOT_TELL for r in attrition.rows)


def test_transparency_applies_to_the_chatbot_and_is_checked(
    act: tuple[Posture, list[Finding]],
) -> None:
    p, found = act
    rows = _rows(p)
    # Art. 50(3) binds deployers of emotion recognition: the chatbot is a deployer and
    # records no such feature, so that is not told; 50(1) binds providers: not it
    assert rows[("customer-chatbot", "art-50-1")].applies == NO
    pack = {(f.query, f.id) for f in found if f.query.startswith("eu_ai_act/")}
    assert ("eu_ai_act/system-without-transparency-disclosure", "call-summarisation") in pack
    assert ("eu_ai_act/system-without-transparency-disclosure", "customer-chatbot") not in pack


def test_the_packs_findings_cite_the_act(act: tuple[Posture, list[Finding]]) -> None:
    _, found = act
    cited = {f.query.split("/")[1]: f.query for f in found if f.query.startswith("eu_ai_act/")}
    queries = {q.ref: q for q in checks(builtin_packs())}
    for ref in cited.values():
        assert queries[ref].definition.requirements["eu-ai-act"], ref
    assert set(cited) == {
        "high-risk-without-conformity-assessment",
        "high-risk-not-registered",
        "deployer-without-fundamental-rights-assessment",
        "serious-incident-not-reported",
        "system-without-transparency-disclosure",
        "high-risk-without-annex-iii-area",
    }
