"""HLS: `vdp get` against yt-dlp (-N 1 and -N 8) on one AES-128 master playlist of 300 × ~1 MiB segments.

    python -m bench.run hls [--repeat 3] [--segments 300]

Segments are encrypted with AES-128-CBC (one key, IV from the media sequence number), listed in a media playlist
behind a master playlist with two variants (the highest is chosen). Both clients keep the decrypted stream as
received so the output can be compared by SHA-256 with the plaintext: yt-dlp with `--fixup never`, vdp with no
ffmpeg on its PATH (it then keeps `<title>.ts` and warns). Remuxing to MP4 is therefore not part of the figure.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Sequence

from tests.engines.hls.hls_fixtures import encrypt
from tests.support.payload import make_payload

from . import _clients as clients
from ._fileserver import file_server
from ._report import machine
from ._runs import expect_one_file, verified_runs
from ._stats import median, table

SEGMENT = 188 * 5577  # 1,048,476 bytes: whole MPEG-TS packets, just under 1 MiB
KEY = bytes(range(16))


def prepare(root: Path, count: int) -> str:
    """Write the playlists, key and encrypted segments; returns the SHA-256 of the decrypted stream."""
    marker = root / f"plaintext-{count}.sha256"
    if marker.exists():
        return marker.read_text().strip()
    root.mkdir(parents=True, exist_ok=True)
    (root / "key.bin").write_bytes(KEY)
    digest = hashlib.sha256()
    lines = ['#EXT-X-KEY:METHOD=AES-128,URI="key.bin"']
    for index in range(count):
        plain = make_payload(SEGMENT, seed=5000 + index)
        digest.update(plain)
        iv = index.to_bytes(16, "big")  # no IV attribute: the media sequence number (starting at 0) is the IV
        (root / f"seg{index:04d}.ts").write_bytes(encrypt(plain, KEY, iv))
        lines += ["#EXTINF:4.0,", f"seg{index:04d}.ts"]
    media = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n" + "\n".join(lines)
    (root / "high.m3u8").write_text(media + "\n#EXT-X-ENDLIST\n")
    (root / "low.m3u8").write_text(media + "\n#EXT-X-ENDLIST\n")
    (root / "master.m3u8").write_text(
        "#EXTM3U\n"
        '#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.4d401e,mp4a.40.2"\nlow.m3u8\n'
        '#EXT-X-STREAM-INF:BANDWIDTH=2100000,RESOLUTION=1920x1080,CODECS="avc1.640028,mp4a.40.2"\nhigh.m3u8\n')
    marker.write_text(digest.hexdigest())
    return digest.hexdigest()


def main(argv: Sequence[str] = ()) -> str:
    parser = argparse.ArgumentParser(prog="python -m bench.run hls")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--segments", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "vdp-bench")
    args = parser.parse_args(argv)
    served = args.workdir / "hls-files"
    digest = prepare(served, args.segments)
    work = args.workdir / "hls-runs"
    work.mkdir(parents=True, exist_ok=True)
    size = SEGMENT * args.segments
    no_ffmpeg = {**os.environ, "PATH": str(clients.VENV_BIN)}
    verify = expect_one_file(digest)
    rows = []
    with file_server(served) as base:
        url = base + "master.m3u8"
        for name, argv_for, env in [
            ("yt-dlp -N 1", lambda o, d: clients.ytdlp_hls(url, o, fragments=1), None),
            ("yt-dlp -N 8", lambda o, d: clients.ytdlp_hls(url, o, fragments=8), None),
            ("vdp get (8 segments at a time, the default)", lambda o, d: clients.vdp_get(d, o, [url]), no_ffmpeg),
        ]:
            runs = verified_runs(argv_for, verify, work, args.repeat, env=env)
            rows.append((name, runs))
    best = {name: min(r.wall for r in runs) for name, runs in rows}
    ytdlp_best = min(best["yt-dlp -N 1"], best["yt-dlp -N 8"])
    vdp_best = best[rows[2][0]]
    speedup = ytdlp_best / vdp_best
    body_rows = [[name, f"{min(r.wall for r in runs):.2f} s", f"{median([r.wall for r in runs]):.2f} s",
                  f"{size / min(r.wall for r in runs) / 1e6:.0f} MB/s", f"{median([r.cpu for r in runs]):.2f} s",
                  f"{max(r.peak_rss_mib for r in runs):.0f} MiB"] for name, runs in rows]
    return "\n".join([
        "```\npython -m bench.run hls" + (f" --repeat {args.repeat}" if args.repeat != 3 else "") + "\n```",
        "",
        f"Run: {machine()}. {args.segments} AES-128 segments of {SEGMENT:,} bytes ({size / 2**20:.0f} MiB) behind a "
        f"master playlist; best and median of {args.repeat} runs; every output's SHA-256 equals the decrypted source "
        "stream. Wall time includes each client's start-up. CPU and RSS cover the client's process tree.",
        "",
        table(["client", "wall (best)", "wall (median)", "throughput (best)", "CPU user+sys", "peak RSS"], body_rows),
        "",
        f"Target ≥ 3× yt-dlp's throughput: {'met' if speedup >= 3 else 'MISSED'} "
        f"({speedup:.1f}× the faster yt-dlp run).",
    ])
