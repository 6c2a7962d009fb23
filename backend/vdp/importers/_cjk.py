"""Which legacy CJK code page a byte sample is in, scored by how *common* its decoded characters are.

Short Chinese CSVs defeat generic detectors: a GBK header row is also valid Big5 (and often valid Shift-JIS,
which generic detectors then call Korean). Each of these code pages orders its characters by frequency tier
(GB2312 level 1, Big5 "frequent" block, JIS level 1 plus kana), and a wrong decoding lands in rare tiers,
symbols, private-use or half-width kana. So the share of common-tier characters separates them even for a
single header row, and the margin between candidates gives an honest confidence.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Optional

# How much a character in each tier speaks for the candidate.
_COMMON = 1.0
_PUNCTUATION = 0.5
_RARE = 0.15
_UNLIKELY = 0.0

# Weight of the margin between candidates: exp(_SHARPNESS * score) is each candidate's share of belief.
_SHARPNESS = 8.0


def _double_byte(char: str, codec: str) -> Optional[int]:
    try:
        encoded = char.encode(codec)
    except UnicodeEncodeError:
        return None
    return (encoded[0] << 8) | encoded[1] if len(encoded) == 2 else None


def _gb2312_tier(char: str) -> float:
    code = _double_byte(char, "gb2312")
    if code is None:
        return _UNLIKELY  # GBK/GB18030 extensions: rare, and where Big5 or Shift-JIS bytes land
    if 0xB0A1 <= code <= 0xD7FE:
        return _COMMON  # level 1: the 3,755 most used hanzi
    if 0xD8A1 <= code <= 0xF7FE:
        return _RARE
    if code <= 0xA3FE:
        return _PUNCTUATION  # full-width punctuation, digits and letters
    return _UNLIKELY  # kana, Greek, Cyrillic, box drawing: what Big5 bytes decode to


def _big5_tier(char: str) -> float:
    code = _double_byte(char, "big5")
    if code is None:
        return _UNLIKELY
    if 0xA440 <= code <= 0xC67E:
        return _COMMON  # the 5,401 frequently used characters
    if 0xC940 <= code <= 0xF9D5:
        return _RARE
    if code <= 0xA1FE:
        return _PUNCTUATION
    return _UNLIKELY


def _shift_jis_tier(char: str) -> float:
    if "\u3041" <= char <= "\u30ff":
        return _COMMON  # hiragana and katakana: most of any Japanese text
    code = _double_byte(char, "shift_jis")  # half-width kana are single bytes: the typical GBK mis-decoding
    if code is None:
        return _UNLIKELY
    if 0x889F <= code <= 0x9872:
        return _COMMON  # JIS level 1 kanji
    if 0x989F <= code <= 0xEAA4:
        return _RARE
    if code <= 0x81FF:
        return _PUNCTUATION
    return _UNLIKELY


@dataclass(frozen=True, slots=True)
class LegacyCodePage:
    name: str
    """The reported name, as the original's encoding_rs spells it."""
    codec: str
    """The Python codec that decodes it (the Windows superset, which real files use)."""
    language: str
    tier: Callable[[str], float]


GBK = LegacyCodePage("GBK", "gbk", "zh-CN", _gb2312_tier)
GB18030 = LegacyCodePage("GB18030", "gb18030", "zh-CN", _gb2312_tier)
BIG5 = LegacyCodePage("Big5", "cp950", "zh-TW", _big5_tier)
SHIFT_JIS = LegacyCodePage("Shift_JIS", "cp932", "ja", _shift_jis_tier)

# In order of preference when two candidates score the same (mainland files are the common case).
CANDIDATES: tuple[LegacyCodePage, ...] = (GBK, GB18030, BIG5, SHIFT_JIS)


@dataclass(frozen=True, slots=True)
class LegacyGuess:
    code_page: LegacyCodePage
    typicality: float
    """Weighted share of common-tier characters in this decoding, 0–1."""
    confidence: float


def score(text: str, code_page: LegacyCodePage) -> tuple[float, int]:
    """(typicality, number of non-ASCII characters scored) of `text` read as `code_page`."""
    counts = Counter(text)  # a sample holds a few thousand distinct characters at most: score each once
    wide = {char: n for char, n in counts.items() if char > "\x7f"}
    total = sum(wide.values())
    if not total:
        return 0.0, 0
    return sum(code_page.tier(char) * n for char, n in wide.items()) / total, total


def best_guess(decodings: dict[LegacyCodePage, str]) -> Optional[LegacyGuess]:
    """The most typical decoding, with a confidence from its margin over the others and the amount of evidence."""
    scored = {page: score(text, page) for page, text in decodings.items()}
    scored = {page: result for page, result in scored.items() if result[1]}
    if not scored:
        return None
    # GBK and GB18030 read the same bytes the same way: one hypothesis, not two votes.
    if GBK in scored:
        scored.pop(GB18030, None)
    winner = max(scored, key=lambda page: scored[page][0])  # max keeps the first of equal scores
    typicality, evidence = scored[winner]
    belief = {page: math.exp(_SHARPNESS * result[0]) for page, result in scored.items()}
    share = belief[winner] / sum(belief.values())
    confidence = share * (0.5 + 0.5 * typicality) * evidence / (evidence + 2)
    return LegacyGuess(winner, typicality, round(min(confidence, 0.99), 2))
