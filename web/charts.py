"""Timeline -> plotly figure (as JSON for plotly.js): a point per day-event, a bar per range, colour by agreement."""
from __future__ import annotations

from datetime import timedelta

from timeline.types import Event, Timeline

# Colour says how far the sources agree: red for a date conflict, dark blue when several articles agree.
CLASSES = (("several sources", "#1f4e9c"), ("one source", "#7fa7d9"), ("conflicting dates", "#c0392b"))
LABEL_CHARS = 48
ROW_PIXELS = 26
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


def label_of(order: int, event: Event) -> str:
    summary = event.summary or event.value
    return escape_label(f"{order}. {summary[:LABEL_CHARS]}{'…' if len(summary) > LABEL_CHARS else ''}")


def hover_data(event: Event, titles: dict[str, str]) -> list[str]:
    """customdata of one event: [0-4, 7] are shown (escaped), [5] and [6] are read by the page's script (raw)."""
    sources = ", ".join(titles.get(d) or d for d in event.documents)
    phrases = ", ".join(event.phrases) or "publication date"
    return [escape_label(event.summary), escape_label(phrases), escape_label(event.sentence), escape_label(sources),
            escape_label(event.value), ";".join(event.documents), event.id, escape_label(event.conflict)]


HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[4]} (%{customdata[1]})<br><i>%{customdata[2]}</i>"
         "<br>Sources: %{customdata[3]}<br>%{customdata[7]}<extra></extra>")


def build_figure(timeline: Timeline) -> dict:
    """The plotly figure as the plain dict plotly.js reads. Built as data rather than through
    plotly.graph_objects, whose per-property validation took half a second for 5,000 events; the tests
    validate the same dict with plotly.graph_objects instead."""
    titles = {d.id: d.title for d in timeline.documents}
    labels = [label_of(i, e) for i, e in enumerate(timeline.events, start=1)]
    large = len(labels) > LARGE
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
    layout = {
        "barmode": "overlay", "hovermode": "closest",
        "height": max(360, 120 + ROW_PIXELS * len(labels)) if not large else 900,
        "margin": {"l": 20, "r": 20, "t": 30, "b": 20},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        "xaxis": {"type": "date", "rangeslider": {"visible": not large}, "title": {"text": None}},
        "yaxis": {"categoryorder": "array", "categoryarray": labels, "autorange": "reversed", "automargin": True,
                  "showticklabels": not large},
        "plot_bgcolor": "#fafafa"}
    return {"data": traces, "layout": layout}
