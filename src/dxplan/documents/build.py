"""The one entry point of the pages, the API and the CLI: a plan's document as bytes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from dxplan.accounts.rules import Actor
from dxplan.documents.content import (
    DocumentError,
    Frame,
    Kind,
    Progress,
    content,
    document_title,
    resolve_fy,
)
from dxplan.documents.pdf import render_pdf
from dxplan.documents.xlsx import render_xlsx
from dxplan.errors import NotFoundError
from dxplan.evaluation.queries import verdict_overrides
from dxplan.plans.models import Plan
from dxplan.plans.package.form import FormOptions, plan_to_package
from dxplan.plans.queries import find_plan, plan_row
from dxplan.plans.visibility import reads_drafts_of
from dxplan.reporting.queries import locked_years


class Format(StrEnum):
    """The file formats of a document."""

    PDF = "pdf"
    XLSX = "xlsx"


MEDIA_TYPES = {
    Format.PDF: "application/pdf",
    Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Document:
    """A built document: its bytes, an ASCII file name, a Japanese one (plan and document
    title, for downloads) and its media type."""

    body: bytes
    filename: str
    display_name: str
    media_type: str


def parse_kind(value: str) -> Kind:
    """The kind named, or DocumentError listing the kinds there are."""
    try:
        return Kind(value)
    except ValueError:
        known = ", ".join(k.value for k in Kind)
        raise DocumentError(f"unknown document kind {value!r}; expected one of {known}") from None


def parse_format(value: str) -> Format:
    """The format named, or DocumentError listing the formats there are."""
    try:
        return Format(value)
    except ValueError:
        known = ", ".join(f.value for f in Format)
        raise DocumentError(f"unknown document format {value!r}; expected one of {known}") from None


def readable_plan(
    session: Session, municipality_code: str, plan_id: str, reader: Actor | None
) -> Plan:
    """The plan, loaded whole, if the reader may read it (a constant number of queries);
    NotFoundError otherwise, as for a plan that does not exist."""
    plan = find_plan(session, municipality_code, plan_id)
    if plan is None or not (plan.public or reads_drafts_of(reader, municipality_code)):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {municipality_code}")
    return plan


def readable_package(
    session: Session, municipality_code: str, plan_id: str, reader: Actor | None
) -> dict[str, Any]:
    """The plan's package form if the reader may read the plan (see `readable_plan`)."""
    plan = readable_plan(session, municipality_code, plan_id, reader)
    return plan_to_package(plan, FormOptions(ids=False))


def japanese_lines(text: str) -> str:
    """The lines of a plan's notes written in Japanese: the document's own words (seed 000 prints
    them under its index table), not a transcriber's notes in English."""
    lines = text.split("\n")
    return "\n".join(
        line for line in lines if line and sum(ord(ch) > 0x2E80 for ch in line) * 2 > len(line)
    )


def render(
    doc: dict[str, Any],
    kind: Kind,
    fmt: Format,
    *,
    fy: int | None = None,
    draft: bool = True,
    today: date | None = None,
    progress: Progress | None = None,
    overrides: Mapping[tuple[str, int], str] | None = None,
) -> Document:
    """A plan package's document of that kind in that format (`overrides`: people's verdicts
    on indicators, (uid, fy) → label, for the summary)."""
    today = today or date.today()
    year = resolve_fy(doc, fy, today)
    frame = Frame(
        kind=kind,
        municipality=str(doc["municipality"]["name"]),
        plan_title=str(doc["plan"]["title"]),
        fy=year,
        draft=draft,
        title=document_title(kind, year),
        made_on=today,
    )
    steps = 1

    def step(done: int, total: int) -> None:
        nonlocal steps
        steps = total + 1  # the last step: laying the pages out (or writing the workbook)
        if progress:
            progress(done, steps)

    body_content = content(doc, kind, year, step, overrides)
    notes = japanese_lines(str(doc["plan"].get("notes") or "")) if kind is Kind.PROGRESS else ""
    if fmt is Format.PDF:
        body = render_pdf(frame, body_content, notes)
    else:
        body = render_xlsx(frame, body_content)
    if progress:
        progress(steps, steps)
    filename = f"{doc['plan']['id']}-{kind.value}-{year}.{fmt.value}"
    display = f"{frame.plan_title}_{frame.title}{'（案）' if draft else ''}"
    display = re.sub(r'[\\/:*?"<>|\s]+', "_", display).strip("_")
    return Document(body, filename, f"{display}.{fmt.value}", MEDIA_TYPES[fmt])


def build(
    session: Session,
    municipality_code: str,
    plan_id: str,
    kind: Kind,
    fmt: Format,
    *,
    fy: int | None = None,
    reader: Actor | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> Document:
    """The document of a stored plan for a fiscal year (default: the current one), for a reader
    who may read the plan (NotFoundError otherwise).

    A year whose reporting round the committee approved is locked: its document is final. Any
    other year's document is made from the current data and marked 「案」 on every page. (A
    locked year's data changes afterwards only by corrections recorded with their reason, which
    the final document includes.)
    """
    plan = readable_plan(session, municipality_code, plan_id, reader)
    summary = kind is Kind.SUMMARY  # the summary counts people's verdicts, found by uid
    doc = plan_to_package(plan, FormOptions(ids=summary))
    year = resolve_fy(doc, fy, today or date.today())
    draft = str(year) not in locked_years(session, plan.id)
    overrides = verdict_overrides(session, plan) if summary else None
    return render(
        doc, kind, fmt, fy=year, draft=draft, today=today, progress=progress, overrides=overrides
    )


def year_locked(session: Session, municipality_code: str, plan_id: str, fy: int) -> bool:
    """Is the plan's fiscal year locked (its round approved): are its documents final?"""
    plan = plan_row(session, municipality_code, plan_id)
    return plan is not None and str(fy) in locked_years(session, plan.id)
