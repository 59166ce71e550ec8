"""What the diagnosis measures against: key properties, fill-rate targets, staleness and
the outcomes learned scoring needs. Defaults here; a workspace overrides them in its
``quality_targets`` setting."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from dealflow.core.errors import InvalidInputError

DEFAULT_TARGET = 0.8
"""The seed's bar: key properties filled on at least 80% of records."""
KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "contacts": (
        "email", "phone", "first_name", "last_name", "job_title", "company_id", "country",
        "source", "owner_id",
    ),
    "companies": (
        "name", "domain", "industry", "country", "employees", "annual_revenue", "owner_id",
    ),
    "deals": ("amount", "close_date", "company_id", "owner_id", "product_id"),
}  # fmt: skip
STALE_AFTER_DAYS = 180


@dataclass(frozen=True)
class OutcomeNeed:
    """Outcomes a learned scorer needs before it is trusted over rules. The numbers match
    the predict layer's readiness rule; they are stated here because crm sits below it."""

    min_positives: int
    min_negatives: int
    positive_label: str
    negative_label: str


OUTCOME_NEEDS = {
    "leads": OutcomeNeed(120, 1000, "converted leads", "leads that did not convert"),
    "deals": OutcomeNeed(50, 150, "won deals", "lost deals"),
}


@dataclass(frozen=True)
class QualityTargets:
    """Key properties per object, fill targets (``"contacts.phone": 0.5``), when a record
    is stale, and the outcomes scoring needs."""

    key_properties: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(KEY_PROPERTIES)
    )
    fill_targets: Mapping[str, float] = field(default_factory=dict)
    default_target: float = DEFAULT_TARGET
    stale_after_days: int = STALE_AFTER_DAYS
    outcome_needs: Mapping[str, OutcomeNeed] = field(default_factory=lambda: dict(OUTCOME_NEEDS))

    def target(self, object_type: str, name: str) -> float:
        return self.fill_targets.get(f"{object_type}.{name}", self.default_target)

    def with_settings(self, settings: Mapping[str, Any] | None) -> QualityTargets:
        """These targets with a workspace's ``{"targets": {"contacts.phone": 0.5},
        "key_properties": {"contacts": [...]}, "stale_after_days": 90}`` applied."""
        if not settings:
            return self
        targets = dict(self.fill_targets)
        for name, value in dict(settings.get("targets") or {}).items():
            targets[str(name)] = parse_target(str(name), value)
        keys = dict(self.key_properties)
        for object_type, names in dict(settings.get("key_properties") or {}).items():
            keys[str(object_type)] = tuple(str(n) for n in names)
        stale = int(settings.get("stale_after_days") or self.stale_after_days)
        return replace(self, fill_targets=targets, key_properties=keys, stale_after_days=stale)


def parse_target(name: str, value: Any) -> float:
    """A fill target as a share: ``0.5``, ``50`` or ``"50%"`` are all one half."""
    text = str(value).strip().removesuffix("%")
    try:
        number = float(text)
    except ValueError:
        raise InvalidInputError(
            f"target of {name} must be a number like 80 or 0.8, not {value!r}"
        ) from None
    share = number / 100 if number > 1 else number
    if not 0 <= share <= 1:
        raise InvalidInputError(f"target of {name} must be between 0 and 100%, not {value!r}")
    return share
