"""The pages' templates: one folder per domain, the documents' templates reached under a prefix
only (so that no two templates share a name), every include resolving, and no labels inline."""

from __future__ import annotations

import re

import pytest
from jinja2 import FileSystemLoader

from dxplan.documents.pdf import TEMPLATES as DOCUMENT_TEMPLATES
from dxplan.web.rendering import TEMPLATES, env

PAGES = FileSystemLoader(TEMPLATES).list_templates()
DOCUMENTS = FileSystemLoader(DOCUMENT_TEMPLATES).list_templates()
_NAMED = re.compile(r"{%-?\s*(?:include|extends|import|from)\s+\"([^\"]+)\"")
# A label table written into a template: {'key': '日本語', …} or [("key", "日本語"), …].
_INLINE_LABELS = re.compile(
    r"""\{\s*['"][\w.]+['"]\s*:\s*['"][^'"]*[^\x00-\x7f]|\(\s*['"][\w.]+['"]\s*,\s*['"][^\x00-\x7f]"""
)


def test_the_documents_templates_are_reached_under_their_prefix_only() -> None:
    assert "base.html" in PAGES
    assert "base.html" in DOCUMENTS
    assert not [name for name in PAGES if name.startswith("@documents")]
    assert env.loader is not None
    _, pages_base, _ = env.loader.get_source(env, "base.html")
    _, documents_base, _ = env.loader.get_source(env, "@documents/base.html")
    assert pages_base == str(TEMPLATES / "base.html")
    assert documents_base == str(DOCUMENT_TEMPLATES / "base.html")


def test_the_pages_templates_are_in_a_folder_per_domain_beside_base_and_error() -> None:
    top = sorted(name for name in PAGES if "/" not in name)
    assert top == ["base.html", "error.html"]
    folders = {name.split("/")[0] for name in PAGES if "/" in name}
    assert folders <= {
        "_partials",
        "accounts",
        "plans",
        "editing",
        "revisions",
        "evaluation",
        "reporting",
        "documents",
        "workbooks",
    }


@pytest.mark.parametrize("name", PAGES)
def test_every_template_a_page_template_names_is_there(name: str) -> None:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    for named in _NAMED.findall(source):
        assert env.get_template(named), named


@pytest.mark.parametrize("name", PAGES)
def test_no_page_template_writes_out_a_table_of_labels(name: str) -> None:
    source = (TEMPLATES / name).read_text(encoding="utf-8")
    assert _INLINE_LABELS.findall(source) == [], "use the domain's labels module (a global)"


def test_only_the_problems_partial_renders_problems() -> None:
    rendering = [
        name
        for name in PAGES
        if re.search(r"{%\s*for \w+ in (?:\w+_)?problems\s*%}", (TEMPLATES / name).read_text())
    ]
    # the update workbook's own table of problems, cell by cell, is its page's
    assert rendering == ["_partials/problems.html", "workbooks/import.html"]
