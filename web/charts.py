"""Timeline -> plotly figure (as JSON for plotly.js): a point per day-event, a bar per range, colour by agreement."""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from datetime import timedelta

from timeline.types import Event, Timeline

# Colour says how far the sources agree: red for a date conflict, dark blue when several articles agree.
from timeline.display import display_date, name_document

# Colour says how far the sources agree: red for a date conflict, dark blue when several articles agree.
CLASSES = (("several sources", "#1f4e9c"), ("one source", "#7fa7d9"), ("conflicting dates", "#c0392b"))
TOLD = ("another date told", "#c0392b")  # the dates a conflict's other articles gave, drawn as open marks
LABEL_CHARS = 40  # a label line; labels wrap at words onto LABEL_LINES lines, then end in '…' at a word
LABEL_LINES = 2
HOVER_CHARS = 56
ROW_PIXELS = 38
SLIDER_PIXELS = 50
LEGEND_TOP = 90  # the top margin: the legend's line above the date ticks' line
# The first view covers the shortest span holding this share of the events' starts (so one 1987 event or a
# nine-month range does not squash the story into a pixel), grown to take in starts near it and padded.
CORE_SHARE = 0.8
NEAR_DAYS = 14
MIN_VIEW_DAYS = 7
# Above this many events SVG drawing gets slow: points go to WebGL, and rows lose their text labels.
LARGE = 800


def class_of(event: Event) -> str:
    if event.conflict:
        return "conflicting dates"
    return "several sources" if len(event.documents) > 1 else "one source"


def escape_label(text: str) -> str:
    """Text for a plotly label or hover, which plotly.js draws as its own small HTML (<a href>, <b>, <br>, entities).

    Only &, < and > are escaped: plotly decodes &amp; &lt; &gt; once, but shows &quot; and &#x27; as
    written, so html.escape would show the reader entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap_words(text: str, width: int, lines: int) -> list[str]:
    """`text` in lines of at most `width` characters, broken between words; past `lines` lines the last one
    ends in '…' after a whole word (a word longer than a line is the only thing ever cut)."""
    out: list[str] = []
    current = ""
    words = text.split()
    for index, word in enumerate(words):
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width:
            current = candidate
            continue
        if current:
            out.append(current)
        current = word if len(word) <= width else word[:width - 1] + "…"
        if len(out) == lines:
            break
    else:
        if current:
            out.append(current)
        return out
    last = out[lines - 1]
    out = out[:lines]
    out[-1] = (last if len(last) < width else last.rsplit(" ", 1)[0]) + "…"
    return out


def wrapped_label(text: str, width: int, lines: int) -> str:
    """Wrapped text escaped for plotly, its lines joined by <br> (the one tag added, after escaping)."""
    return "<br>".join(escape_label(line) for line in wrap_words(text, width, lines))


def label_of(order: int, event: Event) -> str:
    return wrapped_label(f"{order}. {event.summary or event.value}", LABEL_CHARS, LABEL_LINES)


def sources_text(documents: list[str], titles: dict[str, str]) -> str:
    names = [titles.get(d) or d for d in documents]
    shown = " · ".join(names[:2])  # titles hold commas and semicolons; a dot between them does not
    return shown + (f" and {len(names) - 2} more" if len(names) > 2 else "")


def implicit_reason(event: Event) -> str:
    """Why an event told with no date phrase has its date, in words: the story day's source or the publication."""
    rule = next((m.timex.rule for m in event.mentions if m.implicit), "")
    if rule.startswith("story day (") and "publication date" not in rule.split(":")[0]:
        named = rule[len("story day ("):].split(")")[0]  # "'on Sunday' in the lead"
        return f"the day the article's lead names ({named})"
    return "the publication date"


def hover_data(event: Event, titles: dict[str, str], shown_date: str | None = None,
               documents: list[str] | None = None, phrases: list[str] | None = None, note: str = "") -> list[str]:
    """customdata of one mark: [0, 1, 3, 4, 7] are shown (escaped, wrapped), [5] and [6] are raw: the
    documents (';'-separated) and the event id, which the page's script finds its event by. [2] is left empty: the sentence, once shown
    here, is in the table (a 5,000-event page is lighter without it)."""
    documents = event.documents if documents is None else documents
    phrases = event.phrases if phrases is None else phrases
    shown_date = shown_date or display_date(event.value, event.interval, event.granularity)
    quoted = ", ".join(f"“{p}”" for p in phrases) or implicit_reason(event)
    return [wrapped_label(event.summary, HOVER_CHARS, 3), wrapped_label(quoted, HOVER_CHARS, 2),
            "", wrapped_label(f"{len(documents)} source{'s' if len(documents) != 1 else ''}: "
                                                        f"{sources_text(documents, titles)}", HOVER_CHARS, 2),
            escape_label(shown_date), ";".join(documents), event.id,
            wrapped_label(note or (f"Conflict: {event.conflict}" if event.conflict else ""), HOVER_CHARS, 3)]


HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[4]} · %{customdata[1]}<br>%{customdata[3]}"
         "<br>%{customdata[7]}<extra></extra>")


def told_dates(event: Event) -> list[tuple[object, list[str], list[str]]]:
    """The dates a conflict's articles gave other than the one kept: (interval, documents, phrases) each."""
    told: dict = {}
    for m in event.mentions:
        interval = m.timex.interval
        if m.implicit or interval is None or interval == event.interval:
            continue
        documents, phrases = told.setdefault((interval, m.timex.value, m.timex.granularity), ([], []))
        if m.document not in documents:
            documents.append(m.document)
        if m.timex.text not in phrases:
            phrases.append(m.timex.text)
    return [(key, docs, phrases) for key, (docs, phrases) in sorted(told.items(), key=lambda kv: kv[0][0].first)]


def initial_range(events: tuple[Event, ...]) -> list[str] | None:
    """The x range the chart opens on: where most events start, not the whole span (zoom and the slider reach
    the rest); None when there are no events."""
    starts = sorted(e.interval.first for e in events)
    if not starts:
        return None
    n = len(starts)
    k = max(1, math.ceil(CORE_SHARE * n))
    lo, hi = min(((starts[i], starts[i + k - 1]) for i in range(n - k + 1)), key=lambda p: (p[1] - p[0], p[0]))
    low_index, high_index = bisect_left(starts, lo), bisect_right(starts, hi) - 1
    while True:  # take in the nearer of the next starts outside while the view stays within NEAR_DAYS
        before = starts[low_index - 1] if low_index > 0 else None
        after = starts[high_index + 1] if high_index + 1 < n else None
        options = []
        if before is not None:
            options.append((lo - before, "before"))
        if after is not None:
            options.append((after - hi, "after"))
        if not options:
            break
        gap, side = min(options)
        if (hi - lo + gap).days > NEAR_DAYS:
            break
        if side == "before":
            low_index, lo = low_index - 1, before
        else:
            high_index, hi = high_index + 1, after
    pad = max(timedelta(days=1), (hi - lo) / 10)
    lo, hi = lo - pad, hi + pad + timedelta(days=1)
    if (hi - lo).days < MIN_VIEW_DAYS:
        grow = timedelta(days=(MIN_VIEW_DAYS - (hi - lo).days) / 2)
        lo, hi = lo - grow, hi + grow
    return [lo.isoformat(), hi.isoformat()]


def slider_thickness(height: int) -> float:
    """The range slider's share of the chart's height: about 50 pixels, whatever the number of rows."""
    return round(min(0.15, SLIDER_PIXELS / height), 4)


def build_figure(timeline: Timeline) -> dict:
    """The plotly figure as the plain dict plotly.js reads. Built as data rather than through
    plotly.graph_objects, whose per-property validation took half a second for 5,000 events; the tests
    validate the same dict with plotly.graph_objects instead."""
    titles = {d.id: name_document(d.title, d.text) for d in timeline.documents}
    large = len(timeline.events) > LARGE
    # A large chart's rows show no text (the table has it): its rows are named by their numbers only, which
    # keeps 5,000 wrapped labels (twice: the marks and the axis) out of the page.
    labels = [str(i) if large else label_of(i, e) for i, e in enumerate(timeline.events, start=1)]
    traces = []
    for name, colour in CLASSES:
        points = [(label, e) for label, e in zip(labels, timeline.events)
                  if class_of(e) == name and e.interval.first == e.interval.last]
        ranges = [(label, e) for label, e in zip(labels, timeline.events)
                  if class_of(e) == name and e.interval.first != e.interval.last]
        if ranges:
            traces.append({
                "type": "bar", "name": f"{name} (range)", "orientation": "h", "marker": {"color": colour},
                "opacity": 0.55, "y": [label for label, _ in ranges],
                "base": [e.interval.first.isoformat() for _, e in ranges],
                "x": [(e.interval.last + timedelta(days=1) - e.interval.first).days * 86_400_000 for _, e in ranges],
                "customdata": [hover_data(e, titles) for _, e in ranges], "hovertemplate": HOVER})
        if points:
            traces.append({
                "type": "scattergl" if large else "scatter", "name": name, "mode": "markers",
                "marker": {"color": colour, "size": 11, "line": {"width": 1, "color": "#222"}},
                "y": [label for label, _ in points], "x": [e.interval.first.isoformat() for _, e in points],
                "customdata": [hover_data(e, titles) for _, e in points], "hovertemplate": HOVER})
    told = [(label, e, key, docs, phrases) for label, e in zip(labels, timeline.events) if e.conflict
            for key, docs, phrases in told_dates(e)]
    if told:
        kept = {e.id: display_date(e.value, e.interval, e.granularity) for _, e, *_ in told}
        traces.append({
            "type": "scattergl" if large else "scatter", "name": TOLD[0], "mode": "markers",
            "marker": {"color": TOLD[1], "size": 11, "symbol": "circle-open", "line": {"width": 2}},
            "y": [label for label, *_ in told], "x": [key[0].first.isoformat() for _, _, key, _, _ in told],
            "customdata": [hover_data(e, titles, display_date(key[1], key[0], key[2]), docs, phrases,
                                      f"The timeline keeps {kept[e.id]}, told by the other articles")
                           for _, e, key, docs, phrases in told],
            "hovertemplate": HOVER, "meta": "told"})
    height = max(360, 120 + ROW_PIXELS * len(labels)) if not large else 900
    layout = {
        "barmode": "overlay", "hovermode": "closest", "height": height,
        # The legend sits at the top of the whole chart (in pixels, not a share of the plot's height), above the
        # date ticks along the plot's top: a short chart (few lanes) no longer draws it over them.
        "margin": {"l": 20, "r": 20, "t": LEGEND_TOP, "b": 20},
        "legend": {"orientation": "h", "yref": "container", "y": 1, "yanchor": "top", "x": 0, "xanchor": "left"},
        "hoverlabel": {"align": "left", "font": {"size": 12}},
        # Dates along the top: a tall chart's bottom is off screen when it opens (the slider stays below).
        "xaxis": {"type": "date", "rangeslider": {"visible": not large, "thickness": slider_thickness(height)}, "title": {"text": None}, "side": "top"},
        "yaxis": {"type": "category", "categoryorder": "array", "categoryarray": labels, "autorange": "reversed",
                  "automargin": True,
                  "showticklabels": not large},
        "plot_bgcolor": "#fafafa"}
    view = initial_range(timeline.events)
    if view:
        layout["xaxis"]["range"] = view
    return {"data": traces, "layout": layout}
