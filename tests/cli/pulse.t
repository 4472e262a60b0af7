# doge pulse: usage and input errors name the problem; a small week works.
$ doge init ws >/dev/null && doge -C ws pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00
? 1
! no active employee

$ doge -C ws pulse open --week 2025-W99 --deadline 2025-02-24T23:59-05:00
? 1
! 2025-W99

$ doge -C ws pulse open --week 2025-W08 --deadline tomorrow
? 1
! tomorrow

$ doge -C ws pulse open --week 2025-W08
? 2
! needs --week W and --deadline TIME

$ doge -C ws pulse send --week 2025-W08
? 1
! no campaign for 2025-W08

$ doge -C ws pulse send --week 2025-W08 --rate 5
? 2
! SMTP options need --smtp URL

$ doge -C ws pulse status --week 2025-W08
? 1
! no campaign for 2025-W08

$ doge -C ws pulse ingest
? 2
! ingest needs SOURCE

$ doge -C ws pulse frob
? 2
! unknown subcommand 'frob'

$ doge synth workforce --employees 40 --departments 2 --seed 3 -o r.csv >/dev/null && doge -C ws roster import r.csv >/dev/null && doge -C ws pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 --domain p.example
> 40 requests

$ doge -C ws pulse ingest nothing.mbox
? 1
! no ledger yet

$ doge -C ws id new p.example/log >/dev/null 2>&1 && doge -C ws ledger init --key p.example/log >/dev/null && doge -C ws pulse ingest nothing.mbox
? 1
! nothing.mbox

$ echo 'not mail' > junk && doge -C ws pulse ingest junk
? 1
! junk:1: not an mbox file

$ mkdir -p folder && doge -C ws pulse ingest folder
? 1
! not a Maildir

$ doge -C ws pulse send --week 2025-W08 >/dev/null && doge -C ws synth replies --week 2025-W08 -o rep.mbox >/dev/null && doge -C ws --json pulse ingest rep.mbox
json
> "unmatched": 0

$ doge -C ws pulse status --week 2025-W08 --csv
> department,expected,replied,on_time,late,auto_reply_only,bounced,not_replied
> total,40,

$ doge -C ws pulse status --week 2025-W08 --non-responders --csv
> employee_id,name,email,department,status

$ doge -C ws pulse status --week 2025-W08 --manager NOBODY
? 1
! no employee 'NOBODY'

$ doge -C ws pulse status --week 2025-W08 --csv --json
? 2
