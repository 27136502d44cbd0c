"""What every module of the API shares: its prefix and authentication schemes, the path
parameter types, the OpenAPI description of each error status, the ETag of an initiative and the
If-None-Match / If-Match checks on it."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path
from starlette.exceptions import HTTPException

from dxplan.accounts.rules import Actor, Change, decide
from dxplan.errors import StaleVersionError
from dxplan.plans.models import Initiative
from dxplan.plans.package.form import FormOptions, initiative_form
from dxplan.web.api import schemas
from dxplan.web.deps import UnauthenticatedError

PREFIX = "/api/v1"
MERGE_PATCH = "application/merge-patch+json"
BEARER = "bearerAuth"
# Reads work without a token (published data) or with one (drafts too); writes need one.
OPTIONAL_AUTH: list[dict[str, list[str]]] = [{}, {BEARER: []}]
REQUIRED_AUTH: list[dict[str, list[str]]] = [{BEARER: []}]
INITIATIVE_PATH = "/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}"

Code = Annotated[
    str,
    Path(
        pattern=r"^[0-9]{6}$",
        description="the municipality's 全国地方公共団体コード",
        examples=["142115"],
    ),
]
PlanId = Annotated[
    str,
    Path(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=200, examples=["hadano-ict-plan"]),
]
InitiativeCode = Annotated[
    str,
    Path(
        pattern=r"^[0-9A-Za-z()]+(-[0-9A-Za-z()]+)*$",
        max_length=100,
        description="the initiative's code, percent-encoded in the URL: 1-1-%281%29",
        examples=["1-1-(1)"],
    ),
]

DESCRIPTIONS = {
    304: "Not modified: the ETag given in If-None-Match is still the initiative's",
    400: "The body is not JSON that can be read (problems say where)",
    401: "The bearer token is missing (writes), malformed, unknown or revoked",
    403: "The token's user may read but not make this change (the detail names the field)",
    404: "No such thing, another municipality's (for a write), or a draft the reader may not read",
    412: "If-Match is not the initiative's current ETag: someone changed it (current_version)",
    415: f"The body is not {MERGE_PATCH}",
    422: "The request, or the initiative it would make, is not valid (problems say where)",
    428: "If-Match is missing: send the ETag of the initiative as read",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI responses of these error statuses (the problem body every error has)."""
    return {
        status: {"model": schemas.ErrorBody, "description": DESCRIPTIONS[status]}
        for status in statuses
    }


def json_content(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    """An OpenAPI response of JSON in this schema."""
    return {"description": description, "content": {"application/json": {"schema": schema}}} | extra


def writer(actor: Actor | None, why: str = "a change") -> Actor:
    """The token's user of a request that writes (or reads only with a token); 401 without."""
    if actor is None:
        raise UnauthenticatedError(f"{why} needs a bearer token (Authorization: Bearer …)")
    return actor


def own(actor: Actor | None, code: str) -> bool:
    """Is the reader one of the municipality's own users (or a system actor)?"""
    return actor is not None and decide(actor, Change.READ_DRAFT, code).allowed


# --- the ETag of an initiative ----------------------------------------------------------------

ETAG_HEADER = {
    "ETag": {
        "description": 'the initiative\'s version as a strong entity tag: "7"',
        "schema": {"type": "string"},
        "required": True,
    }
}
_VERSION_TAG = re.compile(r'"([0-9]{1,18})"')


def etag(initiative: Initiative) -> str:
    """The strong entity tag of an initiative's current version."""
    return f'"{initiative.row_version}"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def not_modified(if_none_match: str | None, tag: str) -> bool:
    """Does If-None-Match name the current ETag (weakly compared, as RFC 9110 says), or "*"?"""
    if if_none_match is None:
        return False
    tags = {t.removeprefix("W/") for t in _tags(if_none_match)}
    return "*" in tags or tag in tags


def expected_version(if_match: str | None, initiative: Initiative, key: str) -> int:
    """The version the client read, from If-Match (428 without it, 412 if it is not current)."""
    if if_match is None:
        raise HTTPException(428, f'send If-Match with the ETag of {key} as read, e.g. "7"')
    tags = _tags(if_match)
    if "*" in tags or etag(initiative) in tags:
        return initiative.row_version
    numbers = [int(match[1]) for t in tags if (match := _VERSION_TAG.fullmatch(t))]
    current = initiative_form(initiative, FormOptions())
    raise StaleVersionError(key, numbers[0] if numbers else 0, initiative.row_version, current)
