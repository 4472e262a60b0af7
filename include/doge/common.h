/*
 * doge/common.h — the conventions every libdoge module shares: error codes,
 * the thread-local last-error message, version, and export macros.
 *
 * Every fallible libdoge function returns int: DOGE_OK (0) on success or a
 * negative DOGE_E* code; on failure a human-readable message naming the file,
 * line and field at fault (where input is at fault) is kept per thread and
 * read with doge_error_last(). The library never exits or aborts.
 *
 * Ownership: the string returned by doge_error_last() belongs to the library
 * and stays valid until the next libdoge call on the same thread.
 */
#ifndef DOGE_COMMON_H
#define DOGE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DOGE_VERSION_MAJOR 0
#define DOGE_VERSION_MINOR 1
#define DOGE_VERSION_PATCH 0
#define DOGE_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define DOGE_EXTERN __attribute__((visibility("default")))
#else
#define DOGE_EXTERN
#endif

/* Error codes: 0 is success, every error is negative. */
enum doge_error_code {
    DOGE_OK = 0,
    DOGE_ERROR = -1,    /* generic failure */
    DOGE_ENOMEM = -2,   /* out of memory */
    DOGE_EINVAL = -3,   /* invalid argument or malformed input */
    DOGE_EIO = -4,      /* operating-system I/O failure */
    DOGE_ENOTFOUND = -5,/* a named thing does not exist */
    DOGE_EEXISTS = -6,  /* a thing to create already exists */
    DOGE_ERANGE = -7,   /* a value out of range (overflow, too large) */
    DOGE_ELIMIT = -8,   /* a hard size cap was reached */
    DOGE_EDB = -9,      /* the store (database) failed */
    DOGE_EVERIFY = -10, /* a signature, hash or proof did not verify */
    DOGE_ECONFLICT = -11,/* a compare-and-swap lost, or a fork/rollback */
    DOGE_ECRYPTO = -12, /* the crypto library failed */
    DOGE_ENOWORKSPACE = -13 /* no doge workspace where one was expected */
};

/* The message of the last error on this thread ("" when none). */
DOGE_EXTERN const char *doge_error_last(void);

/* The last error code on this thread (DOGE_OK when none). */
DOGE_EXTERN int doge_error_code(void);

/* Clears the last error on this thread. */
DOGE_EXTERN void doge_error_clear(void);

/* A short constant name for an error code, e.g. "DOGE_EINVAL". */
DOGE_EXTERN const char *doge_error_name(int code);

/* The library version as "MAJOR.MINOR.PATCH". Static storage. */
DOGE_EXTERN const char *doge_version(void);

#ifdef __cplusplus
}
#endif
#endif
