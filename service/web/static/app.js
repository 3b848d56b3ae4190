// Legevaktplan: the few live parts, in plain JavaScript (no libraries, nothing from
// outside the app): progress of a solve (a stream of events) or a sweep (polled), arrow
// keys in the roster grid, tap to show why a shift is unfilled, and the print button.
"use strict";

function label(key) {
  const labels = document.getElementById("labels");
  const found = labels && labels.content.querySelector('[data-key="' + key + '"]');
  return found ? found.textContent : key;
}

function show(value) {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") return String(Math.round(value * 100) / 100).replace(".", ",");
  return String(value);
}

function fillIn(panel, data) {
  panel.querySelectorAll("[data-field]").forEach(function (el) {
    if (!(el.dataset.field in data)) return;
    const prefix = el.dataset.labelPrefix;
    const value = data[el.dataset.field];
    el.textContent = prefix && value ? label(prefix + value) : show(value);
  });
}

function followProgress(panel) {
  // The page was made while the job ran: follow its progress, and load the page again
  // once it has finished (then it shows the roster or the error). The solve page has a
  // stream of events; without EventSource, or when the stream is refused, poll instead.
  const events = panel.dataset.eventsUrl;
  if (events && window.EventSource) followEvents(panel, events);
  else pollStatus(panel);
}

function followEvents(panel, url) {
  const source = new EventSource(url, { withCredentials: true });
  let ended = false;
  function on(name, handle) {
    source.addEventListener(name, function (event) { handle(JSON.parse(event.data)); });
  }
  on("status", function (data) { fillIn(panel, data); });
  on("progress", function (data) { fillIn(panel, Object.assign({ status: "running" }, data)); });
  on("end", function (data) {
    ended = true;
    source.close();
    fillIn(panel, data);
    window.location.reload();
  });
  source.addEventListener("error", function () {
    // A dropped connection is retried by EventSource itself (with Last-Event-ID); a
    // refused one (not a stream) closes it: poll from here on.
    if (!ended && source.readyState === EventSource.CLOSED) pollStatus(panel);
  });
}

function pollStatus(panel) {
  // Every second, the status as JSON.
  const url = panel.dataset.statusUrl;
  async function tick() {
    let data = null;
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) data = await response.json();
    } catch (e) {
      data = null;
    }
    if (data) {
      fillIn(panel, data);
      if (data.status !== "queued" && data.status !== "running") {
        window.location.reload();
        return;
      }
    }
    setTimeout(tick, 1000);
  }
  tick();
}

function gridKeys(grid) {
  grid.addEventListener("keydown", function (event) {
    const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
    const move = moves[event.key];
    const cell = event.target.closest("td");
    if (!move || !cell) return;
    const row = cell.parentElement;
    const rows = Array.from(grid.tBodies[0].rows);
    let r = rows.indexOf(row);
    let c = cell.cellIndex;
    for (let step = 0; step < 400; step++) {
      r += move[0];
      c += move[1];
      if (r < 0 || r >= rows.length || c < 1 || c >= rows[0].cells.length) return;
      const link = rows[r].cells[c].querySelector("a");
      if (link) {
        event.preventDefault();
        link.focus();
        return;
      }
    }
  });
  grid.addEventListener("touchstart", function (event) {
    const cell = event.target.closest("td.unfilled");
    if (cell && !cell.classList.contains("show-reasons")) {
      grid.querySelectorAll(".show-reasons").forEach(function (el) { el.classList.remove("show-reasons"); });
      cell.classList.add("show-reasons");
      event.preventDefault();
    }
  }, { passive: false });
}

document.addEventListener("DOMContentLoaded", function () {
  const panel = document.getElementById("progress");
  if (panel && panel.dataset.running === "yes") followProgress(panel);
  const grid = document.getElementById("grid");
  if (grid) gridKeys(grid);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
