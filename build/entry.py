"""The frozen app's entry point: the same `vdp` command line as the console script."""

import sys

from vdp.cli import main

if __name__ == "__main__":
    sys.exit(main())
