// The timeline page: draws the chart from the figure JSON in #figure and the events' JSON in #page-events; the
// filters (source, date range, confidence, conflicts only, text search) narrow the chart, the table and the CSV
// link, by the rules of timeline/filters.py; rows can be one per event or lanes by article or by actor; filters,
// lanes and the chart's zoom are kept in the page's URL; a click on an event selects its table row. The table's
// first rows come as HTML; the others are built here from the events' JSON as the reader scrolls to them.
// A file, not inline script, so the Content-Security-Policy can refuse every inline script.
"use strict";
(function () {
  const table = document.getElementById("events");
  const holder = document.getElementById("figure");
  const pageData = holder ? JSON.parse(document.getElementById("page-events").textContent) : null;
  // The events, in the timeline's order, as objects named by the JSON's "fields" (web/timeline_view.py).
  const events = pageData ? pageData.events.map(values => {
    const event = {};
    pageData.fields.forEach((field, i) => { event[field] = values[i]; });
    return event;
  }) : [];
  const indexOf = new Map(events.map((event, i) => [event.id, i]));
  const rowsHere = table ? Array.from(table.querySelectorAll("tr[id]")) : [];
  const body = rowsHere.length ? rowsHere[0].parentNode : (table ? table.tBodies[table.tBodies.length - 1] : null);
  const more = document.getElementById("more-rows");
  const ROWS_AT_ONCE = 200;  // rows built per step as the reader scrolls toward the table's end
  let kept = events.map(() => true);  // which events the filters keep

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    node.append(...children);  // strings become text: nothing from the data is read as HTML
    return node;
  }

  // One row of the table, as the template's event_row macro writes it (tests compare the two).
  function buildRow(event) {
    const documents = pageData.documents;
    const row = element("tr", {"id": event.id, "data-documents": event.sources.map(s => documents[s[0]][0]).join(";"),
                               "data-first": event.first, "data-last": event.last,
                               "data-confidence": event.confidence});
    if (event.conflict) row.setAttribute("data-conflict", "1");
    const machine = event.value + (event.first !== event.last ? " · " + event.first + " – " + event.last : "");
    const what = element("td", null, element("span", {"class": "what"}, event.summary));
    if (event.edited) what.append(" ", element("span", {"class": "edited"}, "edited"));
    if (event.conflict) what.append(element("br"), element("span", {"class": "conflict"}, "Dates disagree: " + event.conflict));
    const list = element("ul", {"class": "sources"});
    for (const [index, phrases, told, said] of event.sources) {
      const [id, name, url] = documents[index];
      const item = element("li", {"class": "source", "data-document": id}, element("a", {"href": "#doc-" + id}, name));
      if (url) item.append(" ", element("a", {"href": url, "rel": "nofollow noopener noreferrer", "class": "article-link"}, "(article)"));
      if (phrases.length) {
        const mark = element("mark");
        phrases.forEach((phrase, i) => mark.append((i ? ", " : "") + "“", element("span", {"class": "phrase"}, phrase), "”"));
        item.append(": ", mark);
      }
      if (told.length) item.append(" ", element("span", {"class": "conflict"}, "gives " + told.join(", ")));
      for (const [sentence, anchor] of said) {
        item.append(element("br"), element("small", {"class": "said"},
          anchor ? element("a", {"class": "to-sentence", "href": "#" + anchor}, sentence) : sentence));
      }
      list.append(item);
    }
    row.append(element("td", {"class": "order"}, element("a", {"class": "to-chart", "href": "#chart"}, String(event.order))),
               element("td", null, element("time", {"datetime": event.first}, event.date), element("br"),
                       element("small", {"class": "machine"}, machine)),
               what, element("td", null, list),
               element("td", null, event.confidence + " ", element("small", {"class": "machine"}, event.score)));
    return row;
  }

  // Builds the table's rows up to event `last` (an index), hidden where the filters leave them out.
  function buildRows(last) {
    if (!body || last < rowsHere.length) return;
    const fragment = document.createDocumentFragment();
    for (let i = rowsHere.length; i <= last && i < events.length; i++) {
      const row = buildRow(events[i]);
      row.hidden = !kept[i];
      rowsHere.push(row);
      fragment.append(row);
    }
    body.append(fragment);
    if (more && rowsHere.length >= events.length) more.hidden = true;
    else if (more) more.textContent = (events.length - rowsHere.length) + " more events below: they appear as you scroll.";
  }

  // The next ROWS_AT_ONCE rows the filters keep.
  function buildMore() {
    let last = rowsHere.length, shown = 0;
    while (last < events.length && shown < ROWS_AT_ONCE) { if (kept[last]) shown++; last++; }
    buildRows(last - 1);
  }

  function rowOf(eventId) {
    const index = indexOf.get(eventId);
    if (index !== undefined) buildRows(index);
    return document.getElementById(eventId);
  }

  // The chosen event: its row is marked (and scrolled to, from the chart) and the edit form is filled for it.
  function selectRow(eventId, scroll) {
    const row = rowOf(eventId);
    if (!row || !row.dataset.documents) return;
    for (const other of document.querySelectorAll("#events tr.selected")) other.classList.remove("selected");
    row.classList.add("selected");
    if (scroll) row.scrollIntoView({block: "center"});
    history.replaceState(null, "", location.pathname + location.search + "#" + encodeURIComponent(eventId));
    const form = document.getElementById("edit-event");
    if (!form) return;
    form.hidden = false;
    document.getElementById("edit-id").value = row.id;
    document.getElementById("edit-order").textContent = row.cells[0].textContent.trim();
    document.getElementById("edit-summary").value = row.cells[2].childNodes[0].textContent.trim();
    document.getElementById("edit-start").value = row.dataset.first;
    document.getElementById("edit-end").value = row.dataset.last;
    fillSplit(row);
    keepAbovePanel(row, form);
  }

  // The edited row scrolled into the space above the sticky edit panel (which covers the screen's bottom).
  function keepAbovePanel(row, form) {
    const box = row.getBoundingClientRect(), free = innerHeight - form.getBoundingClientRect().height;
    if (box.top >= 0 && box.bottom <= free) return;
    window.scrollBy(0, box.top - Math.max(4, (free - box.height) / 2));
  }

  // One checkbox per article telling the chosen event: the ones ticked are split off into a new event.
  function fillSplit(row) {
    const holder = document.getElementById("split-documents");
    if (!holder) return;
    holder.replaceChildren();
    const sources = row.querySelectorAll("li.source");
    for (const source of sources) {
      const label = document.createElement("label");
      label.className = "choice";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "documents";
      box.value = source.dataset.document;
      label.append(box, " " + source.querySelector("a").textContent);
      holder.append(label);
    }
    document.getElementById("split").hidden = sources.length < 2;  // one article's event splits by API only
  }
  if (table) table.addEventListener("click", e => {
    if (e.target.closest("a, button, input, textarea")) return;
    const row = e.target.closest("tr[id]");
    if (row) selectRow(row.id, false);
  });
  // A link to an event's row not built yet (an article's dated phrase, a link shared) builds it first.
  document.addEventListener("click", e => {
    const link = e.target.closest("a[href^='#']");
    if (link) rowOf(decodeURIComponent(link.getAttribute("href").slice(1)));
  });
  const close = document.getElementById("edit-close");
  if (close) close.addEventListener("click", () => { document.getElementById("edit-event").hidden = true; });
  if (!holder) return;  // no dated event: no chart (the page says why)
  const figure = JSON.parse(holder.textContent);
  const original = figure.data;
  const FIELDS = ["x", "y", "base", "customdata"];
  const ROW_PIXELS = 38, SLIDER_PIXELS = 50;  // as in web/charts.py
  const NARROW = 600;  // below this width a row's label is its number (the table beside it has the words)
  const LANE_CHARS = 40, NARROW_LANE_CHARS = 12;  // a lane's name is cut at a word past these
  const MANY_LANES = 300;  // past this many lanes they lose their names, as a large chart's rows do
  const chart = document.getElementById("chart");
  const select = document.getElementById("source");
  const csvLink = document.getElementById("download-csv");
  const csvBase = csvLink.getAttribute("href");

  // Text for a plotly label, which plotly.js reads as its own small HTML (as web/charts.py escape_label).
  function escapeLabel(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function shortened(text, chars) {
    if (text.length <= chars) return text;
    const cut = text.slice(0, chars - 1), space = cut.lastIndexOf(" ");
    return (space > chars / 3 ? cut.slice(0, space) : cut) + "…";
  }

  // Lanes: each article's name (made unique, in the timeline's order of articles), or each event's main name.
  const laneNames = (() => {
    const seen = new Map();
    return pageData.documents.map(([id, name]) => {
      const label = shortened(name, LANE_CHARS);
      const unique = seen.has(label) ? label + " (" + id + ")" : label;
      seen.set(label, true);
      return escapeLabel(unique);
    });
  })();

  function lanesOf(event, lanes) {
    return lanes === "source" ? event.sources.map(s => laneNames[s[0]])
                              : [escapeLabel(shortened(event.actor, LANE_CHARS))];
  }

  // The traces with the events the filters keep, each mark on its event's row, or once per lane it belongs to.
  function tracesFor(keptIds, lanes) {
    return original.map(trace => {
      const keep = [], y = [];
      trace.customdata.forEach((cells, i) => {
        if (!keptIds.has(cells[6])) return;
        if (!lanes) { keep.push(i); y.push(trace.y[i]); return; }
        for (const lane of lanesOf(events[indexOf.get(cells[6])], lanes)) { keep.push(i); y.push(lane); }
      });
      const copy = {...trace};
      for (const field of FIELDS) if (Array.isArray(trace[field])) copy[field] = keep.map(i => trace[field][i]);
      copy.y = y;
      return copy;
    });
  }

  function categoriesOf(data, lanes) {
    const present = new Set();
    for (const trace of data) for (const label of trace.y) present.add(label);
    if (!lanes) return figure.layout.yaxis.categoryarray.filter(label => present.has(label));
    const order = lanes === "source" ? laneNames : Array.from(present);  // actors: by their first event
    if (lanes !== "source") {
      const first = new Map();
      for (const trace of data) trace.y.forEach((label, i) => {
        const at = indexOf.get(trace.customdata[i][6]);
        if (!first.has(label) || at < first.get(label)) first.set(label, at);
      });
      order.sort((a, b) => first.get(a) - first.get(b));
    }
    return order.filter(label => present.has(label));
  }

  function layoutFor(categories, lanes, range) {
    const layout = JSON.parse(JSON.stringify(figure.layout));
    const named = lanes ? categories.length <= MANY_LANES : layout.yaxis.showticklabels;
    layout.yaxis.categoryarray = categories;
    layout.yaxis.showticklabels = named;
    if (named) layout.height = Math.max(360, 120 + ROW_PIXELS * categories.length);
    // A large chart keeps its slider off in lanes too: the slider would draw every mark a second time.
    if (named && layout.xaxis.rangeslider.visible) {
      layout.xaxis.rangeslider.thickness = Math.min(0.15, SLIDER_PIXELS / layout.height);
    }
    if (chart.clientWidth < NARROW && named) {
      layout.yaxis.tickvals = categories;
      layout.yaxis.ticktext = lanes ? categories.map(label => shortened(label, NARROW_LANE_CHARS))
                                    : categories.map(label => label.split(".")[0]);
      // The legend wraps onto two lines at the top, above the date ticks (the mode bar is hidden here).
      layout.margin = {l: 8, r: 8, t: 120, b: 20};
      layout.legend = {orientation: "h", yref: "container", y: 1, yanchor: "top", xref: "container", x: 0,
                       xanchor: "left",
                       font: {size: 11}};
    }
    if (range) layout.xaxis.range = range.slice();
    return layout;
  }

  // The filters as the URL and the CSV link name them (timeline/filters.py reads the same names).
  const controls = {source: select, from: document.getElementById("from"), to: document.getElementById("to"),
                    confidence: document.getElementById("confidence"), conflicts: document.getElementById("conflicts"),
                    q: document.getElementById("q")};
  const lanesControl = document.getElementById("lanes");

  function chosen() {
    const query = new URLSearchParams();
    for (const [name, control] of Object.entries(controls)) {
      if (control.type === "checkbox") { if (control.checked) query.set(name, "1"); }
      else if (control.value.trim()) query.set(name, control.value.trim());
    }
    return query;
  }

  // What text search looks in: the wording, each article's name, each date phrase, each sentence
  // (timeline/filters.py search_parts).
  const searchCache = new Map();
  function searchParts(event) {
    if (!searchCache.has(event.id)) {
      const parts = [event.summary];
      for (const [index, phrases, , said] of event.sources) {
        parts.push(pageData.documents[index][1], ...phrases, ...said.map(s => s[0]));
      }
      searchCache.set(event.id, parts.map(part => part.toLowerCase()));
    }
    return searchCache.get(event.id);
  }

  function keeps(event, query) {
    const source = query.get("source"), from = query.get("from"), to = query.get("to");
    if (source && !event.sources.some(s => pageData.documents[s[0]][0] === source)) return false;
    if (from && event.last < from) return false;  // ISO days compare as text
    if (to && event.first > to) return false;
    if (query.get("confidence") && event.confidence !== query.get("confidence")) return false;
    if (query.get("conflicts") && !event.conflict) return false;
    const text = (query.get("q") || "").toLowerCase();
    return !text || searchParts(event).some(part => part.includes(text));
  }

  // The chart's zoom in the URL ("view=FIRST,LAST"): plotly's range ends to the minute ("T" for the space),
  // to the day when at midnight.
  function viewText(range) {
    return range.map(end => {
      const text = String(end).replace(" ", "T").slice(0, 16);
      return text.endsWith("T00:00") ? text.slice(0, 10) : text;
    }).join(",");
  }

  function readView(text) {
    const ends = (text || "").split(",");
    const day = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/;
    if (ends.length !== 2 || !ends.every(end => day.test(end) && !isNaN(Date.parse(end)))) return null;
    if (ends[0] >= ends[1]) return null;
    return ends.map(end => end.replace("T", " "));
  }

  let view = null;  // the reader's zoom, null while the chart shows its opening view

  function writeURL() {
    const query = chosen();
    const search = query.toString();
    csvLink.setAttribute("href", search ? csvBase + "?" + search : csvBase);
    if (lanesControl.value) query.set("lanes", lanesControl.value);
    if (view) query.set("view", viewText(view));
    const all = query.toString();
    history.replaceState(null, "", location.pathname + (all ? "?" + all : "") + location.hash);
  }

  function draw() {
    const query = chosen();
    kept = events.map(event => keeps(event, query));
    rowsHere.forEach((row, i) => { row.hidden = !kept[i]; });
    const keptIds = new Set(events.filter((event, i) => kept[i]).map(event => event.id));
    const lanes = lanesControl.value;
    const data = tracesFor(keptIds, lanes);
    const drawn = new Set();
    for (const trace of data) if (trace.meta !== "told") trace.customdata.forEach(cells => drawn.add(cells[6]));
    document.getElementById("shown").textContent = drawn.size + " of " + events.length + " events shown";
    chart.dataset.events = drawn.size;
    chart.dataset.lanes = lanes;
    writeURL();
    const shown = chart.layout && chart.layout.xaxis && chart.layout.xaxis.range;  // a redraw keeps the zoom
    // WebGL points (large charts) drawn at one pixel per CSS pixel: two to three times faster to draw where
    // WebGL runs on the CPU, at the cost of slightly softer dots on high-density screens.
    return Plotly.react(chart, data, layoutFor(categoriesOf(data, lanes), lanes, shown || view),
                        {responsive: true, displaylogo: false, plotGlPixelRatio: 1,
                         // On a phone the mode bar would sit over the date ticks: pinch and drag zoom there.
                         displayModeBar: chart.clientWidth < NARROW ? false : "hover"});
  }

  function showOnChart(row) {
    const day = 86400000;
    const first = Date.parse(row.dataset.first), last = Date.parse(row.dataset.last) + day;
    const pad = Math.max(3 * day, (last - first) / 5);
    chart.scrollIntoView({block: "start"});
    return Plotly.relayout(chart, {"xaxis.range": [new Date(first - pad).toISOString().slice(0, 10),
                                                   new Date(last + pad).toISOString().slice(0, 10)]});
  }

  // The rest of the table, built as the reader scrolls near its end (observing again re-checks at once).
  function watchTableEnd() {
    if (!more || rowsHere.length >= events.length) return;
    const watcher = new IntersectionObserver(entries => {
      if (!entries.some(entry => entry.isIntersecting)) return;
      buildMore();
      watcher.unobserve(more);
      if (rowsHere.length < events.length) watcher.observe(more);
    }, {rootMargin: "1500px 0px"});
    watcher.observe(more);
  }

  const params = new URLSearchParams(location.search);
  const initial = params.get("source") || "";
  if (initial && Array.from(select.options).some(o => o.value === initial)) select.value = initial;
  for (const name of ["from", "to", "q"]) controls[name].value = params.get(name) || "";
  const level = params.get("confidence") || "";
  if (Array.from(controls.confidence.options).some(o => o.value === level)) controls.confidence.value = level;
  controls.conflicts.checked = Boolean(params.get("conflicts")) && params.get("conflicts") !== "0";
  const lanes = params.get("lanes") || "";
  if (Array.from(lanesControl.options).some(o => o.value === lanes)) lanesControl.value = lanes;
  view = readView(params.get("view"));
  // bench/page.py reads the "drawn" mark: the time the chart took, by the page's own clock.
  draw().then(() => {
    performance.mark("drawn");
    chart.dataset.ready = "1";
    chart.on("plotly_click", event => {
      const point = event.points && event.points[0];
      if (point && point.customdata) selectRow(point.customdata[6], true);
    });
    chart.on("plotly_relayout", change => {
      if (change["xaxis.autorange"]) view = null;
      else if (change["xaxis.range"] || change["xaxis.range[0]"] !== undefined) view = chart.layout.xaxis.range.slice();
      else return;
      writeURL();
    });
    const target = decodeURIComponent(location.hash.slice(1));
    if (indexOf.has(target) && !document.getElementById(target)) rowOf(target).scrollIntoView({block: "center"});
    watchTableEnd();
  });
  let typing = null;  // the search redraws once typing pauses, not on every key
  for (const control of [...Object.values(controls), lanesControl]) {
    control.addEventListener("change", () => draw());
    if (control.type === "search") control.addEventListener("input", () => {
      clearTimeout(typing);
      typing = setTimeout(draw, 200);
    });
  }
  document.getElementById("events").addEventListener("click", e => {
    const link = e.target.closest("a.to-chart");
    if (!link) return;
    e.preventDefault();
    showOnChart(link.closest("tr"));
  });
})();
