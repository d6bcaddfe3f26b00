"""Two example layouts beside Norddjurs 2023: the same data, other templates and settings.

Each is built by scripts/build_templates.py into examples/<name>/templates/skabelon.docx, one
template for agenda and minutes alike (`document.is_minutes` switches what differs). Nothing
here is code the documents depend on: a secretary makes the same in Word, by editing the
built-in template's paragraphs. The body format is build_templates' (one paragraph a line).

- norddjurs-2016: Norddjurs' own layout of 2013-2016 (docs/domain.md §2.4): "Åben sag" in
  lower case, "Sagsgang: ØK, KB" on one line with its label, bilag lines without the meeting
  system's id, the afbud on one line, no "Fraværende:" on an agenda when nobody is absent,
  a running header with the committee's name only, a serif font.
- syddal: another municipality (Syddal Kommune, invented) with its logo on every page, blue
  headings, the indstilling before the sagsfremstilling (as Mariagerfjord), the history as
  "Beslutning fra Økonomiudvalget, den 6. december 2022, punkt 1:" (the earlier meeting's item
  number), bilag as "Bilag 1: …" (Rødovre), absence on the front page only, a Bilagsliste.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

__all__ = ["LAYOUTS", "Layout", "logo_png"]


@dataclass(frozen=True)
class Layout:
    name: str
    body: str
    header: str
    footer: str
    front_footer: str
    front_header: str | None = None  # None: no header on the front and contents pages
    font: str = "Arial"
    sizes: dict[str, tuple[float, bool]] = field(default_factory=dict)  # style: (pt, bold)
    colours: dict[str, str] = field(default_factory=dict)  # style: "RRGGBB"
    logo: bytes | None = None  # a PNG put at the start of every header
    logo_height_cm: float = 1.2
    snippets: dict[str, str] = field(default_factory=dict)


def logo_png(width: int = 360, height: int = 120) -> bytes:
    """Syddal's logo, drawn here so that the template builds from text alone: a blue shield
    with three white waves, and a green bar beside it (the same bytes every time)."""
    blue, white, green, clear = (
        (24, 78, 140, 255),
        (255, 255, 255, 255),
        (60, 140, 70, 255),
        (0, 0, 0, 0),
    )
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter type 0 for the row
        for x in range(width):
            colour = clear
            if x < height:  # the shield: a square with a rounded foot
                foot = (
                    y > height * 0.6
                    and (x - height / 2) ** 2 + (y - height * 0.6) ** 2 > (height / 2) ** 2
                )
                if not foot:
                    colour = blue
                    for wave in (0.35, 0.5, 0.65):
                        centre = height * wave + 5 * ((x // 12) % 2)
                        if abs(y - centre) < 3 and 12 < x < height - 12:
                            colour = white
            elif x > height + 20 and height * 0.4 < y < height * 0.6:
                colour = green
            row.extend(colour)
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


# The end of a document, the same in both layouts: corrections, then the signature page.
ENDING = {
    "CORRECTIONS_BLOCK": """%if corrections
Heading 1 | Rettelser
%for c in corrections
Heading 2 | {{ c.heading }}
=blocks c.blocks
%endfor
%endif""",
    "SIGNATURE_BLOCK": """%if signature
Heading 1 | {{ signature.title }}
%for m in signature.members
Forside | {{ m }}\t______________________________
%endfor
%endif""",
}

NORDDJURS_2016 = Layout(
    name="norddjurs-2016",
    font="Liberation Serif",
    header="{{ body.name }}",
    footer="{{ municipality }}\tSide ",
    front_footer="{{ municipality }}",
    sizes={"Title": (22, True), "Heading 1": (13, True)},
    snippets={
        **ENDING,
        "CASE_LINE_2016": "{% if item.case.kle %}{{ item.case.kle }} {% endif %}"
        "{{ item.case.number }} {{ item.case.access }} sag",
        "BILAG_LINE_2016": "{{ a.number }} - {{ a.title }}"
        "{% if a.doc_number %} ({{ a.doc_number }}){% endif %}"
        "{% if a.access == 'Lukket' %} (lukket){% endif %}",
    },
    body="""
Title | {{ body.name }}
Subtitle | {{ document.title }}
Forside | {{ document.edition_label }}
%for line in document.notices
Forside | {{ line }}
%endfor
Forside | Sted:\t{{ meeting.place }}
Forside | Dato:\t{{ meeting.date_long }}
Forside | Start kl.:\tSTART_LINE
Forside | Slut kl.:\t{{ meeting.end }}
Forside | Medlemmer:
%for m in meeting.members
Forside | \t{{ m }}
%endfor
%if document.is_minutes or meeting.absent
Forside | Fraværende:
%for m in meeting.absent
Forside | \t{{ m }}
%endfor
%endif
=section
TOC Heading | Indholdsfortegnelse
=toc
=section
%for item in items
Heading 1 | {{ item.heading }}
%if item.note
Normal | {{ item.note }}
%endif
%if item.case
Sagsnummer | CASE_LINE_2016
Normal | Sagsgang: {{ item.case.route|join(", ") }}
%endif
=blocks item.text
%for s in item.sections
Heading 2 | {{ s.heading }}
=blocks s.blocks
%endfor
%if item.recommendation
Heading 2 | Indstilling
=blocks item.recommendation
%endif
%for t in item.treatments
%if t.recommendation
Heading 2 | Indstilling
=blocks t.recommendation
%endif
%if t.decided
Heading 2 | Beslutning i {{ t.body }} den {{ t.date_iso|dato }}
=blocks t.decision
%for line in t.votes
Normal | {{ line }}
%endfor
=blocks t.notes
%for line in t.non_participation
Normal | {{ line }}
%endfor
%if t.absent
Normal | Afbud: {{ t.absent|join(", ") }}
%endif
%for c in t.corrections
Heading 2 | {{ c.heading }}
=blocks c.blocks
%endfor
%endif
%endfor
%if item.attachment_fields
Heading 2 | Bilag
%for a in item.attachment_fields
Normal | BILAG_LINE_2016
%endfor
%endif
%endfor
CORRECTIONS_BLOCK
%if attachment_overview
Heading 1 | Bilagsoversigt
%for g in attachment_overview
Heading 2 | {{ g.number }}. {{ g.title }}
%for a in g.attachment_fields
Normal | BILAG_LINE_2016
%endfor
%endfor
%endif
SIGNATURE_BLOCK
""",
)

SYDDAL = Layout(
    name="syddal",
    font="Liberation Sans",
    header="{{ body.name }} · {{ meeting.date_iso|dato('lang') }}",
    front_header="{{ municipality }}",
    footer="{{ municipality }} · {{ document.title|capitalize }}\tSide ",
    front_footer="{{ municipality }} · {{ document.edition_label }}",
    sizes={"Title": (24, True), "Subtitle": (16, False), "Heading 1": (15, True)},
    colours={
        "Title": "184E8C",
        "Heading 1": "184E8C",
        "Heading 2": "2F6B3A",
        "TOC Heading": "184E8C",
    },
    logo=logo_png(),
    logo_height_cm=1.4,
    snippets={
        **ENDING,
        "CASE_META": "Sagsnr. {{ item.case.number }}{% if item.case.kle %}"
        " · KLE {{ item.case.kle }}{% endif %}{% if item.case.access == 'Lukket' %}"
        " · Lukket punkt{% endif %}",
        "HISTORY_HEADING": "Beslutning fra {{ t.body }}, den {{ t.date_iso|dato('lang') }},"
        " punkt {{ t.item_number }}:",
        "MEMBER": "{{ m.name }}{% if m.party %} ({{ m.party }}){% elif m.organisation %}"
        " ({{ m.organisation }}){% endif %}{% if m.role %}, {{ m.role|lower }}{% endif %}",
        "TIME_LINE": "kl. {{ meeting.start }}{% if meeting.end %}-{{ meeting.end }}{% endif %}"
        "{% if meeting.start_note %}. {{ meeting.start_note }}{% endif %}",
        "BILAG_SYDDAL": "Bilag {{ a.number }}: {{ a.title }}"
        "{% if a.access == 'Lukket' %} (lukket bilag){% endif %}",
    },
    body="""
Subtitle | {{ document.title|capitalize }}
Title | {{ body.name }}
Forside | {{ document.edition_label }}
%for line in document.notices
Forside | {{ line }}
%endfor
Forside | Mødedato:\t{{ meeting.date_iso|dato('ugedag') }}
Forside | Mødetid:\tTIME_LINE
Forside | Mødested:\t{{ meeting.place }}
Forside | Medlemmer:
%for m in meeting.member_list
Forside | \tMEMBER
%endfor
%for s in meeting.substitute_list
Forside | \t{{ s.name }} ({{ s.party }}), suppleant for {{ s.replaces.name }}
%endfor
%if meeting.absent_list
Forside | Afbud:\t{{ meeting.absent_list|map(attribute='name')|opremsning }}
%endif
%for p in meeting.partial_list
Forside | \t{{ p.name }} var ikke til stede under punkt {{ p.items }}
%endfor
=section
TOC Heading | Indhold
=toc
=section
%for item in items
Heading 1 | {{ item.heading }}
%if item.note
Normal | {{ item.note }}
%endif
%if item.case
Sagsnummer | CASE_META
Sagsnummer | Forventet sagsgang: {{ item.case.route_names|opremsning }}
%endif
%if item.recommendation
Heading 2 | Indstilling
=blocks item.recommendation
%endif
=blocks item.text
%for s in item.sections
Heading 2 | {{ s.heading }}
=blocks s.blocks
%endfor
%for t in item.treatments
%if t.recommendation
Heading 2 | Indstilling til {{ t.body }}
=blocks t.recommendation
%endif
%if t.decided
%if loop.last and document.is_minutes
Heading 2 | Beslutning
%else
Heading 2 | HISTORY_HEADING
%endif
=blocks t.decision
%for line in t.votes
Normal | {{ line }}
%endfor
=blocks t.notes
%for line in t.non_participation
Normal | {{ line }}
%endfor
%for c in t.corrections
Heading 2 | {{ c.heading }}
=blocks c.blocks
%endfor
%endif
%endfor
%if item.attachment_fields
Heading 2 | Bilag
%for a in item.attachment_fields
List Bullet | BILAG_SYDDAL
%endfor
%endif
%endfor
CORRECTIONS_BLOCK
%if attachment_overview
Heading 1 | Bilagsliste
%for g in attachment_overview
Heading 2 | Punkt {{ g.number }}: {{ g.title }}
%for a in g.attachment_fields
List Bullet | BILAG_SYDDAL
%endfor
%endfor
%endif
SIGNATURE_BLOCK
""",
)

LAYOUTS = [NORDDJURS_2016, SYDDAL]
