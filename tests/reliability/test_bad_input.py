"""Hostile input, property-based: the M3U8 parser, the importers, the config loader, file names from servers
and titles, and broken or too-new databases. Always a clear error (or a result), never a crash, hang or write
outside the output folder. (Random arguments for every command: tests/bridge/test_invoke_bad_input.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support.appkit import AppKit, running_app
from tests.support.database import open_database
from tests.support.fault_server import FaultServer
from tests.support.payload import make_payload, sha256_of
from vdp import importers
from vdp.contract import AppConfig, TaskStatus
from vdp.engines.hls import parse_playlist
from vdp.engines.naming import choose_filename, claim_unique
from vdp.errors import VdpError
from vdp.settings.store import ConfigStore
from vdp.storage.migrations import DatabaseTooNew

QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# -- the M3U8 parser ---------------------------------------------------------------------------------------

TAGS = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:4", "#EXTINF:4.0,", "#EXT-X-ENDLIST",
        "#EXT-X-KEY:METHOD=AES-128,URI=\"k\"", "#EXT-X-KEY:METHOD=SAMPLE-AES", "#EXT-X-MAP:URI=\"i.mp4\"",
        "#EXT-X-BYTERANGE:100@0", "#EXT-X-BYTERANGE:-1@x", "#EXT-X-STREAM-INF:BANDWIDTH=1", "#EXT-X-MEDIA:TYPE=AUDIO",
        "#EXT-X-MEDIA-SEQUENCE:-5", "#EXT-X-DISCONTINUITY", "#EXT-X-PLAYLIST-TYPE:VOD", "seg.ts", "../../x.ts",
        "http://[::1", "#EXTINF:nan,", "#EXT-X-STREAM-INF:RESOLUTION=99999999999x1,BANDWIDTH=\"", "\x00", "\r"]
attribute_soup = st.text(alphabet="=,\"'@:xX0-9AZaz \\", max_size=80)
playlist_lines = st.one_of(st.sampled_from(TAGS), attribute_soup.map(lambda a: f"#EXT-X-KEY:{a}"),
                           attribute_soup.map(lambda a: f"#EXT-X-STREAM-INF:{a}"), st.text(max_size=60))


@QUICK
@given(st.lists(playlist_lines, max_size=40), st.booleans())
def test_playlist_parser_answers_every_text_with_a_playlist_or_a_clear_error(lines: list[str], header: bool) -> None:
    text = "\n".join((["#EXTM3U"] if header else []) + lines)
    try:
        parse_playlist(text.encode("utf-8", "surrogatepass"), "http://127.0.0.1/p/index.m3u8")
    except VdpError as exc:
        assert exc.message and exc.code.value


@QUICK
@given(st.binary(max_size=2000))
def test_playlist_parser_takes_random_bytes(data: bytes) -> None:
    try:
        parse_playlist(b"#EXTM3U\n" + data, "http://127.0.0.1/index.m3u8")
    except VdpError as exc:
        assert exc.message


@pytest.mark.parametrize("text", [
    "#EXTM3U\n#EXTINF:4," + "9" * 5_000_000 + "\nseg.ts\n#EXT-X-ENDLIST",  # one huge line
    "#EXTM3U\n" + "#EXT-X-STREAM-INF:BANDWIDTH=1\nv.m3u8\n" * 200_000,  # far too many variants
    "#EXTM3U\n" + "#EXTINF:1,\ns.ts\n" * 300_000 + "#EXT-X-ENDLIST",  # far too many segments
    "#EXTM3U\n#EXT-X-STREAM-INF:" + "A=\"" * 20_000,  # unbalanced quotes, deeply
])
def test_hostile_playlists_are_refused_quickly_and_clearly(text: str) -> None:
    with pytest.raises(VdpError) as caught:
        parse_playlist(text.encode(), "http://127.0.0.1/index.m3u8")
    assert caught.value.code.value == "invalid_playlist" and caught.value.message


# -- importers and the config loader -------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=4000), st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_importers_turn_random_bytes_into_a_result_or_a_clear_error(tmp_path_factory, data: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("sheet") / f"random{suffix}"
    path.write_bytes(data)
    try:
        result = importers.parse(path)
    except VdpError as exc:
        assert str(exc).strip() and "Traceback" not in str(exc)
    else:
        rows = result.imported_data
        assert rows == [] or all(r.url.startswith(("http://", "https://")) for r in rows)


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["download", "ui", "advanced", "system", "youtube", "concurrent_downloads", "x"])
        | st.text(max_size=8),
        children, max_size=4),
    max_leaves=12,
)


@QUICK
@given(st.one_of(json_documents.map(json.dumps), st.text(max_size=200)))
def test_a_bad_config_file_is_kept_aside_and_defaults_are_used(tmp_path_factory, text: str) -> None:
    folder = tmp_path_factory.mktemp("config")
    path = folder / "config.json"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    store = ConfigStore(path)
    if store.problem is None:  # it was a valid (partial) configuration: used, and the file left as it was
        assert store.config == AppConfig.model_validate(json.loads(text))
        return
    (kept,) = folder.glob("config.json.invalid-*")
    assert kept.read_bytes() == text.encode("utf-8", "surrogatepass"), "the bad file is kept, byte for byte"
    assert kept.name in store.problem and store.config == AppConfig()
    assert AppConfig.model_validate_json(path.read_text()) == AppConfig(), "a fresh default file replaces it"


async def test_the_config_problem_reaches_the_ui(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.json").write_text('{"download": {"concurrent_downloads": "many"}')
    async with running_app(data) as kit:
        dump = await kit.call("debug_runtime_dump")
        assert "could not be used" in dump["config_problem"] and "config.json.invalid-" in dump["config_problem"]


# -- names chosen by servers and titles ----------------------------------------------------------------------

HOSTILE_NAMES = ["../../evil.sh", "..\\..\\evil.bat", "/etc/passwd", "C:\\Windows\\x.dll", "..", ".", "",
                 "a/../../b.mp4", "\x00.mp4", "CON.mp4", "x" * 400 + ".mp4", "%2e%2e%2fescape.mp4", "~/.bashrc",
                 "\u202egnp.exe", "movie.mp4\n.sh", "./../.././up.mp4"]


@QUICK
@given(st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=120)),
       st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(max_size=120)))
def test_every_chosen_name_stays_inside_the_folder(tmp_path_factory, header_name: str, title: str) -> None:
    folder = tmp_path_factory.mktemp("out")
    header = f'attachment; filename="{header_name}"; filename*=UTF-8\'\'{header_name}'
    name = choose_filename(content_disposition=header, url="http://127.0.0.1/dl?id=1", title=title)
    final, part = claim_unique(folder, name)
    assert final.parent == folder.resolve() and part.parent == folder.resolve()
    assert [p.name for p in folder.iterdir()] == [part.name]


def _files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ["../../escaped.mp4", "..%2F..%2Fescaped.mp4", "/tmp/escaped.mp4", "..\\escaped.mp4"])
async def test_downloads_with_hostile_names_write_only_inside_the_output_folder(
        tmp_path: Path, kit: AppKit, server: FaultServer, name: str) -> None:
    data = make_payload(64 * 1024, seed=60)
    server.add_file("/dl", data, content_disposition=f'attachment; filename="{name}"; filename*=UTF-8\'\'{name}')
    server.add_file("/untitled", data)  # no name from the server or the URL: the title names the file
    before = _files_under(tmp_path)
    added = await kit.call("add_download_tasks", tasks=[
        {"id": "cd", "url": server.url("/dl"), "title": "t", "output_path": str(kit.out)},
        {"id": "title", "url": server.url("/untitled"), "title": name, "output_path": str(kit.out)},
    ])
    for task in added:
        await kit.call("start_download", taskId=task["id"])
        done = await kit.finish(task["id"])
        assert done.status == TaskStatus.COMPLETED, done.error_message
        assert Path(done.file_path).parent == kit.out.resolve() and sha256_of(Path(done.file_path)) == sha256_of(data)
    new_files = _files_under(tmp_path) - before
    outside = [p for p in new_files if kit.out.resolve() not in p.resolve().parents and "data" not in p.parts]
    assert outside == [] and len([p for p in new_files if kit.out in p.parents]) == 2
    assert not Path("/tmp/escaped.mp4").exists()


# -- broken and too-new databases --------------------------------------------------------------------------


async def test_a_corrupted_database_is_moved_aside_and_the_app_starts(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    garbage = make_payload(40_000, seed=61)
    (data / "tasks.sqlite").write_bytes(garbage)
    async with running_app(data) as kit:
        dump = await kit.call("debug_runtime_dump")
        kept = Path(dump["database_recovered_from"])
        assert kept.name.startswith("tasks.sqlite.corrupt-") and kept.read_bytes() == garbage
        assert await kit.call("get_download_tasks") == []
        assert (await kit.call("health"))["database_ok"] is True


async def test_a_database_from_a_newer_app_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    data = tmp_path / "data"
    async with running_app(data):
        pass
    with open_database(data / "tasks.sqlite") as db:
        db.execute("UPDATE schema_version SET version = 999")
    with pytest.raises(DatabaseTooNew, match=r"newer version .*schema 999"):
        async with running_app(data):
            pass
    with open_database(data / "tasks.sqlite") as db:  # refused means untouched, not migrated or replaced
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == 999
