# doge review: train the bullet classifier on the built-in labelled set,
# evaluate it on the held-out split (the acceptance: macro-F1 >= 0.80,
# asserted by --min-macro-f1), explain bullets as text and JSON, and the
# errors: no workspace, no model yet, bad options, a bad labelled file, a
# model evaluated against another set. $W is a fresh folder.
$ doge -C $W/none review eval
? 1
! no doge workspace

$ doge init $W/ws
> Initialized doge workspace in

$ doge -C $W/ws review eval
? 1
! no review model in this workspace yet
! doge review train

$ doge -C $W/ws review explain "Answered 40 calls"
? 1
! doge review train

$ doge -C $W/ws review train
> trained on
> labelled bullets from built-in data/review/bullets.tsv
> seed 1, test share 0.20
> wrote
> review/model.bin

# The acceptance: macro-F1 on the held-out split, asserted.
$ doge -C $W/ws review eval --min-macro-f1 0.80
> held-out split:
> category               precision  recall      f1  support
> mission_delivery
> unspecified
> macro-F1
> confusion matrix (rows: true category, columns: predicted)
> meets the minimum 0.800

$ doge -C $W/ws --json review eval --min-macro-f1 0.80
json
> "passed": true
> "macro_f1":
> "confusion":

$ doge -C $W/ws review eval --min-macro-f1 0.999
? 1
! is below the minimum 0.999

# Deterministic: the same seed gives the same model bytes.
$ cp $W/ws/review/model.bin $W/first.bin && doge -C $W/ws review train >/dev/null && cmp $W/first.bin $W/ws/review/model.bin && echo same-bytes
> same-bytes

$ doge -C $W/ws review explain "Processed 45 benefit claims for veterans in the Denver region"
> category     service_to_public
> features
> specificity
> number 
> "45"
> people_served

$ doge -C $W/ws --json review explain "Worked on various tasks"
json
> "category": "unspecified"
> "specificity_evidence"
> "feature": "vague"

$ printf 'Patched 40 servers\nOn annual leave all week\n\n' | doge -C $W/ws --json review explain -
json
> "category": "it_operations"
> "category": "leave_absence"

$ doge -C $W/ws review explain "Attended the weekly staff meeting" "Out sick"
> coordination_meetings
> leave_absence

# Another labelled set: a bad one names file:line; a good one trains, and
# evaluating the model against the built-in set is refused.
$ printf 'mission_delivery\tRan the model\nmisson_delivery\tTypo\n' > $W/bad.tsv && doge -C $W/ws review train --data $W/bad.tsv
? 1
! bad.tsv:2: unknown category 'misson_delivery'

$ printf 'leave_absence\tOn leave\nleave_absence\tOut sick\nunspecified\tStuff\nunspecified\tN/A\n' > $W/small.tsv && doge -C $W/ws review train --data $W/small.tsv --test-share 0.5 --seed 3 --epochs 5
> trained on 2 of 4 labelled bullets
> seed 3, test share 0.50

$ doge -C $W/ws review eval
? 1
! the model was trained from another labelled set
! doge review train

$ doge -C $W/ws review eval --data $W/small.tsv
> held-out split: 2 of 4 bullets

$ doge -C $W/ws review train --test-share 0 >/dev/null && doge -C $W/ws review eval
? 1
! no held-out part to evaluate

# Usage errors exit 2.
$ doge -C $W/ws review
? 2
! needs a subcommand

$ doge -C $W/ws review frobnicate
? 2
! unknown subcommand 'frobnicate'

$ doge -C $W/ws review train --seed x
? 2
! --seed wants a whole number

$ doge -C $W/ws review train --test-share 1.5
? 2
! --test-share wants a number

$ doge -C $W/ws review train --bogus
? 2
! unknown option '--bogus'

$ doge -C $W/ws review explain
? 2
! missing TEXT

$ doge review --help
> Usage: doge review train
> docs/review.md

$ doge --help
> review
