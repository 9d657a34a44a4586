// The timeline page: draws the chart from the figure JSON in #figure and filters it by source.
// A file, not inline script, so the Content-Security-Policy can refuse every inline script.
"use strict";
(function () {
  const figure = JSON.parse(document.getElementById("figure").textContent);
  const original = figure.data.map(trace => ({...trace}));
  const FIELDS = ["x", "y", "base", "customdata"];
  function draw(source) {
    const data = original.map(trace => {
      const keep = trace.customdata.map((row, i) => !source || row[5].split(";").includes(source) ? i : -1)
                                    .filter(i => i >= 0);
      const copy = {...trace};
      for (const field of FIELDS) if (Array.isArray(trace[field])) copy[field] = keep.map(i => trace[field][i]);
      return copy;
    });
    const shown = data.reduce((n, t) => n + t.customdata.length, 0);
    document.getElementById("shown").textContent = shown + " events shown";
    document.getElementById("chart").dataset.events = shown;
    // WebGL points (large charts) drawn at one pixel per CSS pixel: two to three times faster to draw where
    // WebGL runs on the CPU, at the cost of slightly softer dots on high-density screens.
    return Plotly.react("chart", data, figure.layout, {responsive: true, displaylogo: false, plotGlPixelRatio: 1});
  }
  // bench/page.py reads the "drawn" mark: the time the chart took, by the page's own clock.
  draw("").then(() => { performance.mark("drawn"); document.getElementById("chart").dataset.ready = "1"; });
  document.getElementById("source").addEventListener("change", e => draw(e.target.value));
  document.getElementById("chart").addEventListener("plotly_hover", () => {});
})();
