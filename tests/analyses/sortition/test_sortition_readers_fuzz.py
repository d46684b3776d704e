"""Fuzzing the pool and quotas readers: every line is accounted for, or an error names it.

Property: for any bytes, ``load_pool`` / ``load_quotas`` either return rows whose line numbers,
with the blank lines, cover every line after the header exactly once, or raise an
:class:`InputError` naming the file (the CLI turns it into exit code 2) — never another
exception, never a silently shortened file.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from garant.analyses.sortition.inputs import load_pool, load_quotas, read_table
from garant.errors import InputError

CELLS = st.text(alphabet='abcé,;"\n\r\t 0123456789\x00-/', max_size=12)
LINES = st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=0, max_size=8)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _csv_like(header: str, rows: list[list[str]], sep: str) -> str:
    return header + "\n" + "".join(sep.join(cells) + "\n" for cells in rows)


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def _check_accounted(path: Path, rows: int) -> None:
    table = read_table(path)
    numbers = sorted([line for line, _ in table.rows] + list(table.blank_lines))
    assert numbers == list(range(2, 2 + len(numbers)))
    assert len(table.rows) == rows
    text = path.read_bytes().decode(table.encoding)
    # CSV lines end at \r\n, \r or \n only (str.splitlines also breaks at \v, \f, \x1c…, which
    # a CSV reader keeps inside a cell).
    physical = re.split(r"\r\n|\r|\n", text)
    if physical and physical[-1] == "":
        physical.pop()
    # every physical line after the header is a row or a blank line
    assert len(numbers) == len(physical) - 1


@FUZZ
@given(rows=LINES, sep=st.sampled_from([",", ";"]), encoding=ENCODINGS)
def test_pool_reader_accounts_for_every_line_or_names_the_problem(
    tmp_path_factory: object, rows: list[list[str]], sep: str, encoding: str
) -> None:
    folder = Path(str(tmp_path_factory.mktemp("fuzz")))  # type: ignore[attr-defined]
    path = folder / "vivier.csv"
    path.write_bytes(_encode(_csv_like(f"id{sep}sexe{sep}age", rows, sep), encoding))
    try:
        pool = load_pool(path)
    except InputError as error:
        assert "vivier.csv" in error.message
        return
    _check_accounted(path, len(pool.rows))


@FUZZ
@given(data=st.binary(max_size=300))
def test_pool_reader_on_arbitrary_bytes_never_crashes(
    tmp_path_factory: object, data: bytes
) -> None:
    folder = Path(str(tmp_path_factory.mktemp("fuzz")))  # type: ignore[attr-defined]
    path = folder / "vivier.csv"
    path.write_bytes(data)
    try:
        pool = load_pool(path)
    except InputError as error:
        assert "vivier.csv" in error.message
        return
    _check_accounted(path, len(pool.rows))


@FUZZ
@given(rows=LINES, encoding=ENCODINGS)
def test_quotas_reader_accounts_for_every_line_or_names_the_problem(
    tmp_path_factory: object, rows: list[list[str]], encoding: str
) -> None:
    folder = Path(str(tmp_path_factory.mktemp("fuzz")))  # type: ignore[attr-defined]
    path = folder / "quotas.csv"
    path.write_bytes(_encode(_csv_like("feature,value,min,max", rows, ","), encoding))
    try:
        quotas = load_quotas(path)
    except InputError as error:
        assert "quotas.csv" in error.message
        return
    _check_accounted(path, len(quotas.quotas))
    assert all(q.min <= q.max for q in quotas.quotas)


def test_an_unclosed_quote_does_not_swallow_the_rest_of_the_pool(tmp_path: Path) -> None:
    path = tmp_path / "vivier.csv"
    path.write_text('id,sexe\nV1,"Femme\nV2,Homme\nV3,Femme\n', encoding="utf-8")
    try:
        load_pool(path)
    except InputError as error:
        assert "ligne" in error.message
    else:  # pragma: no cover - the property above would have caught it
        raise AssertionError("an unclosed quote was accepted")
