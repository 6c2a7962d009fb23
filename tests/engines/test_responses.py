"""One reading of HTTP answers for every engine (engines/responses.py): a status means the same failure in the HTTP
and the HLS engine, and a passing condition (408, 425, 429, 5xx) is retried by both."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from tests.support.appkit import AppKit
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp.contract import ErrorCode, TaskStatus
from vdp.engines.responses import ContentRange, error_for_status, parse_content_range, parse_retry_after

STATUS_CODES = [
    (408, ErrorCode.TIMEOUT, True),
    (425, ErrorCode.SERVER_ERROR, True),
    (429, ErrorCode.RATE_LIMITED, True),
    (500, ErrorCode.SERVER_ERROR, True),
    (503, ErrorCode.SERVER_ERROR, True),
    (401, ErrorCode.UNAUTHORIZED, False),
    (403, ErrorCode.FORBIDDEN, False),
    (404, ErrorCode.NOT_FOUND, False),
    (410, ErrorCode.NOT_FOUND, False),
    (418, ErrorCode.HTTP_ERROR, False),
]


@pytest.mark.parametrize(("status", "code", "retryable"), STATUS_CODES, ids=[str(s) for s, _, _ in STATUS_CODES])
def test_every_status_maps_to_one_code(status: int, code: ErrorCode, retryable: bool) -> None:
    error = error_for_status(httpx.Response(status, headers={"Retry-After": "7"}))
    assert error.code is code and error.retryable is retryable
    assert str(status) in error.message
    assert error.retry_after == (7.0 if retryable else None)  # a wait is only worth keeping for a retry


def test_the_request_is_named_in_front_of_the_message() -> None:
    plain = error_for_status(httpx.Response(503))
    named = error_for_status(httpx.Response(503), "segment 2 of 9")
    assert named.message == f"segment 2 of 9: {plain.message}" and named.code is plain.code


def test_retry_after_reads_seconds_and_dates() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(" 3 ") == 3.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: go now
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 -0000") == 0.0  # a naive date is UTC, never a TypeError
    later = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=90), usegmt=True)
    wait = parse_retry_after(later)
    assert wait is not None and 80 < wait <= 90


def test_content_range_is_read_whole_or_not_at_all() -> None:
    assert parse_content_range("bytes 10-19/100") == ContentRange(10, 19, 100)
    assert parse_content_range("bytes 10-19/*") == ContentRange(10, 19, None)
    assert parse_content_range("bytes 10-") is None
    assert parse_content_range("items 10-19/100") is None
    assert parse_content_range(None) is None


@pytest.mark.parametrize("status", [408, 425])
async def test_the_http_engine_retries_408_and_425(kit: AppKit, server: FaultServer, status: int) -> None:
    data = make_payload(256 << 10, seed=status)
    server.add_file("/f.bin", data, fail_statuses=[status], retry_after="0")
    task = await kit.download(server.url("/f.bin"))
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert task.file_path is not None and sha256_of(Path(task.file_path)) == sha256_of(data)
    (warning,) = [w for w in kit.warnings() if w.code.value == "retrying"]
    assert str(status) in warning.message
