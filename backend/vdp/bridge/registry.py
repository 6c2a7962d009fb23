"""The command table: every command name, its argument model and its handler.

Handlers register with `@command(name, ArgsModel)`. Names of original-contract.md §2 that have no handler yet
answer `Not implemented yet: <name>`, so nothing ever silently succeeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Optional

from ..contract import Args, NoArgs

Handler = Callable[[Any, Any], Awaitable[Any]]

ORIGINAL_COMMANDS = (
    # §2.1 downloads
    "add_download_tasks", "start_download", "pause_download", "resume_download", "cancel_download",
    "pause_all_downloads", "resume_all_downloads", "start_all_pending_downloads", "cancel_all_downloads",
    "remove_download", "remove_download_tasks", "get_download_tasks", "get_download_stats",
    "clear_completed_tasks", "retry_failed_tasks", "set_rate_limit", "get_rate_limit", "debug_download_test",
    # §2.2 import
    "import_file", "import_csv_file", "import_excel_file", "import_tasks_and_enqueue", "detect_file_encoding",
    "preview_import_data",
    # §2.3 YouTube
    "get_youtube_info", "get_youtube_formats", "download_youtube_playlist",
    # §2.4 config
    "get_config", "update_config", "reset_config", "export_config", "import_config",
    # §2.5 system
    "get_system_info", "start_system_monitor", "stop_system_monitor", "open_download_folder", "show_in_folder",
    "check_ffmpeg", "check_yt_dlp", "validate_url", "get_video_info", "select_output_directory",
    "log_frontend_event",
)
V2_COMMANDS = (
    "start_all_downloads", "update_task_output_paths", "reveal_path_in_folder", "open_path", "read_clipboard_text",
    "get_supported_formats", "download_runtime_state", "debug_runtime_dump", "health", "get_session_summary",
    "set_task_priority", "add_urls", "select_import_file", "stage_import_file", "get_app_info",
    "import_and_reconcile", "get_migration_offer", "run_migration",
)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    args: type[Args]
    handler: Optional[Handler]


_HANDLERS: dict[str, CommandSpec] = {}


def command(name: str, args: type[Args] = NoArgs) -> Callable[[Handler], Handler]:
    if name not in ORIGINAL_COMMANDS and name not in V2_COMMANDS:
        raise ValueError(f"{name} is not a contract command")

    def register(handler: Handler) -> Handler:
        _HANDLERS[name] = CommandSpec(name, args, handler)
        return handler

    return register


def command_table() -> dict[str, CommandSpec]:
    from . import handlers  # noqa: F401  (importing registers every handler)

    return {name: _HANDLERS.get(name, CommandSpec(name, NoArgs, None)) for name in (*ORIGINAL_COMMANDS, *V2_COMMANDS)}
