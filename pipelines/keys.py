"""Matching keys: never shown to users, only compared.

A title key survives the spelling noise two copies of one headline carry
(diacritics, hamza forms, taa marbuta, punctuation, digit scripts). URL keys
live in ``crawler.urls`` because the spider needs them for cycle detection.
"""

from __future__ import annotations

import re
import unicodedata

from pipelines.normalize import display_text

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
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


def title_key(title: str | None) -> str | None:
    """The form two copies of one headline share, or ``None`` for no title."""
    text = display_text(title)
    if text is None:
        return None
    text = _DIACRITICS.sub("", text).translate(_LETTER_FOLDS).casefold()
    # Keep letters, digits and spaces: punctuation and symbols never tell headlines apart.
    kept = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    return " ".join(kept.split()) or None
