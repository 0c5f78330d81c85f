"""The batch's pool of warm worker processes, used from the event loop.

Reading and rendering are CPU work: they run in worker processes (one per
core by default, `batch.make_pool`: forked warm from a fork server, never
from the threaded server itself), so the event loop stays free to answer
other requests, the health check among them. Workers run at a lower CPU
priority than the server; each job has a time limit (enforced inside the
worker); a worker that dies is replaced by a fresh pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from communique.batch import default_jobs, make_pool
from communique.web import jobs

_T = TypeVar("_T")


def default_workers() -> int:
    """The cores this process may use."""
    return max(1, default_jobs())


class RenderPool:
    """The server's workers and the jobs waiting for them."""

    def __init__(self, workers: int, time_limit: float, max_waiting: int = 500) -> None:
        self.workers = workers
        self.time_limit = time_limit
        self.max_waiting = max_waiting
        self._waiting = 0  # jobs submitted and not yet finished
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        self._executor = make_pool(self.workers, niceness=jobs.WORKER_NICENESS, warm=jobs.warm_up)
        for _ in range(self.workers):  # start every worker now, not in the middle of a burst
            self._executor.submit(jobs.ready)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    async def run(self, job: Callable[..., _T], *args: Any) -> _T:
        """Run a job in a worker; `jobs.JobError` reports the user's problem."""
        if self._executor is None:
            self.start()
        assert self._executor is not None
        if self._waiting >= self.max_waiting:
            raise jobs.JobError("the server is busy; please try again in a moment", status=503)
        executor = self._executor
        loop = asyncio.get_running_loop()
        self._waiting += 1
        try:
            return await loop.run_in_executor(executor, jobs.run_limited, self.time_limit, job, *args)
        except BrokenProcessPool:
            if self._executor is executor:  # the first request to notice replaces the pool
                executor.shutdown(wait=False, cancel_futures=True)
                self.start()
            raise jobs.JobError("a rendering worker stopped unexpectedly; please try again", status=503) from None
        finally:
            self._waiting -= 1
