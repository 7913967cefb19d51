"""The portal's PDF documents: one WeasyPrint pipeline for every document the ministry sends
(feedback reports, forum minutes).

What they share lives here and in `core/templates/core/pdf/`: the sender, the page furniture
(`_page.css`: A4, "Page 2 of 7", the document's title at the top of each page, the DRAFT marking
on every page of a draft), the cover (`_cover.html`: sender, draft mark, title) and the rendering
to a tagged PDF (PDF/UA-1). The renderer fetches nothing but our own static files and inline
`data:` URLs, so a document's text can never make the server read a file or call an address.
"""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import pgettext

# The ministry that sends every document, and the unit that does it unless a document says otherwise.
SENDER = "Näringsdepartementet"
SENDER_UNIT = "Enheten för regional tillväxt"


def page_words() -> dict[str, str]:
    """The words of the page furniture (`_page.css`), in the active language."""
    return {
        "page_word": pgettext("page footer", "Page"),
        "of_word": pgettext("page footer", "of"),
        "draft_word": pgettext("report marking", "DRAFT"),
    }


def _static_roots() -> list[Path]:
    roots = [Path(root).resolve() for root in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT).resolve())
    return roots


def static_file_allowed(url: str) -> bool:
    """Whether the renderer may read `url`: an inline `data:` URL, or a file inside our static
    folders (no other file, no network)."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(unquote(parts.path)).resolve()
    return any(path.is_relative_to(root) for root in _static_roots())


def _url_fetcher():
    import weasyprint  # slow import: only where a PDF is made

    class StaticOnlyFetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            if not static_file_allowed(url):
                raise ValueError(f"Not fetched (only the portal's static files are): {url[:200]}")
            return super().fetch(url, headers)

    return StaticOnlyFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def render_pdf(html: str, *, uncompressed: bool = False) -> bytes:
    """`html` as a tagged PDF (PDF/UA-1: structure tree, language, title, bookmarks)."""
    import weasyprint  # slow import: only where a PDF is made

    base = (Path(settings.STATICFILES_DIRS[0]) if settings.STATICFILES_DIRS else Path(settings.BASE_DIR)).resolve()
    document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=_url_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", uncompressed_pdf=uncompressed)
