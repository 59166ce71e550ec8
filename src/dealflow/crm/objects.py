"""The CRM's object types as data: their standard fields, keys and associations.

Import, export, validation and custom properties all read this one description, so a new
standard field is added here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dealflow.models import Base, Company, Contact, Deal, Product, Team, Ticket, User

LIFECYCLE_STAGES = ("subscriber", "lead", "mql", "sql", "opportunity", "customer", "other")
LIFECYCLE_ALIASES = {
    "marketing qualified lead": "mql",
    "marketingqualifiedlead": "mql",
    "sales qualified lead": "sql",
    "salesqualifiedlead": "sql",
    "evangelist": "customer",
}
LEAD_STATUSES = (
    "new",
    "open",
    "in_progress",
    "attempted_to_contact",
    "connected",
    "open_deal",
    "bad_timing",
    "unqualified",
)
USER_ROLES = ("admin", "manager", "rep")
TICKET_STATUSES = ("open", "pending", "closed")
TICKET_PRIORITIES = ("low", "normal", "high", "urgent")
STAGE_KINDS = ("open", "won", "lost")
FORECAST_CATEGORIES = ("pipeline", "best_case", "commit", "closed_won", "omitted")
"""Where a rep puts a deal in the forecast; empty follows the stage (``predict.forecast``)."""
ACTIVITY_KINDS = ("email", "call", "meeting", "note", "task")
TASK_STATUSES = ("open", "done", "cancelled")
ENGAGEMENT_KINDS = (
    "page_view",
    "email_open",
    "email_click",
    "email_reply",
    "form_submit",
    "event_attendance",
    "webinar_attendance",
    "social_interaction",
)
PROPERTY_VALUE_TYPES = ("text", "number", "date", "enum", "bool")


@dataclass(frozen=True)
class FieldSpec:
    """A standard property: its name, value kind (see ``values``) and allowed options."""

    name: str
    kind: str
    options: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class AssociationSpec:
    """A link to another record, set by one of the target's keys (``company`` by domain...)."""

    name: str
    target: str
    column: str


@dataclass(frozen=True)
class ObjectSpec:
    name: str
    singular: str
    model: type[Base]
    fields: tuple[FieldSpec, ...]
    keys: tuple[str, ...]
    associations: tuple[AssociationSpec, ...] = ()
    has_custom_properties: bool = True
    field_index: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "field_index", {f.name: f for f in self.fields})

    def association(self, name: str) -> AssociationSpec | None:
        return next((a for a in self.associations if a.name == name), None)


_TIMESTAMPS = (FieldSpec("created_at", "datetime"), FieldSpec("updated_at", "datetime"))

OBJECTS: dict[str, ObjectSpec] = {
    spec.name: spec
    for spec in (
        ObjectSpec(
            name="teams",
            singular="team",
            model=Team,
            fields=(FieldSpec("name", "text", required=True), FieldSpec("region", "text")),
            keys=("name",),
            has_custom_properties=False,
        ),
        ObjectSpec(
            name="users",
            singular="user",
            model=User,
            fields=(
                FieldSpec("name", "text", required=True),
                FieldSpec("email", "email"),
                FieldSpec("role", "enum", USER_ROLES),
                FieldSpec("language", "text"),
                FieldSpec("time_zone", "text"),
                FieldSpec("is_active", "bool"),
                FieldSpec("external_id", "text"),
                *_TIMESTAMPS,
            ),
            keys=("email", "external_id", "name"),
            associations=(
                AssociationSpec("team", "teams", "team_id"),
                AssociationSpec("manager", "users", "manager_id"),
            ),
            has_custom_properties=False,
        ),
        ObjectSpec(
            name="companies",
            singular="company",
            model=Company,
            fields=(
                FieldSpec("name", "text", required=True),
                FieldSpec("domain", "domain"),
                FieldSpec("industry", "text"),
                FieldSpec("employees", "integer"),
                FieldSpec("annual_revenue", "money"),
                FieldSpec("country", "text"),
                FieldSpec("city", "text"),
                FieldSpec("year_established", "integer"),
                FieldSpec("external_id", "text"),
                *_TIMESTAMPS,
            ),
            keys=("external_id", "domain", "name"),
            associations=(
                AssociationSpec("parent_company", "companies", "parent_company_id"),
                AssociationSpec("owner", "users", "owner_id"),
            ),
        ),
        ObjectSpec(
            name="contacts",
            singular="contact",
            model=Contact,
            fields=(
                FieldSpec("first_name", "text"),
                FieldSpec("last_name", "text"),
                FieldSpec("email", "email"),
                FieldSpec("phone", "phone"),
                FieldSpec("job_title", "text"),
                FieldSpec("lifecycle_stage", "enum", LIFECYCLE_STAGES),
                FieldSpec("lead_status", "enum", LEAD_STATUSES),
                FieldSpec("source", "text"),
                FieldSpec("language", "text"),
                FieldSpec("time_zone", "text"),
                FieldSpec("country", "text"),
                FieldSpec("city", "text"),
                FieldSpec("do_not_email", "bool"),
                FieldSpec("do_not_call", "bool"),
                FieldSpec("external_id", "text"),
                *_TIMESTAMPS,
            ),
            keys=("external_id", "email"),
            associations=(
                AssociationSpec("company", "companies", "company_id"),
                AssociationSpec("owner", "users", "owner_id"),
            ),
        ),
        ObjectSpec(
            name="products",
            singular="product",
            model=Product,
            fields=(
                FieldSpec("name", "text", required=True),
                FieldSpec("series", "text"),
                FieldSpec("price", "money"),
                FieldSpec("currency", "currency"),
                FieldSpec("external_id", "text"),
                *_TIMESTAMPS,
            ),
            keys=("external_id", "name"),
        ),
        ObjectSpec(
            name="deals",
            singular="deal",
            model=Deal,
            fields=(
                FieldSpec("name", "text", required=True),
                FieldSpec("amount", "money"),
                FieldSpec("currency", "currency"),
                FieldSpec("close_date", "date"),
                FieldSpec("pipeline", "text"),
                FieldSpec("stage", "text", required=True),
                FieldSpec("closed_at", "datetime"),
                FieldSpec("forecast_category", "enum", FORECAST_CATEGORIES),
                FieldSpec("external_id", "text"),
                *_TIMESTAMPS,
            ),
            keys=("external_id",),
            associations=(
                AssociationSpec("company", "companies", "company_id"),
                AssociationSpec("owner", "users", "owner_id"),
                AssociationSpec("product", "products", "product_id"),
            ),
        ),
        ObjectSpec(
            name="tickets",
            singular="ticket",
            model=Ticket,
            fields=(
                FieldSpec("subject", "text", required=True),
                FieldSpec("description", "text"),
                FieldSpec("status", "enum", TICKET_STATUSES),
                FieldSpec("priority", "enum", TICKET_PRIORITIES),
                FieldSpec("channel", "text"),
                FieldSpec("closed_at", "datetime"),
                FieldSpec("external_id", "text"),
                *_TIMESTAMPS,
            ),
            keys=("external_id",),
            associations=(
                AssociationSpec("contact", "contacts", "contact_id"),
                AssociationSpec("company", "companies", "company_id"),
                AssociationSpec("owner", "users", "owner_id"),
            ),
        ),
    )
}


def object_spec(name: str) -> ObjectSpec:
    """The object type called ``name`` (plural or singular), or a ValueError listing them."""
    for spec in OBJECTS.values():
        if name in (spec.name, spec.singular):
            return spec
    raise ValueError(f"unknown object type {name!r}; choose one of: {', '.join(OBJECTS)}")
