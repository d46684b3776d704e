"""Issue 12.10: speaker labels that are roles (« Porteur de projet », « Commissaire
enquêtrice », « Maire », « Président de séance ») stay as they are, in the label and inside
sentences, while real names are still replaced — and a pseudonym is not mistaken for a name."""

from __future__ import annotations

import re

import pytest

from garant.analyses.transcription import EngineInfo, Segment, Transcript, pseudonymise_transcript
from garant.analyses.transcription.speaker_roles import is_role_label


@pytest.mark.parametrize(
    "label",
    [
        "Porteur de projet",
        "Commissaire enquêtrice",
        "Maire",
        "Président de séance",
        "Adjointe au maire",
        "Public",
    ],
)
def test_roles_are_recognised(label: str) -> None:
    assert is_role_label(label)


@pytest.mark.parametrize("label", ["Jeanne Morel", "Maire Dupont", "Marc", "SPEAKER_00", ""])
def test_names_are_not_roles(label: str) -> None:
    assert not is_role_label(label)


def _titles_and_names(texts: list[str]) -> list[str]:
    """A stand-in for the text pseudonymiser: a civility followed by a capitalised word is a
    name, as the pattern recogniser sees it."""
    return [re.sub(r"\b(Madame|Monsieur) [A-ZÉ]\w+", r"\1 <PERSONNE>", text) for text in texts]


def test_role_labels_survive_pseudonymisation_and_names_do_not() -> None:
    meeting = Transcript(
        language="fr",
        engine=EngineInfo(backend="import", engine="import webvtt"),
        segments=(
            Segment(
                start_s=0,
                end_s=2,
                speaker="Porteur de projet",
                text="Je présente le projet. Madame Jeanne Morel a posé une question.",
            ),
            Segment(
                start_s=2,
                end_s=4,
                speaker="Jeanne Morel",
                text="Le Porteur de projet peut-il préciser ? Le Maire est là.",
            ),
            Segment(start_s=4, end_s=5, speaker="Maire", text="Oui, je suis là."),
            Segment(
                start_s=5,
                end_s=6,
                speaker="Commissaire enquêtrice",
                text="La Commissaire enquêtrice note la question de Jeanne Morel.",
            ),
        ),
    )
    safe = pseudonymise_transcript(meeting, _titles_and_names)
    assert [s.speaker for s in safe.segments] == [
        "Porteur de projet",
        "Intervenant·e 1",
        "Maire",
        "Commissaire enquêtrice",
    ]
    texts = [s.text for s in safe.segments]
    assert texts[0] == "Je présente le projet. Madame Intervenant·e 1 a posé une question."
    assert texts[1] == "Le Porteur de projet peut-il préciser ? Le Maire est là."
    assert texts[3] == "La Commissaire enquêtrice note la question de Intervenant·e 1."
    assert all("Jeanne" not in text and "Morel" not in text for text in texts)
