"""Numbered schema migrations. A database written by a newer app is refused, never silently downgraded."""

from __future__ import annotations

import aiosqlite

from ..errors import ErrorCode
from .faults import StorageUnavailable

# A checkpoint's writes (the task's row and resume map, its chunk map replaced), the body of migration 2's checkpoint
# trigger and of migration 3's, which replaced it. Part of both migrations' text: never edited (a change is a new
# migration).
_CHECKPOINT_ROWS = """\
        UPDATE tasks SET data = NEW.data, resume_meta = NEW.resume_meta WHERE id = NEW.task_id;
        DELETE FROM task_chunks WHERE task_id = NEW.task_id;
        INSERT INTO task_chunks (task_id, idx, start, end_, done)
            SELECT NEW.task_id, json_extract(value, '$[0]'), json_extract(value, '$[1]'),
                   json_extract(value, '$[2]'), json_extract(value, '$[3]')
            FROM json_each(NEW.chunks);
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: tasks with their wire JSON, the resume map, and the audit trail.
    """
    CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        data TEXT NOT NULL,
        resume_meta TEXT
    );
    CREATE INDEX tasks_url ON tasks(url);
    CREATE TABLE task_chunks (
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end_ INTEGER,
        done INTEGER NOT NULL,
        PRIMARY KEY (task_id, idx)
    ) WITHOUT ROWID;
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ts TEXT NOT NULL,
        task_id TEXT,
        kind TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT,
        cause TEXT
    );
    CREATE INDEX events_task ON events(task_id);
    """,
    # 2: one statement per status change and per checkpoint. The runtime's writes are serialised through one
    # connection thread; each round trip to it costs more than the SQL, so the work happens in triggers.
    f"""
    CREATE VIEW task_transition AS
        SELECT NULL AS task_id, NULL AS ts, NULL AS from_status, NULL AS to_status, NULL AS cause, NULL AS data;
    CREATE TRIGGER task_transition_insert INSTEAD OF INSERT ON task_transition BEGIN
        UPDATE tasks SET status = NEW.to_status, data = NEW.data WHERE id = NEW.task_id;
        INSERT INTO events (ts, task_id, kind, from_status, to_status, cause)
            VALUES (NEW.ts, NEW.task_id, 'status', NEW.from_status, NEW.to_status, NEW.cause);
        DELETE FROM task_chunks WHERE NEW.to_status = 'Completed' AND task_id = NEW.task_id;
        UPDATE tasks SET resume_meta = NULL WHERE NEW.to_status = 'Completed' AND id = NEW.task_id;
    END;
    CREATE VIEW task_checkpoint AS
        SELECT NULL AS task_id, NULL AS data, NULL AS resume_meta, NULL AS chunks;
    CREATE TRIGGER task_checkpoint_insert INSTEAD OF INSERT ON task_checkpoint BEGIN
{_CHECKPOINT_ROWS}    END;
    """,
    # 3: a command-loop batch (its checkpoints, then its status changes) in one statement: one round trip to the
    # connection thread where there were two, and the batch is written entirely or not at all. The triggers do the
    # work themselves (a trigger that inserts into a view with a trigger of its own costs a second frame per row), so
    # the two views of migration 2 go.
    f"""
    DROP VIEW task_transition;
    DROP VIEW task_checkpoint;
    CREATE VIEW task_commit AS
        SELECT NULL AS kind, NULL AS task_id, NULL AS ts, NULL AS from_status, NULL AS to_status, NULL AS cause,
               NULL AS data, NULL AS resume_meta, NULL AS chunks;
    CREATE TRIGGER task_commit_checkpoint INSTEAD OF INSERT ON task_commit WHEN NEW.kind = 'checkpoint' BEGIN
{_CHECKPOINT_ROWS}    END;
    CREATE TRIGGER task_commit_transition INSTEAD OF INSERT ON task_commit WHEN NEW.kind = 'transition' BEGIN
        UPDATE tasks SET status = NEW.to_status, data = NEW.data,
                         resume_meta = CASE WHEN NEW.to_status = 'Completed' THEN NULL ELSE resume_meta END
            WHERE id = NEW.task_id;
        INSERT INTO events (ts, task_id, kind, from_status, to_status, cause)
            VALUES (NEW.ts, NEW.task_id, 'status', NEW.from_status, NEW.to_status, NEW.cause);
    END;
    CREATE TRIGGER task_commit_completed INSTEAD OF INSERT ON task_commit
        WHEN NEW.kind = 'transition' AND NEW.to_status = 'Completed' BEGIN
        DELETE FROM task_chunks WHERE task_id = NEW.task_id;  -- a completed task has nothing left to resume
    END;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseTooNew(StorageUnavailable):
    def __init__(self, message: str) -> None:
        super().__init__(ErrorCode.DATABASE_TOO_NEW, message)


async def migrate(db: aiosqlite.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION; returns the version found before migrating."""
    await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    async with db.execute("SELECT version FROM schema_version") as cursor:
        row = await cursor.fetchone()
    found = row[0] if row else 0
    if found > SCHEMA_VERSION:
        raise DatabaseTooNew(
            f"The database was written by a newer version of Video Downloader Pro "
            f"(schema {found}, this app knows {SCHEMA_VERSION}). Update the app or choose another data folder."
        )
    for version in range(found + 1, SCHEMA_VERSION + 1):
        # Each migration with its version number, in one transaction: one that fails (or a crash) after an earlier
        # one committed leaves a database the next open continues from (migration 3 drops views: run twice, it fails).
        await db.executescript(f"BEGIN; {MIGRATIONS[version - 1]}"
                               f" DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES ({version});"
                               " COMMIT;")
    return found
