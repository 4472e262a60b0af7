// spend.js — the dashboard's spend panel (loaded before app.js, whose
// helpers $, el and api it uses): the latest `doge spend audit` of this
// workspace from /api/spend/findings (totals, findings and money at stake
// per rule, the findings themselves with their evidence, filtered by rule)
// and the latest `doge spend receipts verify` from /api/spend/receipts
// (claimed against verified savings, each claim's status and evidence).
// A 404 means that run has not happened in this workspace: its message is
// shown. Only this server is asked.
"use strict";

const SPEND_PAGE = 50;

function dollars(cents) {
  return "$" + (cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function money(cents, field) {
  return el("td", { "data-field": field, "data-cents": cents }, dollars(cents));
}

function when(iso) { return "(as of " + iso.replace("T", " ").replace("Z", " UTC") + ")"; }

async function loadFindings() {
  const rule = $("#spend-rule-filter").value;
  const j = await api("/api/spend/findings?limit=" + SPEND_PAGE + (rule ? "&rule=" + encodeURIComponent(rule) : ""));
  $("#spend-audit-when").textContent = when(j.generated_at);
  $("#spend-rows").textContent = j.totals.rows;
  $("#spend-awards").textContent = j.totals.awards;
  $("#spend-total").textContent = j.totals.findings;
  const rules = $("#spend-rules tbody");
  rules.replaceChildren();
  const sel = $("#spend-rule-filter");
  const known = new Set([...sel.options].map((o) => o.value));
  for (const r of j.rules) {
    rules.append(el("tr", { "data-rule": r.rule },
      el("td", { class: "name" }, r.title + " (" + r.rule + ")"),
      el("td", { "data-field": "findings" }, r.findings), money(r.amount_cents, "amount")));
    if (!known.has(r.rule)) sel.append(el("option", { value: r.rule }, r.rule));
  }
  const tbody = $("#spend-findings tbody");
  tbody.replaceChildren();
  for (const f of j.findings) {
    tbody.append(el("tr", { "data-rule": f.rule, "data-key": f.key },
      el("td", { class: "name" }, f.rule),
      el("td", { class: "name" }, f.agency_name + " (" + f.agency_code + ")"),
      el("td", { class: "name mono" }, f.key),
      el("td", { class: "name" }, f.recipient || ""),
      money(f.amount_cents, "amount"),
      el("td", { class: "name note-cell" }, f.evidence)));
  }
  $("#spend-findings-count").textContent = j.matching > j.findings.length
    ? "(the first " + j.findings.length + " of " + j.matching + ")" : "(" + j.matching + ")";
  $("#spend-audit").classList.remove("hidden");
}

async function loadReceipts() {
  const j = await api("/api/spend/receipts?limit=" + SPEND_PAGE);
  const t = j.totals;
  $("#spend-receipts-when").textContent = when(j.generated_at);
  $("#spend-claims").textContent = t.claims;
  $("#spend-claimed").textContent = dollars(t.claimed_cents);
  $("#spend-claimed").dataset.cents = t.claimed_cents;
  $("#spend-verified").textContent = dollars(t.verified_cents) +
    (t.claimed_cents ? " (" + (100 * t.verified_cents / t.claimed_cents).toFixed(1) + "% of the claimed)" : "");
  $("#spend-verified").dataset.cents = t.verified_cents;
  $("#spend-statuses").textContent = ["verified", "overstated", "unsupported", "unverifiable", "not_found"]
    .map((s) => s + " " + (t[s] || 0)).join(", ");
  const tbody = $("#spend-verifications tbody");
  tbody.replaceChildren();
  for (const v of j.verifications) {
    tbody.append(el("tr", { "data-claim": v.claim_id, "data-status": v.status },
      el("td", { class: "name" }, v.claim_id), el("td", { class: "name" }, v.agency),
      el("td", { class: "name mono" }, v.award_id || ""),
      el("td", { class: "name" }, el("span", { class: "badge " + (v.status === "verified" ? "ok" : "bad") }, v.status)),
      money(v.claimed_cents, "claimed"), money(v.verified_cents, "verified"),
      el("td", { class: "name note-cell" }, v.evidence)));
  }
  $("#spend-receipts").classList.remove("hidden");
}

// Runs one part; a 404 (no such run yet) or another error is said in st.
async function spendPart(fn, st) {
  try {
    await fn();
    st.textContent = "";
    st.classList.add("hidden");
    return true;
  } catch (e) {
    st.textContent = e.message;
    st.classList.toggle("error", e.status !== 404);
    st.classList.remove("hidden");
    return false;
  }
}

let spendFilterBound = false;

async function loadSpend() {
  if (!spendFilterBound) { // app.js's helpers exist only once it has run
    $("#spend-rule-filter").addEventListener("change", () => spendPart(loadFindings, $("#spend-state")));
    spendFilterBound = true;
  }
  await Promise.all([spendPart(loadFindings, $("#spend-state")),
                     spendPart(loadReceipts, $("#spend-receipts-state"))]);
}
