"""Database engine, sessions and the schema's naming convention.

Users write plain URLs (``sqlite:///file.db``, ``postgresql://user@host/db``); the async driver is
chosen here. On SQLite, transactions of write requests start with ``BEGIN IMMEDIATE`` so that
check-then-insert rules (unique names, unique links) cannot race: SQLite has one writer at a time,
and taking the write lock up front makes the check and the insert one step.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import MetaData, event
from sqlalchemy.engine import URL, Connection, Row, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql import Executable, Select

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING_CONVENTION)

# Rows and selects of any shape, for repository signatures.
AnyRow = Row[*tuple[Any, ...]]
AnySelect = Select[*tuple[Any, ...]]

SQLITE_BEGIN_OPTION = "sqlite_begin"

# What a database that is down, or on its way down or up, raises. PostgreSQL's own errors are known by their
# SQLSTATE: connection exceptions (class 08, asyncpg's ConnectionDoesNotExistError among them), shutdowns
# (57P01 admin, 57P02 crash), 57P03 "the database system is starting up" (CannotConnectNowError), and
# 53300 too many connections. The driver's translation to SQLAlchemy's classes leaves them a plain DBAPIError.
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError, PoolTimeoutError, OSError)
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


class DatabaseURLError(ValueError):
    pass


def is_unavailable(exc: BaseException) -> bool:
    """Whether `exc` says the database cannot be used right now (rather than that a statement failed)."""
    if isinstance(exc, UNAVAILABLE_ERRORS):
        return True
    current: BaseException | None = exc
    for _ in range(4):  # SQLAlchemy's error -> the driver adapter's -> asyncpg's
        if current is None:
            return False
        sqlstate = getattr(current, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(UNAVAILABLE_SQLSTATES):
            return True
        current = current.orig if isinstance(current, DBAPIError) else current.__cause__
    return False


def async_url(raw: str) -> URL:
    """Turn the URL a user wrote into one naming an async driver."""
    try:
        url = make_url(raw)
    except Exception as exc:
        raise DatabaseURLError(f"Not a database URL: {raw!r}") from exc
    backend = url.get_backend_name()
    if backend == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        query = dict(url.query)
        sslmode = query.pop("sslmode", None)
        if sslmode is not None:
            query["ssl"] = sslmode
        return url.set(drivername="postgresql+asyncpg", query=query)
    raise DatabaseURLError(f"Unsupported database {backend!r}: use sqlite:///path.db or postgresql://...")


def create_engine(raw_url: str, pool_size: int = 10) -> AsyncEngine:
    url = async_url(raw_url)
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=False)


def driver_connect_args(engine: AsyncEngine) -> tuple[list[Any], dict[str, Any]]:
    """Arguments for `asyncpg.connect` to the engine's PostgreSQL database, for the processes' own connections
    (outside the pool): those SQLAlchemy's pool would use, less the options only its adapter knows."""
    args, kwargs = engine.dialect.create_connect_args(engine.url)
    kwargs = dict(kwargs)
    cache_size = kwargs.pop("prepared_statement_cache_size", None)
    if cache_size is not None:  # ?prepared_statement_cache_size=0, as set for PgBouncer
        kwargs["statement_cache_size"] = cache_size
    kwargs.pop("prepared_statement_name_func", None)
    return list(args), kwargs


def _unicode_lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _configure_sqlite(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy emit BEGIN itself (below), so the kind of transaction can be chosen.
        dbapi_connection.isolation_level = None
        # SQLite's own lower() folds only ASCII; searches must ignore case in every script.
        dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get(SQLITE_BEGIN_OPTION, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """The engine and session factories of one process."""

    def __init__(self, raw_url: str, pool_size: int = 10) -> None:
        self.engine = create_engine(raw_url, pool_size=pool_size)
        # PostgreSQL reads run in autocommit: each statement sees committed data either way (read
        # committed), and it saves the BEGIN and ROLLBACK round trips of every read request.
        read_engine = self.engine
        if self.engine.dialect.name == "postgresql":
            read_engine = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._read_engine = read_engine
        self._read = async_sessionmaker(read_engine, expire_on_commit=False, autoflush=False)
        # Same pool; on SQLite its transactions begin IMMEDIATE (see the module docstring).
        write_engine = self.engine.execution_options(**{SQLITE_BEGIN_OPTION: "IMMEDIATE"})
        self._write = async_sessionmaker(write_engine, expire_on_commit=False, autoflush=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def read_connection(self) -> AsyncConnection:
        """A connection for a few reads outside any session (autocommit on PostgreSQL, as read sessions)."""
        return self._read_engine.connect()

    def session(self, *, write: bool) -> AsyncSession:
        """A session; its transaction starts with its first statement."""
        return (self._write if write else self._read)()

    async def dispose(self) -> None:
        await self.engine.dispose()


async def rows(session: AsyncSession, statement: Executable, **params: Any) -> Sequence[AnyRow]:
    """Run a prepared Core statement on the session's connection (skipping the ORM's per-call work)."""
    connection = await session.connection()
    return (await connection.execute(statement, params)).all()


async def first_row(session: AsyncSession, statement: Executable, **params: Any) -> AnyRow | None:
    connection = await session.connection()
    return (await connection.execute(statement, params)).first()
