"""The desktop shell: a pywebview window around the built UI, the runtime on its own thread.

`shell.run_desktop` is the entry (`vdp desktop`). Around it: `runtime_thread` (the asyncio runtime off the GUI
thread), `gui_thread` (calls onto the Qt thread), `page` (awaited JS evaluation, event batches pushed into the
page), `hardening` (nothing the page does may kill the app), `dialogs` and `window_state`. Nothing here evaluates
script on request: the desktop tests' remote control lives in tests/desktop/remote_control.py (docs/packaging.md).
"""
