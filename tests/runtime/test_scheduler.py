"""Scheduler order, fairness and slot accounting (pure, no I/O)."""

from __future__ import annotations

from vdp.runtime.scheduler import AUTOMATIC, INTERACTIVE, RETRY, Scheduler


def drain(scheduler: Scheduler, now: float = 0.0) -> list[str]:
    picked = []
    while (pick := scheduler.next_to_run(now)) is not None:
        picked.append(pick[0])
    return picked


def test_interactive_runs_while_the_backlog_is_paused() -> None:
    s = Scheduler(concurrency=5)
    s.enqueue("auto", AUTOMATIC)
    s.enqueue("user", INTERACTIVE)
    assert drain(s) == ["user"]
    s.backlog_running = True
    assert drain(s) == ["auto"]


def test_priority_then_fifo() -> None:
    s = Scheduler(concurrency=10)
    s.backlog_running = True
    for n, prio in enumerate([0, 5, 0, 5]):
        s.enqueue(f"t{n}", AUTOMATIC, priority=prio)
    assert drain(s) == ["t1", "t3", "t0", "t2"]


def test_a_start_at_the_limit_queues_and_runs_when_a_slot_frees() -> None:
    s = Scheduler(concurrency=1)
    s.enqueue("a", INTERACTIVE)
    s.enqueue("b", INTERACTIVE)
    assert drain(s) == ["a"]
    assert s.queue_of("b") == INTERACTIVE
    s.release("a")
    assert drain(s) == ["b"]


def test_retries_and_backlog_take_turns() -> None:
    s = Scheduler(concurrency=1)
    s.backlog_running = True
    for n in range(3):
        s.enqueue(f"r{n}", RETRY, ready_at=0.0)
        s.enqueue(f"a{n}", AUTOMATIC)
    order = []
    for _ in range(6):
        (task_id,) = drain(s)
        order.append(task_id)
        s.release(task_id)
    assert order == ["a0", "r0", "a1", "r1", "a2", "r2"]


def test_a_retry_waits_for_its_time() -> None:
    s = Scheduler(concurrency=2)
    s.enqueue("r", RETRY, ready_at=10.0)
    assert drain(s, now=9.9) == []
    assert s.next_retry_at() == 10.0
    assert drain(s, now=10.0) == ["r"]


def test_a_paused_task_keeps_its_slot_from_automatic_fill_but_not_from_the_user() -> None:
    s = Scheduler(concurrency=1)
    s.backlog_running = True
    s.enqueue("running", INTERACTIVE)
    assert drain(s) == ["running"]
    s.release("running")
    s.reserve("running")  # paused by the user
    s.enqueue("backlog", AUTOMATIC)
    assert drain(s) == []
    s.enqueue("clicked", INTERACTIVE)
    assert drain(s) == ["clicked"]


def test_lowering_concurrency_stops_new_starts_without_killing_any() -> None:
    s = Scheduler(concurrency=3)
    s.backlog_running = True
    for n in range(5):
        s.enqueue(f"t{n}", AUTOMATIC)
    assert drain(s) == ["t0", "t1", "t2"]
    s.concurrency = 1
    s.release("t0")
    assert drain(s) == []
    s.release("t1")
    s.release("t2")
    assert drain(s) == ["t3"]


def test_priority_change_reorders_a_queued_task() -> None:
    s = Scheduler(concurrency=1)
    s.backlog_running = True
    s.enqueue("a", AUTOMATIC, order=1)
    s.enqueue("b", AUTOMATIC, order=2)
    s.enqueue("b", AUTOMATIC, order=2, priority=9)
    assert drain(s) == ["b"]


def test_a_finishing_task_gives_its_slot_to_the_next_and_at_most_concurrency_finish_at_once() -> None:
    s = Scheduler(concurrency=1)
    for task_id in "abc":
        s.enqueue(task_id, INTERACTIVE)
    assert drain(s) == ["a"]
    s.finish("a")  # every byte in: its fsync and rename no longer hold the slot
    assert drain(s) == ["b"]
    s.finish("b")  # one is finishing already: b keeps its slot
    assert drain(s) == [] and s.finishing == {"a"}
    s.release("a")
    assert drain(s) == [] and s.finishing == set()  # b still holds the slot it kept
    s.release("b")
    assert drain(s) == ["c"]


def test_finishing_a_task_that_holds_no_slot_changes_nothing() -> None:
    s = Scheduler(concurrency=2)
    s.finish("never-dispatched")
    assert s.finishing == set() and s.free_slots == 2
