"""What the diagnosis reports: problems found, each with its weight in the score and what to
do about it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

DIMENSION_WEIGHTS = {
    "completeness": 0.30,
    "validity": 0.20,
    "uniqueness": 0.15,
    "consistency": 0.15,
    "freshness": 0.10,
    "readiness": 0.10,
}
"""How much each dimension counts in the overall score (they sum to 1)."""

MESSAGES = {
    "low_fill_rate": "{object}.{property} filled on {rate:.0%} of records (target {target:.0%})",
    "invalid_email": "{count} emails of {object} are not valid addresses",
    "invalid_phone": "{count} phone numbers of {object} cannot be read as a number",
    "phone_not_e164": "{count} phone numbers of {object} are not in E.164 form",
    "invalid_domain": "{count} domains of {object} are not valid domains",
    "invalid_country": "{count} countries of {object} name no country",
    "country_not_iso": "{count} countries of {object} are names, not ISO codes",
    "misspelt_value": (
        "{count} {object} have {property} {value!r}, likely a misspelling of {suggestion!r}"
    ),
    "variant_spelling": "{count} {object} spell {property} {value!r}, others {suggestion!r}",
    "date_out_of_range": "{count} {object} have {property} outside a plausible range",
    "not_positive": "{count} {object} have a negative or zero {property}",
    "duplicates": "{count} {object} are duplicates of another record ({clusters} groups)",
    "stale": "{share:.0%} of {object} had no activity or update in {days} days",
    "won_deal_without_amount": "{count} won deals have no amount",
    "customer_without_won_deal": "{count} customers have no won deal",
    "open_deal_without_company": "{count} open deals have no company",
    "open_deal_past_close_date": "{count} open deals have a close date in the past",
    "few_outcomes": (
        "{positives} {positive_label} and {negatives} {negative_label}: "
        "learned scoring needs {min_positives} and {min_negatives}"
    ),
}  # fmt: skip
ACTIONS = {
    "low_fill_rate": "Make {property} required on forms and imports, or enrich it from a source.",
    "invalid_email": "Correct or remove them; the cleansing agent fixes case and spaces.",
    "invalid_phone": "Correct them or set the workspace's phone region.",
    "phone_not_e164": "Run the cleansing agent: dealflow cleanse run.",
    "invalid_domain": "Correct them; the cleansing agent reads domains from websites.",
    "invalid_country": "Correct them; the cleansing agent fixes misspelt names.",
    "country_not_iso": "Run the cleansing agent: dealflow cleanse run.",
    "misspelt_value": "Run the cleansing agent, or correct the value on the records.",
    "variant_spelling": "Run the cleansing agent to merge the spellings into one.",
    "date_out_of_range": "Check the dates; a typo in the year is the usual cause.",
    "not_positive": "Correct the amounts; a missing value is better left empty than 0.",
    "duplicates": "Review the cleansing agent's merges: dealflow cleanse run.",
    "stale": "Re-engage or archive them; stale records mislead scoring.",
    "won_deal_without_amount": "Enter the amount won: revenue and forecasts count it.",
    "customer_without_won_deal": "Record the deal they bought with, or correct the stage.",
    "open_deal_without_company": "Associate each open deal with its company.",
    "open_deal_past_close_date": "Move the close date or close the deal.",
    "few_outcomes": "Keep recording won and lost outcomes; until then rule scoring is used.",
}
AGENT_FIXES = frozenset(
    {"invalid_email", "phone_not_e164", "invalid_domain", "invalid_country", "country_not_iso",
     "misspelt_value", "variant_spelling", "duplicates"}
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """One kind of problem on one object's property: how many records, its cost in score
    points, examples and what to do."""

    code: str
    dimension: str
    object_type: str
    prop: str | None
    """The property concerned (None for a whole-record problem)."""
    count: int
    total: int
    impact: float
    """Score points (of 100) lost to this problem."""
    params: dict[str, Any] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)

    @property
    def message(self) -> str:
        return MESSAGES[self.code].format(**self.format_values())

    @property
    def action(self) -> str:
        return ACTIONS[self.code].format(**self.format_values())

    @property
    def agent_fixes(self) -> bool:
        return self.code in AGENT_FIXES

    def format_values(self) -> dict[str, Any]:
        share = self.count / self.total if self.total else 0.0
        return {
            "object": self.object_type,
            "property": self.prop,
            "count": self.count,
            "share": share,
            **self.params,
        }

    @classmethod
    def from_dict(cls, stored: dict[str, Any]) -> Problem:
        """The problem kept by ``as_dict`` (in a quality snapshot)."""
        return cls(
            stored["code"],
            stored["dimension"],
            stored["object_type"],
            stored.get("property"),
            stored["count"],
            stored["total"],
            stored["impact"],
            stored.get("params") or {},
            stored.get("examples") or [],
        )

    def as_dict(self) -> dict[str, Any]:
        values = asdict(self)
        values["property"] = values.pop("prop")
        return {
            **values,
            "message": self.message,
            "action": self.action,
            "agent_fixes": self.agent_fixes,
        }
