"""Registers every command module with the app."""

from dealflow.cli import (  # noqa: F401
    classify_eval,
    database,
    dedupe_eval,
    demo,
    eval_group,
    evaluation,
    forecast,
    predict,
    records,
    rules,
    serve,
    users,
    workflows,
)
