/*
 * error.c — the thread-local last-error state behind doge_error_last().
 * Internal code sets it with doge__error_set(), which formats the message and
 * returns the code so callers can write `return doge__error_set(...)`.
 */
#include "doge/common.h"
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char error_msg[1024];
static _Thread_local int error_code;

const char *doge_error_last(void) { return error_msg; }
int doge_error_code(void) { return error_code; }

void doge_error_clear(void)
{
    error_msg[0] = '\0';
    error_code = DOGE_OK;
}

int doge__error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(error_msg, sizeof error_msg, fmt, ap);
    va_end(ap);
    error_code = code;
    return code;
}

int doge__error_prefix(const char *fmt, ...)
{
    char prefix[512], old[sizeof error_msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, error_msg, sizeof old);
    int n = snprintf(error_msg, sizeof error_msg, "%s: ", prefix);
    if (n > 0 && (size_t)n < sizeof error_msg) {
        size_t room = sizeof error_msg - (size_t)n - 1, ol = strlen(old);
        if (ol > room)
            ol = room;
        memcpy(error_msg + n, old, ol);
        error_msg[(size_t)n + ol] = '\0';
    }
    return error_code;
}

const char *doge_error_name(int code)
{
    switch (code) {
    case DOGE_OK: return "DOGE_OK";
    case DOGE_ERROR: return "DOGE_ERROR";
    case DOGE_ENOMEM: return "DOGE_ENOMEM";
    case DOGE_EINVAL: return "DOGE_EINVAL";
    case DOGE_EIO: return "DOGE_EIO";
    case DOGE_ENOTFOUND: return "DOGE_ENOTFOUND";
    case DOGE_EEXISTS: return "DOGE_EEXISTS";
    case DOGE_ERANGE: return "DOGE_ERANGE";
    case DOGE_ELIMIT: return "DOGE_ELIMIT";
    case DOGE_EDB: return "DOGE_EDB";
    case DOGE_EVERIFY: return "DOGE_EVERIFY";
    case DOGE_ECONFLICT: return "DOGE_ECONFLICT";
    case DOGE_ECRYPTO: return "DOGE_ECRYPTO";
    case DOGE_ENOWORKSPACE: return "DOGE_ENOWORKSPACE";
    default: return "DOGE_UNKNOWN";
    }
}

const char *doge_version(void) { return DOGE_VERSION_STRING; }
