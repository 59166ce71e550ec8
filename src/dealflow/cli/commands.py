"""Registers every command module with the app."""

from dealflow.cli import database, demo, records, serve, users  # noqa: F401
