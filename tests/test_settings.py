"""Settings: safe defaults, and database URLs normalised to the drivers Dealflow ships."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from dealflow.settings import Settings


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in ("DEALFLOW_DATABASE_URL", "DEALFLOW_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env file here
    return tmp_path


def test_the_default_database_is_a_sqlite_file_in_the_working_directory(
    clean_environment: Path,
) -> None:
    url = make_url(Settings().database_url)

    assert url.get_backend_name() == "sqlite"
    assert url.database is not None
    assert not Path(url.database).is_absolute()
    assert (clean_environment / url.database).parent == clean_environment


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://sales@db:5432/crm", "postgresql+psycopg://sales@db:5432/crm"),
        ("postgresql://sales@db/crm", "postgresql+psycopg://sales@db/crm"),
        ("postgresql+psycopg://sales@db/crm", "postgresql+psycopg://sales@db/crm"),
        ("sqlite:////var/lib/dealflow.db", "sqlite:////var/lib/dealflow.db"),
    ],
)
def test_postgres_urls_use_psycopg_3(
    clean_environment: Path, monkeypatch: pytest.MonkeyPatch, given: str, expected: str
) -> None:
    monkeypatch.setenv("DEALFLOW_DATABASE_URL", given)

    assert Settings().database_url == expected


def test_a_dotenv_file_in_the_working_directory_is_read(clean_environment: Path) -> None:
    (clean_environment / ".env").write_text("DEALFLOW_WORKSPACE=agency-client-7\n")

    assert Settings().workspace == "agency-client-7"
