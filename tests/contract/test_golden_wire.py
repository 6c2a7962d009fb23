"""Golden wire tests: each file in `golden/` holds one call and the exact bytes the original app answers (written from
its Rust source, cited in the file), checked against a real `vdp serve` of each runtime over HTTP and WebSocket.

A golden file: `command`, `args`, optional `setup` (calls made first), `original` (the original's answer as JSON text:
a result, or the error string), `code` (our stable code beside an error), optional `events` (what the original emits;
payload as JSON text), optional `then` (one more call and its answer), optional `config_patch` (the args become
`{"newConfig": <get_config's answer with these keys replaced>}`), optional `pick` (a path of keys: only that part of
a result is the original's), optional `files` (name → text, written to the scratch folder first, folders made as
needed). `{out}` stands for a scratch folder, `{home}` for the server's home folder (a scratch one: the original's
defaults live there).
Results compare byte for byte after our fields that the original lacks (docs/contract.md, "Differences") are dropped.

Answers that depend on the machine or the clock say so in the file, and only for those fields:
- `variable`: dotted key paths whose value is the machine's or the clock's (the golden's value is an example); our
  value is copied in before comparing, so only the key, its place and its JSON type are checked.
- `unordered`: dotted key paths of objects the original builds from a Rust HashMap (its key order is unspecified);
  both sides are compared with their keys sorted.
- `tool`: the program the original runs to answer (`["ffmpeg", "-version"]`): its answer is `true` exactly when that
  program runs and exits 0 on this machine, and the test works that out the same way.
- `appended`: dotted key paths of fields we append after the original's (docs/contract.md, "Model fields" row):
  each must be the last key of its object, and is dropped before comparing.
Where we answer differently on purpose, `ours` holds the row of docs/contract.md's "Differences" table that says so
(`differs`, its first cell) and our answer (`answer`, optional `code`), or `"shape": true` when only the keys, their
order and their JSON types are the original's (real figures where the original sent placeholders).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import aiohttp
import pytest

from tests.e2e.served_app import ServedApp

GOLDEN = Path(__file__).parent / "golden"
CONTRACT_DOC = Path(__file__).parents[2] / "docs" / "contract.md"
CASES = sorted(GOLDEN.glob("*.json"))
# Fields our VideoTask appends after the original's (docs/contract.md, "Differences"): never inside the original's.
OUR_TASK_FIELDS = ("queued", "priority", "file_path", "routing_reason", "retry_count", "max_retries", "engine_options",
                   "error_code")
# ... and the fields our events add to the original's (docs/contract.md, "Events").
OUR_EVENT_FIELDS = {"task_status_changed": ("from", "to", "error", "error_code")}
# The v2 statuses the original never had (docs/contract.md, "Statuses and events (v2)"): a task_status_changed into one
# of them is ours, and the original's event is the next one.
OUR_STATUSES = ("Scheduled", "Pausing", "Completing")
# What xdg-open prints when no program opens a folder: the golden's expected text ends with it.
OPENER_FAILURE = "xdg-open: no method available for opening the folder"


def _recording_opener(folder: Path) -> Path:
    """Stands in for xdg-open: the desktop commands open nothing on the test machine (tests/bridge does the same).
    Like xdg-open with no program for a folder, it fails on a folder named `unopenable`
    (golden/show_in_folder.opener_fails.json)."""
    opener, record = folder / "opener.sh", folder / "opened.txt"
    opener.write_text(f'#!/bin/sh\ncase "$1" in */unopenable) echo "{OPENER_FAILURE}" >&2; exit 3;; esac\n'
                      f'printf "%s\\n" "$@" >> "{record}"\n')
    opener.chmod(0o755)
    return opener


@pytest.fixture(scope="module", params=["v2", "v1"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedApp]:
    home = tmp_path_factory.mktemp(f"golden-home-{request.param}")
    # A scratch home whose Downloads folder is the user's (XDG_DOWNLOAD_DIR, as tests/conftest.py sets it): the
    # original's default folder is $HOME/Downloads, ours a folder inside the user's Downloads.
    server_env = {"VDP_RUNTIME": request.param, "HOME": str(home), "XDG_DOWNLOAD_DIR": str(home / "Downloads"),
                  "VDP_OPENER": str(_recording_opener(home))}
    saved = {name: os.environ.get(name) for name in server_env}
    os.environ.update(server_env)
    try:
        app = ServedApp.start(tmp_path_factory.mktemp(f"golden-{request.param}"))
        app.home = str(home)  # type: ignore[attr-defined]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    try:
        yield app
    finally:
        app.process.terminate()
        app.process.wait(timeout=30)


def _compact(value: Any) -> str:
    """serde_json's spelling: no spaces, non-ASCII as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _without_our_fields(value: Any) -> Any:
    if isinstance(value, list):
        return [_without_our_fields(v) for v in value]
    if isinstance(value, dict) and "output_path" in value and "status" in value:
        return {k: v for k, v in value.items() if k not in OUR_TASK_FIELDS}
    return value


def _fill(value: Any, out: str, home: str) -> Any:
    return json.loads(json.dumps(value).replace("{out}", out).replace("{home}", home))


def _at(value: Any, dotted: str) -> tuple[dict[str, Any], str]:
    """The object holding `dotted`'s last key (a number steps into a list), and that key."""
    *parents, key = dotted.split(".")
    for name in parents:
        value = value[int(name)] if isinstance(value, list) else value[name]
    return value, key


def _normalised(ours: Any, original: Any, case: dict[str, Any]) -> tuple[Any, Any]:
    """Apply the golden file's `appended`, `variable` and `unordered` (see the module docstring) to both answers."""
    for dotted in case.get("appended", ()):
        parent, key = _at(ours, dotted)
        assert list(parent)[-1] == key, (dotted, list(parent))
        del parent[key]
    for dotted in case.get("variable", ()):
        (mine, key), (theirs, _) = _at(ours, dotted), _at(original, dotted)
        assert type(mine[key]) is type(theirs[key]), (dotted, mine[key], theirs[key])
        theirs[key] = mine[key]
    for dotted in case.get("unordered", ()):
        for side in (ours, original):
            parent, key = _at(side, dotted)
            parent[key] = dict(sorted(parent[key].items()))
    return ours, original


def _tool_runs(argv: list[str]) -> bool:
    """The original's check_tool_availability: the program found on PATH and exiting 0."""
    if shutil.which(argv[0]) is None:
        return False
    return subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          check=False).returncode == 0


def _shape(value: Any) -> Any:
    """Keys, their order and JSON types, without the figures."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    return type(value)(0)


class Client:
    def __init__(self, http: aiohttp.ClientSession, app: ServedApp) -> None:
        self.http = http
        self.app = app

    async def call(self, command: str, args: Any) -> tuple[int, Any]:
        async with self.http.post(f"{self.app.base_url}/api/invoke/{command}", json=args,
                                  headers={"Authorization": f"Bearer {self.app.token}"}) as response:
            return response.status, await response.json()

    async def ok(self, command: str, args: Any) -> Any:
        status, body = await self.call(command, args)
        assert status == 200, (command, body)
        return body

    async def reset(self) -> None:
        """Every case starts from an empty task list with nothing running (v2: the backlog paused again)."""
        await self.ok("pause_all_downloads", {})
        tasks = await self.ok("get_download_tasks", {})
        if tasks:
            await self.ok("remove_download_tasks", {"taskIds": [t["id"] for t in tasks]})


@pytest.fixture
async def client(served: ServedApp) -> AsyncIterator[Client]:
    async with aiohttp.ClientSession() as http:
        client = Client(http, served)
        await client.reset()
        yield client


async def _answer_matches(client: Client, command: str, args: Any, original: str, code: Any,
                          pick: tuple[str, ...] = (), case: dict[str, Any] | None = None) -> None:
    status, body = await client.call(command, args)
    for key in pick:
        body = body[key] if status == 200 else body
    if code is None:
        assert status == 200, body
        ours, theirs = _normalised(_without_our_fields(body), json.loads(original), case or {})
        if (case or {}).get("ours", {}).get("shape"):
            ours, theirs = _shape(ours), _shape(theirs)
        assert _compact(ours) == _compact(theirs)
    else:
        assert status == 400, body
        assert set(body) == {"error", "code"}
        assert _compact(body["error"]) == original
        assert body["code"] == code


async def _next_event(socket: aiohttp.ClientWebSocketResponse, name: str) -> Any:
    while True:
        message = await asyncio.wait_for(socket.receive(), 15)
        assert message.type == aiohttp.WSMsgType.TEXT, message
        for item in json.loads(message.data):
            if item["event"] == name and item["payload"].get("status") not in OUR_STATUSES:
                return item["payload"]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
async def test_the_original_answer(client: Client, served: ServedApp, path: Path, tmp_path: Path) -> None:
    case = _fill(json.loads(path.read_text(encoding="utf-8")), str(tmp_path), served.home)  # type: ignore[attr-defined]
    if "tool" in case:
        case["original"] = _compact(_tool_runs(case["tool"]))
    answer, code = case["original"], case.get("code")
    if "answer" in case.get("ours", {}):
        answer, code = case["ours"]["answer"], case["ours"].get("code")
    for name, text in case.get("files", {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    for step in case.get("setup", []):
        await client.ok(step["command"], step["args"])
    if "config_patch" in case:
        config = await client.ok("get_config", {})
        for section, values in case["config_patch"].items():
            config[section].update(values)
        case["args"] = {"newConfig": config}
    socket = await client.http.ws_connect(f"{served.base_url}/api/events?token={served.token}")
    try:
        await _answer_matches(client, case["command"], case["args"], answer, code, tuple(case.get("pick", ())),
                              case)
        for event in case.get("events", []):
            payload = await _next_event(socket, event["event"])
            ours = OUR_EVENT_FIELDS.get(event["event"], ())
            assert _compact({k: v for k, v in payload.items() if k not in ours}) == event["payload"]
    finally:
        await socket.close()
    if "then" in case:
        then = case["then"]
        await _answer_matches(client, then["command"], then["args"], then["original"], then.get("code"))


def test_every_golden_file_names_its_source() -> None:
    for path in CASES:
        case = json.loads(path.read_text(encoding="utf-8"))
        assert case["source"] and case["command"] and isinstance(case["original"], str), path.name
        json.loads(case["original"])  # valid JSON text


def test_every_difference_a_golden_file_allows_is_documented() -> None:
    """`ours` must name a row of docs/contract.md's "Differences" table: no undocumented way out of a golden."""
    table = CONTRACT_DOC.read_text(encoding="utf-8").split("## Differences from the original", 1)[1]
    rows = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")}
    for path in CASES:
        ours = json.loads(path.read_text(encoding="utf-8")).get("ours")
        if ours is not None:
            assert ours["differs"] in rows, (path.name, ours["differs"])
            assert ("answer" in ours) != bool(ours.get("shape")), path.name
