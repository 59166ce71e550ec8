"""The ``dealflow eval`` command group; each kind of evaluation adds its own command to it."""

from __future__ import annotations

import typer

from dealflow.cli.app import app

eval_app = typer.Typer(
    help="Check Dealflow's predictions on your own labelled data before trusting them.",
    no_args_is_help=True,
)
app.add_typer(eval_app, name="eval")
