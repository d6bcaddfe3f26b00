"""A new data project for a municipality: `dagsorden ny MAPPE`.

The folder gets a commented organisation file to fill in, one template for agenda and minutes
(the built-in one, to restyle once in Word), one example case and one example meeting that
pass `tjek` as they are, so the first `byg` gives documents to look at. Everything is written
into a hidden folder beside the target and renamed into place, so a failure leaves nothing.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

from ._templates import SHARED_TEMPLATE, builtin_template
from .errors import DagsordenError

__all__ = ["new_project"]

_ORGANISATION = """\
# {kommune}: kommunen, udvalgene og personerne. Alle nøgler er beskrevet i docs/format.md.
# Ret navnene og tilføj jeres udvalg og medlemmer; 'dagsorden tjek' siger, hvis noget mangler.
kommune: {kommune}

# Formen på jeres numre, hvis den ikke er ÅÅ/løbenummer (sager) og løbenummer/ÅÅ (dokumenter).
# numre:
#   sagsnr: KLE                   # KLE-journalnumre, fx 01.02.05-P16-3-26
#   dokumentnr:
#     mønster: '\\d{{4}}-\\d{{6}}-\\d+'   # et regulært udtryk, som hele nummeret skal passe til
#     eksempel: 2026-012345-12     # vises i tjek's fejlbesked
#   bilag_id: tal                 # mødesystemets id på bilag; udelad, hvis I ikke har et

# De faste ord, som ikke står i skabelonen (se docs/format.md, Ordlyd), fx:
# ordlyd:
#   deltog_ikke: "{{navn}} deltog ikke i behandlingen af punktet."
#   intern_udgave: Til udvalgets medlemmer

# Rækkefølgen af roller på forsiden; medlemmer uden rolle kommer efter.
rolleorden: [Formand, Næstformand]

# De afsnit, en sag kan have, i den rækkefølge de skal stå.
standardafsnit:
  - Sagsfremstilling
  - Økonomiske konsekvenser

udvalg:
  ØK:
    navn: Økonomiudvalget
    protokoltitel: BESLUTNINGSPROTOKOL   # eller REFERAT, BESLUTNINGSREFERAT
    # medlemsorden: [Anna Andersen, Bo Berg]   # udvalgets egen rækkefølge på forsiden

# Personerne med deres medlemskaber (med datoer: et udvalg skifter medlemmer i valgperioden).
personer:
  Anna Andersen:
    - udvalg: ØK
      parti: A
      rolle: Formand
      fra: {year}-01-01
  Bo Berg:
    - udvalg: ØK
      parti: V
      fra: {year}-01-01
      # navn: Bo Berg-Hansen          # et andet navn i en periode (fx efter giftermål)
"""

_CASE = """\
# En sag: én fil pr. sag i cases/. Sagsnummeret er den nøgle, møderne bruger (sag: …).
sagsnr: {number}
titel: Budgetopfølgning
adgang: Åben
sagsgang: [ØK]
afsnit:
  Sagsfremstilling: |
    Økonomiudvalget får forelagt en samlet budgetopfølgning.

    - Driften forventes at holde budgettet.
    - Anlægsprojekterne følger tidsplanen.
  Økonomiske konsekvenser: |
    Ingen.
indstilling: |
  Direktøren indstiller, at budgetopfølgningen tages til efterretning.
# bilag:
#   - titel: Budgetopfølgning, samlet oversigt
#     fil: bilag/budgetopfoelgning.pdf
"""

_MEETING = """\
# Et møde: én fil pr. møde i agenda/; filnavnet er mødets navn på kommandolinjen.
udvalg: ØK
dato: {date}
start: 16:00
slut: 18:00
sted: Mødelokale 1, Rådhuset
punkter:
  - sag: {number}
  - titel: Meddelelser
    tekst: |
      - Orientering om mødeplanen.
"""

_GITIGNORE = "out/\n.dagsorden/\n"


def new_project(folder: Path, municipality: str, today: dt.date | None = None) -> list[Path]:
    """Create the data project `folder` (which must be new or empty); return the files made,
    relative to it."""
    today = today or dt.date.today()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "en mappe, der ikke er tom" if folder.is_dir() else "en fil"
        raise DagsordenError(
            f"{folder} er {what}; vælg en ny mappe til kommunen, så intet bliver overskrevet"
        )
    number = f"{today:%y}/1"
    meeting = today + dt.timedelta(days=14)
    files = {
        "organisation.yaml": _ORGANISATION.format(kommune=municipality, year=today.year),
        f"cases/{today:%y}-1.yaml": _CASE.format(number=number),
        f"agenda/{meeting.isoformat()}-oek.yaml": _MEETING.format(
            date=meeting.isoformat(), number=number
        ),
        ".gitignore": _GITIGNORE,
    }
    parent = folder.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=parent))
    except OSError as exc:
        raise DagsordenError(f"kan ikke oprette {folder}: {exc.strerror}") from exc
    try:
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        (staging / "templates").mkdir()
        shutil.copyfile(builtin_template("dagsorden.docx"), staging / "templates" / SHARED_TEMPLATE)
        (staging / "bilag").mkdir()
        os.chmod(staging, 0o777 & ~_umask())
        if folder.exists():
            folder.rmdir()  # empty, checked above
        os.replace(staging, folder)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise DagsordenError(f"kan ikke oprette {folder}: {exc.strerror}") from exc
    return [Path(name) for name in (*files, f"templates/{SHARED_TEMPLATE}")]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
