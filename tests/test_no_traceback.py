"""No input, however broken, gives a Python traceback: every problem is a message and exit code 1.

Exit code 3 means the CLI caught an exception of its own; it hides the traceback from the user,
but it is still a crash, so these tests fail on it and show the input with its traceback.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest import TempPathFactory

from conftest import MINIMAL_FILES, ROOT
from dagsorden.cli import main
from dagsorden.load import KEYS

Files = Mapping[str, str | bytes]

MINIMAL: dict[str, str] = {name: textwrap.dedent(text) for name, text in MINIMAL_FILES.items()}

# The example project, cut down to what one meeting needs, so building it stays fast.
EXAMPLE_MEETING = "2023-03-02-hu"
EXAMPLE: dict[str, str] = {
    name: (ROOT / name).read_text(encoding="utf-8")
    for name in (
        "organisation.yaml",
        "cases/22-291.yaml",
        "cases/23-1532.yaml",
        f"agenda/{EXAMPLE_MEETING}.yaml",
    )
}

# The kind of record at the top of each file, for the structured generator.
FILE_KINDS = {
    "organisation.yaml": "organisation",
    "cases/22-1.yaml": "sag",
    "agenda/2023-01-10-oek.yaml": "møde",
}

SETTINGS = settings(
    deadline=None,
    database=None,  # never write .hypothesis/ into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- running the CLI -------------------------------------------------------------------------


def _run(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue() + err.getvalue()


def _write(root: Path, files: Files) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # newline="" keeps a generated \r as it is: a file from Windows has them too.
            with path.open("w", encoding="utf-8", errors="surrogatepass", newline="") as f:
                f.write(content)


def _files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def assert_no_traceback(base: Path, files: Files, meetings: tuple[str, ...] = ()) -> None:
    """tjek and byg on the project made of `files` end in 0 or 1, never in a traceback.

    Each example gets a fresh folder under `base` (hypothesis runs many examples in one test).
    """
    with tempfile.TemporaryDirectory(dir=base) as tmp:
        root = Path(tmp) / "projekt"
        out = Path(tmp) / "ud"
        root.mkdir()
        _write(root, files)
        for args in (
            ["tjek", "--projekt", str(root)],
            ["byg", *meetings, "--projekt", str(root), "--ud", str(out)],
        ):
            code, shown = _run(args)
            if code == 3:
                shown += "\nmed --debug:\n" + _run(["--debug", *args])[1]
            assert code in (0, 1), f"dagsorden {args[0]} gave exit code {code}:\n{shown}"
            assert "Traceback" not in shown, shown
            if args[0] == "tjek":
                checked = code
        # tjek and byg judge the data alike; byg on bad data writes nothing at all.
        assert code == checked, f"tjek gave {checked}, byg gave {code}:\n{shown}"
        if code == 1:
            assert _files_in(out) == []
        else:
            assert _files_in(out), "byg succeeded but wrote no documents"


# -- strategies ------------------------------------------------------------------------------

YAML_CHARS = (
    "abcdefghijklmnopqrstuvwxyzæøåÆØÅ ABCKØU0123456789"
    ":-[]{}\"'&*!|>#%@`,?.\\/~"
    "\t\n\r "
    "\x00\x07\x0b\x0c\x1b\x7f\x85\u2028\ufeff\ufffe€é😀"
)
TOKENS = [
    *(f"{key}: " for kind in KEYS.values() for key in kind),
    "\n",
    "\n  ",
    "\n    ",
    "  ",
    "- ",
    "\n- ",
    "\n  - ",
    ": ",
    ":",
    "|\n  ",
    ">-\n  ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "? ",
    "<<: ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "#",
    '"',
    "'",
    "\\x0b",
    "\\u2028",
    "\t",
    "\x0b",
    "ØK",
    "22/1",
    "Bo Berg",
    "2023-01-10",
    "16:00",
    "~",
    "ja",
    "no",
]

random_text = st.one_of(
    st.text(alphabet=YAML_CHARS, max_size=200),
    st.lists(st.sampled_from(TOKENS), max_size=40).map("".join),
    st.text(max_size=100),
)

SCALARS = [
    "",
    " ",
    "ØK",
    "ØU",
    "22/1",
    "22/2",
    "2022-1",
    "Anna Andersen",
    "Bo Berg",
    "2023-01-10",
    "2022-01-01",
    "2023-02-30",
    "0000-01-01",
    "9999-12-31",
    "10-01-2023",
    "16:00",
    "8.30",
    "25:00",
    "24:00",
    "ja",
    "nej",
    "no",
    "~",
    "null",
    "Åben",
    "Lukket",
    "inhabil",
    "forlod mødet",
    "Sagsfremstilling",
    "Økonomiske konsekvenser",
    "REFERAT",
    "151433/22",
    "bilag/plan.pdf",
    "../../etc/passwd",
    "/",
    "2023-01-10-oek",
    "- a\n  - b\n- c",
    "1. en\n2. to\n\nafsnit",
    "**fed** og *kursiv* og ***begge***",
    "linje  \nny linje\\\nsidste",
    "# overskrift\n<b>html</b> [link](http://x)",
    "Budget\x0b2023",
    "side\x0cskift",
    "celle\x07skift",
    "\r\nwindows\r\n",
    "{{ municipality }}{% if x %}",
    "<w:t>&amp;</w:t> & < >",
    "\u200b\u2028\u2029\x85",
    "😀" * 3,
]
scalars = st.one_of(
    st.sampled_from(SCALARS),
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(),
    st.dates(),
)
anything = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(SCALARS) | st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=12,
)


def _record(kind: str) -> st.SearchStrategy[dict[str, object]]:
    """A record of `kind`: a subset of its keys (maybe a wrong one), values mostly well-typed."""
    keys = list(KEYS[kind])
    return st.dictionaries(
        st.sampled_from(keys) | st.sampled_from(["titl", "Titel", "x"]),
        anything,
        max_size=len(keys) + 1,
    ).flatmap(lambda partial: _well_typed(kind, partial))


def _well_typed(kind: str, partial: dict[str, object]) -> st.SearchStrategy[dict[str, object]]:
    # For each key, either keep the random value or draw one of the shape the format wants.
    shaped = {key: _shape(kind, key) for key in partial}
    return st.fixed_dictionaries(
        {key: st.one_of(st.just(value), shaped[key]) for key, value in partial.items()}
    )


def _shape(kind: str, key: str) -> st.SearchStrategy[object]:
    texts = st.lists(scalars, max_size=3)
    shapes: dict[tuple[str, str], st.SearchStrategy[object]] = {
        ("organisation", "udvalg"): st.dictionaries(
            st.sampled_from(["ØK", "KB", "HU", ""]), _record("udvalg"), max_size=2
        ),
        ("organisation", "personer"): st.dictionaries(
            st.sampled_from(["Anna Andersen", "Bo Berg", "Cy"]),
            st.lists(_record("medlemskab"), max_size=2),
            max_size=2,
        ),
        ("organisation", "standardafsnit"): texts,
        ("udvalg", "afsnit"): texts,
        ("sag", "sagsgang"): texts,
        ("sag", "afsnit"): st.dictionaries(st.sampled_from(SCALARS), scalars, max_size=3),
        ("sag", "bilag"): st.lists(_record("bilag"), max_size=2),
        ("møde", "afbud"): texts,
        ("møde", "punkter"): st.lists(_record("punkt"), max_size=3),
        ("punkt", "deltog_ikke"): st.lists(_record("deltog_ikke"), max_size=2),
        ("punkt", "protokolbemærkninger"): texts,
    }
    return shapes.get((kind, key), scalars)


def _dump(value: object) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


structured = st.sampled_from(sorted(FILE_KINDS)).flatmap(
    lambda name: st.tuples(st.just(name), _record(FILE_KINDS[name]).map(_dump))
)


@st.composite
def mutated(draw: st.DrawFn, source: str) -> str:
    """`source` with a few random edits of characters or whole lines."""
    text = source
    for _ in range(draw(st.integers(1, 4))):
        lines = text.splitlines(keepends=True) or [""]
        edit = draw(
            st.sampled_from(
                ["delete", "insert", "replace", "drop line", "copy line", "indent", "dedent"]
            )
        )
        if edit in ("delete", "insert", "replace"):
            at = draw(st.integers(0, len(text)))
            size = draw(st.integers(0, 3)) if edit != "insert" else 0
            new = "" if edit == "delete" else draw(st.text(alphabet=YAML_CHARS, max_size=3))
            text = text[:at] + new + text[at + size :]
            continue
        i = draw(st.integers(0, len(lines) - 1))
        if edit == "drop line":
            del lines[i]
        elif edit == "copy line":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif edit == "indent":
            lines[i] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[i]
        else:
            lines[i] = lines[i][draw(st.integers(1, 2)) :]
        text = "".join(lines)
    return text


# A valid project that uses every key, as data; random text is put in its names and texts.
RICH: dict[str, object] = {
    "organisation.yaml": {
        "kommune": "Testrup Kommune",
        "standardafsnit": ["Sagsfremstilling", "Økonomiske konsekvenser"],
        "udvalg": {"ØK": {"navn": "Økonomiudvalget", "protokoltitel": "REFERAT", "afsnit": None}},
        "personer": {
            "Anna Andersen": [
                {"udvalg": "ØK", "parti": "A", "rolle": "Formand", "fra": "2022-01-01"}
            ],
            "Bo Berg": [
                {
                    "udvalg": "ØK",
                    "organisation": "FOA",
                    "stilling": "Chef",
                    "fra": "2022-01-01",
                    "til": "2025-12-31",
                }
            ],
        },
    },
    "cases/22-1.yaml": {
        "sagsnr": "22/1",
        "kle": "00.01.00P35",
        "titel": "Budget 2023",
        "adgang": "Lukket",
        "sagsgang": ["ØK"],
        "afsnit": {"Sagsfremstilling": "Teksten.", "Økonomiske konsekvenser": "Ingen."},
        "indstilling": "Direktøren indstiller.",
        "bilag": [{"id": "1", "titel": "Plan", "dokumentnr": "1/22", "adgang": "Åben"}],
    },
    "agenda/2023-01-10-oek.yaml": {
        "udvalg": "ØK",
        "dato": "2023-01-10",
        "start": "16:00",
        "slut": "18:00",
        "sted": "Mødelokale 1",
        "afbud": ["Anna Andersen"],
        "punkter": [
            {
                "sag": "22/1",
                "indstilling": "Formanden indstiller.",
                "beslutning": "Godkendt.",
                "deltog_ikke": [{"navn": "Bo Berg", "årsag": "inhabil"}],
                "protokolbemærkninger": ["Bo Berg var imod."],
            },
            {
                "titel": "Meddelelser",
                "tekst": "- en\n- to",
                "beslutning": "Taget til efterretning.",
            },
        ],
    },
}
# Every name and text in RICH; a renamed person or body is renamed everywhere it is used.
RICH_WORDS = sorted(
    {
        "Anna Andersen",
        "Bo Berg",
        "ØK",
        "Sagsfremstilling",
        "Økonomiudvalget",
        "Testrup Kommune",
        "Budget 2023",
        "Teksten.",
        "Ingen.",
        "Mødelokale 1",
        "Godkendt.",
        "Meddelelser",
        "Plan",
        "Direktøren indstiller.",
        "Formanden indstiller.",
        "Bo Berg var imod.",
        "- en\n- to",
        "Chef",
        "FOA",
        "A",
        "Formand",
        "00.01.00P35",
        "1",
    }
)


def _renamed(tree: object, names: dict[str, str]) -> object:
    if isinstance(tree, dict):
        return {names.get(k, k): _renamed(v, names) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_renamed(v, names) for v in tree]
    return names.get(tree, tree) if isinstance(tree, str) else tree


renamed_rich = st.dictionaries(
    st.sampled_from(RICH_WORDS),
    st.one_of(st.sampled_from(SCALARS), st.text(max_size=40), st.text(YAML_CHARS, max_size=40)),
    min_size=1,
    max_size=4,
).map(lambda names: {n: _dump(_renamed(tree, names)) for n, tree in RICH.items()})


# -- the properties --------------------------------------------------------------------------


@settings(SETTINGS, max_examples=400)
@given(name=st.sampled_from(sorted(MINIMAL)), text=random_text)
def test_random_text_in_any_file(tmp_path_factory: TempPathFactory, name: str, text: str) -> None:
    assert_no_traceback(tmp_path_factory.getbasetemp(), {**MINIMAL, name: text})


@settings(SETTINGS, max_examples=40)
@given(
    name=st.sampled_from(sorted(MINIMAL)),
    content=st.binary(max_size=80)
    | st.text(max_size=40).map(lambda t: t.encode("latin-1", "replace")),
)
def test_bytes_in_any_file(tmp_path_factory: TempPathFactory, name: str, content: bytes) -> None:
    assert_no_traceback(tmp_path_factory.getbasetemp(), {**MINIMAL, name: content})


@settings(SETTINGS, max_examples=250)
@given(data=st.data(), name=st.sampled_from(sorted(MINIMAL)))
def test_edits_of_the_minimal_project(
    tmp_path_factory: TempPathFactory, data: st.DataObject, name: str
) -> None:
    text = data.draw(mutated(MINIMAL[name]), label="text")
    assert_no_traceback(tmp_path_factory.getbasetemp(), {**MINIMAL, name: text})


@settings(SETTINGS, max_examples=80)
@given(data=st.data(), name=st.sampled_from(sorted(EXAMPLE)))
def test_edits_of_the_example_project(
    tmp_path_factory: TempPathFactory, data: st.DataObject, name: str
) -> None:
    text = data.draw(mutated(EXAMPLE[name]), label="text")
    assert_no_traceback(tmp_path_factory.getbasetemp(), {**EXAMPLE, name: text}, (EXAMPLE_MEETING,))


@settings(SETTINGS, max_examples=250)
@given(file=structured)
def test_generated_records(tmp_path_factory: TempPathFactory, file: tuple[str, str]) -> None:
    name, text = file
    assert_no_traceback(tmp_path_factory.getbasetemp(), {**MINIMAL, name: text})


@settings(SETTINGS, max_examples=150)
@given(files=renamed_rich)
def test_any_names_and_texts_in_a_full_project(
    tmp_path_factory: TempPathFactory, files: dict[str, str]
) -> None:
    assert_no_traceback(tmp_path_factory.getbasetemp(), files)


def test_output_folder_blocked_by_a_file_is_a_message(tmp_path: Path) -> None:
    # Found by hand: a file where byg wants a meeting's folder was an internal error (exit 3).
    root = tmp_path / "projekt"
    _write(root, MINIMAL)
    out = tmp_path / "ud"
    out.mkdir()
    (out / "2023-01-10-oek").write_text("ikke en mappe", encoding="utf-8")
    code, shown = _run(["byg", "--projekt", str(root), "--ud", str(out)])
    assert code == 1, shown
    assert "2023-01-10-oek" in shown
    assert "Traceback" not in shown
