"""Frozen records: what was sent and what was approved never change (KSL § 13, domain.md §4).

The acceptance test follows one case through a year of meetings with the commands a secretary
uses, and checks after every step that every document of every frozen meeting reads exactly as
it did when it was frozen.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MakeProject
from dagsorden.build import build, check
from dagsorden.cli import main
from dagsorden.errors import ProblemsError
from docxdump import dump

ORGANISATION = """\
    kommune: Testrup Kommune
    standardafsnit: [Sagsfremstilling, Økonomiske konsekvenser]
    udvalg:
      ØK:
        navn: Økonomiudvalget
      KB:
        navn: Kommunalbestyrelsen
    personer:
      Anna Andersen:
        - udvalg: ØK
          parti: A
          rolle: Formand
          fra: 2022-01-01
        - udvalg: KB
          parti: A
          fra: 2022-01-01
      Bo Berg:
        - udvalg: ØK
          parti: V
          fra: 2022-01-01
        - udvalg: KB
          parti: V
          fra: 2022-01-01
    """

CASE = """\
    sagsnr: 23/5
    titel: Ny skolestruktur
    sagsgang: [ØK, KB]
    afsnit:
      Sagsfremstilling: |
        Forvaltningen foreslår at samle to skoler.
      Økonomiske konsekvenser: Ingen.
    indstilling: Direktøren indstiller, at forslaget sendes i høring.
    bilag:
      - id: "1001"
        titel: Høringsudkast
        adgang: Åben
        fil: bilag/udkast.pdf
    """


def meeting(body: str, day: str) -> str:
    return f"""\
        udvalg: {body}
        dato: {day}
        start: 16:00
        sted: Rådhuset
        punkter:
          - sag: 23/5
        """


def run(root: Path, *args: str) -> int:
    return main([args[0], "--projekt", str(root), *args[1:]])


def documents(root: Path, out: Path) -> dict[str, str]:
    """Every document of every meeting, as text: 'meeting/file' -> dump."""
    built, _ = build(root, out=out)
    return {f"{b.path.parent.name}/{b.path.name}": dump(b.path) for b in built}


@pytest.fixture
def project(make_project: MakeProject) -> Path:
    root = make_project(
        {
            "organisation.yaml": ORGANISATION,
            "cases/22-1.yaml": None,
            "cases/23-5.yaml": CASE,
            "agenda/2023-01-10-oek.yaml": meeting("ØK", "2023-01-10"),
            "agenda/2023-01-24-kb.yaml": None,
        }
    )
    (root / "bilag").mkdir()
    (root / "bilag" / "udkast.pdf").write_bytes(_pdf())
    return root


def _pdf() -> bytes:
    """A one-page PDF, made the way the project's example bilag are."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"udkast-{os.getpid()}.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    data = path.read_bytes()
    path.unlink()
    return data


def revise(root: Path, sentence: str) -> None:
    case = root / "cases" / "23-5.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(
        text.replace("    Forvaltningen foreslår", f"    {sentence}\n    Forvaltningen foreslår"),
        encoding="utf-8",
    )


def test_a_year_in_the_life_of_a_case_keeps_every_frozen_document(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = project
    oek, kb = "2023-01-10-oek", "2023-01-24-kb"
    frozen: dict[str, str] = {}

    def unchanged() -> None:
        """Every document frozen so far reads as it did when it was frozen."""
        now = documents(root, tmp_path / f"out-{len(frozen)}-{random.random()}")
        for name, text in frozen.items():
            assert now[name] == text, f"{name} changed after it was frozen"

    def freeze_now(meeting: str, *files: str) -> None:
        now = documents(root, tmp_path / f"out-{meeting}-{len(frozen)}")
        frozen.update({f"{meeting}/{f}": now[f"{meeting}/{f}"] for f in files})

    # ØK: the agenda is sent, the meeting held, the minutes approved.
    assert run(root, "status", oek, "udsendt", "--uden-pdf") == 0
    freeze_now(oek, "dagsorden-intern.docx", "dagsorden-offentlig.docx")
    assert (root / "arkiv" / oek / "udsendt" / "indhold.json").is_file()
    assert run(root, "status", oek, "afholdt", "--uden-pdf") == 0
    assert run(root, "beslut", oek, "1", "--standard", "anbefales") == 0
    assert run(root, "godkend", oek, "--dato", "2023-01-17", "--uden-pdf") == 0
    freeze_now(oek, "beslutningsprotokol-intern.docx", "beslutningsprotokol-offentlig.docx")
    unchanged()

    # The case is revised for its next treatment: ØK's documents stay as they were.
    revise(root, "Høringssvarene er nu indarbejdet.")
    assert run(root, "tjek") == 0
    unchanged()

    # KB gets the case, with ØK's decision in its history and the revised text.
    (root / "agenda" / f"{kb}.yaml").write_text(
        "udvalg: KB\ndato: 2023-01-24\nstart: 17:00\nsted: Byrådssalen\npunkter:\n  - titel: "
        "Meddelelser\n",
        encoding="utf-8",
    )
    assert run(root, "videresend", oek, "1") == 0
    assert run(root, "status", kb, "udsendt", "--uden-pdf") == 0
    freeze_now(kb, "dagsorden-intern.docx", "dagsorden-offentlig.docx")
    sent = frozen[f"{kb}/dagsorden-intern.docx"]
    assert "Høringssvarene er nu indarbejdet." in sent
    assert "[Heading 2] Beslutning i Økonomiudvalget den 10-01-2023\n[Normal] Anbefales." in sent

    # Revised again after KB's agenda went out: the sent agenda stays, the change is a
    # supplementary agenda, and the meeting treats the revised text.
    revise(root, "SENERE TILFØJELSE.")
    unchanged()
    supplement = documents(root, tmp_path / "out-sup")[f"{kb}/tillaegsdagsorden-intern.docx"]
    assert "SENERE TILFØJELSE." in supplement
    assert "[Normal] Punktet er ændret efter udsendelsen af dagsordenen." in supplement
    assert run(root, "status", kb, "afholdt", "--uden-pdf") == 0
    freeze_now(kb, "tillaegsdagsorden-intern.docx", "tillaegsdagsorden-offentlig.docx")
    # After the meeting the case moves on: KB's minutes keep the text KB treated.
    revise(root, "EFTER MØDET.")
    unchanged()
    assert run(root, "beslut", kb, "1", "--standard", "efterretning") == 0
    assert run(root, "beslut", kb, "2", "--standard", "godkendt") == 0
    minutes = documents(root, tmp_path / "out-kb")[f"{kb}/beslutningsprotokol-intern.docx"]
    assert "SENERE TILFØJELSE." in minutes
    assert "EFTER MØDET." not in minutes
    assert "[Normal] Godkendt." in minutes
    assert run(root, "godkend", kb, "--dato", "2023-02-01", "--uden-pdf") == 0
    freeze_now(kb, "beslutningsprotokol-intern.docx", "beslutningsprotokol-offentlig.docx")

    # A correction is an addition: the approved text stays, the correction is printed after it.
    assert run(root, "ret", kb, "Datoen for høringen er 1. marts.", "--dato", "2023-02-10") == 0
    assert (root / "arkiv" / kb / "rettelse-1.json").is_file()
    now = documents(root, tmp_path / "out-ret")
    corrected = now[f"{kb}/beslutningsprotokol-intern.docx"]
    assert corrected.startswith(frozen[f"{kb}/beslutningsprotokol-intern.docx"].split("\n")[0])
    assert "[Heading 2] Rettelse den 10-02-2023\n[Normal] Datoen for høringen er 1. marts." in (
        corrected
    )
    assert "Rettelse den 10-02-2023" in now[f"{kb}/beslutningsprotokol-offentlig.docx"]
    frozen.pop(f"{kb}/beslutningsprotokol-intern.docx")
    frozen.pop(f"{kb}/beslutningsprotokol-offentlig.docx")
    unchanged()

    # Another case is postponed at ØK's next meeting; the meeting after is sent, then
    # cancelled, and the case goes on to the one after that with the postponement in its
    # history. Nothing frozen before changes.
    (root / "cases" / "23-6.yaml").write_text(
        "\n".join(line[4:] for line in CASE_2.splitlines()) + "\n", encoding="utf-8"
    )
    february, cancelled, march = "2023-02-07-oek", "2023-02-21-oek", "2023-03-07-oek"
    for name, items in ((february, "\n  - sag: 23/6\n"), (cancelled, " []\n"), (march, " []\n")):
        day = name[:10]
        (root / "agenda" / f"{name}.yaml").write_text(
            f"udvalg: ØK\ndato: {day}\nstart: 16:00\nsted: Rådhuset\npunkter:{items}", "utf-8"
        )
    assert run(root, "status", february, "afholdt", "--uden-pdf") == 0
    assert run(root, "beslut", february, "23/6", "--standard", "udsat") == 0
    assert run(root, "godkend", february, "--dato", "2023-02-14", "--uden-pdf") == 0
    freeze_now(february, "beslutningsprotokol-intern.docx")
    assert run(root, "videresend", february, "23/6") == 0
    assert run(root, "status", cancelled, "udsendt", "--uden-pdf") == 0
    assert run(root, "status", cancelled, "aflyst") == 0
    assert run(root, "videresend", cancelled, "23/6") == 0
    now = documents(root, tmp_path / "out-marts")
    assert "[Forside] Mødet er aflyst.\n" in now[f"{cancelled}/dagsorden-intern.docx"]
    march_agenda = now[f"{march}/dagsorden-intern.docx"]
    assert "[Heading 2] Beslutning i Økonomiudvalget den 07-02-2023\n[Normal] Udsat.\n" in (
        march_agenda
    )
    assert "21-02-2023" not in march_agenda, "a cancelled meeting treated nothing"
    unchanged()
    capsys.readouterr()
    assert run(root, "tjek") == 0


def approved(project: Path) -> Path:
    root = project
    name = "2023-01-10-oek"
    assert run(root, "status", name, "udsendt", "--uden-pdf") == 0
    assert run(root, "status", name, "afholdt", "--uden-pdf") == 0
    assert run(root, "beslut", name, "1", "Godkendt.") == 0
    assert run(root, "godkend", name, "--dato", "2023-01-17", "--uden-pdf") == 0
    check(root)
    return root / "agenda" / f"{name}.yaml"


def errors(root: Path) -> list[str]:
    with pytest.raises(ProblemsError) as caught:
        check(root)
    return [str(p) for p in caught.value.problems if p.is_error]


def test_an_edit_after_approval_names_the_item_the_field_and_both_texts(project: Path) -> None:
    path = approved(project)
    path.write_text(
        path.read_text(encoding="utf-8").replace("beslutning: Godkendt.", "beslutning: Afvist."),
        encoding="utf-8",
    )
    assert errors(project) == [
        "agenda/2023-01-10-oek.yaml:10:5: fejl: protokollen for 2023-01-10-oek blev godkendt"
        " den 17-01-2023, men punkt 1 (sag 23/5), beslutning er ændret siden: før 'Godkendt.',"
        " nu 'Afvist.'; sæt det tilbage, og skriv ændringen som en rettelse ('dagsorden ret"
        " 2023-01-10-oek')"
    ]


@pytest.mark.parametrize(
    ("old", "new", "what"),
    [
        ("  - sag: 23/5\n", "  - sag: 23/5\n    offentlig_titel: Skoler\n", "offentlig_titel"),
        ("  - sag: 23/5\n", "  - sag: 23/5\n    adgang: Lukket\n", "adgang"),
        ("start: 16:00", "start: 16:30", "starttidspunktet"),
    ],
)
def test_every_field_the_minutes_show_is_locked(
    project: Path, old: str, new: str, what: str
) -> None:
    path = approved(project)
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    assert any(f"{what} er ændret siden" in e for e in errors(project))


def test_un_approving_by_hand_is_an_error(project: Path) -> None:
    path = approved(project)
    text = path.read_text(encoding="utf-8")
    start = text.index("status: godkendt")
    end = text.index("punkter:")
    path.write_text(text[:start] + "status: afholdt\n" + text[end:], encoding="utf-8")
    line = text[:start].count("\n") + 1  # the error stands at the status it is about
    assert errors(project) == [
        f"agenda/2023-01-10-oek.yaml:{line}:9: fejl: protokollen for 2023-01-10-oek blev"
        " godkendt og frosset den 17-01-2023 (arkiv/2023-01-10-oek/godkendt), men mødefilen"
        " har status afholdt; en godkendt protokol kan ikke gøres ugodkendt. Kør 'dagsorden godkend"
        " 2023-01-10-oek' for at skrive status og godkendelsen igen (den frosne protokol bruges)"
    ]
    # The approval command puts it back from the record.
    assert run(project, "godkend", "2023-01-10-oek", "--uden-pdf") == 0
    assert path.read_text(encoding="utf-8") == text
    check(project)


def test_a_swapped_bilag_file_and_an_edited_record_are_errors(project: Path) -> None:
    approved(project)
    (project / "bilag" / "udkast.pdf").write_bytes(_pdf() + b"\n% ny udgave\n")
    found = errors(project)
    assert len(found) == 3  # the sent agenda, the agenda as held and the minutes listed it
    assert found[1] == (
        "arkiv/2023-01-10-oek/godkendt/indhold.json: fejl: bilagsfilen bilag/udkast.pdf er"
        " udskiftet, efter den godkendte protokol for 2023-01-10-oek blev frosset den"
        " 17-01-2023; læg den oprindelige fil tilbage, og giv en ny udgave et nyt filnavn"
    )
    (project / "bilag" / "udkast.pdf").write_bytes(_pdf())
    check(project)
    record = project / "arkiv" / "2023-01-10-oek" / "udsendt" / "dagsorden-offentlig.json"
    record.write_text(record.read_text(encoding="utf-8").replace("Rådhuset", "Kroen"), "utf-8")
    assert errors(project) == [
        "arkiv/2023-01-10-oek/udsendt/indhold.json: fejl: arkiv/2023-01-10-oek/udsendt/"
        "dagsorden-offentlig.json fra den udsendte dagsorden for 2023-01-10-oek er ændret,"
        " efter den blev frosset; hent den tilbage fra git"
    ]


def test_a_deleted_correction_and_an_edited_one_are_errors(project: Path) -> None:
    path = approved(project)
    assert (
        run(project, "ret", "2023-01-10-oek", "Beløbet er 2 mio. kr.", "--dato", "2023-02-01") == 0
    )
    assert not errors_or_none(project)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Beløbet er 2 mio. kr.", "Beløbet er 3 mio. kr."), "utf-8")
    assert any("rettelse 1 er ændret, efter den blev skrevet" in e for e in errors(project))
    path.write_text(text[: text.index("rettelser:")], encoding="utf-8")
    assert any("står i arkiv/2023-01-10-oek/rettelse-1.json" in e for e in errors(project))


def errors_or_none(root: Path) -> list[str]:
    try:
        check(root)
    except ProblemsError as exc:
        return [str(p) for p in exc.problems if p.is_error]
    return []


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=T", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


def test_in_git_a_committed_record_cannot_be_deleted_with_its_status(project: Path) -> None:
    path = approved(project)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "godkendt")
    # Delete the whole approval: the record, the status and the approval block.
    shutil.rmtree(project / "arkiv" / "2023-01-10-oek" / "godkendt")
    text = path.read_text(encoding="utf-8")
    start = text.index("status: godkendt")
    path.write_text(text[:start] + "status: afholdt\n" + text[text.index("punkter:") :], "utf-8")
    found = errors(project)
    assert len(found) == 1
    assert found[0].startswith(
        "arkiv/2023-01-10-oek/godkendt: fejl: arkiv/2023-01-10-oek/godkendt er slettet, men blev"
        " gemt i git som frosset; en frossen fil slettes aldrig: hent den tilbage med 'git"
        " checkout "
    )


def test_sending_refuses_to_go_back_and_a_second_send_changes_nothing(project: Path) -> None:
    name = "2023-01-10-oek"
    assert run(project, "status", name, "udsendt", "--uden-pdf") == 0
    record = project / "arkiv" / name / "udsendt" / "indhold.json"
    before = record.read_bytes()
    assert run(project, "status", name, "planlagt") == 1
    revise(project, "Ny sætning.")
    assert run(project, "status", name, "udsendt", "--uden-pdf") == 0
    assert record.read_bytes() == before


def test_freezing_makes_word_and_pdf_files(project: Path) -> None:
    name = "2023-01-10-oek"
    assert run(project, "status", name, "udsendt") == 0
    folder = project / "arkiv" / name / "udsendt"
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "dagsorden-intern.docx",
        "dagsorden-intern.json",
        "dagsorden-intern.pdf",
        "dagsorden-offentlig.docx",
        "dagsorden-offentlig.json",
        "dagsorden-offentlig.pdf",
        "indhold.json",
    ]
    assert (folder / "dagsorden-intern.pdf").read_bytes().startswith(b"%PDF-")
    check(project)


def test_kill_during_freezing_leaves_the_old_state_or_the_new_never_part(project: Path) -> None:
    """SIGKILL at random moments of 'status udsendt': afterwards the data is whole, and running
    the command again completes what was begun."""
    name = "2023-01-10-oek"
    agenda = project / "agenda" / f"{name}.yaml"
    original = agenda.read_text(encoding="utf-8")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "dagsorden", "--projekt", str(project)]
    # Kill moments spread over the whole command, however fast this machine runs it.
    began = time.monotonic()
    subprocess.run([*command, "status", name, "udsendt", "--uden-pdf"], env=env, check=True)
    duration = time.monotonic() - began
    shutil.rmtree(project / "arkiv")
    agenda.write_text(original, encoding="utf-8")
    rng = random.Random(8)
    outcomes = set()
    for _ in range(12):
        process = subprocess.Popen(
            [*command, "status", name, "udsendt", "--uden-pdf"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.2, 1.4) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        text = agenda.read_text(encoding="utf-8")
        sent = original.replace("sted: Rådhuset\n", "sted: Rådhuset\nstatus: udsendt\n")
        assert text in (original, sent)
        folder = project / "arkiv" / name
        record = folder / "udsendt"
        outcomes.add((record.exists(), "status: udsendt" in text))
        if record.exists():
            assert (record / "indhold.json").is_file()
        # Settle: the same command again completes it; then undo for the next round.
        assert run(project, "status", name, "udsendt", "--uden-pdf") == 0
        check(project)
        shutil.rmtree(folder)
        agenda.write_text(original, encoding="utf-8")
    assert len(outcomes) >= 2, outcomes


CASE_2 = """\
    sagsnr: 23/6
    titel: Vejbelysning
    sagsgang: [ØK]
    afsnit:
      Sagsfremstilling: Nye lamper på Hovedgaden.
    """


def test_changes_after_sending_make_a_supplementary_agenda(project: Path, tmp_path: Path) -> None:
    name = "2023-01-10-oek"
    agenda = project / "agenda" / f"{name}.yaml"
    agenda.write_text(
        agenda.read_text(encoding="utf-8") + "  - titel: Meddelelser\n    tekst: Ingen.\n",
        encoding="utf-8",
    )
    assert run(project, "status", name, "udsendt", "--uden-pdf") == 0
    sent = documents(project, tmp_path / "out-1")[f"{name}/dagsorden-intern.docx"]
    assert f"{name}/tillaegsdagsorden-intern.docx" not in documents(project, tmp_path / "out-2")

    # After sending: a new case, a changed case text, the Meddelelser item withdrawn.
    (project / "cases" / "23-6.yaml").write_text(CASE_2.replace("    ", "", 1), "utf-8")
    (project / "cases" / "23-6.yaml").write_text(
        "\n".join(line[4:] for line in CASE_2.splitlines()) + "\n", encoding="utf-8"
    )
    revise(project, "Skolebestyrelserne er hørt.")
    text = agenda.read_text(encoding="utf-8")
    agenda.write_text(
        text.replace("  - titel: Meddelelser\n    tekst: Ingen.\n", "  - sag: 23/6\n"), "utf-8"
    )
    built = documents(project, tmp_path / "out-3")
    assert built[f"{name}/dagsorden-intern.docx"] == sent, "the sent agenda stays as it was"
    supplement = built[f"{name}/tillaegsdagsorden-intern.docx"]
    assert supplement.startswith("[Title] Økonomiudvalget\n[Subtitle] TILLÆGSDAGSORDEN\n")
    assert (
        "[Heading 1] 1. Ny skolestruktur\n"
        "[Normal] Punktet er ændret efter udsendelsen af dagsordenen.\n"
    ) in supplement
    assert "Skolebestyrelserne er hørt." in supplement
    assert (
        "[Heading 1] 2. Vejbelysning\n"
        "[Normal] Nyt punkt, optaget på dagsordenen efter udsendelsen.\n"
    ) in supplement
    assert (
        "[Heading 1] Meddelelser\n"
        "[Normal] Punktet (nr. 2 på den udsendte dagsorden) er taget af dagsordenen.\n"
    ) in supplement
    assert f"{name}/tillaegsdagsorden-offentlig.docx" in built

    # Held: the supplement is frozen with the agenda as treated; an item added during the
    # meeting is marked in the minutes; a later revision of the case reaches neither.
    assert run(project, "status", name, "afholdt", "--uden-pdf") == 0
    assert (project / "arkiv" / name / "afholdt" / "tillaegsdagsorden-intern.docx").is_file()
    agenda.write_text(
        agenda.read_text(encoding="utf-8") + "  - titel: Eventuelt\n    beslutning: Intet.\n",
        encoding="utf-8",
    )
    assert run(project, "beslut", name, "1", "--standard", "godkendt") == 0
    revise(project, "SENERE.")
    built = documents(project, tmp_path / "out-4")
    assert built[f"{name}/tillaegsdagsorden-intern.docx"] == supplement
    minutes = built[f"{name}/beslutningsprotokol-intern.docx"]
    assert "Skolebestyrelserne er hørt." in minutes and "SENERE." not in minutes
    assert (
        "[Heading 1] 3. Eventuelt\n[Normal] Punktet blev optaget på dagsordenen under mødet.\n"
    ) in minutes


CLOSED_CASE = """\
sagsnr: 23/9
titel: Salg af grund
adgang: Lukket
sagsgang: [ØK, KB]
afsnit:
  Sagsfremstilling: Køberen er Hans Hansen.
"""


def test_a_change_only_to_closed_content_makes_both_supplements_and_never_crashes(
    project: Path, tmp_path: Path
) -> None:
    (project / "cases" / "23-9.yaml").write_text(CLOSED_CASE, encoding="utf-8")
    agenda = project / "agenda" / "2023-01-10-oek.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "  - sag: 23/9\n", "utf-8")
    assert run(project, "status", "2023-01-10-oek", "udsendt", "--uden-pdf") == 0
    case = project / "cases" / "23-9.yaml"
    case.write_text(case.read_text("utf-8").replace("Hans Hansen", "Jens Jensen"), "utf-8")
    built = documents(project, tmp_path / "out")
    internal = built["2023-01-10-oek/tillaegsdagsorden-intern.docx"]
    public = built["2023-01-10-oek/tillaegsdagsorden-offentlig.docx"]
    assert "Jens Jensen" in internal
    assert "[Heading 1] 2. Lukket punkt: Salg af grund\n" in public
    assert "Jensen" not in public and "Hansen" not in public
    assert run(project, "status", "2023-01-10-oek", "afholdt", "--uden-pdf") == 0
    assert (
        documents(project, tmp_path / "out-2")["2023-01-10-oek/tillaegsdagsorden-offentlig.docx"]
        == public
    )


def test_a_closed_treatment_stays_closed_when_the_case_is_opened_later(
    project: Path, tmp_path: Path
) -> None:
    (project / "cases" / "23-9.yaml").write_text(CLOSED_CASE, encoding="utf-8")
    agenda = project / "agenda" / "2023-01-10-oek.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8") + "  - sag: 23/9\n", "utf-8")
    name = "2023-01-10-oek"
    assert run(project, "status", name, "afholdt", "--uden-pdf") == 0
    assert run(project, "beslut", name, "1", "--standard", "anbefales") == 0
    assert run(project, "beslut", name, "2", "Tiltrådt. Prisen er HEMMELIG.") == 0
    assert run(project, "godkend", name, "--dato", "2023-01-17", "--uden-pdf") == 0
    (project / "agenda" / "2023-01-24-kb.yaml").write_text(
        "udvalg: KB\ndato: 2023-01-24\nstart: 17:00\nsted: Byrådssalen\npunkter:\n  - sag: 23/9\n",
        encoding="utf-8",
    )
    # The sale is done: the case is opened for KB. ØK's closed decision stays closed.
    case = project / "cases" / "23-9.yaml"
    case.write_text(case.read_text("utf-8").replace("adgang: Lukket", "adgang: Åben"), "utf-8")
    check(project)
    built, _ = build(project, ["2023-01-24-kb"], out=tmp_path / "out")
    (public,) = [b.path for b in built if b.path.name == "dagsorden-offentlig.docx"]
    assert "HEMMELIG" not in dump(public)
    (internal,) = [b.path for b in built if b.path.name == "dagsorden-intern.docx"]
    assert "HEMMELIG" in dump(internal)


def test_a_command_on_a_meeting_refuses_its_own_tampered_record(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    approved(project)
    context = project / "arkiv" / "2023-01-10-oek" / "godkendt" / "protokol-intern.json"
    context.write_text(context.read_text("utf-8").replace("Godkendt.", "Forkastet."), "utf-8")
    capsys.readouterr()
    assert run(project, "byg", "2023-01-10-oek", "--uden-pdf") == 1
    err = capsys.readouterr().err
    assert "protokol-intern.json fra den godkendte protokol for 2023-01-10-oek er ændret" in err
    assert "bygges alligevel" not in err


def test_the_archive_keeps_its_bytes_in_git_and_never_commits_a_half_freezing(
    project: Path,
) -> None:
    assert run(project, "status", "2023-01-10-oek", "udsendt", "--uden-pdf") == 0
    assert "* -text" in (project / "arkiv" / ".gitattributes").read_text(encoding="utf-8")
    assert ".*-*/" in (project / "arkiv" / ".gitignore").read_text(encoding="utf-8")


def test_a_correction_to_an_item_without_a_decision_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "2023-01-10-oek"
    agenda = project / "agenda" / f"{name}.yaml"
    agenda.write_text(agenda.read_text("utf-8") + "  - titel: Meddelelser\n", "utf-8")
    assert run(project, "status", name, "afholdt", "--uden-pdf") == 0
    assert run(project, "beslut", name, "1", "Godkendt.") == 0
    assert run(project, "godkend", name, "--uden-pdf") == 0
    capsys.readouterr()
    assert run(project, "ret", name, "Tilføjet.", "--punkt", "2") == 1
    assert "punkt 2 har ingen beslutning i protokollen" in capsys.readouterr().err


def test_a_moved_meeting_is_announced_once_on_the_supplement(project: Path, tmp_path: Path) -> None:
    name = "2023-01-10-oek"
    assert run(project, "status", name, "udsendt", "--uden-pdf") == 0
    agenda = project / "agenda" / f"{name}.yaml"
    agenda.write_text(
        agenda.read_text("utf-8")
        .replace("start: 16:00", "start: 15:00")
        .replace("sted: Rådhuset", "sted: Byrådssalen"),
        encoding="utf-8",
    )
    supplement = documents(project, tmp_path / "out")[f"{name}/tillaegsdagsorden-intern.docx"]
    assert "[Forside] Nyt starttidspunkt: 15:00 (før: 16:00)\n" in supplement
    assert "[Forside] Nyt mødested: Byrådssalen (før: Rådhuset)\n" in supplement
    assert "Punktet er ændret" not in supplement


def test_a_supplement_whose_changes_were_put_back_leaves_out(project: Path, tmp_path: Path) -> None:
    name = "2023-01-10-oek"
    assert run(project, "status", name, "udsendt", "--uden-pdf") == 0
    case = project / "cases" / "23-5.yaml"
    sent = case.read_text(encoding="utf-8")
    revise(project, "En ændring, der blev fortrudt.")
    out = tmp_path / "out"
    build(project, out=out)
    assert (out / name / "tillaegsdagsorden-intern.docx").is_file()
    case.write_text(sent, encoding="utf-8")
    build(project, out=out)
    assert not (out / name / "tillaegsdagsorden-intern.docx").exists()
    assert not (out / name / "tillaegsdagsorden-offentlig.docx").exists()
    assert (out / name / "dagsorden-intern.docx").is_file()
