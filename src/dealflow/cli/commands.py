"""Registers every command module with the app."""

from dealflow.cli import (  # noqa: F401
    database,
    dedupe_eval,
    demo,
    eval_group,
    evaluation,
    forecast,
    injection_eval,
    predict,
    prospect,
    records,
    rules,
    serve,
    users,
    workflows,
)
