// The page: the store's incidents (one per cause) and recent alerts (and live ones, when the server follows Kafka), a flow
// search, and one flow's hop path (#/flow/<conversationId>).
"use strict";

const $ = sel => document.querySelector(sel);

async function api(path) {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function cell(tr, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (cls) td.className = cls;
  tr.append(td);
  return td;
}

function time(t) {
  return t ? t.replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

function lostAt(after, before, direction) {
  return after ? `${after} \u2192 ${before} (${direction})` : "";
}

function subject(a) {
  const port = a.dport !== null && a.dport >= 0 ? ":" + a.dport : "";
  return [a.src, a.dst ? a.dst + port : null, a.node].filter(x => x).join(" \u2192 ");
}

function flowLink(tr, id) {
  if (!id) return;
  tr.classList.add("clickable");
  tr.addEventListener("click", () => { location.hash = "#/flow/" + encodeURIComponent(id); });
}

// alerts, newest first; a live alert replaces the row of the same id
function alertRow(a, fresh) {
  const tbody = $("#alerts tbody");
  const old = tbody.querySelector(`tr[data-id="${CSS.escape(a.id)}"]`);
  const tr = document.createElement("tr");
  tr.dataset.id = a.id;
  if (fresh) tr.classList.add("new");
  cell(tr, time(a.last_seen));
  cell(tr, a.status, a.status);
  cell(tr, a.type);
  cell(tr, a.severity);
  cell(tr, subject(a));
  cell(tr, lostAt(a.lost_after, a.lost_before, a.lost_direction));
  cell(tr, a.hint);
  flowLink(tr, a.conversation_id);
  if (old) old.remove();
  if (fresh) tbody.prepend(tr); else tbody.append(tr);
}

async function loadAlerts(status) {
  if (status.store) {
    try {
      (await api("/api/alerts?limit=100")).forEach(a => alertRow(a, false));
    } catch (e) {
      $("#status").textContent = e.message;
    }
  }
  const badge = $("#live");
  if (status.live) {
    const es = new EventSource("/api/alerts/stream");
    es.addEventListener("open", () => { badge.textContent = "live"; badge.classList.add("on"); });
    es.addEventListener("error", () => { badge.textContent = "reconnecting"; badge.classList.remove("on"); });
    es.addEventListener("alert", ev => alertRow(JSON.parse(ev.data), true));
  } else {
    badge.textContent = "not live (serve --bootstrap)";
  }
}

// incidents as they last stood, newest first: the cause in one sentence and the alerts it explains
async function loadIncidents() {
  const tbody = $("#incidents tbody");
  try {
    for (const i of await api("/api/incidents?limit=50")) {
      const tr = document.createElement("tr");
      tr.dataset.id = i.id;
      cell(tr, time(i.last_seen));
      cell(tr, i.status, i.status);
      cell(tr, i.cause);
      cell(tr, lostAt(i.lost_after, i.lost_before, i.lost_direction));
      cell(tr, (i.alert_types || []).join(", ") + " (" + (i.alert_ids || []).length + ")");
      tbody.append(tr);
    }
  } catch (e) {
    $("#status").textContent = e.message;
  }
}

async function searchFlows(ev) {
  if (ev) ev.preventDefault();
  const params = new URLSearchParams();
  for (const [k, v] of new FormData($("#flow-search"))) if (v.trim()) params.set(k, v.trim());
  $("#flow-error").textContent = "";
  const tbody = $("#flows tbody");
  tbody.replaceChildren();
  try {
    for (const f of await api("/api/flows?" + params)) {
      const tr = document.createElement("tr");
      cell(tr, time(f.first_seen));
      cell(tr, f.verdict + (f.final ? "" : " (open)"));
      cell(tr, (f.tuples || []).join(" / "));
      cell(tr, lostAt(f.lost_after, f.lost_before, f.lost_direction));
      cell(tr, (f.alert_types || []).join(", "));
      flowLink(tr, f.conversation_id);
      tbody.append(tr);
    }
  } catch (e) {
    $("#flow-error").textContent = e.message;
  }
}

async function showFlow(id) {
  $("#alerts-view").hidden = true;
  $("#flow-view").hidden = false;
  $("#flow-title").textContent = "Flow " + id;
  const facts = $("#flow-facts"), path = $("#hop-path"), alerts = $("#flow-alerts tbody");
  facts.replaceChildren();
  path.replaceChildren();
  alerts.replaceChildren();
  let d;
  try {
    d = await api("/api/flows/" + encodeURIComponent(id));
  } catch (e) {
    path.textContent = e.message;
    path.className = "error";
    return;
  }
  path.className = "";
  const f = d.flow;
  const add = (k, v) => {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = k;
    dd.textContent = v;
    facts.append(dt, dd);
  };
  add("tuples", (f.tuples || []).join(" / "));
  add("verdict", f.verdict + (f.final ? "" : " (still open)"));
  add("seen", time(f.first_seen) + " \u2013 " + time(f.last_seen));
  add("lost at", d.lostAt ? lostAt(d.lostAt.after, d.lostAt.before, d.lostAt.direction) : "\u2013");
  if (d.lostAt && d.lostAt.hint) add("hint", d.lostAt.hint);
  path.append(HopPath.render(d));
  for (const a of d.alerts) {
    const tr = document.createElement("tr");
    cell(tr, time(a.first_seen));
    cell(tr, a.status, a.status);
    cell(tr, a.type);
    cell(tr, lostAt(a.lost_after, a.lost_before, a.lost_direction));
    cell(tr, a.hint);
    alerts.append(tr);
  }
  document.body.dataset.ready = "flow";
}

function route() {
  const m = location.hash.match(/^#\/flow\/(.+)$/);
  if (m) {
    showFlow(decodeURIComponent(m[1]));
  } else {
    $("#flow-view").hidden = true;
    $("#alerts-view").hidden = false;
  }
}

async function main() {
  let status = { store: null, live: false };
  try {
    status = await api("/api/status");
    $("#status").textContent = (status.store ? "store " + status.store : "no store")
      + (status.live ? " \u00b7 live alerts" : "");
  } catch (e) {
    $("#status").textContent = e.message;
  }
  $("#flow-search").addEventListener("submit", searchFlows);
  window.addEventListener("hashchange", route);
  route();
  loadAlerts(status);
  if (status.store) {
    loadIncidents();
    searchFlows();
  }
}

main();
