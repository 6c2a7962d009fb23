"""The real app as a user runs it in a browser: a `vdp serve` subprocess on a temp data dir, plus its HTTP API.

    with ServedApp.start(data_dir) as app:
        page.goto(app.url)                                  # the built UI, token in the fragment
        app.invoke("update_config", newConfig=...)          # the same command API the page uses
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_READY = re.compile(r"serving at (http://127\.0\.0\.1:\d+)/#token=(\S+)")
_START_TIMEOUT = 30.0


class CommandError(RuntimeError):
    """A command answered with an error string, as the UI would show it."""


@dataclass
class ServedApp:
    process: subprocess.Popen[str]
    base_url: str
    token: str
    output: list[str] = field(default_factory=list)  # the server's log so far, for failure reports

    @classmethod
    def start(cls, data_dir: Path, *, port: int = 0, token: str | None = None) -> ServedApp:
        """`port` and `token` of an app that was stopped bring it back where an open page expects it."""
        token = token or secrets.token_urlsafe(16)
        # `--token=…` as one argument: a token may start with "-".
        command = [sys.executable, "-m", "vdp", "--data-dir", str(data_dir), "serve", "--port", str(port),
                   f"--token={token}"]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        output: list[str] = []
        ready = _OutputReader(process, output)
        try:
            base_url = ready.wait(_START_TIMEOUT)
        except BaseException:
            process.kill()
            process.wait()
            raise
        return cls(process, base_url, token, output)

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    @property
    def url(self) -> str:
        return f"{self.base_url}/#token={self.token}"

    def invoke(self, command: str, **args: Any) -> Any:
        request = urllib.request.Request(
            f"{self.base_url}/api/invoke/{command}",
            data=json.dumps(args).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            raise CommandError(_error_text(error, self.output)) from None

    def configure(self, **sections: dict[str, Any]) -> dict[str, Any]:
        """Merge `download={...}`, `ui={...}`, … into the current config and save it with `update_config`."""
        config = self.invoke("get_config")
        for section, values in sections.items():
            config[section].update(values)
        self.invoke("update_config", newConfig=config)
        return config

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> ServedApp:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


class _OutputReader:
    """Drains the subprocess's output in a thread (a full pipe would block the server) and spots its URL."""

    def __init__(self, process: subprocess.Popen[str], output: list[str]) -> None:
        self._process = process
        self._output = output
        self._url: str | None = None
        self._done = threading.Event()
        threading.Thread(target=self._read, name="vdp-serve-output", daemon=True).start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:  # ends when the process exits
            self._output.append(line)
            match = _READY.search(line) if self._url is None else None
            if match:
                self._url = match.group(1)
                self._done.set()
        self._done.set()

    def wait(self, timeout: float) -> str:
        self._done.wait(timeout)
        if self._url is None:
            code = self._process.wait(timeout=5) if self._done.is_set() else None  # set early only by EOF
            why = f"exited with {code}" if code is not None else f"did not start within {timeout:.0f} s"
            raise RuntimeError(f"vdp serve {why}:\n{''.join(self._output)}")
        return self._url


def _error_text(error: urllib.error.HTTPError, log: list[str]) -> str:
    """The command's error string; for a crash (no JSON error body) the status and the server's last words."""
    body = error.read().decode(errors="replace")
    try:
        return str(json.loads(body)["error"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {error.code}: {body.strip()}\n--- vdp serve log (tail) ---\n{''.join(log[-30:])}"
