"""HTML input: a web page's article text, title and publication date, extracted with trafilatura."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

logger = logging.getLogger(__name__)

# Text that starts like a web page or an HTML fragment (after spaces and a byte-order mark).
HTML_START = re.compile(
    r"\A[\s\ufeff]*<(?:!doctype\s+html|!--|\?xml|html|head|body|meta|title|article|main|section|div|p|h[1-6]|"
    r"span|table|ul|ol|br|header|nav|figure|blockquote)\b",
    re.IGNORECASE,
)
DOCUMENT_TAG = re.compile(r"<(?:html|body)\b", re.IGNORECASE)
# Only dates the page states in its markup (meta tags, <time>, JSON-LD): an extensive search would
# take the first date of the article's text, which is often the date of the events it reports.
DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


@dataclass(frozen=True)
class Page:
    """What was extracted from one page."""

    text: str
    published: str | None = None  # YYYY-MM-DD
    title: str | None = None


def looks_like_html(text: str) -> bool:
    """True when the text starts like a web page or an HTML fragment."""
    return bool(HTML_START.match(text[:4096]))


def extract_page(html: str, origin: str = "") -> Page | None:
    """The main text of the page (paragraphs on their own lines), its date and title; None when it has no text."""
    import trafilatura

    source = html if DOCUMENT_TAG.search(html[:65536]) else f"<html><body>{html}</body></html>"
    try:
        result = trafilatura.bare_extraction(
            source, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=DATE_PARAMS,
        )
    except Exception as exc:  # noqa: BLE001 - a page the extractor chokes on is one bad input, not a crash
        logger.warning("%s: HTML extraction failed: %s", origin, exc)
        return None
    text = getattr(result, "text", None) if result is not None else None
    if not text or not text.strip():
        return None
    return Page(text=text, published=getattr(result, "date", None) or None, title=getattr(result, "title", None) or None)
