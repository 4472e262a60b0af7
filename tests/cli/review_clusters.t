# doge review clusters: usage and input
# errors name the problem; a small synthetic week gives its department
# templates as clusters in text, --csv and --json.
$ doge review clusters
? 2
! needs --week W

$ doge review clusters --week 2025-W08 --threshold 1.5
? 2
! --threshold wants a number in (0, 1], not '1.5'

$ doge review clusters --week 2025-W08 --threads 0
? 2
! --threads wants 1 to 64, not '0'

$ doge review clusters --week 2025-W08 --limit -3
? 2
! --limit '-3' is not a non-negative whole number

$ doge review clusters --week 2025-W08 --frob
? 2
! unexpected '--frob'

$ doge review clusters --week
? 2
! --week needs a value

$ doge --json review clusters --week 2025-W08 --csv
? 2
! --csv or --json, not both

$ doge init ws >/dev/null && doge -C ws review clusters --week 2025-W08
? 1
! no campaign for 2025-W08

$ doge review clusters --help
> doge review clusters --week W [--threshold J]

$ doge synth workforce --employees 600 --departments 2 --seed 4 -o r.csv >/dev/null && doge -C ws --quiet roster import r.csv >/dev/null && doge -C ws --quiet id new p.example/log >/dev/null 2>&1 && doge -C ws --quiet ledger init --key p.example/log >/dev/null && doge -C ws --quiet pulse open --week 2025-W08 --deadline 2025-02-24T23:59-05:00 --domain p.example && doge -C ws --quiet synth replies --week 2025-W08 --seed 3 -o m.mbox >/dev/null && doge -C ws --quiet pulse ingest --no-receipts m.mbox >/dev/null && doge -C ws review clusters --week 2025-W08 --threads 2
> 2025-W08:
> exact copies), lowest similarity 1.00
> representative: reply

$ doge -C ws review clusters --week 2025-W08 --csv --limit 1 | head -2
> cluster,employee_id,reply_id,department
> 1,E0

$ doge -C ws --json review clusters --week 2025-W08 --threshold 0.9
json
> "clusters": [
> "min_jaccard": 1.0
> "exact":
