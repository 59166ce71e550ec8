"""The ``dealflow`` command line: thin commands that parse, call one service, and print."""

from dealflow.cli.app import app, main

__all__ = ["app", "main"]
