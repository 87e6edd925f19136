"""Matching keys: never shown to users, only compared.

A title key survives the spelling noise two copies of one headline carry
(diacritics, hamza forms, taa marbuta, punctuation, digit scripts). URL keys
live in ``crawler.urls`` because the spider needs them for cycle detection.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.normalize import INVISIBLE, decode_entities, fold_presentation_forms

_NOT_WORD = re.compile(r"[\W_]+")
_REMOVED = re.compile(f"{INVISIBLE.pattern}|[\u0640\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_LETTER_FOLDS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)


@lru_cache(maxsize=4096)
def title_key(title: str | None) -> str | None:
    """The form two copies of one headline share, or ``None`` for no title.

    Cached: dedup and storage both key each title, moments apart.
    """
    if not title:
        return None
    text = fold_presentation_forms(decode_entities(title))
    # One pass removes what display_text removes (invisible marks, tatweel) plus the diacritics;
    # punctuation and symbols go too, since they never tell two headlines apart.
    text = _REMOVED.sub("", text).translate(_LETTER_FOLDS).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split()) or None
