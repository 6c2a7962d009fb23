"""The legacy (v1) runtime, selected by `advanced.download_runtime_v2 = false`, `VDP_RUNTIME=v1` or `--runtime v1`."""

from .runtime import LegacyRuntime

__all__ = ["LegacyRuntime"]
