"""The shipped package evaluates no script it is sent: the only JavaScript it runs in the window is its own.

The desktop tests' remote control (remote_control.py, outside the package) is what evaluates arbitrary script; the
`vdp` package may only call `evaluate`/`runJavaScript` with text it builds itself from module constants.
"""

from __future__ import annotations

import ast
from pathlib import Path

import vdp

PACKAGE = Path(vdp.__file__).parent
RUNNERS = {"evaluate", "evaluate_js", "runJavaScript"}


def _calls_to_runners(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and _name(node) in RUNNERS]


def _module_constants(tree: ast.Module) -> set[str]:
    return {target.id for node in tree.body if isinstance(node, ast.Assign) for target in node.targets
            if isinstance(target, ast.Name) and target.id.isupper()}


def test_the_package_runs_only_its_own_script() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        constants = _module_constants(tree)
        for call in _calls_to_runners(tree):
            script = call.args[2] if len(call.args) > 2 and _name(call) == "evaluate" else call.args[0]
            # page.py builds its scripts from templates (a constant, or an f-string around json.dumps of data);
            # a caller may pass only a module constant.
            if path.name == "page.py" or (isinstance(script, ast.Name) and script.id in constants):
                continue
            offenders.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
    assert offenders == [], f"script from outside the package can reach the window at {offenders}"


def test_the_package_has_no_remote_control() -> None:
    sources = "\n".join(path.read_text(encoding="utf-8") for path in PACKAGE.rglob("*.py"))
    assert "VDP_TEST_CONTROL" not in sources
    assert not (PACKAGE / "desktop" / "test_control.py").exists()


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
