"""Registers every command module with the app."""

from dealflow.cli import database, demo, records  # noqa: F401
