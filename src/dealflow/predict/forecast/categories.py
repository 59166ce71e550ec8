"""Forecast categories (the HubSpot/Salesforce convention): where a rep puts each deal.

A deal's ``forecast_category`` column holds the rep's choice; empty means "follow the stage",
so a deal moving forward moves category with it until the rep decides otherwise.
"""

from __future__ import annotations

from dealflow.crm.objects import FORECAST_CATEGORIES

PIPELINE, BEST_CASE, COMMIT, CLOSED_WON, OMITTED = FORECAST_CATEGORIES
COMMIT_FROM = 0.7
"""Open stages at least this likely to win default to commit."""
BEST_CASE_FROM = 0.4
"""Open stages at least this likely (and below ``COMMIT_FROM``) default to best case."""


def default_category(stage_kind: str, stage_probability: float) -> str:
    """The category a deal in this stage has until the rep chooses one."""
    if stage_kind == "won":
        return CLOSED_WON
    if stage_kind == "lost":
        return OMITTED
    if stage_probability >= COMMIT_FROM:
        return COMMIT
    if stage_probability >= BEST_CASE_FROM:
        return BEST_CASE
    return PIPELINE


def category_of(chosen: str | None, stage_kind: str, stage_probability: float) -> str:
    """The deal's category: the rep's choice, except that a closed deal follows its outcome."""
    if stage_kind != "open" or chosen is None:
        return default_category(stage_kind, stage_probability)
    return chosen
