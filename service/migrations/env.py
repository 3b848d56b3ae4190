"""Alembic environment: runs on the connection :func:`service.db.upgrade` hands over, or
(``alembic -c service/alembic.ini upgrade head``) on the service's configured database."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from service.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    # Only when alembic runs from its own command line: the service passes its connection.
    from service.db import Database
    from service.settings import Settings

    url = config.get_main_option("sqlalchemy.url") or Settings().database_url
    db = Database(url)
    try:
        with db.engine.begin() as conn:
            _run(conn)
    finally:
        db.dispose()


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
