"""The real `vdp desktop` process under Xvfb, driven through the control socket that remote_control.py adds.

Every wait is event-driven: `accept()` returns when the page has loaded, `wait_for` resolves inside the page on
the DOM mutation that makes its condition true, `wait_log` when the app logs the message, and `terminate` waits for
the process to exit.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Optional

REPO = Path(__file__).resolve().parents[2]
PYTHON = REPO / ".venv" / "bin" / "python"
REMOTE_CONTROL = Path(__file__).resolve().with_name("remote_control.py")

# Resolves with the condition's first truthy value, re-checked on every DOM change; rejects after `ms`.
_WAIT_FOR = """new Promise((resolve, reject) => {{
  const condition = () => {{ try {{ return ({condition}); }} catch (e) {{ return undefined; }} }};
  const observer = new MutationObserver(() => check());
  const timer = setTimeout(() => {{ observer.disconnect(); reject('timed out after {ms} ms: ' + {label}); }}, {ms});
  const check = () => {{
    const value = condition();
    if (value) {{ observer.disconnect(); clearTimeout(timer); resolve(value); }}
  }};
  observer.observe(document.documentElement, {{subtree: true, childList: true, attributes: true, characterData: true}});
  check();
}})"""


class PageFailure(AssertionError):
    """The page answered with an error, or the app died; the message carries the app's log tail."""


class DesktopApp:
    def __init__(self, data_dir: Path, display: str, *, args: tuple[str, ...] = (), workdir: Path) -> None:
        self.data_dir = data_dir
        self.log_path = workdir / "app.log"
        self._control_dir = Path(tempfile.mkdtemp(prefix="vdp-ctl-"))  # short: socket paths max out near 100 bytes
        self._control_path = self._control_dir / "control.sock"
        command = [str(PYTHON), str(REMOTE_CONTROL), str(self._control_path), "--data-dir", str(data_dir), *args]
        self._command = command
        self._env = {
            **os.environ,
            "DISPLAY": display,
            "QT_QPA_PLATFORM": "xcb",
            "PYTHONFAULTHANDLER": "1",
        }
        self._env.pop("WAYLAND_DISPLAY", None)
        if os.geteuid() == 0:
            self._env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        self.process: Optional[subprocess.Popen[bytes]] = None
        self._sock: Optional[socket.socket] = None
        self._replies: Any = None

    def start(self, timeout: float = 60) -> "DesktopApp":
        """Launch the app and return once its page has loaded and the control channel is up."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as listener:
            listener.bind(str(self._control_path))
            listener.listen(1)
            with open(self.log_path, "wb") as log:
                self.process = subprocess.Popen(self._command, env=self._env, stdout=log, stderr=subprocess.STDOUT,
                                                cwd=self.data_dir)
            deadline = time.monotonic() + timeout
            listener.settimeout(0.5)  # wake up now and then only to notice an app that died before connecting
            while True:
                try:
                    self._sock, _ = listener.accept()
                    break
                except TimeoutError:
                    if self.process.poll() is not None:
                        raise PageFailure(f"the app exited with {self.process.returncode} before its page loaded"
                                          f"{self.log_tail()}") from None
                    if time.monotonic() > deadline:
                        raise PageFailure(f"the page did not load within {timeout} s{self.log_tail()}") from None
        self._sock.settimeout(None)
        self._replies = self._sock.makefile("r", encoding="utf-8")
        return self

    # --- driving the page ---------------------------------------------------------------------------------------

    def eval(self, script: str, timeout: float = 10) -> Any:
        """The value of `script` in the page (a promise is awaited)."""
        reply = self._request({"op": "eval", "script": script, "timeout": timeout}, timeout + 5)
        return reply["value"]

    def wait_for(self, condition: str, timeout: float = 20) -> Any:
        """The first truthy value of the JS expression `condition`, re-evaluated on every DOM change."""
        ms = int(timeout * 1000)
        script = _WAIT_FOR.format(condition=condition, ms=ms, label=json.dumps(condition))
        return self.eval(script, timeout=timeout + 5)

    def click(self, selector: str) -> None:
        found = self.eval(f"(el => el ? (el.click(), true) : false)(document.querySelector({json.dumps(selector)}))")
        if not found:
            raise PageFailure(f"nothing to click at {selector}{self.log_tail()}")

    def type_into(self, selector: str, text: str) -> None:
        """Set a React-controlled input's value the way typing does: the native setter, then an input event."""
        self.eval(
            f"""(el => {{
              if (!el) throw new Error('nothing to type into at ' + {json.dumps(selector)});
              const proto = el instanceof HTMLTextAreaElement
                ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
              Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, {json.dumps(text)});
              el.dispatchEvent(new Event('input', {{bubbles: true}}));
            }})(document.querySelector({json.dumps(selector)}))"""
        )

    def wait_log(self, text: str, count: int = 1, timeout: float = 10) -> list[str]:
        """The app's log messages containing `text`, once there are `count` of them (logged after start())."""
        reply = self._request({"op": "wait_log", "text": text, "count": count, "timeout": timeout}, timeout + 5)
        return reply["value"]

    def screenshot(self, path: Path) -> tuple[int, int]:
        path.parent.mkdir(parents=True, exist_ok=True)
        width, height = self._request({"op": "screenshot", "path": str(path)}, 15)["value"]
        return width, height

    # --- lifecycle ----------------------------------------------------------------------------------------------

    def terminate(self, timeout: float = 60) -> int:
        """SIGTERM, as a session manager closing the window would; returns the exit code."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise PageFailure(f"the app did not exit within {timeout} s of SIGTERM{self.log_tail()}") from None

    def close(self) -> None:
        if self._sock is not None:
            self._replies.close()
            self._sock.close()
            self._sock = None
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self._control_dir, ignore_errors=True)

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "\n--- app log ---\n" + "\n".join(text)

    def _request(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        assert self._sock is not None, "start() first"
        self._sock.settimeout(timeout)
        try:
            self._sock.sendall((json.dumps(request) + "\n").encode())
            line = self._replies.readline()
        except (TimeoutError, OSError) as exc:
            self._replies.close()  # a late reply would answer the next request: the channel is done
            self._sock.close()
            self._sock = None
            raise PageFailure(f"control channel failed: {exc!r}{self.log_tail()}") from None
        if not line:
            raise PageFailure(f"the app closed the control channel{self.log_tail()}")
        reply = json.loads(line)
        if not reply.get("ok"):
            raise PageFailure(f"{request.get('op')} failed: {reply.get('error')}{self.log_tail()}")
        return reply


def run_cli(data_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A headless `vdp` command against the same data dir (`list`, `health`)."""
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run([str(PYTHON), "-m", "vdp", "--data-dir", str(data_dir), *args], env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)
