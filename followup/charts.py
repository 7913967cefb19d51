"""Charts as SVG markup drawn on the server, for the browser and the PDF reports alike.

Each function returns a `<figure>`: an SVG with `role="img"`, a `<title>` and `<desc>` it is labelled
by, colours with at least 3:1 contrast against white, a pattern per series (so no meaning rests on
colour alone), direct value labels, and the figures as a table in a `<details>` one click away
(`table_open=True` shows it unfolded, for print). No request is needed and no JavaScript runs.
"""

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .formatting import format_kronor, format_missing, format_mnkr

# Colour (contrast against white: 11.6, 4.8, 5.1, 9.4, 8.4) and pattern of each series, in order.
STYLES = [
    ("#1f3a5f", "solid"),
    ("#b35900", "stripes"),
    ("#2e7d32", "dots"),
    ("#6a1b9a", "crosshatch"),
    ("#4d4d4d", "bars"),
]
LINE_DASHES = ["", "8 4", "2 3", "10 3 2 3", "4 4"]
MARKERS = ["circle", "square", "triangle", "diamond", "circle"]
WIDTH = 760
FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="#1a1a1a"'
# A generous estimate of the width of one character at 12 px (wide letters and digits included).
CHAR_WIDTH = 7.5
ELLIPSIS = "…"


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence  # numbers or None, one per category


def _fit(text, room: float) -> str:
    """The escaped text, cut with an ellipsis to fit in `room` pixels; a cut text carries the full
    text as a <title> (shown on hover and read by screen readers), so nothing is lost at the edge."""
    text = str(text)
    chars = max(1, int(room // CHAR_WIDTH))
    if len(text) <= chars:
        return escape(text)
    return f"{escape(text[: chars - 1].rstrip() + ELLIPSIS)}<title>{escape(text)}</title>"


def _reasons(missing, count: int) -> list[str]:
    """One reason per category for a missing value: the same for all, or given one by one."""
    if missing is None:
        return [_("no use reported")] * count
    if isinstance(missing, str):
        return [missing] * count
    return [reason or _("no use reported") for reason in missing]


def _id(chart_id: str) -> str:
    return slugify(chart_id) or "chart"


def _patterns(cid: str, count: int) -> str:
    parts = []
    for index in range(count):
        colour, kind = STYLES[index % len(STYLES)]
        pid = f"{cid}-p{index}"
        marks = {
            "solid": "",
            "stripes": '<path d="M0 0V6" stroke="#fff" stroke-width="2"/>',
            "dots": '<circle cx="3" cy="3" r="1.4" fill="#fff"/>',
            "crosshatch": '<path d="M0 0V6M0 0H6" stroke="#fff" stroke-width="1.5"/>',
            "bars": '<path d="M0 3H6" stroke="#fff" stroke-width="2"/>',
        }[kind]
        rotate = ' patternTransform="rotate(45)"' if kind in ("stripes", "crosshatch") else ""
        parts.append(
            f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="6" height="6"{rotate}>'
            f'<rect width="6" height="6" fill="{colour}"/>{marks}</pattern>'
        )
    return f"<defs>{''.join(parts)}</defs>"


def _label_width(categories: Sequence[str]) -> int:
    """Room left of the bars for the longest category name (about 7 px a character at 12 px)."""
    return min(320, max(120, 16 + 7 * max((len(str(c)) for c in categories), default=0)))


def _value_room(labels) -> int:
    """Room right of the bars for the longest value written beside them (never cut: the margin widens)."""
    return max(100, math.ceil(12 + CHAR_WIDTH * max((len(str(label)) for label in labels), default=0)))


def _nice_max(value: float) -> tuple[float, float]:
    """A round upper bound for the axis and its step (four to five steps)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(value / step), step


def _figure(cid: str, title: str, description: str, svg_body: str, height: int, table: str, table_open: bool) -> str:
    summary = escape(_("Show the figures as a table"))
    return (
        f'<figure class="followup-chart" id="{cid}">'
        f'<figcaption class="h5" aria-hidden="true">{escape(title)}</figcaption>'
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{cid}-title">{escape(title)}</title><desc id="{cid}-desc">{escape(description)}</desc>'
        f"{svg_body}</svg>"
        f"<details{' open' if table_open else ''}><summary>{summary}</summary>{table}</details>"
        f"</figure>"
    )


def _table(title: str, first_heading: str, headings: list[str], rows: list[tuple[str, list[str]]]) -> str:
    head = "".join(f'<th scope="col" class="text-end">{escape(h)}</th>' for h in headings)
    body = "".join(
        f'<tr><th scope="row">{escape(label)}</th>'
        + "".join(f'<td class="text-end">{escape(cell)}</td>' for cell in cells)
        + "</tr>"
        for label, cells in rows
    )
    return (
        f'<div class="table-responsive"><table class="table table-sm"><caption>{escape(title)}</caption>'
        f'<thead><tr><th scope="col">{escape(first_heading)}</th>{head}</tr></thead><tbody>{body}</tbody>'
        f"</table></div>"
    )


def _legend(cid: str, labels: list[str], y: int, swatch: Callable[[int, int, int], str]) -> tuple[str, int]:
    """Legend items in rows of three; returns the markup and the height used."""
    parts = []
    for index, label in enumerate(labels):
        x = 10 + (index % 3) * 250
        row_y = y + (index // 3) * 22
        text = _fit(label, 250 - 24 - 8)
        parts.append(swatch(index, x, row_y) + f'<text x="{x + 24}" y="{row_y + 11}" {FONT}>{text}</text>')
    rows = math.ceil(len(labels) / 3)
    return "".join(parts), rows * 22


def _tick(fmt: Callable, value: float) -> str:
    """An axis label without trailing zero decimals: "50 mnkr", "75 %", "2"."""
    return re.sub(r",0+(?=\D|$)", "", fmt(value))


def _x_axis(left: int, width: int, top: int, bottom: int, maximum: float, step: float, fmt) -> str:
    parts = []
    ticks = round(maximum / step)
    for i in range(ticks + 1):
        value = i * step
        x = left + width * value / maximum
        parts.append(f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#c8c8c8" stroke-width="1"/>')
        label = escape(_tick(fmt, value))
        parts.append(f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" {FONT}>{label}</text>')
    return "".join(parts)


def stacked_bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    category_heading: str = "",
    axis_format: Callable = format_mnkr,
    table_format: Callable = format_kronor,
    table_open: bool = False,
) -> SafeString:
    """Horizontal stacked bars: one bar per category (county), one segment per series (instrument)."""
    cid = _id(chart_id)
    totals = [sum((s.values[i] or 0) for s in series) for i in range(len(categories))]
    maximum, step = _nice_max(float(max(totals, default=0)))
    legend, legend_height = _legend(
        cid,
        [s.label for s in series],
        10,
        lambda i, x, y: f'<rect x="{x}" y="{y}" width="16" height="16" fill="url(#{cid}-p{i})" stroke="#1a1a1a"/>',
    )
    left, right, row, top = _label_width(categories), _value_room(map(axis_format, totals)), 24, 20 + legend_height
    plot = WIDTH - left - right
    bottom = top + row * len(categories)
    parts = [_patterns(cid, len(series)), legend, _x_axis(left, plot, top, bottom, maximum, step, axis_format)]
    for i, category in enumerate(categories):
        y = top + i * row + 4
        parts.append(f'<text x="{left - 8}" y="{y + 12}" text-anchor="end" {FONT}>{_fit(category, left - 12)}</text>')
        x = float(left)
        for index, s in enumerate(series):
            value = float(s.values[i] or 0)
            if value <= 0:
                continue
            width = plot * value / maximum
            tooltip = f"{category} – {s.label}: {table_format(s.values[i])}"
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="16" fill="url(#{cid}-p{index})" '
                f'stroke="#fff" stroke-width="1"><title>{escape(tooltip)}</title></rect>'
            )
            x += width
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 12}" {FONT}>{escape(axis_format(totals[i]))}</text>')
    table = _table(
        title,
        category_heading,
        [s.label for s in series] + [_("Total")],
        [
            (category, [table_format(s.values[i]) for s in series] + [table_format(totals[i])])
            for i, category in enumerate(categories)
        ],
    )
    return mark_safe(_figure(cid, title, description, "".join(parts), bottom + 30, table, table_open))  # noqa: S308


def bars(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    values: Sequence,
    value_heading: str,
    value_format: Callable,
    category_heading: str = "",
    reference: float | None = None,
    reference_label: str = "",
    axis_format: Callable | None = None,
    missing: str | Sequence[str] | None = None,
    table_open: bool = False,
) -> SafeString:
    """Horizontal bars, one per category, each with its value written beside it.

    `reference` draws a dashed line (for instance leverage 1.0: no co-financing at all). A value of
    None is missing, never drawn as zero: "–" and the reason (`missing`, one for all or one per
    category; "no use reported" by default) stand in the bar's place and in the table.
    """
    cid = _id(chart_id)
    reasons = _reasons(missing, len(categories))
    numbers = [float(v) for v in values if v is not None]
    maximum, step = _nice_max(max([*numbers, reference or 0], default=0))
    right = _value_room(value_format(v) for v in values if v is not None)
    left, row, top = _label_width(categories), 24, 16
    plot = WIDTH - left - right
    bottom = top + row * len(categories)
    parts = [_patterns(cid, 1), _x_axis(left, plot, top, bottom, maximum, step, axis_format or value_format)]
    for i, (category, value) in enumerate(zip(categories, values, strict=True)):
        y = top + i * row + 4
        parts.append(f'<text x="{left - 8}" y="{y + 12}" text-anchor="end" {FONT}>{_fit(category, left - 12)}</text>')
        if value is None:
            text = _fit(format_missing(reasons[i]), WIDTH - left - 10)
            parts.append(f'<text x="{left + 6}" y="{y + 12}" {FONT}>{text}</text>')
            continue
        width = plot * float(value) / maximum
        parts.append(
            f'<rect x="{left}" y="{y}" width="{width:.1f}" height="16" fill="url(#{cid}-p0)">'
            f"<title>{escape(category)}: {escape(value_format(value))}</title></rect>"
            f'<text x="{left + width + 6:.1f}" y="{y + 12}" {FONT}>{escape(value_format(value))}</text>'
        )
    if reference is not None:
        x = left + plot * reference / maximum
        # The label goes right of the line, or left of it when it would run past the chart's edge.
        if x + 4 + CHAR_WIDTH * len(reference_label) <= WIDTH - 4:
            label = f'<text x="{x + 4:.1f}" y="{top - 4}" {FONT}>{_fit(reference_label, WIDTH - x - 8)}</text>'
        else:
            text = _fit(reference_label, x - 8)
            label = f'<text x="{x - 4:.1f}" y="{top - 4}" text-anchor="end" {FONT}>{text}</text>'
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="#b00020" stroke-width="2" '
            f'stroke-dasharray="6 3"/>{label}'
        )
    table = _table(
        title,
        category_heading,
        [value_heading],
        [
            (c, [format_missing(reason) if v is None else value_format(v)])
            for c, v, reason in zip(categories, values, reasons, strict=True)
        ],
    )
    return mark_safe(_figure(cid, title, description, "".join(parts), bottom + 30, table, table_open))  # noqa: S308


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}H{x - 5:.1f}Z" fill="{colour}"/>'
    if kind == "diamond":
        points = f"M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}L{x - 5:.1f} {y:.1f}Z"
        return f'<path d="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def lines(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    value_format: Callable,
    table_format: Callable | None = None,
    x_heading: str = "",
    table_open: bool = False,
) -> SafeString:
    """Lines over the years: each series its own colour, dash and marker, named at its last point."""
    cid = _id(chart_id)
    table_format = table_format or value_format
    numbers = [float(v) for s in series for v in s.values if v is not None]
    maximum, step = _nice_max(max(numbers, default=0))
    left, right, top, height = 90, 190, 16, 240
    plot = WIDTH - left - right
    bottom = top + height
    count = len(x_labels)

    def x_at(i: int) -> float:
        return left + (plot * i / (count - 1) if count > 1 else plot / 2)

    def y_at(value) -> float:
        return bottom - height * float(value) / maximum

    parts = []
    for i in range(round(maximum / step) + 1):
        value = i * step
        y = y_at(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot}" y2="{y:.1f}" stroke="#c8c8c8" stroke-width="1"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" {FONT}>{escape(_tick(value_format, value))}</text>'
        )
    for i, label in enumerate(x_labels):
        parts.append(f'<text x="{x_at(i):.1f}" y="{bottom + 18}" text-anchor="middle" {FONT}>{escape(label)}</text>')
    end_labels = []
    for index, s in enumerate(series):
        colour = STYLES[index % len(STYLES)][0]
        dash = LINE_DASHES[index % len(LINE_DASHES)]
        points = [(x_at(i), y_at(v), v) for i, v in enumerate(s.values) if v is not None]
        if not points:
            continue
        path = "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y, _v in points)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        for x, y, v in points:
            parts.append(
                f"<g>{_marker(MARKERS[index % len(MARKERS)], x, y, colour)}"
                f"<title>{escape(s.label)}: {escape(table_format(v))}</title></g>"
            )
        x, y, v = points[-1]
        end_labels.append([y + 4, x + 10, f"{s.label}: {value_format(v)}"])
    # Each line is named at its last point; labels that would overlap are pushed apart.
    end_labels.sort()
    for previous, label in itertools.pairwise(end_labels):
        label[0] = max(label[0], previous[0] + 15)
    for y, x, text in end_labels:
        parts.append(f'<text x="{x:.1f}" y="{y:.1f}" {FONT}>{_fit(text, WIDTH - x - 4)}</text>')
    table = _table(
        title,
        x_heading,
        [s.label for s in series],
        [(label, [table_format(s.values[i]) for s in series]) for i, label in enumerate(x_labels)],
    )
    return mark_safe(_figure(cid, title, description, "".join(parts), bottom + 30, table, table_open))  # noqa: S308
