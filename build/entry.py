"""The frozen app's entry point: the same `vdp` command line as the console script."""

import multiprocessing

if __name__ == "__main__":
    # Reading a workbook starts a child process by running this executable again (multiprocessing's forkserver and
    # resource tracker, spawn on Windows); such a start runs the child's code and exits here, before the command line
    # is parsed and before the app is imported. PyInstaller's runtime hook makes this work on every platform.
    multiprocessing.freeze_support()

    from vdp.cli import script

    script()
