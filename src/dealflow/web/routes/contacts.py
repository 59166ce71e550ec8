"""The contact list and the contact page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from dealflow.automate.workspace_workflows import trail_of
from dealflow.crm.contacts import BANDS, SORTS, ContactQuery, contact_overview, list_contacts
from dealflow.crm.objects import LIFECYCLE_STAGES
from dealflow.crm.users import list_users
from dealflow.personalize.prospecting.service import research_of
from dealflow.web.deps import CurrentViewer, DbSession
from dealflow.web.security import verify_csrf
from dealflow.web.templating import is_htmx, render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/contacts")
def contact_list(
    request: Request,
    session: DbSession,
    viewer: CurrentViewer,
    search: Annotated[str, Query(max_length=200)] = "",
    lifecycle: str = "",
    band: str = "",
    owner: str = "",
    sort: str = "score",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    query = ContactQuery(
        search=search,
        lifecycle=lifecycle,
        band=band,
        owner_id=int(owner) if owner.isdigit() else None,
        sort=sort,
        page=page,
    )
    results = list_contacts(session, viewer.principal, query)
    context = {"results": results, "query": query}
    if is_htmx(request) and request.headers.get("HX-Target") == "contact-results":
        return render(request, "contacts/results.html", context, viewer=viewer)
    owners = (
        [] if viewer.principal.role == "rep" else list_users(session, viewer.principal.workspace_id)
    )
    context |= {
        "lifecycles": LIFECYCLE_STAGES,
        "bands": BANDS,
        "sorts": SORTS,
        "owners": owners,
    }
    return render(request, "contacts/list.html", context, viewer=viewer)


@router.get("/contacts/{contact_id}")
def contact_page(
    request: Request, session: DbSession, viewer: CurrentViewer, contact_id: int
) -> Response:
    overview = contact_overview(session, viewer.principal, contact_id)
    trail = trail_of(session, viewer.principal, "contacts", contact_id)
    company = overview.company
    context = {
        "c": overview,
        "trail": trail,
        "research": research_of(session, viewer.principal, company.id) if company else None,
        "research_url": f"/contacts/{contact_id}/research" if company else None,
    }
    return render(request, "contacts/page.html", context, viewer=viewer)
