"""The data quality report in the viewer's language: each problem's message and what to do,
the dimensions and the statuses of the cleansing agent's changes."""

from __future__ import annotations

from typing import Any

from dealflow.crm.quality.problems import Problem
from dealflow.web.i18n import Formatter
from dealflow.web.labels import N_

PROBLEMS = {
    "low_fill_rate": N_(
        "%(object)s.%(property)s is filled on %(rate)s of records (target %(target)s)"
    ),
    "invalid_email": N_("%(count)s emails of %(object)s are not valid addresses"),
    "invalid_phone": N_("%(count)s phone numbers of %(object)s cannot be read as a number"),
    "phone_not_e164": N_("%(count)s phone numbers of %(object)s are not in E.164 form"),
    "invalid_domain": N_("%(count)s domains of %(object)s are not valid domains"),
    "invalid_country": N_("%(count)s countries of %(object)s name no country"),
    "country_not_iso": N_("%(count)s countries of %(object)s are names, not ISO codes"),
    "misspelt_value": N_(
        "%(count)s %(object)s have %(property)s “%(value)s”, likely a misspelling of “%(suggestion)s”"  # noqa: E501
    ),
    "variant_spelling": N_(
        "%(count)s %(object)s spell %(property)s “%(value)s”, others “%(suggestion)s”"
    ),
    "date_out_of_range": N_("%(count)s %(object)s have %(property)s outside a plausible range"),
    "not_positive": N_("%(count)s %(object)s have a negative or zero %(property)s"),
    "duplicates": N_("%(count)s %(object)s are duplicates of another record (%(clusters)s groups)"),
    "stale": N_("%(share)s of %(object)s had no activity or update in %(days)s days"),
    "won_deal_without_amount": N_("%(count)s won deals have no amount"),
    "customer_without_won_deal": N_("%(count)s customers have no won deal"),
    "open_deal_without_company": N_("%(count)s open deals have no company"),
    "open_deal_past_close_date": N_("%(count)s open deals have a close date in the past"),
    "few_outcomes": N_(
        "%(positives)s positive and %(negatives)s negative outcomes of %(target)s: learned scoring needs %(min_positives)s and %(min_negatives)s"  # noqa: E501
    ),
}
ACTIONS = {
    "low_fill_rate": N_("Make it required on forms and imports, or enrich it from a source."),
    "invalid_email": N_("Correct or remove them; the cleansing agent fixes case and spaces."),
    "invalid_phone": N_("Correct them or set the workspace's phone region."),
    "phone_not_e164": N_("Run the cleansing agent."),
    "invalid_domain": N_("Correct them; the cleansing agent reads domains from websites."),
    "invalid_country": N_("Correct them; the cleansing agent fixes misspelt names."),
    "country_not_iso": N_("Run the cleansing agent."),
    "misspelt_value": N_("Run the cleansing agent, or correct the value on the records."),
    "variant_spelling": N_("Run the cleansing agent to merge the spellings into one."),
    "date_out_of_range": N_("Check the dates; a typo in the year is the usual cause."),
    "not_positive": N_("Correct the amounts; a missing value is better left empty than 0."),
    "duplicates": N_("Review the cleansing agent's merges."),
    "stale": N_("Re-engage or archive them; stale records mislead scoring."),
    "won_deal_without_amount": N_("Enter the amount won: revenue and forecasts count it."),
    "customer_without_won_deal": N_("Record the deal they bought with, or correct the stage."),
    "open_deal_without_company": N_("Associate each open deal with its company."),
    "open_deal_past_close_date": N_("Move the close date or close the deal."),
    "few_outcomes": N_("Keep recording won and lost outcomes; until then rule scoring is used."),
}
DIMENSIONS = {
    "completeness": N_("Completeness"),
    "validity": N_("Validity"),
    "uniqueness": N_("Uniqueness"),
    "consistency": N_("Consistency"),
    "freshness": N_("Freshness"),
    "readiness": N_("ML readiness"),
}
STATUSES = {
    "proposed": N_("waiting for review"),
    "applied": N_("applied"),
    "rejected": N_("rejected"),
    "undone": N_("undone"),
    "skipped": N_("skipped"),
}


class _Values(dict[str, Any]):
    """Placeholders a translation leaves out are simply not used."""

    def __missing__(self, key: str) -> str:
        return ""


def problem_message(problem: Problem, fmt: Formatter) -> str:
    """The problem in words, its numbers in the viewer's locale."""
    values = _Values(problem.params)
    values.update(object=problem.object_type, property=problem.prop or "")
    values["count"] = fmt.number(problem.count)
    values["share"] = fmt.percent(100 * problem.count / (problem.total or 1))
    for name in ("rate", "target"):
        if isinstance(values.get(name), float | int):
            values[name] = fmt.percent(100 * float(values[name]))
    return fmt.gettext(PROBLEMS[problem.code]) % values


def problem_action(problem: Problem, fmt: Formatter) -> str:
    return fmt.gettext(ACTIONS[problem.code])


def dimension_name(name: str, fmt: Formatter) -> str:
    return fmt.gettext(DIMENSIONS.get(name, name))


def status_name(status: str, fmt: Formatter) -> str:
    return fmt.gettext(STATUSES[status]) if status in STATUSES else status
