#!/bin/bash
# tests/scripts/review_dupes.sh — copy-paste clusters against the synthetic
# replies' ground truth: a week of replies from a 20,000-person workforce in
# 25 departments (5,000 under the sanitizers), where about 4% of repliers
# paste their department's 5-bullet template (style "template" in the
# generator's truth file). Every two template repliers of one department
# whose reply was accepted are a true pair; every two replies in one
# cluster of `doge review clusters --csv` a predicted pair. Pairwise
# precision and recall must both be at least 0.95.
# Usage: review_dupes.sh DOGE_BINARY [EMPLOYEES]
set -u
DOGE=$1
if [ "${DOGE_SANITIZED:-}" = 1 ]; then default_n=5000; else default_n=20000; fi
N=${2:-$default_n}
WEEK=2025-W08
echo "review_dupes: $N employees"
T=$(mktemp -d "${TMPDIR:-/tmp}/doge-dupes.XXXXXX")
trap 'rm -rf "$T"' EXIT
d() { "$DOGE" -C "$T/ws" --quiet "$@"; }
step() { # step NAME COMMAND...: stop at the first failure
    if ! "$@"; then
        echo "FAIL $1: $*"
        exit 1
    fi
}

step "$DOGE" init "$T/ws" >/dev/null
step "$DOGE" synth workforce --employees "$N" --departments 25 --seed 1 -o "$T/roster.csv" >/dev/null
step d roster import "$T/roster.csv" >/dev/null
step d id new pulse.example/log >/dev/null 2>&1
step d ledger init --key pulse.example/log >/dev/null
step d pulse open --week "$WEEK" --deadline 2025-02-24T23:59-05:00 --domain pulse.example
step d synth replies --week "$WEEK" --seed 3 -o "$T/replies.mbox" >/dev/null
step d pulse ingest --no-receipts "$T/replies.mbox" >/dev/null
step d review clusters --week "$WEEK" --csv >"$T/clusters.csv"
test -s "$T/replies.mbox.truth.csv" || { echo "FAIL no truth file"; exit 1; }

# truth: employee_id,"department",outcome,style,... (the department quoted);
# clusters: cluster,employee_id,reply_id,department.
awk -v truth="$T/replies.mbox.truth.csv" '
BEGIN {
    FS = ","
    while ((getline line < truth) > 0) {
        if (line ~ /^employee_id,/)
            continue
        nq = split(line, q, "\"")            # id, | department | ,outcome,style,...
        id = q[1]; sub(/,$/, "", id)
        split(q[3], rest, ",")               # "" outcome style ...
        if ((rest[2] == "on_time" || rest[2] == "late") && rest[3] == "template") {
            tdept[id] = q[2]
            per[q[2]]++
        }
    }
    for (k in per)
        true_pairs += per[k] * (per[k] - 1) / 2
}
NR == 1 { next }
{
    size[$1]++
    if ($2 in tdept)
        both[$1 SUBSEP tdept[$2]]++
}
END {
    for (c in size)
        predicted += size[c] * (size[c] - 1) / 2
    for (k in both)
        tp += both[k] * (both[k] - 1) / 2
    precision = predicted ? tp / predicted : 0
    recall = true_pairs ? tp / true_pairs : 0
    printf "template repliers %d in %d departments; true pairs %d, predicted %d, both %d\n", \
        length(tdept), length(per), true_pairs, predicted, tp
    printf "pairwise precision %.4f recall %.4f\n", precision, recall
    if (true_pairs == 0 || precision < 0.95 || recall < 0.95) {
        print "FAIL precision and recall must both be at least 0.95"
        exit 1
    }
    print "ok   precision and recall at least 0.95"
}' "$T/clusters.csv"
