"""Words for the CRM's fixed values (lifecycle stages, activity kinds, roles...), marked for
translation; record data such as stage or company names is shown as entered."""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "mark, translate later")
    """Mark ``message`` for the catalogue without translating it here."""
    return message


LABELS: dict[str, str] = {
    # lifecycle stages
    "subscriber": N_("Subscriber"),
    "lead": N_("Lead"),
    "mql": N_("Marketing qualified"),
    "sql": N_("Sales qualified"),
    "opportunity": N_("Opportunity"),
    "customer": N_("Customer"),
    "other": N_("Other"),
    # activity kinds
    "email": N_("Email"),
    "call": N_("Call"),
    "meeting": N_("Meeting"),
    "note": N_("Note"),
    "task": N_("Task"),
    # engagement kinds
    "page_view": N_("Viewed a page"),
    "email_open": N_("Opened an email"),
    "email_click": N_("Clicked a link in an email"),
    "email_reply": N_("Replied to an email"),
    "form_submit": N_("Filled in a form"),
    "event_attendance": N_("Attended an event"),
    "webinar_attendance": N_("Attended a webinar"),
    "social_interaction": N_("Interacted on social media"),
    # lead statuses and job-title seniority (score reasons)
    "new": N_("New"),
    "in_progress": N_("In progress"),
    "attempted_to_contact": N_("Attempted to contact"),
    "connected": N_("Connected"),
    "open_deal": N_("Open deal"),
    "bad_timing": N_("Bad timing"),
    "unqualified": N_("Unqualified"),
    "executive": N_("Executive"),
    "director": N_("Director"),
    "staff": N_("Staff"),
    # roles
    "admin": N_("Admin"),
    "manager": N_("Manager"),
    "rep": N_("Sales rep"),
    # task and ticket states
    "open": N_("Open"),
    "done": N_("Done"),
    "cancelled": N_("Cancelled"),
    "pending": N_("Pending"),
    "closed": N_("Closed"),
    # stage kinds
    "won": N_("Won"),
    "lost": N_("Lost"),
    # deal history properties
    "stage_id": N_("Stage"),
    "owner_id": N_("Owner"),
    "amount": N_("Amount"),
    "close_date": N_("Close date"),
    "closed_at": N_("Closed at"),
    "name": N_("Name"),
    "forecast_category": N_("Forecast category"),
    "win_band": N_("Win band"),
    "score_band": N_("Score band"),
    # forecast categories and gap deals
    "pipeline": N_("Pipeline"),
    "best_case": N_("Best case"),
    "commit": N_("Commit"),
    "closed_won": N_("Closed won"),
    "omitted": N_("Omitted"),
    "doubted_commit": N_("Committed, the AI doubts it"),
    "left_out": N_("The AI expects it, not in your number"),
    "unrealistic_close_date": N_("Close date unlikely"),
    # workflows: the records they enrol and the states of an enrolment
    "contacts": N_("Contacts"),
    "companies": N_("Companies"),
    "deals": N_("Deals"),
    "tickets": N_("Tickets"),
    "active": N_("Running"),
    "completed": N_("Completed"),
    "stopped": N_("Stopped"),
    "goal_met": N_("Goal met"),
    "record_gone": N_("Record deleted"),
    # property value types
    "text": N_("Text"),
    "number": N_("Number"),
    "date": N_("Date"),
    "enum": N_("Choice"),
    "bool": N_("Yes/no"),
}
