// tests/scripts/lib/serve_browser.js — run by serve_browser.sh under node:
// drives Debian's headless chromium through playwright-core. An employee
// opens the form link, writes bullets and submits; the receipt shows the
// ledger entry. Then the dashboard: its figures per department and in
// total must equal `doge pulse status --json` (taken after the submit),
// a department drills down to its managers, the ledger panel shows the
// size, the review and spend panels say "not available", and the page
// asks nothing of any other origin. Screenshots go to SHOTS.
// Usage: node serve_browser.js BASE_URL FORM_TOKEN STATUS_CMD... (env:
// PLAYWRIGHT_CORE, SHOTS, LEDGER_SIZE_CMD)
"use strict";
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const os = require("os");

const [base, token, ...statusCmd] = process.argv.slice(2);
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
    // The review and spend panels' routes are not on this server: their 404s
    // are expected; any other console error is not.
    const expected404 = ["/api/review/queue", "/api/spend/findings"];
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

    // The CLI's figures, after the submit.
    const status = JSON.parse(execFileSync(statusCmd[0], statusCmd.slice(1)).toString());

    // The dashboard.
    await page.goto(base + "/");
    await page.waitForSelector("body[data-loaded='1']", { timeout: 20000 });
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
    check("the ledger panel shows the size, past the receipt's entry", ledgerSize === Number(index) + 1,
      ledgerSize + " vs " + index);
    const sigs = await page.$$eval("#ledger-signatures li", (l) => l.map((x) => x.dataset.kind));
    check("the ledger panel lists the log's signature", sigs.includes("log"), sigs.join(","));
    const review = (await page.textContent("#panel-review .state")).trim();
    const spend = (await page.textContent("#panel-spend .state")).trim();
    check("the review panel says not available", review === "Not available on this server.", review);
    check("the spend panel says not available", spend === "Not available on this server.", spend);
    await page.screenshot({ path: path.join(shots, "serve_dashboard.png"), fullPage: true });

    // Drill down: the first department, then its first manager.
    const dept = want[0].department;
    await page.click(`#compliance tbody tr[data-department="${dept}"]`);
    await page.waitForSelector("#managers tbody tr", { timeout: 10000 });
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
