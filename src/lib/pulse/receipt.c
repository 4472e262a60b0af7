/*
 * receipt.c — the signed receipt each respondent gets: a short text saying
 * which ledger entry holds their reply, with two attachments, the entry
 * itself (canonical JSON) and its c2sp.org/tlog-proof@v1, so that anyone can
 * check offline with `doge ledger verify-proof PROOF ENTRY --policy FILE`
 * that the reply was recorded in the log the departments witness. Written
 * into the outbox Maildir (tmp/, fsync, rename into new/).
 */
#define _GNU_SOURCE /* syncfs */
#include "id/id_internal.h"
#include "internal.h"
#include "pulse_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int doge__pulse_b64_lines(doge_buf *b, const char *data, size_t len, const char *eol)
{
    int rc = DOGE_OK;
    for (size_t i = 0; i < len && rc == DOGE_OK; i += 57) {
        char enc[DOGE__B64_LEN(57) + 1];
        size_t n = len - i > 57 ? 57 : len - i;
        doge__b64_encode(enc, data + i, n);
        rc = doge_buf_printf(b, "%s%s", enc, eol);
    }
    return rc;
}

int doge__pulse_write_receipt(doge_workspace *ws, const char *email, const char *name,
                              const char *week, int64_t index, const char *record,
                              size_t record_len, const char *proof, size_t proof_len)
{
    char date[64], boundary[64], rel[160], tmp[PATH_MAX], dst[PATH_MAX];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    snprintf(boundary, sizeof boundary, "doge-receipt-%lld", (long long)index);
    doge_buf b;
    doge_buf_init(&b, 4u << 20);
    int rc = doge_buf_printf(
        &b,
        "From: doge pulse <pulse-receipts@localhost>\r\nTo: <%s>\r\n"
        "Subject: Receipt: your %s reply is ledger entry %lld\r\nDate: %s\r\n"
        "Message-ID: <receipt.%lld.%s@doge>\r\nAuto-Submitted: auto-generated\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n"
        "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "%s%s,\r\n\r\nYour reply for %s was recorded as entry %lld of the doge ledger, a\r\n"
        "transparency log that department witnesses cosign.\r\n\r\n"
        "Attached are the entry (reply.json) and its proof (reply.tlog-proof). To check\r\n"
        "them offline:\r\n\r\n"
        "    doge ledger verify-proof reply.tlog-proof reply.json --policy POLICY\r\n\r\n"
        "The entry holds your bullets as stored (flagged text is redacted) and hashes of\r\n"
        "your message; the mail itself is not in the ledger.\r\n\r\n",
        email, week, (long long)index, date, (long long)index, week, boundary, boundary,
        *name ? "Dear " : "Hello", *name ? name : "", week, (long long)index);
    rc = rc ? rc
            : doge_buf_printf(&b,
                              "--%s\r\nContent-Type: application/json\r\n"
                              "Content-Disposition: attachment; filename=\"reply.json\"\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\n",
                              boundary);
    rc = rc ? rc : doge__pulse_b64_lines(&b, record, record_len, "\r\n");
    rc = rc ? rc
            : doge_buf_printf(&b,
                              "\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
                              "Content-Disposition: attachment; filename=\"reply.tlog-proof\"\r\n"
                              "Content-Transfer-Encoding: base64\r\n\r\n",
                              boundary);
    rc = rc ? rc : doge__pulse_b64_lines(&b, proof, proof_len, "\r\n");
    rc = rc ? rc : doge_buf_printf(&b, "\r\n--%s--\r\n", boundary);
    snprintf(rel, sizeof rel, "outbox/tmp/receipt.%s.%lld.doge", week, (long long)index);
    if (rc == DOGE_OK)
        rc = doge_workspace_path(ws, rel, tmp, sizeof tmp);
    snprintf(rel, sizeof rel, "outbox/new/receipt.%s.%lld.doge", week, (long long)index);
    if (rc == DOGE_OK)
        rc = doge_workspace_path(ws, rel, dst, sizeof dst);
    if (rc == DOGE_OK) {
        /* Maildir: tmp/ then rename into new/. Not fsynced one by one: the
         * ingest batch syncs the outbox once (doge__pulse_sync_outbox). */
        FILE *f = fopen(tmp, "wb");
        if (!f) {
            rc = doge__error_set(DOGE_EIO, "%s: %s", tmp, strerror(errno));
        } else {
            size_t w = fwrite(b.data, 1, b.len, f);
            if (fclose(f) != 0 || w != b.len)
                rc = doge__error_set(DOGE_EIO, "%s: write failed", tmp);
        }
        if (rc == DOGE_OK && rename(tmp, dst) != 0)
            rc = doge__error_set(DOGE_EIO, "%s: %s", dst, strerror(errno));
    }
    doge_buf_dispose(&b);
    return rc;
}

int doge__pulse_sync_outbox(doge_workspace *ws)
{
    char dir[PATH_MAX];
    int rc = doge_workspace_path(ws, "outbox/new", dir, sizeof dir);
    if (rc)
        return rc;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: %s", dir, strerror(errno));
    rc = syncfs(fd) == 0 && fsync(fd) == 0
             ? DOGE_OK
             : doge__error_set(DOGE_EIO, "%s: sync: %s", dir, strerror(errno));
    close(fd);
    return rc;
}
