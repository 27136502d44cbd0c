"""The REST API: who reads what, changing an initiative with a merge patch (permissions,
versions, validation, audit), history and revisions, and the cost of each request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from httpx2 import Response
from sqlalchemy import Engine, select

from dxplan.audit.models import AuditEntry
from dxplan.interchange.exporter import export_package

from support import counting
from web_support import HADANO, ISEHARA, Web

API = "/api/v1"
PLAN = f"{API}/municipalities/{HADANO}/plans/hadano-ict-plan"
DRAFT = f"{API}/municipalities/{ISEHARA}/plans/isehara-ict-action-plan"
OWN = "1-1-(2)"  # led by the editor's department, 戸籍住民課
OTHER = "1-2-(1)"  # led by 広報広聴課
MERGE_PATCH = "application/merge-patch+json"


def url(initiative_code: str, plan: str = PLAN) -> str:
    """The initiative's URL, its code percent-encoded as a client would."""
    encoded = initiative_code.replace("(", "%28").replace(")", "%29")
    return f"{plan}/initiatives/{encoded}"


def patch(
    web: Web, login: str | None, target: str, body: Any, etag: str | None, **headers: str
) -> Response:
    sent = {"Content-Type": MERGE_PATCH, **web.bearer(login), **headers}
    if etag is not None:
        sent["If-Match"] = etag
    return web.client.patch(target, content=json.dumps(body, ensure_ascii=False), headers=sent)


def with_figure(form: dict[str, Any], kind: str, fy: str, number: int) -> dict[str, Any]:
    """A merge patch setting the first indicator's target or actual for `fy` (arrays replace
    whole: the patch carries every indicator, each with its uid)."""
    indicators = [dict(i) for i in form["indicators"]]
    indicators[0][kind] = {
        **indicators[0].get(kind, {}),
        fy: {"text": f"{number}{indicators[0].get('unit') or ''}", "value": number},
    }
    return {"indicators": indicators}


def read(web: Web, target: str, login: str | None = None) -> Response:
    response = web.client.get(target, headers=web.bearer(login))
    assert response.status_code == 200, response.text
    return response


# --- reading ---------------------------------------------------------------------------------


def test_municipalities_are_those_with_a_plan_the_reader_may_read(web: Web) -> None:
    anonymous = web.client.get(f"{API}/municipalities").json()
    assert anonymous == [{"code": HADANO, "name": "秦野市", "prefecture": "神奈川県", "plans": 1}]
    own = web.client.get(f"{API}/municipalities", headers=web.bearer(f"{ISEHARA}-viewer")).json()
    assert [m["code"] for m in own] == [HADANO, ISEHARA]
    other = web.client.get(f"{API}/municipalities", headers=web.bearer(f"{HADANO}-admin")).json()
    assert [m["code"] for m in other] == [HADANO]


def test_plans_of_a_municipality_with_their_sizes_and_drafts_only_for_its_own_users(
    web: Web,
) -> None:
    (plan,) = web.client.get(f"{API}/municipalities/{HADANO}/plans").json()
    assert plan["plan_id"] == "hadano-ict-plan"
    assert (plan["initiatives"], plan["sections"], plan["public"]) == (62, 13, True)
    assert web.client.get(f"{API}/municipalities/{ISEHARA}/plans").status_code == 404
    outsider = web.bearer(f"{HADANO}-admin")
    isehara = f"{API}/municipalities/{ISEHARA}/plans"
    assert web.client.get(isehara, headers=outsider).status_code == 404
    (draft,) = web.client.get(isehara, headers=web.bearer(f"{ISEHARA}-viewer")).json()
    assert (draft["plan_id"], draft["public"]) == ("isehara-ict-action-plan", False)


def test_the_plan_is_its_package_as_exported(web: Web) -> None:
    body = read(web, PLAN).json()
    with web.sessions() as session:
        assert body == export_package(session, HADANO, "hadano-ict-plan")
    assert web.client.get(DRAFT).status_code == 404
    assert web.client.get(DRAFT, headers=web.bearer(f"{HADANO}-admin")).status_code == 404
    draft = read(web, DRAFT, f"{ISEHARA}-committee").json()
    assert draft["plan"]["id"] == "isehara-ict-action-plan"


def test_an_unknown_token_is_refused_even_for_public_data(web: Web) -> None:
    response = web.client.get(PLAN, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["status"] == 401
    basic = web.client.get(PLAN, headers={"Authorization": "Basic eDp5"})
    assert basic.status_code == 401


def test_an_initiative_is_read_by_its_percent_encoded_code_with_its_version_as_etag(
    web: Web,
) -> None:
    response = read(web, url(OWN))
    package = read(web, PLAN).json()
    assert response.json() == next(i for i in package["initiatives"] if i["code"] == OWN)
    etag = response.headers["etag"]
    assert etag.startswith('"')
    assert etag.strip('"').isdigit()
    again = web.client.get(url(OWN), headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    assert web.client.get(url(OWN), headers={"If-None-Match": '"0"'}).status_code == 200
    assert web.client.get(url("9-9-(9)")).status_code == 404
    assert web.client.get(url("1-1", DRAFT)).status_code == 404
    assert read(web, url("1-1", DRAFT), f"{ISEHARA}-viewer").json()["code"] == "1-1"


def test_departments_with_counts_over_the_plans_the_reader_may_read(web: Web) -> None:
    departments = web.client.get(f"{API}/municipalities/{HADANO}/departments").json()
    digital = next(d for d in departments if d["name"] == "デジタル推進課")
    assert digital["lead"] >= 1
    assert digital["initiatives"] == digital["lead"] + digital["related"]
    assert web.client.get(f"{API}/municipalities/{ISEHARA}/departments").status_code == 404
    own = web.client.get(
        f"{API}/municipalities/{ISEHARA}/departments", headers=web.bearer(f"{ISEHARA}-viewer")
    )
    assert "市民協働課" in {d["name"] for d in own.json()}


def test_revisions_are_the_packages(web: Web) -> None:
    revisions = read(web, f"{PLAN}/revisions").json()
    assert revisions == read(web, PLAN).json()["revisions"]
    assert revisions[0]["date"] == "2022-06"
    assert web.client.get(f"{DRAFT}/revisions").status_code == 404


# --- changing an initiative ------------------------------------------------------------------


def test_an_editor_reports_an_actual_recorded_in_the_audit_trail_under_a_new_etag(
    web: Web,
) -> None:
    editor = f"{HADANO}-department_editor"
    before = read(web, url(OWN))
    body = with_figure(before.json(), "actuals", "2023", 12)
    response = patch(web, editor, url(OWN), body, before.headers["etag"])
    assert response.status_code == 200, response.text
    assert response.json()["indicators"][0]["actuals"]["2023"] == {"text": "12%", "value": 12}
    assert response.headers["etag"] != before.headers["etag"]
    assert read(web, url(OWN)).headers["etag"] == response.headers["etag"]
    assert read(web, url(OWN)).json() == response.json()
    with web.sessions() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "initiative.update")
        ).one()
    assert entry.actor_id.startswith("user:")
    assert entry.target_key == f"{HADANO}/hadano-ict-plan/{OWN}"
    assert [c["field"] for c in entry.changes or []] == ["indicators[0].actuals.2023"]
    stale = patch(web, editor, url(OWN), body, before.headers["etag"])
    assert stale.status_code == 412


def test_a_merge_patch_changes_only_what_it_names_and_null_removes(web: Web) -> None:
    web.open_revision()
    division = f"{HADANO}-dx_division"
    before = read(web, url(OWN))
    body = {"overview": None, "note": "見直し中", "period": {"start_fy": 2021, "end_fy": 2025}}
    response = patch(web, division, url(OWN), body, before.headers["etag"])
    assert response.status_code == 200, response.text
    expected = {k: v for k, v in before.json().items() if k != "overview"}
    expected |= {"period": {"start_fy": 2021, "end_fy": 2025}, "note": "見直し中"}
    assert response.json() == expected
    again = patch(web, division, url(OWN), {"period": {"end_fy": 2024}}, response.headers["etag"])
    assert again.json()["period"] == {"start_fy": 2021, "end_fy": 2024}


# Who may change what of 秦野市's published plan. For each actor: the status for the editor's
# department's initiative (1-1-(2)) and for another department's (1-2-(1)), when changing a
# yearly field (an indicator's actual) and a plan field (an indicator's target).
# fmt: off
ACCESS = {
    # actor                             yearly: own, other   plan: own, other
    None:                               ((401, 401),         (401, 401)),
    f"{HADANO}-admin":                  ((200, 200),         (200, 200)),
    f"{HADANO}-dx_division":            ((200, 200),         (200, 200)),
    f"{HADANO}-department_editor":      ((200, 403),         (403, 403)),
    f"{HADANO}-committee":              ((403, 403),         (403, 403)),
    f"{HADANO}-viewer":                 ((403, 403),         (403, 403)),
    f"{ISEHARA}-admin":                 ((404, 404),         (404, 404)),
    f"{ISEHARA}-dx_division":           ((404, 404),         (404, 404)),
    f"{ISEHARA}-department_editor":     ((404, 404),         (404, 404)),
    f"{ISEHARA}-committee":             ((404, 404),         (404, 404)),
    f"{ISEHARA}-viewer":                ((404, 404),         (404, 404)),
}
# fmt: on


def test_who_may_patch_what_yearly_and_plan_fields_own_and_other_department_and_city(
    web: Web,
) -> None:
    web.open_revision()  # the plan itself changes only inside an open revision
    found: dict[str | None, tuple[tuple[int, int], tuple[int, int]]] = {}
    number = 100
    for actor in ACCESS:
        statuses: list[tuple[int, int]] = []
        for kind, fy in (("actuals", "2023"), ("targets", "2025")):
            pair: list[int] = []
            for code in (OWN, OTHER):
                number += 1
                current = read(web, url(code))
                body = with_figure(current.json(), kind, fy, number)
                response = patch(web, actor, url(code), body, current.headers["etag"])
                pair.append(response.status_code)
                if response.status_code == 200:
                    figure = response.json()["indicators"][0][kind][fy]
                    assert figure["value"] == number
            statuses.append((pair[0], pair[1]))
        found[actor] = (statuses[0], statuses[1])
    assert found == ACCESS


def test_a_plan_change_outside_an_open_revision_is_refused_a_yearly_one_is_not(web: Web) -> None:
    division = f"{HADANO}-dx_division"
    current = read(web, url(OWN))
    target = with_figure(current.json(), "targets", "2025", 9)
    refused = patch(web, division, url(OWN), target, current.headers["etag"])
    assert refused.status_code == 422
    assert "改訂を開始してください" in refused.json()["detail"]
    actual = with_figure(current.json(), "actuals", "2023", 9)
    assert patch(web, division, url(OWN), actual, current.headers["etag"]).status_code == 200


def test_an_editors_change_of_a_target_is_refused_naming_the_field(web: Web) -> None:
    current = read(web, url(OWN))
    body = with_figure(current.json(), "targets", "2025", 7)
    response = patch(web, f"{HADANO}-department_editor", url(OWN), body, current.headers["etag"])
    assert response.status_code == 403
    assert response.json()["detail"].startswith("指標『利用率』の2025年度目標値を変更できません。")
    assert read(web, url(OWN)).headers["etag"] == current.headers["etag"]


def test_a_draft_is_not_found_for_a_writer_of_another_city(web: Web) -> None:
    web.open_revision(ISEHARA, "isehara-ict-action-plan")
    target = url("1-1", DRAFT)
    current = read(web, target, f"{ISEHARA}-dx_division")
    body = {"note": "x"}
    etag = current.headers["etag"]
    assert patch(web, f"{HADANO}-admin", target, body, etag).status_code == 404
    assert patch(web, None, target, body, etag).status_code == 401
    assert patch(web, f"{ISEHARA}-dx_division", target, body, etag).status_code == 200


def test_a_patch_needs_its_media_type_and_if_match(web: Web) -> None:
    web.open_revision()
    admin = f"{HADANO}-admin"
    current = read(web, url(OWN))
    etag = current.headers["etag"]
    as_json = patch(
        web, admin, url(OWN), {"note": "x"}, etag, **{"Content-Type": "application/json"}
    )
    assert as_json.status_code == 415
    missing = patch(web, admin, url(OWN), {"note": "x"}, None)
    assert missing.status_code == 428
    assert missing.json()["status"] == 428
    stale = patch(web, admin, url(OWN), {"note": "x"}, '"999"')
    assert stale.status_code == 412
    assert stale.json()["current_version"] == int(etag.strip('"'))
    assert stale.headers["etag"] == etag
    weak = patch(web, admin, url(OWN), {"note": "x"}, f"W/{etag}")
    assert weak.status_code == 412
    for odd in ('"-1"', '"' + "9" * 900 + '"', "7", '""'):
        assert patch(web, admin, url(OWN), {"note": "x"}, odd).status_code == 412, odd
    superscript = web.client.patch(  # "²".isdigit(), but int("²") fails
        url(OWN),
        content=b"{}",
        headers={"Content-Type": MERGE_PATCH, "If-Match": '"²"'.encode("latin-1")}
        | web.bearer(admin),
    )
    assert superscript.status_code == 412
    assert patch(web, admin, url(OWN), {"note": "x"}, "*").status_code == 200


def test_a_body_that_is_not_json_is_a_bad_request_saying_where(web: Web) -> None:
    current = read(web, url(OWN))
    response = web.client.patch(
        url(OWN),
        content=b'{"note": "x",}',
        headers={
            "Content-Type": MERGE_PATCH,
            "If-Match": current.headers["etag"],
            **web.bearer(f"{HADANO}-admin"),
        },
    )
    assert response.status_code == 400
    assert "JSONとして読めない" in response.json()["problems"][0]["found"]


@pytest.mark.parametrize(
    ("body", "path", "expected"),
    [
        ({"colour": "red"}, "$.colour", "dxplan-package/1 の項目だけ"),
        ({"title": None}, "$.title", "必須の項目「title」"),
        ({"section": "9-9"}, "$.section", "計画の区分のコード"),
        ({"added_fy": 1800}, "$.added_fy", "西暦の年度"),
        ({"terminated": {"successor": "1-1-(2)"}}, "$.terminated.successor", "ほかの取組"),
        ({"code": "1-2-(1)"}, "$.code", "計画のほかの取組で使われていないコード"),
        ({"uid": "0f8fad5b-d9cb-469f-a165-70867728950e"}, "$.uid", "この取組のuid"),
        ({"results": {"2023年": "x"}}, "$.results", "2021 のような年度"),
        (
            {"activities": [{"title": "x", "status": {"2023": "順調"}}]},
            "$.activities[0].status.2023",
            "計画の進捗状況の区分",
        ),
        ([1, 2], "$", "オブジェクト"),
    ],
)
def test_an_invalid_initiative_is_refused_with_each_problem_and_its_path(
    web: Web, body: Any, path: str, expected: str
) -> None:
    current = read(web, url(OWN))
    response = patch(web, f"{HADANO}-admin", url(OWN), body, current.headers["etag"])
    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert any(p["path"].startswith(path) and expected in p["expected"] for p in problems), problems


def test_a_figure_whose_value_contradicts_its_text_is_refused_at_its_path(web: Web) -> None:
    current = read(web, url(OWN))
    body = with_figure(current.json(), "actuals", "2023", 12)
    body["indicators"][0]["actuals"]["2023"]["value"] = 13
    response = patch(web, f"{HADANO}-department_editor", url(OWN), body, current.headers["etag"])
    assert response.status_code == 422
    (problem,) = response.json()["problems"]
    assert problem["path"] == "$.indicators[0].actuals.2023.value"
    assert "12" in problem["expected"]


def test_a_child_uid_of_another_initiative_is_refused(web: Web) -> None:
    other = read(web, url(OTHER)).json()
    current = read(web, url(OWN))
    indicators = current.json()["indicators"]
    indicators[0] = {**indicators[0], "uid": other["indicators"][0]["uid"]}
    response = patch(
        web, f"{HADANO}-admin", url(OWN), {"indicators": indicators}, current.headers["etag"]
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["path"] == "$.indicators[0].uid"


def test_a_renamed_initiative_answers_at_its_new_url(web: Web) -> None:
    web.open_revision()
    current = read(web, url(OWN))
    response = patch(
        web, f"{HADANO}-admin", url(OWN), {"code": "1-1-(99)"}, current.headers["etag"]
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-location"] == url("1-1-(99)")
    assert read(web, url("1-1-(99)")).json()["uid"] == current.json()["uid"]
    assert web.client.get(url(OWN)).status_code == 404


# --- history -----------------------------------------------------------------------------------


def test_history_is_newest_first_paged_and_names_actors_only_to_the_citys_own_users(
    web: Web,
) -> None:
    for number in (1, 2, 3):
        current = read(web, url(OWN))
        body = with_figure(current.json(), "actuals", "2023", number)
        assert (
            patch(web, f"{HADANO}-admin", url(OWN), body, current.headers["etag"]).status_code
            == 200
        )
    page = read(web, f"{PLAN}/history?limit=2").json()
    first, second = page["entries"]
    assert first["id"] > second["id"]
    assert first["action"] == "initiative.update"
    assert first["changes"][0]["new"] == {"text": "3%", "value": 3}
    assert first["actor"] is None
    assert first["at"].endswith(("+00:00", "Z"))
    rest = read(web, f"{PLAN}/history?limit=50&before={page['next_before']}").json()
    assert rest["entries"][0]["id"] < second["id"]
    assert [e["action"] for e in rest["entries"]][-2:] == ["plan.publish", "plan.import"]
    assert rest["next_before"] is None
    own = read(web, f"{PLAN}/history?limit=1", f"{HADANO}-viewer").json()["entries"][0]
    assert own["actor"].startswith("user:")
    outsider = read(web, f"{PLAN}/history?limit=1", f"{ISEHARA}-admin").json()["entries"][0]
    assert outsider["actor"] is None
    assert web.client.get(f"{DRAFT}/history").status_code == 404
    assert web.client.get(f"{PLAN}/history?limit=0").status_code == 422


# --- cost ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/{code}/plans",
        "/{code}/departments",
        "{plan}",
        "{initiative}",
        "{plan}/history",
        "{plan}/revisions",
    ],
)
def test_each_read_costs_the_same_statements_whatever_the_size_of_the_plan(
    web: Web, engine: Engine, path: str
) -> None:
    """秦野市's plan has 62 initiatives and four revisions, 伊勢原市's 36 and none."""
    counts = []
    for code, plan, initiative in ((HADANO, PLAN, url(OWN)), (ISEHARA, DRAFT, url("1-1", DRAFT))):
        if path.startswith("/"):
            target = f"{API}/municipalities" + path.format(code=code)
        else:
            target = path.format(plan=plan, initiative=initiative)
        with counting(engine) as statements:
            read(web, target, f"{code}-admin")
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a_patch_costs_the_same_statements_whatever_the_size_of_the_plan(
    web: Web, engine: Engine
) -> None:
    web.open_revision()
    web.open_revision(ISEHARA, "isehara-ict-action-plan")
    counts = []
    for code, target in ((HADANO, url(OWN)), (ISEHARA, url("1-1", DRAFT))):
        current = read(web, target, f"{code}-admin")
        with counting(engine) as statements:
            response = patch(
                web, f"{code}-admin", target, {"note": "見直し"}, current.headers["etag"]
            )
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


# --- what schemathesis found -------------------------------------------------------------------


def test_a_method_the_path_does_not_have_is_answered_with_every_method_it_has(web: Web) -> None:
    """Starlette's 405 named only the first route's method (GET), though PATCH is there too."""
    response = web.client.request("OPTIONS", url(OWN))
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH"
    assert web.client.delete(PLAN).headers["allow"] == "GET"


def test_a_body_that_is_not_an_object_is_refused_before_the_version_is_compared(web: Web) -> None:
    """A malformed request is a 4xx for what it is, not a 412 for its stale If-Match."""
    response = patch(web, f"{HADANO}-admin", url(OWN), "a string", '"0"')
    assert response.status_code == 422
    assert response.json()["problems"][0]["found"] == "文字列"


def test_a_history_cursor_beyond_the_ids_the_database_holds_is_refused(web: Web) -> None:
    """PostgreSQL cannot compare an integer column with a number of over 32 bits."""
    assert web.client.get(f"{PLAN}/history?before={2**31}").status_code == 422
    assert web.client.get(f"{PLAN}/history?before={2**31 - 1}").status_code == 200


def test_the_openapi_document_describes_packages_by_the_shipped_schema(web: Web) -> None:
    document = web.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert schemas["PackageInitiative"]["properties"]["indicators"]["items"] == {
        "$ref": "#/components/schemas/PackageIndicator"
    }
    plan = document["paths"][f"{API}/municipalities/{{code}}/plans/{{plan_id}}"]["get"]
    body = plan["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Package"}
    assert plan["security"] == [{}, {"bearerAuth": []}]
    assert not any(path.startswith("/municipalities") for path in document["paths"])
