/*
 * doge/mailsource.h — reading raw messages from where replies arrive: a
 * Maildir (new/ and cur/), an mbox file (mboxrd: "From " separators,
 * ">From " unquoted), or an IMAP mailbox (imap:// or imaps:// URL, through
 * libcurl: UID SEARCH, then one FETCH per message). Each message is handed to
 * a callback as raw RFC 5322 bytes with a label naming where it came from
 * ("FILE:LINE" for mbox, the file path for Maildir, "URL;UID=N" for IMAP).
 *
 * Ownership: the bytes and label passed to the callback are borrowed for the
 * call only.
 */
#ifndef DOGE_MAILSOURCE_H
#define DOGE_MAILSOURCE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Called per message; a non-zero return stops the walk and is returned. */
typedef int (*doge_mailsource_fn)(void *ctx, const char *raw, size_t len, const char *label);

/* Largest message accepted (bigger ones are reported and skipped). */
#define DOGE_MAILSOURCE_MAX_MESSAGE (32u << 20)

/* Walks source: "imap://..." / "imaps://..." (user and password in the URL
 * or in user/password), a folder (Maildir) or a file (mbox). *count (may be
 * NULL) gets the number of messages handed over. */
DOGE_EXTERN int doge_mailsource_walk(const char *source, const char *user, const char *password,
                                     doge_mailsource_fn fn, void *ctx, int64_t *count);

#ifdef __cplusplus
}
#endif
#endif
