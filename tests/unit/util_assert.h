/*
 * util_assert.h — cmocka assertions shared by the utility-module tests: check
 * that a call succeeded (printing doge_error_last() if not), or that it
 * failed with a given code and a message containing given text, which is how
 * the tests prove that every error names the bad input.
 */
#ifndef DOGE_TEST_UTIL_ASSERT_H
#define DOGE_TEST_UTIL_ASSERT_H

#include <string.h>

#include "doge/common.h"

/* expr must return DOGE_OK. */
#define assert_ok(expr)                                                                            \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != DOGE_OK)                                                                        \
            fail_msg("%s: %s: %s", #expr, doge_error_name(rc_), doge_error_last());                \
    } while (0)

/* expr must return code with a message containing want. */
#define assert_error(expr, code, want)                                                             \
    do {                                                                                           \
        doge_error_clear();                                                                        \
        int rc_ = (expr);                                                                          \
        if (rc_ != (code) || !strstr(doge_error_last(), (want)))                                   \
            fail_msg("%s: got %s \"%s\", want %s containing \"%s\"", #expr, doge_error_name(rc_),  \
                     doge_error_last(), doge_error_name(code), (want));                            \
    } while (0)

/* The last message must contain want. */
#define assert_message_has(want)                                                                   \
    do {                                                                                           \
        if (!strstr(doge_error_last(), (want)))                                                    \
            fail_msg("message \"%s\" lacks \"%s\"", doge_error_last(), (want));                    \
    } while (0)

/* The last message must be exactly want. */
#define assert_message_is(want)                                                                    \
    do {                                                                                           \
        if (strcmp(doge_error_last(), (want)) != 0)                                                \
            fail_msg("message \"%s\" is not \"%s\"", doge_error_last(), (want));                   \
    } while (0)

#endif
