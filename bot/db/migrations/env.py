"""Alembic environment for the assistant's tables.

The database comes from, in order: a connection handed over by `bot.db.migrate` (which holds the
migration lock on it), the `url` attribute of the Alembic config, `sqlalchemy.url` in alembic.ini,
then `DATABASE_URL` / the SQLite default via `bot.settings`.

Only tables defined in `bot.db.models` are ours. Rasa's tracker store may keep its `events` table in
the same database; autogenerate must neither drop it nor any other table it does not know.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context

from bot import settings
from bot.db.migrate import include_name
from bot.db.models import Base

config = context.config
target_metadata = Base.metadata

# Only the alembic command line has an ini file (with logging settings); code-driven runs log nothing.
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def database_url() -> str:
    return config.attributes.get("url") or config.get_main_option("sqlalchemy.url") or settings.database_url()


def configure_options(dialect_name: str) -> dict:
    return dict(
        target_metadata=target_metadata,
        include_name=include_name,
        compare_type=True,
        # SQLite cannot alter most things in place; batch mode copies the table instead.
        render_as_batch=dialect_name == "sqlite",
    )


def run_migrations_offline() -> None:
    url = database_url()
    from sqlalchemy.engine import make_url

    context.configure(
        url=url,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        **configure_options(make_url(url).get_backend_name()),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_with(connection) -> None:
    context.configure(connection=connection, **configure_options(connection.dialect.name))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    from bot.db.engine import get_engine

    with get_engine(database_url()).connect() as connection:
        run_with(connection)
        connection.commit()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
