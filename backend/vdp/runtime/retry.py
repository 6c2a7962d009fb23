"""Retry policy: exponential backoff with full jitter, honouring a server's Retry-After."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_attempts: int = 3  # retries after the first try
    base_delay: float = 0.5
    max_delay: float = 60.0
    jitter: float = 0.2

    def delay(self, attempt: int, retry_after: Optional[float] = None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_delay * 5)
        raw = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return float(raw * (1 + random.uniform(-self.jitter, self.jitter)))
