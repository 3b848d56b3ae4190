"""``GET /metrics``: the service's metrics in the Prometheus text format (``service.metrics``);
no token, like ``/health``, for a scraper inside the hospital network."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from service.metrics import Metrics

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {
            "description": "Prometheus text format.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
)
async def metrics(request: Request) -> Response:
    """Jobs queued and running, run times and failures (from the database, by district and
    kind), and HTTP requests by method, route template and status. No token needed."""
    registry: Metrics = request.app.state.metrics
    body = await run_in_threadpool(generate_latest, registry.registry)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
