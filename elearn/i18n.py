"""Stable codes with names: Japanese in the records, translated on the pages.

The Japanese name is the message catalogue's id, so the English label is the catalogue's entry for it.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import LazyString, lazy_gettext


# gettext's usual name for a marker that translates nothing; pybabel extracts N_ by default.
def N_(message: str) -> str:
    """Mark a Japanese name for the catalogue without translating it: records keep it as written."""
    return message


class NamedCode(StrEnum):
    """Members are written ``CODE = "code", N_("名前")``: the code is the value (stored, in URLs), the
    Japanese name is what records and the command line write, the label what pages show."""

    japanese: str

    def __new__(cls, code: str, japanese: str) -> NamedCode:
        member = str.__new__(cls, code)
        member._value_ = code
        member.japanese = japanese
        return member

    @property
    def label(self) -> LazyString:
        """The name in the reader's language, looked up when it is shown."""
        return lazy_gettext(self.japanese)
