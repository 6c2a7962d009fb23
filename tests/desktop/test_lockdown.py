"""The window shows the bundled UI and nothing else, under a policy without eval, and its bridge keeps answering."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import Launch

pytestmark = pytest.mark.desktop

PING = "window.__vdp_bridge.invoke('get_app_info').then(info => info.desktop)"
LEFT = "refused to leave the bundled UI for "
NEW_WINDOW = "refused to open a new window"

# How a page might try to leave: an expression that is true once it has asked, and what the app then logs.
_LINK = "(a => (a.href = {url}, {target}document.body.append(a), a.click(), true))(document.createElement('a'))"
ATTEMPTS = {
    "script": ("(location.href = {url}) && true", LEFT),
    "link": (_LINK.replace("{target}", ""), LEFT),
    "link to a new window": (_LINK.replace("{target}", "a.target = '_blank', "), NEW_WINDOW),
    "window.open": ("(window.open({url}), true)", NEW_WINDOW),
}


class _Elsewhere(ThreadingHTTPServer):
    """Another origin on this machine. A navigation that got through would fetch from it."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Record)
        self.requests: list[str] = []
        self.url = f"http://127.0.0.1:{self.server_port}/"


class _Record(BaseHTTPRequestHandler):
    server: _Elsewhere

    def do_GET(self) -> None:
        self.server.requests.append(f"{self.command} {self.path}")
        body = b"<h1>not the app</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def elsewhere() -> Iterator[_Elsewhere]:
    server = _Elsewhere()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_the_window_does_not_leave_the_bundled_ui(launch: Launch, elsewhere: _Elsewhere, attempt: str) -> None:
    app = launch()
    home = app.eval("location.href")
    app.eval("(window.pywebview.__first_injection = true)")
    url = elsewhere.url + attempt.replace(" ", "-")
    script, refusal = ATTEMPTS[attempt]

    assert app.eval(script.format(url=json.dumps(url))) is True
    expected = refusal + url if refusal == LEFT else refusal
    app.wait_log(expected)  # the app decided

    assert app.eval("location.href") == home
    assert app.eval(PING) is True  # pywebview's js_api bridge still answers
    # pywebview did not inject a second bridge into the page (that drops the answers of calls in flight)
    assert app.eval("window.pywebview.__first_injection") is True
    assert app.eval("document.querySelector('[data-testid=task-list]') !== null")
    assert elsewhere.requests == []


def test_a_form_cannot_submit_elsewhere(launch: Launch, elsewhere: _Elsewhere) -> None:
    # The page's form-action 'none' stops it before it becomes a navigation; the lock would be the second line.
    app = launch()
    home = app.eval("location.href")
    violated = app.eval(
        f"""new Promise(resolve => {{
          document.addEventListener('securitypolicyviolation', event => resolve(event.violatedDirective),
                                    {{once: true}});
          const form = Object.assign(document.createElement('form'),
                                     {{method: 'post', action: {json.dumps(elsewhere.url)}}});
          document.body.append(form);
          form.submit();
        }})"""
    )
    assert violated == "form-action"
    assert app.eval("location.href") == home
    assert app.eval(PING) is True
    assert elsewhere.requests == []


def test_the_page_forbids_eval_and_the_bridge_answers_without_it(launch: Launch) -> None:
    app = launch()

    outcomes = app.eval(
        "[() => eval('1'), () => new Function('return 1')()]"
        ".map(code => { try { code(); return 'ran'; } catch (e) { return e.name; } })"
    )
    assert outcomes == ["EvalError", "EvalError"]
    policy = app.eval("document.querySelector('meta[http-equiv=Content-Security-Policy]').content")
    assert "script-src 'self';" in policy and "unsafe-eval" not in policy

    # pywebview's stubs and its answers work without eval: through the raw api and through the UI.
    assert app.eval("window.pywebview.api.invoke('get_app_info').then(info => info.desktop)") is True
    # The Ping button lives in the debug panel, opened with Ctrl+Shift+D.
    app.eval("window.dispatchEvent(new KeyboardEvent('keydown', {key: 'D', ctrlKey: true, shiftKey: true})) && null")
    app.wait_for("document.querySelector('#ping-button')")
    app.click("#ping-button")
    assert json.loads(app.wait_for("document.querySelector('#ping-result').textContent"))["active_downloads"] == 0
    # A rejected call comes back as the same fields server mode answers (docs/contract.md, "Transports").
    rejection = app.eval("window.pywebview.api.invoke('no_such_command').then(() => 'resolved', e => e)")
    assert rejection == {"message": "Unknown command: no_such_command", "code": "unknown_command"}
