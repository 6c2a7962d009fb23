"""Run the benchmarks and write their sections into docs/benchmarks.md.

    python -m bench.run                  # all of them, one after another (2 cores: never two at once)
    python -m bench.run http [options]   # one of them, with its own options (see `python -m bench.run NAME -h`)
"""

from __future__ import annotations

import importlib
import sys
from typing import Sequence

from ._report import write_section, write_subsection

# name: (module, section title), or (module, (section, subsection)) for a measured part of a hand-written section
BENCHMARKS: dict[str, tuple[str, str | tuple[str, str]]] = {
    "http": ("bench.http_bench", "HTTP"),
    "hls": ("bench.hls_bench", "HLS"),
    "runtime": ("bench.runtime_bench", "Runtime load"),
    "bridge": ("bench.bridge_bench", "Event bridge"),
    "load": ("bench.load_bench", "Long load"),
    "import": ("bench.import_bench", "Import"),
    "intake": ("bench.intake_bench", "Task intake"),
    "ratelimit": ("bench.ratelimit_bench", "Rate limits"),
    "overhead": ("bench.task_overhead", ("HTTP profile", "Per-task overhead")),
}


def main(argv: Sequence[str]) -> int:
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__.strip() + "\n\nbenchmarks: " + ", ".join(BENCHMARKS))
        return 0
    if argv and argv[0] not in BENCHMARKS:
        print(f"unknown benchmark {argv[0]!r}; choose from: {', '.join(BENCHMARKS)}", file=sys.stderr)
        return 2
    chosen = [(argv[0], list(argv[1:]))] if argv else [(name, []) for name in BENCHMARKS]
    for name, options in chosen:
        module, title = BENCHMARKS[name]
        print(f"== {name}", file=sys.stderr, flush=True)
        section = importlib.import_module(module).main(options)
        if isinstance(title, tuple):
            write_subsection(*title, section)
        else:
            write_section(title, section)
        print(section, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
