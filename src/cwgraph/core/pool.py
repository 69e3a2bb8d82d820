"""The one bounded worker pool of the build and of ``cwgraph validate``: jobs go to forked worker
processes with a few in flight per worker, results come back in the jobs' order, and the jobs are
drawn only as fast as results are taken, so a reader upstream never runs ahead of the workers.

>>> list(ordered_map(abs, iter([-1, 2, -3]), workers=1))
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["ordered_map"]

J = TypeVar("J")
R = TypeVar("R")


def ordered_map(func: Callable[[J], R], jobs: Iterable[J], workers: int,
                initializer: Callable[..., Any] | None = None, initargs: tuple[Any, ...] = (),
                in_flight: int = 2) -> Iterator[R]:
    """``func`` over ``jobs``, in order. With ``workers`` > 1, in that many processes (forked where the
    platform can, so they inherit what the parent loaded; ``initializer`` runs in each), at most
    ``in_flight`` jobs a worker pending; with 1, in this process (``initializer`` is not called)."""
    if workers <= 1:
        for job in jobs:
            yield func(job)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers, initializer=initializer, initargs=initargs) as pool:
        pending: deque[Any] = deque()
        for job in jobs:
            pending.append(pool.apply_async(func, (job,)))
            if len(pending) >= in_flight * workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
