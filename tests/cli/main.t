# The program's own options: help, version, unknown commands and options.
$ doge --help
> Usage: doge
> Commands:

$ doge --version
> doge 0.1.0

$ doge --json --version
json

$ doge
? 2
! Usage: doge

$ doge frobnicate
? 2
! unknown command 'frobnicate'

$ doge --frob
? 2
! unknown option '--frob'

$ doge help help
> Usage: doge help

$ doge help nope
? 2
! unknown command 'nope'
