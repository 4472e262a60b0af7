# doge synth workforce and doge roster, end to end: a synthetic workforce is
# deterministic for its seed, imports whole, shows and counts; an edited file
# re-imports as joined/left/moved; bad files list every error by line, exit 1
# and import nothing. $W is a fresh folder.
$ doge init $W/ws
> Initialized doge workspace in

$ doge synth workforce --employees 2000 --departments 8 --seed 42 -o $W/w.csv
> wrote 2000 employees in 8 departments to
> deepest chain

$ head -1 $W/w.csv
= employee_id,name,email,department,manager_id,aliases,title,location

$ doge synth workforce -n 2000 -d 8 -s 42 -o $W/same.csv >/dev/null && cmp $W/w.csv $W/same.csv && echo same-bytes
> same-bytes

$ doge synth workforce --employees=2000 --departments=8 --seed=43 -o $W/other.csv >/dev/null && (cmp -s $W/w.csv $W/other.csv || echo different-bytes)
> different-bytes

$ doge --json synth workforce --employees 300 --departments 4 --seed 1 -o $W/small.csv
json
> "employees": 300
> "departments": 4

$ doge synth workforce --employees 50 --departments 3 --seed 1 --domain-suffix gov.example -o - | sed -n 2p
> @dod.gov.example,Department of Defense,,

$ doge -C $W/ws roster stats
> employees    0 active, 0 left
> last import  none

$ doge -C $W/ws roster import $W/w.csv
> imported
> rows/s
> joined 2000, left 0, moved 0, updated 0, unchanged 0; 2000 active

$ doge -C $W/ws roster stats
> employees    2000 active, 0 left
> departments  8
> Department of Defense
> last import  1 at

$ doge -C $W/ws --json roster stats
json
> "active": 2000
> "department_count": 8
> "tops": 8

$ doge -C $W/ws roster show E0000001
> employee_id  E0000001
> department   Department of Defense
> manager      none (top of the chain)
> title        Secretary
> location     Washington, DC

$ doge -C $W/ws roster show "$(awk -F, 'NR==3{print toupper($3)}' $W/w.csv)"
> employee_id  E0000002
> manager      E0000001

$ doge -C $W/ws --json roster show E0000500
json
> "employee_id": "E0000500"
> "chain": [

$ doge -C $W/ws roster show --department "Department of Veterans Affairs" | head -1 | cut -f4
= Department of Veterans Affairs

$ doge -C $W/ws roster show | wc -l
> 2000

$ doge -C $W/ws --json roster show --manager E0000001
json

$ doge -C $W/ws roster show nobody@nowhere.gov
? 1
! no employee with address 'nobody@nowhere.gov'

# Re-import after edits: E0000100 changes department, E0000500 changes
# manager, the last employee (a leaf) is removed, and N1 is added.
$ awk -F, -v OFS=, 'NR==101{$4="Department of Energy"} NR==501{$5="E0000001"} 1' $W/w.csv | sed '$d' > $W/w2.csv && printf 'N1,New Person,new.person@opm.gov,Office of Personnel Management,E0000001,,Analyst,"Washington, DC"\n' >> $W/w2.csv && doge -C $W/ws roster import $W/w2.csv
> joined 1, left 1, moved 2, updated 0, unchanged 1997; 2000 active

$ doge -C $W/ws roster changes
> import 2  moved   E0000100  Department of Defense (manager E0000011) -> Department of Energy (manager E0000011)
> import 2  moved   E0000500  Department of Defense (manager E0000049) -> Department of Defense (manager E0000001)
> import 2  left    E0002000
> import 2  joined  N1  Office of Personnel Management (manager E0000001)

$ doge -C $W/ws --json roster changes --import 2
json
> "kind": "left"

$ doge -C $W/ws roster show E0002000
> active       no (left)
> left    E0002000

$ doge -C $W/ws roster stats
> employees    2000 active, 1 left
> last import  2 at
> joined 1, left 1, moved 2

$ doge -C $W/ws --json roster import $W/w2.csv
json
> "unchanged": 2000
> "moved": 0

# Bad files: every error by line, exit 1, nothing imported.
$ printf 'employee_id,name,email,department,manager_id\nE1,Ann,ann@x.gov,D,\nE2,Bob,bob@@x,D,E1\nE1,Cy,cy@x.gov,D,E9\nE4,Di,ANN@X.GOV,D,E1\n' > $W/bad.csv && doge -C $W/ws roster import $W/bad.csv
? 1
! bad.csv:3: field 'email': 'bob@@x' is not an e-mail address
! bad.csv:4: field 'employee_id': 'E1' is a duplicate of line 2
! bad.csv:4: field 'manager_id': 'E9' is not the employee_id of anyone in this file
! bad.csv:5: field 'email': 'ANN@X.GOV' is already used on line 2
! 4 errors; nothing was imported

$ printf 'employee_id,name,email,department,manager_id\nE1,Ann,ann@x.gov,D,E3\nE2,Bob,bob@x.gov,D,E1\nE3,Cy,cy@x.gov,D,E2\n' > $W/cycle.csv && doge -C $W/ws roster import $W/cycle.csv
? 1
! cycle.csv:2: field 'manager_id': the manager chain forms a cycle: E1 (line 2) -> E3 (line 4) -> E2 (line 3) -> E1
! 1 error; nothing was imported

$ printf 'employee_id,name,email,manager_id\nE1,Ann,ann@x.gov,\n' > $W/nodept.csv && doge -C $W/ws roster import $W/nodept.csv
? 1
! nodept.csv:1: missing required column 'department'

$ printf 'employee_id,name,email,department,manager_id\nE1,"Ann,ann@x.gov,D,\n' > $W/quote.csv && doge -C $W/ws roster import $W/quote.csv
? 1
! quote.csv:2: byte 45: a quoted field is never closed

$ (echo employee_id,name,email,department,manager_id; for i in $(seq 1 60); do echo "E$i,N,bad$i@@x,D,"; done) > $W/many.csv && doge -C $W/ws roster import $W/many.csv 2>&1 | tail -2
> many.csv:51: field 'email': 'bad50@@x' is not an e-mail address
> many.csv: 60 errors (the first 50 by line are listed); nothing was imported

$ doge -C $W/ws --json roster import $W/bad.csv
? 1
json
> "imported": false
> "error_count": 4

$ doge -C $W/ws roster stats
> employees    2000 active, 1 left
> last import  3 at

$ doge -C $W/ws roster import $W/missing.csv
? 1
! missing.csv: No such file or directory

# Usage errors.
$ doge roster
? 2
! needs a subcommand

$ doge roster frob
? 2
! unknown subcommand 'frob'

$ doge roster import
? 2
! import: missing

$ doge roster stats extra
? 2
! unexpected argument 'extra'

$ doge roster show E1 --all
? 2
! do not go with an id or address

$ doge synth
? 2
! needs a kind of data: workforce

$ doge synth people
? 2
! unknown kind of data 'people'

$ doge synth workforce --employees 10
? 2
! missing -o FILE

$ doge synth workforce --employees ten -o $W/x.csv
? 2
! --employees 'ten' is not a non-negative whole number

$ doge synth workforce --employees 10 --bogus 1 -o $W/x.csv
? 2
! unknown option '--bogus'

$ doge synth workforce --employees 0 -o $W/x.csv
? 1
! --employees 0 is out of range

$ doge roster --help
> Usage: doge roster import FILE.csv

$ doge synth --help
> Usage: doge synth workforce
