"""Quote verification: verbatim spans after typographic folding, nothing looser."""

from __future__ import annotations

from garant.analyses.synthesis import verify_quote
from garant.analyses.synthesis.quotes import check_claims

TEXT = "Le maire  m'a dit : « on verra ».\nMais rien n’a changé depuis 2019 — rien du tout."
TEXTS = {"a:1": TEXT}


def test_quote_with_other_quote_marks_and_spaces_verifies_with_offsets() -> None:
    check = verify_quote("a:1", 'm’a dit : "on verra". Mais rien n\'a changé', TEXTS)
    assert check.verified
    assert check.start is not None and check.end is not None
    assert TEXT[check.start : check.end] == "m'a dit : « on verra ».\nMais rien n’a changé"


def test_changed_word_fails_and_says_why() -> None:
    check = verify_quote("a:1", "Mais rien n'a bougé depuis 2019", TEXTS)
    assert not check.verified and "absent" in check.reason


def test_case_and_accents_must_match() -> None:
    assert not verify_quote("a:1", "le maire m'a dit", TEXTS).verified
    assert not verify_quote("a:1", "rien n'a change", TEXTS).verified


def test_elision_requires_every_piece_in_order() -> None:
    assert verify_quote("a:1", "Le maire [...] rien du tout", TEXTS).verified
    assert verify_quote("a:1", "Le maire (…) depuis 2019", TEXTS).verified
    assert not verify_quote("a:1", "rien du tout [...] Le maire", TEXTS).verified


def test_unknown_contribution_and_empty_quote_fail() -> None:
    assert not verify_quote("a:2", "Le maire", TEXTS).verified
    assert not verify_quote("a:1", " [...] ", TEXTS).verified
    assert not verify_quote("a:1", "Le", TEXTS).verified


def test_quote_wrapped_in_quote_marks_still_verifies() -> None:
    assert verify_quote("a:1", "« Mais rien n’a changé »", TEXTS).verified


def test_claim_without_an_allowed_id_is_flagged() -> None:
    claims = check_claims([("Vrai", ["a:1"]), ("Inventé", ["z:9"]), ("Sans source", [])], {"a:1"})
    assert [claim.flagged for claim in claims] == [False, True, True]
    assert claims[0].valid_ids == ["a:1"]
