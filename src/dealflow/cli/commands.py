"""Registers every command module with the app."""

from dealflow.cli import database, demo, predict, records, serve, users, workflows  # noqa: F401
