"""Where splink runs its SQL: DuckDB in this process by default; Spark or PostgreSQL for
tables too big for one machine, chosen by configuration, not by code changes."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from splink.internals.database_api import DatabaseAPISubClass
from splink.internals.splink_dataframe import SplinkDataFrame

from dealflow.core.errors import InvalidInputError

BACKENDS = ("duckdb", "spark", "postgres")


@dataclass(frozen=True)
class LinkageBackend:
    """``kind`` is one of BACKENDS; ``url`` is a PostgreSQL URL for "postgres"."""

    kind: str = "duckdb"
    url: str | None = None
    threads: int | None = None
    """DuckDB threads (None: all cores)."""

    def database(self) -> DatabaseAPISubClass:
        """A fresh splink database API of this kind."""
        if self.kind == "duckdb":
            import duckdb
            from splink.backends.duckdb import DuckDBAPI

            connection = duckdb.connect(":memory:")
            if self.threads:
                connection.execute(f"SET threads = {int(self.threads)}")
            return DuckDBAPI(connection)
        if self.kind == "postgres":
            from splink.backends.postgres import PostgresAPI
            from sqlalchemy import create_engine

            if not self.url:
                raise InvalidInputError("the postgres linkage backend needs a database URL")
            return PostgresAPI(engine=create_engine(self.url))
        if self.kind == "spark":
            from pyspark.sql import SparkSession  # type: ignore[import-not-found]
            from splink.backends.spark import SparkAPI

            return SparkAPI(spark_session=SparkSession.builder.getOrCreate())
        raise InvalidInputError(f"linkage backend {self.kind!r} is not one of {BACKENDS}")

    def register(self, database: DatabaseAPISubClass, frame: pd.DataFrame) -> SplinkDataFrame:
        """The table handed to splink on this backend."""
        if self.kind == "spark":
            spark = database.spark  # type: ignore[attr-defined]
            return database.register(spark.createDataFrame(frame))
        return database.register(frame)
