/*
 * sg_internal.h — the synthetic award generator's shared state (doge/
 * spend_synth.h): the agency, office and recipient tables, the award model
 * (an award and its actions, built whole in memory, then written as one row
 * per action), the queue of planted awards interleaved with the background
 * ones, and the text buffers of the ground truth, the exclusions extract and
 * the receipts. Never installed; everything hangs off one sg owned by
 * doge_spend_synth_awards().
 */
#ifndef DOGE_SG_INTERNAL_H
#define DOGE_SG_INTERNAL_H

#include "doge/arena.h"
#include "doge/buf.h"
#include "doge/csv.h"
#include "doge/map.h"
#include "doge/progress.h"
#include "doge/spend_synth.h"
#include "doge/synth.h"

#include <stdint.h>
#include <stdio.h>

extern const char *const doge__sg_contract_columns[];
extern const char *const doge__sg_assistance_columns[];

/* ---- static tables (synth_tables.c) --------------------------------------- */

typedef struct sg_agency_def {
    const char *code, *name;
    const char *sub_code[3], *sub_name[3], *prefix[3]; /* sub-tier agencies, office prefixes */
    double weight_c, weight_a;                          /* share of rows: contracts, assistance */
} sg_agency_def;

typedef struct sg_product {
    const char *psc, *psc_desc, *naics, *naics_desc;
    const char *desc[4]; /* base action descriptions */
} sg_product;

typedef struct sg_program {
    const char *cfda, *title;
    const char *desc[3];
} sg_program;

extern const sg_agency_def doge__sg_agencies[];
extern const int doge__sg_nagencies;
extern const sg_product doge__sg_products[];
extern const int doge__sg_nproducts;
extern const sg_program doge__sg_programs[];
extern const int doge__sg_nprograms;
extern const char *const doge__sg_words_a[], *const doge__sg_words_g[], *const doge__sg_words_b[];
extern const int doge__sg_nwords_a, doge__sg_nwords_g, doge__sg_nwords_b;
extern const char *const doge__sg_suffixes[];
extern const int doge__sg_nsuffixes;
extern const char *const doge__sg_first_names[], *const doge__sg_last_names[];
extern const int doge__sg_nfirst, doge__sg_nlast;
extern const char *const doge__sg_decoy_words[];
extern const int doge__sg_ndecoy;
extern const char *const doge__sg_states[][3]; /* code, name, a city */
extern const int doge__sg_nstates;

/* ---- the model ------------------------------------------------------------- */

#define SG_MAX_TX 24
#define SG_MAX_AGENCIES 32

typedef struct sg_tx {
    int32_t date;
    int32_t pop_end;  /* the period of performance end recorded on this action */
    int64_t fao;      /* federal_action_obligation */
    int64_t d_cur;    /* change of base and exercised options value */
    int64_t d_pot;    /* change of base and all options value */
    int64_t cur, pot; /* cumulative values after this action (set by sg_finish) */
    char mod[16];
    char action[4];   /* action_type_code ("" for a contract's base award) */
    const char *desc; /* NULL: the award's description */
    char descbuf[128]; /* a description made for this action (wins over desc) */
} sg_tx;

typedef struct sg_award {
    int agency, sub;
    uint32_t office;
    uint32_t recip;
    char piid[40];
    char parent_piid[40], parent_agency[8];
    char parent_multiple;  /* 'M', 'S' or 0 */
    int idv;
    char multiple;         /* an IDV's 'M' or 'S' */
    char solicitation[40];
    char award_type[4];
    int lease;
    int32_t pop_start;
    int64_t prior;         /* obligated before the file's first action */
    int64_t cur0, pot0;    /* values before the file's first action */
    char competed[4];
    int preset_competed;   /* competed[] chosen by the planter */
    const char *desc;
    int product;           /* doge__sg_products or doge__sg_programs index */
    int fabricate;         /* Benford: fabricated amounts allowed */
    int ntx;
    sg_tx tx[SG_MAX_TX];
} sg_award;

typedef struct sg_recipient {
    char uei[13];
    const char *name;
    uint16_t state;
} sg_recipient;

typedef struct sg_office {
    char code[8];
    int agency, sub;
} sg_office;

typedef struct sg_excl {
    const char *classification, *name, *first, *last, *uei, *program, *agency, *type;
    int32_t active, end; /* end INT32_MAX: indefinite */
} sg_excl;

typedef struct sg {
    const doge_spend_synth_opts *o;
    doge_spend_kind kind;
    doge_synth_rng rng;
    int fy;
    int32_t fy_start, fy_end; /* inclusive */
    doge_arena *arena;
    /* agencies */
    double agency_cdf[SG_MAX_AGENCIES];
    int benford_agency, noncompeted_agency;
    int plant_agency[3];      /* where planted awards go */
    int64_t competed[SG_MAX_AGENCIES], noncompeted[SG_MAX_AGENCIES];
    uint64_t digits_n[SG_MAX_AGENCIES];
    /* offices */
    sg_office *offices;
    uint32_t noffices;
    uint32_t office_first[SG_MAX_AGENCIES], office_count[SG_MAX_AGENCIES];
    uint32_t *office_serial;
    /* recipients */
    sg_recipient *recips;
    uint32_t nrecips, caprecips, pool;
    double *pool_cdf;
    uint64_t name_seq;
    doge_map *names;          /* normalised names in use */
    /* output */
    FILE *out;
    doge_buf row;
    doge_csv csv;
    const char *const *cols;
    int ncols;
    uint8_t *role;
    uint64_t rows, awards, bytes;
    /* planted awards, interleaved with the background */
    sg_award **queue;
    size_t nqueue, capqueue;
    uint64_t queue_rows;
    /* ground truth, exclusions, receipts */
    doge_buf truth;
    uint64_t planted[DOGE_SPEND_RULES + 1], clean[DOGE_SPEND_RULES + 1];
    sg_excl *excl;
    size_t nexcl, capexcl;
    doge_buf receipts_json[3]; /* contracts, grants, leases items */
    size_t nclaims[3];
    doge_buf receipts_csv, receipts_truth;
    uint64_t claims;
    doge_progress *progress;
} sg;

/* synth_awards.c */
double doge__sg_unit(sg *g);
uint64_t doge__sg_below(sg *g, uint64_t n);
double doge__sg_normal(sg *g);
int64_t doge__sg_lognormal_cents(sg *g, double median_dollars, double sigma);
int64_t doge__sg_between(sg *g, int64_t lo, int64_t hi); /* uniform in [lo, hi] */
int doge__sg_new_recipient(sg *g, uint32_t *out);
const char *doge__sg_recipient_name(const sg *g, uint32_t r);
uint32_t doge__sg_office(sg *g, int agency);
int doge__sg_award_init(sg *g, sg_award *a, int agency, uint32_t office, uint32_t recip,
                        char type);
sg_tx *doge__sg_add_tx(sg_award *a, int32_t date, const char *mod, const char *action,
                       int64_t fao, int64_t d_cur, int64_t d_pot, int32_t pop_end);
void doge__sg_finish(sg *g, sg_award *a);
int doge__sg_queue(sg *g, const sg_award *a);
int doge__sg_truth(sg *g, int rule, const char *key, int planted);
void doge__sg_award_key(const sg *g, const sg_award *a, char *out, size_t cap);
int doge__sg_add_exclusion(sg *g, const sg_excl *e);
int doge__sg_strdup(sg *g, const char *s, const char **out);
int doge__sg_in_band(int64_t cents);

/* synth_plant.c: the planted audit patterns and their controls. */
int doge__sg_plant(sg *g);
/* After every award is written: the agency-level truth and the exclusion
 * decoys. */
int doge__sg_plant_finish(sg *g);

/* synth_receipts.c: claims and the awards they refer to. */
int doge__sg_receipts(sg *g);
int doge__sg_receipts_write(sg *g, const char *path);

#endif
