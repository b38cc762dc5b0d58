"""Bytes to text: binary sniffing and charset decoding.

Order of trust: a byte-order mark, then a declared charset (HTTP header, then the document's own ``<meta>`` or
XML declaration), then strict UTF-8, then detection. Detection (charset-normalizer) is unreliable between the
single-byte Latin code pages on short texts (it reads French cp1252 as cp1250), so when it lands in that family and
the bytes read plausibly as Windows-1252 we keep Windows-1252: accents survive, Western text being the common case.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

from charset_normalizer import from_bytes

from crosscheck.errors import InputError

BINARY_REASON = "binary content, not text"

# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Signatures of formats that are never article text (gzip is handled before this check).
_MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"%PDF-",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"\x7fELF",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\xfd7zXZ\x00",
    b"\x28\xb5\x2f\xfd",
    b"OggS",
    b"fLaC",
    b"ID3\x02",
    b"ID3\x03",
    b"ID3\x04",
    b"RIFF",
    b"\xd0\xcf\x11\xe0",
    b"wOFF",
    b"wOF2",
    b"SQLite format 3\x00",
    b"II*\x00",
    b"MM\x00*",
)
_BZIP2 = re.compile(rb"BZh[1-9]1AY&SY")
_MP4 = re.compile(rb"^....ftyp", re.DOTALL)

_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)

# Browsers read these labels as Windows-1252 (WHATWG Encoding); doing the same keeps curly quotes and euro signs.
_AS_CP1252 = {"iso8859-1", "latin-1", "latin1", "iso-8859-1", "us-ascii", "ascii", "cp1252", "windows-1252"}
# Single-byte Latin-script code pages that detection confuses with one another (DOS code pages included: a
# Latin-1 line of French or German is detected as Baltic cp775).
_LATIN_FAMILY = {
    "cp437",
    "cp775",
    "cp850",
    "cp852",
    "cp857",
    "cp858",
    "cp860",
    "cp861",
    "cp863",
    "cp865",
    "cp1250",
    "cp1252",
    "cp1254",
    "cp1257",
    "cp1258",
    "latin_1",
    "iso8859_2",
    "iso8859_3",
    "iso8859_4",
    "iso8859_9",
    "iso8859_10",
    "iso8859_13",
    "iso8859_14",
    "iso8859_15",
    "iso8859_16",
    "mac_latin2",
    "mac_roman",
    "mac_iceland",
    "mac_turkish",
}
_CJK_CODECS = re.compile(r"big5|cp9[345]|euc|gb|hz|iso2022|johab|shift_jis")
_CJK_MIN_HIGH_SHARE = 0.3
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_SAMPLE_CHARS = 1 << 20  # the cp1252 plausibility check reads this much: enough to judge, bounded in time
_TYPOGRAPHY = set("‘’‚“”„–—…•€£¥©®™°§¶·×÷«»¿¡½¼¾ªº")


def bom_encoding(data: bytes) -> str | None:
    """The codec named by a leading byte-order mark, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def looks_binary(head: bytes) -> bool:
    """True when the first bytes of an input show a binary format rather than text."""
    if bom_encoding(head) in {"utf-16", "utf-32"}:
        return False
    if head.startswith(_MAGIC) or _BZIP2.match(head) or _MP4.match(head):
        return True
    return b"\x00" in head


def json_lines_with_nul(head: bytes) -> bool:
    """True when a head that :func:`looks_binary` for its NUL bytes is JSON Lines with a few damaged lines.

    The NUL bytes must sit in at most a quarter of the lines, and most other lines must open a JSON object: then
    each damaged line fails on its own (as it does past the head) instead of the whole file being refused.
    """
    if head.startswith(_MAGIC) or _BZIP2.match(head) or _MP4.match(head):
        return False
    lines = [line.strip().lstrip(b"\xef\xbb\xbf") for line in head.split(b"\n")]
    lines = [line for line in lines if line]
    clean = [line for line in lines if b"\x00" not in line]
    objects = sum(line.startswith(b"{") for line in clean)
    return bool(clean) and (len(lines) - len(clean)) * 4 <= len(lines) and objects * 2 > len(clean)


def declared_charset(head: bytes) -> str | None:
    """The charset a document declares in its XML declaration or an HTML ``<meta>`` tag, if any."""
    match = _XML_DECL.match(head) or _META_CHARSET.search(head[:8192])
    if match is None:
        return None
    return match.group(1).decode("ascii").lower()


def _codec(label: str | None) -> str | None:
    """Map a charset label to a Python codec name; None when unknown or not trustworthy."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # An ASCII-compatible document cannot really be UTF-16/32 (WHATWG: treat as UTF-8).
    return None if name.startswith(("utf-16", "utf-32")) else name


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        if codec == "cp1252":
            # cp1252 leaves five bytes undefined; Latin-1 reads them as C1 controls, stripped later.
            return data.decode("latin-1")
        return None


def plausible_cp1252(text: str) -> bool:
    """True when no non-ASCII symbol sits glued to a letter, as it does when a Central European or Baltic
    code page is misread as Windows-1252 (Polish 'ł' becomes '³')."""
    for index, char in enumerate(text):
        if char < "\x80" or char.isalpha() or char in _TYPOGRAPHY or char.isspace():
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        if before.isalpha() or after.isalpha():
            return False
    return True


def _high_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _HIGH_BYTES))) / max(1, len(data))


def _detect(data: bytes) -> str:
    best = from_bytes(data).best()
    if best is None:
        raise InputError(BINARY_REASON)
    # Text in a CJK multi-byte encoding is mostly high bytes; a mostly-ASCII text with a few accented letters that
    # detection calls Big5 or GBK ("crème" read as "cr鋗e") is Western.
    sparse_cjk = _CJK_CODECS.match(best.encoding) is not None and _high_share(data) < _CJK_MIN_HIGH_SHARE
    detected = str(best)
    if best.encoding in _LATIN_FAMILY or sparse_cjk or _latin_letters(detected[:_SAMPLE_CHARS]):
        western = _try(data, "cp1252")
        if western is not None and plausible_cp1252(western[:_SAMPLE_CHARS]):
            return western
    return detected


def _latin_letters(text: str) -> bool:
    """True when every non-ASCII letter of ``text`` is a Latin letter: detection then chose among Latin-script
    code pages, which it confuses (HP Roman-8 for Spanish Windows-1252 text: "señora" read as "seþora")."""
    return all(unicodedata.name(char, "").startswith("LATIN") for char in text if char > "\x7f" and char.isalpha())


def _fallback_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(byte)


def _cp1252_for_invalid(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 are read as Windows-1252 (pages mixing the two)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_fallback_char(byte) for byte in bad), error.end


codecs.register_error("crosscheck-cp1252", _cp1252_for_invalid)


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with stray legacy bytes (a template in UTF-8, a text pasted in Latin-1): decode the UTF-8 and read
    the rest as Windows-1252, when valid UTF-8 sequences carry most of the non-ASCII bytes."""
    # Counted without listing matches: a list of every high byte of a 16 MB input would take far more memory.
    valid_bytes = len(data) - len(_UTF8_SEQUENCE.sub(b"", data))
    high_bytes = len(data) - len(data.translate(None, _HIGH_BYTES))
    if not valid_bytes or valid_bytes * 2 < high_bytes:
        return None
    return data.decode("utf-8", errors="crosscheck-cp1252")


def decode_bytes(data: bytes, *, declared: str | None = None) -> str:
    """Decode an input's bytes to text.

    ``declared`` is a charset from outside the document (an HTTP header); it outranks the document's own
    declaration. A declared single-byte charset yields to valid UTF-8 with multi-byte sequences (a common
    mislabelling; a legacy text is valid UTF-8 only by rare accident). Raises InputError when the bytes are not
    text in any plausible encoding.
    """
    bom = bom_encoding(data)
    if bom is not None:
        text = _try(data, bom)
        if text is not None:
            return text
    utf8 = _try(data, "utf-8")
    for label in (declared, declared_charset(data[:8192])):
        codec = _codec(label)
        if codec is None:
            continue
        if utf8 is not None and codec != "utf-8" and _UTF8_SEQUENCE.search(data):
            return utf8
        text = _try(data, codec)
        if text is not None:
            return text
    if utf8 is not None:
        return utf8
    return _mostly_utf8(data) or _detect(data)


def decode_head(head: bytes) -> str:
    """Decode the first bytes of an input leniently, for sniffing its format only."""
    bom = bom_encoding(head)
    if bom in {"utf-16", "utf-32"}:
        unit = 2 if bom == "utf-16" else 4
        return head[: len(head) - len(head) % unit].decode(bom, errors="replace")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")
