"""Research of a contact's company from the contact page: the button that runs it.

The website is read between two short transactions (plan, then save), so a slow site
never holds the database's write lock while the page waits.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from dealflow.core.errors import InvalidInputError
from dealflow.crm import access
from dealflow.models import Contact
from dealflow.personalize.prospecting import agent, service
from dealflow.personalize.prospecting.fetcher import SafeFetcher
from dealflow.personalize.prospecting.policy import FetchPolicy
from dealflow.settings import get_settings
from dealflow.web.deps import SignInRequiredError, optional_viewer
from dealflow.web.security import verify_csrf
from dealflow.web.templating import is_htmx, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.post("/contacts/{contact_id}/research")
def research_contact_company(request: Request, contact_id: int) -> Response:
    state = request.app.state
    policy = FetchPolicy.from_settings(get_settings())
    with state.sessions() as session, session.begin():
        viewer = optional_viewer(request, session)
        if viewer is None:
            raise SignInRequiredError
        contact: Contact = access.read(session, viewer.principal, "contacts", contact_id)
        if contact.company_id is None:
            raise InvalidInputError(f"contacts #{contact_id} has no company to research")
        plan = service.plan_research(
            session,
            viewer.principal,
            contact.company_id,
            contact_id=contact.id,
            max_pages=policy.max_pages,
        )
    with SafeFetcher(policy) as fetcher:
        research = agent.run(plan, fetcher)
    with state.write_sessions() as session, session.begin():
        service.do_save_research(session, viewer.principal, research)
        current = service.research_of(session, viewer.principal, plan.company_id)
        if is_htmx(request):
            context = {"research": current, "research_url": request.url.path}
            return render(request, "prospecting/research.html", context, viewer=viewer)
    return RedirectResponse(f"/contacts/{contact_id}#research", status_code=303)
