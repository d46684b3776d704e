"""Reading the pool and quotas CSV files and validating them into an :class:`Instance`.

Accepted quotas layouts (headers are matched case-insensitively, extra columns are ignored):
``feature,value,min,max[,min_flex,max_flex]`` (sortition-algorithms), ``category,name,min,max``
(older Sortition Foundation / newDemocracy) and ``category,feature,min,max`` (Panelot). Files may
be UTF-8 (with or without BOM) or Windows-1252, separated by ``,`` or ``;`` (sniffed).
Every problem raises :class:`~garant.errors.InputError` naming the file, line and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from garant.errors import InputError
from garant.i18n import tr

from .model import Instance, Pool, PoolRow, Quota, QuotaSet

__all__ = [
    "Table",
    "build_instance",
    "decode_table",
    "encoding_notes",
    "load_id_list",
    "load_pool",
    "load_quotas",
    "normalise_address",
    "read_table",
]

_ID_CANDIDATES = ("id", "identifiant", "unique_id", "nationbuilder_id", "person_id", "id_personne")


_ZIP_MAGIC = b"PK\x03\x04"


def _binary_error(path: Path, what: str) -> InputError:
    return InputError(
        tr(
            "{file} n'est pas un fichier CSV : {what}",
            "{file} is not a CSV file: {what}",
            file=path,
            what=what,
        ),
        tr(
            "Exportez le tableau en CSV (UTF-8, séparateur « , » ou « ; ») et donnez ce fichier.",
            "Export the table as CSV (UTF-8, ',' or ';' separator) and give that file.",
        ),
    )


def decode_table(data: bytes, path: Path) -> tuple[str, str, bool]:
    """Decode a text table: ``(text, encoding, guessed)``.

    Byte-order marks (UTF-8, UTF-16) are honoured; UTF-16 without a mark is recognised by its
    NUL bytes; otherwise strict UTF-8, and failing that Windows-1252 (then ``guessed`` is true
    so that the caller can say so). Binary files (zip, xlsx, pdf…) are refused.
    """
    if data.startswith(_ZIP_MAGIC):
        raise _binary_error(
            path,
            tr("archive zip ou classeur Excel (.xlsx)", "a zip archive or Excel workbook (.xlsx)"),
        )
    guessed = False
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data[:4096]:
        head = data[:4096]
        even = head[0::2].count(0)
        odd = head[1::2].count(0)
        if odd > len(head) // 4 and even == 0:
            encoding, guessed = "utf-16-le", True
        elif even > len(head) // 4 and odd == 0:
            encoding, guessed = "utf-16-be", True
        else:
            raise _binary_error(
                path, tr("octets nuls (fichier binaire)", "NUL bytes (binary file)")
            )
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            raise InputError(
                tr(
                    "{file} : encodage {enc} annoncé mais illisible à l'octet {pos}",
                    "{file}: {enc} announced but unreadable at byte {pos}",
                    file=path,
                    enc=encoding,
                    pos=exc.start,
                ),
                tr("Enregistrez le fichier en UTF-8.", "Save the file as UTF-8."),
            ) from None
        encoding, guessed = "cp1252", True
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            encoding, text = "latin-1", data.decode("latin-1")
    for number, line in enumerate(text.splitlines(), start=1):
        bad = next((ch for ch in line if ord(ch) < 32 and ch not in "\t"), None)
        if bad is not None:
            raise InputError(
                tr(
                    "{file}, ligne {line} : caractère de contrôle U+{code:04X} (fichier binaire "
                    "ou corrompu ?)",
                    "{file}, line {line}: control character U+{code:04X} (binary or corrupt file?)",
                    file=path,
                    line=number,
                    code=ord(bad),
                ),
                tr(
                    "Exportez à nouveau le tableau en CSV UTF-8.",
                    "Export the table again as UTF-8 CSV.",
                ),
            )
    return text, encoding, guessed


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] > 0 else ","


@dataclass(frozen=True)
class Table:
    """A CSV file as read: header, ``(line, row)`` pairs, raw bytes and the encoding used."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    data: bytes
    encoding: str
    guessed: bool
    blank_lines: tuple[int, ...]


def read_table(path: Path | str) -> Table:
    """Read a CSV file, accounting for every line: each line after the header is a row or a
    blank line (listed in ``blank_lines``); anything else is an :class:`InputError` naming the
    line (unclosed quote, cell spanning lines, too many or too few cells)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            tr(
                "Fichier illisible : {file} ({error})",
                "Cannot read {file} ({error})",
                file=path,
                error=exc.strerror or exc,
            ),
            tr("Vérifiez le chemin du fichier.", "Check the file path."),
        ) from exc
    text, encoding, guessed = decode_table(data, path)
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text), strict=True
    )

    def _records() -> Iterator[tuple[int, list[str]]]:
        previous = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(
                    tr(
                        "{file}, ligne {line} : CSV mal formé ({error})",
                        "{file}, line {line}: malformed CSV ({error})",
                        file=path,
                        line=previous + 1,
                        error=exc,
                    ),
                    tr(
                        "Vérifiez les guillemets de cette ligne (un guillemet non fermé avale "
                        "la suite du fichier).",
                        "Check the quotes on that line (an unclosed quote swallows the rest of "
                        "the file).",
                    ),
                ) from None
            if reader.line_num - previous > 1:
                raise InputError(
                    tr(
                        "{file}, lignes {first} à {last} : une cellule s'étend sur plusieurs "
                        "lignes (guillemet non fermé ?)",
                        "{file}, lines {first} to {last}: a cell spans several lines (unclosed "
                        "quote?)",
                        file=path,
                        first=previous + 1,
                        last=reader.line_num,
                    ),
                    tr(
                        "Fermez le guillemet ou retirez le retour à la ligne de la cellule.",
                        "Close the quote or remove the line break from the cell.",
                    ),
                )
            previous = reader.line_num
            yield previous, cells

    records = _records()
    first = next(records, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        raise InputError(
            tr("{file} est vide", "{file} is empty", file=path)
            if first is None
            else tr("{file}, ligne 1 : en-tête vide", "{file}, line 1: empty header", file=path),
            tr(
                "Fournissez un fichier CSV avec une ligne d'en-tête.",
                "Provide a CSV file with a header line.",
            ),
        )
    header = [cell.strip() for cell in first[1]]
    for position, name in enumerate(header, start=1):
        if not name:
            raise InputError(
                tr(
                    "{file}, ligne 1, colonne {col} : en-tête vide",
                    "{file}, line 1, column {col}: empty header",
                    file=path,
                    col=position,
                ),
                tr("Donnez un nom à chaque colonne.", "Name every column."),
            )
    duplicates = [
        name for name, count in Counter(h.casefold() for h in header).items() if count > 1
    ]
    if duplicates:
        raise InputError(
            tr(
                "{file}, ligne 1 : colonne « {col} » en double",
                "{file}, line 1: duplicate column '{col}'",
                file=path,
                col=duplicates[0],
            ),
            tr("Renommez l'une des deux colonnes.", "Rename one of the two columns."),
        )
    rows: list[tuple[int, dict[str, str]]] = []
    blank: list[int] = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            blank.append(line)
            continue
        extra = len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :])
        if extra or len(cells) < len(header):
            raise InputError(
                tr(
                    "{file}, ligne {line} : {n} cellules pour {h} colonnes",
                    "{file}, line {line}: {n} cells for {h} columns",
                    file=path,
                    line=line,
                    n=len(cells),
                    h=len(header),
                ),
                tr(
                    "Vérifiez le séparateur et les guillemets de cette ligne.",
                    "Check the separator and quotes on that line.",
                ),
            )
        rows.append((line, {name: cells[i].strip() for i, name in enumerate(header)}))
    return Table(header, rows, data, encoding, guessed, tuple(blank))


def encoding_notes(*files: object) -> tuple[str, ...]:
    """A sentence per input file whose encoding was guessed (not announced by the file)."""
    notes = []
    for item in files:
        if getattr(item, "encoding_guessed", False):
            notes.append(
                tr(
                    "{file} : encodage deviné ({enc}) — vérifiez les accents du rapport ; "
                    "enregistrez le fichier en UTF-8 pour lever le doute.",
                    "{file}: guessed encoding ({enc}) — check the accents in the report; save "
                    "the file as UTF-8 to remove the doubt.",
                    file=getattr(item, "label", "?"),
                    enc=getattr(item, "encoding", "?"),
                )
            )
    return tuple(notes)


def _find_column(header: Sequence[str], *names: str) -> str | None:
    lowered = {h.casefold(): h for h in header}
    for name in names:
        if name.casefold() in lowered:
            return lowered[name.casefold()]
    return None


def load_pool(path: Path | str, *, id_column: str | None = None) -> Pool:
    """Load the volunteers' CSV.

    ``id_column`` names the identifier column; when omitted, a column called ``id``,
    ``identifiant``, ``unique_id``… is used, and failing that rows are numbered ``p0``, ``p1``…
    (the Panelot ``respondents.csv`` layout has no id column).
    """
    path = Path(path)
    table = read_table(path)
    header, rows, data = table.header, table.rows, table.data
    if not rows:
        raise InputError(
            tr(
                "{file} ne contient aucune personne (en-tête seul : {cols})",
                "{file} contains nobody (header only: {cols})",
                file=path,
                cols=", ".join(header),
            ),
            tr(
                "Donnez le fichier des volontaires : une ligne par personne après l'en-tête.",
                "Give the volunteers' file: one line per person after the header.",
            ),
        )
    if id_column is not None:
        column = _find_column(header, id_column)
        if column is None:
            raise InputError(
                tr(
                    "{file} : colonne d'identifiant « {col} » absente (colonnes : {cols})",
                    "{file}: id column '{col}' not found (columns: {cols})",
                    file=path,
                    col=id_column,
                    cols=", ".join(header),
                ),
                tr(
                    "Indiquez le nom exact de la colonne d'identifiant.",
                    "Give the exact name of the id column.",
                ),
            )
    else:
        column = _find_column(header, *_ID_CANDIDATES)
    people: list[PoolRow] = []
    seen: dict[str, int] = {}
    for index, (line, values) in enumerate(rows):
        if column is None:
            person_id = f"p{index}"
        else:
            person_id = values[column]
            if not person_id:
                raise InputError(
                    tr(
                        "{file}, ligne {line}, colonne « {col} » : identifiant vide",
                        "{file}, line {line}, column '{col}': empty id",
                        file=path,
                        line=line,
                        col=column,
                    ),
                    tr("Donnez un identifiant à chaque personne.", "Give every person an id."),
                )
            if person_id in seen:
                raise InputError(
                    tr(
                        "{file}, ligne {line}, colonne « {col} » : identifiant « {id} » en double "
                        "(déjà ligne {first})",
                        "{file}, line {line}, column '{col}': duplicate id '{id}' "
                        "(already on line {first})",
                        file=path,
                        line=line,
                        col=column,
                        id=person_id,
                        first=seen[person_id],
                    ),
                    tr(
                        "Chaque personne doit avoir un identifiant unique.",
                        "Every person needs a unique id.",
                    ),
                )
        seen[person_id] = line
        people.append(PoolRow(id=person_id, line=line, values=values))
    return Pool(
        path=path,
        columns=tuple(header),
        id_column=column,
        rows=tuple(people),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=table.encoding,
        encoding_guessed=table.guessed,
    )


def _parse_count(path: Path, line: int, column: str, text: str, *, required: bool) -> int | None:
    if not text:
        if not required:
            return None
        raise InputError(
            tr(
                "{file}, ligne {line}, colonne « {col} » : valeur manquante",
                "{file}, line {line}, column '{col}': missing value",
                file=path,
                line=line,
                col=column,
            ),
            tr("Indiquez un nombre entier de personnes.", "Give a whole number of people."),
        )
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = float("nan")
    if value != value or value != int(value) or value < 0:
        raise InputError(
            tr(
                "{file}, ligne {line}, colonne « {col} » : « {text} » n'est pas un entier positif",
                "{file}, line {line}, column '{col}': '{text}' is not a non-negative integer",
                file=path,
                line=line,
                col=column,
                text=text,
            ),
            tr("Indiquez un nombre entier de personnes.", "Give a whole number of people."),
        )
    return int(value)


def load_quotas(path: Path | str) -> QuotaSet:
    """Load the quotas CSV in any of the three accepted layouts."""
    path = Path(path)
    table = read_table(path)
    header, rows, data = table.header, table.rows, table.data
    criterion_col = _find_column(header, "category")
    if criterion_col is not None:
        value_col = _find_column(header, "name", "feature", "value")
    else:
        criterion_col = _find_column(header, "feature", "critère", "critere", "criterion")
        value_col = _find_column(header, "value", "valeur")
    min_col = _find_column(header, "min")
    max_col = _find_column(header, "max")
    missing = [
        name
        for name, col in (
            ("feature", criterion_col),
            ("value", value_col),
            ("min", min_col),
            ("max", max_col),
        )
        if col is None
    ]
    if missing or criterion_col is None or value_col is None or min_col is None or max_col is None:
        raise InputError(
            tr(
                "{file}, ligne 1 : colonne(s) manquante(s) {cols} (en-tête lu : {header})",
                "{file}, line 1: missing column(s) {cols} (header read: {header})",
                file=path,
                cols=", ".join(missing),
                header=",".join(header),
            ),
            tr(
                "En-têtes acceptés : feature,value,min,max ; category,name,min,max ; "
                "category,feature,min,max.",
                "Accepted headers: feature,value,min,max; category,name,min,max; "
                "category,feature,min,max.",
            ),
        )
    min_flex_col = _find_column(header, "min_flex")
    max_flex_col = _find_column(header, "max_flex")
    quotas: list[Quota] = []
    seen: dict[tuple[str, str], int] = {}
    for line, values in rows:
        criterion, value = values[criterion_col], values[value_col]
        for col, text in ((criterion_col, criterion), (value_col, value)):
            if not text:
                raise InputError(
                    tr(
                        "{file}, ligne {line}, colonne « {col} » : valeur manquante",
                        "{file}, line {line}, column '{col}': missing value",
                        file=path,
                        line=line,
                        col=col,
                    ),
                    tr(
                        "Chaque ligne nomme un critère et une valeur.",
                        "Each line names a criterion and a value.",
                    ),
                )
        key = (criterion.casefold(), value.casefold())
        if key in seen:
            raise InputError(
                tr(
                    "{file}, ligne {line}, colonne « {col} » : « {crit} = {value} » en double "
                    "(déjà ligne {first})",
                    "{file}, line {line}, column '{col}': duplicate '{crit} = {value}' "
                    "(already on line {first})",
                    file=path,
                    line=line,
                    col=value_col,
                    crit=criterion,
                    value=value,
                    first=seen[key],
                ),
                tr("Gardez une seule ligne par valeur.", "Keep one line per value."),
            )
        seen[key] = line
        low = _parse_count(path, line, min_col, values[min_col], required=True)
        high = _parse_count(path, line, max_col, values[max_col], required=True)
        assert low is not None and high is not None
        if low > high:
            raise InputError(
                tr(
                    "{file}, ligne {line}, colonne « {col} » : min {low} > max {high} pour "
                    "« {crit} = {value} »",
                    "{file}, line {line}, column '{col}': min {low} > max {high} for "
                    "'{crit} = {value}'",
                    file=path,
                    line=line,
                    col=min_col,
                    low=low,
                    high=high,
                    crit=criterion,
                    value=value,
                ),
                tr(
                    "Le minimum doit être inférieur ou égal au maximum.",
                    "The minimum must not exceed the maximum.",
                ),
            )
        min_flex = (
            _parse_count(path, line, min_flex_col, values[min_flex_col], required=False)
            if min_flex_col
            else None
        )
        max_flex = (
            _parse_count(path, line, max_flex_col, values[max_flex_col], required=False)
            if max_flex_col
            else None
        )
        quotas.append(Quota(criterion, value, low, high, min_flex, max_flex, line))
    if not quotas:
        raise InputError(
            tr("{file} ne contient aucun quota", "{file} contains no quota", file=path),
            tr("Ajoutez une ligne par valeur de critère.", "Add one line per criterion value."),
        )
    return QuotaSet(
        path=path,
        quotas=tuple(quotas),
        sha256=hashlib.sha256(data).hexdigest(),
        encoding=table.encoding,
        encoding_guessed=table.guessed,
    )


def normalise_address(parts: Iterable[str]) -> str | None:
    """Household key: accents, case, punctuation and spacing removed; ``None`` if all blank."""
    cleaned = []
    for part in parts:
        text = unicodedata.normalize("NFKD", part)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
        cleaned.append(" ".join(re.sub(r"[^0-9a-z]+", " ", text).split()))
    return "|".join(cleaned) if any(cleaned) else None


def load_id_list(path: Path | str, *, id_column: str | None = None) -> tuple[str, ...]:
    """Read ids from a CSV with an id column, or from a plain list (one id per line)."""
    path = Path(path)
    table = read_table(path)
    header, rows = table.header, table.rows
    column = _find_column(header, id_column) if id_column else _find_column(header, *_ID_CANDIDATES)
    if column is None:
        if len(header) != 1:
            raise InputError(
                tr("{file} : colonne d'identifiant introuvable", "{file}: no id column", file=path),
                tr(
                    "Nommez la colonne « id » ou donnez une liste d'identifiants, un par ligne.",
                    "Call the column 'id' or give a list of ids, one per line.",
                ),
            )
        return (header[0], *(values[header[0]] for _, values in rows))
    return tuple(values[column] for _, values in rows if values[column])


def _check_ids(pool: Pool, ids: Iterable[str], what: str) -> tuple[str, ...]:
    known = {row.id for row in pool.rows}
    result: list[str] = []
    for person_id in ids:
        if person_id not in known:
            raise InputError(
                tr(
                    "{what} : identifiant « {id} » absent de {file}",
                    "{what}: id '{id}' is not in {file}",
                    what=what,
                    id=person_id,
                    file=pool.label,
                ),
                tr(
                    "Utilisez les identifiants de la colonne « {col} » du vivier.",
                    "Use ids from the pool's '{col}' column.",
                    col=pool.id_column or "id",
                ),
            )
        if person_id not in result:
            result.append(person_id)
    return tuple(result)


def build_instance(
    pool: Pool,
    quotas: QuotaSet,
    k: int,
    *,
    household_columns: Sequence[str] = (),
    already_selected: Iterable[str] = (),
    excluded: Iterable[str] = (),
) -> Instance:
    """Check that pool, quotas and options fit together and build the selection problem."""
    column_of: dict[str, str] = {}
    for criterion in quotas.criteria:
        column = _find_column(pool.columns, criterion)
        if column is None:
            first = next(q for q in quotas.quotas if q.criterion == criterion)
            raise InputError(
                tr(
                    "{qfile}, ligne {line} : le critère « {crit} » n'est pas une colonne de {pfile}"
                    " (colonnes : {cols})",
                    "{qfile}, line {line}: criterion '{crit}' is not a column of {pfile}"
                    " (columns: {cols})",
                    qfile=quotas.label,
                    line=first.line,
                    crit=criterion,
                    pfile=pool.label,
                    cols=", ".join(pool.columns),
                ),
                tr(
                    "Renommez la colonne ou le critère pour qu'ils correspondent.",
                    "Rename the column or the criterion so they match.",
                ),
            )
        column_of[criterion] = column
    address_columns: list[str] = []
    for name in household_columns:
        column = _find_column(pool.columns, name)
        if column is None:
            raise InputError(
                tr(
                    "{file} : colonne d'adresse « {col} » absente (colonnes : {cols})",
                    "{file}: address column '{col}' not found (columns: {cols})",
                    file=pool.label,
                    col=name,
                    cols=", ".join(pool.columns),
                ),
                tr(
                    "Indiquez les colonnes d'adresse exactes du vivier.",
                    "Give the pool's exact address columns.",
                ),
            )
        address_columns.append(column)
    values_of: dict[str, dict[str, str]] = {c: {} for c in quotas.criteria}
    for quota in quotas.quotas:
        values_of[quota.criterion][quota.value.casefold()] = quota.value
    ids: list[str] = []
    features: list[dict[str, str]] = []
    households: list[str | None] = []
    for row in pool.rows:
        person: dict[str, str] = {}
        for criterion, column in column_of.items():
            raw = row.values[column]
            value = values_of[criterion].get(raw.casefold())
            if value is None:
                allowed = ", ".join(values_of[criterion].values())
                raise InputError(
                    tr(
                        "{file}, ligne {line}, colonne « {col} » : valeur « {value} » inconnue "
                        "(quotas : {allowed})",
                        "{file}, line {line}, column '{col}': unknown value '{value}' "
                        "(quotas: {allowed})",
                        file=pool.label,
                        line=row.line,
                        col=column,
                        value=raw,
                        allowed=allowed,
                    ),
                    tr(
                        "Corrigez la valeur ou ajoutez-la au fichier de quotas.",
                        "Fix the value or add it to the quotas file.",
                    ),
                )
            person[criterion] = value
        ids.append(row.id)
        features.append(person)
        households.append(
            normalise_address(row.values[c] for c in address_columns) if address_columns else None
        )
    selected = _check_ids(pool, already_selected, tr("déjà sélectionnés", "already selected"))
    removed = _check_ids(pool, excluded, tr("exclus", "excluded"))
    clash = set(selected) & set(removed)
    if clash:
        raise InputError(
            tr(
                "« {id} » est à la fois déjà sélectionné et exclu",
                "'{id}' is both already selected and excluded",
                id=sorted(clash)[0],
            ),
            tr("Retirez-le de l'une des deux listes.", "Remove it from one of the two lists."),
        )
    if k <= 0:
        raise InputError(
            tr("Taille de panel invalide : {k}", "Invalid panel size: {k}", k=k),
            tr("Indiquez un nombre de membres positif.", "Give a positive number of members."),
        )
    available = len(pool.rows) - len(removed)
    if available < k:
        raise InputError(
            tr(
                "{file} : {n} personnes disponibles pour un panel de {k}",
                "{file}: {n} people available for a panel of {k}",
                file=pool.label,
                n=available,
                k=k,
            ),
            tr(
                "Réduisez la taille du panel ou élargissez le vivier.",
                "Reduce the panel size or enlarge the pool.",
            ),
        )
    if len(selected) > k:
        raise InputError(
            tr(
                "{n} personnes déjà sélectionnées pour un panel de {k}",
                "{n} people already selected for a panel of {k}",
                n=len(selected),
                k=k,
            ),
            tr(
                "La taille du panel inclut les personnes déjà sélectionnées.",
                "The panel size includes the people already selected.",
            ),
        )
    return Instance(
        pool=pool,
        quotas=quotas,
        k=k,
        ids=tuple(ids),
        features=tuple(features),
        household=tuple(households),
        household_columns=tuple(address_columns),
        already_selected=selected,
        excluded=removed,
    )
