"""Japanese input as people type it: one place that turns what was typed into what is stored or searched.

- 職員番号 are typed on Japanese keyboards (full-width 「Ｄ０００５」) and copied from Excel
  (lower case, stray spaces): NFKC folds full-width letters and digits, upper case makes 「d0005」
  the same account as 「D0005」. Used wherever a number is typed or imported.
- Names keep the 異体字 the employee writes (髙橋, 山﨑), but HR types the common form (高橋, 山崎)
  when searching: ``fold_name`` maps both to one form, for comparing only; stored names never change.

Plain Python: used by services, forms and the content-free CLI alike.
"""

from __future__ import annotations

import itertools
import unicodedata

# Variant (異体字) -> the common form HR types. Only characters people actually use in names and
# which NFKC leaves alone (even 﨑, a compatibility ideograph, has no decomposition).
NAME_VARIANTS: dict[str, str] = {
    "髙": "高",
    "﨑": "崎",
    "嵜": "崎",
    "碕": "崎",
    "德": "徳",
    "邊": "辺",
    "邉": "辺",
    "齋": "斎",
    "齊": "斎",
    "濱": "浜",
    "濵": "浜",
    "澤": "沢",
    "廣": "広",
    "國": "国",
    "櫻": "桜",
    "實": "実",
    "眞": "真",
    "惠": "恵",
    "冨": "富",
    "𠮷": "吉",
    "槗": "橋",
    "嶋": "島",
    "嶌": "島",
    "峯": "峰",
    "瀨": "瀬",
    "栁": "柳",
    "淺": "浅",
    "藏": "蔵",
    "條": "条",
    "萬": "万",
    "黑": "黒",
    "靜": "静",
}
_NAME_TABLE = str.maketrans(NAME_VARIANTS)
_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _variant, _common in NAME_VARIANTS.items():
    _SPELLINGS[_common] = (*_SPELLINGS.get(_common, (_common,)), _variant)
MAX_SPELLINGS = 32  # a name of a few characters has a handful; a pasted paragraph is not a name
# Hiragana and katakana are one reading: HR types either when searching a kana name.
_HIRAGANA_TO_KATAKANA = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)})
_KATAKANA_TO_HIRAGANA = str.maketrans({chr(c + 0x60): chr(c) for c in range(0x3041, 0x3097)})


def employee_no(raw: str | None) -> str:
    """The stored form of a typed or imported 職員番号: NFKC, without spaces at either end, upper case."""
    if raw is None:
        return ""
    return unicodedata.normalize("NFKC", raw).strip().upper()


def fold_name(text: str) -> str:
    """A name (or part of one) in the form used to compare names: NFKC, 異体字 folded, one space
    between words. For searching and matching only, never for storing."""
    folded = unicodedata.normalize("NFKC", text).translate(_NAME_TABLE)
    return " ".join(folded.split())


def spellings(text: str) -> list[str]:
    """Every way a stored name may write the typed text: 「高橋」 -> 高橋, 髙橋, 高槗, 髙槗.

    The database is searched for each, so that stored names need no folding (SQL has no function for
    it that both SQLite and PostgreSQL run). Beyond MAX_SPELLINGS, only the folded form is searched.
    """
    folded = fold_name(text)
    choices = [_SPELLINGS.get(c, (c,)) for c in folded]
    count = 1
    for options in choices:
        count *= len(options)
    if count > MAX_SPELLINGS:
        return [folded]
    return ["".join(p) for p in itertools.product(*choices)]


def kana_forms(text: str) -> set[str]:
    """The typed reading as katakana and as hiragana (half-width kana become full-width by NFKC)."""
    folded = " ".join(unicodedata.normalize("NFKC", text).split())
    return {folded.translate(_HIRAGANA_TO_KATAKANA), folded.translate(_KATAKANA_TO_HIRAGANA)}
