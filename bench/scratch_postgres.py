"""A PostgreSQL database of its own for one benchmark run, dropped afterwards.

The server is the one the tests use (`ROUNDWATCH_BENCH_POSTGRES`, by default the local server
with trust authentication); each run creates a database with a fresh name, so runs never see
each other's rows, and drops it even while a worker process it started still holds a
connection.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.database import Database, async_database_url

POSTGRES_SERVER = os.environ.get(
    "ROUNDWATCH_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


class PostgresUnreachable(Exception):
    """No PostgreSQL server answers; the message is one sentence."""


def check_reachable() -> None:
    url = make_url(POSTGRES_SERVER)
    address = (url.host or "127.0.0.1", url.port or 5432)
    try:
        with socket.create_connection(address, timeout=1):
            return
    except OSError:
        raise PostgresUnreachable(
            f"the PostgreSQL parts need a server, and none answers at {address[0]}:{address[1]} "
            "(set ROUNDWATCH_BENCH_POSTGRES to a postgresql:// URL)"
        ) from None


@asynccontextmanager
async def scratch_postgres() -> AsyncIterator[Database]:
    check_reachable()
    name = f"roundwatch_bench_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(async_database_url(POSTGRES_SERVER), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        database = Database(
            make_url(POSTGRES_SERVER).set(database=name).render_as_string(hide_password=False)
        )
        try:
            yield database
        finally:
            await database.dispose()
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
