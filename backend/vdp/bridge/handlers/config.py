"""Configuration commands (docs/contract.md, "Configuration commands")."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError

from ...contract import AppConfig, ExportConfigArgs, FilePathArgs, NoArgs, UpdateConfigArgs
from ...errors import ErrorCode, ErrorKind, VdpError
from ...runtime import commands
from ..context import AppContext
from ..registry import command


async def apply_config(app: AppContext, config: AppConfig) -> None:
    """Save, then apply live what can be. The transfer services first (proxy, user agent, headers, timeouts, the
    connection budget, the rate limit): the runtime may start a transfer as soon as it has the new config, and that
    transfer's first request must already use them."""
    app.settings.save(config)
    app.services.configure(config)
    auto_start = bool(config.ui and config.ui.auto_start_downloads)
    schedule = (config.ui.schedule_start_time, config.ui.schedule_pause_time) if config.ui else (None, None)
    await app.runtime.submit(commands.ApplyConfig(config.download, auto_start, schedule))


@command("get_config")
async def get_config(app: AppContext, _: NoArgs) -> AppConfig:
    return app.config


def original_config_refusal(raw_args: dict[str, Any], _: ValidationError) -> Optional[VdpError]:
    """The original's own checks (its `validate_config`), with its words; anything else it let through is ours."""
    sections = _object(raw_args.get("newConfig", raw_args.get("new_config")))
    download, system = _object(sections.get("download")), _object(sections.get("system"))
    if download.get("concurrent_downloads") == 0:
        problem = "Concurrent downloads must be greater than 0"
    elif download.get("timeout_seconds") == 0:
        problem = "Timeout must be greater than 0"
    elif isinstance(system.get("log_level"), str) and system["log_level"].lower() not in _LOG_LEVELS:
        problem = f"Invalid log level: {system['log_level']}"
    else:
        return None
    return VdpError(ErrorCode.INVALID_CONFIG, problem, kind=ErrorKind.CONFIG)


_LOG_LEVELS = ("error", "warn", "info", "debug", "trace")


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@command("update_config", UpdateConfigArgs, invalid_args=original_config_refusal)
async def update_config(app: AppContext, args: UpdateConfigArgs) -> None:
    await apply_config(app, args.new_config)


@command("reset_config")
async def reset_config(app: AppContext, _: NoArgs) -> AppConfig:
    config = AppConfig()
    await apply_config(app, config)
    return config


@command("export_config", ExportConfigArgs)
async def export_config(app: AppContext, args: ExportConfigArgs) -> None:
    await asyncio.to_thread(app.settings.export_to, Path(args.file_path), overwrite=args.overwrite)


@command("import_config", FilePathArgs)
async def import_config(app: AppContext, args: FilePathArgs) -> AppConfig:
    config = await asyncio.to_thread(app.settings.read_file, Path(args.file_path))
    await apply_config(app, config)
    return config
