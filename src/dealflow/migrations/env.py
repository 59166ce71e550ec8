"""Alembic environment: runs migrations on the engine Dealflow hands it."""

from alembic import context
from sqlalchemy import Engine

from dealflow.db import make_engine
from dealflow.models import Base

engine: Engine = context.config.attributes.get("engine") or make_engine()

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=engine.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
