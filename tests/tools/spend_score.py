#!/usr/bin/env python3
"""spend_score.py — scores `doge spend` output against the synthetic
generator's ground truth. `audit TRUTH FINDINGS.csv` prints precision and
recall per rule (precision over every finding of the rule, recall over the
planted keys) and any finding on a clean control key, and exits 1 unless
both are 1.0 for every rule with planted keys and no clean key was hit.
`receipts TRUTH VERIFY.csv` compares each claim's status, flags and
verified amount with the truth and exits 1 on any difference."""
import csv, sys

def audit(truth_path, findings_path):
    planted, clean = {}, {}
    for r in csv.DictReader(open(truth_path, newline="")):
        (planted if r["class"] == "planted" else clean).setdefault(r["rule"], set()).add(r["key"])
    found = {}
    for r in csv.DictReader(open(findings_path, newline="")):
        found.setdefault(r["rule"], set()).add(r["key"])
    rules = ["over_potential", "after_end", "duplicate", "split", "excluded", "benford", "noncompeted"]
    ok = True
    print(f"{'rule':<15} {'planted':>7} {'clean':>5} {'found':>5} {'precision':>9} {'recall':>6} clean-hits")
    for rule in rules:
        p, c, f = planted.get(rule, set()), clean.get(rule, set()), found.get(rule, set())
        tp = len(p & f)
        prec = tp / len(f) if f else 1.0
        rec = tp / len(p) if p else 1.0
        hits = f & c
        print(f"{rule:<15} {len(p):>7} {len(c):>5} {len(f):>5} {prec:>9.3f} {rec:>6.3f} {len(hits)}")
        if (p or f) and (prec != 1.0 or rec != 1.0):
            ok = False
            for k in sorted(f - p)[:5]: print("   unexpected:", k)
            for k in sorted(p - f)[:5]: print("   missed:", k)
        if hits:
            ok = False
    # Any finding on any clean control, whatever its rule.
    allclean = set().union(*clean.values()) if clean else set()
    for rule, keys in found.items():
        if rule in ("benford", "noncompeted"):
            continue
        bad = keys & allclean
        if bad:
            ok = False
            print(f"   {rule} on clean controls:", sorted(bad)[:5])
    return ok

def receipts(truth_path, verify_path):
    want = {r["id"]: r for r in csv.DictReader(open(truth_path, newline=""))}
    got = {r["id"]: r for r in csv.DictReader(open(verify_path, newline=""))}
    ok = len(want) == len(got)
    if not ok:
        print(f"claims: {len(got)} verified, {len(want)} in the truth")
    good = 0
    for cid, w in want.items():
        g = got.get(cid)
        if g is None:
            print("missing claim", cid); ok = False; continue
        same = (g["status"] == w["status"] and g["flags"] == w["flags"]
                and float(g["verified"]) == float(w["verified"]))
        if same:
            good += 1
        else:
            ok = False
            print(f"{cid}: got {g['status']} [{g['flags']}] {g['verified']}, "
                  f"want {w['status']} [{w['flags']}] {w['verified']}")
    print(f"receipts: {good} of {len(want)} claims match the truth (status, flags, verified amount)")
    return ok

if __name__ == "__main__":
    mode, truth, out = sys.argv[1:4]
    sys.exit(0 if (audit if mode == "audit" else receipts)(truth, out) else 1)
