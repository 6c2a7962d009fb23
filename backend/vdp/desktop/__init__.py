"""The desktop shell: a pywebview window around the built UI, the runtime on its own thread."""
