/*
 * internal.h — helpers shared across libdoge's source files but not part of
 * the public API (names start with doge__). Never installed.
 */
#ifndef DOGE_INTERNAL_H
#define DOGE_INTERNAL_H

#include "doge/common.h"
#include <stdio.h>

#if defined(__GNUC__)
#define DOGE__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DOGE__PRINTF(a, b)
#endif

/* Sets the thread's last error and returns code. */
int doge__error_set(int code, const char *fmt, ...) DOGE__PRINTF(2, 3);

/* Prepends "<prefix>: " to the current message; returns the current code. */
int doge__error_prefix(const char *fmt, ...) DOGE__PRINTF(1, 2);

/* Out-of-memory error helper. */
#define doge__error_oom() doge__error_set(DOGE_ENOMEM, "out of memory")

/* Writes len bytes to path atomically and durably: temp file in the same
 * folder, fsync, rename, fsync the folder. mode is the file mode. */
int doge__file_write_atomic(const char *path, const void *data, size_t len, int mode);

/* Reads a whole file (up to max bytes) into a malloc'd, NUL-terminated
 * buffer; *out owned by the caller (free()). */
int doge__file_read(const char *path, size_t max, char **out, size_t *len);

/* mkdir -p with the given mode. */
int doge__mkdirs(const char *path, int mode);

/* fsync a directory. */
int doge__fsync_dir(const char *path);

#endif
