"""The transition table: every legal move accepted, every other refused."""

from __future__ import annotations

import itertools

import pytest

from vdp.contract import TaskStatus
from vdp.runtime.lifecycle import TRANSITIONS, IllegalTransition, check_transition

LEGAL = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}


@pytest.mark.parametrize("pair", sorted(LEGAL, key=str), ids=lambda p: f"{p[0].value}->{p[1].value}")
def test_legal_transitions_pass(pair: tuple[TaskStatus, TaskStatus]) -> None:
    check_transition("t", *pair)


@pytest.mark.parametrize(
    "pair", sorted(set(itertools.product(TaskStatus, TaskStatus)) - LEGAL, key=str),
    ids=lambda p: f"{p[0].value}->{p[1].value}")
def test_illegal_transitions_are_refused(pair: tuple[TaskStatus, TaskStatus]) -> None:
    with pytest.raises(IllegalTransition, match=f"cannot move from {pair[0].value} to {pair[1].value}"):
        check_transition("t", *pair)


def test_completed_is_final_and_every_status_is_in_the_table() -> None:
    assert set(TRANSITIONS) == set(TaskStatus)
    assert TRANSITIONS[TaskStatus.COMPLETED] == frozenset()
    after_downloading = TRANSITIONS[TaskStatus.DOWNLOADING]
    assert TaskStatus.COMPLETING in after_downloading and TaskStatus.COMPLETED not in after_downloading
