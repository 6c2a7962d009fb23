"""HTTPS through the app's own transport (both engines): certificates are checked against the trust store, loaded on
the first request that needs it; aiohttp's unused default contexts stay empty."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.appkit import AppKit
from tests.support.payload import make_payload, sha256_of
from tests.support.tls import https_server, self_signed_certificate
from vdp.contract import TaskStatus

MIB = 1 << 20


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return self_signed_certificate(tmp_path)


async def test_a_certificate_the_trust_store_holds_downloads(kit: AppKit, certificate: tuple[Path, Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the store httpx would use: read at the first request
    data = make_payload(2 * MIB, seed=90)
    async with https_server({"/f.bin": data}, *certificate) as base:
        task = await kit.download(f"{base}/f.bin")
    assert task.status == TaskStatus.COMPLETED, task.error_message
    assert sha256_of(Path(task.file_path)) == sha256_of(data)


async def test_a_certificate_nobody_trusts_fails_the_download(kit: AppKit, certificate: tuple[Path, Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with https_server({"/f.bin": b"secret"}, *certificate) as base:
        task = await kit.download(f"{base}/f.bin")
    assert task.status == TaskStatus.FAILED
    assert "certificate could not be verified (self-signed certificate)" in (task.error_message or "")
    assert "retrying" not in [w.code.value for w in kit.warnings(task.id)]  # a certificate does not heal by waiting
    assert not list(kit.out.glob("*"))  # nothing was written from an unverified server


async def test_an_hls_stream_from_a_server_nobody_trusts_fails_the_same_way(
        kit: AppKit, certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    playlist = b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\na.ts\n#EXT-X-ENDLIST\n"
    async with https_server({"/v.m3u8": playlist, "/a.ts": b"x" * 1000}, *certificate) as base:
        task = await kit.download(f"{base}/v.m3u8")
    assert task.downloader_type.value == "M3u8"
    assert task.status == TaskStatus.FAILED
    assert "certificate could not be verified (self-signed certificate)" in (task.error_message or "")


async def test_a_trust_store_that_cannot_be_read_is_a_clear_error(kit: AppKit, certificate: tuple[Path, Path],
                                                                 monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    async with https_server({"/f.bin": b"x"}, *certificate) as base:
        task = await kit.download(f"{base}/f.bin")
    assert task.status == TaskStatus.FAILED
    assert "Could not load the trusted certificates" in (task.error_message or "")
    assert "retrying" not in [w.code.value for w in kit.warnings(task.id)]  # the file will not appear by waiting


def test_aiohttp_default_contexts_are_left_without_trust_and_everyone_elses_keep_it() -> None:
    probe = ("import vdp.engines.services, ssl, aiohttp.connector as c;"
             "print(c._SSL_CONTEXT_VERIFIED.cert_store_stats()['x509_ca'], "
             "'set_default_verify_paths' in vars(ssl.SSLContext))")
    unused, overridden = subprocess.check_output([sys.executable, "-c", probe], text=True).split()
    assert unused == "0"  # the ≈ 40 ms load each skipped; a request through it would fail, not pass unchecked
    assert overridden == "False"  # the stand-in was removed after the import: other contexts load trust as ever
