"""The frozen app's entry point: the same `vdp` command line as the console script."""

from vdp.cli import script

if __name__ == "__main__":
    script()
