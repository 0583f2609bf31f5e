"""Decoding report bytes (txt, and the bytes of html) to text, whatever the encoding.

Nearly every file is UTF-8, so the cheap checks come first (BOM, strict UTF-8); then a declared
charset (an HTML meta tag), then charset-normalizer, biased towards GB18030 because these are
Chinese reports. BOM-less UTF-16 is recognised by its NUL bytes. A leading BOM character is
removed; newlines are kept as they are (CRLF stays CRLF), so offsets match the file's text.
"""
from __future__ import annotations

import codecs
import re

from nlp.ingest.base import Decoded, IngestError

__all__ = ["decode_bytes", "read_txt", "CJK_CLASS", "HAN"]

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_GB_NAMES = frozenset({"gb2312", "gbk", "gb18030"})  # canonical names: cp936, euc_cn, ms936 map onto these
#: CJK ideographs, CJK punctuation and full-width forms: what Chinese report text is made of.
CJK_CLASS = "[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
_CJK = re.compile(CJK_CLASS)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # never in text files, common in binary ones
#: Han characters only (no punctuation).
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _cjk_share(text: str) -> float:
    """Share of non-ASCII characters that are CJK: high for real Chinese, low for mojibake."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return len(_CJK.findall(text)) / non_ascii if non_ascii else 0.0


def _norm_codec(name: str) -> str | None:
    """Python's canonical codec name, with every GB flavour widened to gb18030 (a superset)."""
    try:
        canonical = codecs.lookup(name).name
    except LookupError:  # e.g. "x-gbk" in a meta tag
        return "gb18030" if "gb" in name.lower() else None
    return "gb18030" if canonical in _GB_NAMES else canonical


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 is the only text that is full of NUL bytes; accept it if it reads as Chinese/ASCII."""
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        texty = sum(1 for ch in text if ch in "\t\n\r" or " " <= ch <= "~") + len(_CJK.findall(text))
        if text and texty / len(text) > 0.95 and not _CONTROLS.search(text):
            return text, enc
    return None


def decode_bytes(data: bytes, path: str = "<bytes>", *, hint: str | None = None) -> tuple[str, str]:
    """Decode report bytes to (text, encoding) for txt and html.

    Cheap checks first (BOM, strict UTF-8) because nearly every file is UTF-8;
    only then an optional declared ``hint`` (an HTML meta charset), then
    charset-normalizer. A leading BOM character is removed; newlines are kept.
    """
    if not data.strip():
        raise IngestError(path, "empty file" if not data else "empty file (only whitespace)")
    text: str | None = None
    enc = ""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                text, enc = data.decode(name), name
            except UnicodeDecodeError as e:
                raise IngestError(path, f"invalid {name.upper()} data after its byte-order mark ({e.reason})") from None
            break
    if text is None:
        if b"\x00" in data:
            found = _utf16_without_bom(data)
            if found is None:
                raise IngestError(path, "binary file, not text (contains NUL bytes)")
            text, enc = found
        else:
            try:
                text, enc = data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                text, enc = _detect(data, path, hint)
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise IngestError(path, "empty file (only whitespace)" if text else "empty file")
    return text, enc


def _detect(data: bytes, path: str, hint: str | None) -> tuple[str, str]:
    """Slow path for non-UTF-8 bytes: declared charset, then charset-normalizer, GB-biased."""
    if hint and (codec := _norm_codec(hint)) and codec != "utf-8":
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            pass  # the declaration lies; detect instead
    import charset_normalizer  # imported lazily: only non-UTF-8 files pay for it

    best = charset_normalizer.from_bytes(data).best()
    guess = _norm_codec(best.encoding) if best is not None else None
    text = data.decode(guess, errors="replace") if guess else None
    if guess != "gb18030":
        # Short GBK text is often mistaken for cp949/big5/latin; these are Chinese reports, so
        # prefer GB18030 when it decodes cleanly and reads as more Chinese than the guess.
        try:
            gb = data.decode("gb18030")
        except UnicodeDecodeError:
            gb = None
        if gb is not None and not _CONTROLS.search(gb) and _cjk_share(gb) > 0.8 and (
                text is None or _cjk_share(gb) > _cjk_share(text)):
            return gb, "gb18030"
    if text is None or guess is None or _CONTROLS.search(text):
        raise IngestError(path, "binary file, not text (no text encoding found)")
    return text, guess


def read_txt(data: bytes, path: str) -> Decoded:
    """Plain text: just decode."""
    text, enc = decode_bytes(data, path)
    return Decoded(text, "txt", enc)
