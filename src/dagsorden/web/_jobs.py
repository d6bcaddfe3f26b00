"""Long work (a build, a freezing with PDFs) in a thread of its own, with its progress, so the
server keeps answering while LibreOffice works: the page asks for the progress again."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field

from ..errors import DagsordenError, ProblemsError

__all__ = ["Job", "Jobs"]


@dataclass
class Job:
    """One piece of work for a meeting: what it does, how far it is, and how it ended."""

    id: str
    meeting: str
    what: str
    step: str = "Starter"
    done: int = 0
    total: int = 0
    finished: bool = False
    error: str | None = None
    result: list[str] = field(default_factory=list)

    def progress(self, total: int, label: str) -> AbstractContextManager[Callable[[str], None]]:
        """The library's progress callback (build.Progress): one step with `total` parts."""

        @contextmanager
        def step() -> Iterator[Callable[[str], None]]:
            self.step, self.total, self.done = label, total, 0

            def advance(name: str) -> None:
                self.done += 1

            yield advance

        return step()


class Jobs:
    """The jobs of this server, one running per meeting at a time."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def running(self, meeting: str) -> Job | None:
        return next(
            (j for j in self._jobs.values() if j.meeting == meeting and not j.finished), None
        )

    def start(self, meeting: str, what: str, work: Callable[[Job], list[str]]) -> Job:
        """Run `work(job)` in a thread; it returns the lines to show when it is done."""
        with self._lock:
            busy = self.running(meeting)
            if busy is not None:
                return busy
            job = Job(secrets.token_hex(8), meeting, what)
            self._jobs[job.id] = job

        def run() -> None:
            try:
                job.result = work(job)
            except ProblemsError as exc:
                job.error = "\n".join(p.render() for p in exc.problems if p.is_error) or str(exc)
            except DagsordenError as exc:
                job.error = str(exc)
            except Exception:  # the page must say it ended, whatever happened
                job.error = "intern fejl i dagsorden; kør samme handling i terminalen med --debug"
            finally:
                job.finished = True

        threading.Thread(target=run, name=f"dagsorden-{what}-{meeting}", daemon=True).start()
        return job
