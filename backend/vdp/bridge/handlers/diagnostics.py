"""v2 diagnostics: runtime state, a debug dump, health, and the session summary after a restart."""

from __future__ import annotations

from typing import Any

from ...contract import HealthReport, NoArgs, RuntimeState, SessionSummary
from ..context import AppContext
from ..registry import command


@command("download_runtime_state")
async def download_runtime_state(app: AppContext, _: NoArgs) -> RuntimeState:
    return app.runtime.state()


@command("get_session_summary")
async def get_session_summary(app: AppContext, _: NoArgs) -> SessionSummary:
    return app.runtime.session


@command("health")
async def health(app: AppContext, _: NoArgs) -> HealthReport:
    state: RuntimeState = app.runtime.state()
    # A file deleted or replaced under the app still passes integrity_check (the open one is intact): the storage
    # status says whether changes are being kept.
    intact = await app.repo.integrity_check() == "ok"  # looks at the file's identity too
    storage = app.repo.monitor.status()
    database = intact and storage.ok
    uptime = max(app.runtime.uptime, 1e-9)
    metrics = app.runtime.metrics()
    return HealthReport(
        ok=database, runtime=app.runtime_name, uptime_secs=uptime, queues=state.queues,
        command_queue_depth=state.command_queue_depth, worker_utilization=state.worker_utilization,
        # Engines write what they receive, in large batches: the received rate is the write rate.
        disk_write_bytes_per_sec=metrics.total_speed, events_per_sec=app.bus.published / uptime,
        event_subscribers=app.bus.subscriber_count, lagged_subscribers=app.bus.lagged_count,
        loop_lag_ms=app.runtime.loop_lag * 1000, database_ok=database, storage=storage,
    )


@command("debug_runtime_dump")
async def debug_runtime_dump(app: AppContext, _: NoArgs) -> dict[str, Any]:
    return {
        "runtime": app.runtime.state(),
        "metrics": app.runtime.metrics(),
        "session": app.runtime.session,
        "config_problem": app.settings.problem,
        "database": str(app.paths.database),
        "database_recovered_from": str(app.repo.monitor.moved_aside_to) if app.repo.monitor.moved_aside_to else None,
        "data_dir": str(app.paths.root),
        "events_published": app.bus.published,
    }


