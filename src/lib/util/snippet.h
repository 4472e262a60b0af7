/*
 * snippet.h — internal helpers that quote bad input inside error messages:
 * a bounded, escaped copy of a run of bytes (control characters and invalid
 * UTF-8 shown as \n, \t, \xNN; long text cut with "...") so that every
 * message can name the text at fault without flooding the terminal or
 * emitting raw control bytes. Not installed; names start with doge__util_.
 */
#ifndef DOGE_UTIL_SNIPPET_H
#define DOGE_UTIL_SNIPPET_H

#include <stddef.h>

/* At most this many input bytes are shown before "..." is appended. */
#define DOGE__SNIPPET_MAX 72
/* A destination of this size always holds a full snippet. */
#define DOGE__SNIPPET_SIZE (DOGE__SNIPPET_MAX * 4 + 8)

/* Writes an escaped, possibly shortened copy of len bytes of s (NULL allowed
 * when len is 0) into dst (cap bytes, NUL-terminated) and returns dst. */
const char *doge__util_snippet(char *dst, size_t cap, const void *s, size_t len);

/* Writes one byte as it should appear between quotes in a message ('.' stays
 * '.', a newline becomes \n, a non-ASCII byte \xNN) into dst and returns it. */
const char *doge__util_char(char dst[8], unsigned char c);

#endif
