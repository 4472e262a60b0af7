/*
 * pulse_internal.h — helpers shared by the pulse sources (campaign,
 * delivery, ingest, status). Never installed.
 */
#ifndef DOGE_PULSE_INTERNAL_H
#define DOGE_PULSE_INTERNAL_H

#include "doge/buf.h"
#include "doge/pulse.h"

#define DOGE__PULSE_TOKEN_LEN 26

/* A fresh reply token: 128 random bits as 26 lowercase base32 characters. */
int doge__pulse_token(char out[DOGE__PULSE_TOKEN_LEN + 1]);

/* The request template: templates/request.txt of the workspace, else the
 * default. *out is malloc'd. */
int doge__pulse_template(doge_workspace *ws, char **out);

/* Writes a receipt to the workspace outbox (Maildir): a short message to
 * the respondent with the ledger entry and its tlog-proof attached. */
int doge__pulse_write_receipt(doge_workspace *ws, const char *email, const char *name,
                              const char *week, int64_t index, const char *record,
                              size_t record_len, const char *proof, size_t proof_len);

/* Makes every file written to the outbox durable (syncfs + folder fsync). */
int doge__pulse_sync_outbox(doge_workspace *ws);

#endif
