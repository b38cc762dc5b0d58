"""HTML pages: main text and metadata with trafilatura, and markup-to-text for HTML snippets (feed entries).

trafilatura works offline here: we hand it the page itself (never a URL to download) and it only reads it. Only
plain text leaves this module; the page's own HTML is never kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Final

import lxml.html
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.metadata import META_URL
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import load_html

from crosscheck.errors import InputError
from crosscheck.ingest.cleanup import clean_line, clean_text
from crosscheck.ingest.dates import normalise_date
from crosscheck.ingest.decode import decode_bytes
from crosscheck.ingest.meta import clean_name, clean_url, normalise_language, split_authors
from crosscheck.models import ParsedArticle

# trafilatura's defaults, chosen by measurement (bench/extraction.py, F1 on aeb / trafilatura's set): these
# 0.963 / 0.926; favor_precision 0.964 / 0.922; favor_recall 0.959 / 0.920; fast 0.962 / 0.920; no tables
# 0.957 / 0.922. Comments are not the article.
EXTRACTION_OPTIONS: Final[dict[str, Any]] = {
    "fast": False,
    "favor_precision": False,
    "favor_recall": False,
    "include_comments": False,
    "include_tables": True,
    "include_formatting": False,
    "include_images": False,
    "include_links": False,
}

_DROPPED_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head")
_BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "aside", "header", "footer", "main", "nav", "blockquote", "pre", "figure",
    "figcaption", "ul", "ol", "dl", "dt", "dd", "li", "table", "thead", "tbody", "tfoot", "tr", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "address", "details", "summary",
})  # fmt: skip
_XML_LINE_BREAKS = re.compile("[\x0b\x0c]")
_XML_UNSAFE = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TITLE_SUFFIX = re.compile(r"(.{10,}?)\s+[|–—-]\s+([^|–—-]{2,60})")
_LANGUAGE_META = (
    ".//meta[@http-equiv and translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
    "='content-language']/@content",
    ".//meta[@property='og:locale']/@content",
)


def extract_html(data: str | bytes, *, url: str | None = None, location: str = "") -> ParsedArticle:
    """Extract the main text and metadata of an HTML page.

    ``url`` is where the page came from (used for metadata and relative links, never fetched). Returns a
    ParsedArticle with ``format="html"``; ``title`` is empty when the page has none (the caller derives one).
    Raises InputError when no main text is found.
    """
    markup = data if isinstance(data, str) else decode_bytes(data)
    tree = load_html(markup)
    if tree is None:
        raise InputError("not a parseable HTML document")
    language = page_language(tree)
    # Dates only from markup and URL, not from a scan of the free text: measured on trafilatura's evaluation
    # pages, the text scan adds 4% correct dates but also dates for most pages that have none (bench/extraction.py).
    document = bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        date_extraction_params=set_date_params(extensive=False),
        **EXTRACTION_OPTIONS,
    )
    if not isinstance(document, Document):
        raise InputError("no main text found in the HTML page")
    page_url = clean_url(document.url) or clean_url(url)
    source_name = _site_name(document.sitename, page_url)
    title = _strip_site_suffix(clean_line(document.title or ""), source_name, page_url)
    text = _body_text(document.text or "", title)
    if not text:
        raise InputError("no main text found in the HTML page")
    return ParsedArticle(
        external_id=page_url or location,
        text=text,
        title=title,
        url=page_url,
        source_name=source_name,
        published=normalise_date(document.date),
        authors=split_authors(document.author or ""),
        language=language,
        format="html",
        location=location,
    )


def _body_text(extracted: str, title: str) -> str:
    """trafilatura's text has one block (paragraph, heading, list item) per line: separate them as paragraphs,
    and drop a first line that only repeats the title."""
    blocks = [block for block in clean_text(extracted).split("\n") if block.strip()]
    if blocks and title and blocks[0].casefold() == title.casefold():
        blocks = blocks[1:]
    return "\n\n".join(blocks)


def _strip_site_suffix(title: str, site: str | None, page_url: str | None) -> str:
    """Drop a trailing " | Site" or " - Site" naming the site (by its stated name or its host name)."""
    match = _TITLE_SUFFIX.fullmatch(title)
    if match is None:
        return title
    suffix = _alnum(match.group(2))
    host = META_URL.match(page_url or "")
    names = {_alnum(site or ""), _alnum(host.group(1).rsplit(".", 1)[0]) if host else ""} - {""}
    if any(suffix == name or (len(suffix) >= 4 and suffix in name) for name in names):
        return match.group(1)
    return title


def _alnum(text: str) -> str:
    return "".join(char for char in text.casefold() if char.isalnum())


def _site_name(sitename: str | None, page_url: str | None) -> str | None:
    """The site name the page states; trafilatura falls back to the host name, which the page did not state."""
    name = clean_name(sitename)
    if name and page_url:
        host = META_URL.match(page_url)
        if host is not None and name.lower() == host.group(1).lower():
            return None
    return name


def page_language(tree: lxml.html.HtmlElement) -> str | None:
    """The language a page declares (``<html lang>``, Content-Language meta, og:locale), as a primary subtag."""
    root = tree.getroottree().getroot()
    declared = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if declared:
        return normalise_language(declared)
    for query in _LANGUAGE_META:
        values = root.xpath(query)
        if values:
            return normalise_language(str(values[0]))
    return None


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML snippet: scripts and styles dropped, block elements on their own lines."""
    # lxml takes no control characters (one "\x01" in a feed entry would fail the whole feed): line-like ones
    # become line breaks, the others go, as clean_text would drop them anyway.
    fragment = _XML_UNSAFE.sub("", _XML_LINE_BREAKS.sub("\n", fragment))
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(fragment)
    for element in list(root.iter(*_DROPPED_TAGS)):
        element.drop_tree()
    return clean_text("".join(_text_parts(root)))


def _text_parts(root: lxml.html.HtmlElement) -> Iterator[str]:
    """The text of a tree in document order, block elements set apart by blank lines, ``<br>`` by a line break.

    Read only, never written back: a character reference such as "&#1;" parses into text that lxml would refuse
    to store again.
    """
    for event, element in etree.iterwalk(root, events=("start", "end", "comment", "pi")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event in {"comment", "pi"}:
            yield element.tail or ""  # their own text is not the page's
        elif event == "start":
            yield "\n\n" if tag in _BLOCK_TAGS else ""
            yield element.text or ""
        else:
            yield "\n\n" if tag in _BLOCK_TAGS else "\n" if tag == "br" else ""
            yield (element.tail or "") if element is not root else ""
