/*
 * doge/date.h — calendar dates, ISO 8601 weeks and RFC 3339 timestamps as
 * plain integers: a date is an int32_t count of days since 1970-01-01
 * (negative before it) in the proleptic Gregorian calendar, a timestamp is an
 * int64_t count of Unix seconds (UTC, no leap seconds). Parsing is strict and
 * every rejection names the text, what was expected and where.
 *
 * Accepted text:
 *   date       "YYYY-MM-DD", exactly; years 0000..9999.
 *   week       "YYYY-Www" (ISO 8601 week date), e.g. "2025-W08"; week 53
 *              only in ISO years that have it (2020 and 2026 do, 2025 not).
 *   timestamp  "YYYY-MM-DDTHH:MM[:SS[.fraction]]" then "Z" or "+HH:MM" or
 *              "-HH:MM" (the offset is required); 'T' and 'Z' may be lower
 *              case. The fraction is dropped (rounded toward the past). A
 *              leap second (":60") is rejected: Unix time cannot hold it.
 * Formatting writes 4-digit years, so it fails with DOGE_ERANGE for dates
 * outside years 0000..9999.
 *
 * Ownership: nothing here allocates. Text is read from (s, len) views, which
 * need not be NUL-terminated; output goes to caller-provided arrays of at
 * least the *_STRLEN sizes below (DOGE_ELIMIT if cap is smaller).
 */
#ifndef DOGE_DATE_H
#define DOGE_DATE_H

#include "doge/common.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DOGE_DATE_MIN_YEAR 0
#define DOGE_DATE_MAX_YEAR 9999

/* Output sizes, NUL included: "2025-02-24", "2025-W08",
 * "2025-02-25T04:59:00Z". */
#define DOGE_DATE_STRLEN 11
#define DOGE_DATE_WEEK_STRLEN 9
#define DOGE_DATE_TIMESTAMP_STRLEN 21

/* Days since 1970-01-01 for a calendar date. DOGE_EINVAL (naming the date)
 * when the year is outside 0..9999, the month outside 1..12 or the day
 * outside the month. */
DOGE_EXTERN int doge_date_from_ymd(int year, int month, int day, int32_t *days);

/* The calendar date of a day number (any int32_t value). */
DOGE_EXTERN void doge_date_to_ymd(int32_t days, int *year, int *month, int *day);

/* Parses "YYYY-MM-DD". DOGE_EINVAL naming the text and the offset. */
DOGE_EXTERN int doge_date_parse(const char *s, size_t len, int32_t *days);

/* Writes "YYYY-MM-DD" into out (cap >= DOGE_DATE_STRLEN). */
DOGE_EXTERN int doge_date_format(int32_t days, char *out, size_t cap);

/* ISO weekday: 1 = Monday ... 7 = Sunday. */
DOGE_EXTERN int doge_date_weekday(int32_t days);

/* 52 or 53: the number of ISO weeks in iso_year. */
DOGE_EXTERN int doge_date_weeks_in_year(int iso_year);

/* The ISO week holding a date: its ISO year (which differs from the calendar
 * year in late December and early January) and week number 1..53. */
DOGE_EXTERN void doge_date_week_of(int32_t days, int *iso_year, int *week);

/* The Monday that starts ISO week `week` of iso_year. DOGE_EINVAL naming
 * the week when the year or week number is out of range. */
DOGE_EXTERN int doge_date_week_monday(int iso_year, int week, int32_t *days);

/* Parses "YYYY-Www". DOGE_EINVAL naming the text. */
DOGE_EXTERN int doge_date_week_parse(const char *s, size_t len, int *iso_year, int *week);

/* Writes "YYYY-Www" into out (cap >= DOGE_DATE_WEEK_STRLEN). */
DOGE_EXTERN int doge_date_week_format(int iso_year, int week, char *out, size_t cap);

/* Parses an RFC 3339 timestamp (see above) into Unix seconds. */
DOGE_EXTERN int doge_date_timestamp_parse(const char *s, size_t len, int64_t *unix_seconds);

/* Writes the timestamp in UTC as "YYYY-MM-DDTHH:MM:SSZ" into out
 * (cap >= DOGE_DATE_TIMESTAMP_STRLEN). */
DOGE_EXTERN int doge_date_timestamp_format(int64_t unix_seconds, char *out, size_t cap);

/* The UTC date of a timestamp. DOGE_ERANGE when it does not fit an int32. */
DOGE_EXTERN int doge_date_from_unix(int64_t unix_seconds, int32_t *days);

#ifdef __cplusplus
}
#endif
#endif
