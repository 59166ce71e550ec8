""" "My day": the home page."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from dealflow.core import clock
from dealflow.crm.my_day import my_day
from dealflow.web.deps import CurrentViewer, DbSession, Viewer
from dealflow.web.security import verify_csrf
from dealflow.web.templating import render

router = APIRouter(dependencies=[Depends(verify_csrf)])


@router.get("/")
def home(request: Request, session: DbSession, viewer: CurrentViewer) -> Response:
    day = my_day(session, viewer.principal, _end_of_today(viewer))
    return render(request, "my_day.html", {"day": day}, viewer=viewer)


def _end_of_today(viewer: Viewer) -> datetime:
    """The next midnight in the viewer's time zone, in UTC."""
    zone = viewer.formatter.zone
    today = clock.now().astimezone(zone).date()
    return datetime.combine(today + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
