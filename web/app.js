// app.js — the doge dashboard: reads this server's JSON API only (no other
// site, no framework). Compliance by department with drill-down to
// managers (/api/pulse/...), the ledger and its cosigned checkpoint
// (/api/ledger/status), the review panel (review.js) and the spend panel
// (spend.js); both are loaded before this file.
"use strict";

const state = { week: null, token: sessionStorage.getItem("doge-token") || "", path: [] };

function $(sel) { return document.querySelector(sel); }

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("data-")) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

class HttpError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

async function api(path) {
  const headers = state.token ? { Authorization: "Bearer " + state.token } : {};
  const r = await fetch(path, { headers, credentials: "same-origin" });
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) {
    if (r.status === 401) $("#auth").classList.remove("hidden");
    const msg = body && body.error ? body.error.message : r.statusText;
    throw new HttpError(r.status, msg);
  }
  return body;
}

function rate(c) { return c.expected ? (100 * c.replied / c.expected) : 0; }

function rateCell(c) {
  const m = el("meter", { min: 0, max: 100, value: rate(c) });
  return el("td", { "data-field": "rate" }, m, " " + rate(c).toFixed(1) + "%");
}

const FIELDS = ["expected", "replied", "on_time", "late", "auto_reply_only", "bounced", "not_replied"];

function setState(sel, text, error) {
  const p = $(sel);
  p.textContent = text;
  p.classList.toggle("error", !!error);
  p.classList.toggle("hidden", !text);
}

async function loadWeeks() {
  const j = await api("/api/pulse/weeks");
  const sel = $("#week");
  sel.replaceChildren();
  for (const w of j.weeks) sel.append(el("option", { value: w.week }, w.week));
  state.week = j.weeks.length ? j.weeks[0].week : null;
  return state.week;
}

async function loadCompliance() {
  const table = $("#compliance");
  if (!state.week) {
    setState("#compliance-state", "No campaign yet (doge pulse open).");
    table.classList.add("hidden");
    return;
  }
  const j = await api("/api/pulse/status?week=" + encodeURIComponent(state.week));
  const tbody = table.querySelector("tbody");
  tbody.replaceChildren();
  for (const d of j.departments) {
    const tr = el("tr", { "data-department": d.department },
      el("td", { class: "name" }, d.department),
      ...FIELDS.map((f) => el("td", { "data-field": f }, d[f])), rateCell(d));
    tr.addEventListener("click", () => {
      for (const r of tbody.querySelectorAll("tr")) r.classList.remove("selected");
      tr.classList.add("selected");
      state.path = [{ department: d.department, label: d.department }];
      loadManagers();
    });
    tbody.append(tr);
  }
  const t = j.total;
  $("#compliance tfoot").replaceChildren(el("tr", { id: "total-row" },
    el("td", { class: "name" }, "Total"), ...FIELDS.map((f) => el("td", { "data-field": f }, t[f])),
    rateCell(t)));
  table.classList.remove("hidden");
  setState("#compliance-state", "");
}

async function loadManagers() {
  const panel = $("#panel-managers");
  panel.classList.remove("hidden");
  const last = state.path[state.path.length - 1];
  const q = "week=" + encodeURIComponent(state.week) +
    (last.manager ? "&manager=" + encodeURIComponent(last.manager)
                  : "&department=" + encodeURIComponent(last.department));
  const crumbs = $("#breadcrumb");
  crumbs.replaceChildren();
  state.path.forEach((p, i) => {
    if (i) crumbs.append(" › ");
    const a = el("a", { "data-depth": i }, p.label);
    a.addEventListener("click", () => { state.path = state.path.slice(0, i + 1); loadManagers(); });
    crumbs.append(a);
  });
  $("#managers-title").textContent = last.manager ? "Managers reporting to " + last.label
                                                  : "Managers in " + last.label;
  setState("#managers-state", "Loading…");
  const tbody = $("#managers tbody");
  tbody.replaceChildren();
  try {
    const j = await api("/api/pulse/managers?" + q);
    for (const m of j.managers) {
      const tr = el("tr", { "data-manager": m.manager },
        el("td", { class: "name" }, m.manager), el("td", { class: "name" }, m.name),
        el("td", {}, m.direct_reports),
        ...["expected", "replied", "on_time", "late", "not_replied"].map((f) =>
          el("td", { "data-field": f }, m[f])), rateCell(m));
      tr.addEventListener("click", () => {
        state.path.push({ manager: m.manager, label: m.name + " (" + m.manager + ")" });
        loadManagers();
      });
      tbody.append(tr);
    }
    setState("#managers-state", j.managers.length ? "" : "No managers below this level.");
  } catch (e) {
    setState("#managers-state", e.message, true);
  }
}

async function loadLedger() {
  try {
    const j = await api("/api/ledger/status");
    if (!j.initialized) {
      setState("#ledger-state", "No ledger yet (doge ledger init).");
      return;
    }
    $("#ledger-origin").textContent = j.origin;
    $("#ledger-size").textContent = j.size;
    $("#ledger-root").textContent = j.root_hex;
    $("#ledger-cosigs").textContent = j.witness_cosignatures;
    $("#ledger-checkpoint").textContent = j.checkpoint;
    const ul = $("#ledger-signatures");
    ul.replaceChildren();
    for (const s of j.signatures) {
      const when = s.timestamp ? " cosigned " + new Date(s.timestamp * 1000).toISOString() : "";
      ul.append(el("li", { "data-kind": s.kind },
        el("span", { class: "badge" }, s.kind),
        el("span", { class: "badge " + (s.verified ? "ok" : "bad") },
          s.verified ? "verified" : "not verified"),
        s.name + " (" + s.key_id + ")" + when));
    }
    setState("#ledger-state", "");
  } catch (e) {
    setState("#ledger-state", e.message, true);
  }
}

async function refresh() {
  try {
    await loadCompliance();
  } catch (e) {
    setState("#compliance-state", e.message, true);
  }
  await Promise.all([loadLedger(), loadReview(), loadSpend()]);
  document.body.dataset.loaded = "1";
}

async function start() {
  try {
    await loadWeeks();
  } catch (e) {
    setState("#compliance-state", e.message, true);
  }
  await refresh();
}

// Signing in finishes the decision that asked for it (review.js), then
// reloads every panel with the token. The reload waits for the decision:
// reloading first replaced the review queue, and with it the open form.
$("#auth-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  state.token = $("#token").value.trim();
  sessionStorage.setItem("doge-token", state.token);
  $("#auth").classList.add("hidden");
  const pending = state.pendingDecision;
  state.pendingDecision = null;
  delete document.body.dataset.loaded;
  if (pending) await pending();
  await start();
});
$("#week").addEventListener("change", (ev) => {
  state.week = ev.target.value;
  $("#panel-managers").classList.add("hidden");
  refresh();
});
start();
