// review.js — the dashboard's review panel (loaded before app.js, whose
// helpers $, el, api, state and HttpError it uses): the week's category mix
// and specificity from /api/pulse/report, the human queue from
// /api/review/queue, and for a clicked reply its evidence from
// /api/review/reply/<id> (each bullet's category with its confidence, the
// words that weighed most, the specificity features that matched) with a
// form for a reviewer's decision (POST /api/review/decide with the bearer
// token; a 401 opens the sign-in card). Only this server is asked.
"use strict";

const QUEUE_LIMIT = 50;

function pct(x) { return (100 * x).toFixed(1) + "%"; }

function bar(share) {
  const b = el("span", { class: "bar" });
  b.style.width = Math.max(0, Math.min(100, 100 * share)).toFixed(1) + "%";
  return el("span", { class: "bar-track" }, b);
}

function renderMix(rep) {
  const tbody = $("#review-categories tbody");
  tbody.replaceChildren();
  for (const c of rep.categories) {
    tbody.append(el("tr", { "data-category": c.category },
      el("td", { class: "name" }, c.category), el("td", { "data-field": "bullets" }, c.bullets),
      el("td", { class: "bar-col" }, bar(c.share), " " + pct(c.share))));
  }
  $("#review-spec-mean").textContent = rep.specificity.mean.toFixed(2);
  $("#review-bullets").textContent = rep.review.bullets;
  $("#review-replies").textContent = rep.review.replies;
  $("#review-vague").textContent = rep.review.vague;
  const hist = $("#review-hist");
  hist.replaceChildren();
  const max = Math.max(1, ...rep.specificity.histogram.map((h) => h.bullets));
  for (const h of rep.specificity.histogram) {
    const col = el("span", { class: "hist-bar", title: h.from.toFixed(1) + "–" + h.to.toFixed(1) +
      ": " + h.bullets + " bullets", "data-bullets": h.bullets });
    col.style.height = (100 * h.bullets / max).toFixed(1) + "%";
    hist.append(el("span", { class: "hist-col" }, col, el("span", { class: "hist-label" }, h.from.toFixed(1))));
  }
  $("#review-report").href = "/pulse/report?week=" + encodeURIComponent(state.week);
}

function featureList(label, items, fmt) {
  const p = el("p", { class: "features" }, el("span", { class: "label" }, label));
  if (!items.length) p.append(" none");
  for (const f of items) p.append(" ", el("span", { class: "feature" }, fmt(f)));
  return p;
}

function signed(x) { return (x >= 0 ? "+" : "") + x.toFixed(2); }

function bulletItem(b) {
  const li = el("li", { "data-category": b.category },
    el("p", { class: "bullet-text" }, b.text),
    el("p", {}, el("span", { class: "badge category" }, b.category),
      el("span", { class: "confidence" }, "confidence " + pct(b.confidence)),
      " · ", el("span", { class: "specificity" }, "specificity " + b.specificity.toFixed(2))));
  li.append(featureList("Words:", b.features.slice(0, 5),
    (f) => f.feature + " (" + signed(f.weight) + ")"));
  li.append(featureList("Specificity:", b.specificity_evidence,
    (f) => f.feature + " “" + f.matched + "” (" + signed(f.weight) + ")"));
  return li;
}

async function decide(reply, form, out) {
  const body = { reply, outcome: form.outcome.value, reason: form.reason.value };
  const headers = { "Content-Type": "application/json" };
  if (state.token) headers.Authorization = "Bearer " + state.token;
  const r = await fetch("/api/review/decide", { method: "POST", headers, body: JSON.stringify(body),
                                                 credentials: "same-origin" });
  let j = null;
  try { j = await r.json(); } catch (e) { j = null; }
  if (!r.ok) {
    if (r.status === 401) {
      // signing in then records this decision (app.js, the sign-in form)
      state.pendingDecision = () => decide(reply, form, out);
      $("#auth").classList.remove("hidden");
    }
    out.textContent = j && j.error ? j.error.message : r.statusText;
    out.classList.add("error");
    return;
  }
  out.textContent = "Recorded as ledger entry " + j.ledger_index + " (by " + j.by + ").";
  out.classList.remove("error");
  out.dataset.ledgerIndex = j.ledger_index;
  await loadQueue();
}

function decisionForm(reply) {
  const out = el("p", { class: "state decide-result" });
  const outcome = el("select", { name: "outcome" },
    ...["ok", "follow-up", "escalate"].map((o) => el("option", { value: o }, o)));
  const form = el("form", { class: "decide" },
    el("label", {}, "Decision ", outcome),
    el("input", { name: "reason", placeholder: "reason (required)", required: true }),
    el("button", { type: "submit" }, "Record decision"));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); decide(reply, form, out); });
  return el("div", {}, form, out);
}

function evidenceCell(j) {
  const td = el("td", { colSpan: 6 });
  td.append(el("p", { class: "note" }, j.note));
  if (j.cluster)
    td.append(el("p", { class: "cluster" }, "Copy-paste cluster " + j.cluster.id + ": " + j.cluster.size +
      " replies in " + j.cluster.departments.length + " department(s), min Jaccard " +
      j.cluster.min_jaccard.toFixed(2) + ", representative #" + j.cluster.representative));
  td.append(el("ol", { class: "bullets" }, ...j.bullets.map(bulletItem)));
  if (j.decisions.length)
    td.append(el("ul", { class: "decisions" }, ...j.decisions.map((d) =>
      el("li", {}, d.kind + (d.outcome ? " " + d.outcome : "") + " by " + d.by + ": " + d.reason +
        " (ledger entry " + d.ledger_index + ")"))));
  td.append(decisionForm(j.reply));
  return td;
}

async function toggleEvidence(tr, item) {
  const next = tr.nextElementSibling;
  if (next && next.classList.contains("evidence")) { next.remove(); tr.classList.remove("selected"); return; }
  tr.classList.add("selected");
  const row = el("tr", { class: "evidence", "data-reply": item.reply },
    el("td", { colSpan: 6 }, "Loading…"));
  tr.after(row);
  try {
    const j = await api("/api/review/reply/" + item.reply);
    row.replaceChildren(evidenceCell(j));
  } catch (e) {
    row.replaceChildren(el("td", { colSpan: 6, class: "state error" }, e.message));
  }
}

async function loadQueue() {
  const j = await api("/api/review/queue?week=" + encodeURIComponent(state.week) + "&limit=" + QUEUE_LIMIT);
  const tbody = $("#review-queue tbody");
  tbody.replaceChildren();
  for (const it of j.queue) {
    const tr = el("tr", { "data-reply": it.reply, "data-state": it.state },
      el("td", { class: "name", "data-field": "reply" }, it.reply),
      el("td", { class: "name", "data-field": "state" }, it.state),
      el("td", { "data-field": "priority" }, it.priority),
      el("td", { class: "name", "data-field": "employee_id" }, it.employee_id),
      el("td", { class: "name", "data-field": "department" }, it.department),
      el("td", { class: "name note-cell", "data-field": "note" }, it.note));
    tr.addEventListener("click", () => toggleEvidence(tr, it));
    tbody.append(tr);
  }
  $("#review-queue-count").textContent = j.queue.length >= QUEUE_LIMIT
    ? "(the first " + QUEUE_LIMIT + ")" : "(" + j.queue.length + ")";
}

async function loadReview() {
  const st = $("#review-state");
  if (!state.week) {
    st.textContent = "No campaign yet.";
    $("#review-body").classList.add("hidden");
    return;
  }
  try {
    const rep = await api("/api/pulse/report?week=" + encodeURIComponent(state.week));
    renderMix(rep);
    await loadQueue();
    st.textContent = "";
    st.classList.add("hidden");
    st.classList.remove("error");
    $("#review-body").classList.remove("hidden");
  } catch (e) {
    st.textContent = e.status === 404 ? "Not available on this server." : e.message;
    st.classList.toggle("error", e.status !== 404);
    st.classList.remove("hidden");
  }
}
