"""Bad bridge arguments always give a clear error string, never a crash (property-based)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support.appkit import AppKit
from vdp.bridge.invoke import invoke
from vdp.bridge.registry import command_table
from vdp.errors import ErrorCode, VdpError

# These reach out to the network by design (probes, extraction); their argument validation is the same code path.
NETWORK = {"get_youtube_info", "get_youtube_formats", "download_youtube_playlist", "get_video_info", "add_urls",
           "import_tasks_and_enqueue", "import_and_reconcile"}
# These open native windows or file managers.
DESKTOP = {"open_download_folder", "show_in_folder", "reveal_path_in_folder", "select_output_directory",
           "select_import_file", "read_clipboard_text"}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=10,
)
keys = st.sampled_from(["taskId", "task_id", "taskIds", "filePath", "url", "newConfig", "bytesPerSecond",
                        "tasks", "maxRows", "path", "urls", "priority", "outputPath", "message", "level"])
arguments = st.one_of(json_values, st.dictionaries(keys, json_values, max_size=4))
COMMANDS = sorted(set(command_table()) - NETWORK - DESKTOP)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(COMMANDS), args=arguments)
async def test_random_arguments_never_crash_a_command(kit: AppKit, name: str, args: Any) -> None:
    try:
        result = await invoke(kit.app, name, args)
    except VdpError as error:
        assert error.message and "Traceback" not in error.message
        assert error.code != ErrorCode.INTERNAL, error.message
    else:
        json.dumps(result)


async def test_unknown_commands_and_non_object_arguments() -> None:
    missing_id = "Invalid arguments for start_download: taskId: Field required"
    for name, args, expected in [("nope", {}, "Unknown command: nope"),
                                 ("get_config", [1, 2], "expected an object"),
                                 ("start_download", {}, missing_id)]:
        try:
            await invoke(None, name, args)
        except VdpError as error:
            assert expected in error.message
        else:
            raise AssertionError("should have failed")
