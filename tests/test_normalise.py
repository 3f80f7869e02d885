"""Japanese input as typed: employee numbers in one stored form, names folded for searching only."""

import pytest

from elearn.normalise import NAME_VARIANTS, employee_no, fold_name, kana_forms, spellings


@pytest.mark.parametrize("typed", ["D0005", "d0005", "Ｄ０００５", "ｄ０００５", " D0005\u3000", "\tｄ0005 "])
def test_an_employee_number_is_stored_in_one_form_however_it_was_typed(typed):
    assert employee_no(typed) == "D0005"


def test_a_full_width_hyphen_in_a_number_is_a_hyphen():
    assert employee_no("ａ－１２") == "A-12"


def test_nothing_typed_is_an_empty_number():
    assert employee_no(None) == ""
    assert employee_no("　") == ""


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("髙橋 一郎", "高橋"),
        ("山﨑", "山崎"),
        ("德永", "徳永"),
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("齋藤", "斎藤"),
        ("齊藤", "斎藤"),
        ("長濱", "長浜"),
    ],
)
def test_common_variant_characters_fold_to_the_form_hr_types(stored, typed):
    assert fold_name(typed) in fold_name(stored)


def test_folding_keeps_one_half_width_space_and_folds_full_width_letters():
    assert fold_name(" 髙橋　一郎 ") == fold_name("高橋 一郎") == "高橋 一郎"
    assert fold_name("ＡＢＣ") == "ABC"


def test_the_spellings_searched_for_are_every_variant_of_every_character():
    assert set(spellings("高橋")) == {"高橋", "髙橋", "高槗", "髙槗"}
    assert set(spellings("髙橋")) == set(spellings("高橋"))
    assert spellings("青木") == ["青木"]


def test_a_long_text_is_searched_only_as_typed_folded():
    assert spellings("高崎高崎高崎高崎") == ["高崎高崎高崎高崎"]


def test_every_variant_folds_to_a_different_character():
    assert all(variant != common for variant, common in NAME_VARIANTS.items())


def test_a_reading_is_searched_as_katakana_and_as_hiragana():
    assert kana_forms("たなか") == {"タナカ", "たなか"}
    assert kana_forms("ﾀﾅｶ") == {"タナカ", "たなか"}
