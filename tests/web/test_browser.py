"""The web app in a real browser (Debian's Chromium through Playwright) against a real uvicorn
server on a loopback port: sign in, drag a deal on the board, read score reasons, switch to
Persian. Screenshots of the main pages in every language go to tests/artifacts/."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dealflow.crm.workspaces import default_pipeline, stages_of
from dealflow.models import Contact, Deal, PropertyChange
from dealflow.web.app import create_app
from tests.web.conftest import PASSWORD, Org

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parents[1] / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's Chromium is not installed (apt-get install chromium; .ci/run does)",
)

if CHROMIUM.exists():
    from playwright.sync_api import Browser, Page, expect, sync_playwright


def _reason(text: str) -> dict[str, object]:
    """A score reason as the scorer stores it."""
    return {"text": text, "feature": "example", "value": 1, "impact": 0.5}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(web_engine: Engine, org: Org) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, serving the module's database."""
    port = _free_port()
    config = uvicorn.Config(
        create_app(web_engine), host="127.0.0.1", port=port, log_level="warning"
    )
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, name="uvicorn-under-test")
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def sign_in(page: Page, server: str, email: str) -> None:
    page.goto(f"{server}/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button.primary")
    page.wait_for_url(f"{server}/")


def shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_signing_in_opens_my_day(page: Page, server: str, org: Org) -> None:
    page.goto(f"{server}/contacts")
    expect(page).to_have_url(f"{server}/sign-in?next=/contacts")
    page.fill("input[name=email]", org.emails["rep"])
    page.fill("input[name=password]", "wrong password")
    page.click("button.primary")
    expect(page.locator(".error")).to_have_text("Wrong email or password.")

    sign_in(page, server, org.emails["rep"])

    expect(page.locator("h1")).to_contain_text("Rep Person")
    expect(page.locator(".task .subject")).to_contain_text(org.names["rep"]["tasks"])


def test_dragging_a_deal_to_the_next_stage_is_saved(
    page: Page, server: str, org: Org, sessions: sessionmaker[Session]
) -> None:
    deal_id = org.owned["rep"]["deals"]
    with sessions() as session:
        deal = session.get(Deal, deal_id)
        assert deal is not None
        stages = stages_of(session, default_pipeline(session, org.workspace_id).id)
        position = next(i for i, stage in enumerate(stages) if stage.id == deal.stage_id)
        target = stages[position + 1]
    sign_in(page, server, org.emails["rep"])
    page.goto(f"{server}/deals")
    card = page.locator(f'.deal-card[data-deal-id="{deal_id}"]')
    expect(card).to_be_visible()

    with page.expect_response(lambda response: f"/deals/{deal_id}/move" in response.url) as moved:
        card.drag_to(page.locator(f'.column[data-stage-id="{target.id}"]'))

    assert moved.value.status == 200
    expect(
        page.locator(f'.column[data-stage-id="{target.id}"] [data-deal-id="{deal_id}"]')
    ).to_be_visible()
    with sessions() as session:
        assert session.get(Deal, deal_id).stage_id == target.id  # type: ignore[union-attr]
        change = session.scalars(
            select(PropertyChange).where(
                PropertyChange.record_id == deal_id, PropertyChange.property == "stage_id"
            )
        ).one()
        assert change.new_value == target.id and change.source == "web"
    page.reload()
    expect(
        page.locator(f'.column[data-stage-id="{target.id}"] [data-deal-id="{deal_id}"]')
    ).to_be_visible()
    shoot(page, "kanban-after-drag")


def test_a_contact_page_shows_the_score_reasons(
    page: Page, server: str, org: Org, sessions: sessionmaker[Session]
) -> None:
    contact_id = org.owned["teammate"]["contacts"]
    with sessions() as session, session.begin():
        contact = session.get(Contact, contact_id)
        assert contact is not None
        contact.score, contact.score_band, contact.score_model = 91, "A", "leads v1"
        contact.score_reasons = [
            _reason("Visited the pricing page 4 times"),
            _reason("Replied within a day"),
        ]
    sign_in(page, server, org.emails["teammate"])

    page.goto(f"{server}/contacts")
    page.click(f'a[href="/contacts/{contact_id}"]')

    reasons = page.locator(".score-card .reasons li")
    expect(reasons).to_have_text(["Visited the pricing page 4 times", "Replied within a day"])
    expect(page.locator(".score-card .band")).to_have_text("A")
    shoot(page, "contact-with-score")


def test_switching_to_persian_turns_the_page_right_to_left(
    page: Page, server: str, org: Org
) -> None:
    sign_in(page, server, org.emails["west_rep"])

    page.select_option("#locale", "fa")
    page.wait_for_load_state()

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("nav a[href='/contacts']")).to_have_text("مخاطبان")
    page.reload()  # saved for the user, not just this page
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


@pytest.mark.parametrize("locale", ["en", "ja", "ko", "fa"])
def test_screenshots_of_the_main_pages(page: Page, server: str, org: Org, locale: str) -> None:
    sign_in(page, server, org.emails["manager"])
    page.select_option("#locale", locale)
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", locale)
    pages = {
        "my-day": "/",
        "contacts": "/contacts",
        "contact": f"/contacts/{org.owned['rep']['contacts']}",
        "deals": "/deals",
        "deal": f"/deals/{org.owned['rep']['deals']}",
        "tasks": "/tasks",
        "forecast": "/forecast",
        "workflows": "/workflows",
        "tokens": "/settings/tokens",
    }
    for name, path in pages.items():
        response = page.goto(f"{server}{path}")
        assert response is not None and response.status == 200, path
        shoot(page, f"{locale}-{name}")
