"""Numbered schema migrations. A database written by a newer app is refused, never silently downgraded."""

from __future__ import annotations

import aiosqlite

from ..errors import CommandError

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
)

SCHEMA_VERSION = len(MIGRATIONS)


class DatabaseTooNew(CommandError):
    pass


async def migrate(db: aiosqlite.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION; returns the version found before migrating."""
    await db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    async with db.execute("SELECT version FROM schema_version") as cursor:
        row = await cursor.fetchone()
    found = row[0] if row else 0
    if found > SCHEMA_VERSION:
        raise DatabaseTooNew(
            f"System error: The database was written by a newer version of Video Downloader Pro "
            f"(schema {found}, this app knows {SCHEMA_VERSION}). Update the app or choose another data folder."
        )
    for version in range(found + 1, SCHEMA_VERSION + 1):
        await db.executescript(f"BEGIN; {MIGRATIONS[version - 1]} COMMIT;")
    if found != SCHEMA_VERSION:
        await db.execute("DELETE FROM schema_version")
        await db.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        await db.commit()
    return found
