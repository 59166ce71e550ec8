"""The forecast page: it explains itself before there is history, and takes your number."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.models import ForecastSubmission
from tests.web.conftest import Org, SignedIn, csrf_of


def test_without_a_month_of_history_the_page_says_why_there_is_no_forecast(
    signed_in: SignedIn,
) -> None:
    page = signed_in("rep").get("/forecast")

    assert page.status_code == 200
    assert "No forecast yet" in page.text and "closed month of history" in page.text
    assert 'href="/forecast" aria-current="page"' in page.text


def test_a_rep_submits_a_number_from_the_page(
    signed_in: SignedIn, org: Org, sessions: sessionmaker[Session]
) -> None:
    client = signed_in("teammate")
    token = csrf_of(client.get("/forecast").text)

    answer = client.post(
        "/forecast/submit",
        data={"period": "2026-Q4", "amount": "75,000", "csrf_token": token},
    )

    assert answer.status_code == 303 and answer.headers["location"] == "/forecast?period=2026-Q4"
    with sessions() as session:
        rows = session.scalars(
            select(ForecastSubmission).where(ForecastSubmission.user_id == org.user_ids["teammate"])
        ).all()
    assert [(row.period, row.amount, row.kind) for row in rows] == [
        ("2026-Q4", Decimal("75000.00"), "submission")
    ]


def test_the_page_speaks_the_viewer_s_language(signed_in: SignedIn) -> None:
    client = signed_in("west_manager")
    token = csrf_of(client.get("/forecast").text)
    client.post("/language", data={"locale": "ja", "next": "/forecast", "csrf_token": token})
    try:
        assert "売上予測" in client.get("/forecast").text
    finally:
        client.post("/language", data={"locale": "en", "next": "/", "csrf_token": token})
