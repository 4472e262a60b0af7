# doge review run/queue/show/decide/appeal and doge pulse report: a small
# week end to end, and the errors a reviewer can make.
$ doge init ws >/dev/null && doge synth workforce --employees 400 --departments 4 --seed 9 -o roster.csv >/dev/null && doge -C ws roster import roster.csv >/dev/null && doge -C ws id new t.example/log >/dev/null 2>&1 && doge -C ws ledger init --key t.example/log >/dev/null && doge -C ws pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 >/dev/null && doge -C ws synth replies --week 2025-W08 --seed 4 -o r.mbox >/dev/null && echo ready
> ready

$ doge -C ws review queue --week 2025-W08
> (nothing waits for a reviewer in 2025-W08)

$ doge -C ws pulse ingest --no-receipts r.mbox
> review of 2025-W08:
> bullets (mean specificity
! trained review/model.bin from the built-in labelled set

$ test -s ws/review/model.bin && echo model
> model

$ doge -C ws --json review run --week 2025-W08
> "replies":
> "clusters":
json

$ doge -C ws review queue --week 2025-W08 --limit 5
> REPLY
> open

$ doge -C ws --json review queue --week 2025-W08 --limit 3
> "note":
> "priority":
json

$ doge -C ws review show $(doge -C ws --json review queue --week 2025-W08 --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["queue"][0]["reply"])')
> note:
> category
> specificity

$ doge -C ws --json review show $(doge -C ws --json review queue --week 2025-W08 --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["queue"][0]["reply"])')
> "bullets":
> "specificity_evidence":
json

# A decision goes into the ledger and takes the reply off the queue.
$ R=$(doge -C ws --json review queue --week 2025-W08 --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["queue"][0]["reply"])'); echo $R > reply.id; doge -C ws review decide $R --outcome ok --reason "checked with the manager" --by rev.1
> recorded: ledger entry

$ doge -C ws --json review queue --week 2025-W08 --limit 0 | python3 -c 'import json,sys; q=json.load(sys.stdin)["queue"]; print("gone" if all(i["reply"] != int(open("reply.id").read()) for i in q) else "still queued")'
> gone

$ doge -C ws ledger get $(doge -C ws --json review show $(cat reply.id) | python3 -c 'import json,sys; print(json.load(sys.stdin)["decisions"][0]["ledger_index"])')
> "kind":"review.decision"
> "outcome":"ok"
> "by":"rev.1"

# The respondent appeals: recorded in the ledger, back on the queue first.
$ doge -C ws review appeal $(cat reply.id) --reason "the bullets were mine"
> appeal on reply

$ doge -C ws --json review queue --week 2025-W08 --limit 1 | python3 -c 'import json,sys; i=json.load(sys.stdin)["queue"][0]; print(i["state"], i["reply"] == int(open("reply.id").read()))'
> appealed True

$ doge -C ws review appeal $(cat reply.id) --reason "x" --by somebody.else
? 1
! only the respondent

$ doge -C ws review decide $(cat reply.id) --outcome fire --reason x --by rev.1
? 1
! unknown outcome 'fire' (use ok, follow-up or escalate)

$ doge -C ws review decide $(cat reply.id) --outcome ok --reason "   " --by rev.1
? 1
! a decision needs a reason

$ doge -C ws review decide 999999 --outcome ok --reason x --by rev.1
? 1
! no reply 999999

$ doge -C ws review decide 12 --outcome ok
? 2
! decide needs REPLY --outcome ok|follow-up|escalate --reason TEXT --by ID

$ doge -C ws review queue
? 2
! queue needs --week W

$ doge -C ws review queue --week 2025-W01
? 1
! no campaign for 2025-W01

$ doge -C ws pulse report --week 2025-W08 -o report.html && grep -c '<svg class="chart"' report.html
> 5

$ doge -C ws --json pulse report --week 2025-W08
> "departments":
> "trend":
json

$ doge -C ws pulse report --week 2025-W08
? 2
! report needs -o FILE.html (or --json)

$ doge -C ws pulse ingest --no-receipts --no-review r.mbox
> already seen
