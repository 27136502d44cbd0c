"""Revisions on the pages: open one, change the plan in it, adopt it; 改訂履歴, as-of and diff."""

from __future__ import annotations

import re

from sqlalchemy import select

from dxplan.audit.models import AuditEntry

from web_support import HADANO, ISEHARA, Web, csrf_of, posted_fields

PLAN = f"/municipalities/{HADANO}/plans/hadano-ict-plan"
REVISIONS = f"{PLAN}/revisions"


def _post(web: Web, page: str, action: str, fields: dict[str, str]) -> object:
    html = web.client.get(page).text
    data = posted_fields(html, action) | fields
    data["csrf_token"] = csrf_of(html)
    return web.client.post(
        f"{PLAN}{action}" if action.startswith("/revisions") else action, data=data
    )


def _edit(web: Web, code: str, fy: str, fields: dict[str, str]) -> object:
    url = f"{PLAN}/initiatives/{code}"
    html = web.client.get(f"{url}/edit", params={"fy": fy}).text
    return web.client.post(f"{url}/edit", data=posted_fields(html) | fields)


def test_the_dx_division_revises_the_plan_and_the_history_and_diff_show_it(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    opened = _post(web, REVISIONS, "/revisions/open", {"date": "2026-04", "version": "第3.0版"})
    assert opened.status_code == 303  # type: ignore[attr-defined]
    added = _post(
        web,
        REVISIONS,
        "/revisions/initiatives",
        {
            "section": "1-1",
            "code": "1-1-(9)",
            "title": "書かない窓口の導入",
            "lead_departments": "戸籍住民課、デジタル推進課",
            "overview": "申請書を書かずに手続ができる窓口を導入します。",
        },
    )
    assert added.status_code == 303, added.text  # type: ignore[attr-defined]
    raised = _edit(web, "1-1-%282%29", "2025", {"indicator-0-target": "90%"})
    assert raised.status_code == 303  # type: ignore[attr-defined]
    ended = _edit(
        web,
        "1-1-%284%29",
        "2025",
        {"terminated-reason": "電子図書館に統合したため", "terminated-successor": "1-1-(9)"},
    )
    assert ended.status_code == 303  # type: ignore[attr-defined]
    page = web.client.get(REVISIONS).text
    assert "作業中の改訂" in page
    assert "書かない窓口の導入" in page
    uid = re.search(r'/revisions/([0-9a-f-]{36})/adopt"', page)
    assert uid
    adopted = _post(web, REVISIONS, f"/revisions/{uid.group(1)}/adopt", {})
    assert adopted.status_code == 303  # type: ignore[attr-defined]

    web.client.post("/logout", data={"csrf_token": csrf_of(web.client.get("/").text)})
    history = web.client.get(REVISIONS).text
    assert "令和8年4月" in history
    assert "第3.0版" in history
    table = history[history.index("令和8年4月") :]
    assert "新規" in table
    assert "終了" in table
    assert "目標値" in table
    revisions = re.findall(r'<option value="([0-9a-f-]{36})"', history)
    assert len(set(revisions)) >= 2
    diff = web.client.get(f"{REVISIONS}/diff", params={"from": revisions[0], "to": revisions[-1]})
    assert diff.status_code == 200
    assert "1-1-(9) 書かない窓口の導入" in diff.text
    assert "電子図書館に統合したため" in diff.text
    assert "90%" in diff.text
    as_of = web.client.get(f"{REVISIONS}/{revisions[-1]}").text
    assert "第3.0版 の時点の計画です" in as_of
    sheet = web.client.get(f"{REVISIONS}/{revisions[-1]}/initiatives/1-1-%289%29").text
    assert "申請書を書かずに手続ができる窓口を導入します。" in sheet
    with web.sessions() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("revision.%"))
        ).all()
    assert sorted(actions) == ["revision.adopt", "revision.open"]


def test_only_the_dx_division_and_admins_open_revisions(web: Web) -> None:
    for login in (f"{HADANO}-department_editor", f"{HADANO}-committee"):
        web.login(login)
        page = web.client.get(REVISIONS).text
        assert "改訂を開始する</button>" not in page
        forged = web.client.post(
            f"{REVISIONS}/open", data={"date": "2026-04", "csrf_token": csrf_of(page)}
        )
        assert forged.status_code == 403
    web.login(f"{ISEHARA}-admin")
    page = web.client.get("/").text
    other = web.client.post(
        f"{REVISIONS}/open", data={"date": "2026-04", "csrf_token": csrf_of(page)}
    )
    assert other.status_code == 404


def test_opening_a_revision_needs_the_forms_csrf_token(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    response = web.client.post(f"{REVISIONS}/open", data={"date": "2026-04"})
    assert response.status_code == 403
    assert "改訂を開始する</button>" in web.client.get(REVISIONS).text  # still none open


def test_an_open_revision_is_shown_only_to_the_municipalitys_own_users(web: Web) -> None:
    web.open_revision()
    assert "作業中の改訂" not in web.client.get(REVISIONS).text
    web.login(f"{HADANO}-viewer")
    assert "作業中の改訂" in web.client.get(REVISIONS).text


def test_a_bad_revision_date_is_explained_on_the_page(web: Web) -> None:
    web.login(f"{HADANO}-dx_division")
    response = _post(web, REVISIONS, "/revisions/open", {"date": "来年4月"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "保存できませんでした" in response.text  # type: ignore[attr-defined]


def test_a_stale_revision_form_is_refused_with_a_412_that_says_so(web: Web) -> None:
    web.open_revision()
    web.login(f"{HADANO}-dx_division")
    page = web.client.get(REVISIONS).text
    uid = re.search(r'/revisions/([0-9a-f-]{36})/update"', page)
    assert uid
    response = _post(web, REVISIONS, f"/revisions/{uid.group(1)}/update", {"row_version": "99"})
    assert response.status_code == 412  # type: ignore[attr-defined]
    text = response.text  # type: ignore[attr-defined]
    assert "改訂：古い版（いまの改訂（ほかの人が先に変更しました。" in text
    assert "<li>：</li>" not in text
