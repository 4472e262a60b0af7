// bench/spend_duckdb.js — the baseline of bench/spend.sh: DuckDB (from the
// npm package @duckdb/node-api, installed by the bench script into an
// ignored folder) running the seven rules of `doge spend audit` as SQL over
// the same USAspending contracts CSV and SAM.gov exclusions extract, with
// the same thread count. It reads the CSV once into a table of the columns
// the rules use (all text, cast as the rules need), runs the rules, and
// prints the wall time and the number of findings per rule, which the bench
// compares with doge's. Usage: node spend_duckdb.js NODE_DIR CSV EXCL THREADS
'use strict';
const path = require('path');
const [nodeDir, csv, excl, threads] = process.argv.slice(2);
const duckdb = require(path.join(nodeDir, 'node_modules', '@duckdb', 'node-api'));

const q = (s) => "'" + s.replace(/'/g, "''") + "'";

// The recipient-name normalisation of doge_spend_name_normalize, in SQL.
const norm = (x) => `regexp_replace(regexp_replace(regexp_replace(regexp_replace(trim(regexp_replace(
    regexp_replace(upper(${x}), '[.'']', '', 'g'), '[^A-Z0-9&\\x80-\\xff]+', ' ', 'g')),
    '( (INC|INCORPORATED|LLC|LLP|LP|LTD|LIMITED|CORP|CORPORATION|CO|COMPANY|PLLC|PC|PLC|GMBH|SA))+$', ''),
    '^THE ', ''), '^$', ''), '\\s+$', '')`;

const rules = {
  over_potential: `
    SELECT count(*) FROM (
      SELECT award, tot, pot, idv FROM t
      QUALIFY row_number() OVER (PARTITION BY award ORDER BY action_date DESC, lpad(modn, 24, '0') DESC) = 1)
    WHERE idv <> 'IDV' AND pot > 0 AND tot > pot`,
  after_end: `
    SELECT count(DISTINCT award) FROM t WHERE fao > 0 AND action_date > pop_end`,
  duplicate: `
    WITH k AS (
      SELECT award, uei || '|' || CASE WHEN uei = '' THEN upper(rname) ELSE '' END AS who, fao,
             action_date, regexp_replace(upper(trim(descr)), '\\s+', ' ', 'g') AS d
      FROM t WHERE fao > 0 AND descr <> '' AND action_date IS NOT NULL),
    g AS (SELECT who, fao, action_date, d FROM k GROUP BY ALL HAVING count(DISTINCT award) > 1)
    SELECT count(DISTINCT award) FROM k JOIN g USING (who, fao, action_date, d)`,
  split: `
    WITH base AS (
      SELECT award, agency, office, uei, rname, min(action_date) AS d,
             arg_max(fao, fao) AS amt
      FROM t WHERE regexp_matches(modn, '^0*$') AND idv <> 'IDV' AND action_date IS NOT NULL
      GROUP BY ALL),
    c AS (
      SELECT *, CASE WHEN amt >= 8000 AND amt < 10000 THEN 10000
                     WHEN amt >= 200000 AND amt < 250000 THEN 250000 END AS lim
      FROM base),
    w AS (
      SELECT i.award AS start, i.lim, i.agency, i.office, i.uei, i.rname, i.d,
             sum(j.amt) AS s, count(*) AS n
      FROM c i JOIN c j ON i.lim = j.lim AND i.agency = j.agency AND i.office = j.office
        AND i.uei = j.uei AND i.rname = j.rname AND j.d BETWEEN i.d AND i.d + 30
      WHERE i.lim IS NOT NULL
      GROUP BY ALL HAVING count(*) >= 2 AND sum(j.amt) > i.lim)
    SELECT count(DISTINCT j.award) FROM w JOIN c j ON w.lim = j.lim AND w.agency = j.agency
      AND w.office = j.office AND w.uei = j.uei AND w.rname = j.rname
      AND j.d BETWEEN w.d AND w.d + 30`,
  excluded: `
    WITH x AS (
      SELECT coalesce("Unique Entity ID", '') AS xuei,
             ${norm(`CASE WHEN coalesce("Name", '') <> '' THEN "Name"
                     ELSE concat_ws(' ', nullif("First", ''), nullif("Middle", ''), "Last") END`)} AS xname,
             coalesce(try_strptime("Active Date", '%m/%d/%Y')::DATE, DATE '0001-01-01') AS a,
             coalesce(try_strptime("Termination Date", '%m/%d/%Y')::DATE, DATE '9999-12-31') AS e
      FROM read_csv(${q(excl)}, header = true, all_varchar = true)),
    r AS (SELECT award, uei, ${norm('rname')} AS n, action_date FROM t)
    SELECT count(DISTINCT award) FROM (
      SELECT award FROM r JOIN x ON r.uei <> '' AND r.uei = x.xuei
        AND r.action_date BETWEEN x.a AND x.e
      UNION ALL
      SELECT award FROM r JOIN x ON r.n <> '' AND r.n = x.xname AND (r.uei = '' OR x.xuei = '')
        AND r.action_date BETWEEN x.a AND x.e)`,
  benford: `
    WITH d AS (
      SELECT agency, CAST(left(CAST(CAST(floor(fao) AS BIGINT) AS VARCHAR), 1) AS INT) AS digit
      FROM t WHERE fao >= 10),
    n AS (SELECT agency, count(*) AS total FROM d GROUP BY agency),
    c AS (SELECT agency, digit, count(*) AS k FROM d GROUP BY ALL),
    m AS (
      SELECT n.agency, n.total,
             sum(abs(coalesce(c.k, 0) / n.total - log10(1 + 1 / g.digit))) / 9 AS mad
      FROM n CROSS JOIN range(1, 10) g(digit)
      LEFT JOIN c ON c.agency = n.agency AND c.digit = g.digit
      GROUP BY ALL)
    SELECT count(*) FROM m WHERE total >= 1000 AND mad > 0.015`,
  noncompeted: `
    SELECT count(*) FROM (
      SELECT agency,
             sum(fao) FILTER (WHERE ec IN ('B', 'C', 'G', 'NDO')) AS nc,
             sum(fao) FILTER (WHERE ec IN ('A', 'B', 'C', 'D', 'E', 'F', 'G', 'CDO', 'NDO')) AS known
      FROM t WHERE fao > 0 GROUP BY agency)
    WHERE known > 0 AND nc / known > 0.5`,
};

(async () => {
  const t0 = process.hrtime.bigint();
  const db = await duckdb.DuckDBInstance.create(':memory:', { threads: String(threads) });
  const con = await db.connect();
  await con.run(`CREATE TABLE t AS SELECT
      contract_award_unique_key AS award,
      modification_number AS modn,
      CAST(federal_action_obligation AS DECIMAL(18, 2)) AS fao,
      CAST(total_dollars_obligated AS DECIMAL(18, 2)) AS tot,
      CAST(potential_total_value_of_award AS DECIMAL(18, 2)) AS pot,
      CAST(action_date AS DATE) AS action_date,
      CAST(period_of_performance_current_end_date AS DATE) AS pop_end,
      awarding_agency_code AS agency,
      awarding_office_code AS office,
      coalesce(recipient_uei, '') AS uei,
      coalesce(recipient_name, '') AS rname,
      coalesce(transaction_description, '') AS descr,
      coalesce(extent_competed_code, '') AS ec,
      coalesce(award_or_idv_flag, '') AS idv
    FROM read_csv(${q(csv)}, header = true, all_varchar = true, parallel = true)`);
  const t1 = process.hrtime.bigint();
  const counts = {};
  for (const [name, sql] of Object.entries(rules)) {
    const r = await con.runAndReadAll(sql);
    counts[name] = Number(r.getRows()[0][0]);
  }
  const t2 = process.hrtime.bigint();
  const secs = Number(t2 - t0) / 1e9;
  console.log(JSON.stringify({ seconds: secs, load_seconds: Number(t1 - t0) / 1e9, counts }));
})().catch((e) => { console.error('duckdb:', e.message || e); process.exit(1); });
