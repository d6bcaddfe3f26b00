"""Build a meeting's documents: load, check, make the contexts, render, write."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._nodes import suggest
from .check import check_project, check_public_text
from .context import DocumentKind, Edition, build_context, case_history
from .errors import DagsordenError, Problem, ProblemsError
from .load import load_project
from .model import Meeting, Project
from .render import find_template, render_document, save_documents

__all__ = [
    "Built",
    "build",
    "check",
    "context_for",
    "output_path",
    "planned_documents",
    "select_meetings",
]


@dataclass(frozen=True)
class Built:
    meeting: str
    kind: DocumentKind
    edition: Edition
    path: Path


def check(root: Path, *, strict: bool = False) -> tuple[Project, list[Problem]]:
    """Load and check the project; raise with every problem if anything is wrong.

    Returns the project and its warnings when it may be built. With `strict`, warnings
    count as errors.
    """
    project, problems = load_project(root)
    broken = {p.location.file for p in problems.errors}
    check_project(
        project,
        problems,
        organisation_complete="organisation.yaml" not in broken,
        cases_complete=not any(f.startswith("cases/") for f in broken),
    )
    if not problems.errors and project.cpr_candidates:
        check_public_text(project, list(_public_strings(project)), problems)
    found = problems.sorted()
    if any(p.is_error for p in found) or (strict and found):
        raise ProblemsError(found)
    return project, found


def _public_strings(project: Project) -> Iterator[str]:
    """Every text of every public document the project can make."""
    history = case_history(project)
    for meeting in project.meetings.values():
        for kind in DocumentKind:
            yield from _strings(build_context(project, meeting, kind, Edition.PUBLIC, history))


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def planned_documents(meeting: Meeting) -> list[DocumentKind]:
    """The agenda always; the minutes once the meeting has decisions."""
    kinds = [DocumentKind.AGENDA]
    if meeting.has_decisions:
        kinds.append(DocumentKind.MINUTES)
    return kinds


def select_meetings(project: Project, names: Iterable[str]) -> list[Meeting]:
    wanted = list(names)
    if not wanted:
        return sorted(project.meetings.values(), key=lambda m: m.sort_key)
    meetings = []
    for name in wanted:
        key = Path(name).stem if name.endswith((".yaml", ".yml")) else name
        if key not in project.meetings:
            known = tuple(project.meetings)
            raise DagsordenError(
                f"ukendt møde '{name}' (kendte: {', '.join(known) or 'ingen'}){suggest(key, known)}"
            )
        meetings.append(project.meetings[key])
    return meetings


def output_path(
    out: Path, project: Project, meeting: Meeting, kind: DocumentKind, edition: Edition
) -> Path:
    """out/<møde>/<dagsorden|referat|…>-<intern|offentlig>.docx: the name says the edition."""
    assert project.organisation is not None
    body = project.organisation.bodies[meeting.body.name]
    word = "dagsorden" if kind is DocumentKind.AGENDA else body.minutes_title.lower()
    return out / meeting.name / f"{word}-{edition.value}.docx"


def build(
    root: Path,
    names: Iterable[str] = (),
    *,
    out: Path | None = None,
    strict: bool = False,
) -> tuple[list[Built], list[Problem]]:
    """Build the documents of the named meetings (all when none are named).

    Everything is rendered in memory first and written only when all of it succeeded, so a
    broken template or bad data leaves the previous documents as they were.
    """
    project, warnings = check(root, strict=strict)
    out = out or root / "out"
    history = case_history(project)
    rendered: list[tuple[Built, Any]] = []
    for meeting in select_meetings(project, names):
        for kind in planned_documents(meeting):
            template = find_template(root, f"{kind.value}.docx")
            shown = _shown(root, template)
            for edition in Edition:
                context = build_context(project, meeting, kind, edition, history)
                doc = context["document"]
                title = (
                    f"{context['meeting']['header']} {doc['title'].capitalize()}"
                    f" ({doc['edition_label'].lower()})"
                )
                document = render_document(template, context, title=title, shown_name=shown)
                path = output_path(out, project, meeting, kind, edition)
                rendered.append((Built(meeting.name, kind, edition, path), document))
    save_documents([(document, built.path) for built, document in rendered])
    return [b for b, _ in rendered], warnings


def _shown(root: Path, template: Path) -> str:
    return template.relative_to(root).as_posix() if template.is_relative_to(root) else template.name


def context_for(
    root: Path, name: str, kind: DocumentKind, edition: Edition = Edition.INTERNAL
) -> dict[str, Any]:
    """The template context of one document, for secretaries who edit templates."""
    project, _ = check(root)
    (meeting,) = select_meetings(project, [name])
    return build_context(project, meeting, kind, edition)
