"""The portal's PDF documents: one WeasyPrint pipeline for every document the ministry sends
(feedback reports, forum minutes).

What they share lives here and in `core/templates/core/pdf/`: the sender, the page furniture
(`_page.css`: A4, "Page 2 of 7", the document's title at the top of each page, the DRAFT marking
on every page of a draft), the cover (`_cover.html`: sender, draft mark, title) and the rendering
to a tagged PDF (PDF/UA-1), or, inside `pdf_archival()`, to a tagged PDF/A-2b for an archive
package (the same templates, the same renderer: only the variant differs). The renderer fetches
nothing but our own static files and inline `data:` URLs, so a document's text can never make
the server read a file or call an address.
"""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import pgettext

# The ministry that sends every document, and the unit that does it unless a document says otherwise.
SENDER = "Näringsdepartementet"
SENDER_UNIT = "Enheten för regional tillväxt"

# The variant of the documents rendered for long-term keeping (arkivlagen): PDF/A-2, level B,
# still tagged. Set for the duration of `pdf_archival()`.
ARCHIVAL_VARIANT = "pdf/a-2b"
_archival: ContextVar[bool] = ContextVar("pdf_archival", default=False)


@contextmanager
def pdf_archival() -> Iterator[None]:
    """Render every PDF made inside the block as PDF/A-2b (an archive package asks each app for
    its documents without knowing how they are made)."""
    token = _archival.set(True)
    try:
        yield
    finally:
        _archival.reset(token)


def pdf_archival_requested() -> bool:
    """Whether the PDF being made is for an archive (a renderer that keeps a stored file may
    return it; the package migrates it to PDF/A)."""
    return _archival.get()


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
    """`html` as a tagged PDF (PDF/UA-1: structure tree, language, title, bookmarks); inside
    `pdf_archival()` as a tagged PDF/A-2b."""
    import weasyprint  # slow import: only where a PDF is made

    base = (Path(settings.STATICFILES_DIRS[0]) if settings.STATICFILES_DIRS else Path(settings.BASE_DIR)).resolve()
    document = weasyprint.HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=_url_fetcher())
    variant = ARCHIVAL_VARIANT if pdf_archival_requested() else "pdf/ua-1"
    return document.write_pdf(pdf_variant=variant, pdf_tags=True, uncompressed_pdf=uncompressed)


def pdfa_identification(pdf: bytes) -> str | None:
    """The PDF/A level a PDF declares in its XMP metadata ("2B"), None for a PDF that declares
    none (or is no PDF)."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            metadata = document.open_metadata()
            part, conformance = metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")
    except (pikepdf.PdfError, ValueError):
        return None
    return f"{part}{conformance or ''}".upper() if part else None


def pdfa_from_portal_pdf(pdf: bytes) -> bytes | None:
    """A PDF this pipeline made as PDF/UA-1 (a stored, published document), migrated to PDF/A-2b
    without touching its pages: the sRGB output intent WeasyPrint's PDF/A variant adds, printable
    annotations and the PDF/A identification beside the PDF/UA one. WeasyPrint already embeds
    every font and gives the file identifier, so nothing else differs from a PDF/A rendering.
    None for a PDF made elsewhere: its conformance cannot be vouched for here."""
    import pikepdf
    import weasyprint

    try:
        document = pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PdfError:
        return None
    with document:
        producer = str(document.docinfo.get("/Producer", ""))
        if not producer.startswith("WeasyPrint") or document.is_encrypted:
            return None
        icc = (Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc").read_bytes()
        profile = pikepdf.Stream(document, icc)
        profile.N = 3
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier="sRGB IEC61966-2.1",
            Info="sRGB IEC61966-2.1",
            DestOutputProfile=profile,
        )
        document.Root.OutputIntents = pikepdf.Array([document.make_indirect(intent)])
        for page in document.pages:
            for annotation in page.get("/Annots", []):
                annotation.F = 4  # printable (PDF/A: no hidden or invisible annotations)
        with document.open_metadata(set_pikepdf_as_editor=False) as metadata:
            metadata["pdfaid:part"] = "2"
            metadata["pdfaid:conformance"] = "B"
        out = io.BytesIO()
        document.save(out, fix_metadata_version=False)
    return out.getvalue()
