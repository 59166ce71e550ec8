"""Support tickets: customers' questions before and after they buy, in their own language."""

from __future__ import annotations

from dataclasses import dataclass
from random import Random
from typing import Any

from dealflow.demo.catalog import ProductPlan
from dealflow.demo.contacts import ContactPlan
from dealflow.demo.deals import WON, DealPlan
from dealflow.demo.draws import Weighted
from dealflow.demo.questions import COMPETITORS, QUESTIONS
from dealflow.demo.timeline import Window

CUSTOMER_SHARE = 0.6
"""Of all tickets, the share opened by customers (the rest come from prospects)."""
AFTER_PURCHASE = Weighted(
    [
        ("installation", 25),
        ("after_sales", 20),
        ("warranty", 15),
        ("delivery", 15),
        ("quality", 15),
        ("compatibility", 5),
        ("price", 5),
    ]
)
BEFORE_PURCHASE = Weighted(
    [
        ("price", 35),
        ("competitors", 20),
        ("delivery", 15),
        ("compatibility", 15),
        ("installation", 10),
        ("warranty", 5),
    ]
)
CHANNELS = Weighted([("email", 4), ("web_form", 3), ("chat", 2), ("phone", 1)])
PRIORITIES = Weighted([("low", 20), ("normal", 60), ("high", 15), ("urgent", 5)])
URGENT_TOPICS = Weighted([("normal", 40), ("high", 40), ("urgent", 20)])
DEVICE_TOPICS = ("installation", "warranty", "delivery", "quality")
"""Questions about something physical: asked about a hardware product."""
TOPIC_RECORDED_SHARE = 0.75
MEAN_DAYS_TO_RESOLVE = 2.5
UNRESOLVED_SHARE = 0.03


@dataclass(eq=False)
class TicketPlan:
    """A ticket to write; ``id`` is set once it is written."""

    subject: str
    description: str
    topic: str
    topic_recorded: bool
    product: ProductPlan
    contact: ContactPlan
    channel: str
    priority: str
    created: float
    closed: float | None
    pending: bool
    id: int = 0

    @property
    def status(self) -> str:
        if self.closed is not None:
            return "closed"
        return "pending" if self.pending else "open"


def plan_tickets(
    rng: Random,
    count: int,
    contacts: list[ContactPlan],
    deals: list[DealPlan],
    products: list[ProductPlan],
    window: Window,
) -> list[TicketPlan]:
    """``count`` tickets: customers ask about what they bought, engaged prospects before."""
    bought = {deal.contact: deal.product for deal in deals if deal.outcome == WON}
    customers = [
        (contact, since)
        for contact in bought
        if (since := contact.customer_at) is not None and since < window.last - 1.0
    ]
    prospects = Weighted((contact, contact.engagement) for contact in contacts)
    devices = [product for product in products if product.series == "Hardware"]
    tickets = []
    for _ in range(count):
        if customers and rng.random() < CUSTOMER_SHARE:
            contact, since = rng.choice(customers)
            topic, product = AFTER_PURCHASE.draw(rng), bought[contact]
        else:
            contact, since = prospects.draw(rng), -1.0
            topic, product = BEFORE_PURCHASE.draw(rng), rng.choice(products)
        if topic in DEVICE_TOPICS and product not in devices:
            product = rng.choice(devices)
        created = rng.uniform(max(since, contact.created), window.last)
        tickets.append(_ticket(rng, contact, topic, product, created, window))
    tickets.sort(key=lambda ticket: ticket.created)
    return tickets


def ticket_rows(tickets: list[TicketPlan], window: Window) -> list[dict[str, Any]]:
    """Rows for the ``tickets`` table."""
    rows = []
    for ticket in tickets:
        created_at = window.moment(ticket.created)
        closed_at = window.moment(ticket.closed) if ticket.closed is not None else None
        rows.append(
            {
                "subject": ticket.subject,
                "description": ticket.description,
                "status": ticket.status,
                "priority": ticket.priority,
                "channel": ticket.channel,
                "contact_id": ticket.contact.id,
                "company_id": ticket.contact.company.id,
                "owner_id": ticket.contact.owner.id,
                "closed_at": closed_at,
                "properties": {"topic": ticket.topic} if ticket.topic_recorded else {},
                "created_at": created_at,
                "updated_at": closed_at or created_at,
            }
        )
    return rows


def _ticket(
    rng: Random,
    contact: ContactPlan,
    topic: str,
    product: ProductPlan,
    created: float,
    window: Window,
) -> TicketPlan:
    subject, description = rng.choice(QUESTIONS[contact.language][topic])
    fields = {
        "product": product.name,
        "competitor": rng.choice(COMPETITORS),
        "count": rng.randint(2, 12),
        "days": rng.randint(3, 30),
        "city": contact.city.local_name,
    }
    resolved = created + rng.expovariate(1.0 / MEAN_DAYS_TO_RESOLVE)
    unresolved = resolved >= window.last or rng.random() < UNRESOLVED_SHARE
    urgent = topic in ("quality", "installation")
    return TicketPlan(
        subject=subject.format(**fields),
        description=description.format(**fields),
        topic=topic,
        topic_recorded=rng.random() < TOPIC_RECORDED_SHARE,
        product=product,
        contact=contact,
        channel=CHANNELS.draw(rng),
        priority=(URGENT_TOPICS if urgent else PRIORITIES).draw(rng),
        created=created,
        closed=None if unresolved else resolved,
        pending=rng.random() < 0.3,
    )
