/*
 * doge.h — the umbrella header of libdoge, the library behind the doge
 * program: pulse (weekly check-ins), spend (award audits) and ledger (a C2SP
 * transparency log). Include this one header; each module's own header under
 * doge/ is its reference. It compiles alone as C99 with -pedantic.
 */
#ifndef DOGE_H
#define DOGE_H

#include "doge/common.h"
#include "doge/id.h"
#include "doge/note.h"
#include "doge/keystore.h"
#include "doge/checkpoint.h"
#include "doge/merkle.h"
#include "doge/tile.h"
#include "doge/policy.h"
#include "doge/ledger.h"
#include "doge/proof.h"
#include "doge/store.h"
#include "doge/workspace.h"
#include "doge/token.h"
#include "doge/mail.h"

#include "doge/arena.h"
#include "doge/buf.h"
#include "doge/csv.h"
#include "doge/csvread.h"
#include "doge/extract.h"
#include "doge/date.h"
#include "doge/ini.h"
#include "doge/json.h"
#include "doge/map.h"
#include "doge/money.h"
#include "doge/progress.h"

#include "doge/roster.h"
#include "doge/review.h"
#include "doge/review_cluster.h"
#include "doge/review_model.h"
#include "doge/spend_csv.h"
#include "doge/synth.h"

#endif
