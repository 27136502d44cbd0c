"""Text marked up for the pages: a search snippet's matches, an initiative's glossary terms."""

from __future__ import annotations

from markupsafe import Markup, escape

from dxplan.plans.rules import link_terms
from dxplan.plans.search_text import Snippet


def highlight(snippet: Snippet) -> Markup:
    """A search snippet with its matches in <mark> (the text escaped)."""
    out, at = [], 0
    for start, end in snippet.highlights:
        out += [escape(snippet.text[at:start]), Markup("<mark>"), escape(snippet.text[start:end])]
        out.append(Markup("</mark>"))
        at = end
    out.append(escape(snippet.text[at:]))
    return Markup("").join(out)


def glossary_linked(text: str, anchors: dict[str, str]) -> Markup:
    """The text with its glossary terms linked to their entries (`anchors`: term → URL)."""
    out = []
    for segment, term in link_terms(text, anchors):
        if term is None:
            out.append(escape(segment))
        else:
            out.append(Markup('<a href="%s" class="term">%s</a>') % (anchors[term], segment))
    return Markup("").join(out)
