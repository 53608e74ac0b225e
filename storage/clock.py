"""The database's clock, for times several workers compare: leases and due times.

Workers' clocks drift apart; the database's is one clock for all of them. On SQLite a time is
stored as text, so the expression renders exactly the text SQLAlchemy writes for a datetime
(microseconds included), which keeps comparisons between both kinds of value correct and lets
the ORM read either back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, bindparam, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel.sql.sqltypes import UTCDateTime


class database_now(FunctionElement[Any]):
    """The database's current time, plus `seconds` (a number or a bound parameter)."""

    type = UTCDateTime()
    inherit_cache = True

    def __init__(self, seconds: float | ColumnElement[Any] = 0.0) -> None:
        offset = seconds if isinstance(seconds, ColumnElement) else literal(seconds, Float)
        super().__init__(offset)


def seconds_parameter(name: str) -> ColumnElement[Any]:
    return bindparam(name, type_=Float)


@compiles(database_now, "postgresql")
def _postgresql_now(element: database_now, compiler: SQLCompiler, **kw: Any) -> str:
    (seconds,) = element.clauses
    return f"(now() + make_interval(secs => CAST({compiler.process(seconds, **kw)} AS FLOAT8)))"


@compiles(database_now, "sqlite")
def _sqlite_now(element: database_now, compiler: SQLCompiler, **kw: Any) -> str:
    (seconds,) = element.clauses
    modifier = f"printf('%+.6f seconds', {compiler.process(seconds, **kw)})"
    return f"(strftime('%Y-%m-%d %H:%M:%f', 'now', {modifier}) || '000')"
