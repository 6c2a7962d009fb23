"""The importers' side of the import pool (vdp/import_pool.py): a reader stops when its import must."""

from __future__ import annotations

from ..import_pool import budget_problem, hand_over
from ._failure import ParseFailure


def check_budget() -> None:
    """Raise ParseFailure when the running import was cancelled or is out of time (no-op outside the pool); called
    between reads, it is also where a long read steps aside for the event loop (`hand_over`)."""
    problem = budget_problem()
    if problem:
        raise ParseFailure(problem)
    hand_over()
