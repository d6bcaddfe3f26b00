"""The year at a glance: what needs doing next, as the web app's front page lists it."""

from __future__ import annotations

import datetime as dt

from conftest import MINIMAL_FILES, MakeProject
from dagsorden.load import load_project
from dagsorden.overview import next_steps, year_overview

ORGANISATION = MINIMAL_FILES["organisation.yaml"].replace(
    "          ØK:\n            navn: Økonomiudvalget\n",
    "          ØK:\n            navn: Økonomiudvalget\n          KB:\n"
    "            navn: Kommunalbestyrelsen\n",
)


def test_the_next_steps_follow_each_meeting_and_the_sagsgang(make_project: MakeProject) -> None:
    root = make_project(
        {
            "organisation.yaml": ORGANISATION,
            "cases/22-1.yaml": MINIMAL_FILES["cases/22-1.yaml"].replace(
                "sagsgang: [ØK]", "sagsgang: [ØK, KB]"
            ),
            "agenda/2023-01-10-oek.yaml": """\
                udvalg: ØK
                dato: 2023-01-10
                start: 16:00
                sted: Mødelokale 1
                status: afholdt
                punkter:
                  - sag: 22/1
                    beslutning: Anbefales.
                """,
            "agenda/2023-02-14-oek.yaml": "udvalg: ØK\ndato: 2023-02-14\nstart: 16:00\n"
            "sted: Mødelokale 1\n",
        }
    )
    project, problems = load_project(root)
    assert problems.errors == []
    steps = [s.text for s in next_steps(project, dt.date(2023, 2, 1))]
    assert steps == [
        "Få protokollen fra ØK 10-01-2023 godkendt",
        "Sæt punkter på dagsordenen til ØK 14-02-2023",
        "Sag 22/1 (Budget 2023) venter på KB efter ØK 10-01-2023",
    ]
    later = [s.text for s in next_steps(project, dt.date(2023, 3, 1))]
    assert later[1] == "Skriv beslutningerne fra ØK 14-02-2023 og sæt status afholdt"
    (body,) = year_overview(project, 2023)
    assert body.name == "Økonomiudvalget"
    assert [(m.date.day, m.status, m.items, m.decided) for m in body.meetings] == [
        (10, "afholdt", 1, 1),
        (14, "planlagt", 0, 0),
    ]
