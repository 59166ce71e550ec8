"""All configuration, read from ``DEALFLOW_*`` environment variables (or a ``.env`` file)."""

from functools import lru_cache

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Dealflow settings; every field maps to ``DEALFLOW_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="DEALFLOW_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///dealflow.db"
    """SQLAlchemy URL. The default is a SQLite file in the working directory."""

    workspace: str = "default"
    """Slug of the workspace CLI commands act on when ``--workspace`` is not given."""

    research_max_pages: int = 8
    """Pages the prospecting agent reads per company (the start page included)."""
    research_delay_seconds: float = 1.0
    """Pause between two requests to one website."""
    research_allowed_targets: list[str] = []
    """Non-public addresses the agent may read all the same (``127.0.0.1:8123``,
    ``10.0.0.0/8``): for tests and on-premises sites. Empty: public addresses only."""

    sqlite_busy_timeout_ms: int = 30_000
    import_batch_size: int = 5_000

    llm_base_url: str | None = None
    """An OpenAI-compatible API (``https://api.openai.com/v1``, vLLM, Ollama's ``/v1``...)."""
    llm_model: str = "gpt-4o-mini"
    llm_api_key: str | None = None
    llm_timeout_seconds: float = 30.0
    llm_max_retries: int = 2
    llm_backoff_seconds: float = 1.0
    """The first wait before a retry; each next one doubles."""
    llm_input_price_per_million: float = 0.0
    """Price of a million prompt tokens (in your currency), for the cost kept per draft."""
    llm_output_price_per_million: float = 0.0

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, url: str) -> str:
        return with_psycopg_driver(url)


def with_psycopg_driver(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
