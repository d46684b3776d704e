"""Readers account for every row, or refuse naming the line: property tests on CSV and JSONL.

Well-formed files (texts with commas, quotes, line breaks, accents; UTF-8, UTF-8 with BOM or
cp1252) must come back row for row. With one corruption injected (unclosed quote, ragged row,
NUL byte, binary prefix, invalid JSON line), the reader either still accounts for every row,
naming the damaged line in a warning, or raises ``InputError`` naming that line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from garant.analyses.synthesis import read_decidim, read_folder, read_jsonl, read_table
from garant.analyses.synthesis.corpus import SourceBatch
from garant.cli.main import app
from garant.errors import InputError

FUZZ = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXTS = st.lists(
    st.text(alphabet="abzéèàçœ€’ ,;\"'\n", min_size=1, max_size=30).filter(str.strip),
    min_size=2,
    max_size=8,
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])
SIGNATURES = [b"PK\x03\x04", b"%PDF-1.7", b"\x1f\x8b\x08", b"\xff\xfe", b"\xd0\xcf\x11\xe0"]


def named_lines(message: str) -> set[int]:
    """Every line number a message names: « ligne 3 », « lignes 3, 5 », « lignes 3 à 6 »."""
    found: set[int] = set()
    for group in re.findall(r"lignes? (\d+(?:(?:, | à )\d+)*)", message):
        for part in group.split(", "):
            bounds = [int(value) for value in part.split(" à ")]
            found.update(range(bounds[0], bounds[-1] + 1))
    return found


def build_csv(texts: list[str]) -> tuple[str, list[int]]:
    """CSV text with header ``id,texte`` and the physical start line of each row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "texte"])
    starts: list[int] = []
    for number, text in enumerate(texts, start=1):
        starts.append(buffer.getvalue().count("\n") + 1)
        writer.writerow([str(number), text])
    return buffer.getvalue(), starts


def read_csv(path: Path) -> SourceBatch:
    return read_table(path, text_column="texte", id_column="id", delimiter=",")


def assert_accounted(batch: SourceBatch, texts: list[str], starts: list[int], damaged: int) -> None:
    warned = set().union(*(named_lines(warning) for warning in batch.warnings))
    assert damaged in warned, batch.warnings
    by_id = {row.native_id: row.text for row in batch.rows}
    for number, (text, start) in enumerate(zip(texts, starts, strict=True), start=1):
        assert by_id.get(str(number)) == text.strip() or start in warned, (number, batch.warnings)


@FUZZ
@given(texts=TEXTS, encoding=ENCODINGS)
def test_well_formed_csv_gives_back_every_row_with_its_text(
    tmp_path: Path, texts: list[str], encoding: str
) -> None:
    content, _starts = build_csv(texts)
    path = tmp_path / "avis.csv"
    path.write_bytes(content.encode(encoding))
    batch = read_csv(path)
    assert [row.text for row in batch.rows] == [text.strip() for text in texts]
    assert [row.native_id for row in batch.rows] == [str(n) for n in range(1, len(texts) + 1)]


@FUZZ
@given(
    texts=TEXTS,
    encoding=ENCODINGS,
    corruption=st.sampled_from(["unclosed", "extra_cell", "short_row", "nul", "binary"]),
    data=st.data(),
)
def test_corrupted_csv_accounts_for_every_row_or_refuses_naming_the_line(
    tmp_path: Path, texts: list[str], encoding: str, corruption: str, data: st.DataObject
) -> None:
    content, starts = build_csv(texts)
    target = data.draw(st.integers(0, len(texts) - 1))
    lines = content.split("\n")
    start = starts[target]
    # Last physical line of the target row (a quoted text may span several).
    end = starts[target + 1] - 1 if target + 1 < len(texts) else len(lines) - 1
    damaged = start
    if corruption == "unclosed":
        index = start - 1
        lines[index] = lines[index].replace(",", ',"', 1)
    elif corruption == "extra_cell":
        lines[end - 1] += ",en trop"
    elif corruption == "short_row":
        lines.insert(end, "seule")
        damaged = end + 1
    raw = "\n".join(lines).encode(encoding)
    if corruption == "nul":
        offset = data.draw(st.integers(len(content.split("\n", 1)[0]) + 1, len(raw) - 1))
        raw = raw[:offset] + b"\x00" + raw[offset:]
        damaged = raw.count(b"\n", 0, offset) + 1
    elif corruption == "binary":
        raw = data.draw(st.sampled_from(SIGNATURES)) + data.draw(st.binary(max_size=20)) + raw
        damaged = 1
    path = tmp_path / "avis.csv"
    path.write_bytes(raw)
    try:
        batch = read_csv(path)
    except InputError as error:
        assert damaged in named_lines(str(error)), str(error)
        assert "avis.csv" in str(error) and error.hint
        return
    assert corruption not in {"nul", "binary"}, (corruption, batch.rows)
    if corruption == "short_row":
        starts = [value + 1 if value > end else value for value in starts]
    assert_accounted(batch, texts, starts, damaged)


JSON_TEXTS = st.lists(
    st.text(alphabet="abzéè ,\"'\\\n\u2028{}", min_size=1, max_size=30).filter(str.strip),
    min_size=2,
    max_size=8,
)


def build_jsonl(texts: list[str], ascii_only: bool) -> str:
    return "".join(
        json.dumps({"id": str(n), "text": text}, ensure_ascii=ascii_only) + "\n"
        for n, text in enumerate(texts, start=1)
    )


@FUZZ
@given(texts=JSON_TEXTS, encoding=ENCODINGS, ascii_only=st.booleans())
def test_well_formed_jsonl_gives_back_every_line_with_its_text(
    tmp_path: Path, texts: list[str], encoding: str, ascii_only: bool
) -> None:
    path = tmp_path / "avis.jsonl"
    path.write_bytes(build_jsonl(texts, ascii_only or encoding == "cp1252").encode(encoding))
    batch = read_jsonl(path)
    assert [row.text for row in batch.rows] == [text.strip() for text in texts]
    assert [row.position for row in batch.rows] == [f"ligne {n}" for n in range(1, len(texts) + 1)]


@FUZZ
@given(
    texts=JSON_TEXTS,
    corruption=st.sampled_from(["truncated", "nul", "binary"]),
    data=st.data(),
)
def test_corrupted_jsonl_accounts_for_every_line_or_refuses_naming_it(
    tmp_path: Path, texts: list[str], corruption: str, data: st.DataObject
) -> None:
    content = build_jsonl(texts, ascii_only=False)
    target = data.draw(st.integers(0, len(texts) - 1))
    lines = content.split("\n")
    damaged = target + 1
    if corruption == "truncated":
        lines[target] = lines[target][: data.draw(st.integers(1, len(lines[target]) - 1))]
    raw = "\n".join(lines).encode("utf-8")
    if corruption == "nul":
        offset = data.draw(st.integers(0, len(raw) - 1))
        raw = raw[:offset] + b"\x00" + raw[offset:]
        damaged = raw.count(b"\n", 0, offset) + 1
    elif corruption == "binary":
        raw = data.draw(st.sampled_from(SIGNATURES)) + data.draw(st.binary(max_size=20)) + raw
        damaged = 1
    path = tmp_path / "avis.jsonl"
    path.write_bytes(raw)
    try:
        batch = read_jsonl(path)
    except InputError as error:
        assert damaged in named_lines(str(error)), str(error)
        assert "avis.jsonl" in str(error) and error.hint
        return
    assert corruption == "truncated"
    starts = list(range(1, len(texts) + 1))
    warned = set().union(*(named_lines(warning) for warning in batch.warnings))
    assert damaged in warned, batch.warnings
    kept = {row.native_id: row.text for row in batch.rows}
    for number, text in enumerate(texts, start=1):
        assert kept.get(str(number)) == text.strip() or starts[number - 1] in warned


def test_file_that_is_not_a_workbook_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "avis.xlsx"
    path.write_text("id,texte\n1,bonjour\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"avis\.xlsx") as raised:
        read_table(path, text_column="texte")
    assert raised.value.hint


ISSUE_CSV = b'id,texte\n1,"Bonjour\n2,un,deux,trois\n3,avec\x00nul\n4,fin\n'


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_cli_refuses_the_broken_csv_with_exit_2_and_leaves_the_corpus_unchanged(
    workspace_root: Path,
) -> None:
    runner = CliRunner()
    good, bad = workspace_root / "bon.csv", workspace_root / "casse.csv"
    good.write_text("id,texte\n1,Plus d'arbres\n", encoding="utf-8")
    bad.write_bytes(ISSUE_CSV)
    base = ["-w", str(workspace_root), "synthesis", "ingest", "avis"]
    options = ["--format", "table", "--text-column", "texte", "--pseudonymisation", "patterns"]
    corpus = workspace_root / "private" / "corpus" / "avis"
    refused_first = runner.invoke(app, [*base, str(bad), *options])
    assert refused_first.exit_code == 2, refused_first.output
    assert not corpus.exists()  # no empty corpus left behind by a refused first source
    first = runner.invoke(app, [*base, str(good), *options])
    assert first.exit_code == 0, first.output
    before = _snapshot(corpus)
    refused = runner.invoke(app, [*base, str(bad), *options])
    assert refused.exit_code == 2, refused.output
    assert "Traceback" not in refused.output
    assert "casse.csv, ligne 4 : octet nul" in refused.output
    assert _snapshot(corpus) == before


def test_decidim_export_with_an_unclosed_quote_is_refused_naming_its_line(
    tmp_path: Path, decidim_dir: Path
) -> None:
    lines = (decidim_dir / "propositions-libres.csv").read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b";", b';"', 1)
    broken = tmp_path / "propositions-libres.csv"
    broken.write_bytes(b"\n".join(lines))
    with pytest.raises(InputError) as raised:
        read_decidim([broken])
    assert 6 in named_lines(str(raised.value)) and "propositions-libres.csv" in str(raised.value)


def test_text_file_with_nul_bytes_is_skipped_and_named_in_the_warnings(tmp_path: Path) -> None:
    (tmp_path / "un.txt").write_text("Plus de pistes cyclables.", encoding="utf-8")
    (tmp_path / "deux.txt").write_bytes(b"Moins\x00de\x00bruit")
    batch = read_folder(tmp_path)
    assert [row.text for row in batch.rows] == ["Plus de pistes cyclables."]
    assert any("deux.txt" in warning for warning in batch.warnings)


@pytest.mark.parametrize("second", ["\n,", "\n;"])
def test_a_stray_quote_paired_with_a_later_one_is_named_where_it_was_typed(
    tmp_path: Path, second: str
) -> None:
    """Found by the fuzz test: a quote typed on line 2 pairs with the quote that opens row 2's
    text, so the parser stumbles two lines further down; the message names line 2 too."""
    content, _starts = build_csv([";", second])
    lines = content.split("\n")
    lines[1] = lines[1].replace(",", ',"', 1)
    path = tmp_path / "avis.csv"
    path.write_bytes("\n".join(lines).encode())
    try:
        batch = read_csv(path)
    except InputError as error:
        assert 2 in named_lines(str(error)), str(error)
        return
    assert 2 in set().union(*(named_lines(warning) for warning in batch.warnings)), batch.warnings
