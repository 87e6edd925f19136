"""The pure text rules: display text and title keys."""

import pytest

from crawler.text import (
    collapse_whitespace,
    decode_entities,
    display_paragraphs,
    display_text,
    fold_presentation_forms,
    fold_quotes,
    remove_tatweel,
    strip_invisible,
    title_key,
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("“بلومبرغ”", '"بلومبرغ"'),
        ("«نصر»", '"نصر"'),
        ("„قوة‟", '"قوة"'),
        ("‹ماذا›", '"ماذا"'),
        ("″نورد ستريم 2″", '"نورد ستريم 2"'),
        ("‘عواقب’", "'عواقب'"),
        ("plain \"ascii\" and 'single'", "plain \"ascii\" and 'single'"),
    ],
)
def test_fold_quotes(raw, folded):
    assert fold_quotes(raw, "ascii") == folded


def test_strip_invisible_removes_bidi_zero_width_and_line_separators():
    raw = "\u200fقمة\u200e \u202bبايدن\u202c\u2066 و\u2069بوتين\u200b\u2028سطر\u2029\ufeff\u061c"
    assert strip_invisible(raw) == "قمة بايدن وبوتينسطر"


def test_remove_tatweel():
    assert remove_tatweel("لـ«الصباح» الجـــزائر") == "ل«الصباح» الجزائر"


def test_presentation_forms_fold_but_diacritics_stay():
    # U+FEF7 is the lam-alef-with-hamza ligature; the second word keeps its harakat.
    assert fold_presentation_forms("\ufef7\ufe8e") == "لأا"
    assert fold_presentation_forms("مُحَمَّد") == "مُحَمَّد"


def test_decode_entities_and_collapse_whitespace():
    assert decode_entities("ترامب &quot;الوردي&quot; &amp; ") == 'ترامب "الوردي" & '
    assert collapse_whitespace("  قمة\u00a0\u00a0 بايدن\n\t وبوتين ") == "قمة بايدن وبوتين"


def test_display_text_composes_every_rule():
    raw = " \u200fالرئيس  «بايدن»\u00a0يلتقي ـ&quot;بوتين&quot;\u2028 "
    assert display_text(raw, "ascii") == 'الرئيس "بايدن" يلتقي "بوتين"'
    assert display_text(" \u200f ", "ascii") is None
    assert display_text(None, "ascii") is None


def test_display_paragraphs_keeps_paragraph_breaks():
    assert display_paragraphs("أول  فقرة\n\n\n  «ثانية»\n \nثالثة", "ascii") == 'أول فقرة\n\n"ثانية"\n\nثالثة'


@pytest.mark.parametrize(
    ("raw", "guillemets"),
    [
        ("“بلومبرغ”: “نصر” بايدن", "«بلومبرغ»: «نصر» بايدن"),
        ("لـ”بلومبرغ”", "ل«بلومبرغ»"),  # a proclitic written onto the quoted word
        ('قال "أنا لا أقبل".', "قال «أنا لا أقبل»."),
        ("(„قوة عظمى‟)", "(«قوة عظمى»)"),
    ],
)
def test_guillemet_style_finds_each_quote_direction(raw, guillemets):
    assert display_text(raw, "guillemets") == guillemets


def test_keep_style_leaves_the_source_quotes_and_bad_styles_fail():
    assert display_text("“نصر” ‘ما’", "keep") == "“نصر” ‘ما’"
    with pytest.raises(ValueError, match="quote style must be one of ascii, guillemets, keep"):
        fold_quotes("x", "curly")


def test_title_key_ignores_spelling_noise():
    a = title_key("“بلومبرغ”: «نصر» بايدن وبوتين في قمة جنيف لا يُبدّد خلافاتهما")
    b = title_key('بلومبرغ: "نصر" بايدن وبوتين في قمه جنيف لا يبدد خلافاتهما!')
    assert a == b


def test_title_key_folds_letters_and_digits():
    assert title_key("إطلاق ٣ صواريخ على مدينة أبها") == title_key("اطلاق 3 صواريخ علي مدينه ابها")
    assert title_key("ذكرى ٢٠٢١") == "ذكري 2021"


def test_title_key_keeps_different_headlines_apart():
    assert title_key("بايدن يلتقي بوتين") != title_key("بوتين يلتقي أردوغان")
    assert title_key("  ") is None
