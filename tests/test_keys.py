from pipelines.keys import title_key


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
