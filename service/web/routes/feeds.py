"""Calendar subscriptions: one secret URL per doctor of a period
(``POST /app/periods/{id}/feeds`` makes them and shows them once), and the feed itself
(``GET /app/feeds/{token}.ics``, no sign-in: the token is the key), which always shows the
period's newest published roster. Only the tokens' SHA-256 are kept."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import delete, select

from legevakt_opt.io import FORMATS, export_roster
from legevakt_opt.scenario import ScenarioError, scenario_from_data
from service.auth import hash_token
from service.deps import DatabaseDep
from service.models import FeedToken, Job, Publication, RosterRow
from service.routes import attachment
from service.web.pages import PageNotFound, VisitorDep, check_form, own_period, show
from service.web.sessions import new_token

router = APIRouter(prefix="/app", include_in_schema=False)
FEED_PREFIX = "lvf_"


@router.post("/periods/{scenario_id}/feeds", response_class=HTMLResponse)
def make_feeds(
    scenario_id: str,
    request: Request,
    visitor: VisitorDep,
    db: DatabaseDep,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """New subscription links for every doctor of the period (the old ones stop working)."""
    check_form(visitor, csrf)
    links = []
    with db.write() as session:
        row = own_period(session, visitor, scenario_id)
        session.execute(delete(FeedToken).where(FeedToken.scenario_id == row.id))
        for d in row.document.get("doctors", []):
            if d.get("exempt"):
                continue
            token = FEED_PREFIX + new_token()
            session.add(
                FeedToken(
                    token_hash=hash_token(token),
                    district=visitor.district,
                    scenario_id=row.id,
                    doctor=d["id"],
                )
            )
            url = str(request.base_url).rstrip("/") + f"/app/feeds/{token}.ics"
            links.append((d.get("name", d["id"]), url))
        period = {"id": row.id, "name": row.name}
    return show(request, visitor, "feeds.html", period=period, links=links)


@router.get("/feeds/{token}.ics")
def feed(token: str, db: DatabaseDep) -> Response:
    """A doctor's duties in the period's newest published roster, as iCalendar."""
    if not token.startswith(FEED_PREFIX) or len(token) > 100:
        raise PageNotFound
    with db.read() as session:
        entry = session.get(FeedToken, hash_token(token))
        if entry is None:
            raise PageNotFound
        publication = session.scalars(
            select(Publication)
            .where(Publication.scenario_id == entry.scenario_id)
            .order_by(Publication.published_at.desc(), Publication.id.desc())
        ).first()
        if publication is None:
            raise PageNotFound
        job = session.get(Job, publication.job_id)
        roster = session.get(RosterRow, publication.job_id)
        if job is None or roster is None:
            raise PageNotFound
        document, content, doctor = job.scenario_document, roster.document, entry.doctor
    try:
        scenario = scenario_from_data(document)
        body = export_roster("ics", scenario, content, doctor)
    except (ScenarioError, ValueError):
        raise PageNotFound from None
    return Response(
        body,
        media_type=FORMATS["ics"][0],
        headers={**attachment(f"vakter-{doctor}.ics"), "Cache-Control": "no-store"},
    )
