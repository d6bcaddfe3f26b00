"""Every template fault of issue 10, and more: `tjek` and `byg` each say it in Danish, at its
place, with exit code 1, no traceback and nothing written; none hangs, none is an internal error.

Each fault is written into a copy of the built-in template (or is a file that is not a usable
template at all); the message is asserted word for word, the same for both commands.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from conftest import MakeProject
from dagsorden import _sandbox
from dagsorden.cli import main
from dagsorden.render import builtin_template

AGENDA = "templates/dagsorden.docx"
MINUTES = "templates/protokol.docx"
TOO_LONG = "en tekst eller liste bliver for lang (over 1.000.000 tegn eller elementer)"
ONE_FILE = "en skabelon er én Word-fil og kan ikke hente andre skabeloner"
CANNOT_OPEN = f"{AGENDA}: fejl: skabelonen kan ikke åbnes som Word-dokument"

# (id, old text of a paragraph, its new text, the whole message). The paragraph is the first
# of the agenda template whose text holds `old`; 'Sted:' is the front page's place line.
CONTENT_FAULTS = [
    (
        "include",
        "{{ meeting.place }}",
        '{% include "forside.docx" %}',
        f'{AGENDA}: i afsnittet «Sted: {{% include "forside.docx" %}}»: fejl:'
        f" {{% include %}} er ikke tilladt: {ONE_FILE}",
    ),
    (
        "import",
        "{{ meeting.place }}",
        '{% import "makroer" as m %}',
        f'{AGENDA}: i afsnittet «Sted: {{% import "makroer" as m %}}»: fejl:'
        f" {{% import %}} er ikke tilladt: {ONE_FILE}",
    ),
    (
        "from-import",
        "{{ meeting.place }}",
        '{% from "makroer" import m %}',
        f'{AGENDA}: i afsnittet «Sted: {{% from "makroer" import m %}}»: fejl:'
        f" {{% from … import %}} er ikke tilladt: {ONE_FILE}",
    ),
    (
        "extends",
        "{{ meeting.place }}",
        '{% extends "grund.docx" %}',
        f'{AGENDA}: i afsnittet «Sted: {{% extends "grund.docx" %}}»: fejl:'
        f" {{% extends %}} er ikke tilladt: {ONE_FILE}",
    ),
    (
        "autoescape",
        "{{ meeting.place }}",
        "{% autoescape false %}{{ meeting.place }}{% endautoescape %}",
        f"{AGENDA}: i afsnittet «Sted: {{% autoescape false %}}{{{{ meeting.place }}}}"
        "{% endautoescape %}»: fejl: {% autoescape %} er ikke tilladt: teksten fra data skal"
        " altid gøres sikker til Word",
    ),
    (
        "text-plus-number",
        "{{ meeting.place }}",
        "{{ meeting.place + 1 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place + 1 }}}}»: fejl:"
        " kan ikke bruge '+' på tekst og tal",
    ),
    (
        "division-by-zero",
        "{{ meeting.place }}",
        "{{ items|length / 0 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ items|length / 0 }}}}»: fejl: division med nul",
    ),
    (
        "range-too-long",
        "{{ meeting.place }}",
        "{% for i in range(10000000) %}x{% endfor %}",
        f"{AGENDA}: i afsnittet «Sted: {{% for i in range(10000000) %}}x{{% endfor %}}»: fejl:"
        " range() må højst give 100.000 tal",
    ),
    (
        "nested-loops",
        "{{ meeting.place }}",
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        f"{AGENDA}: i afsnittet «Sted: {{% for i in range(99999) %}}{{% for j in range(99999)"
        " %}{% endfor %}{% endf…»: fejl: skabelonen gennemløber løkker og kald mere end"
        " 1.000.000 gange for ét dokument (en løkke i en løkke over for mange tal?)",
    ),
    (
        "power",
        "{{ meeting.place }}",
        "{{ 7**(10**9) > 1 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ 7**(10**9) > 1 }}}}»: fejl:"
        " et tal bliver for stort (over 1.000 cifre)",
    ),
    (
        "huge-number",
        "{{ meeting.place }}",
        "{{ 10**5000 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ 10**5000 }}}}»: fejl:"
        " et tal bliver for stort (over 1.000 cifre)",
    ),
    (
        "long-text",
        "{{ meeting.place }}",
        "{{ 'x' * 10**9 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ 'x' * 10**9 }}}}»: fejl: {TOO_LONG}",
    ),
    (
        "long-list",
        "{{ meeting.place }}",
        "{{ [0] * 10**9 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ [0] * 10**9 }}}}»: fejl: {TOO_LONG}",
    ),
    (
        "replace-grows",
        "{{ meeting.place }}",
        "{{ ('x' * 99999)|replace('x', 'x' * 99999) }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ ('x' * 99999)|replace('x', 'x' * 99999) }}}}»:"
        f" fejl: {TOO_LONG}",
    ),
    (
        "center",
        "{{ meeting.place }}",
        "{{ meeting.place.center(10**9) }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place.center(10**9) }}}}»: fejl: {TOO_LONG}",
    ),
    (
        "format-width",
        "{{ meeting.place }}",
        "{{ '%999999999d' % 1 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ '%999999999d' % 1 }}}}»: fejl: {TOO_LONG}",
    ),
    (
        "doubling",
        "{{ meeting.place }}",
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s }}",
        f"{AGENDA}: i afsnittet «Sted: {{% set ns = namespace(s='x') %}}{{% for i in range(60)"
        f" %}}{{% set ns.s = ns.s…»: fejl: {TOO_LONG}",
    ),
    (
        "output",
        "{{ meeting.place }}",
        "{% for i in range(99999) %}{{ 'x' * 999999 }}{% endfor %}",
        f"{AGENDA}: i afsnittet «Sted: {{% for i in range(99999) %}}{{{{ 'x' * 999999 }}}}"
        "{% endfor %}»: fejl: skabelonen skriver mere end 20.000.000 tegn i ét dokument",
    ),
    (
        "unknown-filter",
        "{{ meeting.place }}",
        "{{ meeting.place|fed }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place|fed }}}}»: fejl: ukendt filter 'fed'",
    ),
    (
        "safe",
        "{{ meeting.place }}",
        "{{ meeting.place|safe }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place|safe }}}}»: fejl: filteret 'safe' er"
        " ikke tilladt: tekst fra data gøres altid sikker til Word",
    ),
    (
        "unknown-test",
        "{{ meeting.place }}",
        "{% if meeting.place is tom %}x{% endif %}",
        f"{AGENDA}: i afsnittet «Sted: {{% if meeting.place is tom %}}x{{% endif %}}»: fejl:"
        " ukendt test 'is tom'",
    ),
    (
        "empty-expression",
        "{{ meeting.place }}",
        "{{ }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ }}}}»: fejl: der mangler et udtryk før }}}}",
    ),
    (
        "unclosed-print",
        "{{ meeting.place }}",
        "{{ meeting.place",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place»: fejl:"
        " et mærke bliver ikke lukket (der mangler }})",
    ),
    (
        "private-attribute",
        "{{ meeting.place }}",
        "{{ meeting.place.__class__ }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place.__class__ }}}}»: fejl:"
        " adgang til '__class__' er ikke tilladt i en skabelon",
    ),
    (
        "mutation",
        "{{ meeting.place }}",
        "{{ items.append(1) }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ items.append(1) }}}}»: fejl:"
        " adgang til 'append' er ikke tilladt i en skabelon",
    ),
    (
        "lipsum",
        "{{ meeting.place }}",
        "{{ lipsum(10**6) }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ lipsum(10**6) }}}}»: fejl:"
        " 'lipsum' findes ikke i konteksten",
    ),
    (
        "recursion",
        "{{ meeting.place }}",
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        f"{AGENDA}: i afsnittet «Sted: {{% macro f() %}}{{{{ f() }}}}{{% endmacro %}}"
        "{{ f() }}»: fejl: skabelonen kalder sig selv uden ende (en makro, der kalder sig selv?)",
    ),
    (
        "compare",
        "{{ meeting.place }}",
        "{{ meeting.place < 1 }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place < 1 }}}}»: fejl:"
        " kan ikke sammenligne tekst og tal med '<'",
    ),
    (
        "call-text",
        "{{ meeting.place }}",
        "{{ meeting.place() }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place() }}}}»: fejl:"
        " tekst kan ikke kaldes med ()",
    ),
    (
        "unknown-field",
        "{{ item.heading }}",
        "{{ item.overskrift }}",
        f"{AGENDA}: i afsnittet «{{{{ item.overskrift }}}}»: fejl:"
        " feltet 'overskrift' findes ikke i konteksten",
    ),
    (
        "unknown-name",
        "{{ meeting.place }}",
        "{{ møde.sted }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ møde.sted }}}}»: fejl: 'møde' findes ikke i konteksten",
    ),
    (
        "field-of-nothing",
        "{{ meeting.place }}",
        "{{ signature.title }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ signature.title }}}}»: fejl:"
        " feltet 'title' findes ikke i konteksten",
    ),
    (
        "rich-of-text",
        "{{ meeting.place }}",
        "{{r meeting.place|rich }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place|rich }}}}»: fejl:"
        " 'rich' skal have et afsnits tekststykker, fx {{r b.runs|rich }}",
    ),
    (
        "format",
        "{{ meeting.place }}",
        '{{ "%d"|format(meeting.place) }}',
        f'{AGENDA}: i afsnittet «Sted: {{{{ "%d"|format(meeting.place) }}}}»: fejl:'
        " formateringen passer ikke til værdierne",
    ),
    (
        "for-not-closed",
        "{%p endfor %}",
        "",
        f"{AGENDA}: i afsnittet «{{%p for line in document.notices %}}» efter"
        " «{{ document.edition_label }}»: fejl: {% for %} bliver ikke lukket"
        " (der mangler et {% endfor %})",
    ),
    (
        "endfor-without-for",
        "{%p for m in meeting.members %}",
        "",
        f"{AGENDA}: i afsnittet «{{%p endfor %}}» efter «{{{{ m }}}}»: fejl:"
        " 'endfor' lukker ikke noget mærke (der er intet åbent 'for')",
    ),
    (
        "for-without-sequence",
        "{%p for m in meeting.members %}",
        "{%p for m in %}",
        f"{AGENDA}: i afsnittet «{{%p for m in %}}» efter «Medlemmer:»: fejl:"
        " der mangler et udtryk før %}",
    ),
    (
        "misspelt-end",
        "{%p endif %}",
        "{%p endiff %}",
        f"{AGENDA}: i afsnittet «{{%p endiff %}}» efter «{{{{ item.note }}}}»: fejl: ukendt eller"
        " uventet mærke 'endiff' (det inderste åbne mærke er 'if', som lukkes med 'endif')",
    ),
    (
        "wrong-end",
        "{%p endfor %}",
        "{%p endif %}",
        f"{AGENDA}: i afsnittet «{{%p endif %}}» efter «{{{{ line }}}}»: fejl: 'endif' passer"
        " ikke her: det inderste åbne mærke er 'for', som lukkes med 'endfor'",
    ),
    (
        "if-not-closed",
        "{%p endif %}",
        "",
        f"{AGENDA}: i afsnittet «{{%p endfor %}}» efter «{{{{ a.number }}}} -{{% if a.id %}}"
        " {{ a.id }}{% endif %} {{ a.access }} {{ a.title }…»: fejl:"
        " 'endfor' kommer for tidligt: der mangler et 'endif' før det",
    ),
    (
        "inline-if-not-closed",
        "{{ meeting.end }}",
        "{{ meeting.end }}{% if meeting.end %} (slut)",
        f"{AGENDA}: i afsnittet «Slut kl.: {{{{ meeting.end }}}}{{% if meeting.end %}} (slut)»:"
        " fejl: {% if %} bliver ikke lukket (der mangler et {% endif %})",
    ),
    (
        "raw-not-closed",
        "{{ meeting.place }}",
        "{% raw %}{{ x }}",
        f"{AGENDA}: i afsnittet «Sted: {{% raw %}}{{{{ x }}}}»: fejl:"
        " {% raw %} bliver ikke lukket (der mangler et {% endraw %})",
    ),
    (
        "comment-not-closed",
        "{{ meeting.place }}",
        "{# husk at rette",
        f"{AGENDA}: i afsnittet «Sted: {{# husk at rette»: fejl:"
        " et mærke bliver ikke lukket (der mangler #})",
    ),
    (
        "bad-escape",
        "{{ meeting.place }}",
        '{{ "\\x" }}',
        f'{AGENDA}: i afsnittet «Sted: {{{{ "\\x" }}}}»: fejl:'
        " en tekst i anførselstegn har en ugyldig \\-kode",
    ),
    (
        "no-such-element",
        "{{ meeting.place }}",
        "{{ meeting.place[99] }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place[99] }}}}»: fejl:"
        " tekst har intet element 99",
    ),
    (
        "loop-over-number",
        "{{ meeting.place }}",
        "{% for x in 5 %}{% endfor %}",
        f"{AGENDA}: i afsnittet «Sted: {{% for x in 5 %}}{{% endfor %}}»: fejl:"
        " tal kan ikke gennemløbes i en løkke",
    ),
    (
        "join-grows",
        "{{ meeting.place }}",
        "{{ (('x' * 999999)|list)|join('y' * 10) }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ (('x' * 999999)|list)|join('y' * 10) }}}}»: fejl:"
        f" {TOO_LONG}",
    ),
    (
        "slice",
        "{{ meeting.place }}",
        "{{ items|slice(10**9)|list }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ items|slice(10**9)|list }}}}»: fejl: {TOO_LONG}",
    ),
    (
        "format-width-argument",
        "{{ meeting.place }}",
        "{{ '{:>{w}}'.format(1, w=10**9) }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ '{{:>{{w}}}}'.format(1, w=10**9) }}}}»: fejl:"
        f" {TOO_LONG}",
    ),
    (
        "sum-of-lists",
        "{{ meeting.place }}",
        "{{ items|sum(start=[]) }}",
        f"{AGENDA}: i afsnittet «Sted: {{{{ items|sum(start=[]) }}}}»: fejl:"
        " 'sum' lægger kun tal sammen",
    ),
    (
        "p-tag-beside-text",
        "{{ meeting.place }}",
        "{%p if meeting.place %}",
        f"{AGENDA}: i afsnittet «{{%p if meeting.place %}}» efter «{{{{ line }}}}»: fejl:"
        " {% if %} bliver ikke lukket (der mangler et {% endif %})",
    ),
    (
        "footer",
        "{{ municipality }}",
        "{{ municipality + 1 }}",
        f"{AGENDA}: i sidefoden i afsnittet «{{{{ municipality + 1 }}}}»: fejl:"
        " kan ikke bruge '+' på tekst og tal",
    ),
]


def _edit(root: Path, old: str, new: str, name: str = "dagsorden.docx") -> None:
    """Copy the built-in template into the project with the first paragraph (body, then
    headers and footers) holding `old` rewritten."""
    doc = Document(str(builtin_template(name)))
    paragraphs = list(doc.paragraphs)
    for section in doc.sections:
        paragraphs += section.header.paragraphs + section.footer.paragraphs
    for paragraph in paragraphs:
        if old in paragraph.text:
            text = paragraph.text.replace(old, new, 1)
            for run in paragraph.runs[1:]:
                run.text = ""
            paragraph.runs[0].text = text
            break
    else:
        raise AssertionError(f"intet afsnit med {old!r} i skabelonen")
    (root / "templates").mkdir(exist_ok=True)
    doc.save(str(root / "templates" / name))


def _both_commands(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], expected: str
) -> None:
    assert main(["tjek", "--projekt", str(root)]) == 1
    assert capsys.readouterr().err == f"{expected}\n1 fejl og 0 advarsler.\n"
    out = tmp_path / "out"
    # byg of every meeting checks as tjek does before it makes anything
    assert main(["byg", "--projekt", str(root), "--ud", str(out), "--uden-pdf"]) == 1
    assert capsys.readouterr().err == f"{expected}\n1 fejl og 0 advarsler; intet er skrevet.\n"
    assert not out.exists(), "intet må skrives, når en skabelon er i stykker"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [case[1:] for case in CONTENT_FAULTS],
    ids=[case[0] for case in CONTENT_FAULTS],
)
def test_a_fault_in_a_template_is_told_at_its_place(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    expected: str,
) -> None:
    root = make_project()
    _edit(root, old, new)
    _both_commands(root, tmp_path, capsys, expected)


def test_a_fault_in_the_minutes_template(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(
        {
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                slut: 18:00
                sted: Mødelokale 1
                punkter:
                  - sag: 22/1
                    beslutning: Godkendt.
                """
        }
    )
    _edit(root, "{{ t.date_iso|dato }}", "{{ t.date_iso|dato + 1 }}", "protokol.docx")
    _both_commands(
        root,
        tmp_path,
        capsys,
        # The paragraph, then the loop tag docxtpl joins to its line (cut short with …).
        f"{MINUTES}: i afsnittet «Beslutning i {{{{ t.body }}}} den {{{{ t.date_iso|dato + 1 }}}}"
        " {%p for b in t.decision…»: fejl:"
        " kan ikke bruge '+' på tekst og tal",
    )


def test_a_fault_in_a_document_property(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    doc = Document(str(builtin_template("dagsorden.docx")))
    doc.core_properties.title = "{{ body.name|fed }}"
    (root / "templates").mkdir()
    doc.save(str(root / "templates" / "dagsorden.docx"))
    _both_commands(
        root,
        tmp_path,
        capsys,
        f"{AGENDA}: i dokumentegenskaben 'Titel' «{{{{ body.name|fed }}}}»: fejl:"
        " ukendt filter 'fed'",
    )


def test_a_block_that_cuts_through_a_table(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Begun in a table cell and ended after the table, a false {% if %} leaves the table
    # unclosed: docxtpl would read the result leniently and lose text without a word.
    root = make_project()
    doc = Document(str(builtin_template("dagsorden.docx")))
    doc.add_table(rows=1, cols=1).cell(0, 0).text = "{% if document.is_public %}Kun offentlig"
    doc.add_paragraph("{% endif %}Slut")
    (root / "templates").mkdir()
    doc.save(str(root / "templates" / "dagsorden.docx"))
    _both_commands(
        root,
        tmp_path,
        capsys,
        f"{AGENDA}: fejl: den udfyldte skabelon er ikke et gyldigt Word-dokument (begynder et"
        " {% if %} eller {% for %} i ét afsnit eller én tabelcelle og slutter i en anden?)",
    )


def test_a_document_past_its_time_limit_is_stopped(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No clock in a test: a limit of no time at all stops the first document at its first
    # look at the clock, which proves the limit is checked and told.
    monkeypatch.setattr(_sandbox, "TIME_LIMIT", 0.0)
    root = make_project()
    _edit(root, "{{ meeting.place }}", "{{ meeting.place|upper }}")
    _both_commands(
        root,
        tmp_path,
        capsys,
        f"{AGENDA}: i afsnittet «Sted: {{{{ meeting.place|upper }}}}»: fejl:"
        " skabelonen brugte mere end 5 sekunder på ét dokument og blev stoppet",
    )


# --------------------------------------------------------------------------------------------
# A template path that is not a usable Word document
# --------------------------------------------------------------------------------------------


def _repacked(
    target: Path, *, drop: str = "", change: tuple[str, Callable[[bytes], bytes]] | None = None
) -> None:
    with (
        zipfile.ZipFile(builtin_template("dagsorden.docx")) as source,
        zipfile.ZipFile(target, "w") as out,
    ):
        for info in source.infolist():
            if info.filename == drop:
                continue
            data = source.read(info.filename)
            if change is not None and info.filename == change[0]:
                data = change[1](data)
            out.writestr(info, data)


def _damaged(target: Path) -> None:
    data = bytearray(builtin_template("dagsorden.docx").read_bytes())
    data[200:260] = bytes(60)  # inside the first compressed part
    target.write_bytes(bytes(data))


def _body_end_column() -> int:
    """Where the parser finds the stray </w:p> put before </w:body> (1-based, just inside the
    tag): it moves whenever the built-in template grows."""
    with zipfile.ZipFile(builtin_template("dagsorden.docx")) as source:
        line = source.read("word/document.xml").split(b"\n")[1]
    return line.index(b"</w:body>") + 2


FILE_FAULTS: list[tuple[str, Callable[[Path], object], str]] = [
    ("directory", lambda t: t.mkdir(), "det er en mappe, ikke en fil"),
    (
        "dangling-symlink",
        lambda t: os.symlink("findes-ikke.docx", t),
        "linket peger på en fil, der ikke findes",
    ),
    ("named-pipe", lambda t: os.mkfifo(t), "det er ikke en almindelig fil"),
    ("empty", lambda t: t.write_bytes(b""), "filen er tom"),
    (
        "not-a-zip",
        lambda t: t.write_text("dette er ikke et Word-dokument"),
        "filen er ikke et Word-dokument (.docx)",
    ),
    (
        "old-word",
        lambda t: t.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)),
        "det er et ældre Word-dokument (.doc); gem det i Word som .docx",
    ),
    (
        "no-document",
        lambda t: _repacked(t, drop="word/document.xml"),
        "zip-pakken indeholder intet Word-dokument (word/document.xml mangler)",
    ),
    (
        "no-content-types",
        lambda t: _repacked(t, drop="[Content_Types].xml"),
        "zip-pakken indeholder intet Word-dokument",
    ),
    (
        "tag-mismatch",
        lambda t: _repacked(
            t, change=("word/document.xml", lambda d: d.replace(b"</w:body>", b"</w:p></w:body>"))
        ),
        f"XML'en i word/document.xml er i stykker (linje 2, kolonne {_body_end_column()});"
        " åbn filen i Word, og gem den igen",
    ),
    (
        "cut-footer",
        lambda t: _repacked(t, change=("word/footer1.xml", lambda d: d[:-20])),
        "XML'en i word/footer1.xml er i stykker (linje 2, kolonne 1258);"
        " åbn filen i Word, og gem den igen",
    ),
    (
        "word-template",
        lambda t: _repacked(
            t,
            change=(
                "[Content_Types].xml",
                lambda d: d.replace(b"document.main+xml", b"template.main+xml"),
            ),
        ),
        "det er en Word-skabelon (.dotx); gem den i Word som Word-dokument (.docx)",
    ),
    ("damaged-zip", _damaged, "filen er beskadiget (zip-pakken kan ikke læses)"),
]


@pytest.mark.parametrize(
    ("make", "reason"),
    [case[1:] for case in FILE_FAULTS],
    ids=[case[0] for case in FILE_FAULTS],
)
def test_a_template_that_is_not_a_usable_word_file(
    make_project: MakeProject,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make: Callable[[Path], object],
    reason: str,
) -> None:
    root = make_project()
    (root / "templates").mkdir()
    make(root / "templates" / "dagsorden.docx")
    _both_commands(root, tmp_path, capsys, f"{CANNOT_OPEN}: {reason}")


def test_a_template_link_in_a_loop_is_told_once(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    (root / "templates").mkdir()
    os.symlink("dagsorden.docx", root / "templates" / "dagsorden.docx")
    _both_commands(
        root,
        tmp_path,
        capsys,
        "templates/dagsorden.docx: fejl: skabelonen 'templates/dagsorden.docx' er et symbolsk"
        " link, der peger i ring, så filen kan ikke findes",
    )


def test_the_example_templates_pass(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    assert main(["tjek", "--projekt", str(root)]) == 0
    assert capsys.readouterr().err == ""


def test_a_changed_template_is_seen_by_the_next_tjek(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    # tjek remembers its answer by the content of what it read: the template is part of it.
    root = make_project()
    _edit(root, "{{ meeting.place }}", "{{ meeting.place }}!")
    assert main(["tjek", "--projekt", str(root)]) == 0
    _edit(root, "{{ meeting.place }}", "{{ meeting.place|fed }}")
    assert main(["tjek", "--projekt", str(root)]) == 1
    assert "ukendt filter 'fed'" in capsys.readouterr().err
    (root / "templates" / "dagsorden.docx").unlink()
    assert main(["tjek", "--projekt", str(root)]) == 0


def _keys(value: object, path: str = "") -> set[str]:
    if isinstance(value, dict):
        return {
            k for key, v in value.items() for k in {f"{path}.{key}", *_keys(v, f"{path}.{key}")}
        }
    if isinstance(value, list):
        return {k for v in value for k in _keys(v, f"{path}[]")}
    return set()


def test_the_sample_context_has_every_key_of_the_real_ones() -> None:
    # tjek fills the templates in with a sample; a key the real contexts have and the sample
    # lacks would make tjek refuse a template that uses it.
    from dagsorden._outputs import planned_documents
    from dagsorden._templates import sample_context
    from dagsorden.build import check
    from dagsorden.context import Edition, case_history
    from dagsorden.frozen import document_context

    root = Path(__file__).resolve().parent.parent
    project, _ = check(root)
    history = case_history(project)
    real: set[str] = set()
    for meeting in project.meetings.values():
        for kind in planned_documents(project, meeting):
            for edition in Edition:
                real |= _keys(document_context(project, meeting, kind, edition, history))
    sample = {
        k
        for kind in ("dagsorden", "tillaeg", "protokol")
        for full in (True, False)
        for k in _keys(sample_context(kind, full=full))
    }
    assert real, "eksemplet skal have kontekster"
    assert real <= sample, sorted(real - sample)
