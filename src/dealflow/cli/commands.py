"""Registers every command module with the app."""

from dealflow.cli import (  # noqa: F401
    database,
    demo,
    forecast,
    predict,
    records,
    rules,
    serve,
    users,
    workflows,
)
