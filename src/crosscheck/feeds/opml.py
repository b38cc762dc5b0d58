"""OPML feed lists: reading one (``feeds import``) and writing one (``feeds export``).

An OPML file comes from elsewhere, so it is parsed with defusedxml: a DTD, an entity declaration or an external
reference is refused (no XXE, no entity-expansion bomb). Any ``outline`` with an ``xmlUrl`` is a feed; an outline
without one that holds others is a folder, whose name becomes the category of the feeds inside.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from crosscheck.errors import InputError
from crosscheck.storage.feeds import FeedRow

MAX_OPML_BYTES = 16_000_000
_URL_ATTRIBUTES = ("xmlUrl", "xmlurl", "XMLURL", "url")


@dataclass(frozen=True)
class OpmlFeed:
    """One feed of an OPML list."""

    url: str
    title: str | None = None
    site_url: str | None = None
    category: str | None = None


def parse_opml(data: bytes) -> tuple[list[OpmlFeed], list[str]]:
    """The feeds of an OPML document, and a line for each outline skipped (with why).

    Raises InputError when the document is not OPML, is too large, or uses DTDs or entities.
    """
    if len(data) > MAX_OPML_BYTES:
        raise InputError(f"OPML file larger than {MAX_OPML_BYTES} bytes")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InputError(f"refused: the OPML file uses {type(exc).__name__} (DTDs and entities are refused)") from exc
    except ET.ParseError as exc:
        raise InputError(f"not valid XML: {exc}") from exc
    body = root.find("body") if root.tag.lower() == "opml" else None
    if body is None:
        raise InputError("not an OPML document (no <opml> root with a <body>)")
    feeds: list[OpmlFeed] = []
    skipped: list[str] = []
    _walk(body, [], feeds, skipped)
    return feeds, skipped


def _walk(parent: Element, folders: list[str], feeds: list[OpmlFeed], skipped: list[str]) -> None:
    for outline in parent.findall("outline"):
        name = _attribute(outline, "title", "text")
        url = _attribute(outline, *_URL_ATTRIBUTES)
        if url is None:
            if len(outline):
                _walk(outline, [*folders, name] if name else folders, feeds, skipped)
            continue
        if not url.lower().startswith(("http://", "https://")) or any(char.isspace() for char in url):
            skipped.append(f"{url[:200]}: not an http(s) URL")
            continue
        category = " / ".join(folders) or _attribute(outline, "category")
        feeds.append(OpmlFeed(url, name, _attribute(outline, "htmlUrl", "htmlurl"), category))


def _attribute(element: Element, *names: str) -> str | None:
    for name in names:
        value = (element.get(name) or "").strip()
        if value:
            return value
    return None


def write_opml(feeds: Iterable[FeedRow], *, title: str, created: str | None = None) -> str:
    """An OPML 2.0 document listing ``feeds``, in folders by category; ``created`` is an ISO timestamp."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    if created:
        ET.SubElement(head, "dateCreated").text = format_datetime(datetime.fromisoformat(created))
    body = ET.SubElement(root, "body")
    folders: dict[str, Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            if feed.category not in folders:
                folders[feed.category] = ET.SubElement(body, "outline", text=feed.category, title=feed.category)
            parent = folders[feed.category]
        name = feed.title or feed.url
        attributes = {"type": "rss", "text": name, "title": name, "xmlUrl": feed.url}
        if feed.site_url:
            attributes["htmlUrl"] = feed.site_url
        ET.SubElement(parent, "outline", attributes)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
