"""The REST API, `/api/v1`, one module per domain: municipalities, plans (as plan packages),
initiatives (read, and changed with JSON Merge Patch), departments and a plan's history
(`plans`); its revisions, indicator evaluations, published documents (PDF, xlsx), reporting
rounds and update workbooks.

Anyone reads what is published; a bearer token (`dxplan token create`) reads its municipality's
drafts as well and writes what its roles allow. Everything goes through the same queries and
services as the pages and the CLI; handlers only translate HTTP.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.openapi.utils import get_openapi

from dxplan.web.api import documents, evaluation, plans, reporting, revisions, schemas, workbooks
from dxplan.web.api.common import BEARER

ROUTERS: list[APIRouter] = [
    plans.router,
    revisions.router,
    evaluation.router,
    documents.router,
    reporting.router,
    workbooks.router,
]
"""Every router of the API, in the order the OpenAPI document lists their paths."""


def _if_match_required(document: dict[str, Any]) -> None:
    """If-Match is required by a PATCH (428 without it), though read by the handler itself."""
    for parameter in plans.patch_operation(document)["parameters"]:
        if parameter["name"].lower() == "if-match":
            parameter["required"] = True
            parameter["schema"] = {"type": "string", "maxLength": 1000}
            parameter["description"] = 'the ETag of the initiative as read: "7"'


def install_openapi(app: FastAPI) -> None:
    """Make `/openapi.json` carry the package schema (as `Package…` components) and the bearer
    token scheme, so that clients and schemathesis check packages against the format itself."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            _if_match_required(document)
            components = document.setdefault("components", {})
            components.setdefault("schemas", {}).update(schemas.package_components())
            components["securitySchemes"] = {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a token made by `dxplan token create`",
                }
            }
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
