"""What the site, the OParl export and the calendar feeds are made from, and what they make."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ._stamps import Stamps

__all__ = ["Made", "Material"]

# A file of the site: its path, how to make its bytes, and whether the old site's file may be
# kept instead (its meeting is unchanged since the last publishing).
Made = tuple[str, Callable[[], bytes], bool]


@dataclass(frozen=True)
class Material:
    """`base` is the site's absolute address ending in '/'; `org` the bodies and people;
    `views` every meeting's public view (`_public`); `files` its public PDFs; `sources`, per
    meeting (and per case, as 'sag <nummer>'), the data files its objects are made from (for
    their times, `stamps`); `unchanged` the meetings whose own files may be kept."""

    base: str
    org: Mapping[str, Any]
    views: Mapping[str, Mapping[str, Any]]
    files: Mapping[str, list[dict[str, Any]]]
    sources: Mapping[str, list[str]]
    stamps: Stamps
    unchanged: frozenset[str] = frozenset()

    def ordered(self) -> list[Mapping[str, Any]]:
        """The views by date, time and name."""
        return sorted(self.views.values(), key=lambda v: (v["date"], v["start"], v["name"]))
