// A background build's page: polls the job's status, moves the progress bar, and opens the timeline when it is
// built (or says why not). A file, not inline script: the Content-Security-Policy refuses inline script.
"use strict";
(function () {
  const section = document.getElementById("job");
  if (!section) return;
  const bar = document.getElementById("job-progress");
  const state = document.getElementById("job-state");
  const POLL_MS = 400;

  function show(job) {
    section.dataset.status = job.status;
    bar.max = Math.max(1, job.progress.total);
    bar.value = job.progress.done;
    bar.textContent = job.progress.done + " of " + job.progress.total;
    if (job.status === "done") {
      state.textContent = "Built: opening the timeline…";
      location.assign(job.timeline_url);
      return false;
    }
    const cancel = document.getElementById("job-cancel");
    if (job.status === "failed" || job.status === "cancelled") {
      if (cancel) cancel.remove();
      state.textContent = job.status === "failed" ? "The build failed: " + job.error
                                                  : "The build was cancelled; nothing was stored.";
      return false;
    }
    state.textContent = "Building in the background: " + job.progress.done + " of " + job.progress.total +
      " articles read" + (job.stage === "merging" ? ", merging the events" : "") +
      ". You may leave this page and come back.";
    return true;
  }

  function poll() {
    fetch(section.dataset.statusUrl, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(response => response.ok ? response.json() : Promise.reject(response.status))
      .then(job => { if (show(job)) setTimeout(poll, POLL_MS); })
      .catch(() => setTimeout(poll, POLL_MS * 5));  // the server may be busy: keep asking, more slowly
  }
  if (section.dataset.status === "queued" || section.dataset.status === "running") poll();
})();
