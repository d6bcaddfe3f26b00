"""Build the Word templates with python-docx: the built-in ones and the example layouts.

Run from the repository root: ``.venv/bin/python scripts/build_templates.py``.
The built-in dagsorden.docx and protokol.docx get the same body and styles (one source); the
example layouts (scripts/template_layouts.py) each get one skabelon.docx for every kind of
document, in examples/<layout>/templates/. The context they are rendered with is in
docs/templates.md.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

from template_layouts import LAYOUTS, Layout

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIRS = [ROOT / "src/dagsorden/templates", ROOT / "templates"]
TEMPLATE_NAMES = ["dagsorden.docx", "protokol.docx"]

FONT = "Arial"
MARGIN = Cm(2.5)
TEXT_WIDTH = Cm(21.0 - 2 * 2.5)
LABEL_TAB = Cm(3.5)
FIXED_DATE = datetime(2023, 1, 1)
TOC_INSTRUCTION = 'TOC \\o "1-1" \\h \\z \\u'
TOC_PLACEHOLDER = "Højreklik og vælg Opdater felt for at se indholdsfortegnelsen."
BULLET_NUM_ID, NUMBER_NUM_ID = 1, 2
EMPTY_CORE_PROPERTIES = ["title", "subject", "keywords", "comments", "author", "last_modified_by"]

# name: (size in pt, bold, space before, space after, keep with next)
STYLES: dict[str, tuple[float, bool, float, float, bool]] = {
    "Normal": (10, False, 0, 6, False),
    "Title": (20, True, 0, 6, False),
    "Subtitle": (14, True, 0, 24, False),
    "Forside": (10, False, 0, 3, False),
    "TOC Heading": (14, True, 0, 12, True),
    "toc 1": (10, False, 0, 3, False),
    "Heading 1": (14, True, 0, 6, True),
    "Heading 2": (11, True, 12, 3, True),
    "Sagsnummer": (10, False, 0, 12, True),
    "List Bullet": (10, False, 0, 6, False),
    "List Number": (10, False, 0, 6, False),
    "Header": (9, False, 0, 0, False),
    "Footer": (9, False, 0, 0, False),
    "Tabeltekst": (9, False, 0, 0, False),
    "Billede": (10, False, 6, 6, False),
}
NEW_STYLE_IDS = {
    "Forside": "Forside",
    "Sagsnummer": "Sagsnummer",
    "toc 1": "TOC1",
    "Tabeltekst": "Tabeltekst",
    "Billede": "Billede",
}
TABLE_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)
# The table style of Markdown tables: thin grey lines, a shaded header row in bold (repeated
# on every page by the table itself), cells a little apart from their lines.
TABLE_STYLE = f"""<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="Tabel">
<w:name w:val="Tabel"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>
<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>
<w:tblPr><w:tblBorders>{TABLE_BORDERS}</w:tblBorders><w:tblCellMar>
<w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
<w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>
<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>
<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/></w:tcPr></w:tblStylePr>
</w:style>"""
HYPERLINK_STYLE = f"""<w:style {nsdecls("w")} w:type="character" w:styleId="Hyperlink">
<w:name w:val="Hyperlink"/><w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/>
<w:unhideWhenUsed/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>"""

# The template body, one paragraph per line: "Style | text", "%tag" for a {%p tag %} paragraph,
# "=blocks <expr>" for a block list, "=section" for a section break, "=toc" for the TOC field;
# CASE_LINE, START_LINE and BILAG_LINE stand for the lines in SNIPPETS.
BODY = """
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
Forside | Fraværende:
%for m in meeting.absent
Forside | \t{{ m }}
%endfor
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
Sagsnummer | CASE_LINE Sag
Heading 2 | Sagsgang
Normal | {{ item.case.route|join(", ") }}
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
Normal | Afbud:
%for name in t.absent
Normal | {{ name }}
%endfor
%endif
%for c in t.corrections
Heading 2 | {{ c.heading }}
=blocks c.blocks
%endfor
%endif
%endfor
%if item.attachment_fields
Normal | Bilag:
%for a in item.attachment_fields
Normal | BILAG_LINE
%endfor
%endif
%endfor
%if corrections
Heading 1 | Rettelser
%for c in corrections
Heading 2 | {{ c.heading }}
=blocks c.blocks
%endfor
%endif
%if attachment_overview
Heading 1 | Bilagsoversigt
%for g in attachment_overview
Heading 2 | {{ g.number }}. {{ g.title }}
%for a in g.attachment_fields
Normal | BILAG_LINE
%endfor
%endfor
%endif
%if signature
Heading 1 | {{ signature.title }}
Normal | Underskrevet af de medlemmer, der deltog i mødet (KSL § 13, stk. 1).
%for m in signature.members
Forside | {{ m }}\t______________________________
%endfor
%endif
"""
SNIPPETS = {
    "CASE_LINE": "{% if item.case.kle %}{{ item.case.kle }} {% endif %}{{ item.case.number }}"
    " {{ item.case.access }}",
    "START_LINE": "{{ meeting.start }}{% if meeting.start_note %} ({{ meeting.start_note }})"
    "{% endif %}",
    "BILAG_LINE": "{{ a.number }} -{% if a.id %} {{ a.id }}{% endif %} {{ a.access }}"
    " {{ a.title }}{% if a.doc_number %} ({{ a.doc_number }}){% endif %}"
    "{% if a.inherited %} (H){% endif %}",
}
NORDDJURS = Layout(
    name="norddjurs-2023",
    body=BODY,
    header="{{ body.name }} {{ meeting.date_iso|dato }}",
    footer="{{ municipality }}\tSide ",
    front_footer="{{ municipality }}",
)


def block_list(expr: str) -> list[str]:
    """A list of blocks: one paragraph per block, in the style that matches its kind; a table
    in the "Tabel" style, a picture in a "Billede" paragraph, a page break."""
    runs = "{{r b.runs|rich }}"
    return [
        f"%for b in {expr}",
        '%if b.kind == "bullet"',
        f"List Bullet | {runs}",
        '%elif b.kind == "number"',
        f"List Number | {runs}",
        '%elif b.kind == "table"',
        "Tabeltekst | {{p b|table }}",
        "Tabeltekst | ",  # the space after the table
        '%elif b.kind == "image"',
        "Billede | {{r b|picture }}",
        '%elif b.kind == "pagebreak"',
        "=pagebreak",
        "%else",
        f"Normal | {runs}",
        "%endif",
        "%endfor",
    ]


def add_field(paragraph: Paragraph, instruction: str, result: str, *, dirty: bool = False) -> None:
    """Append a complex field: begin, instruction, separate, cached result, end."""
    for part in ("begin", "instruction", "separate", "result", "end"):
        run = paragraph.add_run(result if part == "result" else None)
        if part == "instruction":
            instr = OxmlElement("w:instrText", {qn("xml:space"): "preserve"})
            instr.text = f" {instruction} "
            run._r.append(instr)
        elif part != "result":
            char = OxmlElement("w:fldChar", {qn("w:fldCharType"): part})
            if dirty and part == "begin":
                char.set(qn("w:dirty"), "true")  # Word refreshes the TOC on open
            run._r.append(char)


def clean_package(doc: DocumentObject) -> None:
    """Remove python-docx's sample parts, its Calibri theme fonts and its metadata."""
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/customXml", "/stylesWithEffects")):
                del rels[rid]
    theme = doc.part.part_related_by(RT.THEME)
    for old in (b'typeface="Calibri"', b'typeface="Cambria"'):
        theme._blob = theme.blob.replace(old, f'typeface="{FONT}"'.encode())
    doc.part.part_related_by(RT.FONT_TABLE)._blob = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {nsdecls("w")}>'
        f'<w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/>'
        '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/>'
        "</w:font></w:fonts>"
    ).encode()

    settings = doc.settings.element
    for tag in ("m:mathPr", "w:savePreviewPicture", "w:rsids", "w:themeFontLang"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    settings.find(qn("w:defaultTabStop")).set(qn("w:val"), "1304")  # Danish Word's 2.3 cm

    props = doc.core_properties
    for name in EMPTY_CORE_PROPERTIES:
        setattr(props, name, "")
    props.created = props.modified = FIXED_DATE
    props.revision = 1


def set_defaults(doc: DocumentObject) -> None:
    styles = doc.styles.element
    for el in styles.xpath("//w:rFonts|//w:style/w:rPr/w:color"):
        el.getparent().remove(el)  # theme fonts would bring Calibri back, theme colours blue
    defaults = styles.find(qn("w:docDefaults"))
    fonts = " ".join(f'w:{attr}="{FONT}"' for attr in ("ascii", "hAnsi", "eastAsia", "cs"))
    new_defaults = parse_xml(
        f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr><w:rFonts {fonts}/>"
        '<w:sz w:val="20"/><w:szCs w:val="20"/>'
        '<w:lang w:val="da-DK" w:eastAsia="da-DK" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:after="120" w:line="264" '
        'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    defaults.getparent().replace(defaults, new_defaults)


def set_numbering(doc: DocumentObject) -> None:
    """One bullet list and one "1." list, three levels each."""
    numbering = doc.part.numbering_part.element
    for child in list(numbering):
        numbering.remove(child)
    lists = [(BULLET_NUM_ID, "bullet", ["•", "–", "•"]), (NUMBER_NUM_ID, "decimal", ["%1."] * 3)]
    for num_id, fmt, texts in lists:
        levels = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text.replace("1", str(i + 1))}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{360 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
            for i, text in enumerate(texts)
        )
        numbering.append(
            parse_xml(
                f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
                f'<w:nsid w:val="4E44{num_id:04X}"/><w:multiLevelType w:val="hybridMultilevel"/>'
                f"{levels}</w:abstractNum>"
            )
        )
    for num_id, _, _ in lists:
        num = f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>'
        numbering.append(parse_xml(num + "</w:num>"))


def get_style(doc: DocumentObject, name: str) -> ParagraphStyle:
    if name in NEW_STYLE_IDS and name not in [s.name for s in doc.styles]:
        new = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        new.element.styleId = NEW_STYLE_IDS[name]
        new.base_style, new.quick_style = doc.styles["Normal"], True
    style = doc.styles[name]
    assert isinstance(style, ParagraphStyle)
    return style


def set_styles(doc: DocumentObject) -> None:
    for name, (size, bold, before, after, keep_next) in STYLES.items():
        style = get_style(doc, name)
        for el in style.element.xpath("w:rPr|w:pPr/w:pBdr|w:pPr/w:numPr|w:pPr/w:tabs|w:link"):
            el.getparent().remove(el)  # python-docx's look; the linked "… Char" styles go too
            if el.tag == qn("w:link"):
                doc.styles.element.remove(doc.styles.element.get_by_id(el.get(qn("w:val"))))
        style.font.size, style.font.bold = Pt(size), bold or None
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.keep_with_next = fmt.keep_together = keep_next or None
    doc.styles["Normal"].font.name = FONT

    forside = get_style(doc, "Forside").paragraph_format
    forside.left_indent, forside.first_line_indent = LABEL_TAB, -LABEL_TAB  # wraps align too
    forside.tab_stops.add_tab_stop(LABEL_TAB, WD_TAB_ALIGNMENT.LEFT)
    get_style(doc, "Heading 1").paragraph_format.page_break_before = True
    toc_heading = get_style(doc, "TOC Heading")
    toc_heading.paragraph_format.page_break_before = False  # explicit: based on Heading 1
    toc1 = get_style(doc, "toc 1")
    del toc1.element.attrib[qn("w:customStyle")]  # a built-in style, Word uses it for the TOC
    toc1.priority, toc1.quick_style, toc1.unhide_when_used = 39, False, True
    toc1.paragraph_format.tab_stops.add_tab_stop(
        TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS
    )
    for name in ("Header", "Footer"):
        get_style(doc, name).paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT
        )
    get_style(doc, "Billede").paragraph_format.keep_together = True
    for xml in (TABLE_STYLE, HYPERLINK_STYLE):
        element = parse_xml(xml)
        old = doc.styles.element.get_by_id(element.get(qn("w:styleId")))
        if old is not None:
            doc.styles.element.remove(old)
        doc.styles.element.append(element)
    for kind, num_id in (("Bullet", BULLET_NUM_ID), ("Number", NUMBER_NUM_ID)):
        for level, suffix in enumerate(["", " 2", " 3"]):  # 2 and 3 used deleted numbering
            style = get_style(doc, f"List {kind}{suffix}")
            num_pr = style.element.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val, num_pr.get_or_add_numId().val = level, num_id


def write_body(doc: DocumentObject, layout: Layout = NORDDJURS) -> None:
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    section = doc.sections[0]  # set before add_section, which copies it
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.25)

    text = layout.body
    for name, snippet in {**layout.snippets, **SNIPPETS}.items():  # longer names first
        text = text.replace(name, snippet)
    for spec in text.strip().splitlines():
        expr = spec.removeprefix("=blocks ")
        for line in block_list(expr) if expr != spec else [spec]:
            add_line(doc, line)


def add_line(doc: DocumentObject, line: str) -> None:
    """Add one paragraph (or section break) from a line of BODY."""
    if line.startswith("%"):
        doc.add_paragraph(f"{{%p {line[1:]} %}}")
    elif line == "=section":
        # The empty paragraph it adds ends the section; a tag paragraph would be removed.
        doc.add_section(WD_SECTION.NEW_PAGE)
    elif line == "=toc":
        add_field(doc.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER, dirty=True)
    elif line == "=pagebreak":
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    else:
        style, text = line.split(" | ", 1)
        doc.add_paragraph(text, style)


def set_sections(doc: DocumentObject, layout: Layout = NORDDJURS) -> None:
    """Front page and TOC: footer (and the layout's front header); items: header, footer with
    page numbers from 1. A layout's logo goes into every header."""
    front, _toc, items = doc.sections  # the TOC section inherits the front page's
    front.footer.is_linked_to_previous = False
    front.footer.paragraphs[0].text = layout.front_footer
    items.header.is_linked_to_previous = items.footer.is_linked_to_previous = False
    items.header.paragraphs[0].text = layout.header
    footer = items.footer.paragraphs[0]
    footer.text = layout.footer
    add_field(footer, "PAGE", "1")
    for paragraph in (front.footer.paragraphs[0], footer):
        paragraph.style = doc.styles["Footer"]
    items.header.paragraphs[0].style = doc.styles["Header"]
    headers = [items.header.paragraphs[0]]
    if layout.front_header is not None:
        front.header.is_linked_to_previous = False
        front.header.paragraphs[0].text = layout.front_header
        front.header.paragraphs[0].style = doc.styles["Header"]
        headers.append(front.header.paragraphs[0])
    if layout.logo is not None:
        for paragraph in headers:  # the logo first, the header's text after a tab
            run = paragraph.runs[0] if paragraph.runs else paragraph.add_run()
            picture = paragraph.add_run()
            picture.add_picture(io.BytesIO(layout.logo), height=Cm(layout.logo_height_cm))
            run._r.addprevious(picture._r)
            picture._r.addnext(OxmlElement("w:r"))
            picture._r.getnext().append(OxmlElement("w:tab"))
    items._sectPr.find(qn("w:cols")).addprevious(OxmlElement("w:pgNumType", {qn("w:start"): "1"}))


def restyle(doc: DocumentObject, layout: Layout) -> None:
    """A layout's own font, sizes and colours over the built-in look."""
    if layout.font != FONT:
        theme = doc.part.part_related_by(RT.THEME)
        theme._blob = theme.blob.replace(
            f'typeface="{FONT}"'.encode(), f'typeface="{layout.font}"'.encode()
        )
        fonts = doc.part.part_related_by(RT.FONT_TABLE)
        fonts._blob = fonts.blob.replace(
            f'w:name="{FONT}"'.encode(), f'w:name="{layout.font}"'.encode()
        )
        for el in doc.styles.element.xpath("//w:rFonts"):
            for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
                if el.get(qn(f"w:{attr}")) == FONT:
                    el.set(qn(f"w:{attr}"), layout.font)
    for name, (size, bold) in layout.sizes.items():
        style = get_style(doc, name)
        style.font.size, style.font.bold = Pt(size), bold or None
    for name, colour in layout.colours.items():
        get_style(doc, name).font.color.rgb = RGBColor.from_string(colour)


def build(layout: Layout = NORDDJURS) -> bytes:
    doc = Document()
    clean_package(doc)
    set_defaults(doc)
    set_numbering(doc)
    set_styles(doc)
    restyle(doc, layout)
    write_body(doc, layout)
    set_sections(doc, layout)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def main() -> None:
    data = build()
    for folder in TEMPLATE_DIRS:
        folder.mkdir(parents=True, exist_ok=True)
        for name in TEMPLATE_NAMES:
            (folder / name).write_bytes(data)
            print(f"wrote {(folder / name).relative_to(ROOT)}")
    for layout in LAYOUTS:
        target = ROOT / "examples" / layout.name / "templates" / "skabelon.docx"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(build(layout))
        print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
