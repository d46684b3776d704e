"""Markdown → HTML with python-markdown, made safe for text that came from the public.

Reports quote citizens' contributions verbatim, so raw HTML in a body is shown as text (escaped),
never interpreted; links keep only http(s), mailto and in-page targets; images are kept only when
they are figures declared on the document (their source is replaced by what the caller maps them
to: a data URI for HTML, the same key for the PDF converter).
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

__all__ = ["HtmlBody", "HtmlNode", "markdown_to_html", "parse_html"]

_SAFE_SCHEMES = ("http://", "https://", "mailto:", "#")


@dataclass(frozen=True)
class HtmlBody:
    """A body converted to HTML, with its table of contents."""

    html: str
    toc_html: str
    headings: tuple[tuple[int, str, str], ...]
    """(level, id, text) of each heading, in order."""


class _SafeTreeprocessor(Treeprocessor):
    def __init__(self, md: markdown.Markdown, image_sources: Mapping[str, str]) -> None:
        super().__init__(md)
        self.image_sources = image_sources

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, element in enumerate(list(parent)):
                if element.tag == "a":
                    href = element.get("href", "")
                    if not href.startswith(_SAFE_SCHEMES):
                        element.attrib.pop("href", None)
                elif element.tag == "img":
                    source = element.get("src", "")
                    if source in self.image_sources:
                        element.set("src", self.image_sources[source])
                        element.attrib.pop("title", None)
                    else:
                        replacement = etree.Element("em")
                        replacement.text = f"[{element.get('alt', '') or source}]"
                        replacement.tail = element.tail
                        parent.remove(element)
                        parent.insert(index, replacement)
                elif element.tag == "th":
                    element.set("scope", "col")
                elif element.tag == "strong" and (element.text or "").startswith("⚠"):
                    element.set("class", "garant-alert")  # shown in red (HTML, PDF, DOCX)
                    element.set("style", "color: #b00020")


class _SafeExtension(Extension):
    def __init__(self, image_sources: Mapping[str, str]) -> None:
        super().__init__()
        self.image_sources = image_sources

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(_SafeTreeprocessor(md, self.image_sources), "garant_safe", 0)


def markdown_to_html(body: str, *, image_sources: Mapping[str, str] | None = None) -> HtmlBody:
    """Convert ``body`` to HTML (tables, fenced code, heading ids, table of contents)."""
    converter = markdown.Markdown(
        extensions=[
            "tables",
            "fenced_code",
            "sane_lists",
            "toc",
            _SafeExtension(image_sources or {}),
        ],
        extension_configs={"toc": {"toc_depth": "1-3", "permalink": False}},
        output_format="html",
    )
    html = converter.convert(body)
    tokens = getattr(converter, "toc_tokens", [])
    headings: list[tuple[int, str, str]] = []

    def walk(items: list[dict[str, object]]) -> None:
        for item in items:
            headings.append((int(str(item["level"])), str(item["id"]), str(item["name"])))
            children = item.get("children")
            if isinstance(children, list):
                walk(children)

    walk(tokens)
    return HtmlBody(
        html=html, toc_html=str(getattr(converter, "toc", "")), headings=tuple(headings)
    )


# ---------------------------------------------------------------------------------------------
# A small tree of the HTML python-markdown produced, for the PDF and DOCX converters.


@dataclass
class HtmlNode:
    """An element: tag, attributes, children (elements or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[HtmlNode | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _TreeBuilder(HTMLParser):
    _VOID = frozenset({"img", "br", "hr", "meta", "input", "link", "col"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = HtmlNode("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = HtmlNode(tag, {key: value or "" for key, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in self._VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(HtmlNode(tag, {key: value or "" for key, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse_html(html: str) -> HtmlNode:
    """Parse python-markdown's HTML into a tree rooted at a ``root`` node."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
