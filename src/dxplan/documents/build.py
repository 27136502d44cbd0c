"""The one entry point of the pages, the API and the CLI: a plan's document as bytes."""

from __future__ import annotations

import re
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
from dxplan.plans.forms import FormOptions, plan_to_package
from dxplan.plans.queries import find_plan
from dxplan.plans.visibility import reads_drafts_of


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


def readable_package(
    session: Session, municipality_code: str, plan_id: str, reader: Actor | None
) -> dict[str, Any]:
    """The plan's package form if the reader may read the plan (a constant number of queries);
    NotFoundError otherwise, as for a plan that does not exist."""
    plan = find_plan(session, municipality_code, plan_id)
    if plan is None or not (plan.public or reads_drafts_of(reader, municipality_code)):
        raise NotFoundError(f"no plan {plan_id!r} of municipality {municipality_code}")
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
) -> Document:
    """A plan package's document of that kind in that format."""
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

    body_content = content(doc, kind, year, step)
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
    draft: bool = True,
    reader: Actor | None = None,
    progress: Progress | None = None,
) -> Document:
    """The document of a stored plan, for a reader who may read the plan (NotFoundError
    otherwise); `draft` marks every page 「案」 (a year not locked yet)."""
    doc = readable_package(session, municipality_code, plan_id, reader)
    return render(doc, kind, fmt, fy=fy, draft=draft, progress=progress)
