"""PDF renderer with reportlab's platypus.

The body's Markdown is converted to HTML by python-markdown (the same conversion as the HTML
output), then the HTML subset python-markdown produces — h1–h6, p, strong/em, code, links,
ul/ol (nested), tables, pre, blockquote, hr, img — is mapped to flowables. The PDF has a title
page, a table of contents with page numbers, PDF bookmarks, and on every page a footer with the
title, "Page n / N", the policy version and the content SHA-256.

Fonts: DejaVu Sans (full French and symbol coverage) from the system (Debian
``fonts-dejavu-core``) or from matplotlib's bundled copy; otherwise reportlab's Helvetica, for
which characters outside Windows-1252 are replaced by close equivalents.
"""

from __future__ import annotations

import importlib.util
import io
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from garant.documents.environment import in_language
from garant.documents.integrity import PDF_KEYWORD, PDF_SEAL_KEYWORD, VERIFY_COMMAND
from garant.documents.markup import HtmlNode, markdown_to_html, parse_html
from garant.documents.reportlab_import import defer_pillow
from garant.documents.source import Figure, PreparedDocument
from garant.i18n import tr

__all__ = [
    "PdfFonts",
    "find_dejavu",
    "register_fonts",
    "register_oblique_faces",
    "render_pdf_bytes",
]

_ACCENT = "#1d3f8a"
_MUTED = "#4a4a4a"
_RULE = "#c9c9c9"
_SOFT = "#f3f4f7"
_ALERT = "#b00020"
_ALERT_SOFT = "#fdecee"

_DEJAVU_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
    "mono": "DejaVuSansMono.ttf",
}
_SYSTEM_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
# Characters Helvetica (Windows-1252) lacks, mapped to close equivalents.
_LATIN1_SUBSTITUTES = {
    "\u202f": "\u00a0",  # narrow no-break space (French punctuation)
    "\u2009": " ",
    "\u200b": "",
    "\u2011": "-",
    "\u2010": "-",
    "\u2212": "-",
    "\u2264": "<=",
    "\u2265": ">=",
    "\u2260": "!=",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2713": "v",
    "\u2714": "v",
    "\u2717": "x",
    "\u2718": "x",
    "\u2022": "\u2022",
    "\u25e6": "-",
    "\u2248": "~",
    "\u00a0": "\u00a0",
}


@dataclass(frozen=True)
class PdfFonts:
    """Font names registered with reportlab for one rendering."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    mono: str
    unicode: bool
    """True for DejaVu (every character shown), False for Helvetica (substitutions)."""


def find_dejavu() -> Path | None:
    """The folder holding the DejaVu Sans TTF files, from the system or matplotlib, or None."""
    candidates = [Path(folder) for folder in _SYSTEM_FONT_DIRS]
    spec = importlib.util.find_spec("matplotlib")
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            candidates.append(Path(location) / "mpl-data" / "fonts" / "ttf")
    for folder in candidates:
        if all((folder / name).is_file() for name in _DEJAVU_FILES.values()):
            return folder
    return None


def register_fonts(*, prefer_unicode: bool = True) -> PdfFonts:
    """Register DejaVu's upright faces with reportlab (once per process) or fall back to
    Helvetica. The oblique faces are registered by :func:`register_oblique_faces`, only for a
    document that draws italics: each face costs ~0.01 s to read (docs/adr-0020)."""
    defer_pillow()
    from reportlab.lib.fonts import addMapping

    folder = find_dejavu() if prefer_unicode else None
    if folder is None:
        return PdfFonts(
            "Helvetica",
            "Helvetica-Bold",
            "Helvetica-Oblique",
            "Helvetica-BoldOblique",
            "Courier",
            unicode=False,
        )
    _register_faces(folder, ("regular", "bold", "mono"))
    addMapping("GarantSans", 0, 0, _DEJAVU_NAMES["regular"])
    addMapping("GarantSans", 1, 0, _DEJAVU_NAMES["bold"])
    addMapping("GarantSans", 0, 1, _DEJAVU_NAMES["italic"])
    addMapping("GarantSans", 1, 1, _DEJAVU_NAMES["bold_italic"])
    return PdfFonts(
        _DEJAVU_NAMES["regular"],
        _DEJAVU_NAMES["bold"],
        _DEJAVU_NAMES["italic"],
        _DEJAVU_NAMES["bold_italic"],
        _DEJAVU_NAMES["mono"],
        unicode=True,
    )


def register_oblique_faces(fonts: PdfFonts) -> None:
    """Register the italic and bold italic faces of ``fonts`` (DejaVu; Helvetica's are
    built into reportlab)."""
    folder = find_dejavu() if fonts.unicode else None
    if folder is not None:
        _register_faces(folder, ("italic", "bold_italic"))


_DEJAVU_NAMES = {
    "regular": "GarantSans",
    "bold": "GarantSans-Bold",
    "italic": "GarantSans-Oblique",
    "bold_italic": "GarantSans-BoldOblique",
    "mono": "GarantMono",
}


def _register_faces(folder: Path, faces: Sequence[str]) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    for face in faces:
        name = _DEJAVU_NAMES[face]
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(folder / _DEJAVU_FILES[face])))


_INLINE = frozenset(
    {"strong", "b", "em", "i", "code", "a", "br", "span", "del", "s", "sup", "sub", "u", "img"}
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


def _glyphs(font_name: str) -> frozenset[int]:
    """Code points the (TrueType) font can draw."""
    from reportlab.pdfbase import pdfmetrics

    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    return frozenset(getattr(face, "charToGlyph", {}) or ()) | frozenset(b"\n\t\r ")


def _describe_missing(char: str, glyphs: frozenset[int]) -> str:
    """A character the font lacks (an emoji…) becomes its Unicode name, so no meaning is lost
    silently; modifiers, joiners and variation selectors are dropped."""
    import unicodedata

    if ord(char) in glyphs:
        return char
    if unicodedata.category(char) in ("Sk", "Mn", "Me", "Cf", "Cc", "Co", "Cn"):
        return ""
    return f"[{unicodedata.name(char, f'U+{ord(char):04X}').lower()}]"


def _png_size(data: bytes) -> tuple[int, int]:
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


class _Converter:
    """Maps the HTML tree to platypus flowables."""

    def __init__(
        self,
        fonts: PdfFonts,
        figures: dict[str, Figure],
        width: float,
        height: float,
        heading_base: int,
    ) -> None:
        from reportlab.lib import colors
        from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
        from reportlab.lib.styles import ParagraphStyle

        self.fonts = fonts
        self.glyphs = _glyphs(fonts.regular) if fonts.unicode else frozenset()
        self.figures = figures
        self.width = width
        self.height = height
        self.heading_base = heading_base
        self.last_toc_level = -1
        self.uses_italic = False
        """Whether a flowable draws an oblique face (then :func:`register_oblique_faces`)."""
        self.colors = colors
        base = ParagraphStyle(
            "garant-body",
            fontName=fonts.regular,
            fontSize=10,
            leading=14.2,
            spaceAfter=6,
            textColor=colors.HexColor("#1b1b1b"),
        )
        self.styles: dict[str, ParagraphStyle] = {"body": base}
        sizes = [(16, 21, 16, 6), (13, 17, 12, 5), (11.2, 15, 10, 4), (10, 14, 8, 3)]
        for level, (size, leading, before, after) in enumerate(sizes):
            self.styles[f"h{level}"] = ParagraphStyle(
                f"garant-h{level}",
                parent=base,
                fontName=fonts.bold,
                fontSize=size,
                leading=leading,
                spaceBefore=before,
                spaceAfter=after,
                textColor=colors.HexColor(_ACCENT if level < 3 else "#1b1b1b"),
                keepWithNext=1,
            )
        for name, alignment in (("left", TA_LEFT), ("center", TA_CENTER), ("right", TA_RIGHT)):
            self.styles[f"cell-{name}"] = ParagraphStyle(
                f"garant-cell-{name}",
                parent=base,
                fontSize=9,
                leading=12,
                spaceAfter=0,
                alignment=alignment,
            )
            self.styles[f"head-{name}"] = ParagraphStyle(
                f"garant-head-{name}",
                parent=self.styles[f"cell-{name}"],
                fontName=fonts.bold,
            )
        self.styles["small-cell"] = ParagraphStyle(
            "garant-small-cell",
            parent=self.styles["cell-left"],
            fontSize=8,
            leading=10.5,
        )
        self.styles["small-head"] = ParagraphStyle(
            "garant-small-head",
            parent=self.styles["small-cell"],
            fontName=fonts.bold,
        )
        self.styles["code"] = ParagraphStyle(
            "garant-code",
            parent=base,
            fontName=fonts.mono,
            fontSize=8.5,
            leading=11,
            spaceAfter=0,
        )
        self.styles["caption"] = ParagraphStyle(
            "garant-caption",
            parent=base,
            fontName=fonts.italic,
            fontSize=9,
            leading=12,
            alignment=TA_CENTER,
            textColor=colors.HexColor(_MUTED),
        )
        self.styles["item"] = ParagraphStyle("garant-item", parent=base, spaceAfter=2)
        self.styles["quote"] = ParagraphStyle(
            "garant-quote",
            parent=base,
            textColor=colors.HexColor("#333333"),
            spaceAfter=3,
        )

    # --- text ----------------------------------------------------------------------------

    def escape(self, text: str) -> str:
        return xml_escape(self.plain(text))

    def plain(self, text: str) -> str:
        if self.fonts.unicode:
            if all(ord(char) in self.glyphs for char in text):
                return text
            return "".join(_describe_missing(char, self.glyphs) for char in text)
        text = "".join(_LATIN1_SUBSTITUTES.get(char, char) for char in text)
        return text.encode("cp1252", errors="replace").decode("cp1252")

    def inline(self, children: Sequence[HtmlNode | str]) -> str:
        parts: list[str] = []
        for child in children:
            if isinstance(child, str):
                parts.append(self.escape(child))
                continue
            inner = self.inline(child.children)
            tag = child.tag
            if tag in ("strong", "b") and "garant-alert" in child.attrs.get("class", ""):
                parts.append(f'<font color="{_ALERT}"><b>{inner}</b></font>')
            elif tag in ("strong", "b"):
                parts.append(f"<b>{inner}</b>")
            elif tag in ("em", "i"):
                self.uses_italic = True
                parts.append(f"<i>{inner}</i>")
            elif tag == "code":
                parts.append(f'<font face="{self.fonts.mono}">{inner}</font>')
            elif tag == "a":
                href = child.attrs.get("href", "")
                if href.startswith(("http://", "https://", "mailto:")):
                    parts.append(
                        f'<a href="{xml_escape(href, {chr(34): "&quot;"})}" '
                        f'color="{_ACCENT}"><u>{inner}</u></a>'
                    )
                else:
                    parts.append(inner)
            elif tag == "br":
                parts.append("<br/>")
            elif tag in ("del", "s"):
                parts.append(f"<strike>{inner}</strike>")
            elif tag == "sup":
                parts.append(f"<super>{inner}</super>")
            elif tag == "sub":
                parts.append(f"<sub>{inner}</sub>")
            elif tag == "img":
                parts.append(self.escape(f"[{child.attrs.get('alt', '')}]"))
            else:
                parts.append(inner)
        return "".join(parts).strip()

    # --- blocks --------------------------------------------------------------------------

    def blocks(self, node: HtmlNode, depth: int = 0, style: str = "body") -> list[Any]:
        from reportlab.platypus import Paragraph

        out: list[Any] = []
        pending: list[HtmlNode | str] = []

        def flush() -> None:
            markup = self.inline(pending)
            if markup:
                out.append(Paragraph(markup, self.styles[style]))
            pending.clear()

        for child in node.children:
            if isinstance(child, str) or child.tag in _INLINE:
                pending.append(child)
                continue
            flush()
            tag = child.tag
            if tag in ("table", "pre", "blockquote") and out and isinstance(out[-1], Paragraph):
                out[-1].keepWithNext = 1  # an introducing sentence stays with what it introduces
            if tag in _HEADINGS:
                out.extend(self.heading(child, _HEADINGS[tag]))
            elif tag == "p":
                out.extend(self.paragraph(child, style))
            elif tag in ("ul", "ol"):
                out.append(self.listing(child, depth))
            elif tag == "table":
                out.append(self.table(child))
            elif tag == "pre":
                out.append(self.pre(child))
            elif tag == "blockquote":
                out.append(self.quote(child, depth))
            elif tag == "hr":
                out.append(self.rule())
            else:
                out.extend(self.blocks(child, depth, style))
        flush()
        return out

    def heading(self, node: HtmlNode, level: int) -> list[Any]:
        """The heading, after a conditional page break: a heading never ends a page alone
        (reportlab's keepWithNext does not hold a heading to a following list)."""
        from reportlab.lib.units import mm
        from reportlab.platypus import CondPageBreak

        relative = max(0, level - self.heading_base)
        toc_level = min(relative, self.last_toc_level + 1, 3)
        self.last_toc_level = toc_level
        markup = self.inline(node.children)
        heading = _heading_class()(markup, self.styles[f"h{min(relative, 3)}"])
        heading.garant_key = node.attrs.get("id", "") or f"h-{id(node)}"
        heading.garant_level = toc_level
        heading.garant_text = self.plain(node.text().strip())
        return [CondPageBreak((40, 30, 22, 18)[min(relative, 3)] * mm), heading]

    def paragraph(self, node: HtmlNode, style: str = "body") -> list[Any]:
        from reportlab.platypus import Paragraph

        significant = [c for c in node.children if not (isinstance(c, str) and not c.strip())]
        if significant and all(isinstance(c, HtmlNode) and c.tag == "img" for c in significant):
            return [self.image(c) for c in significant if isinstance(c, HtmlNode)]
        markup = self.inline(node.children)
        return [Paragraph(markup, self.styles[style])] if markup else []

    def image(self, node: HtmlNode) -> Any:
        from reportlab.platypus import Image, KeepTogether, Paragraph

        figure = self.figures.get(node.attrs.get("src", ""))
        alt = node.attrs.get("alt", "")
        if figure is None:
            self.uses_italic = True  # the caption style
            return Paragraph(self.escape(f"[{alt}]"), self.styles["caption"])
        pixel_width, pixel_height = _png_size(figure.data)
        width = min(self.width, pixel_width * 0.75)
        height = width * pixel_height / max(pixel_width, 1)
        limit = self.height * 0.6
        if height > limit:
            width, height = width * limit / height, limit
        parts: list[Any] = [Image(io.BytesIO(figure.data), width=width, height=height)]
        if alt:
            self.uses_italic = True  # the caption style
            parts.append(Paragraph(self.escape(alt), self.styles["caption"]))
        return KeepTogether(parts)

    def listing(self, node: HtmlNode, depth: int) -> Any:
        from reportlab.platypus import ListFlowable, ListItem

        items = []
        for child in node.children:
            if isinstance(child, HtmlNode) and child.tag == "li":
                flowables = self.blocks(child, depth + 1, "item")
                items.append(ListItem(flowables or [self.rule(0)]))
        ordered = node.tag == "ol"
        bullets = ["\u2022", "\u2013", "-" if not self.fonts.unicode else "\u25e6"]
        options: dict[str, Any] = {
            "leftIndent": 16,
            "bulletFontName": self.fonts.regular,
            "bulletFontSize": 9.5,
            "spaceAfter": 6 if depth == 0 else 0,
        }
        if ordered:
            options.update(
                bulletType="1", bulletFormat="%s.", start=node.attrs.get("start", "1") or "1"
            )
        else:
            options.update(bulletType="bullet", start=bullets[min(depth, len(bullets) - 1)])
        return ListFlowable(items, **options)

    def table(self, node: HtmlNode) -> Any:
        from reportlab.platypus import Paragraph, Table, TableStyle

        rows: list[list[Any]] = []
        lengths: list[list[tuple[float, float]]] = []
        header_rows = 0
        sections = [c for c in node.children if isinstance(c, HtmlNode)]
        raw_rows: list[tuple[bool, HtmlNode]] = []
        for section in sections:
            if section.tag == "tr":
                raw_rows.append((False, section))
            for row in section.children:
                if isinstance(row, HtmlNode) and row.tag == "tr":
                    raw_rows.append((section.tag == "thead", row))
        columns = max(
            (len([c for c in r.children if isinstance(c, HtmlNode)]) for _, r in raw_rows),
            default=0,
        )
        if columns == 0:
            return self.rule(0)
        small = columns > 5
        for in_head, row in raw_rows:
            cells: list[Any] = []
            row_lengths: list[tuple[float, float]] = []
            for cell in [c for c in row.children if isinstance(c, HtmlNode)]:
                align = "left"
                style_attr = cell.attrs.get("style", "") + cell.attrs.get("align", "")
                for name in ("center", "right"):
                    if name in style_attr:
                        align = name
                head = in_head or cell.tag == "th"
                style = self.styles[("head-" if head else "cell-") + align]
                if small:
                    style = self.styles["small-head" if head else "small-cell"]
                cells.append(Paragraph(self.inline(cell.children), style))
                row_lengths.append(self.measure(cell.text(), style))
            cells += [""] * (columns - len(cells))
            row_lengths += [(0.0, 0.0)] * (columns - len(row_lengths))
            rows.append(cells)
            lengths.append(row_lengths)
            header_rows += 1 if in_head and header_rows == len(rows) - 1 else 0
        widths = _column_widths(lengths, self.width)
        table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT", splitInRow=1)
        commands: list[tuple[Any, ...]] = [
            ("GRID", (0, 0), (-1, -1), 0.5, self.colors.HexColor(_RULE)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]
        if header_rows:
            commands.append(
                ("BACKGROUND", (0, 0), (-1, header_rows - 1), self.colors.HexColor(_SOFT))
            )
        table.setStyle(TableStyle(commands))
        table.spaceBefore = 4
        table.spaceAfter = 10
        return table

    def measure(self, text: str, style: Any) -> tuple[float, float]:
        """(longest word, whole text) widths of ``text`` in ``style``'s font, in points."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        words = self.plain(text).split()
        if not words:
            return (0.0, 0.0)
        size = style.fontSize
        longest = max(stringWidth(word, style.fontName, size) for word in words)
        return (longest, stringWidth(" ".join(words), style.fontName, size))

    def _boxed(self, content: list[Any], background: str, bar: str | None) -> Any:
        from reportlab.platypus import Table, TableStyle

        box = Table([[content]], colWidths=[self.width - 6], hAlign="LEFT", splitInRow=1)
        commands: list[tuple[Any, ...]] = [
            ("BACKGROUND", (0, 0), (-1, -1), self.colors.HexColor(background)),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("RIGHTPADDING", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
        if bar:
            commands.append(("LINEBEFORE", (0, 0), (0, -1), 3, self.colors.HexColor(bar)))
        box.setStyle(TableStyle(commands))
        box.spaceBefore = 2
        box.spaceAfter = 8
        return box

    def pre(self, node: HtmlNode) -> Any:
        from reportlab.pdfbase.pdfmetrics import stringWidth
        from reportlab.platypus import Preformatted

        style = self.styles["code"]
        columns = int((self.width - 24) / stringWidth("0", style.fontName, style.fontSize))
        text = self.plain(node.text().rstrip("\n"))
        code = Preformatted(text, style, maxLineLength=max(columns, 20), newLineChars="")
        return self._boxed([code], _SOFT, None)

    def quote(self, node: HtmlNode, depth: int) -> Any:
        inner = self.blocks(node, depth, "quote")
        return self._boxed(inner, "#fafafa", _RULE)

    def rule(self, space: float = 6) -> Any:
        from reportlab.platypus.flowables import HRFlowable

        return HRFlowable(
            width="100%",
            thickness=0.6,
            color=self.colors.HexColor(_RULE),
            spaceBefore=space,
            spaceAfter=space,
        )


def _column_widths(measures: list[list[tuple[float, float]]], width: float) -> list[float]:
    """Column widths as browsers lay out tables: never below the longest word if possible,
    extra room shared in proportion to how much more each column would like."""
    padding = 9.0
    columns = len(measures[0]) if measures else 0
    minimum = [
        min(max(row[i][0] for row in measures), width * 0.3) + padding for i in range(columns)
    ]
    preferred = [
        max(min(max(row[i][1] for row in measures) + padding, width * 0.6), minimum[i])
        for i in range(columns)
    ]
    if sum(preferred) <= width:
        return [value * width / sum(preferred) for value in preferred]
    if sum(minimum) >= width:
        return [value * width / sum(minimum) for value in minimum]
    extra = width - sum(minimum)
    wanted = [preferred[i] - minimum[i] for i in range(columns)]
    total = sum(wanted) or 1.0
    return [minimum[i] + extra * wanted[i] / total for i in range(columns)]


_HEADING_CLASS: list[type[Any]] = []


def _heading_class() -> type[Any]:
    """A Paragraph subclass carrying TOC data (built lazily: reportlab is imported on use)."""
    if not _HEADING_CLASS:
        from reportlab.platypus import Paragraph

        class Heading(Paragraph):  # type: ignore[misc]
            garant_key = ""
            garant_level = 0
            garant_text = ""

        _HEADING_CLASS.append(Heading)
    return _HEADING_CLASS[0]


_CONTENTS_CLASS: list[type[Any]] = []


def _contents_class() -> type[Any]:
    """reportlab's ``TableOfContents`` laid out in one pass when its entries are known.

    Its lines (the level 0–1 headings' texts) are known before layout, so it is given them
    from the start: its height — hence every page after it — is final in the first pass. Only
    the page numbers are not known yet: each line's dots and number are drawn by reportlab's
    own ``drawPageNumbers`` into a form XObject that the line references where it is drawn and
    that the canvas defines when the document is saved, once every heading has its page (as
    « Page n / N » footers are). If the headings seen differ from the expected lines, the
    table asks reportlab for another pass, as before (docs/adr-0020, Session 4, audit report).
    """
    if not _CONTENTS_CLASS:
        from ast import literal_eval

        from reportlab.platypus.tableofcontents import TableOfContents, drawPageNumbers

        class OnePassContents(TableOfContents):  # type: ignore[misc]
            def __init__(self, expected: Sequence[tuple[int, str, str]], **kwargs: Any) -> None:
                super().__init__(**kwargs)
                self._lastEntries = [(level, text, 0, key) for level, text, key in expected]
                self.garant_drawn: list[tuple[Any, ...]] = []
                self.garant_first = True

            def beforeBuild(self) -> None:
                if not self.garant_first:  # a further pass lays out the headings seen
                    super().beforeBuild()
                self.garant_first = False
                self.garant_drawn = []

            def isSatisfied(self) -> bool:
                def lines(entries: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
                    return [(level, text, key) for level, text, _, key in entries]

                return bool(lines(self._entries) == lines(self._lastEntries))

            def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
                size: tuple[float, float] = super().wrap(availWidth, availHeight)

                def draw_entry_end(canvas: Any, kind: str, label: str) -> None:
                    _, level, key = label.split(",")
                    name = f"garantContents{len(self.garant_drawn)}"
                    info = canvas._curr_tx_info
                    # The page number's link, where reportlab adds it; its rectangle is set
                    # once the number (hence its width) is known.
                    destination = literal_eval(key)
                    canvas.linkRect("", destination, (0, 0, 0, 0), relative=0)
                    annotation = canvas._doc.idToObject[
                        canvas._doc.annotationName(f"NUMBER{canvas._annotationCount}")
                    ]
                    self.garant_drawn.append(
                        (
                            name,
                            int(level),
                            destination,
                            info["cur_x"],
                            info["cur_y"],
                            availWidth,
                            availHeight,
                            canvas._currentMatrix,
                            annotation,
                        )
                    )
                    canvas.doForm(name)

                self.canv.setNamedCB("drawTOCEntryEnd", draw_entry_end)
                return size

            def draw_page_numbers(self, canvas: Any) -> None:
                """Define each line's form (dots, page number) and its link's rectangle."""
                pages = {key: page for _, _, page, key in self._entries}
                page_matrix = canvas._currentMatrix
                for drawn in self.garant_drawn:
                    name, level, key, x, y, width, height, matrix, annotation = drawn
                    style = self.getLevelStyle(level)
                    dot = " . " if 0 <= self.dotsMinLevel <= level else ""
                    links: list[tuple[float, float, float, float]] = []
                    canvas.beginForm(name, -width, -height, 2 * width, 2 * height)
                    canvas._curr_tx_info = {"cur_x": x, "cur_y": y}
                    canvas.linkRect = lambda _c, _d, rect, _into=links, **_: _into.append(rect)
                    try:
                        drawPageNumbers(canvas, style, [(pages[key], key)], width, height, dot)
                    finally:
                        del canvas.linkRect
                    canvas.endForm()
                    canvas._currentMatrix = matrix  # where the line was drawn
                    annotation.Rect = canvas._absRect(links[0], 1)
                    canvas._currentMatrix = page_matrix

        _CONTENTS_CLASS.append(OnePassContents)
    return _CONTENTS_CLASS[0]


# ---------------------------------------------------------------------------------------------


def _canvas_class(
    draw_footer: Callable[[Any, int], None],
    pdf_date: str,
    before_save: Callable[[Any], None] = lambda canvas: None,
) -> type[Any]:
    """A canvas that keeps pages until the end so each footer can say "Page n / N"."""
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._garant_pages: list[dict[str, Any]] = []
            self.setDateFormatter(lambda *_: pdf_date)

        def showPage(self) -> None:
            self._garant_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            before_save(self)
            total = len(self._garant_pages)
            for state in self._garant_pages:
                self.__dict__.update(state)
                draw_footer(self, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def render_pdf_bytes(prepared: PreparedDocument, *, prefer_unicode: bool = True) -> bytes:
    """Render ``prepared`` to PDF bytes: title page, contents, body, footers."""
    defer_pillow()
    return in_language(
        prepared.document.language, lambda: _render(prepared, prefer_unicode=prefer_unicode)
    )


def _render(prepared: PreparedDocument, *, prefer_unicode: bool) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import (
        BaseDocTemplate,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )

    document = prepared.document
    fonts = register_fonts(prefer_unicode=prefer_unicode)
    body = markdown_to_html(prepared.body, image_sources={key: key for key in prepared.figures})
    heading_base = min((level for level, _, _ in body.headings), default=2)
    page_width, page_height = A4
    margin_x, margin_top, margin_bottom = 20 * mm, 20 * mm, 24 * mm
    frame_width = page_width - 2 * margin_x
    frame_height = page_height - margin_top - margin_bottom
    converter = _Converter(fonts, prepared.figures, frame_width, frame_height, heading_base)
    plain = converter.plain
    version = document.metadata.policy_version

    def draw_footer(canvas: Any, total: int) -> None:
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor(_RULE))
        canvas.setLineWidth(0.5)
        canvas.line(margin_x, 17 * mm, page_width - margin_x, 17 * mm)
        canvas.setFillColor(colors.HexColor(_MUTED))
        page_label = f"Page {canvas.getPageNumber()} / {total}"
        canvas.setFont(fonts.regular, 8)
        canvas.drawRightString(page_width - margin_x, 12.5 * mm, page_label)
        room = frame_width - stringWidth(page_label, fonts.regular, 8) - 12
        title = plain(f"{document.organisation} — {document.title}")
        while title and stringWidth(title, fonts.regular, 8) > room:
            title = title[:-2] + "…" if fonts.unicode else title[:-4] + "..."
        canvas.drawString(margin_x, 12.5 * mm, title)
        policy = tr("Politique {v} · ", "Policy {v} · ", v=version) if version else ""
        line = plain(policy + tr("SHA-256 du contenu : ", "Content SHA-256: "))
        size = 7.0
        while (
            stringWidth(line, fonts.regular, size)
            + stringWidth(prepared.content_sha256, fonts.mono, size)
            > frame_width
            and size > 5
        ):
            size -= 0.25
        canvas.setFont(fonts.regular, size)
        canvas.drawString(margin_x, 8.5 * mm, line)
        canvas.setFont(fonts.mono, size)
        canvas.drawString(
            margin_x + stringWidth(line, fonts.regular, size), 8.5 * mm, prepared.content_sha256
        )
        canvas.restoreState()

    class _Template(BaseDocTemplate):  # type: ignore[misc]
        def afterFlowable(self, flowable: Any) -> None:
            if isinstance(flowable, _heading_class()) and flowable.garant_key:
                key, level, text = flowable.garant_key, flowable.garant_level, flowable.garant_text
                self.canv.bookmarkPage(key)
                self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
                if level <= 1:
                    self.notify("TOCEntry", (level, xml_escape(text), self.page, key))

    when = document.metadata.generated_at.astimezone(UTC)
    pdf_date = when.strftime("D:%Y%m%d%H%M%S+00'00'")
    keywords = f"{PDF_KEYWORD}{prepared.content_sha256}, {PDF_SEAL_KEYWORD}"
    if version:
        keywords += f", garant-policy-version={version}"
    buffer = io.BytesIO()
    template = _Template(
        buffer,
        pagesize=A4,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_top,
        bottomMargin=margin_bottom,
        title=plain(document.title),
        author=plain(document.organisation),
        subject=plain(document.subtitle or document.title),
        creator="garant",
        keywords=keywords,
        invariant=1,
        lang="fr-FR" if document.language == "fr" else "en",
        displayDocTitle=1,
    )
    frame = Frame(
        margin_x,
        margin_bottom,
        frame_width,
        frame_height,
        id="main",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    template.addPageTemplates(
        [PageTemplate(id="title", frames=[frame]), PageTemplate(id="body", frames=[frame])]
    )

    base = converter.styles["body"]
    accent = colors.HexColor(_ACCENT)
    muted = colors.HexColor(_MUTED)
    organisation_style = ParagraphStyle(
        "garant-org",
        parent=base,
        fontName=fonts.bold,
        fontSize=11,
        leading=14,
        textColor=muted,
    )
    title_style = ParagraphStyle(
        "garant-title",
        parent=base,
        fontName=fonts.bold,
        fontSize=24,
        leading=30,
        textColor=accent,
        spaceAfter=10,
    )
    subtitle_style = ParagraphStyle(
        "garant-subtitle",
        parent=base,
        fontSize=13.5,
        leading=18,
        textColor=muted,
    )
    label_style = ParagraphStyle(
        "garant-label",
        parent=base,
        fontName=fonts.bold,
        fontSize=9,
        leading=12,
        spaceAfter=0,
    )
    value_style = ParagraphStyle(
        "garant-value",
        parent=label_style,
        fontName=fonts.regular,
    )
    hash_style = ParagraphStyle(
        "garant-hash",
        parent=value_style,
        fontName=fonts.mono,
        fontSize=8,
        leading=11,
    )
    contents_style = ParagraphStyle(
        "garant-contents",
        parent=converter.styles["h0"],
        spaceBefore=0,
        spaceAfter=12,
    )

    story: list[Any] = [
        Spacer(1, 28 * mm),
        Paragraph(converter.escape(document.organisation.upper()), organisation_style),
        Spacer(1, 4 * mm),
        Table(
            [[""]],
            colWidths=[40 * mm],
            rowHeights=[2.5],
            style=TableStyle([("BACKGROUND", (0, 0), (-1, -1), accent)]),
            hAlign="LEFT",
        ),
        Spacer(1, 6 * mm),
        Paragraph(converter.escape(document.title), title_style),
    ]
    if document.subtitle:
        story.append(Paragraph(converter.escape(document.subtitle), subtitle_style))
    story.append(Spacer(1, 10 * mm))
    if document.alert:
        alert = Paragraph(
            f'<font color="{_ALERT}"><b>⚠ {converter.escape(document.alert)}</b></font>', base
        )
        story.append(converter._boxed([alert], _ALERT_SOFT, _ALERT))
        story.append(Spacer(1, 6 * mm))
    if document.disclosure:
        notice = Paragraph(
            f"<b>{converter.escape(tr('Mention :', 'Notice:'))}</b> "
            f"{converter.escape(document.disclosure)}",
            base,
        )
        story.append(converter._boxed([notice], _SOFT, _ACCENT))
        story.append(Spacer(1, 6 * mm))
    rows = [
        [
            Paragraph(converter.escape(label), label_style),
            Paragraph(converter.escape(value), value_style),
        ]
        for label, value in prepared.meta_rows
    ]
    rows.append(
        [
            Paragraph(
                converter.escape(tr("Empreinte SHA-256 du contenu", "Content SHA-256")), label_style
            ),
            Paragraph(prepared.content_sha256, hash_style),
        ]
    )
    meta = Table(rows, colWidths=[48 * mm, frame_width - 48 * mm], hAlign="LEFT")
    meta.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(_RULE)),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(meta)
    story.append(Spacer(1, 5 * mm))
    how = tr(
        "Vérification : « {cmd} <fichier> », ou « sha256sum -c <fichier>.sha256 » pour "
        "l'empreinte du fichier.",
        "Verify with '{cmd} <file>', or 'sha256sum -c <file>.sha256' for the file hash.",
        cmd=VERIFY_COMMAND,
    )
    story.append(
        Paragraph(
            converter.escape(how),
            ParagraphStyle("garant-how", parent=value_style, fontSize=8, textColor=muted),
        )
    )
    story += [NextPageTemplate("body"), PageBreak()]

    flowables = converter.blocks(parse_html(body.html))
    if converter.uses_italic:
        register_oblique_faces(fonts)
    contents: Any = None
    if body.headings:
        heading = _heading_class()
        expected = [
            (flowable.garant_level, xml_escape(flowable.garant_text), flowable.garant_key)
            for flowable in flowables
            if isinstance(flowable, heading) and flowable.garant_key and flowable.garant_level <= 1
        ]
        contents = _contents_class()(expected, dotsMinLevel=0)
        contents.levelStyles = [
            ParagraphStyle(
                "garant-toc0",
                parent=base,
                fontName=fonts.bold,
                fontSize=10.5,
                leading=15,
                leftIndent=0,
                firstLineIndent=0,
                spaceBefore=3,
            ),
            ParagraphStyle(
                "garant-toc1",
                parent=base,
                fontSize=9.5,
                leading=13,
                leftIndent=14,
                firstLineIndent=0,
                spaceAfter=0,
            ),
        ]
        story += [
            Paragraph(converter.escape(tr("Sommaire", "Contents")), contents_style),
            contents,
            PageBreak(),
        ]
    story += flowables
    canvas_class = _canvas_class(
        draw_footer,
        pdf_date,
        contents.draw_page_numbers if contents is not None else lambda _: None,
    )
    template.multiBuild(story, canvasmaker=canvas_class, maxPasses=8)
    return buffer.getvalue()
