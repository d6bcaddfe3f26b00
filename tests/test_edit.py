"""Writing back into the secretary's files: nothing she wrote is lost, no update is lost.

Real files in tmp_path, real processes, real SIGKILLs. The examples are copied, never written.
"""

from __future__ import annotations

import difflib
import itertools
import multiprocessing
import os
import random
import re
import shutil
import signal
import time
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap

from conftest import ROOT
from dagsorden.edit import (
    _dump,
    _guess_indent,
    _yaml,
    append_value,
    create_yaml,
    delete_value,
    edit_yaml,
    insert_value,
    set_value,
    text_value,
)
from dagsorden.errors import DagsordenError, ProblemsError

EXAMPLES = sorted(
    [*ROOT.glob("agenda/*.yaml"), *ROOT.glob("cases/*.yaml"), ROOT / "organisation.yaml"]
)
MEETING = "agenda/2022-12-06-oek.yaml"
FORK = multiprocessing.get_context("fork")

# A meeting as the secretary has it before the meeting: comments everywhere, no decisions yet.
BEFORE_MEETING = """\
# Økonomiudvalget, december. Dagsordenen er godkendt af formanden.
udvalg: ØK
dato: 2022-12-06
start: 14:00   # flyttet fra 13:00
slut: 17:00
sted: Mødelokale 1, Rådhuset, Torvet 3, 8500 Grenaa
afbud:
  - Jens Meilvang  # ferie
punkter:
  - sag: 22/291
    # Budgetaftalens udmøntning; Jens er inhabil.
    deltog_ikke:
      - navn: Jens Meilvang
        årsag: inhabil
  # Punktet om budgetopfølgning skal ligge før lokalplanen.
  - sag: 22/2217

  - titel: Meddelelser
    tekst: |
      - Borgmesteren orienterede om mødet i KKR Midtjylland den 2. december 2022.
      - Kommunaldirektøren orienterede om forberedelserne til budgetseminaret i marts 2023.
  - sag: 22/12954   # lukket punkt, står sidst
# Slut på dagsordenen.
"""


def _copy(tmp_path: Path, relative: str) -> Path:
    target = tmp_path / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ROOT / relative, target)
    return target


def _write(tmp_path: Path, relative: str, text: str) -> Path:
    target = tmp_path / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(text.encode("utf-8"))
    return target


def _others(path: Path) -> list[str]:
    """Every file beside `path` other than it and its lock file."""
    keep = {path.name, f".{path.name}.lock"}
    return sorted(p.name for p in path.parent.iterdir() if p.name not in keep)


def _comments(text: str) -> list[str]:
    return sorted(m.group() for m in re.finditer(r"#.*", text))


# --- nothing she wrote is lost ----------------------------------------------------------------


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_dumper_reproduces_every_example_file_byte_for_byte(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    document = _yaml().load(text)
    assert _dump(document, _guess_indent(document)) == text


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_adding_a_key_to_an_example_file_adds_exactly_one_line(
    tmp_path: Path, source: Path
) -> None:
    path = _copy(tmp_path, source.relative_to(ROOT).as_posix())
    before = path.read_bytes()
    with edit_yaml(path) as document:
        set_value(document, "noteret", "Ja.")
    assert path.read_bytes() == before + b"noteret: Ja.\n"


def test_an_unchanged_document_is_not_written(tmp_path: Path) -> None:
    path = _copy(tmp_path, MEETING)
    os.utime(path, (1_000_000_000, 1_000_000_000))
    with edit_yaml(path) as document:
        assert document["udvalg"] == "ØK"
    assert path.stat().st_mtime == 1_000_000_000


def test_recording_a_decision_only_adds_lines_and_keeps_every_comment(tmp_path: Path) -> None:
    path = _write(tmp_path, MEETING, BEFORE_MEETING)
    with edit_yaml(path) as document:
        items = document["punkter"]
        set_value(items[0], "beslutning", text_value("Godkendt."))
        set_value(
            items[1],
            "beslutning",
            text_value("Tiltrådt.\n\nKenneth Brogaard Lauritsen (D) tog forbehold."),
        )
        append_value(document["afbud"], "Ida Holmgaard Kvist")
        set_value(items[3], "beslutning", text_value("Godkendt."))
    after = path.read_text(encoding="utf-8")

    old, new = BEFORE_MEETING.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    changes = [(tag, new[j1:j2]) for tag, _, _, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    assert changes == [
        ("insert", ["  - Ida Holmgaard Kvist"]),
        ("insert", ["    beslutning: Godkendt."]),
        (
            "insert",
            [
                "    beslutning: |",
                "      Tiltrådt.",
                "",
                "      Kenneth Brogaard Lauritsen (D) tog forbehold.",
            ],
        ),
        ("insert", ["    beslutning: Godkendt."]),
    ]
    # Each decision lands inside its own item, before the comment about the next one.
    assert "        årsag: inhabil\n    beslutning: Godkendt.\n  # Punktet om" in after
    assert "    beslutning: Godkendt.\n# Slut på dagsordenen.\n" in after
    assert _comments(after) == _comments(BEFORE_MEETING)


def test_comments_that_end_a_block_stay_at_its_end(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "m.yaml",
        """\
udvalg: ØK   # udvalget
punkter:
  - sag: 1  # første
  # om det næste punkt
  - sag: 2
    deltog_ikke:
      - navn: Jens
        # stadig om Jens
  - sag: 3
    tekst: |
      linje
    # efter teksten
  - sag: 4
    sagsgang: [ØK, KB]  # flow
afbud:
  - A  # syg
# slut
""",
    )
    with edit_yaml(path) as document:
        for item in document["punkter"]:
            set_value(item, "beslutning", "OK.")
        append_value(document["punkter"][3]["sagsgang"], "HU")
        append_value(document["afbud"], "B")
        set_value(document, "slut", "15:00")
    assert (
        path.read_text(encoding="utf-8")
        == """\
udvalg: ØK   # udvalget
punkter:
  - sag: 1  # første
    beslutning: OK.
  # om det næste punkt
  - sag: 2
    deltog_ikke:
      - navn: Jens
        # stadig om Jens
    beslutning: OK.
  - sag: 3
    tekst: |
      linje
    beslutning: OK.
    # efter teksten
  - sag: 4
    sagsgang: [ØK, KB, HU] # flow
    beslutning: OK.
afbud:
  - A  # syg
  - B
slut: 15:00
# slut
"""
    )


def test_an_inserted_item_goes_below_the_comment_about_the_next_item(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "m.yaml",
        "punkter:\n  - sag: 1  # a\n  # lukkede punkter:\n  - sag: 3\n    adgang: Lukket\n",
    )
    with edit_yaml(path) as document:
        insert_value(document["punkter"], 1, {"sag": "2"})
    assert path.read_text(encoding="utf-8") == (
        "punkter:\n  - sag: 1  # a\n  - sag: 2\n  # lukkede punkter:\n"
        "  - sag: 3\n    adgang: Lukket\n"
    )


def test_replacing_a_value_keeps_its_comments(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "m.yaml",
        "slut: 17:00   # planlagt\nbeslutning: |\n  Udsat.\n# efter\nsted: Rådhuset\n",
    )
    with edit_yaml(path) as document:
        set_value(document, "slut", "18:15")
        set_value(document, "beslutning", text_value("Godkendt."))
    assert path.read_text(encoding="utf-8") == (
        "slut: 18:15   # planlagt\nbeslutning: Godkendt.\n# efter\nsted: Rådhuset\n"
    )


def test_text_value_writes_text_as_the_secretary_does(tmp_path: Path) -> None:
    path = _write(tmp_path, "m.yaml", "udvalg: ØK\n")
    texts = {
        "start": "12:30",
        "svar": "no",
        "nummer": "0123",
        "sand": "True",
        "tom": "",
        "tilde": "~",
        "ordet": "null",
        "kolon": "Bemærk: vigtigt",
        "streg": "- ikke en liste",
        "flere": "Første afsnit.\n\nAndet afsnit med tvunget  \nlinjeskift.",
        "rykket": "  indrykket første linje\nanden linje",
    }
    with edit_yaml(path) as document:
        for key, text in texts.items():
            set_value(document, key, text_value(text))
    written = path.read_text(encoding="utf-8")
    assert written.splitlines() == [
        "udvalg: ØK",
        "start: 12:30",
        "svar: no",
        "nummer: 0123",
        "sand: True",
        "tom: ''",
        "tilde: '~'",
        "ordet: 'null'",
        "kolon: 'Bemærk: vigtigt'",
        "streg: '- ikke en liste'",
        "flere: |",
        "  Første afsnit.",
        "",
        "  Andet afsnit med tvunget  ",
        "  linjeskift.",
        "rykket: |2",
        "    indrykket første linje",
        "  anden linje",
    ]
    # The reader composes nodes and takes each scalar's text; nothing reads as "no value".
    node = yaml.compose(written, Loader=yaml.SafeLoader)
    assert isinstance(node, yaml.MappingNode)
    read = {k.value: v for k, v in node.value}
    for key, text in texts.items():
        value = text if "\n" not in text else text + "\n"
        assert read[key].value == value, key
        assert read[key].tag != "tag:yaml.org,2002:null", key
    with edit_yaml(path) as document:
        assert {key: document[key] for key in texts} == {
            k: v if "\n" not in v else v + "\n" for k, v in texts.items()
        }


def test_what_the_dumper_would_change_survives_an_edit_elsewhere(tmp_path: Path) -> None:
    text = (
        "---\n"
        "titel: En titel, der er skrevet\n"
        "  over to linjer\n"
        "sted:    Rådhuset   \n"
        "sagsgang: [ ØK,KB ]\n"
        "punkter:\n"
        "- sag: 22/291\n"
        "- sag: 22/2217\n"
        'tekst: "Linjeskift\\nmed escape"\n'
    )
    path = _write(tmp_path, "m.yaml", text)
    with edit_yaml(path) as document:
        set_value(document["punkter"][0], "beslutning", "Godkendt.")
    assert path.read_text(encoding="utf-8") == text.replace(
        "- sag: 22/291\n", "- sag: 22/291\n  beslutning: Godkendt.\n"
    )


@pytest.mark.parametrize(
    ("label", "data"),
    [
        ("crlf", b"udvalg: \xc3\x98K\r\ntekst: |\r\n  a\r\n  b\r\n"),
        ("bom", b"\xef\xbb\xbfudvalg: \xc3\x98K\n"),
        ("kontroltegn fra Word", "udvalg: ØK\ntitel: Linje\x0bskift\x0csideskift\x85\n".encode()),
        ("uden sidste linjeskift", b"udvalg: OEK\nsted: R"),
    ],
)
def test_file_conventions_are_kept(tmp_path: Path, label: str, data: bytes) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(data)
    with edit_yaml(path) as document:
        set_value(document, "udvalg", "KB")
    newline = b"\r\n" if label == "crlf" else b"\n"
    old_value = data.split(newline, 1)[0].split(b": ", 1)[1]
    assert path.read_bytes() == data.replace(b"udvalg: " + old_value, b"udvalg: KB", 1)


_OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["beslutning", "afbud", "punkt", "indsæt", "slut"]),
        st.integers(min_value=0, max_value=10),
        st.sampled_from(["Godkendt.", "Tiltrådt.\n\nMed bemærkning.", "12:30", "no"]),
    ),
    max_size=8,
)


@settings(max_examples=40, deadline=None)
@given(operations=_OPERATIONS)
def test_any_sequence_of_edits_keeps_every_comment_and_says_what_was_set(
    tmp_path_factory: pytest.TempPathFactory, operations: list[tuple[str, int, str]]
) -> None:
    path = _write(tmp_path_factory.mktemp("edit"), MEETING, BEFORE_MEETING)
    expected: Any = yaml.load(BEFORE_MEETING, Loader=yaml.BaseLoader)
    for what, index, text in operations:
        with edit_yaml(path) as document:
            items = document["punkter"]
            if what == "beslutning":
                set_value(items[index % len(items)], "beslutning", text_value(text))
                expected["punkter"][index % len(items)]["beslutning"] = text_value(text)
            elif what == "afbud":
                append_value(document["afbud"], text_value(text))
                expected["afbud"].append(text_value(text))
            elif what == "indsæt":
                at = index % (len(items) + 1)
                insert_value(items, at, {"sag": f"24/{index}"})
                expected["punkter"].insert(at, {"sag": f"24/{index}"})
            elif what == "punkt":
                append_value(items, {"sag": f"23/{index}", "beslutning": text_value(text)})
                expected["punkter"].append({"sag": f"23/{index}", "beslutning": text_value(text)})
            else:
                set_value(document, "slut", text_value(text))
                expected["slut"] = text_value(text)
    written = path.read_text(encoding="utf-8")
    assert yaml.load(written, Loader=yaml.BaseLoader) == expected
    assert _comments(written) == _comments(BEFORE_MEETING)


# --- a failed or refused edit writes nothing ---------------------------------------------------


def test_an_exception_in_the_block_writes_nothing(tmp_path: Path) -> None:
    path = _copy(tmp_path, MEETING)
    before = path.read_bytes()
    with pytest.raises(KeyError), edit_yaml(path) as document:
        set_value(document["punkter"][0], "beslutning", "Ændret.")
        document["findes ikke"]
    assert path.read_bytes() == before
    assert _others(path) == []


@pytest.mark.parametrize("how", ["skrevet i filen", "gemt som ny fil"])
def test_a_file_changed_by_an_editor_meanwhile_is_not_overwritten(tmp_path: Path, how: str) -> None:
    path = _copy(tmp_path, MEETING)
    editors = path.read_text(encoding="utf-8").replace("sted: ", "sted: Byrådssalen, ")
    with pytest.raises(DagsordenError) as caught, edit_yaml(path, name=MEETING) as document:
        set_value(document["punkter"][0], "beslutning", "Godkendt.")
        if how == "skrevet i filen":
            path.write_text(editors, encoding="utf-8")
        else:
            saved = path.with_name("m.yaml~")
            saved.write_text(editors, encoding="utf-8")
            saved.replace(path)
    assert str(caught.value) == (
        "agenda/2022-12-06-oek.yaml er ændret af et andet program, mens den blev opdateret;"
        " intet er skrevet – prøv igen"
    )
    assert path.read_text(encoding="utf-8") == editors
    assert _others(path) == []


def test_a_file_that_is_not_valid_yaml_is_not_touched(tmp_path: Path) -> None:
    path = _write(tmp_path, MEETING, "udvalg: ØK\npunkter:\n  - sag: 22/291\n beslutning: x\n")
    before = path.read_bytes()
    with pytest.raises(ProblemsError) as caught, edit_yaml(path, name=MEETING):
        pass
    assert str(caught.value) == (
        "agenda/2022-12-06-oek.yaml:4:2: fejl: filen kan ikke opdateres, før YAML-fejlen er"
        " rettet; 'dagsorden tjek' viser den"
    )
    assert path.read_bytes() == before


def test_a_missing_file_is_reported_and_no_lock_file_is_left(tmp_path: Path) -> None:
    with pytest.raises(DagsordenError) as caught, edit_yaml(tmp_path / "x.yaml", name=MEETING):
        pass
    assert str(caught.value) == "agenda/2022-12-06-oek.yaml findes ikke; intet er skrevet"
    assert list(tmp_path.iterdir()) == []


def test_a_stale_temporary_file_is_removed_and_a_fresh_one_kept(tmp_path: Path) -> None:
    path = _copy(tmp_path, MEETING)
    stale = path.with_name(f".{path.name}.k1ll3d.tmp")
    fresh = path.with_name(f".{path.name}.w0rk1n.tmp")
    for leftover in (stale, fresh):
        leftover.write_text("udvalg: halvt skrevet", encoding="utf-8")
    old = time.time() - 120
    os.utime(stale, (old, old))
    with edit_yaml(path) as document:
        set_value(document, "slut", "18:00")
    assert _others(path) == [fresh.name]


def test_the_file_mode_is_kept(tmp_path: Path) -> None:
    path = _copy(tmp_path, MEETING)
    path.chmod(0o640)
    with edit_yaml(path) as document:
        set_value(document, "slut", "18:00")
    assert path.stat().st_mode & 0o777 == 0o640


# --- two commands at once ----------------------------------------------------------------------


def _append_items(path: str, who: str, start: Barrier) -> None:
    rng = random.Random(who)
    start.wait()
    for number in range(50):
        with edit_yaml(Path(path)) as document:
            append_value(document["punkter"], {"sag": f"{who}/{number}"})
        time.sleep(rng.uniform(0, 0.01))  # as two commands would, not one tight loop


def test_two_processes_appending_at_once_lose_nothing(tmp_path: Path) -> None:
    path = _copy(tmp_path, MEETING)
    start = FORK.Barrier(2)
    writers = [FORK.Process(target=_append_items, args=(str(path), w, start)) for w in "AB"]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
        writer.close()
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [item.get("sag", item.get("titel")) for item in document["punkter"]]
    assert len(items) == 106
    assert items[:6] == ["22/291", "22/2217", "22/7315", "22/11906", "Meddelelser", "22/12954"]
    for who in "AB":
        assert [i for i in items if i.startswith(f"{who}/")] == [f"{who}/{n}" for n in range(50)]
    # Both really ran at once: their items are interleaved, not one block after the other.
    assert sum(a[0] != b[0] for a, b in itertools.pairwise(items[6:])) >= 5


def _hold_lock(path: str, holding: Event, release: Event) -> None:
    with edit_yaml(Path(path)) as document:
        set_value(document, "slut", "18:00")
        holding.set()
        release.wait(30)


def test_a_second_command_waits_for_the_lock_then_gives_up_with_a_message(
    tmp_path: Path,
) -> None:
    path = _copy(tmp_path, MEETING)
    holding, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold_lock, args=(str(path), holding, release))
    holder.start()
    assert holding.wait(30)
    with (
        pytest.raises(DagsordenError) as caught,
        edit_yaml(path, timeout=0.3, name=MEETING) as document,
    ):
        set_value(document, "slut", "19:00")
    assert str(caught.value) == (
        "agenda/2022-12-06-oek.yaml er i brug af en anden dagsorden-kommando; prøv igen om lidt"
    )
    release.set()
    holder.join(30)
    assert holder.exitcode == 0
    holder.close()
    with edit_yaml(path, timeout=0) as document:
        assert document["slut"] == "18:00"


def test_the_lock_of_a_killed_command_is_free_at_once(tmp_path: Path) -> None:
    path = _copy(tmp_path, MEETING)
    holding, release = FORK.Event(), FORK.Event()
    holder = FORK.Process(target=_hold_lock, args=(str(path), holding, release))
    holder.start()
    assert holding.wait(30)
    holder.kill()
    holder.join(30)
    holder.close()
    with edit_yaml(path, timeout=0) as document:
        assert "18:00" not in str(document["slut"])


# --- a crash at any moment leaves the old file or the new one ----------------------------------

LONG = "Tiltrådt.\n\nKenneth Brogaard Lauritsen (D) tog forbehold frem til behandlingen i KB."


def _toggle(document: CommentedMap) -> None:
    """One recording: count the writes, and switch the first decision between two forms."""
    count = int(document.get("skrevet", "0")) + 1
    set_value(document, "skrevet", str(count))
    set_value(document["punkter"][0], "beslutning", text_value(LONG if count % 2 else "Ja."))


def _record_forever(path: str) -> None:
    while True:
        with edit_yaml(Path(path)) as document:
            _toggle(document)


def test_sigkill_at_any_moment_leaves_the_old_or_the_new_file(tmp_path: Path) -> None:
    path = _copy(tmp_path, MEETING)
    original = path.read_bytes()
    # The two forms the file takes, written by the same code in this process.
    scratch = _copy(tmp_path / "scratch", MEETING)
    forms = {}
    for count in (1, 2):
        with edit_yaml(scratch) as document:
            _toggle(document)
        forms[count % 2] = scratch.read_bytes()

    def expected(count: int) -> bytes:
        if count == 0:
            return original
        return re.sub(rb"(?m)^skrevet: \d+$", b"skrevet: %d" % count, forms[count % 2])

    temporary = re.compile(rf"^\.{re.escape(path.name)}\.[^/]+\.tmp$")
    rng = random.Random(20221206)
    seen = 0
    left_mid_write = 0
    # At least 250 kills; more while too few landed mid-write (a busy machine starts the
    # writer slowly, so early kills find nothing written yet).
    for attempt in range(2000):
        if attempt >= 250 and seen >= 20 and left_mid_write >= 1:
            break
        writer = FORK.Process(target=_record_forever, args=(str(path),))
        writer.start()
        time.sleep(rng.uniform(0, 0.04))
        os.kill(writer.pid or 0, signal.SIGKILL)
        writer.join(10)
        assert writer.exitcode == -signal.SIGKILL  # killed while writing, not failed
        writer.close()

        data = path.read_bytes()
        parsed = yaml.safe_load(data)
        count = int(parsed.get("skrevet", 0))
        assert data == expected(count)
        assert count >= seen, "a finished write was lost"
        seen = count
        leftovers = _others(path)
        assert all(temporary.match(name) for name in leftovers)
        left_mid_write = max(left_mid_write, len(leftovers))
        assert [p.name for p in path.parent.iterdir() if p.suffix in (".yaml", ".yml")] == [
            path.name
        ]
    # The kills did land while writing: writes were done (how many depends on the machine's
    # load), and some kills came after a temporary file was made and before it replaced the
    # data file.
    assert seen >= 20
    assert left_mid_write >= 1

    old = time.time() - 120
    for name in _others(path):
        os.utime(path.parent / name, (old, old))
    with edit_yaml(path) as document:
        _toggle(document)
    assert _others(path) == []
    assert path.read_bytes() == expected(seen + 1)


def test_deleting_keeps_the_comments_that_belong_to_what_follows(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "punkter:\n"
        "  - sag: 22/1\n"
        "    deltog_ikke:\n"
        "      - navn: Bo Berg  # inhabil\n"
        "    # om punkt 1\n"
        "  # punkt 2 kommer fra ØK\n"
        "  - sag: 22/2\n"
        "    afstemning:\n"
        "      for: [A]\n"
        "# slut\n",
        encoding="utf-8",
    )
    with edit_yaml(path) as doc:
        delete_value(doc["punkter"][0], "deltog_ikke", 0)
        delete_value(doc["punkter"][1], "afstemning")
    assert path.read_text(encoding="utf-8") == (
        "punkter:\n"
        "  - sag: 22/1\n"
        "    # om punkt 1\n"
        "  # punkt 2 kommer fra ØK\n"
        "  - sag: 22/2\n"
        "# slut\n"
    )


def test_a_new_file_is_never_written_over_an_existing_one(tmp_path: Path) -> None:
    path = tmp_path / "ny.yaml"
    create_yaml(path, {"udvalg": "ØK", "start": "16:00", "punkter": []}, name="ny.yaml")
    assert path.read_text(encoding="utf-8") == "udvalg: ØK\nstart: 16:00\npunkter: []\n"
    with pytest.raises(DagsordenError, match=r"^ny.yaml findes allerede; intet er skrevet$"):
        create_yaml(path, {"udvalg": "KB"}, name="ny.yaml")
    assert path.read_text(encoding="utf-8").startswith("udvalg: ØK")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ny.yaml"]


def test_a_tagged_value_the_dumper_would_respace_survives_an_edit_elsewhere(
    tmp_path: Path,
) -> None:
    # The merged file is compared with the dump by what the reader reads: a tag of our own
    # (`!ikke-cpr`) is part of that, the spacing around it is not.
    text = (
        "titel:   !ikke-cpr   Aftale med 010203-1234\n"
        "sted:    Rådhuset   \n"
        "punkter:\n"
        "- sag: 22/291\n"
    )
    path = _write(tmp_path, "m.yaml", text)
    with edit_yaml(path) as document:
        set_value(document["punkter"][0], "beslutning", "Godkendt.")
    after = path.read_text(encoding="utf-8")
    assert after == text + "  beslutning: Godkendt.\n"
    node = yaml.compose(after)
    assert isinstance(node, yaml.MappingNode)
    titel = node.value[0][1]
    assert (titel.tag, titel.value) == ("!ikke-cpr", "Aftale med 010203-1234")
