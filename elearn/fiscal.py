"""Fiscal years (年度, April to March) and Japanese era labels, in Japan time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")
REIWA_START = 2019


def fiscal_year_of(day: date) -> int:
    """The fiscal year a day belongs to, named by the calendar year it starts in."""
    return day.year if day.month >= 4 else day.year - 1


def current_fiscal_year(now: datetime | None = None) -> int:
    return fiscal_year_of((now or datetime.now(UTC)).astimezone(JST).date())


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 3, 31)


def era_year(year: int) -> str:
    """令和 years: 2019 is 令和元年, 2026 is 令和8年."""
    if year < REIWA_START:
        return f"平成{year - 1988}"
    n = year - REIWA_START + 1
    return "令和元" if n == 1 else f"令和{n}"


def fiscal_year_label(year: int) -> str:
    """令和8年度（2026年度）"""
    return f"{era_year(year)}年度（{year}年度）"


def local_date(moment: datetime) -> date:
    return moment.astimezone(JST).date()


def format_date(moment: datetime | date | None) -> str:
    """A date as 2026年5月1日 (Japan time for timestamps)."""
    if moment is None:
        return ""
    day = local_date(moment) if isinstance(moment, datetime) else moment
    return f"{day.year}年{day.month}月{day.day}日"


def format_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(JST)
    return f"{format_date(local)} {local:%H:%M}"


def era_date(moment: datetime | date | None) -> str:
    """A date in the Japanese era, as on official documents: 令和8年5月1日."""
    if moment is None:
        return ""
    day = local_date(moment) if isinstance(moment, datetime) else moment
    return f"{era_year(day.year)}年{day.month}月{day.day}日"
