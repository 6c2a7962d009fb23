"""Retry policy: exponential backoff with jitter, honouring a server's Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Optional

# Seconds before the first retry; each next one waits twice as long. With the default 3 retries a task keeps trying
# for some 14 s (2 + 4 + 8) before it fails: long enough for a Wi-Fi that reconnects or a server that restarts.
# (0.5 s gave a dropped network 3.5 s, and a whole batch failed with it.)
BASE_DELAY = 2.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 3  # retries after the first try
    base_delay: float = field(default_factory=lambda: BASE_DELAY)
    max_delay: float = 60.0
    jitter: float = 0.2

    def delay(self, attempt: int, retry_after: Optional[float] = None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_delay * 5)
        raw = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return float(raw * (1 + random.uniform(-self.jitter, self.jitter)))
