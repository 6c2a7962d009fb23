"""v2 diagnostics: runtime state, a debug dump, health, and the session summary after a restart."""

from __future__ import annotations

from typing import Any

from ...contract import HealthReport, NoArgs, RuntimeState, SessionSummary
from ..registry import command


@command("download_runtime_state")
async def download_runtime_state(app: Any, _: NoArgs) -> RuntimeState:
    return app.runtime.state()


@command("get_session_summary")
async def get_session_summary(app: Any, _: NoArgs) -> SessionSummary:
    return app.runtime.session


@command("health")
async def health(app: Any, _: NoArgs) -> HealthReport:
    state: RuntimeState = app.runtime.state()
    database = await app.repo.integrity_check() == "ok"
    uptime = max(app.runtime.uptime, 1e-9)
    metrics = app.runtime.metrics()
    return HealthReport(
        ok=database, runtime=app.runtime_name, uptime_secs=uptime, queues=state.queues,
        command_queue_depth=state.command_queue_depth, worker_utilization=state.worker_utilization,
        # Engines write what they receive, in large batches: the received rate is the write rate.
        disk_write_bytes_per_sec=metrics.total_speed, events_per_sec=app.bus.published / uptime,
        event_subscribers=app.bus.subscriber_count, lagged_subscribers=app.bus.lagged_count,
        loop_lag_ms=app.runtime.loop_lag * 1000, database_ok=database,
    )


@command("debug_runtime_dump")
async def debug_runtime_dump(app: Any, _: NoArgs) -> dict[str, Any]:
    return {
        "runtime": app.runtime.state(),
        "metrics": app.runtime.metrics(),
        "session": app.runtime.session,
        "config_problem": app.settings.problem,
        "database": str(app.paths.database),
        "database_recovered_from": str(app.repo.recovered_from) if app.repo.recovered_from else None,
        "data_dir": str(app.paths.root),
        "events_published": app.bus.published,
    }


