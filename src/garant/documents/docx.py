"""DOCX renderer with python-docx (optional dependency), for organisations that edit in Word.

Same conversion path as the PDF: Markdown → HTML (python-markdown) → a small tree → Word
paragraphs, lists, tables, quotes, code and pictures. Title page, a Word table-of-contents field
(Word fills it on opening, as ``updateFields`` asks; LibreOffice on "Update index"), a footer with
"Page n / N" fields, the policy version and the content SHA-256, which is also written in the
document's Keywords property. The ZIP entries get the document's generation time, so the same
document gives the same bytes.
"""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import UTC
from typing import Any

from garant.documents.environment import in_language
from garant.documents.integrity import PDF_KEYWORD, VERIFY_COMMAND
from garant.documents.markup import HtmlNode, markdown_to_html, parse_html
from garant.documents.source import PreparedDocument
from garant.errors import InputError
from garant.i18n import tr

__all__ = ["render_docx_bytes"]

_ACCENT = (0x1D, 0x3F, 0x8A)
_MUTED = (0x4A, 0x4A, 0x4A)
_MONO = "DejaVu Sans Mono"
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_INLINE = frozenset(
    {"strong", "b", "em", "i", "code", "a", "br", "span", "del", "s", "sup", "sub", "u", "img"}
)


def render_docx_bytes(prepared: PreparedDocument) -> bytes:
    """Render ``prepared`` as a Word document."""
    try:
        import docx  # noqa: F401
    except ImportError as error:
        raise InputError(
            tr(
                "Le format DOCX demande le paquet python-docx, absent de cette installation.",
                "The DOCX format needs the python-docx package, which is not installed.",
            ),
            tr(
                "Installez-le (pip install python-docx) ou choisissez md, html ou pdf.",
                "Install it (pip install python-docx) or choose md, html or pdf.",
            ),
        ) from error
    return in_language(prepared.document.language, lambda: _render(prepared))


def _add_field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """Append a Word field (PAGE, NUMPAGES, TOC…) to ``paragraph``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            element.set(qn("w:dirty"), "true")
        return element

    run = paragraph.add_run()
    run._r.append(char("begin"))
    instr_run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run._r.append(instr)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(char("end"))


def _bottom_border(paragraph: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "C9C9C9")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    properties.append(borders)


class _Writer:
    def __init__(self, document: Any, prepared: PreparedDocument, heading_base: int) -> None:
        from docx.shared import Mm

        self.doc = document
        self.prepared = prepared
        self.heading_base = heading_base
        section = document.sections[0]
        self.width = section.page_width - section.left_margin - section.right_margin
        self.max_height = Mm(150)

    # --- inline ----------------------------------------------------------------------------

    def runs(
        self,
        paragraph: Any,
        children: list[HtmlNode | str],
        bold: bool = False,
        italic: bool = False,
        mono: bool = False,
    ) -> None:
        from docx.enum.text import WD_BREAK
        from docx.shared import RGBColor

        for child in children:
            if isinstance(child, str):
                text = " ".join(child.split()) if not mono else child
                if child[:1].isspace() and text:
                    text = " " + text
                if child[-1:].isspace() and text and not text.endswith(" "):
                    text += " "
                if not text:
                    continue
                run = paragraph.add_run(text)
                run.bold = bold or None
                run.italic = italic or None
                if mono:
                    run.font.name = _MONO
                continue
            tag = child.tag
            if tag == "br":
                paragraph.add_run().add_break(WD_BREAK.LINE)
            elif tag == "img":
                paragraph.add_run(f"[{child.attrs.get('alt', '')}]").italic = True
            elif tag == "a":
                self.runs(paragraph, child.children, bold, italic, mono)
                href = child.attrs.get("href", "")
                if href.startswith(("http://", "https://", "mailto:")) and href != child.text():
                    paragraph.add_run(f" ({href.removeprefix('mailto:')})")
            else:
                before = len(paragraph.runs)
                self.runs(
                    paragraph,
                    child.children,
                    bold or tag in ("strong", "b"),
                    italic or tag in ("em", "i"),
                    mono or tag == "code",
                )
                if "garant-alert" in child.attrs.get("class", ""):
                    for added in paragraph.runs[before:]:
                        added.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)

    # --- blocks ----------------------------------------------------------------------------

    def blocks(self, node: HtmlNode, depth: int = 0, style: str | None = None) -> None:
        pending: list[HtmlNode | str] = []

        def flush() -> None:
            if any(not isinstance(c, str) or c.strip() for c in pending):
                self.runs(self.doc.add_paragraph(style=style), list(pending))
            pending.clear()

        for child in node.children:
            if isinstance(child, str) or child.tag in _INLINE:
                pending.append(child)
                continue
            flush()
            tag = child.tag
            if tag in _HEADINGS:
                level = min(max(_HEADINGS[tag] - self.heading_base, 0) + 1, 4)
                self.runs(self.doc.add_heading("", level=level), child.children)
            elif tag == "p":
                significant = [
                    c for c in child.children if not (isinstance(c, str) and not c.strip())
                ]
                if significant and all(
                    isinstance(c, HtmlNode) and c.tag == "img" for c in significant
                ):
                    for image in significant:
                        if isinstance(image, HtmlNode):
                            self.picture(image)
                else:
                    self.runs(self.doc.add_paragraph(style=style), child.children)
            elif tag in ("ul", "ol"):
                self.listing(child, depth)
            elif tag == "table":
                self.table(child)
            elif tag == "pre":
                paragraph = self.doc.add_paragraph(style="No Spacing")
                self.runs(paragraph, [child.text().rstrip("\n")], mono=True)
                self.doc.add_paragraph()
            elif tag == "blockquote":
                self.blocks(child, depth, "Quote")
            elif tag == "hr":
                _bottom_border(self.doc.add_paragraph())
            else:
                self.blocks(child, depth, style)
        flush()

    def listing(self, node: HtmlNode, depth: int) -> None:
        from docx.shared import Mm

        ordered = node.tag == "ol"
        number = int(node.attrs.get("start", "1") or "1")
        bullet_style = "List Bullet" + ("" if depth == 0 else f" {min(depth + 1, 3)}")
        for item in node.children:
            if not isinstance(item, HtmlNode) or item.tag != "li":
                continue
            inline = [c for c in item.children if isinstance(c, str) or c.tag in _INLINE]
            nested = [c for c in item.children if isinstance(c, HtmlNode) and c not in inline]
            paragraphs = [c for c in nested if c.tag == "p"]
            if ordered:
                paragraph = self.doc.add_paragraph(style="List Paragraph")
                paragraph.paragraph_format.left_indent = Mm(7 + 7 * depth)
                paragraph.paragraph_format.first_line_indent = Mm(-6)
                paragraph.add_run(f"{number}.\t")
                number += 1
            else:
                paragraph = self.doc.add_paragraph(style=bullet_style)
            content = inline or (paragraphs[0].children if paragraphs else [])
            self.runs(paragraph, list(content))
            for child in nested:
                if child.tag in ("ul", "ol"):
                    self.listing(child, depth + 1)
                elif child.tag == "p" and paragraphs and child is paragraphs[0] and not inline:
                    continue
                else:
                    holder = HtmlNode("div", children=[child])
                    self.blocks(holder, depth + 1, "List Paragraph")

    def table(self, node: HtmlNode) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        rows: list[tuple[bool, HtmlNode]] = []
        for section in [c for c in node.children if isinstance(c, HtmlNode)]:
            if section.tag == "tr":
                rows.append((False, section))
            for row in section.children:
                if isinstance(row, HtmlNode) and row.tag == "tr":
                    rows.append((section.tag == "thead", row))
        columns = max(
            (len([c for c in r.children if isinstance(c, HtmlNode)]) for _, r in rows), default=0
        )
        if not columns:
            return
        table = self.doc.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        for row_index, (head, row) in enumerate(rows):
            cells = [c for c in row.children if isinstance(c, HtmlNode)]
            for column, cell in enumerate(cells):
                paragraph = table.cell(row_index, column).paragraphs[0]
                self.runs(paragraph, cell.children, bold=head or cell.tag == "th")
                style_attr = cell.attrs.get("style", "")
                if "right" in style_attr:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                elif "center" in style_attr:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.doc.add_paragraph()

    def picture(self, node: HtmlNode) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Emu

        figure = self.prepared.figures.get(node.attrs.get("src", ""))
        alt = node.attrs.get("alt", "")
        if figure is None:
            self.doc.add_paragraph(f"[{alt}]")
            return
        pixel_width, pixel_height = struct.unpack(">II", figure.data[16:24])
        width = min(int(self.width), int(pixel_width * 9525))  # 96 dpi
        height = width * pixel_height // max(pixel_width, 1)
        if height > self.max_height:
            width, height = width * self.max_height // height, int(self.max_height)
        self.doc.add_picture(io.BytesIO(figure.data), width=Emu(width))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if alt:
            caption = self.doc.add_paragraph(alt, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _render(prepared: PreparedDocument) -> bytes:
    import docx
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    document = prepared.document
    word = docx.Document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(24)
    section.start_type = WD_SECTION.NEW_PAGE
    word.styles["Normal"].font.size = Pt(10.5)

    when = document.metadata.generated_at.astimezone(UTC)
    properties = word.core_properties
    properties.title = document.title
    properties.subject = document.subtitle or document.title
    properties.author = document.organisation
    properties.keywords = f"{PDF_KEYWORD}{prepared.content_sha256}"
    properties.comments = tr("Produit par garant", "Produced by garant")
    properties.last_modified_by = "garant"
    properties.revision = 1
    properties.language = "fr-FR" if document.language == "fr" else "en"
    properties.created = properties.modified = when.replace(tzinfo=None)
    settings = word.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)

    # Title page.
    organisation = word.add_paragraph()
    run = organisation.add_run(document.organisation.upper())
    run.bold = True
    run.font.color.rgb = RGBColor(*_MUTED)
    word.add_heading(document.title, level=0)
    if document.subtitle:
        word.add_paragraph(document.subtitle, style="Subtitle")
    if document.alert:
        alert = word.add_paragraph().add_run(f"⚠ {document.alert}")
        alert.bold = True
        alert.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    if document.disclosure:
        notice = word.add_paragraph(style="Intense Quote")
        notice.add_run(tr("Mention : ", "Notice: ")).bold = True
        notice.add_run(document.disclosure)
    rows = [*prepared.meta_rows, (tr("Empreinte SHA-256 du contenu", "Content SHA-256"), "")]
    table = word.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for index, (label, value) in enumerate(rows):
        table.cell(index, 0).paragraphs[0].add_run(label).bold = True
        cell = table.cell(index, 1).paragraphs[0]
        if value:
            cell.add_run(value)
        else:
            hash_run = cell.add_run(prepared.content_sha256)
            hash_run.font.name = _MONO
            hash_run.font.size = Pt(8)
    how = word.add_paragraph()
    how_run = how.add_run(
        tr(
            "Vérification : « {cmd} <fichier> », ou « sha256sum -c <fichier>.sha256 ».",
            "Verify with '{cmd} <file>', or 'sha256sum -c <file>.sha256'.",
            cmd=VERIFY_COMMAND,
        )
    )
    how_run.font.size = Pt(8)
    how_run.font.color.rgb = RGBColor(*_MUTED)

    body = markdown_to_html(prepared.body, image_sources={key: key for key in prepared.figures})
    if body.headings:
        word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_heading(tr("Sommaire", "Contents"), level=1)
        _add_field(
            word.add_paragraph(),
            'TOC \\o "1-2" \\h \\z \\u',
            tr(
                "Le sommaire s'affiche à l'ouverture dans Word (ou : clic droit, « Mettre à jour "
                "le champ »).",
                "The table of contents appears when opened in Word (or: right-click, "
                "'Update field').",
            ),
        )
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    heading_base = min((level for level, _, _ in body.headings), default=2)
    _Writer(word, prepared, heading_base).blocks(parse_html(body.html))

    footer = section.footer
    first = footer.paragraphs[0]
    first.add_run(f"{document.organisation} — {document.title} · Page ")
    _add_field(first, "PAGE", "1")
    first.add_run(" / ")
    _add_field(first, "NUMPAGES", "1")
    second = footer.add_paragraph()
    version = document.metadata.policy_version
    policy = tr("Politique {v} · ", "Policy {v} · ", v=version) if version else ""
    second.add_run(policy + tr("SHA-256 du contenu : ", "Content SHA-256: "))
    mono = second.add_run(prepared.content_sha256)
    mono.font.name = _MONO
    for paragraph in (first, second):
        for footer_run in paragraph.runs:
            footer_run.font.size = Pt(7.5)
            footer_run.font.color.rgb = RGBColor(*_MUTED)

    buffer = io.BytesIO()
    word.save(buffer)
    return _fixed_zip_times(buffer.getvalue(), when.timetuple()[:6])


def _fixed_zip_times(data: bytes, date_time: tuple[int, ...]) -> bytes:
    """Rewrite the ZIP with a fixed timestamp on every entry (reproducible bytes)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)  # type: ignore[arg-type]
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return output.getvalue()
