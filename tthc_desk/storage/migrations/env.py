"""Alembic environment: the engine comes from `Database`; batch mode keeps SQLite ALTERs safe."""

from alembic import context

from tthc_desk.storage.db import in_models
from tthc_desk.storage.models import Base

config = context.config


def run_migrations_online() -> None:
    engine = config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            compare_type=True,
            include_object=in_models,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
