"""Readers: turn source files into ``SourceBatch`` objects ready for ``corpus.add_batch``.

Supported: generic CSV/XLSX tables (the caller names the columns), Decidim open-data exports
(proposals, comments, debates), JSON lines, a folder of ``.txt``/``.eml`` files, and meeting
transcripts (one contribution per speaker turn). Readers never stop at the first odd row: rows
they cannot use are skipped and listed in warnings by line number; a missing column, an
unreadable file or a file with nothing usable raises ``InputError`` naming file and column.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from email import policy
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from garant.errors import InputError
from garant.i18n import tr

from .corpus import RawContribution, SourceBatch
from .model import Stance

__all__ = [
    "decode_bytes",
    "parse_stance",
    "read_decidim",
    "read_folder",
    "read_jsonl",
    "read_table",
    "read_transcript",
    "refuse_binary",
]

_ENCODINGS = ("utf-8-sig", "cp1252")
_DELIMITERS = ";,\t|"
_MAX_LISTED_ROWS = 20


def _listed(rows: Sequence[int | str]) -> str:
    shown = ", ".join(str(row) for row in rows[:_MAX_LISTED_ROWS])
    return shown + (f" … (+{len(rows) - _MAX_LISTED_ROWS})" if len(rows) > _MAX_LISTED_ROWS else "")


def decode_bytes(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data``: the given encoding, else UTF-8 (with or without BOM), else cp1252."""
    candidates = (encoding,) if encoding else _ENCODINGS
    first_bad = 0
    for candidate in candidates:
        try:
            return data.decode(candidate), candidate
        except UnicodeDecodeError as error:
            first_bad = first_bad or error.start
        except LookupError:
            continue
    raise InputError(
        tr(
            "Impossible de décoder {file}, ligne {line} ({encodings}).",
            "Cannot decode {file}, line {line} ({encodings}).",
            file=file,
            line=data.count(b"\n", 0, first_bad) + 1,
            encodings=", ".join(candidates),
        ),
        tr(
            "Enregistrez le fichier en UTF-8, ou indiquez son encodage.",
            "Save the file as UTF-8, or give its encoding.",
        ),
    )


_SIGNATURES = (
    (b"PK\x03\x04", "zip (.zip, .xlsx, .docx, .odt…)"),
    (b"%PDF", "PDF"),
    (b"\x1f\x8b", "gzip"),
    (b"\xd0\xcf\x11\xe0", "Office 97 (.xls, .doc)"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def refuse_binary(data: bytes, file: str) -> None:
    """Raise ``InputError`` naming the line when ``data`` is not a text file.

    A known binary signature (zip, PDF, UTF-16…) is refused at line 1; a NUL byte, which no
    text export holds and which would silently cut a field, is refused at its line.
    """
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(
                tr(
                    "{file}, ligne 1 : ce n'est pas un fichier texte mais un fichier {kind}.",
                    "{file}, line 1: not a text file but a {kind} file.",
                    file=file,
                    kind=kind,
                ),
                tr(
                    "Donnez le fichier CSV ou JSONL lui-même (un classeur : en .xlsx), "
                    "enregistré en UTF-8.",
                    "Give the CSV or JSONL file itself (a workbook: as .xlsx), saved as UTF-8.",
                ),
            )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            tr(
                "{file}, ligne {line} : octet nul (fichier binaire ou corrompu).",
                "{file}, line {line}: NUL byte (binary or corrupted file).",
                file=file,
                line=data.count(b"\n", 0, nul) + 1,
            ),
            tr(
                "Supprimez les caractères nuls de cette ligne ou réexportez le fichier en UTF-8.",
                "Remove the NUL characters from that line or export the file again as UTF-8.",
            ),
        )


_STANCES: dict[str, Stance] = {
    "1": "pour",
    "+1": "pour",
    "pour": "pour",
    "for": "pour",
    "favorable": "pour",
    "oui": "pour",
    "yes": "pour",
    "agree": "pour",
    "-1": "contre",
    "contre": "contre",
    "against": "contre",
    "defavorable": "contre",
    "défavorable": "contre",
    "non": "contre",
    "no": "contre",
    "disagree": "contre",
    "0": "neutre",
    "neutre": "neutre",
    "neutral": "neutre",
    "sans avis": "neutre",
}


def parse_stance(value: str | None) -> Stance | None:
    """Map a source's stance value (−1/0/1, pour/contre/neutre, for/against…) to a Stance."""
    if value is None:
        return None
    return _STANCES.get(value.strip().casefold())


_DATE_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S %z")


def _parse_date(value: Any) -> str | None:
    """ISO 8601 text for a date given as datetime, ISO text or French dd/mm/yyyy; else None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).isoformat()
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).isoformat()
        except ValueError:
            continue
    return None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _missing_column(file: str, column: str, available: Iterable[str]) -> InputError:
    return InputError(
        tr(
            "Colonne « {column} » absente de {file}. Colonnes présentes : {available}.",
            "Column '{column}' not found in {file}. Columns: {available}.",
            column=column,
            file=file,
            available=", ".join(name for name in available if name) or "—",
        ),
        tr(
            "Indiquez le nom exact de la colonne (vérifiez aussi le séparateur).",
            "Give the exact column name (check the separator too).",
        ),
    )


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        counts = {delimiter: header.count(delimiter) for delimiter in _DELIMITERS}
        best = max(counts, key=lambda delimiter: counts[delimiter])
        return best if counts[best] else ","


def _unreadable_csv(file: str, start: int, end: int, error: str) -> InputError:
    if "end of data" in error:
        return InputError(
            tr(
                "{file}, ligne {line} : guillemet ouvert jamais refermé (le champ avale le reste "
                "du fichier, jusqu'à la ligne {end}).",
                "{file}, line {line}: quote never closed (the field swallows the rest of the "
                "file, up to line {end}).",
                file=file,
                line=start,
                end=end,
            ),
            tr(
                "Refermez le guillemet de la ligne {line} (un guillemet dans un texte s'écrit "
                '« "" »), puis recommencez.',
                'Close the quote on line {line} (a quote inside a text is written ""), '
                "then try again.",
                line=start,
            ),
        )
    return InputError(
        tr(
            "{file}, ligne {line} : CSV illisible ({error}) dans l'enregistrement commencé "
            "ligne {start}.",
            "{file}, line {line}: unreadable CSV ({error}) in the record started on line {start}.",
            file=file,
            line=end,
            start=start,
            error=error,
        ),
        tr(
            "Vérifiez les guillemets des lignes {start} à {line} (un guillemet dans un texte "
            's\'écrit « "" »), ou le séparateur.',
            'Check the quotes on lines {start} to {line} (a quote inside a text is written ""), '
            "or the separator.",
            start=start,
            line=end,
        ),
    )


def _swallowed(file: str, start: int, end: int, cells: int, width: int) -> InputError:
    return InputError(
        tr(
            "{file}, lignes {start} à {end} : un seul enregistrement de {cells} cellules au lieu "
            "de {width} — un guillemet ouvert ligne {start} a sans doute avalé les lignes "
            "suivantes.",
            "{file}, lines {start} to {end}: one record of {cells} cells instead of {width} — "
            "a quote opened on line {start} probably swallowed the following lines.",
            file=file,
            start=start,
            end=end,
            cells=cells,
            width=width,
        ),
        tr(
            "Refermez le guillemet de la ligne {start} (un guillemet dans un texte s'écrit "
            '« "" »), puis recommencez.',
            'Close the quote on line {start} (a quote inside a text is written ""), '
            "then try again.",
            start=start,
        ),
    )


def _csv_rows(
    path: Path, encoding: str | None, delimiter: str | None, warnings: list[str]
) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Header and (line number, cells) of a CSV file; line numbers start at 1 (header)."""
    data = path.read_bytes()
    refuse_binary(data, path.name)
    text, used = decode_bytes(data, path.name, encoding)
    if used == "cp1252":
        warnings.append(
            tr(
                "{file} n'est pas en UTF-8 : lu en cp1252 (Windows).",
                "{file} is not UTF-8: read as cp1252 (Windows).",
                file=path.name,
            )
        )
    separator = delimiter or _sniff_delimiter(text[:65536])
    # strict: a quote left open is an error, not a field that swallows the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    start = 1
    spanning: list[tuple[int, int]] = []  # records whose quoted text spans several lines

    def with_suspects(fault: InputError) -> InputError:
        misshapen = [(line, line) for line, cells in rows if header and len(cells) != len(header)]
        # the record just above the fault: a quote that should have closed there often did not
        above = [(rows[-1][0], rows[-1][0])] if rows else []
        suspects = sorted(set(spanning) | set(misshapen) | set(above))
        return InputError(fault.message + _quote_suspects(suspects), fault.hint)

    try:
        for cells in reader:
            if header is None:
                header = [cell.strip() for cell in cells]
            elif reader.line_num > start and len(cells) != len(header):
                fault = _swallowed(path.name, start, reader.line_num, len(cells), len(header))
                raise with_suspects(fault)
            else:
                if reader.line_num > start:
                    spanning.append((start, reader.line_num))
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        fault = _unreadable_csv(path.name, start, reader.line_num, str(error))
        raise with_suspects(fault) from error
    if header is None:
        raise InputError(
            tr("{file} est vide.", "{file} is empty.", file=path.name),
            tr("Choisissez un fichier avec une ligne d'en-tête.", "Choose a file with a header."),
        )
    if spanning and any(len(cells) != len(header) for _, cells in rows):
        warnings.append(path.name + " :" + _quote_suspects(spanning))
    return header, rows, separator


def _quote_suspects(suspects: list[tuple[int, int]]) -> str:
    """When a file is badly quoted, the records read before the fault across several lines, or
    with a cell count unlike the header's, are where a stray quote may have been paired with the
    wrong one: name them (the last three)."""
    if not suspects:
        return ""
    shown = suspects[-3:]
    lines = ", ".join(
        str(a) if a == b else tr("{a} à {b}", "{a} to {b}", a=a, b=b) for a, b in shown
    )
    plural = len(shown) > 1 or shown[0][0] != shown[0][1]
    return tr(
        " Un guillemet mal placé plus haut peut en être la cause : vérifiez {where} {lines} "
        "(texte entre guillemets sur plusieurs lignes, ou nombre de cellules différent de "
        "l'en-tête).",
        " A misplaced quote above may be the cause: check {where_en} {lines} (quoted text "
        "spanning several lines, or a cell count unlike the header's).",
        where="les lignes" if plural else "la ligne",
        where_en="lines" if plural else "line",
        lines=lines,
    )


def _xlsx_rows(
    path: Path, sheet: str | None
) -> tuple[list[str], list[tuple[int, list[str]]], dict[tuple[int, str], Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise InputError(
            tr(
                "Classeur illisible : {file} ({error}).",
                "Unreadable workbook: {file} ({error}).",
                file=path.name,
                error=error,
            ),
            tr("Ouvrez-le et réenregistrez-le en .xlsx.", "Open it and save it again as .xlsx."),
        ) from error
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise InputError(
                tr(
                    "Feuille « {sheet} » absente de {file} ({names}).",
                    "Sheet '{sheet}' not in {file} ({names}).",
                    sheet=sheet,
                    file=path.name,
                    names=", ".join(workbook.sheetnames),
                ),
                tr("Indiquez une feuille existante.", "Name an existing sheet."),
            )
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        raw: dict[tuple[int, str], Any] = {}
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if header is None:
                header = [_cell(value).strip() for value in values]
                continue
            rows.append((number, [_cell(value) for value in values]))
            for name, value in zip(header, values, strict=False):
                if isinstance(value, date | datetime):
                    raw[(number, name)] = value
    finally:
        workbook.close()
    if header is None:
        raise InputError(
            tr("{file} est vide.", "{file} is empty.", file=path.name),
            tr(
                "Choisissez un classeur avec une ligne d'en-tête.",
                "Choose a workbook with a header.",
            ),
        )
    return header, rows, raw


def _file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_table(
    path: Path,
    *,
    text_column: str,
    id_column: str | None = None,
    author_column: str | None = None,
    date_column: str | None = None,
    stance_column: str | None = None,
    extra_columns: Sequence[str] = (),
    title_column: str | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    kind: str | None = None,
    question_column: str | None = None,
) -> SourceBatch:
    """Read a CSV or XLSX table; the caller names the columns to use.

    ``title_column``, when given, is prepended to the text (title, blank line, body). Rows with
    a wrong number of cells, an empty text or an unreadable date or stance are reported in
    warnings by line number; rows with an empty text are skipped.
    """
    if not path.is_file():
        raise InputError(
            tr("Fichier introuvable : {path}.", "File not found: {path}.", path=path),
            tr("Vérifiez le chemin.", "Check the path."),
        )
    if path.suffix.lower() in {".xls", ".ods", ".numbers"}:
        raise InputError(
            tr(
                "Format de tableur non pris en charge : {file}.",
                "Unsupported spreadsheet format: {file}.",
                file=path.name,
            ),
            tr(
                "Enregistrez-le en .xlsx ou en .csv (UTF-8) puis recommencez.",
                "Save it as .xlsx or .csv (UTF-8) and try again.",
            ),
        )
    warnings: list[str] = []
    excel_dates: dict[tuple[int, str], Any] = {}
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        header, rows, excel_dates = _xlsx_rows(path, sheet)
        reader_kind = kind or "xlsx"
    else:
        header, rows, _separator = _csv_rows(path, encoding, delimiter, warnings)
        reader_kind = kind or "csv"
    wanted = [
        column
        for column in (
            text_column,
            id_column,
            author_column,
            date_column,
            stance_column,
            title_column,
            question_column,
            *extra_columns,
        )
        if column
    ]
    positions: dict[str, int] = {}
    for column in wanted:
        if column not in header:
            raise _missing_column(path.name, column, header)
        positions[column] = header.index(column)

    width = len(header)
    ragged: list[int] = []
    cut: list[int] = []  # rows just before a short row: their text may have been cut there
    previous: int | None = None
    empty: list[int] = []
    bad_dates: list[int] = []
    bad_stances: list[int] = []
    duplicate_ids: list[int] = []
    seen_ids: set[str] = set()
    result: list[RawContribution] = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            ragged.append(line)
        if len(cells) < width and previous is not None:
            # A short row is most often the end of the row before it, whose quoted text a
            # stray quote or line break cut short: that row is named too.
            cut.append(previous)
        previous = line

        def value(column: str | None, cells: list[str] = cells) -> str:
            if column is None:
                return ""
            index = positions[column]
            return cells[index] if index < len(cells) else ""

        body = value(text_column).strip()
        title = value(title_column).strip()
        text = f"{title}\n\n{body}" if title and body else (title or body)
        if not text:
            empty.append(line)
            continue
        native = value(id_column).strip() or f"l{line}"
        if native in seen_ids:
            duplicate_ids.append(line)
            native = f"{native}-l{line}"
        seen_ids.add(native)
        date_value: str | None = None
        if date_column:
            given = excel_dates.get((line, date_column), value(date_column))
            date_value = _parse_date(given)
            if date_value is None and str(given).strip():
                bad_dates.append(line)
        stance: Stance | None = None
        if stance_column:
            raw_stance = value(stance_column).strip()
            stance = parse_stance(raw_stance)
            if stance is None and raw_stance:
                bad_stances.append(line)
        result.append(
            RawContribution(
                native_id=native,
                position=tr("ligne {line}", "line {line}", line=line),
                text=text,
                author_key=value(author_column).strip() or None,
                date=date_value,
                stance=stance,
                extra={column: value(column).strip() for column in extra_columns},
                question=value(question_column).strip() or None,
            )
        )
    name = path.name
    if ragged:
        warnings.append(
            tr(
                "{file} : nombre de cellules différent de l'en-tête, lignes {rows} "
                "(lues quand même, vérifiez-les).",
                "{file}: cell count differs from the header on lines {rows} "
                "(read anyway, check them).",
                file=name,
                rows=_listed(ragged),
            )
        )
    if cut:
        warnings.append(
            tr(
                "{file} : texte peut-être coupé par une ligne trop courte qui le suit, "
                "lignes {rows} (vérifiez-les).",
                "{file}: text possibly cut short by the too-short row after it, lines {rows} "
                "(check them).",
                file=name,
                rows=_listed(cut),
            )
        )
    if empty:
        warnings.append(
            tr(
                "{file} : texte vide, lignes {rows} ignorées.",
                "{file}: empty text, lines {rows} skipped.",
                file=name,
                rows=_listed(empty),
            )
        )
    if duplicate_ids:
        warnings.append(
            tr(
                "{file} : identifiant déjà vu, lignes {rows} (suffixe -l<ligne> ajouté).",
                "{file}: id already seen on lines {rows} (suffix -l<line> added).",
                file=name,
                rows=_listed(duplicate_ids),
            )
        )
    if bad_dates:
        warnings.append(
            tr(
                "{file} : date illisible, lignes {rows} (date laissée vide).",
                "{file}: unreadable date on lines {rows} (left empty).",
                file=name,
                rows=_listed(bad_dates),
            )
        )
    if bad_stances:
        warnings.append(
            tr(
                "{file} : position inconnue, lignes {rows} (attendu pour/contre/neutre ou 1/-1/0).",
                "{file}: unknown stance on lines {rows} (expected for/against/neutral or 1/-1/0).",
                file=name,
                rows=_listed(bad_stances),
            )
        )
    if not result:
        raise InputError(
            tr(
                "{file} ne contient aucune ligne avec un texte dans « {column} ».",
                "{file} has no row with text in '{column}'.",
                file=name,
                column=text_column,
            ),
            tr(
                "Vérifiez la colonne de texte et le séparateur.",
                "Check the text column and the separator.",
            ),
        )
    return SourceBatch(
        file=name, sha256=_file_sha256(path), kind=reader_kind, rows=result, warnings=warnings
    )


# --- Decidim ---------------------------------------------------------------------------------

PROPOSALS_QUESTION = "Propositions libres"
"""Question of Decidim proposals and of the comments on them (one open component)."""
PARTICIPANT_DEBATES_QUESTION = "Débats ouverts par les participants"
"""Question of debates opened by participants (their own questions, no organiser question)."""

_TAG = re.compile(r"<[^>]+>")
_ROOT = re.compile(r"/(debates|proposals)/(\d+)/?$")
"""The debate or proposal a comment thread hangs from (replies point at the parent comment)."""


def _strip_html(text: str) -> str:
    return html.unescape(_TAG.sub(" ", text)).replace("\xa0", " ").strip()


def _first(header: Sequence[str], *names: str) -> str | None:
    return next((name for name in names if name in header), None)


def _decidim_kind(header: Sequence[str]) -> str | None:
    if "alignment" in header and "commentable_id" in header:
        return "decidim-comment"
    if (
        _first(header, "title", "title/fr")
        and _first(header, "body", "body/fr")
        and ("votes" in header or "endorsements" in header or "supports" in header)
    ):
        return "decidim-proposal"
    if _first(header, "title/fr", "title") and _first(header, "description/fr", "description"):
        return "decidim-debate"
    return None


def read_decidim(paths: Sequence[Path] | Path) -> list[SourceBatch]:
    """Read Decidim open-data exports (``;``-separated CSV): proposals, comments, debates.

    ``paths`` is a folder (every ``*.csv`` in it) or a list of files; each file's kind is told
    by its header. Comments keep ``alignment`` as the author's declared stance (1 pour,
    −1 contre, 0 neutre) and, when the debates or proposals file is read too, the question or
    proposal they answer in ``extra["question"]``. Debates opened by the organiser (no author)
    are context, not contributions; debates opened by participants are contributions.
    """
    files = sorted(paths.glob("*.csv")) if isinstance(paths, Path) else list(paths)
    if not files:
        raise InputError(
            tr("Aucun fichier CSV Decidim dans {path}.", "No Decidim CSV in {path}.", path=paths),
            tr("Indiquez le dossier des exports Decidim.", "Give the Decidim export folder."),
        )
    parsed: list[tuple[Path, str, list[str], list[tuple[int, list[str]]], list[str]]] = []
    for file in files:
        warnings: list[str] = []
        header, rows, _separator = _csv_rows(file, None, ";", warnings)
        kind = _decidim_kind(header)
        if kind is None:
            raise InputError(
                tr(
                    "{file} ne ressemble à aucun export Decidim connu (colonnes : {columns}).",
                    "{file} looks like no known Decidim export (columns: {columns}).",
                    file=file.name,
                    columns=", ".join(header[:12]),
                ),
                tr(
                    "Utilisez l'import CSV générique en nommant les colonnes.",
                    "Use the generic CSV import and name the columns.",
                ),
            )
        parsed.append((file, kind, header, rows, warnings))

    questions: dict[tuple[str, str], str] = {}
    for _file, kind, header, rows, _warnings in parsed:
        title_column = _first(header, "title/fr", "title")
        if kind not in {"decidim-debate", "decidim-proposal"} or title_column is None:
            continue
        target = (
            "Decidim::Debates::Debate"
            if kind == "decidim-debate"
            else ("Decidim::Proposals::Proposal")
        )
        index_id, index_title = header.index("id"), header.index(title_column)
        for _line, cells in rows:
            if len(cells) > max(index_id, index_title):
                questions[(target, cells[index_id].strip())] = _strip_html(cells[index_title])

    batches: list[SourceBatch] = []
    for file, kind, header, rows, warnings in parsed:
        batch = _decidim_batch(file, kind, header, rows, warnings, questions)
        if batch is not None:
            batches.append(batch)
    return batches


def _decidim_batch(
    file: str | Path,
    kind: str,
    header: list[str],
    rows: list[tuple[int, list[str]]],
    warnings: list[str],
    questions: Mapping[tuple[str, str], str],
) -> SourceBatch | None:
    path = Path(file)
    column = {name: index for index, name in enumerate(header)}

    def get(cells: list[str], *names: str) -> str:
        for name in names:
            index = column.get(name)
            if index is not None and index < len(cells):
                return cells[index].strip()
        return ""

    result: list[RawContribution] = []
    broken: list[int] = []
    empty: list[int] = []
    context_only = 0
    question: str | None = None
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            broken.append(line)
            continue
        native = get(cells, "id") or f"l{line}"
        extra: dict[str, str] = {}
        stance: Stance | None = None
        author = get(cells, "author/id", "author_id") or get(cells, "author/name") or None
        if kind == "decidim-comment":
            text = get(cells, "body", "body/fr")
            stance = parse_stance(get(cells, "alignment"))
            commentable = (get(cells, "commentable_type"), get(cells, "commentable_id"))
            extra = {
                "depth": get(cells, "depth"),
                "commentable_type": commentable[0],
                "commentable_id": commentable[1],
            }
            root = _ROOT.search(get(cells, "root_commentable_url"))
            if root is not None:
                kind_name = (
                    "Decidim::Debates::Debate"
                    if root.group(1) == "debates"
                    else ("Decidim::Proposals::Proposal")
                )
                commentable = (kind_name, root.group(2))
            if commentable in questions:
                extra["question"] = questions[commentable]
            # A debate is a question; the proposals component is one open question whose
            # answers are the proposals and the comments on them.
            if commentable[0] == "Decidim::Debates::Debate":
                question = questions.get(commentable)
            else:
                question = PROPOSALS_QUESTION
        elif kind == "decidim-proposal":
            question = PROPOSALS_QUESTION
            title = get(cells, "title", "title/fr")
            body = _strip_html(get(cells, "body", "body/fr"))
            text = f"{title}\n\n{body}" if title and body else (title or body)
            extra = {
                "category": get(cells, "category/name/fr", "category/name/en"),
                "votes": get(cells, "votes", "endorsements"),
            }
        else:
            if not author:
                context_only += 1
                continue
            question = PARTICIPANT_DEBATES_QUESTION
            title = _strip_html(get(cells, "title/fr", "title"))
            description = _strip_html(get(cells, "description/fr", "description"))
            text = f"{title}\n\n{description}" if description else title
        if not text:
            empty.append(line)
            continue
        extra["url"] = get(cells, "url", "root_commentable_url")
        result.append(
            RawContribution(
                native_id=native,
                position=tr("ligne {line}", "line {line}", line=line),
                text=text,
                author_key=author,
                date=_parse_date(get(cells, "created_at", "published_at")),
                stance=stance,
                extra={key: value for key, value in extra.items() if value},
                question=question,
            )
        )
    if broken:
        warnings.append(
            tr(
                "{file} : ligne mal formée (nombre de cellules), lignes {rows} ignorées.",
                "{file}: malformed row (cell count), lines {rows} skipped.",
                file=path.name,
                rows=_listed(broken),
            )
        )
    if empty:
        warnings.append(
            tr(
                "{file} : texte vide, lignes {rows} ignorées.",
                "{file}: empty text, lines {rows} skipped.",
                file=path.name,
                rows=_listed(empty),
            )
        )
    if not result:
        # Organiser debates only: context for comments, nothing to ingest.
        return None
    return SourceBatch(
        file=path.name,
        sha256=_file_sha256(path),
        kind=kind,
        rows=result,
        warnings=warnings,
    )


# --- JSON lines ------------------------------------------------------------------------------


def read_jsonl(
    path: Path,
    *,
    text_field: str = "text",
    id_field: str | None = "id",
    author_field: str | None = "author",
    date_field: str | None = "date",
    stance_field: str | None = "stance",
    extra_fields: Sequence[str] = (),
    question_field: str | None = "question",
) -> SourceBatch:
    """Read one JSON object per line. Invalid lines and lines without text are skipped and
    reported; a file with no usable line raises ``InputError``. ``question_field`` (when the
    object has it) is the question the contribution answers."""
    if not path.is_file():
        raise InputError(
            tr("Fichier introuvable : {path}.", "File not found: {path}.", path=path),
            tr("Vérifiez le chemin.", "Check the path."),
        )
    data = path.read_bytes()
    refuse_binary(data, path.name)
    text, used = decode_bytes(data, path.name)
    invalid: list[int] = []
    missing: list[int] = []
    result: list[RawContribution] = []
    seen: set[str] = set()
    # Only "\n" ends a JSON line (str.splitlines also splits on U+2028, \f…).
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            invalid.append(number)
            continue
        if not isinstance(item, dict):
            invalid.append(number)
            continue
        body = item.get(text_field)
        if not isinstance(body, str) or not body.strip():
            missing.append(number)
            continue

        def field(name: str | None, item: dict[str, Any] = item) -> str | None:
            if name is None or item.get(name) is None:
                return None
            return str(item[name])

        native = field(id_field) or f"l{number}"
        if native in seen:
            native = f"{native}-l{number}"
        seen.add(native)
        result.append(
            RawContribution(
                native_id=native,
                position=tr("ligne {line}", "line {line}", line=number),
                text=body.strip(),
                author_key=field(author_field),
                date=_parse_date(field(date_field)),
                stance=parse_stance(field(stance_field)),
                extra={name: field(name) or "" for name in extra_fields},
                question=(field(question_field) or "").strip() or None,
            )
        )
    warnings: list[str] = []
    if used == "cp1252":
        warnings.append(
            tr(
                "{file} n'est pas en UTF-8 : lu en cp1252 (Windows).",
                "{file} is not UTF-8: read as cp1252 (Windows).",
                file=path.name,
            )
        )
    if invalid:
        warnings.append(
            tr(
                "{file} : JSON invalide, lignes {rows} ignorées.",
                "{file}: invalid JSON, lines {rows} skipped.",
                file=path.name,
                rows=_listed(invalid),
            )
        )
    if missing:
        warnings.append(
            tr(
                "{file} : champ « {field} » absent ou vide, lignes {rows} ignorées.",
                "{file}: field '{field}' missing or empty, lines {rows} skipped.",
                file=path.name,
                field=text_field,
                rows=_listed(missing),
            )
        )
    if not result:
        raise InputError(
            tr(
                "{file} ne contient aucune ligne JSON avec un texte dans « {field} ».",
                "{file} has no JSON line with text in '{field}'.",
                file=path.name,
                field=text_field,
            ),
            tr("Indiquez le champ qui contient le texte.", "Name the field holding the text."),
        )
    return SourceBatch(
        file=path.name, sha256=_file_sha256(path), kind="jsonl", rows=result, warnings=warnings
    )


# --- Folder of .txt / .eml -------------------------------------------------------------------


def _email_text(data: bytes) -> tuple[str, str | None, str | None]:
    message = BytesParser(policy=policy.default).parsebytes(data)
    subject = str(message.get("subject", "") or "").strip()
    body_part = message.get_body(preferencelist=("plain", "html"))
    body = ""
    if body_part is not None:
        content = body_part.get_content()
        body = _strip_html(content) if body_part.get_content_type() == "text/html" else content
    text = f"{subject}\n\n{body.strip()}" if subject and body.strip() else (subject or body)
    sender = message.get("from")
    author = None
    if sender is not None:
        addresses = getattr(sender, "addresses", ())
        author = addresses[0].addr_spec if addresses else str(sender)
    when: str | None = None
    if message.get("date"):
        try:
            when = parsedate_to_datetime(str(message["date"])).isoformat()
        except (TypeError, ValueError):
            when = None
    return text.strip(), author, when


def read_folder(path: Path) -> SourceBatch:
    """Read every ``.txt`` and ``.eml`` file under ``path`` (recursively, sorted by path).

    E-mails give subject + plain-text body, sender (pseudonymised later) and date; text files
    give their content. Unreadable or empty files are skipped and listed in warnings.
    """
    if not path.is_dir():
        raise InputError(
            tr("Dossier introuvable : {path}.", "Folder not found: {path}.", path=path),
            tr("Vérifiez le chemin.", "Check the path."),
        )
    files = sorted(
        file
        for file in path.rglob("*")
        if file.is_file() and file.suffix.lower() in {".txt", ".eml"}
    )
    digest = hashlib.sha256()
    result: list[RawContribution] = []
    skipped: list[str] = []
    for file in files:
        relative = file.relative_to(path).as_posix()
        data = file.read_bytes()
        digest.update(relative.encode() + b"\x00" + hashlib.sha256(data).digest())
        try:
            if file.suffix.lower() == ".eml":
                text, author, when = _email_text(data)
                kind_author, kind_date = author, when
            else:
                refuse_binary(data, relative)
                text = decode_bytes(data, relative)[0].strip()
                kind_author, kind_date = None, None
        except (InputError, ValueError, LookupError):
            skipped.append(relative)
            continue
        if not text:
            skipped.append(relative)
            continue
        result.append(
            RawContribution(
                native_id=relative,
                position=relative,
                text=text,
                author_key=kind_author,
                date=kind_date,
            )
        )
    warnings: list[str] = []
    if skipped:
        warnings.append(
            tr(
                "{folder} : fichiers vides ou illisibles ignorés : {files}.",
                "{folder}: empty or unreadable files skipped: {files}.",
                folder=path.name,
                files=_listed(skipped),
            )
        )
    if not result:
        raise InputError(
            tr(
                "Aucun fichier .txt ou .eml lisible dans {path}.",
                "No readable .txt or .eml file in {path}.",
                path=path,
            ),
            tr("Vérifiez le dossier.", "Check the folder."),
        )
    return SourceBatch(
        file=path.name,
        sha256=digest.hexdigest(),
        kind="folder",
        rows=result,
        warnings=warnings,
    )


# --- Transcripts -----------------------------------------------------------------------------


def _turn_value(turn: Any, name: str) -> Any:
    if isinstance(turn, Mapping):
        return turn.get(name)
    return getattr(turn, name, None)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def read_transcript(
    turns: Sequence[Any] | Path,
    *,
    name: str | None = None,
    meeting_date: str | None = None,
) -> SourceBatch:
    """One contribution per speaker turn of a transcript.

    ``turns`` is a list of ``{id?, speaker, start_s, end_s, text}`` mappings (what
    ``garant.analyses.transcription.to_turns`` returns) or objects with those attributes (e.g.
    ``TranscriptionSegment``), or a JSON file holding such a list (or an object with a
    ``turns`` or ``segments`` list). Consecutive segments of the same known speaker are joined
    into one turn; segments without a speaker are never joined; segments without text are
    skipped. The speaker label becomes the (pseudonymised) author.
    """
    source_name = name
    if isinstance(turns, Path):
        try:
            loaded = json.loads(decode_bytes(turns.read_bytes(), turns.name)[0])
        except json.JSONDecodeError as error:
            raise InputError(
                tr(
                    "{file} : JSON invalide (ligne {line}).",
                    "{file}: invalid JSON (line {line}).",
                    file=turns.name,
                    line=error.lineno,
                ),
                tr("Fournissez la liste des tours de parole.", "Give the list of speaker turns."),
            ) from error
        if isinstance(loaded, dict):
            loaded = loaded.get("turns", loaded.get("segments"))
        if not isinstance(loaded, list):
            raise InputError(
                tr(
                    "{file} : liste de tours de parole attendue.",
                    "{file}: a list of speaker turns was expected.",
                    file=turns.name,
                ),
                tr(
                    'Format : [{{"speaker", "start_s", "end_s", "text"}}, …].',
                    'Format: [{{"speaker", "start_s", "end_s", "text"}}, …].',
                ),
            )
        source_name = source_name or turns.name
        items: Sequence[Any] = loaded
    else:
        items = turns
    source_name = source_name or "transcription"
    merged: list[dict[str, Any]] = []
    invalid: list[int] = []
    for index, turn in enumerate(items, start=1):
        text = _turn_value(turn, "text")
        if not isinstance(text, str) or not text.strip():
            continue
        try:
            raw_start, raw_end = _turn_value(turn, "start_s"), _turn_value(turn, "end_s")
            start = None if raw_start is None else float(raw_start)
            end = None if raw_end is None else float(raw_end)
        except (TypeError, ValueError):
            invalid.append(index)
            continue
        speaker = str(_turn_value(turn, "speaker") or "").strip() or None
        # Unidentified speech is never merged: who said what must stay visible.
        if merged and speaker is not None and merged[-1]["speaker"] == speaker:
            merged[-1]["text"] += " " + text.strip()
            merged[-1]["end"] = end if end is not None else merged[-1]["end"]
        else:
            native = _turn_value(turn, "id")
            merged.append(
                {
                    "id": str(native) if native else f"tour{len(merged) + 1}",
                    "speaker": speaker,
                    "start": start,
                    "end": end,
                    "text": text.strip(),
                }
            )
    warnings: list[str] = []
    if invalid:
        warnings.append(
            tr(
                "{file} : horodatage illisible, segments {rows} ignorés.",
                "{file}: unreadable timestamps, segments {rows} skipped.",
                file=source_name,
                rows=_listed(invalid),
            )
        )
    if not merged:
        raise InputError(
            tr(
                "{file} : aucun tour de parole avec du texte.",
                "{file}: no speaker turn with text.",
                file=source_name,
            ),
            tr("Vérifiez la transcription.", "Check the transcript."),
        )
    rows = [
        RawContribution(
            native_id=turn["id"],
            position=tr(
                "tour {number} ({start}–{end})",
                "turn {number} ({start}–{end})",
                number=number,
                start=_clock(turn["start"]),
                end=_clock(turn["end"]),
            ),
            text=turn["text"],
            author_key=turn["speaker"],
            date=meeting_date,
            extra={
                key: f"{turn[name]:.2f}"
                for key, name in (("start_s", "start"), ("end_s", "end"))
                if turn[name] is not None
            },
        )
        for number, turn in enumerate(merged, start=1)
    ]
    digest = hashlib.sha256(
        json.dumps(
            [[row.author_key, row.extra, row.text] for row in rows], ensure_ascii=False
        ).encode()
    ).hexdigest()
    return SourceBatch(
        file=source_name, sha256=digest, kind="transcript", rows=rows, warnings=warnings
    )
