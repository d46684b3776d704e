"""Ingest: every reader, its warnings and errors, the corpus folder and the pseudonymiser hook."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest

from garant.analyses.synthesis import (
    ingest_decidim,
    ingest_folder,
    ingest_jsonl,
    ingest_table,
    ingest_transcript,
    load_corpus,
    read_decidim,
    read_table,
)
from garant.errors import ConflictError, InputError, IntegrityError, NotFoundError
from garant.llm.types import TranscriptionSegment


def test_decidim_export_gives_proposals_and_comments_with_declared_stance(
    tmp_path: Path, decidim_dir: Path
) -> None:
    records = ingest_decidim(tmp_path / "corpus", decidim_dir)
    kinds = {record.file: (record.kind, record.count) for record in records}
    assert kinds == {
        "commentaires_debats.csv": ("decidim-comment", 693),
        "commentaires_propositions_libres.csv": ("decidim-comment", 44),
        "propositions-libres.csv": ("decidim-proposal", 196),
    }
    corpus = load_corpus(tmp_path / "corpus")
    by_id = corpus.by_id()
    first = by_id["commentaires_debats:515"]
    assert first.text == "l'état devrait mieux écouter les maires des villes"
    assert first.stance == "neutre"
    assert first.date == "2019-01-17T10:38:20+01:00"
    assert first.extra["question"].startswith("Comment l’État et les collectivités")
    against = by_id["commentaires_propositions_libres:532"]
    assert against.stance == "contre"
    # It answers a Nancy proposal that is not in this export: the link is kept, no question.
    assert against.extra["commentable_id"] == "345" and "question" not in against.extra
    proposal = by_id["propositions-libres:418"]
    assert proposal.text.startswith("Non au déploiement forcé des compteurs intelligents Linky\n\n")
    assert proposal.stance is None
    stances = [
        item.stance for item in corpus.contributions if item.source_kind == "decidim-comment"
    ]
    assert stances.count("pour") == 93 + 9 and stances.count("contre") == 26 + 5


def test_author_names_never_reach_the_corpus(tmp_path: Path, decidim_dir: Path) -> None:
    ingest_decidim(tmp_path / "corpus", decidim_dir)
    raw = (tmp_path / "corpus").glob("contributions-*.jsonl")
    content = next(raw).read_text(encoding="utf-8")
    assert '"guerin"' not in content and "author/name" not in content
    corpus = load_corpus(tmp_path / "corpus")
    authors = {item.author for item in corpus.contributions if item.author}
    assert authors and all(author.startswith("auteur-") for author in authors)


def test_decidim_organiser_debates_are_context_not_contributions(decidim_dir: Path) -> None:
    batches = read_decidim(decidim_dir)
    assert "debats.csv" not in {batch.file for batch in batches}


def test_csv_in_cp1252_with_comma_separator_is_read_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_bytes(
        "id,texte,nom\n1,Réaménager la gare,Élodie\n2,Plus d'arbres,Paul\n".encode("cp1252")
    )
    batch = read_table(source, text_column="texte", id_column="id", author_column="nom")
    assert [row.text for row in batch.rows] == ["Réaménager la gare", "Plus d'arbres"]
    assert any("cp1252" in warning for warning in batch.warnings)


def test_csv_with_bom_and_multiline_cells_keeps_line_numbers(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_bytes('\ufeffid;texte\n1;"Première ligne\nsuite"\n2;\n3;Troisième\n'.encode())
    batch = read_table(source, text_column="texte", id_column="id")
    assert [row.native_id for row in batch.rows] == ["1", "3"]
    assert batch.rows[1].position == "ligne 5"
    assert any("lignes 4 ignorées" in warning for warning in batch.warnings)


def test_a_short_row_names_the_row_before_it_whose_text_it_may_have_cut(tmp_path: Path) -> None:
    # Row 1's text was « "⏎; » until a stray quote closed it early: its tail « ;" » became a
    # one-cell row on line 3. The file is valid CSV, so only the short row shows the damage,
    # and the row before it must be named too (found by the readers' fuzz test).
    source = tmp_path / "avis.csv"
    source.write_text('id,texte\n1,""""\n;"\n2,;\n', encoding="utf-8")
    batch = read_table(source, text_column="texte", id_column="id", delimiter=",")
    assert [row.text for row in batch.rows] == ['"', ";"]
    assert any("texte peut-être coupé" in w and "lignes 2 " in w for w in batch.warnings)
    assert any("différent de l'en-tête, lignes 3 " in w for w in batch.warnings)
    # A row with too many cells cut nothing after it: only its own line is named.
    source.write_text("id,texte\n1,Bonjour\n2,Au revoir,en trop\n", encoding="utf-8")
    batch = read_table(source, text_column="texte", id_column="id", delimiter=",")
    assert not any("coupé" in warning for warning in batch.warnings)


def test_missing_column_error_names_file_and_available_columns(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_text("id;message\n1;Bonjour\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_table(source, text_column="texte")
    assert "texte" in error.value.message and "avis.csv" in error.value.message
    assert "message" in error.value.message and error.value.hint


def test_ragged_rows_and_bad_values_are_reported_by_line(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_text(
        "id;texte;date;avis\n"
        "1;Un;01/02/2026;pour\n"
        "2;Deux;hier;peut-être\n"
        "3;Trois;2026-02-03;contre;en trop\n"
        "1;Quatre;;0\n",
        encoding="utf-8",
    )
    batch = read_table(
        source, text_column="texte", id_column="id", date_column="date", stance_column="avis"
    )
    joined = " | ".join(batch.warnings)
    assert "lignes 4 (lues quand même" in joined  # ragged row
    assert "date illisible, lignes 3" in joined
    assert "position inconnue, lignes 3" in joined
    assert "identifiant déjà vu, lignes 5" in joined
    assert [row.stance for row in batch.rows] == ["pour", None, "contre", "neutre"]
    assert batch.rows[0].date == "2026-02-01T00:00:00"
    assert batch.rows[3].native_id == "1-l5"


def test_xlsx_table_is_read_with_real_dates(tmp_path: Path) -> None:
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Réf", "Observation", "Date", "Commune"])
    sheet.append([12, "Le registre était fermé le samedi.", datetime(2026, 5, 4, 10, 30), "Nancy"])
    sheet.append([13, None, None, "Lille"])
    workbook.save(tmp_path / "registre.xlsx")
    batch = read_table(
        tmp_path / "registre.xlsx",
        text_column="Observation",
        id_column="Réf",
        date_column="Date",
        extra_columns=["Commune"],
    )
    assert len(batch.rows) == 1
    row = batch.rows[0]
    assert (row.native_id, row.date, row.extra) == (
        "12",
        "2026-05-04T10:30:00",
        {"Commune": "Nancy"},
    )
    assert any("lignes 3 ignorées" in warning for warning in batch.warnings)


def test_jsonl_skips_broken_lines_and_names_them(tmp_path: Path) -> None:
    source = tmp_path / "avis.jsonl"
    source.write_text(
        '{"id": "a", "text": "Plus de bancs", "author": "x"}\n'
        "{pas du json}\n"
        '{"id": "b", "text": ""}\n'
        '{"id": "c", "text": "Moins de bruit", "stance": "contre"}\n',
        encoding="utf-8",
    )
    record = ingest_jsonl(tmp_path / "corpus", source)
    assert record.count == 2
    assert any("JSON invalide, lignes 2" in warning for warning in record.warnings)
    assert any("lignes 3 ignorées" in warning for warning in record.warnings)
    corpus = load_corpus(tmp_path / "corpus")
    assert [item.id for item in corpus.contributions] == ["avis:a", "avis:c"]
    assert corpus.contributions[1].stance == "contre"


def test_folder_of_text_and_email_files(tmp_path: Path) -> None:
    folder = tmp_path / "courriers"
    folder.mkdir()
    (folder / "a.txt").write_text("Je souhaite plus de bancs au parc.", encoding="utf-8")
    (folder / "vide.txt").write_text("  ", encoding="utf-8")
    message = EmailMessage()
    message["From"] = "Jeanne Dupont <jeanne@example.org>"
    message["Subject"] = "Avis sur le PLU"
    message["Date"] = "Mon, 04 May 2026 10:30:00 +0200"
    message.set_content("Le terrain de foot doit rester public.")
    (folder / "b.eml").write_bytes(bytes(message))
    record = ingest_folder(tmp_path / "corpus", folder)
    assert record.count == 2 and any("vide.txt" in warning for warning in record.warnings)
    corpus = load_corpus(tmp_path / "corpus")
    mail = corpus.by_id()["courriers:b.eml"]
    assert mail.text == "Avis sur le PLU\n\nLe terrain de foot doit rester public."
    assert mail.date == "2026-05-04T10:30:00+02:00"
    assert mail.author and "jeanne" not in mail.author


def test_transcript_gives_one_contribution_per_speaker_turn(tmp_path: Path) -> None:
    turns = [
        TranscriptionSegment(0.0, 4.0, "Bonsoir à tous.", speaker="S1"),
        TranscriptionSegment(4.0, 9.5, "Je présente le projet.", speaker="S1"),
        TranscriptionSegment(9.5, 15.0, "Et le bruit des travaux ?", speaker="S2"),
        TranscriptionSegment(15.0, 16.0, "Inaudible.", speaker=None),
        TranscriptionSegment(16.0, 17.0, "Oui.", speaker=None),
    ]
    ingest_transcript(
        tmp_path / "corpus", turns, name="reunion-2026-05-04", meeting_date="2026-05-04"
    )
    items = load_corpus(tmp_path / "corpus").contributions
    assert [item.text for item in items] == [
        "Bonsoir à tous. Je présente le projet.",
        "Et le bruit des travaux ?",
        "Inaudible.",
        "Oui.",
    ]
    assert items[0].source_position == "tour 1 (00:00:00–00:00:09)"
    assert items[0].extra == {"start_s": "0.00", "end_s": "9.50"}
    assert items[0].author != items[1].author and items[2].author is None


def test_transcript_turns_from_json_file_keep_their_ids(tmp_path: Path) -> None:
    source = tmp_path / "turns.json"
    source.write_text(
        json.dumps(
            [
                {"id": "t0001", "speaker": "A", "start_s": 0, "end_s": 3, "text": "Bonjour."},
                {"id": "t0002", "speaker": "B", "start_s": None, "end_s": None, "text": "Salut."},
            ]
        ),
        encoding="utf-8",
    )
    ingest_transcript(tmp_path / "corpus", source)
    ids = [item.id for item in load_corpus(tmp_path / "corpus").contributions]
    assert ids == ["turns:t0001", "turns:t0002"]


def test_pseudonymiser_hook_stores_both_texts(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_text("texte\nJean Martin veut un parc.\nRien à signaler.\n", encoding="utf-8")
    seen: list[list[str]] = []

    def pseudonymise(texts: list[str]) -> list[str]:
        seen.append(texts)
        return [text.replace("Jean Martin", "<PERSONNE_1>") for text in texts]

    record = ingest_table(
        tmp_path / "corpus",
        source,
        text_column="texte",
        pseudonymise=pseudonymise,
        pseudonymiser_name="test",
    )
    assert record.pseudonymised and record.pseudonymiser == "test"
    assert len(seen) == 1 and len(seen[0]) == 2  # one batched call
    first = load_corpus(tmp_path / "corpus").contributions[0]
    assert first.text == "Jean Martin veut un parc."
    assert first.text_pseudonymised == "<PERSONNE_1> veut un parc."


def test_pseudonymiser_returning_wrong_count_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_text("texte\nUn\nDeux\n", encoding="utf-8")
    with pytest.raises(InputError):
        ingest_table(tmp_path / "corpus", source, text_column="texte", pseudonymise=lambda t: t[:1])
    assert load_corpus(tmp_path / "corpus").contributions == ()


def test_same_source_twice_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_text("texte\nUn avis\n", encoding="utf-8")
    ingest_table(tmp_path / "corpus", source, text_column="texte")
    with pytest.raises(ConflictError):
        ingest_table(tmp_path / "corpus", source, text_column="texte")


def test_corpus_changed_outside_garant_is_detected(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_text("texte\nUn avis\n", encoding="utf-8")
    ingest_table(tmp_path / "corpus", source, text_column="texte")
    data_file = next((tmp_path / "corpus").glob("contributions-*.jsonl"))
    data_file.write_text(data_file.read_text().replace("Un avis", "Un autre avis"))
    with pytest.raises(IntegrityError):
        load_corpus(tmp_path / "corpus")


def test_adding_sources_leaves_one_data_file_and_no_temporary_file(tmp_path: Path) -> None:
    for number in range(2):
        source = tmp_path / f"avis{number}.csv"
        source.write_text(f"texte\nAvis {number}\n", encoding="utf-8")
        ingest_table(tmp_path / "corpus", source, text_column="texte")
    names = sorted(path.name for path in (tmp_path / "corpus").iterdir())
    assert len(names) == 2 and names[1] == "manifest.json"
    assert load_corpus(tmp_path / "corpus").manifest.count == 2


def test_missing_corpus_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        load_corpus(tmp_path / "nulle-part")


def test_old_spreadsheet_formats_get_a_conversion_hint(tmp_path: Path) -> None:
    source = tmp_path / "registre.xls"
    source.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as error:
        read_table(source, text_column="Observation")
    assert "registre.xls" in error.value.message and ".xlsx" in error.value.hint


def test_header_only_csv_is_an_input_error(tmp_path: Path) -> None:
    source = tmp_path / "avis.csv"
    source.write_text("id;texte\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_table(source, text_column="texte")
    assert "avis.csv" in error.value.message
