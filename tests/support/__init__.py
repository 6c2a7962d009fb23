"""Test support: a fault-injecting HTTP server (`fault_server`) and deterministic test data (`payload`).

Import from the modules themselves, e.g. `from tests.support.fault_server import FaultServer`; this package
imports nothing so that `python -m tests.support.fault_server` runs the module only once.
"""
