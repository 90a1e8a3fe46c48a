"""Alembic environment: the URL or an open connection comes from bot.migrate."""

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401 - registers the tables on SQLModel.metadata
from bot.db import Database

config = context.config
target_metadata = SQLModel.metadata


def run_with(connection) -> None:
    if connection.dialect.name == "sqlite":
        # SQLite alters a table by copying it; with foreign keys enforced, dropping the old copy of a
        # referenced table fails. Switch enforcement off for the migration (outside any transaction).
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "bot.migrate gives either the URL or a connection"
    db = Database(url)
    with db.engine.connect() as conn:
        run_with(conn)
    db.dispose()
