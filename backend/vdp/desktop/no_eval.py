"""pywebview's js_api bridge without string evaluation, so the page's CSP can forbid eval.

Scripts that Qt's `runJavaScript` runs are not checked against the page's policy; string evaluation *inside* them
(`eval`, `new Function`) is. pywebview's Qt bridge (checked against 6.2) evaluates strings in two places:

- `window.pywebview._createApi` (its js/api.js) builds every `window.pywebview.api.*` stub with `new Function`;
  under the policy it throws, the injection stops before the QWebChannel is set up, and every call hangs;
- `Window.evaluate_js` wraps its script in `eval(...)`, and `util.js_bridge_call` hands back the result of every
  js_api call through it.

Both are replaced by equivalents that need no eval. A pywebview that adds another use fails the desktop tests,
which run the page under the strict policy.
"""

from __future__ import annotations

from typing import Any, Callable

# Same stubs as pywebview's: each call registers its resolve/reject under a fresh id, then posts the call; a failed
# command's rejection is unpacked into `{message, code}`.
_CREATE_API = """
window.pywebview._createApi = function (funcList) {
  funcList.forEach(function (entry) {
    var path = entry.func.split('.');
    var name = path.pop();
    var owner = path.reduce(function (obj, key) { return obj[key] || (obj[key] = {}); }, window.pywebview.api);
    owner[name] = function () {
      var id = (Math.random() + '').substring(2);
      var answer = new Promise(function (resolve, reject) {
        // A failed command (shell.CommandRejected) rejects with {message, code}, as server mode answers.
        window.pywebview._checkValue(entry.func, resolve, function (error) {
          if (error && error.name === 'CommandRejected') {
            try {
              var body = JSON.parse(error.message);
              reject({ message: body.message, code: body.code });
              return;
            } catch (ignored) { /* not ours: pass it on as it came */ }
          }
          reject(error);
        }, id);
      });
      window.pywebview._jsApiCallback(entry.func, Array.prototype.slice.call(arguments), id);
      return answer;
    };
    window.pywebview._returnValuesCallbacks[entry.func] = {};
  });
};
"""


def bridge_without_eval(window: Any) -> None:
    """Call once, before `webview.start`."""
    from webview import util

    original: Callable[..., Any] = util.load_js_files  # 6.2 returns (code, finish), though annotated `-> str`

    def load_js_files(*args: Any) -> tuple[str, str]:
        # api.js defines window.pywebview; the finish script, run separately after it, calls _createApi.
        code, finish = original(*args)
        return code + _CREATE_API, finish

    util.load_js_files = load_js_files  # type: ignore[assignment]  # inject_pywebview looks it up at every page load

    # js_bridge_call's answer is one plain statement (`…_returnValuesCallbacks[f][id]({value: '…'})`), which
    # run_js runs as it is. Nothing else in the app calls evaluate_js (page.evaluate does not).
    window.evaluate_js = window.run_js
