"""Configuration commands (original-contract.md §2.4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ...contract import AppConfig, FilePathArgs, NoArgs, UpdateConfigArgs
from ...runtime import commands as C
from ..registry import command


async def apply_config(app: Any, config: AppConfig) -> None:
    """Save, then apply live what can be: concurrency, retries, timeouts, proxy, headers, the rate limit."""
    app.settings.save(config)
    auto_start = bool(config.ui and config.ui.auto_start_downloads)
    await app.runtime.submit(C.ApplyConfig(config.download, auto_start))
    rate = config.advanced.rate_limit_mbps
    app.services.limits.global_bucket.set_rate(rate * 1_000_000 / 8 if rate else None)


@command("get_config")
async def get_config(app: Any, _: NoArgs) -> AppConfig:
    return app.config


@command("update_config", UpdateConfigArgs)
async def update_config(app: Any, args: UpdateConfigArgs) -> None:
    await apply_config(app, args.new_config)


@command("reset_config")
async def reset_config(app: Any, _: NoArgs) -> AppConfig:
    config = AppConfig()
    await apply_config(app, config)
    return config


@command("export_config", FilePathArgs)
async def export_config(app: Any, args: FilePathArgs) -> None:
    app.settings.export_to(Path(args.file_path))


@command("import_config", FilePathArgs)
async def import_config(app: Any, args: FilePathArgs) -> AppConfig:
    config = app.settings.read_file(Path(args.file_path))
    await apply_config(app, config)
    return config
