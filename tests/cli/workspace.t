# doge init and doge status: a workspace is found with -C, DOGE_HOME or the
# current folder; outside one, the problem is named. $W is a fresh folder.
$ doge init $W/ws
> Initialized doge workspace in

$ test -f $W/ws/doge.db && test -f $W/ws/doge.conf && test -d $W/ws/ledger && test -d $W/ws/keys && test -d $W/ws/outbox/new && test -d $W/ws/reports && echo layout-ok
> layout-ok

$ doge init $W/ws
? 1
! already a doge workspace

$ doge -C $W/ws --json status
json
> "backend": "sqlite"
> "initialized": false

$ doge -C $W/ws status
> store      sqlite, schema
> ledger     not initialized

$ DOGE_HOME=$W/ws doge status --json
json
> "schema_version"

$ cd $W/ws && doge status
> workspace  .

$ doge -C $W/nowhere status
? 1
! no doge workspace at
! does not exist

$ mkdir -p $W/empty && doge -C $W/empty status
? 1
! has no doge.conf

$ cd $W && doge status
? 1
! no doge workspace at '.'

$ doge status extra
? 2
! unexpected argument 'extra'

$ doge init --bogus
? 2
! unknown option '--bogus'

$ doge status --help
> Usage: doge status
