"""Import throughput: ``dealflow import`` of N generated contacts vs a raw bulk insert.

The baseline inserts the same rows (read from the same CSV with the csv module) into the same
table of a fresh database in one transaction: executemany on SQLite, COPY on PostgreSQL; it
runs before and after the import and the ratio uses the mean of the two.
The import does everything a user's import does: mapping, parsing and validating each value,
key lookups for upsert, record.created events in the outbox, one transaction.

    python bench/import.py [--rows 1000000] [--backends sqlite,postgresql]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from dealflow import db
from dealflow.core.dialect import dialect_of
from dealflow.crm.importing.importer import ImportPlan, import_files
from dealflow.crm.importing.mapping import infer_plan
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Contact

POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
RAW = (
    "the CSV read with the csv module, its rows inserted as they are into contacts in one "
    "transaction: executemany on SQLite, COPY on PostgreSQL; ids from the table's default"
)
IMPORT = (
    "dealflow import of the same file: mapping, each value parsed and validated, key checks "
    "for upsert, the same contacts plus one record.created outbox event each, one transaction"
)
HEADER = ["email", "first_name", "last_name", "job_title", "lifecycle_stage", "source",
          "country", "language", "do_not_email"]  # fmt: skip
FIRST = ["Anna", "Kenta", "Minjun", "Sara", "David", "Yuki", "Jiwoo", "Reza", "Maria", "Omar"]
LAST = ["Smith", "Sato", "Kim", "Rezaei", "Garcia", "Tanaka", "Park", "Ahmadi", "Brown", "Lee"]
TITLES = ["CEO", "Head of Sales", "Engineer", "Buyer", "Marketing Manager", "CFO"]
STAGES = ["subscriber", "lead", "mql", "sql", "opportunity", "customer"]
SOURCES = ["organic", "paid search", "referral", "event", "social", "email"]
COUNTRIES = ["Japan", "South Korea", "Iran", "United States", "Germany", "United Kingdom"]
LANGUAGES = ["ja", "ko", "fa", "en", "de", "en"]


def write_contacts(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for index in range(rows):
            country = rng.randrange(len(COUNTRIES))
            writer.writerow([
                f"contact{index}@example{index % 997}.com",
                rng.choice(FIRST), rng.choice(LAST), rng.choice(TITLES), rng.choice(STAGES),
                rng.choice(SOURCES), COUNTRIES[country], LANGUAGES[country],
                "true" if rng.random() < 0.05 else "false",
            ])  # fmt: skip


def fresh_database(backend: str, directory: Path) -> tuple[str, str | None]:
    """A migrated empty database: a new SQLite file, or a new PostgreSQL schema."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}"
        schema = None
    else:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = db.make_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    engine.dispose()
    return url, schema


def drop(schema: str | None) -> None:
    if schema:
        admin = db.make_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def raw_insert(url: str, path: Path) -> float:
    """Seconds to bulk-insert the CSV's rows as they are (no validation, no events)."""
    engine = db.make_engine(url)
    with db.unit_of_work(engine) as session:
        workspace_id = ensure_workspace(session, "bench").id
    started = time.perf_counter()
    with db.unit_of_work(engine) as session, path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        columns = ["workspace_id", *HEADER]
        columns += ["do_not_call", "properties", "created_at", "updated_at"]
        now = "2026-01-01 00:00:00"
        rows = (
            (workspace_id, *row[:-1], row[-1] == "true", False, "{}", now, now) for row in reader
        )
        dialect = dialect_of(session)
        table = Contact.__table__
        if dialect.name == "sqlite":
            statement = (
                f"INSERT INTO contacts ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})"
            )
            session.connection().exec_driver_sql(statement, list(rows))
        else:
            raw = session.connection().connection.dbapi_connection
            assert raw is not None
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def dealflow_import(url: str, path: Path, directory: Path) -> tuple[float, int]:
    """Seconds for the full import path, and the number of records it created."""
    engine = db.make_engine(url)
    with db.unit_of_work(engine) as session:
        workspace_id = ensure_workspace(session, "bench").id
    plan = ImportPlan((infer_plan("contacts", HEADER),))
    started = time.perf_counter()
    with db.unit_of_work(engine) as session:
        result = import_files(
            session, workspace_id, plan, path, report_path=directory / "report.csv"
        )
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed, result.created


def timed_raw(backend: str, path: Path, directory: Path) -> float:
    url, schema = fresh_database(backend, directory)
    try:
        return raw_insert(url, path)
    finally:
        drop(schema)


def measure(backend: str, rows: int, path: Path, directory: Path) -> dict[str, Any]:
    """The raw insert runs before and after the import, each into a fresh database, and the
    ratio uses their mean: on a shared machine the load drifts during a long run."""
    raw_before = timed_raw(backend, path, directory)
    url, schema = fresh_database(backend, directory)
    try:
        import_seconds, created = dealflow_import(url, path, directory)
    finally:
        drop(schema)
    raw_after = timed_raw(backend, path, directory)
    if created != rows:
        raise SystemExit(f"{backend}: the import created {created} contacts, expected {rows}")
    raw_seconds = (raw_before + raw_after) / 2
    return {
        "raw_rows_per_s": round(rows / raw_seconds),
        "import_rows_per_s": round(rows / import_seconds),
        "raw_seconds_before_and_after": [round(raw_before, 2), round(raw_after, 2)],
        "import_seconds": round(import_seconds, 2),
        "ratio_import_to_raw": round(raw_seconds / import_seconds, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        directory = Path(temp)
        path = directory / "contacts.csv"
        write_contacts(path, args.rows)
        report: dict[str, object] = {"benchmark": "import", "rows": args.rows,
                                     "file_mb": round(path.stat().st_size / 1e6, 1),
                                     "raw": RAW, "import": IMPORT}  # fmt: skip
        for backend in args.backends.split(","):
            print(f"measuring {backend}...", file=sys.stderr)
            report[backend] = measure(backend, args.rows, path, directory)
        report["load_average"] = [round(load, 2) for load in os.getloadavg()]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
