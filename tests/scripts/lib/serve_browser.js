// tests/scripts/lib/serve_browser.js — run by serve_browser.sh under node:
// drives Debian's headless chromium through playwright-core. An employee
// opens the form link, writes bullets and submits; the receipt shows the
// ledger entry and the review's note, and the employee appeals from it.
// Then the dashboard: its figures per department and in total must equal
// `doge pulse status --json` (taken after the submit), a department drills
// down to its managers, the ledger panel shows the size; the review panel
// shows the same first queue items as `doge --json review queue` (the
// appealed reply on top), the category mix and mean specificity of
// `doge --json pulse report`, a reply expands to its bullets' evidence
// (as `doge --json review show`), and a reviewer's decision from the panel
// (after signing in with a token) lands in the store and takes the reply
// off the queue; the spend panel shows the audit's figures per rule, its
// findings (filtered by rule) and the receipts check as the reports the
// spend commands left; the page asks nothing of any other origin. Screenshots go to SHOTS.
// Usage: node serve_browser.js BASE_URL FORM_TOKEN STATUS_CMD... (env:
// PLAYWRIGHT_CORE, SHOTS, DOGE_BIN and DOGE_WS for the review commands,
// REVIEWER_TOKEN)
"use strict";
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const os = require("os");

const [base, token, ...statusCmd] = process.argv.slice(2);
const doge = (...args) => JSON.parse(execFileSync(process.env.DOGE_BIN,
  ["-C", process.env.DOGE_WS, "--quiet", "--json", ...args]).toString());
const shots = process.env.SHOTS;
let failures = 0, passes = 0;
function check(name, ok, detail) {
  if (ok) { passes++; console.log("ok   " + name); }
  else { failures++; console.log("FAIL " + name + (detail ? ": " + detail : "")); }
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "doge-chromium-"));
  // A fresh profile folder (playwright passes it as --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    const origin = new URL(base).origin;
    const foreign = [];
    page.on("request", (r) => { if (new URL(r.url()).origin !== origin) foreign.push(r.url()); });
    const consoleErrors = [];
    // The first decision is tried without a token (401): expected; any
    // other console error is not.
    const expected404 = ["/api/review/decide"];
    page.on("console", (m) => {
      const where = m.location().url || "";
      if (m.type() === "error" && !expected404.some((p) => where.includes(p)))
        consoleErrors.push(m.text() + " at " + where);
    });

    // The employee's form.
    await page.goto(base + "/pulse/reply?t=" + token);
    check("the form shows the week", (await page.textContent("#week")).trim() === "2025-W08");
    await page.fill("#bullets", "- Closed the audit of 14 grant files\n- Drafted the travel policy update\n" +
      "- Trained two new analysts\n- Reconciled the March obligations\n- Answered 31 public inquiries");
    await page.screenshot({ path: path.join(shots, "serve_form.png"), fullPage: true });
    await Promise.all([page.waitForNavigation(), page.click("#submit")]);
    const receipt = await page.$("#receipt");
    if (!receipt) console.log((await page.content()).slice(0, 2000));
    check("the receipt is shown", !!receipt);
    const index = receipt ? (await page.textContent("#ledger-index")).trim() : "";
    check("the receipt names a ledger entry", /^[0-9]+$/.test(index), index);
    check("five bullets recorded", (await page.textContent("#bullet-count")).trim() === "5");
    const stored = await page.$$eval("#stored-bullets li", (l) => l.map((x) => x.textContent));
    check("the bullets as stored", stored.length === 5 && stored[0] === "Closed the audit of 14 grant files", stored.join("|"));
    const proofHref = await page.getAttribute("#download-proof", "href");
    check("a download of the tlog-proof", proofHref === "/pulse/proof?t=" + token, proofHref);
    const proof = await page.evaluate(async (u) => (await fetch(u)).text(), proofHref);
    check("the proof download is a tlog-proof", proof.startsWith("c2sp.org/tlog-proof@v1\n"), proof.slice(0, 40));
    await page.screenshot({ path: path.join(shots, "serve_receipt.png"), fullPage: true });
    const note = (await page.textContent("#review-note")).trim();
    check("the receipt shows the review's note", /^5 bullets: .*copy-paste check at the week's next review$/.test(note), note);

    // The employee appeals from the receipt.
    await page.fill("#reason", "Each bullet names the files and the counts; please look again.");
    await Promise.all([page.waitForNavigation(), page.click("#appeal-submit")]);
    const appealed = await page.$("#appeal-recorded");
    if (!appealed) console.log((await page.content()).slice(0, 2000));
    check("the appeal is recorded", !!appealed);
    const appealReply = appealed ? Number((await page.textContent("#appeal-reply")).trim()) : 0;
    const appealIndex = appealed ? Number((await page.textContent("#appeal-index")).trim()) : -1;
    check("the appeal is the ledger entry after the reply's", appealIndex === Number(index) + 1,
      appealIndex + " vs " + index);
    await page.screenshot({ path: path.join(shots, "serve_appeal.png"), fullPage: true });

    // The CLI's figures, after the submit.
    const status = JSON.parse(execFileSync(statusCmd[0], statusCmd.slice(1)).toString());

    // The dashboard.
    await page.goto(base + "/");
    await page.waitForSelector("body[data-loaded='1']", { timeout: 30000 });
    const rows = await page.$$eval("#compliance tbody tr", (trs) => trs.map((tr) => {
      const o = { department: tr.dataset.department };
      for (const td of tr.querySelectorAll("td[data-field]"))
        if (td.dataset.field !== "rate") o[td.dataset.field] = Number(td.textContent);
      return o;
    }));
    const fields = ["expected", "replied", "on_time", "late", "auto_reply_only", "bounced", "not_replied"];
    const want = status.departments.map((d) => { const o = { department: d.department };
      for (const f of fields) o[f] = d[f]; return o; });
    check("one row per department", rows.length === want.length, rows.length + " vs " + want.length);
    check("every department's figures equal doge pulse status --json",
      JSON.stringify(rows) === JSON.stringify(want), JSON.stringify(rows) + " vs " + JSON.stringify(want));
    const total = await page.$$eval("#total-row td[data-field]", (tds) => {
      const o = {}; for (const td of tds) if (td.dataset.field !== "rate") o[td.dataset.field] = Number(td.textContent);
      return o; });
    check("the total equals doge pulse status --json", fields.every((f) => total[f] === status.total[f]),
      JSON.stringify(total) + " vs " + JSON.stringify(status.total));
    const ledgerSize = Number((await page.textContent("#ledger-size")).trim());
    check("the ledger panel shows the size, past the appeal's entry", ledgerSize === appealIndex + 1,
      ledgerSize + " vs " + appealIndex);
    const sigs = await page.$$eval("#ledger-signatures li", (l) => l.map((x) => x.dataset.kind));
    check("the ledger panel lists the log's signature", sigs.includes("log"), sigs.join(","));
    // The spend panel against the reports the spend commands left.
    const audit = JSON.parse(fs.readFileSync(path.join(process.env.DOGE_WS, "reports", "spend-audit.json")));
    const receipts = JSON.parse(fs.readFileSync(path.join(process.env.DOGE_WS, "reports", "spend-receipts.json")));
    const ruleRows = await page.$$eval("#spend-rules tbody tr", (trs) => trs.map((tr) =>
      [tr.dataset.rule, Number(tr.querySelector("[data-field=findings]").textContent),
       Number(tr.querySelector("[data-field=amount]").dataset.cents)]));
    check("the spend panel's rules are the audit's", JSON.stringify(ruleRows) ===
      JSON.stringify(audit.rules.map((r) => [r.rule, r.findings, r.amount_cents])), JSON.stringify(ruleRows));
    const keys = await page.$$eval("#spend-findings tbody tr", (trs) => trs.map((tr) => tr.dataset.key));
    check("its findings are the audit's first ones", audit.findings.length > 0 && JSON.stringify(keys) ===
      JSON.stringify(audit.findings.slice(0, 50).map((f) => f.key)), keys.length + " rows");
    const rule = audit.findings[audit.findings.length - 1].rule;
    await page.selectOption("#spend-rule-filter", rule);
    await page.waitForFunction((r) => [...document.querySelectorAll("#spend-findings tbody tr")]
      .every((tr) => tr.dataset.rule === r), rule, { timeout: 30000 });
    const filtered = await page.$$eval("#spend-findings tbody tr", (trs) => trs.map((tr) => tr.dataset.key));
    check("filtering by rule shows that rule's findings", JSON.stringify(filtered) ===
      JSON.stringify(audit.findings.filter((f) => f.rule === rule).slice(0, 50).map((f) => f.key)), rule);
    const claimed = Number(await page.getAttribute("#spend-claimed", "data-cents"));
    const verified = Number(await page.getAttribute("#spend-verified", "data-cents"));
    check("the receipts check: claimed and verified as the report", claimed === receipts.totals.claimed_cents &&
      verified === receipts.totals.verified_cents, claimed + " " + verified);
    const claims = await page.$$eval("#spend-verifications tbody tr", (trs) => trs.map((tr) =>
      [tr.dataset.claim, tr.dataset.status]));
    check("each claim with its status", JSON.stringify(claims) === JSON.stringify(
      receipts.verifications.slice(0, 50).map((v) => [v.claim_id, v.status])), claims.length + " claims");
    const spendPanel = await page.$("#panel-spend");
    await spendPanel.screenshot({ path: path.join(shots, "serve_spend.png") });
    await page.screenshot({ path: path.join(shots, "serve_dashboard.png"), fullPage: true });

    // The review panel against the CLI.
    const queue = doge("review", "queue", "--week", "2025-W08", "--limit", "50").queue;
    const shown = await page.$$eval("#review-queue tbody tr", (trs) => trs.map((tr) => {
      const o = {};
      for (const td of tr.querySelectorAll("td[data-field]")) o[td.dataset.field] = td.textContent;
      return o;
    }));
    const wantQ = queue.map((q) => ({ reply: String(q.reply), state: q.state, priority: String(q.priority),
      employee_id: q.employee_id, department: q.department, note: q.note }));
    check("the review queue is doge --json review queue's", queue.length > 3 &&
      JSON.stringify(shown) === JSON.stringify(wantQ), JSON.stringify(shown.slice(0, 2)) + " vs " + JSON.stringify(wantQ.slice(0, 2)));
    check("the appealed reply is on top", shown.length && Number(shown[0].reply) === appealReply &&
      shown[0].state === "appealed", JSON.stringify(shown[0]));
    const rep = doge("pulse", "report", "--week", "2025-W08");
    const mix = await page.$$eval("#review-categories tbody tr", (trs) => trs.map((tr) =>
      [tr.dataset.category, Number(tr.querySelector("td[data-field=bullets]").textContent)]));
    check("the category mix is the report's", JSON.stringify(mix) ===
      JSON.stringify(rep.categories.map((c) => [c.category, c.bullets])), JSON.stringify(mix));
    const mean = (await page.textContent("#review-spec-mean")).trim();
    check("the mean specificity is the report's", mean === rep.specificity.mean.toFixed(2), mean);
    const bars = await page.$$eval("#review-hist .hist-bar", (b) => b.map((x) => Number(x.dataset.bullets)));
    check("one histogram bar per specificity bin", JSON.stringify(bars) ===
      JSON.stringify(rep.specificity.histogram.map((h) => h.bullets)), JSON.stringify(bars));

    // Expand the second item (the first is the appeal): its evidence.
    const pick = wantQ[1].reply;
    await page.click(`#review-queue tbody tr[data-reply="${pick}"]`);
    await page.waitForSelector(`#review-queue tr.evidence[data-reply="${pick}"] ol.bullets li`, { timeout: 30000 });
    const show = doge("review", "show", pick);
    const ev = await page.$$eval(`#review-queue tr.evidence[data-reply="${pick}"] ol.bullets li`, (lis) =>
      lis.map((li) => ({ text: li.querySelector(".bullet-text").textContent, category: li.dataset.category,
                         features: li.querySelectorAll(".feature").length })));
    check("expanding a reply shows its bullets as doge review show",
      JSON.stringify(ev.map((b) => [b.text, b.category])) ===
      JSON.stringify(show.bullets.map((b) => [b.text, b.category])), JSON.stringify(ev));
    check("each bullet shows its words and specificity features", ev.every((b) => b.features > 0));
    await page.screenshot({ path: path.join(shots, "serve_review.png"), fullPage: true });

    // A decision without a token opens the sign-in card; with a reviewer's
    // token it is recorded and the reply leaves the queue.
    const form = `#review-queue tr.evidence[data-reply="${pick}"] form.decide`;
    await page.selectOption(form + " select", "follow-up");
    await page.fill(form + " input[name=reason]", "Ask for the file numbers");
    await page.click(form + " button");
    await page.waitForSelector("#auth:not(.hidden)", { timeout: 30000 });
    check("a decision without a token asks to sign in", true);
    // Signing in records the decision that asked for it, then reloads.
    await page.fill("#token", process.env.REVIEWER_TOKEN);
    await page.click("#auth-form button");
    await page.waitForSelector("body[data-loaded='1']", { timeout: 30000 });
    check("signing in records the waiting decision: the reply leaves the queue",
      await page.$(`#review-queue tbody tr[data-reply="${pick}"]`) === null);
    const after = doge("review", "show", pick).decisions;
    check("the decision is recorded by the token's holder", after.length === 1 &&
      after[0].outcome === "follow-up" && after[0].by.startsWith("browser-reviewer#"), JSON.stringify(after));
    await page.screenshot({ path: path.join(shots, "serve_review_decided.png"), fullPage: true });

    // Drill down: the first department, then its first manager.
    const dept = want[0].department;
    await page.click(`#compliance tbody tr[data-department="${dept}"]`);
    await page.waitForSelector("#managers tbody tr", { timeout: 30000 });
    const mgrs = await page.$$eval("#managers tbody tr", (trs) => trs.map((t) => t.dataset.manager));
    check("a department drills down to its managers", mgrs.length > 0, mgrs.join(","));
    const crumb = (await page.textContent("#breadcrumb")).trim();
    check("the breadcrumb names the department", crumb === dept, crumb);
    await page.click(`#managers tbody tr[data-manager="${mgrs[0]}"]`);
    await page.waitForFunction((m) => document.querySelector("#breadcrumb").textContent.includes(m), mgrs[0]);
    check("a manager drills down further", true);
    await page.screenshot({ path: path.join(shots, "serve_drilldown.png"), fullPage: true });
    check("the page fetched nothing from another origin", foreign.length === 0, foreign.join(" "));
    check("no errors in the page's console", consoleErrors.length === 0, consoleErrors.join(" | "));
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`browser: ${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.log("FAIL " + e.stack); process.exit(1); });
