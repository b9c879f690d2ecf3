"""Bytes -> text, the way a careful reader does it: BOM, UTF-8, declared charset, detector."""

from __future__ import annotations

import codecs
import re

from ..errors import ReadError

__all__ = ["decode", "looks_binary"]

_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?|<\?xml[^>]+encoding\s*=\s*["'])([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def looks_binary(head: bytes) -> bool:
    """NUL bytes in the first block of a file without a UTF-16 BOM: not text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head[:8192]


def _declared_charset(data: bytes) -> str | None:
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, origin: str, *, encoding: str = "") -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding used). Raises ReadError naming the fix.

    Order: a forced ``encoding``; a BOM; strict UTF-8; the charset the document
    declares (HTML meta, XML prolog); charset-normalizer's best guess.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as exc:
            raise ReadError(f"cannot decode as {encoding}: {exc}", code="SS113") from None
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    if looks_binary(data):
        raise ReadError("binary file, not text; skipped", code="SS112")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best), best.encoding
    raise ReadError(
        "cannot decode: not UTF-8, no usable declared charset, and no encoding detected; "
        "pass --encoding",
        code="SS113",
    )
