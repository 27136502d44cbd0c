"""A property-based run of schemathesis over the API's own OpenAPI document: whatever is sent,
no server error, and every answer is one the document describes (status, headers, body, the
package and initiative bodies checked against the plan package's JSON Schema).

One database for the whole run (loading it per example would take most of the time); a fixed
number of examples, derandomized, so that a run is repeatable and takes about a minute.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.config import SchemathesisConfig
from sqlalchemy import Engine, create_engine, delete

from dxplan.db import Base, session_factory
from dxplan.web.app import create_app

from web_support import HADANO, app_settings, load_plans_and_users

EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


# The OpenAPI document does not depend on the data: the application is made when the module is
# loaded (schemathesis reads its document then) and pointed at the test database by `tokens`.
APP = create_app(app_settings(Path(tempfile.gettempdir())), engine=create_engine("sqlite://"))
# A merge patch that the schema admits may still be refused: its If-Match is not the current
# ETag (412) or the initiative it makes breaks a rule between fields (422); without If-Match, 428.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "412", "422"]
            },
            "missing_required_header": {
                "expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]
            },
        }
    }
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP, config=CONFIG)


def _empty(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))


@pytest.fixture(scope="module")
def tokens(engine: Engine) -> Iterator[dict[str, str]]:
    """The plans and users of the web tests, loaded once for the module; tokens by login."""
    _empty(engine)
    APP.state.engine = engine
    APP.state.sessions = session_factory(engine)
    yield load_plans_and_users(APP.state.sessions)
    _empty(engine)


@schema.parametrize()
@EXAMPLES
def test_anonymous_requests_get_documented_answers_and_never_a_server_error(
    case: Case, tokens: dict[str, str]
) -> None:
    case.call_and_validate()  # `tokens` only for the data it loads


@schema.parametrize()
@EXAMPLES
def test_requests_with_a_token_get_documented_answers_and_never_a_server_error(
    case: Case, tokens: dict[str, str]
) -> None:
    token = tokens[f"{HADANO}-dx_division"]
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"})


PLAN = {"code": HADANO, "plan_id": "hadano-ict-plan"}
INITIATIVE = PLAN | {"initiative_code": "1-1-(2)"}


@pytest.mark.parametrize(
    ("path", "parameters", "query"),
    [
        ("/municipalities", {}, None),
        ("/municipalities/{code}/plans", {"code": HADANO}, None),
        ("/municipalities/{code}/departments", {"code": HADANO}, None),
        ("/municipalities/{code}/plans/{plan_id}", PLAN, None),
        ("/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}", INITIATIVE, None),
        ("/municipalities/{code}/plans/{plan_id}/history", PLAN, {"limit": 2}),
        ("/municipalities/{code}/plans/{plan_id}/revisions", PLAN, None),
    ],
)
def test_what_the_api_answers_for_real_data_is_what_its_document_describes(
    tokens: dict[str, str], path: str, parameters: dict[str, str], query: dict[str, int] | None
) -> None:
    """The generated requests rarely name stored data: these do, so that the package, the
    initiative and the lists are each checked against the document (the package's schema)."""
    operation = schema["/api/v1" + path]["GET"]
    response = operation.Case(path_parameters=parameters, query=query).call_and_validate()
    assert response.status_code == 200


def test_a_patch_that_succeeds_answers_as_documented(tokens: dict[str, str]) -> None:
    path = "/api/v1/municipalities/{code}/plans/{plan_id}/initiatives/{initiative_code}"
    auth = {"Authorization": f"Bearer {tokens[f'{HADANO}-department_editor']}"}
    read = schema[path]["GET"].Case(path_parameters=INITIATIVE).call_and_validate()
    body = {"results": {"2023": "窓口での案内を開始しました。"}}
    case = schema[path]["PATCH"].Case(
        path_parameters=INITIATIVE,
        headers=auth | {"If-Match": read.headers["etag"][0]},
        body=body,
        media_type="application/merge-patch+json",
    )
    response = case.call_and_validate()
    assert response.status_code == 200, response.text
