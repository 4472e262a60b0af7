# doge ledger and doge witness end to end: a log, two department witnesses,
# cosigning, tlog-proofs checked offline against a 2-of-2 tlog-policy, and a
# forked log refused. $W is a fresh folder; commands run in it.
$ doge init L && doge -C L id new doge.example/log
> doge.example/log+

$ doge -C L ledger checkpoint
? 1
! has no ledger yet

$ doge -C L ledger init
? 2
! init needs --key NAME

$ doge -C L ledger init --key nosuchkey
? 1
! nosuchkey

$ doge -C L ledger init --key doge.example/log
> Created ledger 'doge.example/log'

$ doge -C L ledger init --key doge.example/log
? 1
! already has a ledger

$ doge -C L --json ledger checkpoint
json
> "size": 0

$ printf 'alpha\nbeta\r\ngamma\n' | doge -C L ledger append --lines -
= 0
= 1
= 2

$ printf 'a whole file\nof two lines\n' > f.txt && doge -C L --json ledger append f.txt
json
> 3

$ doge -C L ledger get 1 && echo '|'
= beta|

$ doge -C L ledger get 3
> of two lines

$ doge -C L ledger get 4
? 1
! entry 4 is not in the log (size 4)

$ doge -C L ledger get x
? 2
! index 'x' is not a non-negative whole number

$ head -c 65536 /dev/zero > big && doge -C L ledger append big
? 1
! larger than the 65535-byte limit

$ doge -C L ledger verify
> ledger doge.example/log: OK
> 4 entries

$ doge -C L --json ledger verify
json
> "ok": true

$ doge -C L ledger prove 1 > p1 && head -2 p1
> c2sp.org/tlog-proof@v1
> index 1

$ doge -C L ledger prove 9
? 1
! not in the tree of size 4

$ doge -C L ledger prove 1 --from 0
? 2

$ doge -C L ledger prove --from 2 > req2 && head -1 req2
= old 2

# Two department witnesses follow the log and cosign its checkpoint.
$ for w in W1 W2; do doge init $w && doge -C $w id new $w.example/witness --witness && doge -C $w witness add-log L/keys/doge.example_log.pub || exit 1; done
> following log 'doge.example/log'

$ doge -C W1 witness status
> never cosigned

$ doge -C L ledger prove --from 0 > req0 && doge -C W1 witness cosign req0 > c1 && doge -C W2 witness cosign L/ledger/checkpoint > c2 && cat c1 c2
> — W1.example/witness
> — W2.example/witness

$ doge -C W1 --json witness status
json
> "cosigned_size": 4

$ doge -C L ledger cosign-add c1
? 1
! not a valid cosignature

$ cp W1/keys/W1.example_witness.pub W2/keys/W2.example_witness.pub L/keys/ && cat c1 c2 | doge -C L ledger cosign-add -
> attached 2 cosignature(s)

$ cat c1 | doge -C L ledger cosign-add -
> attached 0 cosignature(s)

$ doge -C L ledger verify
> 3 signature(s) verified

$ { echo "log $(cat L/keys/doge.example_log.pub)"; echo "witness w1 $(cat W1/keys/W1.example_witness.pub)"; echo "witness w2 $(cat W2/keys/W2.example_witness.pub)"; echo "group both all w1 w2"; echo "quorum both"; } > policy && doge -C L ledger prove 1 > p1 && printf beta > e1 && doge ledger verify-proof p1 e1 --policy policy
> OK: entry 1 is in the log (tree size 4), 2 witness cosignature(s)

$ printf gamma > e2 && doge ledger verify-proof p1 e2 --policy policy
? 1
! the entry is not at index 1

$ sed 's/^index 1$/index 2/' p1 > p1b && doge ledger verify-proof p1b e1 --policy policy
? 1
! not at index 2

$ grep -v W2.example p1 > p1c && doge ledger verify-proof p1c e1 --policy policy
? 1
! does not meet the policy's quorum 'both'

$ sed 's/^quorum both$/quorum w1/' policy > policy1 && doge ledger verify-proof p1c e1 --policy policy1
> 1 witness cosignature(s)

$ printf 'log nonsense\nquorum none\n' > badpolicy && doge ledger verify-proof p1 e1 --policy badpolicy
? 1
! badpolicy:1: log key

$ doge ledger verify-proof p1 e1
? 2
! needs PROOF ENTRY --policy FILE

# The log grows; witnesses follow with consistency proofs.
$ printf 'delta\nepsilon\n' | doge -C L ledger append --lines - && doge -C L ledger prove --from 4 > req4 && doge -C W1 witness cosign req4
> — W1.example/witness

$ doge -C W2 witness cosign L/ledger/checkpoint
? 1
! give --proof with a consistency proof from there

$ doge -C W2 witness cosign L/ledger/checkpoint --proof req4
> — W2.example/witness

$ doge -C W1 witness cosign req0
? 1
! witness refused (409)
! last cosigned size: 6

$ doge -C L ledger prove 0 --size 4 > p0 && printf alpha > e0 && doge ledger verify-proof p0 e0 --policy policy
> tree size 4

$ doge -C L ledger prove --from 2 --to 4 > r24 && head -1 r24 && tail -3 r24
> old 2
> — W2.example/witness

# A fork: the same key and origin, other entries. Witnesses refuse it.
$ doge init F && cp L/keys/doge.example_log.* F/keys/ && doge -C F ledger init --key doge.example/log && printf 'alpha\nbeta\nGAMMA\nzeta\nx\ny\n' | doge -C F ledger append --lines - >/dev/null && doge -C F ledger checkpoint | head -2
> 6

$ doge -C F ledger prove --from 6 > fork6 && doge -C W1 witness cosign fork6
? 1
! witness refused (409)
! has forked

$ printf 'z\n' | doge -C F ledger append --lines - >/dev/null && doge -C F ledger prove --from 6 > fork7 && doge -C W1 witness cosign fork7
? 1
! witness refused (422)

$ doge -C W1 witness cosign --log-key W2/keys/W2.example_witness.pub req4
? 1
! not an Ed25519

$ doge -C W1 witness cosign --log-key F/keys/doge.example_log.pub --origin other.example/log req4
? 1
! witness refused (404)

$ sed 's/^— doge.example\/log .*/— doge.example\/log AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/' req4 > badsig && doge -C W1 witness cosign badsig
? 1
! witness refused

# Tampering with the files on disk is found by verify.
$ cp -r L T && printf X | dd of=T/ledger/tile/entries/000.p/6 bs=1 seek=3 conv=notrunc 2>/dev/null; doge -C T ledger verify
? 1
! does not match

$ doge ledger --help
> Usage: doge ledger

$ doge -C L ledger frob
? 2
! unknown subcommand 'frob'

$ doge witness --help
> Usage: doge witness
