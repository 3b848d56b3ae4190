"""``create_app()``: the FastAPI application (``legevakt-opt serve`` runs it with uvicorn).

At startup it applies the migrations (``alembic upgrade head``), queues again the jobs
whose lease has run out (never another live server's), and starts the pool of worker
processes; at shutdown it stops them (their jobs are queued again for the next start).
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.utils import get_openapi

from legevakt_opt import __version__
from legevakt_opt.scenario import scenario_json_schema
from service import errors, web
from service.db import open_database
from service.jobs.pool import WorkerPool
from service.metrics import HttpMetrics, make_metrics
from service.routes import (
    events,
    health,
    imports,
    metrics,
    recommendations,
    scenarios,
    solves,
    sweeps,
    validate,
)
from service.schemas import SCENARIO_MARK, SCENARIO_REF
from service.settings import Settings

log = logging.getLogger("legevakt.service")

DESCRIPTION = """\
Roster jobs for Norwegian out-of-hours emergency care (legevakt) on OR-Tools CP-SAT.

Store a scenario (`legevakt-scenario/1`), submit a solve, follow its progress, cancel it
(the best roster so far is kept), and fetch the roster as JSON, CSV, Excel or iCalendar.
Run a policy what-if sweep (`legevakt-sweep/1`) and fetch what `legevakt-opt sweep`
writes: the summary as CSV or Excel, each variant's roster, and the plots.
Every `/v1` route needs `Authorization: Bearer <token>`; a token sees only its district's
scenarios, solves, sweeps and rosters. Errors are JSON `{"detail": ...}`.
"""


def create_app(settings: Settings | None = None, *, start_workers: bool = True) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = await run_in_threadpool(open_database, settings.database_url)
        app.state.db = db
        pool = (
            WorkerPool(settings, db, on_expired=app.state.metrics.lease_expiries.inc)
            if start_workers
            else None
        )
        if pool is not None:
            # From the main thread on purpose: a worker's parent-death signal fires when the
            # *thread* that started it ends, and thread-pool threads come and go.
            pool.start()
        app.state.pool = pool
        log.info("legevakt service ready: %s worker process(es)", settings.pool_size)
        try:
            yield
        finally:
            if pool is not None:
                await run_in_threadpool(pool.stop)
            db.dispose()

    app = FastAPI(
        title="legevakt-opt",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    errors.install(
        app,
        settings.max_body_bytes,
        upload_paths=(imports.PATH, *web.UPLOAD_PATHS),
        max_upload_bytes=settings.max_upload_bytes,
    )
    # Outermost, so every answer is counted (a 413 of the body limit too).
    app.state.metrics = make_metrics(lambda: getattr(app.state, "db", None))
    app.add_middleware(HttpMetrics, metrics=app.state.metrics, router=app.router)
    routers = (health, metrics, scenarios, imports, solves, events, recommendations, sweeps)
    for module in (*routers, validate):
        app.include_router(module.router)
    web.install(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schema = _link_scenarios(schema)
            schema.setdefault("components", {}).setdefault("schemas", {}).update(scenario_schemas())
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def _link_scenarios(node: Any) -> Any:
    """Replace every placeholder schema of a scenario document by a reference to it."""
    if isinstance(node, dict):
        if node.get(SCENARIO_MARK):
            return {"$ref": SCENARIO_REF}
        return {k: _link_scenarios(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_link_scenarios(v) for v in node]
    return node


def scenario_schemas() -> dict[str, Any]:
    """The scenario format's JSON Schema as OpenAPI components (``ScenarioDocument`` and its
    parts, prefixed ``Scenario``), so /docs and clients see the real structure."""
    schema = scenario_json_schema()
    defs = schema.pop("$defs", {})
    schema.pop("$schema", None)
    text = json.dumps({"ScenarioDocument": schema, **{f"Scenario{k}": v for k, v in defs.items()}})
    for name in defs:
        text = text.replace(f'"#/$defs/{name}"', f'"#/components/schemas/Scenario{name}"')
    out: dict[str, Any] = json.loads(text)
    return out
