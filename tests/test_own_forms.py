"""A municipality's own numbers, words and people (issue 11, items 1 and 3): declared in
organisation.yaml, checked by `tjek` with the declared example, printed by the templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MakeProject
from dagsorden.build import build, context_for
from dagsorden.cli import main
from dagsorden.context import DocumentKind
from docxdump import dump
from test_errors import CASE, MEETING, ORG, append, edit, first_lines, summary, tjek

KLE_ORG = edit(ORG, "standardafsnit:", "numre:\n  sagsnr: KLE\nstandardafsnit:")
KLE_CASE = edit(CASE, "sagsnr: 22/1", "sagsnr: 01.02.05-P16-3-26")
KLE_MEETING = edit(MEETING, "  - sag: 22/1", "  - sag: 01.02.05-P16-3-26")


def test_a_kle_journal_number_is_a_case_number_where_the_organisation_says_so(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = make_project({ORG: KLE_ORG, CASE: KLE_CASE, MEETING: KLE_MEETING})
    assert tjek(root, capsys)[0] == 0
    built, _ = build(root, out=tmp_path / "out")
    agenda = dump(next(b.path for b in built if b.path.stem == "dagsorden-intern"))
    assert "[Sagsnummer] 01.02.05-P16-3-26 Åben Sag" in agenda


def test_the_default_form_refuses_a_kle_journal_number_with_its_example(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project({CASE: KLE_CASE, MEETING: KLE_MEETING})
    code, _, err = tjek(root, capsys)
    assert code == 1
    assert first_lines(err) == [
        "cases/22-1.yaml:1:9: fejl: sagsnummeret '01.02.05-P16-3-26' har ikke formen"
        " ÅÅ/løbenummer (fx 22/291)",
        summary(1),
    ]


def test_an_own_pattern_is_told_with_its_own_example(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    org = edit(
        ORG,
        "standardafsnit:",
        "numre:\n"
        "  sagsnr:\n    mønster: '\\d{4}-\\d{6}'\n    eksempel: 2026-001234\n"
        "  dokumentnr:\n    mønster: '\\d{4}-\\d{6}-\\d+'\n    eksempel: 2026-012345-12\n"
        "    navn: ÅÅÅÅ-sag-dokument\n"
        "  bilag_id: tal\n"
        "standardafsnit:",
    )
    case = append(
        CASE,
        "bilag:\n"
        "  - titel: Uden id\n    dokumentnr: 2026-012345-12\n"
        "  - id: A-17\n    titel: Forkert id\n    dokumentnr: 151433/22\n",
    )
    code, _, err = tjek(make_project({ORG: org, CASE: case}), capsys)
    assert code == 1
    assert first_lines(err) == [
        "cases/22-1.yaml:1:9: fejl: sagsnummeret '22/1' har ikke den form, organisation.yaml"
        " giver (fx 2026-001234)",
        "cases/22-1.yaml:10:9: fejl: bilagets id 'A-17' har ikke formen et tal (fx 3389825)",
        "cases/22-1.yaml:12:17: fejl: dokumentnummeret '151433/22' har ikke formen"
        " ÅÅÅÅ-sag-dokument (fx 2026-012345-12)",
        summary(3),
    ]


def test_a_broken_number_form_is_told_at_its_place(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    org = edit(
        ORG,
        "standardafsnit:",
        "numre:\n"
        "  sagsnr:\n    mønster: '\\d{2}/(\\d+'\n    eksempel: 22/291\n"
        "  dokumentnr:\n    mønster: '\\d+/\\d{2}'\n    eksempel: 151433-22\n"
        "  bilag_id: cifre\n"
        "standardafsnit:",
    )
    code, _, err = tjek(make_project({ORG: org}), capsys)
    assert code == 1
    assert first_lines(err) == [
        "organisation.yaml:4:14: fejl: mønsteret '\\d{2}/(\\d+' er ikke et gyldigt regulært"
        " udtryk (ved tegn 7); fx betyder \\d et ciffer og + én eller flere af det foregående",
        "organisation.yaml:8:15: fejl: eksemplet '151433-22' passer ikke til mønsteret"
        " '\\d+/\\d{2}'",
        "organisation.yaml:9:13: fejl: formen 'cifre' er ukendt; skriv mønster og eksempel,"
        " eller brug en kendt form: 'ÅÅ/løbenummer', 'løbenummer/ÅÅ', 'KLE', 'ÅÅÅÅ-løbenummer'"
        " eller 'tal'",
        summary(3),
    ]


def test_a_bilag_without_an_id_prints_without_one(
    make_project: MakeProject, tmp_path: Path
) -> None:
    case = append(CASE, "bilag:\n  - titel: Budgetnotat\n    dokumentnr: 1234/22\n")
    root = make_project({CASE: case})
    context = context_for(root, "2023-01-10-oek", DocumentKind.AGENDA)
    assert context["items"][0]["attachments"] == ["1 - Åben Budgetnotat (1234/22)"]
    built, _ = build(root, out=tmp_path / "out")
    agenda = dump(next(b.path for b in built if b.path.stem == "dagsorden-intern"))
    assert "[Normal] 1 - Åben Budgetnotat (1234/22)" in agenda


def test_an_item_is_named_by_a_case_number_that_looks_like_a_range(
    make_project: MakeProject,
) -> None:
    org = edit(ORG, "standardafsnit:", "numre:\n  sagsnr: ÅÅÅÅ-løbenummer\nstandardafsnit:")
    root = make_project(
        {
            ORG: org,
            CASE: edit(CASE, "sagsnr: 22/1", "sagsnr: 2026-1234"),
            MEETING: edit(MEETING, "  - sag: 22/1", "  - sag: 2026-1234"),
        }
    )
    assert main(["beslut", "2023-01-10-oek", "2026-1234", "Godkendt.", "--projekt", str(root)]) == 0
    assert "beslutning: Godkendt." in (root / MEETING).read_text(encoding="utf-8")


def test_wording_the_organisation_gives_is_printed_and_checked(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    org = edit(
        ORG,
        "standardafsnit:",
        "ordlyd:\n"
        "  deltog_ikke: '{navn} deltog ikke i behandlingen af dette punkt.'\n"
        "  intern_udgave: Til udvalgets medlemmer\n"
        "standardafsnit:",
    )
    meeting = append(
        MEETING, "    beslutning: Godkendt.\n    deltog_ikke:\n      - navn: Bo Berg\n"
    )
    root = make_project({ORG: org, MEETING: meeting})
    context = context_for(root, "2023-01-10-oek", DocumentKind.MINUTES)
    assert context["document"]["edition_label"] == "Til udvalgets medlemmer"
    assert context["items"][0]["treatments"][-1]["non_participation"] == [
        "Bo Berg (V) deltog ikke i behandlingen af dette punkt."
    ]
    wrong = edit(
        ORG, "standardafsnit:", "ordlyd:\n  deltog_ikke: '{person} var væk.'\nstandardafsnit:"
    )
    code, _, err = tjek(make_project({ORG: wrong}), capsys)
    assert code == 1
    assert first_lines(err) == [
        "organisation.yaml:3:16: fejl: ordlyden for deltog_ikke kender ikke {person}"
        " (kan have: {navn})",
        summary(1),
    ]


PEOPLE_ORG = """\
    kommune: Testrup Kommune
    standardafsnit: [Sagsfremstilling]
    rolleorden: [Næstformand, Formand]
    udvalg:
      ØK:
        navn: Økonomiudvalget
        medlemsorden: [Cille Carlsen]
    personer:
      Anna Andersen:
        - udvalg: ØK
          parti: A
          rolle: Formand
          fra: 2022-01-01
      Bo Berg:
        - udvalg: ØK
          parti: V
          rolle: Næstformand
          fra: 2022-01-01
          til: 2022-12-31
        - udvalg: ØK
          parti: V
          rolle: Næstformand
          navn: Bo Berg-Hansen
          fra: 2023-01-01
      Cille Carlsen:
        - udvalg: ØK
          parti: C
          fra: 2022-01-01
      Dan Dahl:
        - udvalg: ØK
          parti: O
          fra: 2022-01-01
    """


def test_member_order_role_order_and_a_name_by_period(make_project: MakeProject) -> None:
    meeting = edit(MEETING, "sted: Mødelokale 1", "sted: Mødelokale 1\nafbud: [Bo Berg]")
    root = make_project({ORG: PEOPLE_ORG, MEETING: meeting})
    context = context_for(root, "2023-01-10-oek", DocumentKind.AGENDA)
    assert context["meeting"]["members"] == [
        "Cille Carlsen (C)",
        "Bo Berg-Hansen (V) (Næstformand)",
        "Anna Andersen (A) (Formand)",
        "Dan Dahl (O)",
    ]
    assert context["meeting"]["absent_list"] == [
        {
            "name": "Bo Berg-Hansen",
            "party": "V",
            "organisation": "",
            "job_title": "",
            "role": "Næstformand",
            "label": "Bo Berg-Hansen (V) (Næstformand)",
        }
    ]


def test_a_note_after_the_start_time_is_printed_by_the_built_in_templates(
    make_project: MakeProject, tmp_path: Path
) -> None:
    meeting = edit(
        MEETING,
        "start: 16:00",
        "start: 16:00\nstart_bemærkning: Medarbejdersiden holder formøde fra kl. 15:00",
    )
    root = make_project({MEETING: meeting})
    built, _ = build(root, out=tmp_path / "out")
    agenda = dump(next(b.path for b in built if b.path.stem == "dagsorden-intern"))
    assert "[Forside] Start kl.:\t16:00 (Medarbejdersiden holder formøde fra kl. 15:00)" in agenda


def _own_template(root: Path, *paragraphs: str) -> None:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    (root / "templates").mkdir()
    document.save(str(root / "templates" / "skabelon.docx"))


def test_danish_filters_and_one_template_for_agenda_and_minutes(
    make_project: MakeProject, tmp_path: Path
) -> None:
    meeting = append(MEETING, "    beslutning: Godkendt.\n")
    root = make_project({MEETING: meeting})
    _own_template(
        root,
        "{{ document.title|capitalize }} {{ meeting.date_iso|dato('ugedag') }}",
        "{{ meeting.date_iso|dato('lang') }} / {{ meeting.date_iso|dato('punktum') }}",
        "{{ meeting.member_list|map(attribute='name')|opremsning }}",
    )
    built, _ = build(root, out=tmp_path / "out")
    texts = {b.path.stem: dump(b.path) for b in built}
    assert texts["dagsorden-intern"].splitlines()[:3] == [
        "[Normal] Dagsorden Tirsdag den 10. januar 2023",
        "[Normal] 10. januar 2023 / 10.01.2023",
        "[Normal] Anna Andersen og Bo Berg",
    ]
    assert texts["beslutningsprotokol-intern"].startswith(
        "[Normal] Beslutningsprotokol Tirsdag den 10. januar 2023"
    )


def test_a_date_filter_with_an_unknown_form_is_a_template_error(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project()
    _own_template(root, "Møde {{ meeting.date_iso|dato('mellem') }}")
    code, _, err = tjek(root, capsys)
    assert code == 1
    assert first_lines(err) == [
        "templates/skabelon.docx: i afsnittet «Møde {{ meeting.date_iso|dato('mellem') }}»:"
        " fejl: 'dato' kender ikke formen 'mellem' (kendte: 'kort', 'punktum', 'lang',"
        " 'ugedag', 'ugedag_lille', 'år')",
        summary(1),
    ]


def test_a_kle_numbered_case_is_decided_and_sent_on_by_its_number(
    make_project: MakeProject, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org = KLE_ORG.replace(
        "    navn: Økonomiudvalget\n",
        "    navn: Økonomiudvalget\n  KB:\n    navn: Kommunalbestyrelsen\n",
    ).replace(
        "  Bo Berg:\n",
        "  Bo Berg:\n    - udvalg: KB\n      parti: V\n      fra: 2022-01-01\n",
    )
    root = make_project(
        {
            ORG: org,
            CASE: KLE_CASE.replace("sagsgang: [ØK]", "sagsgang: [ØK, KB]"),
            MEETING: KLE_MEETING,
            "agenda/2023-01-24-kb.yaml": "udvalg: KB\ndato: 2023-01-24\nstart: 17:00\n"
            "sted: Byrådssalen\npunkter: []\n",
        }
    )
    number = "01.02.05-P16-3-26"
    assert main(["beslut", "2023-01-10-oek", number, "Tiltrådt.", "--projekt", str(root)]) == 0
    assert main(["videresend", "2023-01-10-oek", number, "--projekt", str(root)]) == 0
    assert f"- sag: {number}" in (root / "agenda/2023-01-24-kb.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert tjek(root, capsys)[0] == 0
    built, _ = build(root, ["2023-01-24-kb"], out=tmp_path / "out")
    agenda = dump(next(b.path for b in built if b.path.stem == "dagsorden-intern"))
    assert f"[Sagsnummer] {number} Åben Sag\n[Heading 2] Sagsgang\n[Normal] ØK, KB\n" in agenda
    assert "[Heading 2] Beslutning i Økonomiudvalget den 10-01-2023\n[Normal] Tiltrådt.\n" in agenda
