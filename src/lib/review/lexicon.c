/*
 * lexicon.c — the fixed word lists behind the specificity features: month
 * and weekday names, completed-action verbs, people served and units of
 * casework, outcome words, vague filler, deliverable nouns, verbs of serving
 * someone, fiscal-period prefixes, and common words that are capitalised
 * without being names. The lists are built once per process (pthread_once)
 * into a one-bit-per-word filter and a small open-addressing table keyed by
 * the tokenizer's word hash, so a lookup is a bit test, then one or two
 * probes, and takes no lock.
 */
#include "review/review_internal.h"

#include <pthread.h>
#include <string.h>

typedef struct lex_list {
    unsigned flag;
    const char *words; /* space separated, lower case */
} lex_list;

static const lex_list lists[] = {
    {DOGE__LEX_DATE,
     "january february march april june july august september october november december "
     "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
     "friday saturday sunday mon tue tues wed thu thur thurs fri"},
    {DOGE__LEX_NUMWORD,
     "two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty "
     "fifty hundred hundreds thousand thousands dozen dozens"},
    {DOGE__LEX_PERIOD, "fy0 cy0 q0 qtr0 h0"},
    {DOGE__LEX_VERB,
     "completed finished finalized finalised closed delivered submitted issued published "
     "processed resolved approved signed launched deployed released awarded installed repaired "
     "fixed migrated inspected audited reviewed drafted prepared conducted answered trained "
     "hired onboarded cleared reconciled sent filed executed implemented restored certified "
     "built wrote written created produced analyzed analysed tested mapped collected calibrated "
     "adjudicated decided determined investigated interviewed scheduled negotiated obligated "
     "paid disbursed recovered removed replaced upgraded patched configured documented "
     "presented briefed taught graduated passed earned obtained achieved exceeded rated "
     "validated verified authorized authorised posted shipped received returned counted "
     "surveyed sampled treated vaccinated rescued cleaned cataloged catalogued digitized "
     "digitised archived assigned selected modified terminated cancelled canceled renewed "
     "extended enrolled registered settled concluded mailed uploaded entered coded updated "
     "designed developed established opened responded"},
    {DOGE__LEX_PEOPLE,
     "veterans veteran claimants claimant taxpayers taxpayer visitors visitor applicants "
     "applicant customers customer callers caller patients patient students student families "
     "family households residents beneficiaries beneficiary constituents constituent travelers "
     "travellers passengers farmers producers ranchers businesses employers retirees survivors "
     "children participants attendees people persons individuals clients recipients tenants "
     "homeowners borrowers grantees members seniors youth walkins citizens immigrants "
     "refugees petitioners filers hunters anglers campers hikers pilots mariners growers "
     "workers trainees"},
    {DOGE__LEX_CASES,
     "cases case claims claim calls call requests request applications application appeals "
     "appeal inquiries inquiry tickets visits appointments interviews petitions returns "
     "filings files records permits licenses letters referrals complaints determinations "
     "exams examinations inspections audits reviews vouchers orders shipments samples "
     "transactions payments loans grants awards contracts passports visas entries "
     "recertifications enrollments registrations reports"},
    {DOGE__LEX_SERVE,
     "assisted helped served answered interviewed counseled counselled advised greeted "
     "supported guided escorted hosted screened examined treated processed"},
    {DOGE__LEX_OUTCOME,
     "reduced reducing reduction saved saving savings increased increasing improved improving "
     "prevented avoided eliminated decreased cut lowered recovered recovering boosted raised "
     "shortened backlog ahead percent resulting result results outcome enabling enabled "
     "restored accuracy faster compliant accepted"},
    {DOGE__LEX_VAGUE,
     "various misc miscellaneous stuff things etc usual assorted whatever duties tasks busy "
     "general generally normal regular typical same nothing na tbd tba blah ongoing continued "
     "continuing"},
    {DOGE__LEX_DELIV,
     "report memo memorandum plan dashboard package draft brief briefing assessment analysis "
     "study manuscript paper rule guidance policy procedure procedures presentation proposal "
     "specification spec map maps forecast model script tool database module contract lease "
     "permit license checklist template spreadsheet budget inventory letter notice decision "
     "determination summary strategy roadmap sop sops charter agreement mou nofo rfp rfq sow "
     "pws igce justification estimate estimates patch build dataset audit findings matrix "
     "tracker manual handbook curriculum course deck slides newsletter bulletin article "
     "chapter appendix amendment modification invoice voucher survey evaluation protocol "
     "standard regulation directive playbook runbook"},
    {DOGE__LEX_COMMON,
     "i the a an and or of for to in on at with by from my our we this that team office "
     "staff meeting meetings weekly daily monthly worked work working attended various misc "
     "continued completed reviewed emails email admin administrative leave annual sick "
     "training project projects other tasks duties branch division agency department "
     "center program"},
};

#define TABLE_SIZE DOGE__REVIEW_LEX_SLOTS

static doge__review_lex_table_t table;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* Calls fn for each word of a list. */
static void each_word(const char *s, void (*fn)(void *ctx, const char *w, size_t n), void *ctx)
{
    while (*s) {
        while (*s == ' ')
            s++;
        const char *e = s;
        while (*e && *e != ' ')
            e++;
        if (e > s)
            fn(ctx, s, (size_t)(e - s));
        s = e;
    }
}

static void add_word(void *ctx, const char *w, size_t n)
{
    unsigned flag = *(const unsigned *)ctx;
    uint64_t h = doge__review_word_hash(w, n);
    if (h == 0)
        return; /* 0 marks an empty slot; no listed word hashes to it */
    uint32_t f = (uint32_t)h & (DOGE__REVIEW_LEX_FILTER - 1);
    table.filter[f >> 6] |= (uint64_t)1 << (f & 63);
    for (uint32_t i = (uint32_t)(h >> 40) & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1)) {
        if (table.hash[i] == 0 || table.hash[i] == h) {
            table.hash[i] = h;
            table.flags[i] = (uint16_t)(table.flags[i] | flag);
            return;
        }
    }
}

static void build(void)
{
    table.hash_n = doge__review_word_hash("n", 1);
    table.hash_a = doge__review_word_hash("a", 1);
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        each_word(lists[l].words, add_word, (void *)&lists[l].flag);
}

const doge__review_lex_table_t *doge__review_lex_table(void)
{
    pthread_once(&once, build);
    return &table;
}

unsigned doge__review_lex(uint64_t hash)
{
    return doge__review_lex_find(doge__review_lex_table(), hash);
}

struct each_ctx {
    void (*fn)(void *ctx, const char *word);
    void *ctx;
    char buf[64];
};

static void call_each(void *ctx, const char *w, size_t n)
{
    struct each_ctx *c = ctx;
    if (n >= sizeof c->buf)
        return;
    memcpy(c->buf, w, n);
    c->buf[n] = '\0';
    c->fn(c->ctx, c->buf);
}

void doge__review_lex_each(unsigned flag, void (*fn)(void *ctx, const char *word), void *ctx)
{
    struct each_ctx c = {fn, ctx, {0}};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        if (lists[l].flag & flag)
            each_word(lists[l].words, call_each, &c);
}
