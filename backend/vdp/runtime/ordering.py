"""Moving tasks in the queue order: the selection moves as one, keeping its own order (`move_tasks`)."""

from __future__ import annotations

from typing import Collection, Literal, Sequence

Direction = Literal["up", "down", "top", "bottom"]


def moved(order: Sequence[str], selected: Collection[str], direction: Direction) -> list[str]:
    """`order` with the `selected` ids moved one place up or down (each past its unselected neighbour, so a block
    moves as a block) or to the top or bottom."""
    chosen = set(selected)
    if direction == "top":
        return [i for i in order if i in chosen] + [i for i in order if i not in chosen]
    if direction == "bottom":
        return [i for i in order if i not in chosen] + [i for i in order if i in chosen]
    result = list(order) if direction == "up" else list(reversed(order))
    for n in range(1, len(result)):
        if result[n] in chosen and result[n - 1] not in chosen:
            result[n - 1], result[n] = result[n], result[n - 1]
    return result if direction == "up" else result[::-1]
