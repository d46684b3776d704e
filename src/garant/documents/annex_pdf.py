"""The annex PDF: the document renderer's PDF, stamped on every page with the manifest's
SHA-256 and a QR code of it, carrying the manifest as an associated file (PDF/A-3 style).

Pipeline: :func:`garant.documents.pdf.render_pdf_bytes` (title page, contents, page numbers,
tables split across pages, metadata) → reportlab overlay merged by pypdf on each page → manifest
attached with ``/AFRelationship /Data`` and listed in the catalogue's ``/AF`` array. The hash is
drawn in the standard Courier font so that it stays a plain string in the page content, which
``annex verify`` reads back without any text-extraction tool.
"""

from __future__ import annotations

import io
import re
from typing import Any

from garant.documents.environment import make_environment
from garant.documents.model import Document
from garant.documents.source import prepare

__all__ = [
    "HASH_FONT",
    "annex_pdf_bytes",
    "embedded_manifest",
    "printed_hashes",
]

HASH_FONT = "Courier"
_PRINTED = re.compile(rb"\(([0-9a-f]{64})\)\s*Tj")


def _stamp_page(width: float, height: float, manifest_sha256: str, label: str) -> bytes:
    """One PDF page holding the stamp: label + hash (top left), QR code (top right)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from garant.documents.pdf import register_fonts

    fonts = register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1)
    size = 15 * mm
    widget = QrCodeWidget(manifest_sha256, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, width - 20 * mm - size + 1.5 * mm, height - 3 * mm - size)
    canvas.setFillColor(HexColor("#555555"))
    canvas.setFont(fonts.regular, 7)
    canvas.drawString(20 * mm, height - 9 * mm, label)
    canvas.setFont(HASH_FONT, 7)
    canvas.drawString(20 * mm, height - 12.5 * mm, manifest_sha256)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def annex_pdf_bytes(document: Document, manifest: bytes, manifest_sha256: str, name: str) -> bytes:
    """Render ``document`` to PDF, stamp every page, attach ``manifest`` as ``name``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, NameObject, NumberObject, TextStringObject

    from garant.documents.pdf import render_pdf_bytes

    prepared = prepare(document, make_environment())
    base = PdfReader(io.BytesIO(render_pdf_bytes(prepared)))
    writer = PdfWriter(clone_from=base)
    first = writer.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    label = "Empreinte SHA-256 du manifeste joint (annexe-manifeste.json) :"
    stamp = PdfReader(io.BytesIO(_stamp_page(width, height, manifest_sha256, label))).pages[0]
    for page in writer.pages:
        page.merge_page(stamp)
    attachment = writer.add_attachment(name, manifest)
    attachment.subtype = NameObject("/application#2Fjson")
    attachment.description = TextStringObject("Manifeste de l'annexe (garant-annex-manifest/1)")
    attachment.associated_file_relationship = NameObject("/Data")
    attachment.size = NumberObject(len(manifest))
    spec: Any = attachment.pdf_object
    reference = spec.indirect_reference or writer._add_object(spec)
    writer._root_object[NameObject("/AF")] = ArrayObject([reference])
    writer.add_metadata({"/GarantManifestSHA256": manifest_sha256})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def embedded_manifest(data: bytes, name: str) -> bytes | None:
    """The manifest attached to the PDF ``data`` (None when absent)."""
    from pypdf import PdfReader

    attachments = PdfReader(io.BytesIO(data)).attachments
    contents = attachments.get(name)
    return contents[0] if contents else None


def printed_hashes(data: bytes) -> list[set[str]]:
    """For each page, the 64-hex-digit strings drawn in its content (the printed manifest hash)."""
    from pypdf import PdfReader

    pages = []
    for page in PdfReader(io.BytesIO(data)).pages:
        contents = page.get_contents()
        raw = contents.get_data() if contents is not None else b""
        pages.append({match.decode() for match in _PRINTED.findall(raw)})
    return pages
