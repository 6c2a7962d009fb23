"""The command table: every command name, its argument model and its handler.

Handlers register with `@command(name, ArgsModel, prefix=...)`. `prefix` is the command's own start of every error
text it answers (`Failed to start download`), joined once by `invoke` (docs/contract.md, "Errors"). Names of the
original's command list that have no handler yet answer `Not implemented yet: <name>`, so nothing ever silently
succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from pydantic import ValidationError

from ..contract import Args, NoArgs
from ..errors import VdpError
from .context import AppContext

Handler = Callable[[AppContext, Any], Awaitable[Any]]  # (app, the command's validated argument model)
# Answers arguments that failed validation the way the original did for that command (None: ours, the default).
InvalidArgs = Callable[[dict[str, Any], ValidationError], Optional[VdpError]]

ORIGINAL_COMMANDS = (
    # downloads
    "add_download_tasks", "start_download", "pause_download", "resume_download", "cancel_download",
    "pause_all_downloads", "resume_all_downloads", "start_all_pending_downloads", "cancel_all_downloads",
    "remove_download", "remove_download_tasks", "get_download_tasks", "get_download_stats",
    "clear_completed_tasks", "retry_failed_tasks", "set_rate_limit", "get_rate_limit", "debug_download_test",
    # import
    "import_file", "import_csv_file", "import_excel_file", "import_tasks_and_enqueue", "detect_file_encoding",
    "preview_import_data",
    # YouTube
    "get_youtube_info", "get_youtube_formats", "download_youtube_playlist",
    # config
    "get_config", "update_config", "reset_config", "export_config", "import_config",
    # system
    "get_system_info", "start_system_monitor", "stop_system_monitor", "open_download_folder", "show_in_folder",
    "check_ffmpeg", "check_yt_dlp", "validate_url", "get_video_info", "select_output_directory",
    "log_frontend_event",
)
V2_COMMANDS = (
    "start_all_downloads", "update_task_output_paths", "reveal_path_in_folder", "open_path", "read_clipboard_text",
    "get_supported_formats", "download_runtime_state", "debug_runtime_dump", "health", "get_session_summary",
    "set_task_priority", "set_task_rate_limit", "get_task_rate_limit", "add_urls", "select_import_file",
    "stage_import_file", "get_app_info",
    "import_and_reconcile", "get_migration_offer", "run_migration", "check_download_folder",
    # the course workspace (bridge/handlers/import_paths.py, queue.py, task_details.py)
    "preview_import_paths", "move_tasks", "get_task_details", "set_queue_running", "get_queue_state",
)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    args: type[Args]
    handler: Optional[Handler]
    prefix: Optional[str] = None
    invalid_args: Optional[InvalidArgs] = None


_HANDLERS: dict[str, CommandSpec] = {}


def command(name: str, args: type[Args] = NoArgs, *, prefix: Optional[str] = None,
            invalid_args: Optional[InvalidArgs] = None) -> Callable[[Handler], Handler]:
    if name not in ORIGINAL_COMMANDS and name not in V2_COMMANDS:
        raise ValueError(f"{name} is not a contract command")

    def register(handler: Handler) -> Handler:
        _HANDLERS[name] = CommandSpec(name, args, handler, prefix, invalid_args)
        return handler

    return register


def command_signatures() -> dict[str, tuple[type[Args], Any]]:
    """Each implemented command's argument model and result type (its handler's return annotation), for the
    generated TS command map (`make schema`)."""
    import typing

    return {name: (spec.args, typing.get_type_hints(spec.handler).get("return", Any))
            for name, spec in command_table().items() if spec.handler is not None}


def command_table() -> dict[str, CommandSpec]:
    from . import handlers  # noqa: F401  (importing registers every handler)

    return {name: _HANDLERS.get(name, CommandSpec(name, NoArgs, None)) for name in (*ORIGINAL_COMMANDS, *V2_COMMANDS)}
