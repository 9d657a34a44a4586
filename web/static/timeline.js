// The timeline page: draws the chart from the figure JSON in #figure; the filters (source, date range, confidence,
// conflicts only, text search) narrow the chart, the table and the CSV link, by the rules of timeline/filters.py,
// and are kept in the page's URL; a click on an event selects its table row.
// A file, not inline script, so the Content-Security-Policy can refuse every inline script.
"use strict";
(function () {
  // The chosen event: its row is marked (and scrolled to, from the chart) and the edit form is filled for it.
  function selectRow(eventId, scroll) {
    const row = document.getElementById(eventId);
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
  const table = document.getElementById("events");
  if (table) table.addEventListener("click", e => {
    if (e.target.closest("a, button, input, textarea")) return;
    const row = e.target.closest("tr[id]");
    if (row) selectRow(row.id, false);
  });
  const close = document.getElementById("edit-close");
  if (close) close.addEventListener("click", () => { document.getElementById("edit-event").hidden = true; });
  const holder = document.getElementById("figure");
  if (!holder) return;  // no dated event: no chart (the page says why)
  const figure = JSON.parse(holder.textContent);
  const original = figure.data.map(trace => ({...trace}));
  const FIELDS = ["x", "y", "base", "customdata"];
  const ROW_PIXELS = 38, SLIDER_PIXELS = 50;  // as in web/charts.py
  const NARROW = 600;  // below this width a row's label is its number (the table beside it has the words)
  const chart = document.getElementById("chart");
  const select = document.getElementById("source");
  const csvLink = document.getElementById("download-csv");
  const csvBase = csvLink.getAttribute("href");
  const rows = Array.from(document.querySelectorAll("#events tr[id]"));

  function layoutFor(labels) {
    const layout = JSON.parse(JSON.stringify(figure.layout));
    const large = !layout.yaxis.showticklabels;
    const keep = new Set(labels);
    layout.yaxis.categoryarray = figure.layout.yaxis.categoryarray.filter(label => keep.has(label));
    if (!large) {
      layout.height = Math.max(360, 120 + ROW_PIXELS * layout.yaxis.categoryarray.length);
      layout.xaxis.rangeslider.thickness = Math.min(0.15, SLIDER_PIXELS / layout.height);
    }
    if (chart.clientWidth < NARROW) {
      layout.yaxis.tickvals = layout.yaxis.categoryarray;
      layout.yaxis.ticktext = layout.yaxis.categoryarray.map(label => label.split(".")[0]);
      layout.margin = {l: 8, r: 8, t: 40, b: 20};
      layout.legend = {orientation: "h", y: -0.02, yanchor: "top", font: {size: 11}};
    }
    const shown = chart.layout && chart.layout.xaxis && chart.layout.xaxis.range;
    if (shown) layout.xaxis.range = shown.slice();  // a filter keeps the reader's zoom
    return layout;
  }

  // The filters as the URL and the CSV link name them (timeline/filters.py reads the same names).
  const controls = {source: select, from: document.getElementById("from"), to: document.getElementById("to"),
                    confidence: document.getElementById("confidence"), conflicts: document.getElementById("conflicts"),
                    q: document.getElementById("q")};

  function chosen() {
    const query = new URLSearchParams();
    for (const [name, control] of Object.entries(controls)) {
      if (control.type === "checkbox") { if (control.checked) query.set(name, "1"); }
      else if (control.value.trim()) query.set(name, control.value.trim());
    }
    return query;
  }

  // What text search looks in: the wording, each article's name, each date phrase, each sentence.
  function searchParts(row) {
    const parts = [row.querySelector(".what").textContent];
    for (const item of row.querySelectorAll("li.source")) parts.push(item.querySelector("a").textContent);
    for (const part of row.querySelectorAll(".phrase, small.said")) parts.push(part.textContent);
    return parts.map(part => part.toLowerCase());
  }

  function keeps(row, query) {
    const source = query.get("source"), from = query.get("from"), to = query.get("to");
    if (source && !row.dataset.documents.split(";").includes(source)) return false;
    if (from && row.dataset.last < from) return false;  // ISO days compare as text
    if (to && row.dataset.first > to) return false;
    if (query.get("confidence") && row.dataset.confidence !== query.get("confidence")) return false;
    if (query.get("conflicts") && !row.dataset.conflict) return false;
    const text = (query.get("q") || "").toLowerCase();
    return !text || searchParts(row).some(part => part.includes(text));
  }

  function draw() {
    const query = chosen();
    const kept = new Set();
    for (const row of rows) {
      row.hidden = !keeps(row, query);
      if (!row.hidden) kept.add(row.id);
    }
    const labels = new Set(), events = new Set();
    const data = original.map(trace => {
      const keep = trace.customdata.map((row, i) => kept.has(row[6]) ? i : -1).filter(i => i >= 0);
      const copy = {...trace};
      for (const field of FIELDS) if (Array.isArray(trace[field])) copy[field] = keep.map(i => trace[field][i]);
      copy.y.forEach(label => labels.add(label));
      if (trace.meta !== "told") copy.customdata.forEach(row => events.add(row[6]));
      return copy;
    });
    document.getElementById("shown").textContent = events.size + " of " + rows.length + " events shown";
    chart.dataset.events = events.size;
    const search = query.toString();
    csvLink.setAttribute("href", search ? csvBase + "?" + search : csvBase);
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
    // WebGL points (large charts) drawn at one pixel per CSS pixel: two to three times faster to draw where
    // WebGL runs on the CPU, at the cost of slightly softer dots on high-density screens.
    return Plotly.react(chart, data, layoutFor(labels),
                        {responsive: true, displaylogo: false, plotGlPixelRatio: 1});
  }


  function showOnChart(row) {
    const day = 86400000;
    const first = Date.parse(row.dataset.first), last = Date.parse(row.dataset.last) + day;
    const pad = Math.max(3 * day, (last - first) / 5);
    chart.scrollIntoView({block: "start"});
    return Plotly.relayout(chart, {"xaxis.range": [new Date(first - pad).toISOString().slice(0, 10),
                                                   new Date(last + pad).toISOString().slice(0, 10)]});
  }

  const params = new URLSearchParams(location.search);
  const initial = params.get("source") || "";
  if (initial && Array.from(select.options).some(o => o.value === initial)) select.value = initial;
  for (const name of ["from", "to", "q"]) controls[name].value = params.get(name) || "";
  const level = params.get("confidence") || "";
  if (Array.from(controls.confidence.options).some(o => o.value === level)) controls.confidence.value = level;
  controls.conflicts.checked = Boolean(params.get("conflicts")) && params.get("conflicts") !== "0";
  // bench/page.py reads the "drawn" mark: the time the chart took, by the page's own clock.
  draw().then(() => {
    performance.mark("drawn");
    chart.dataset.ready = "1";
    chart.on("plotly_click", event => {
      const point = event.points && event.points[0];
      if (point && point.customdata) selectRow(point.customdata[6], true);
    });
  });
  let typing = null;  // the search redraws once typing pauses, not on every key
  for (const control of Object.values(controls)) {
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
