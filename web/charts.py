"""Timeline -> plotly figure (as JSON for plotly.js): a point per day-event, a bar per range, colour by agreement."""
from __future__ import annotations

import html
from datetime import timedelta

import plotly.graph_objects as go

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


def label_of(order: int, event: Event) -> str:
    summary = event.summary or event.value
    return f"{order}. {summary[:LABEL_CHARS]}{'…' if len(summary) > LABEL_CHARS else ''}"


def hover_data(event: Event, titles: dict[str, str]) -> list[str]:
    sources = ", ".join(titles.get(d) or d for d in event.documents)
    phrases = ", ".join(event.phrases) or "publication date"
    return [html.escape(event.summary), html.escape(phrases), html.escape(event.sentence), html.escape(sources),
            event.value, ";".join(event.documents), event.id, html.escape(event.conflict)]


HOVER = ("<b>%{customdata[0]}</b><br>%{customdata[4]} (%{customdata[1]})<br><i>%{customdata[2]}</i>"
         "<br>Sources: %{customdata[3]}<br>%{customdata[7]}<extra></extra>")


def build_figure(timeline: Timeline) -> go.Figure:
    """Points for days, bars for ranges; above LARGE events everything is drawn with WebGL."""
    titles = {d.id: d.title for d in timeline.documents}
    large = len(timeline.events) > LARGE
    # Rows are labelled by summary when they can be read; a large chart numbers them (its table holds the text).
    rows = list(range(1, len(timeline.events) + 1)) if large else \
        [label_of(i, e) for i, e in enumerate(timeline.events, start=1)]
    figure = go.Figure()
    for name, colour in CLASSES:
        chosen = [(row, e) for row, e in zip(rows, timeline.events) if class_of(e) == name]
        ranges = [(row, e) for row, e in chosen if e.interval.first != e.interval.last]
        points = [(row, e) for row, e in chosen if e.interval.first == e.interval.last]
        if ranges:
            figure.add_trace(range_segments(name, colour, ranges, titles) if large else range_bars(name, colour, ranges, titles))
        if points:
            scatter = go.Scattergl if large else go.Scatter
            figure.add_trace(scatter(
                name=name, mode="markers", marker={"color": colour, "size": 9 if large else 11,
                                                   "line": {"width": 1, "color": "#222"}},
                y=[row for row, _ in points], x=[e.interval.first.isoformat() for _, e in points],
                customdata=[hover_data(e, titles) for _, e in points], hovertemplate=HOVER))
    figure.update_layout(
        barmode="overlay", hovermode="closest",
        height=max(360, 120 + ROW_PIXELS * len(rows)) if not large else 900,
        margin={"l": 20, "r": 20, "t": 30, "b": 20}, legend={"orientation": "h", "y": 1.02, "yanchor": "bottom"},
        xaxis={"type": "date", "rangeslider": {"visible": not large}, "title": None},
        yaxis={"autorange": "reversed", "automargin": True, "showticklabels": not large,
               **({"title": "event #"} if large else {"categoryorder": "array", "categoryarray": rows})},
        plot_bgcolor="#fafafa")
    return figure


def range_bars(name: str, colour: str, ranges: list, titles: dict[str, str]) -> go.Bar:
    return go.Bar(
        name=f"{name} (range)", orientation="h", marker_color=colour, opacity=0.55,
        y=[row for row, _ in ranges], base=[e.interval.first.isoformat() for _, e in ranges],
        x=[(e.interval.last + timedelta(days=1) - e.interval.first).days * 86_400_000 for _, e in ranges],
        customdata=[hover_data(e, titles) for _, e in ranges], hovertemplate=HOVER)


def range_segments(name: str, colour: str, ranges: list, titles: dict[str, str]) -> go.Scattergl:
    """Ranges as thick WebGL line segments (first day to the day after the last), three points each:
    start, end and a gap. SVG bars would take seconds to draw by the thousand."""
    x, y, data = [], [], []
    for row, e in ranges:
        hover = hover_data(e, titles)
        x += [e.interval.first.isoformat(), (e.interval.last + timedelta(days=1)).isoformat(), None]
        y += [row, row, None]
        data += [hover, hover, None]
    return go.Scattergl(name=f"{name} (range)", mode="lines+markers", line={"color": colour, "width": 5},
                        marker={"color": colour, "size": 4}, opacity=0.7, connectgaps=False, x=x, y=y,
                        customdata=data, hovertemplate=HOVER, meta={"segments": 3})


def figure_json(timeline: Timeline) -> str:
    return build_figure(timeline).to_json()
