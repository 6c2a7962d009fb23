"""Looking into an app's SQLite file from a test.

`with sqlite3.connect(...)` only commits; it does not close. A connection left open on a WAL database checkpoints
its WAL into the main file whenever it is finally collected, which can overwrite a file a test has put back
(a restored snapshot) with newer pages. So every look here opens, commits and closes.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def open_database(path: Path) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(path)) as db, db:
        yield db


def claimed_bytes(db: sqlite3.Connection) -> int:
    """Bytes the chunk maps of all tasks claim as durable."""
    return db.execute("SELECT COALESCE(SUM(done), 0) FROM task_chunks").fetchone()[0]
