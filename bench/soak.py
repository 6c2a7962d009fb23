"""The long crash loop (`make soak`): many SIGKILLs at seeded random moments per scenario, then the checks of
tests/reliability/crash_loop.py (every task present, no Completed task with a wrong file, integrity_check ok)
and the bytes fetched again per kill.

    python -m bench.soak                                   # every scenario, 20 kills each
    python -m bench.soak --kills 50 --seed 7 http-8 import # chosen scenarios
    python -m bench.soak --size-mib 256 http-8             # a bigger file for the HTTP scenarios

Exits non-zero when any scenario found a problem (printed). Slow on purpose: not part of `make test`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from tests.reliability.crash_loop import MIB, SCENARIOS, HttpScenario, run_crash_loop


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO", default=list(SCENARIOS),
                        help=f"which to run (default: all of {', '.join(SCENARIOS)})")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs per scenario (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the random kill moments")
    parser.add_argument("--size-mib", type=int, default=None, help="file size of the HTTP scenarios")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds the last, unkilled run may take")
    args = parser.parse_args(argv)
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario(s) {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIOS)}")
    failed = False
    for name in args.scenarios:
        scenario = SCENARIOS[name]()
        if args.size_mib and isinstance(scenario, HttpScenario):
            scenario.size = args.size_mib * MIB
        with tempfile.TemporaryDirectory(prefix=f"vdp-soak-{name}-") as workdir:
            report = run_crash_loop(scenario, Path(workdir), kills=args.kills, seed=args.seed, timeout=args.timeout)
        print(report.line(), flush=True)
        print(f"  fetched again per cycle (bytes): {report.waste_per_cycle}", flush=True)
        for problem in report.problems:
            print(f"  PROBLEM {problem}", flush=True)
        failed |= not report.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
