"""Danish formatting filters for the Word templates: a date and a list as Danish documents
write them, so a template composes its own lines from the context's values.

`{{ t.date_iso|dato }}` → 06-12-2022, `{{ t.date_iso|dato("lang") }}` → 6. december 2022,
`{{ meeting.date_iso|dato("ugedag") }}` → Tirsdag den 6. december 2022,
`{{ item.case.route|opremsning }}` → ØK, KB og BY. docs/templates.md lists them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ._sandbox import Refused

__all__ = ["DATE_FORMS", "FILTERS", "danish_date", "enumeration"]


def _long(day: dt.date) -> str:
    from babel.dates import format_date  # its locale data only when a document is made

    return format_date(day, "d. MMMM y", locale="da_DK")


def _weekday(day: dt.date) -> str:
    from .context import long_date

    return long_date(day)


DATE_FORMS: dict[str, Callable[[dt.date], str]] = {
    "kort": lambda d: f"{d:%d-%m-%Y}",  # 06-12-2022, the seed's decision headings
    "punktum": lambda d: f"{d:%d.%m.%Y}",  # 06.12.2022
    "lang": _long,  # 6. december 2022
    "ugedag": _weekday,  # Tirsdag den 6. december 2022
    "ugedag_lille": lambda d: _weekday(d)[:1].lower() + _weekday(d)[1:],  # tirsdag den …
    "år": lambda d: str(d.year),
}


def danish_date(value: Any, form: str = "kort") -> str:
    """`{{ x.date_iso|dato("lang") }}`: an ISO date (2022-12-06) as Danish documents write it."""
    if form not in DATE_FORMS:
        known = ", ".join(f"'{f}'" for f in DATE_FORMS)
        raise Refused(f"'dato' kender ikke formen '{form}' (kendte: {known})")
    if value in ("", None):
        return ""
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise Refused(
            f"'dato' skal have en dato på formen ÅÅÅÅ-MM-DD (fx meeting.date_iso), ikke '{value}'"
        ) from None
    return DATE_FORMS[form](day)


def enumeration(values: Any, last: str = "og") -> str:
    """`{{ item.case.route|opremsning }}`: 'ØK, KB og BY'; `opremsning("eller")` too."""
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise Refused("'opremsning' skal have en liste, fx {{ item.case.route|opremsning }}")
    words = [str(v) for v in values]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {last} {words[-1]}"


FILTERS: dict[str, Callable[..., str]] = {"dato": danish_date, "opremsning": enumeration}
