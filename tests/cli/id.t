# doge id: keys in the workspace's keys/ folder, and signed notes made and
# checked with them. Go's sumdb/note published test key and signature
# (golang.org/x/mod/sumdb/note/note_test.go) must come out byte for byte.
# $W is a fresh folder; commands run in it.
$ doge init $W/ws
> Initialized doge workspace in

# ---- new, show, list ------------------------------------------------------
$ doge -C $W/ws id new alice
> alice+
! created key 'alice' (ed25519, key ID

$ test "$(stat -c %a $W/ws/keys/alice.key)" = 600 && test "$(stat -c %a $W/ws/keys/alice.pub)" = 644 && head -c 18 $W/ws/keys/alice.key && echo
= PRIVATE+KEY+alice+

$ doge -C $W/ws id show alice > $W/alice.vkey && cmp $W/alice.vkey $W/ws/keys/alice.pub && echo same
= same

$ doge -C $W/ws id new alice
? 1
! key 'alice' already exists
! alice.key (keys are never overwritten)

$ doge -C $W/ws --quiet id new doge.example/log --witness
> doge.example/log+

$ test -f $W/ws/keys/doge.example_log.key && grep -c '^doge.example/log+' $W/ws/keys/doge.example_log.pub
= 1

$ doge -C $W/ws id show doge.example/log --json
json
> "type": "cosignature/v1"
> "file": "doge.example_log"
> "has_private_key": true

$ doge -C $W/ws --json id new bob
json
> "name": "bob"
> "type": "ed25519"
> "created": true

# ---- names that would not be safe file names ------------------------------
$ doge -C $W/ws id new ../evil
? 1
! key name '../evil' has a '..' path part

$ doge -C $W/ws id new /etc/evil
? 1
! starts with '/'

$ doge -C $W/ws id new .hidden
? 1
! starts with '.'

$ doge -C $W/ws id new 'bad name'
? 1
! key name 'bad name' contains a space

$ doge -C $W/ws id new a+b
? 1
! key name 'a+b'

$ ls -A $W/ws/keys | sort | tr '\n' ' ' && test ! -e $W/evil.key && test ! -e $W/ws/evil.key && echo nothing-else
= alice.key alice.pub bob.key bob.pub doge.example_log.key doge.example_log.pub nothing-else

# ---- import Go's published key and sign Go's test text ---------------------
$ echo 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz' > $W/peter.key && doge -C $W/ws id import $W/peter.key
= PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW
! imported key 'PeterNeumann' (ed25519, key ID c74f20a3)

$ test "$(stat -c %a $W/ws/keys/PeterNeumann.key)" = 600 && cat $W/ws/keys/PeterNeumann.key
= PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz

$ doge -C $W/ws id show PeterNeumann
= PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW

$ doge -C $W/ws id import $W/peter.key
? 1
! key 'PeterNeumann' already exists

$ printf "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n" > $W/go.txt && doge -C $W/ws id sign PeterNeumann $W/go.txt | tee $W/go.note
= If you think cryptography is the answer to your problem,
= then you don't know what your problem is.
=
= — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=

$ doge -C $W/ws id sign PeterNeumann - < $W/go.txt | cmp - $W/go.note && echo stdin-same
= stdin-same

$ doge -C $W/ws --json id sign PeterNeumann $W/go.txt
json
> "key": "PeterNeumann"
> "key_hash": "c74f20a3"
> x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

# ---- verify: by name, by .pub file, by vkey text, from stdin ---------------
$ doge -C $W/ws id verify PeterNeumann $W/go.note
= If you think cryptography is the answer to your problem,
= then you don't know what your problem is.

$ doge -C $W/ws id verify $W/ws/keys/PeterNeumann.pub $W/go.note
= If you think cryptography is the answer to your problem,
= then you don't know what your problem is.

$ doge id verify PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW $W/go.note
= If you think cryptography is the answer to your problem,
= then you don't know what your problem is.

$ cat $W/go.note | DOGE_HOME=$W/ws doge id verify PeterNeumann -
> then you don't know what your problem is.

$ doge -C $W/ws --json id verify PeterNeumann $W/go.note
json
> "verified": true
> "text": "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
> "key_hash": "c74f20a3"

# ---- verify failures: exit 1 with the reason ------------------------------
# (nothing of a note that fails is printed: exit 1, empty stdout)
$ sed 's/problem,/problems,/' $W/go.note > $W/text-changed.note && doge -C $W/ws id verify PeterNeumann $W/text-changed.note > $W/out; echo "exit $? bytes $(wc -c < $W/out)"
= exit 1 bytes 0
! text-changed.note: note line 4: key 'PeterNeumann+c74f20a3': signature does not verify

$ sed 's/RyyBwJnAM=/RyyBwJnAA=/' $W/go.note > $W/sig-changed.note && doge -C $W/ws id verify PeterNeumann $W/sig-changed.note
? 1
! sig-changed.note: note line 4: key 'PeterNeumann+c74f20a3': signature does not verify

$ doge -C $W/ws id verify alice $W/go.note
? 1
! go.note: note has no signature by any of the 1 known keys

$ doge -C $W/ws id verify PeterNeumann $W/go.txt
? 1
! go.txt: note has no blank line between its text and its signatures

$ doge -C $W/ws id verify nobody $W/go.note
? 1
! no key 'nobody': it is not a key name in
! not a file, and not a verifier key text

$ doge id verify nobody $W/go.note
? 1
! no key 'nobody'
! no doge workspace at '.'

$ doge -C $W/ws id verify $W/ws/keys/PeterNeumann.key $W/go.note
? 1
! holds a private key, not a verifier key

$ doge -C $W/ws id verify PeterNeumann $W/missing.note
? 1
! missing.note: No such file or directory

# ---- verifier-only keys: Go's EnochRoot vkey and its published signature ----
$ echo 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop' | doge -C $W/ws id import -
= EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop
! imported verifier key 'EnochRoot'

$ (cat $W/go.note; echo '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=') > $W/both.note && doge -C $W/ws id verify EnochRoot $W/both.note
= If you think cryptography is the answer to your problem,
= then you don't know what your problem is.

$ doge -C $W/ws --json id verify EnochRoot $W/both.note
json
> "name": "EnochRoot"
> "verified": false

$ doge -C $W/ws id sign EnochRoot $W/go.txt
? 1
! key 'EnochRoot' in
! has no private key

$ test -f $W/ws/keys/EnochRoot.key || echo no-private-file
= no-private-file

# ---- sign failures ----------------------------------------------------------
$ printf 'no final newline' > $W/nonl.txt && doge -C $W/ws id sign alice $W/nonl.txt > $W/out; echo "exit $? bytes $(wc -c < $W/out)"
= exit 1 bytes 0
! nonl.txt: the text does not end with a newline

$ printf '' | doge -C $W/ws id sign alice -
? 1
! standard input: empty: there is no text to sign

$ printf 'bell \007\n' | doge -C $W/ws id sign alice -
? 1
! standard input: signing a note: text line 1 has invalid UTF-8 or a control character

$ doge -C $W/ws id sign doge.example/log $W/go.txt
? 1
! key 'doge.example/log' is a witness key (cosignature/v1)

$ doge -C $W/ws id sign nobody $W/go.txt
? 1
! no private key 'nobody'
! nobody.key

$ printf 'hello\n' | doge -C $W/ws id sign alice - > $W/hello.note && doge -C $W/ws id verify alice $W/hello.note && doge -C $W/ws id verify $W/alice.vkey $W/hello.note
= hello
= hello

$ doge -C $W/ws id verify bob $W/hello.note
? 1
! no signature by any of the 1 known keys

# ---- import failures --------------------------------------------------------
$ printf 'not a key\n' > $W/junk.key && doge -C $W/ws id import $W/junk.key
? 1
! junk.key: verifier key 'not a key'

$ echo 'PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz' | doge -C $W/ws id import -
? 1
! standard input: private key 'PeterNeumann': key ID c74f20a4 does not match the key

$ doge -C $W/ws id import $W/go.note
? 1
! go.note: holds more than one line

$ : > $W/empty.key && doge -C $W/ws id import $W/empty.key
? 1
! empty.key: empty: no key text to import

$ doge -C $W/ws id import $W/nothere.key
? 1
! nothere.key: No such file or directory

# ---- list ----------------------------------------------------------------
$ doge -C $W/ws id list
> NAME
> TYPE            KEY ID    PRIVATE  VERIFIER KEY
> EnochRoot         ed25519         af0cfe78  no       EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop
> PeterNeumann      ed25519         c74f20a3  yes      PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW
> doge.example/log  cosignature/v1

$ doge -C $W/ws id list | wc -l
= 6

$ doge -C $W/ws id list --json
json
> "keys": [
> "vkey": "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
> "has_private_key": false

$ doge -C $W/ws --json id list | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(k["name"] + ":" + k["key_hash"] + ":" + str(k["has_private_key"]) for k in d["keys"]))'
> EnochRoot:af0cfe78:False PeterNeumann:c74f20a3:True

$ doge -C $W/ws status
> keys       4

$ doge init $W/empty-ws > /dev/null && doge -C $W/empty-ws id list
> no keys in

$ doge -C $W/empty-ws --json id list
json
> "keys": []

$ cd $W && doge id list
? 1
! no doge workspace at '.'

$ cd $W/ws && doge id show alice
> alice+

$ doge -C $W/ws id show nobody
? 1
! no key 'nobody' in

# ---- usage errors -----------------------------------------------------------
$ doge -C $W/ws id
? 2
! needs a subcommand: new, import, list, show, sign or verify

$ doge -C $W/ws id frob
? 2
! unknown subcommand 'frob'

$ doge -C $W/ws id new
? 2
! new: missing NAME (usage: doge id new NAME [--witness])

$ doge -C $W/ws id new a b
? 2
! unexpected argument 'b'

$ doge -C $W/ws id sign alice
? 2
! sign: missing FILE (usage: doge id sign NAME FILE)

$ doge -C $W/ws id verify
? 2
! verify: missing KEY

$ doge -C $W/ws id sign alice $W/go.txt --witness
? 2
! unknown option '--witness'

$ doge -C $W/ws id list --bogus
? 2
! list: unknown option '--bogus' (usage: doge id list)

$ doge -C $W/ws id show a b
? 2
! unexpected argument 'b'

$ doge -C $W/ws id import
? 2
! missing FILE

# ---- help ------------------------------------------------------------------
$ doge id --help
> Usage: doge id new NAME [--witness]
> doge id verify KEY FILE
> Exit status: 0 success

$ doge help id
> doge id import FILE

$ doge --help
> id         make, import and list keys; sign and verify notes
