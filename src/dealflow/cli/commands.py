"""Registers every command module with the app."""

from dealflow.cli import (  # noqa: F401
    database,
    dedupe_eval,
    demo,
    drafts,
    eval_group,
    evaluation,
    forecast,
    grounding_eval,
    predict,
    quality,
    records,
    rules,
    segments,
    serve,
    users,
    workflows,
)
from dealflow.personalize import actions  # noqa: F401  (registers draft_email)
