"""Text encoding of an import file: BOM, UTF-16 without BOM, UTF-8, legacy CJK code pages, then a generic guess.

The order follows the original (docs/contract.md, "Import commands"): a BOM is certain; valid UTF-8 almost never
happens by accident; the CJK code pages are told apart by `_cjk`; charset-normalizer covers everything else.
Each step reports a confidence computed from the evidence it saw rather than a fixed number per encoding.
"""

from __future__ import annotations

import codecs
import io
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple, Optional

from charset_normalizer import from_bytes

from ..contract import EncodingDetection, FileFormat
from ..regular_file import open_regular
from . import _cjk
from ._failure import io_error
from ._formats import file_format

SAMPLE_BYTES = 64 * 1024
"""Bytes read to decide; the original read 8 KiB, more evidence costs nothing noticeable."""

# Valid multi-byte UTF-8 characters needed before a few invalid bytes are taken as strays in a UTF-8 file.
_MIN_UTF8_CHARS_WITH_STRAYS = 100
# Below this typicality the best CJK reading is probably not CJK at all, so the generic detector decides.
_MIN_CJK_TYPICALITY = 0.3


@dataclass(frozen=True, slots=True)
class Detected:
    name: str
    """Reported to the UI, spelled as the original did (UTF-8, GBK, Big5, Shift_JIS, UTF-16LE…)."""
    codec: str
    """The Python codec that reads the file."""
    confidence: float
    language: Optional[str] = None


UTF8 = Detected("UTF-8", "utf-8-sig", 1.0)

_BOMS = (
    (codecs.BOM_UTF8, Detected("UTF-8", "utf-8-sig", 1.0)),
    (codecs.BOM_UTF16_LE, Detected("UTF-16LE", "utf-16-le", 1.0)),
    (codecs.BOM_UTF16_BE, Detected("UTF-16BE", "utf-16-be", 1.0)),
)


class Sample(NamedTuple):
    head: bytes
    """The first SAMPLE_BYTES of the file."""
    complete: bool
    """The head is the whole file (so its end does not cut a character)."""
    size: int


def read_sample(path: str | os.PathLike[str]) -> Sample:
    """The head of the file, or the original's wire error for a path that is missing or not a readable file."""
    with open_source(path) as stream:
        return sample_of(stream, path)


def open_source(path: str | os.PathLike[str]) -> io.BufferedReader:
    """The file opened for reading; a device, FIFO or folder is refused without blocking (vdp/regular_file.py)."""
    try:
        return open_regular(path)
    except OSError as exc:
        raise io_error(exc, path) from None


def sample_of(stream: BinaryIO, path: str | os.PathLike[str]) -> Sample:
    """The head of an open file, which is then rewound."""
    try:
        head = stream.read(SAMPLE_BYTES)
        size = os.fstat(stream.fileno()).st_size
        stream.seek(0)
    except OSError as exc:
        raise io_error(exc, path) from None
    return Sample(head, len(head) == size, size)


def detect_encoding(path: str | os.PathLike[str]) -> EncodingDetection:
    """The encoding a text file will be read with; a workbook stores Unicode, reported as UTF-8 like its import."""
    sample = read_sample(path)
    if file_format(path, sample.head) is FileFormat.EXCEL:
        return EncodingDetection(encoding="UTF-8", confidence=1.0)
    detected = detect(sample.head, complete=sample.complete)
    return EncodingDetection(encoding=detected.name, confidence=detected.confidence, language=detected.language)


def detect(sample: bytes, *, complete: bool) -> Detected:
    """The encoding of `sample`; `complete` says the sample is the whole file (its end may not cut a character)."""
    if not sample:
        return UTF8
    for bom, detected in _BOMS:
        if sample.startswith(bom):
            return detected
    return (
        _utf16_without_bom(sample, complete)
        or _utf8(sample, complete)
        or _legacy_or_generic(sample, complete)
    )


def _decode(sample: bytes, codec: str, complete: bool) -> Optional[str]:
    """The strict decoding of `sample`, or None; an incomplete sample may end inside a character."""
    try:
        return codecs.getincrementaldecoder(codec)("strict").decode(sample, final=complete)
    except UnicodeDecodeError:
        return None


def _looks_like_text(text: str) -> bool:
    """The original's sanity rule: at most 10 % control characters and over 70 % printable ones."""
    counts = Counter(text)
    control = unprintable = 0
    for char, n in counts.items():
        if char in "\t\r\n" or char.isprintable():
            continue
        unprintable += n
        if unicodedata.category(char) == "Cc":
            control += n
    return control <= 0.1 * len(text) and unprintable < 0.3 * len(text)


def _utf16_without_bom(sample: bytes, complete: bool) -> Optional[Detected]:
    """UTF-16 shows itself by zero bytes on one side of each code unit (every ASCII comma, digit and newline)."""
    if b"\x00" not in sample:
        return None
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd > 4 * zeros_even:
        name, codec, side = "UTF-16LE", "utf-16-le", zeros_odd
    elif zeros_even > 4 * zeros_odd:
        name, codec, side = "UTF-16BE", "utf-16-be", zeros_even
    else:
        return None
    text = _decode(sample, codec, complete)
    if text is None or not _looks_like_text(text):
        return None
    return Detected(name, codec, round(0.95 * side / (zeros_even + zeros_odd), 2))


def _utf8(sample: bytes, complete: bool) -> Optional[Detected]:
    if sample.isascii():
        return UTF8  # ASCII reads the same in every candidate: UTF-8 is exactly right
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=complete)
    invalid = text.count("\ufffd")
    wide_chars = len(text) - len(text.encode("ascii", "ignore")) - invalid
    if not invalid:
        # A legacy multi-byte character is valid UTF-8 by accident about once in four; several in a row, never.
        return Detected("UTF-8", "utf-8-sig", round(min(0.99, 1 - 0.25**wide_chars), 2))
    if wide_chars >= _MIN_UTF8_CHARS_WITH_STRAYS and invalid * 100 <= wide_chars:
        # Plenty of valid UTF-8 and a stray byte or two (text pasted in from elsewhere): still UTF-8.
        return Detected("UTF-8", "utf-8-sig", round(0.8 * (1 - invalid / wide_chars), 2))
    return None


def _legacy_or_generic(sample: bytes, complete: bool) -> Detected:
    decodings = {}
    for page in _cjk.CANDIDATES:
        text = _decode(sample, page.codec, complete)
        if text is not None and _looks_like_text(text):
            decodings[page] = text
    guess = _cjk.best_guess(decodings)
    if guess is not None and guess.typicality >= _MIN_CJK_TYPICALITY:
        return _from_guess(guess)
    generic = _generic(sample)
    if generic is not None:
        return generic
    if guess is not None:
        return _from_guess(guess)
    # Nothing reads cleanly: UTF-8 with replacement characters shows the user what went wrong.
    return Detected("UTF-8", "utf-8-sig", 0.1)


def _generic(sample: bytes) -> Optional[Detected]:
    """charset-normalizer's pick, capped below the CJK and UTF confidences; on a tie (short Western text reads
    the same in most single-byte code pages) the most widespread one, Windows-1252, is preferred."""
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:
        return None
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    best = next((m for m in tied if m.encoding == "cp1252"), best)
    return Detected(best.encoding, best.encoding, round(0.6 * (1 - best.chaos), 2))


def _from_guess(guess: _cjk.LegacyGuess) -> Detected:
    page = guess.code_page
    return Detected(page.name, page.codec, guess.confidence, page.language)
