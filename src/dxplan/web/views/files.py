"""Files to download: the plan's CSV files (UTF-8 with a byte order mark, as Excel opens them),
and any file as an attachment named in RFC 5987 form."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from fastapi.responses import Response

from dxplan.documents.build import Document
from dxplan.documents.presentation import (
    achievements,
    figure_text,
    flags,
    fy_label,
    latest_status,
    year_keys,
)
from dxplan.plans.labels import FLAG_LABELS, ROLE_LABELS


def download(body: bytes, filename: str, media_type: str, *, ascii_name: str = "") -> Response:
    """The body as an attachment: its name in RFC 5987 form (beside an ASCII one, when given),
    text as UTF-8."""
    charset = "; charset=utf-8" if media_type.startswith("text/") else ""
    named = f'filename="{ascii_name}"; ' if ascii_name else ""
    return Response(
        body,
        media_type=media_type + charset,
        headers={
            "Content-Disposition": f"attachment; {named}filename*=UTF-8''{quote(filename, safe='')}"
        },
    )


def document_download(document: Document) -> Response:
    """A published document, its Japanese name beside an ASCII one."""
    return download(
        document.body, document.display_name, document.media_type, ascii_name=document.filename
    )


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file Excel opens as UTF-8 (with a byte order mark)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def initiatives_csv(doc: dict[str, Any]) -> bytes:
    """The plan's initiatives, one row each."""
    header = ["コード", "区分", "取組名", *ROLE_LABELS.values(), *FLAG_LABELS.values()]
    header += ["進捗状況（最新年度）", "達成状況"]
    rows = []
    for item in doc.get("initiatives") or []:
        marks = flags(item)
        rows.append(
            [
                item.get("code"),
                item.get("section"),
                item.get("title"),
                *("、".join(item.get(f) or []) for f in ROLE_LABELS),
                *("○" if name in marks else "" for name in FLAG_LABELS),
                latest_status(item),
                "、".join(achievements(item)),
            ]
        )
    return csv_bytes(header, rows)


def indicators_csv(doc: dict[str, Any]) -> bytes:
    """The plan's indicators, one row each, with baseline, targets and actuals per year."""
    indicators = [
        (item, indicator)
        for item in doc.get("initiatives") or []
        for indicator in item.get("indicators") or []
    ]
    years = year_keys([i for _, i in indicators], "targets", "actuals")
    header = ["取組コード", "取組名", "評価指標", "単位", "現状値", "現状値の年度"]
    for key in years:
        header += [f"{fy_label(key)} 目標値", f"{fy_label(key)} 実績値"]
    rows = []
    for item, indicator in indicators:
        baseline = indicator.get("baseline") or {}
        row = [
            item.get("code"),
            item.get("title"),
            indicator.get("name"),
            indicator.get("unit"),
            figure_text(baseline),
            baseline.get("fy"),
        ]
        for key in years:
            row += [
                figure_text((indicator.get("targets") or {}).get(key)),
                figure_text((indicator.get("actuals") or {}).get(key)),
            ]
        rows.append(row)
    return csv_bytes(header, rows)
