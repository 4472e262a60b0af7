/*
 * txn.c — one transaction row of a USAspending.gov bulk file, typed: the
 * column names each kind of file (contracts, assistance) is read from, in
 * the order of doge_spend_txn's fields, which of them a file must have, the
 * kind of a file from its header row (read with the project's streaming CSV
 * reader, which stops after the first row), and the conversion of field
 * views to cents and day numbers. Dates are "YYYY-MM-DD", optionally
 * followed by a time (" 00:00:00" or "T..."), which is ignored.
 */
#include "doge/spend.h"
#include "doge/csvread.h"
#include "doge/date.h"
#include "doge/money.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <stdio.h>
#include <string.h>

/* The logical fields, in doge_spend_txn order. */
static const char *const contract_columns[DOGE_SPEND_TXN_FIELDS] = {
    "contract_transaction_unique_key",
    "contract_award_unique_key",
    "award_id_piid",
    "modification_number",
    "parent_award_agency_id",
    "parent_award_id_piid",
    "federal_action_obligation",
    "total_dollars_obligated",
    "current_total_value_of_award",
    "potential_total_value_of_award",
    "action_date",
    "period_of_performance_start_date",
    "period_of_performance_current_end_date",
    "awarding_agency_code",
    "awarding_agency_name",
    "awarding_sub_agency_code",
    "awarding_office_code",
    "recipient_uei",
    "recipient_name",
    "transaction_description",
    "extent_competed_code",
    "action_type_code",
    "award_or_idv_flag",
    "multiple_or_single_award_idv_code",
    "parent_award_single_or_multiple_code",
    "solicitation_identifier",
};

static const unsigned char contract_required[DOGE_SPEND_TXN_FIELDS] = {
    1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0,
};

static const char *const assistance_columns[DOGE_SPEND_TXN_FIELDS] = {
    "assistance_transaction_unique_key",
    "assistance_award_unique_key",
    "award_id_fain",
    "modification_number",
    NULL,
    NULL,
    "federal_action_obligation",
    "total_obligated_amount",
    NULL,
    NULL,
    "action_date",
    "period_of_performance_start_date",
    "period_of_performance_current_end_date",
    "awarding_agency_code",
    "awarding_agency_name",
    "awarding_sub_agency_code",
    "awarding_office_code",
    "recipient_uei",
    "recipient_name",
    "transaction_description",
    NULL,
    "action_type_code",
    NULL,
    NULL,
    NULL,
    NULL,
};

static const unsigned char assistance_required[DOGE_SPEND_TXN_FIELDS] = {
    1, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0,
};

const char *const *doge_spend_txn_columns(doge_spend_kind kind)
{
    return kind == DOGE_SPEND_ASSISTANCE ? assistance_columns : contract_columns;
}

const unsigned char *doge_spend_txn_required(doge_spend_kind kind)
{
    return kind == DOGE_SPEND_ASSISTANCE ? assistance_required : contract_required;
}

int doge_spend_file_kind(const char *path, doge_spend_kind *kind)
{
    doge_csvread *r;
    int rc = doge_csvread_open(&r, path, 0);
    if (rc)
        return rc;
    rc = doge_csvread_read_header(r);
    if (rc == DOGE_OK) {
        if (doge_csvread_column(r, contract_columns[0]) >= 0)
            *kind = DOGE_SPEND_CONTRACTS;
        else if (doge_csvread_column(r, assistance_columns[0]) >= 0)
            *kind = DOGE_SPEND_ASSISTANCE;
        else
            rc = doge__error_set(DOGE_EINVAL,
                                 "%s: not a USAspending transaction file: the header has "
                                 "neither '%s' nor '%s'",
                                 path, contract_columns[0], assistance_columns[0]);
    }
    doge_csvread_free(r);
    return rc;
}

int doge__spend_money(const doge_spend_field *f, int64_t *out)
{
    if (f->len == 0) {
        *out = 0;
        return DOGE_OK;
    }
    return doge_money_parse(f->data, f->len, out);
}

int doge__spend_date(const doge_spend_field *f, int32_t *out)
{
    size_t n = f->len;
    if (n == 0) {
        *out = DOGE_SPEND_NO_DATE;
        return DOGE_OK;
    }
    if (n > 10 && (f->data[10] == ' ' || f->data[10] == 'T'))
        n = 10;
    return doge_date_parse(f->data, n, out);
}

int doge_spend_txn_parse(doge_spend_kind kind, const doge_spend_field *fields, doge_spend_txn *t,
                         char *err, size_t errcap)
{
    const char *const *names = doge_spend_txn_columns(kind);
    memset(t, 0, sizeof *t);
    t->kind = kind;
    doge_spend_field *views[] = {
        &t->txn_key,      &t->award_key,     &t->piid,        &t->mod,
        &t->parent_agency, &t->parent_piid,  NULL,            NULL,
        NULL,             NULL,              NULL,            NULL,
        NULL,             &t->agency_code,   &t->agency_name, &t->sub_agency_code,
        &t->office_code,  &t->recipient_uei, &t->recipient_name, &t->description,
        &t->competed,     &t->action_type,   &t->idv_flag,    &t->multiple,
        &t->parent_multiple, &t->solicitation,
    };
    for (int i = 0; i < DOGE_SPEND_TXN_FIELDS; i++)
        if (views[i] && names[i])
            *views[i] = fields[i];
    int64_t *money[] = {&t->obligation, &t->total_obligated, &t->current_value,
                        &t->potential_value};
    for (int i = 0; i < 4; i++) {
        if (!names[6 + i])
            continue;
        if (doge__spend_money(&fields[6 + i], money[i]) != DOGE_OK) {
            snprintf(err, errcap, "column '%s': %s", names[6 + i], doge_error_last());
            return DOGE_EINVAL;
        }
    }
    int32_t *dates[] = {&t->action_date, &t->pop_start, &t->pop_end};
    for (int i = 0; i < 3; i++) {
        *dates[i] = DOGE_SPEND_NO_DATE;
        if (!names[10 + i])
            continue;
        if (doge__spend_date(&fields[10 + i], dates[i]) != DOGE_OK) {
            snprintf(err, errcap, "column '%s': %s", names[10 + i], doge_error_last());
            return DOGE_EINVAL;
        }
    }
    if (t->award_key.len == 0) {
        snprintf(err, errcap, "column '%s' is empty", names[1]);
        return DOGE_EINVAL;
    }
    return DOGE_OK;
}
