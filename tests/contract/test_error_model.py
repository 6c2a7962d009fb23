"""One error type: a stable code, a message, the original's kind prefix, and the command prefix joined once."""

from __future__ import annotations

import pytest

from vdp.bridge.invoke import invoke
from vdp.errors import ErrorCode, ErrorKind, VdpError


def test_the_kind_prefixes_the_text_and_the_command_prefix_is_joined_once() -> None:
    error = VdpError(ErrorCode.TASK_NOT_FOUND, "Task not found: t1", kind=ErrorKind.DOWNLOAD)
    assert (error.message, error.text, str(error)) == (
        "Task not found: t1", "Download error: Task not found: t1", "Download error: Task not found: t1")
    answered = error.in_command("Failed to start download")
    assert (answered.code, answered.text) == (
        ErrorCode.TASK_NOT_FOUND, "Failed to start download: Download error: Task not found: t1")
    assert error.in_command(None).text == error.text


def test_a_transfer_failure_has_no_kind_and_keeps_its_words() -> None:
    error = VdpError(ErrorCode.SERVER_ERROR, "HTTP 503 Service Unavailable", retry_after=2.0)
    assert str(error) == "HTTP 503 Service Unavailable" and error.retryable and error.retry_after == 2.0
    assert not VdpError(ErrorCode.NOT_FOUND, "HTTP 404").retryable


async def test_invoke_answers_every_failure_as_one_classified_error() -> None:
    with pytest.raises(VdpError) as unknown:
        await invoke(None, "no_such_command", {})
    assert (unknown.value.code, unknown.value.text) == (ErrorCode.UNKNOWN_COMMAND, "Unknown command: no_such_command")
    with pytest.raises(VdpError) as bad_args:
        await invoke(None, "pause_download", {"taskId": ""})
    assert bad_args.value.code == ErrorCode.INVALID_ARGUMENT
    assert bad_args.value.text.startswith("Invalid arguments for pause_download: taskId: ")
    with pytest.raises(VdpError) as crashed:
        await invoke(None, "get_download_tasks", {})  # no app: a bug inside the handler
    assert crashed.value.code == ErrorCode.INTERNAL
    assert crashed.value.text.startswith("System error: AttributeError: ")
