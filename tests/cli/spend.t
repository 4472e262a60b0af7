# doge synth awards and doge spend: usage errors (exit 2), input errors
# naming the file, line, byte and column (exit 1), malformed rows as
# diagnostics with the run going on (and --strict stopping), the ledger
# requirement, and the outputs of a small generated year. $W is a fresh
# folder.
$ doge spend
? 2
! needs a subcommand: audit or receipts

$ doge spend frobnicate
? 2
! unknown subcommand 'frobnicate'

$ doge spend audit
? 2
! audit: needs at least one award file

$ doge spend audit x.csv --threads 0
? 2
! --threads '0' is not 1 to 64

$ doge spend audit x.csv --frob
? 2
! audit: unknown option '--frob'

$ doge spend audit x.csv --exclusions
? 2
! option --exclusions needs a value

$ doge spend audit $W/missing.csv --no-ledger
? 1
! missing.csv: No such file or directory

$ doge spend receipts
? 2
! receipts: the subcommand is 'verify'

$ doge spend receipts verify $W/r.json
? 2
! needs --awards FILE...

$ doge spend receipts verify --awards $W/a.csv
? 2
! needs exactly one RECEIPTS file

$ doge synth awards -o $W/x.csv
? 2
! awards: missing --rows N

$ doge synth awards --rows 5000 --kind loans -o $W/x.csv
? 2
! --kind is contracts or assistance, not 'loans'

$ doge synth awards --rows 10 -o $W/x.csv
? 1
! --rows 10 (1000 to

$ doge synth awards --rows 4000 --seed 5 -o $W/c.csv --truth $W/c.truth.csv --receipts $W/r.json --exclusions $W/ex.csv
> wrote 4000 rows
> planted
> claims in
> exclusion records in

$ head -c 120 $W/c.csv
> contract_transaction_unique_key,contract_award_unique_key,award_id_piid,modification_number,transaction_number

$ doge synth awards --rows 4000 --seed 5 -o $W/same.csv --truth $W/t2 --receipts $W/r2.json --exclusions $W/e2 >/dev/null && cmp $W/c.csv $W/same.csv && cmp $W/r.json $W/r2.json && cmp $W/ex.csv $W/e2 && echo same-bytes
> same-bytes

$ head -1 $W/c.truth.csv; head -1 $W/r.json.truth.csv
> rule,key,class
> id,status,flags,verified

$ doge --json synth awards --rows 3000 --kind assistance --seed 2 -o $W/a.csv
json
> "kind": "assistance"
> "rows": 3000

$ head -c 40 $W/a.csv
> assistance_transaction_unique_key

# A header without the columns the audit needs names the first missing one.
$ printf 'contract_transaction_unique_key,foo\n1,2\n' > $W/bad.csv; doge spend audit $W/bad.csv --no-ledger
? 1
! bad.csv:1: missing required column 'contract_award_unique_key'

$ printf 'award,amount\n1,2\n' > $W/other.csv; doge spend audit $W/other.csv --no-ledger
? 1
! not a USAspending transaction file

# Malformed rows: a diagnostic each, and the run goes on.
$ (head -3 $W/c.csv; printf 'x,y,z\n'; sed -n 4,6p $W/c.csv) > $W/mal.csv; doge spend audit $W/mal.csv --no-ledger
> 5 rows (1 malformed)
! mal.csv:4: byte
! the row has 3 fields, the header has 297

$ doge spend audit $W/mal.csv --no-ledger --strict
? 1
! mal.csv:4: byte

# Without --no-ledger the workspace's ledger must exist.
$ cd $W && doge spend audit $W/c.csv
? 1
! use --no-ledger

$ doge spend audit $W/c.csv --exclusions $W/ex.csv --no-ledger --threads 2
> audited 1 file: 4000 rows (0 malformed)
> findings by rule:
> over_potential
> noncompeted
> agencies:

$ doge spend audit $W/c.csv --no-ledger --csv | head -1
= rule,key,agency_code,agency_name,recipient,amount,limit,score,evidence

$ doge --json spend audit $W/c.csv --no-ledger
json
> "findings": [
> "benford_band"

$ doge spend audit $W/c.csv --no-ledger --json --csv
? 2
! --json and --csv exclude each other

$ doge spend audit $W/c.csv --no-ledger --html $W/audit.html >/dev/null && grep -c '<svg' $W/audit.html
> 4

$ doge spend receipts verify $W/r.json --awards $W/c.csv --no-ledger
> verified
> by agency:
> contract-1
> lease-2

$ doge --json spend receipts verify $W/r.json --awards $W/c.csv --no-ledger
json
> "verifications": [

$ printf '{"contracts": [{"piid": "X1", "value": 1}]}' > $W/bad.json; doge spend receipts verify $W/bad.json --awards $W/c.csv --no-ledger
? 1
! bad.json: claim contract-1: missing required field 'savings'

# With a workspace and a ledger: one entry per finding and per claim.
$ doge init $W/ws >/dev/null && doge -C $W/ws id new spend.example/log >/dev/null && doge -C $W/ws ledger init --key spend.example/log >/dev/null && doge -C $W/ws spend audit $W/c.csv --exclusions $W/ex.csv | tail -1
> ledger:
> appended

$ doge -C $W/ws spend receipts verify $W/r.json --awards $W/c.csv | tail -1
> verifications appended

$ doge -C $W/ws ledger verify
> verified

# The latest results stay in the workspace for doge serve.
$ python3 -c "import json; a=json.load(open('$W/ws/reports/spend-audit.json')); r=json.load(open('$W/ws/reports/spend-receipts.json')); print('kept', type(a).__name__, type(r).__name__)"
> kept dict dict
