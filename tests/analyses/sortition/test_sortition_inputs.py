"""Reading pool and quotas files: layouts, encodings, and errors naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from garant.analyses.sortition import build_instance, load_pool, load_quotas
from garant.analyses.sortition.inputs import encoding_notes, load_id_list, normalise_address
from garant.errors import InputError

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "sortition"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="shared/data/sortition is absent")


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_quotas_three_layouts_give_the_same_quotas(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.csv", "feature,value,min,max,min_flex,max_flex\nsexe,F,1,2,0,3\n")
    b = _write(tmp_path / "b.csv", "category,name,suggest min,Current #,min,max\nsexe,F,,,1,2\n")
    c = _write(tmp_path / "c.csv", "category,feature,min,max\nsexe,F,1,2\n")
    loaded = [load_quotas(p).quotas[0] for p in (a, b, c)]
    assert {(q.criterion, q.value, q.min, q.max) for q in loaded} == {("sexe", "F", 1, 2)}
    assert loaded[0].max_flex == 3


def test_semicolon_cp1252_pool_with_bom_free_accents_is_read(tmp_path: Path) -> None:
    pool = _write(tmp_path / "p.csv", "id;diplôme\n1;Supérieur\n2;Aucun\n", "cp1252")
    quotas = _write(
        tmp_path / "q.csv",
        "\ufefffeature;value;min;max\ndiplôme;supérieur;0;1\ndiplôme;Aucun;0;1\n",
    )
    loaded = load_pool(pool)
    instance = build_instance(loaded, load_quotas(quotas), 1)
    assert instance.features[0]["diplôme"] == "supérieur"
    assert loaded.encoding == "cp1252" and loaded.encoding_guessed
    assert not load_quotas(quotas).encoding_guessed
    [note] = encoding_notes(loaded, load_quotas(quotas))
    assert "encodage deviné (cp1252)" in note and "p.csv" in note


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_pool_is_recognised_with_or_without_byte_order_mark(
    tmp_path: Path, encoding: str
) -> None:
    pool = _write(tmp_path / "p.csv", "id,sexe\nV1,Femme\nV2,Homme\n", encoding)
    quotas = _write(tmp_path / "q.csv", "feature,value,min,max\nsexe,Femme,0,1\nsexe,Homme,0,1\n")
    loaded = load_pool(pool)
    assert [row.id for row in loaded.rows] == ["V1", "V2"]
    assert loaded.encoding_guessed == (encoding != "utf-16")
    assert build_instance(loaded, load_quotas(quotas), 1).features[1]["sexe"] == "Homme"


def test_a_zip_file_is_not_a_pool_of_nobody(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "vivier.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("vivier.csv", "id,sexe\nV1,Femme\n")
    with pytest.raises(InputError, match=r"vivier.zip n'est pas un fichier CSV : archive zip"):
        load_pool(archive)


def test_a_header_only_pool_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="ne contient aucune personne"):
        load_pool(_write(tmp_path / "p.csv", "id,sexe\n\n"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('id,sexe\nV1,"Femme\nV2,Homme\n', "lignes 2 à 3 : une cellule s'étend|ligne 2 : CSV mal"),
        ("id,sexe\nV1,Femme\nV2\n", "ligne 3 : 1 cellules pour 2 colonnes"),
        ("id,sexe\nV1,Femme\nV2,Homme,x\n", "ligne 3 : 3 cellules pour 2 colonnes"),
        ("id,sexe\nV1,Fe\x00mme\n", "octets nuls|ligne 2 : caractère de contrôle"),
        ('id,sexe\nV1,"Fem"me\n', "ligne 2 : CSV mal formé"),
    ],
)
def test_a_pool_row_that_cannot_be_accounted_for_is_named(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        load_pool(_write(tmp_path / "p.csv", text))


def test_unknown_value_error_names_file_line_and_column(tmp_path: Path) -> None:
    pool = _write(tmp_path / "vivier.csv", "id,sexe\n1,F\n2,X\n")
    quotas = _write(tmp_path / "q.csv", "feature,value,min,max\nsexe,F,0,2\n")
    with pytest.raises(InputError) as info:
        build_instance(load_pool(pool), load_quotas(quotas), 1)
    assert "vivier.csv" in info.value.message
    assert "ligne 3" in info.value.message and "« sexe »" in info.value.message
    assert "X" in info.value.message and info.value.hint


def test_duplicate_id_error_names_both_lines(tmp_path: Path) -> None:
    pool = _write(tmp_path / "vivier.csv", "id,sexe\n1,F\n2,H\n1,H\n")
    with pytest.raises(InputError, match=r"ligne 4.*« id ».*déjà ligne 2"):
        load_pool(pool)


def test_quota_min_above_max_error_names_line_and_column(tmp_path: Path) -> None:
    quotas = _write(tmp_path / "quotas.csv", "feature,value,min,max\nsexe,F,1,2\nsexe,H,5,3\n")
    with pytest.raises(InputError, match=r"quotas\.csv, ligne 3, colonne « min » : min 5 > max 3"):
        load_quotas(quotas)


def test_non_integer_quota_is_refused_with_its_cell(tmp_path: Path) -> None:
    quotas = _write(tmp_path / "quotas.csv", "feature,value,min,max\nsexe,F,un,2\n")
    with pytest.raises(InputError, match=r"ligne 2, colonne « min » : « un »"):
        load_quotas(quotas)


def test_missing_quota_columns_are_listed(tmp_path: Path) -> None:
    quotas = _write(tmp_path / "quotas.csv", "feature,value,minimum\nsexe,F,1\n")
    with pytest.raises(InputError, match=r"min, max"):
        load_quotas(quotas)


def test_pool_smaller_than_panel_is_refused(tmp_path: Path) -> None:
    pool = _write(tmp_path / "p.csv", "id,sexe\n1,F\n2,H\n")
    quotas = _write(tmp_path / "q.csv", "feature,value,min,max\nsexe,F,0,3\nsexe,H,0,3\n")
    with pytest.raises(InputError, match="2 personnes disponibles pour un panel de 3"):
        build_instance(load_pool(pool), load_quotas(quotas), 3)


def test_criterion_absent_from_pool_names_quota_line(tmp_path: Path) -> None:
    pool = _write(tmp_path / "p.csv", "id,sexe\n1,F\n")
    quotas = _write(tmp_path / "q.csv", "feature,value,min,max\nsexe,F,0,1\nage,jeune,0,1\n")
    with pytest.raises(InputError, match=r"ligne 3 : le critère « age »"):
        build_instance(load_pool(pool), load_quotas(quotas), 1)


def test_unknown_already_selected_id_is_refused(tmp_path: Path) -> None:
    pool = _write(tmp_path / "p.csv", "id,sexe\n1,F\n2,H\n")
    quotas = _write(tmp_path / "q.csv", "feature,value,min,max\nsexe,F,0,2\nsexe,H,0,2\n")
    with pytest.raises(InputError, match="« 9 » absent"):
        build_instance(load_pool(pool), load_quotas(quotas), 1, already_selected=["9"])


def test_household_key_ignores_case_accents_and_punctuation() -> None:
    assert normalise_address(["12, Rue de l'Église ", "38000"]) == normalise_address(
        ["12 rue de l eglise", "38000"]
    )
    assert normalise_address(["", " "]) is None


def test_id_list_reads_plain_lines_and_id_column(tmp_path: Path) -> None:
    assert load_id_list(_write(tmp_path / "a.txt", "p1\np7\n")) == ("p1", "p7")
    assert load_id_list(_write(tmp_path / "b.csv", "nom,id\nx,p3\n")) == ("p3",)


@needs_data
def test_opendlp_categories_with_extra_columns_load() -> None:
    pool = load_pool(DATA / "monitoring_100_30" / "respondents.csv", id_column="unique_id")
    assert pool.rows[0].id == "1"
    quotas = load_quotas(DATA / "monitoring_100_30" / "categories.csv")
    assert len(quotas.quotas) == 18 and quotas.quotas[0].min == 14


def test_rows_are_numbered_p0_when_no_id_column(tmp_path: Path) -> None:
    pool = load_pool(_write(tmp_path / "respondents.csv", "gender,leaning\nfemale,liberal\n"))
    assert pool.id_column is None and pool.rows[0].id == "p0"
