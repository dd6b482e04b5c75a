// Tracemark console: fills in the figures that change while a page is open. No framework: each
// page says what it is in <body data-page>, and only that page's part runs.
"use strict";

const POLL_MS = 5000;

function $(id) {
  return document.getElementById(id);
}

function el(tag, attributes, text) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.detail || body.title || "HTTP " + response.status);
  }
  return body;
}

const number = new Intl.NumberFormat("en");

// Requests that change something carry the page's CSRF token, which another site's page cannot read.
function csrfHeaders(headers) {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return Object.assign({ "X-CSRF-Token": meta ? meta.content : "" }, headers);
}

function followSignOut() {
  const form = $("sign-out");
  if (!form) {
    return;
  }
  form.addEventListener("submit", event => {
    event.preventDefault();
    fetch(form.action, { method: "POST", credentials: "same-origin", headers: csrfHeaders({}) })
      .finally(() => { window.location.assign("/console/sign-in?signed-out=true"); });
  });
}

// --- An item: the ledger's chain check --------------------------------------------------------

function checkChain() {
  const section = $("chain");
  if (!section) {
    return;
  }
  getJson(section.dataset.verify).then(result => {
    section.classList.add(result.intact ? "intact" : "broken");
    $("chain-result").textContent = result.intact
      ? "Chain intact: all " + number.format(result.events) + " events of the ledger check out; head " + result.head
      : "Chain BROKEN at event " + result.firstBrokenEventId + " (after " + number.format(result.events)
        + " good events): " + result.reason;
  }).catch(error => {
    $("chain-result").textContent = "The chain could not be checked: " + error.message;
  });
}

// --- A batch: chart, recall progress, recall form -----------------------------------------------

function drawBars(list, bars, total) {
  list.replaceChildren(...bars.map(bar => {
    const item = el("li");
    item.append(el("span", { class: "label" }, bar.label));
    const track = el("span", { class: "track", "aria-hidden": "true" });
    const fill = el("span", { class: "fill" });
    fill.style.width = (total ? Math.max(1, Math.round(100 * bar.count / total)) : 0) + "%";
    track.append(fill);
    item.append(track, el("span", { class: "count" }, number.format(bar.count)));
    return item;
  }));
}

function showRecall(recall) {
  if (!recall) {
    return;
  }
  $("recall-progress").hidden = false;
  $("recall-at").textContent = recall.at;
  $("recall-reason").textContent = recall.reasons.length ? recall.reasons.join(" · ") : "none given";
  ["recalled", "located", "sold", "returned"].forEach(name => {
    $("recall-" + name).textContent = number.format(recall[name]);
  });
}

function refreshCounts() {
  const section = $("counts");
  return getJson(section.dataset.counts).then(counts => {
    drawBars($("by-site"), counts.bySite, counts.items);
    drawBars($("by-state"), counts.byState, counts.items);
    showRecall(counts.recall);
    $("counts-status").textContent = number.format(counts.items) + " items, counted at " + counts.countedAt;
  }).catch(error => {
    $("counts-status").textContent = "The batch could not be counted: " + error.message;
  });
}

function followBatch() {
  if (!$("counts")) {
    return;
  }
  const poll = () => refreshCounts().finally(() => setTimeout(poll, POLL_MS));
  poll();
  const form = $("recall-form");
  form.addEventListener("submit", event => {
    event.preventDefault();
    const message = $("recall-message");
    message.textContent = "Recording the recall…";
    fetch(form.dataset.recall, {
      method: "POST",
      credentials: "same-origin",
      headers: csrfHeaders({ "Content-Type": "application/json", Accept: "application/json" }),
      body: JSON.stringify({ reason: $("recall-reason-input").value })
    }).then(async response => {
      const body = await response.json();
      if (!response.ok) {
        throw new Error(body.detail || body.title);
      }
      message.textContent = "Recall recorded (event " + body.eventId + "). The counts above update as items are found.";
      form.reset();
      refreshCounts();
    }).catch(error => {
      message.textContent = "The recall was not recorded: " + error.message;
    });
  });
}

// --- The line view: one panel per live run, fed by one stream of every run's status ------------

const GRADES = ["A", "B", "C", "D", "F"];

function runPanel(live) {
  const id = "run-" + live.run.id;
  const panel = el("section", { class: "run", id: id, "aria-labelledby": id + "-title" });
  panel.append(el("h2", { id: id + "-title" }, live.site + " · " + live.line));
  const figures = el("dl", { class: "figures" });
  [["state", "Marker state"], ["rate", "Rate (items/s)"], ["queue", "Queue depth"], ["verified", "Verified"],
    ["voided", "Voided"], ["released", "Released / target"]].forEach(([key, label]) => {
    figures.append(el("dt", {}, label), el("dd", { "data-figure": key }, "…"));
  });
  panel.append(figures);
  const grades = el("ul", { class: "bars grades", "aria-label": "Grade distribution" });
  GRADES.forEach(grade => {
    const item = el("li", { "data-grade": grade });
    const track = el("span", { class: "track", "aria-hidden": "true" });
    track.append(el("span", { class: "fill" }));
    item.append(el("span", { class: "label" }, "Grade " + grade), track, el("span", { class: "count" }, "0"));
    grades.append(item);
  });
  panel.append(el("h3", {}, "Grades"), grades, el("p", { class: "updated", role: "status" }, ""));
  return panel;
}

function showRun(panel, run) {
  const figure = key => panel.querySelector('[data-figure="' + key + '"]');
  figure("state").textContent = (run.stationState || "waiting for the marker")
    + (run.state === "RUNNING" ? "" : " · run " + run.state.toLowerCase());
  figure("rate").textContent = run.itemsPerSecond.toFixed(1);
  figure("queue").textContent = run.markerQueue;
  figure("verified").textContent = number.format(run.verified);
  figure("voided").textContent = number.format(run.voided);
  figure("released").textContent = number.format(run.released) + " / " + number.format(run.count);
  const graded = GRADES.reduce((sum, grade) => sum + (run.grades[grade] || 0), 0);
  GRADES.forEach(grade => {
    const item = panel.querySelector('[data-grade="' + grade + '"]');
    const count = run.grades[grade] || 0;
    item.querySelector(".fill").style.width = (graded ? Math.round(100 * count / graded) : 0) + "%";
    item.querySelector(".count").textContent = number.format(count);
  });
  panel.querySelector(".updated").textContent = "Updated " + new Date().toLocaleTimeString("en-GB");
  panel.classList.toggle("ended", ENDED.includes(run.state));
}

const ENDED = ["FINISHED", "STOPPED", "FAILED"];

function followLines() {
  const container = $("runs");
  if (!container) {
    return;
  }
  const panels = new Map();
  // One stream for every line: a stream per run would use up the browser's few connections.
  const stream = new EventSource(container.dataset.stream);
  stream.addEventListener("runs", event => {
    const runs = JSON.parse(event.data);
    runs.forEach(live => {
      let panel = panels.get(live.run.id);
      if (!panel) {
        panel = runPanel(live);
        panels.set(live.run.id, panel);
        container.append(panel);
      }
      showRun(panel, live.run);
    });
    // Newest run first, as the list comes: a run that starts while the page is open goes on top.
    runs.forEach(live => container.append(panels.get(live.run.id)));
    const marking = runs.filter(live => !ENDED.includes(live.run.state)).length;
    $("runs-status").textContent = marking ? marking + " line(s) marking now"
      : "No line is marking now; this page shows runs as they start.";
  });
  stream.addEventListener("error", () => {
    $("runs-status").textContent = "The line feed was interrupted; reconnecting…";
  });
}

document.addEventListener("DOMContentLoaded", () => {
  followSignOut();
  checkChain();
  followBatch();
  followLines();
});
