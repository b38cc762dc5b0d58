"""Ingestion: read files, directories and URLs into :class:`~crosscheck.models.ParsedArticle` items.

Formats are told apart by content (name and content type only break ties): plain text with optional header lines,
HTML pages, RSS/Atom feeds and JSON Lines, each optionally gzip-compressed, and WARC web archives (``warc``). A bad
input never stops the batch: it becomes an :class:`~crosscheck.models.IngestFailure` naming the item and the
reason. Pages read back from an archive keep their capture time, so that changed pages become revisions of their
URL (``revisions``); archived and fetched pages get canonical URLs (``canonical``).
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from crosscheck.errors import InputError
from crosscheck.ingest.cleanup import MAX_REASON_CHARS, printable
from crosscheck.ingest.dispatch import parse_input, strip_gz
from crosscheck.ingest.fetch import fetch_url, is_url
from crosscheck.ingest.html import extract_html
from crosscheck.ingest.origin import Item, Origin
from crosscheck.ingest.stream import file_chunks
from crosscheck.models import IngestFailure, ParsedArticle
from crosscheck.settings import Settings

__all__ = ["LINK_OUT", "extract_html", "leaves_tree", "read_inputs", "walk"]

logger = logging.getLogger(__name__)
LINK_OUT = "a link to outside the folder given"


def read_inputs(
    inputs: Iterable[str], settings: Settings, *, allow_private: bool = False
) -> Iterator[ParsedArticle | IngestFailure]:
    """Read every input in order and yield its articles, or failures for what could not be read.

    Each input is a file path, a directory (walked recursively in sorted order, hidden entries skipped) or an
    http(s) URL, fetched with private and loopback addresses refused unless ``allow_private`` is true. Never
    raises for bad input.
    """
    for given in inputs:
        value = str(given)  # tolerate Path objects
        if is_url(value):
            yield from _guarded(value, partial(_read_url, value, settings, allow_private))
        elif Path(value).is_dir():
            for file in walk(Path(value)):
                if leaves_tree(Path(value), file):
                    yield _one_line(IngestFailure(str(file), f"{LINK_OUT} ({os.readlink(file)}); skipped"))
                else:
                    yield from _guarded(str(file), partial(_read_file, file, settings))
        else:
            yield from _guarded(value, partial(_read_file, Path(value), settings))


def walk(root: Path) -> list[Path]:
    """The files under ``root``, recursively, sorted by their path; hidden files and directories are skipped.

    Links to folders are not followed; links to files are listed (the caller refuses those that lead out of the
    tree, which an unpacked untrusted archive may hold), and so are links to folders outside the tree.
    """
    found: list[Path] = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        found.extend(Path(directory) / name for name in files if not name.startswith("."))
        links = (Path(directory) / name for name in subdirectories if os.path.islink(Path(directory) / name))
        found.extend(link for link in links if leaves_tree(root, link))
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def leaves_tree(root: Path, path: Path) -> bool:
    """Whether ``path``, found under ``root``, is a link that leads out of it."""
    return path.is_symlink() and not path.resolve().is_relative_to(root.resolve())


def _guarded(location: str, produce: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """Run one input's reader; a whole-input error becomes one failure located at ``location``."""
    try:
        for item in produce():
            yield _one_line(item) if isinstance(item, IngestFailure) else item
    except InputError as exc:
        yield _one_line(IngestFailure(location, str(exc)))
    except OSError as exc:
        yield _one_line(IngestFailure(location, f"cannot read: {exc.strerror or exc}"))
    except Exception as exc:  # a library failing on one odd input must not end the batch
        logger.warning("unexpected error reading %s", printable(location), exc_info=True)
        yield _one_line(IngestFailure(location, f"unexpected error: {type(exc).__name__}: {exc}"))


def _one_line(failure: IngestFailure) -> IngestFailure:
    """A failure that prints as one clean line: a file name or message with a newline or a terminal escape
    sequence in it is shown escaped, and an overlong reason is cut."""
    return IngestFailure(printable(failure.location), printable(failure.reason, MAX_REASON_CHARS))


def _read_file(path: Path, settings: Settings) -> Iterator[Item]:
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file")
    if info.st_size > settings.max_input_bytes:
        raise InputError(f"larger than max_input_bytes ({info.st_size} > {settings.max_input_bytes} bytes)")
    origin = Origin(location=str(path), name=path.name, external_id=strip_gz(path.name))
    with path.open("rb") as handle:
        yield from parse_input(file_chunks(handle, settings.max_input_bytes), origin, settings)


def _read_url(url: str, settings: Settings, allow_private: bool) -> Iterator[Item]:
    fetched = fetch_url(url, settings, allow_private=allow_private)
    name = unquote(urlsplit(fetched.url).path.rsplit("/", 1)[-1])
    origin = Origin(
        location=url,
        name=name,
        external_id=fetched.url,
        url=fetched.url,
        charset=fetched.charset,
        content_type=fetched.content_type,
    )
    yield from parse_input([fetched.body], origin, settings)
