/*
 * date.c — day numbers, ISO weeks and RFC 3339 timestamps. The calendar math
 * is Howard Hinnant's days_from_civil / civil_from_days (exact for the whole
 * proleptic Gregorian calendar, computed in int64_t so no input overflows).
 * Parsing walks the text with a small cursor so every rejection can say what
 * shape was expected and the offset of the first byte that does not fit.
 */
#include "doge/date.h"
#include "internal.h"
#include "util/snippet.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SECS_PER_DAY 86400

/* ---- calendar math -------------------------------------------------------- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                  /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;          /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;                                       /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static int days_in_month(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static const char *const month_names[12] = {"January", "February", "March",     "April",
                                            "May",     "June",     "July",      "August",
                                            "September", "October", "November", "December"};

static int weekday64(int64_t days) { return (int)(((days % 7) + 7 + 3) % 7) + 1; }

static int64_t week1_monday(int64_t iso_year)
{
    int64_t jan4 = days_from_civil(iso_year, 1, 4);
    return jan4 - (weekday64(jan4) - 1);
}

static int weeks_in(int64_t iso_year)
{
    return (int)((week1_monday(iso_year + 1) - week1_monday(iso_year)) / 7);
}

/* Floor division of a timestamp into days and seconds of the day. */
static void split_unix(int64_t t, int64_t *days, int64_t *secs)
{
    int64_t q = t / SECS_PER_DAY, r = t % SECS_PER_DAY;
    if (r < 0) {
        r += SECS_PER_DAY;
        q--;
    }
    *days = q;
    *secs = r;
}

/* ---- the parsing cursor --------------------------------------------------- */

struct cur {
    const char *s;
    size_t len, pos;
    const char *what;  /* "date", "week", "timestamp" */
    const char *shape; /* what was expected, for syntax errors */
};

static int syntax_error(const struct cur *c)
{
    char q[DOGE__SNIPPET_SIZE], ch[8];
    if (c->len == 0)
        return doge__error_set(DOGE_EINVAL, "%s '': expected %s; empty", c->what, c->shape);
    doge__util_snippet(q, sizeof q, c->s, c->len);
    if (c->pos >= c->len)
        return doge__error_set(DOGE_EINVAL, "%s '%s': expected %s; ends at offset %zu", c->what,
                               q, c->shape, c->pos);
    return doge__error_set(DOGE_EINVAL, "%s '%s': expected %s; unexpected '%s' at offset %zu",
                           c->what, q, c->shape,
                           doge__util_char(ch, (unsigned char)c->s[c->pos]), c->pos);
}

static int value_error(const struct cur *c, const char *fmt, ...) DOGE__PRINTF(2, 3);
static int value_error(const struct cur *c, const char *fmt, ...)
{
    char q[DOGE__SNIPPET_SIZE], why[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return doge__error_set(DOGE_EINVAL, "%s '%s': %s", c->what,
                           doge__util_snippet(q, sizeof q, c->s, c->len), why);
}

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static int take_digits(struct cur *c, int n, int *v)
{
    int x = 0;
    for (int i = 0; i < n; i++) {
        if (c->pos >= c->len || !is_digit(c->s[c->pos]))
            return syntax_error(c);
        x = x * 10 + (c->s[c->pos++] - '0');
    }
    *v = x;
    return DOGE_OK;
}

static int take_char(struct cur *c, char ch)
{
    if (c->pos >= c->len || c->s[c->pos] != ch)
        return syntax_error(c);
    c->pos++;
    return DOGE_OK;
}

static int expect_end(const struct cur *c)
{
    return c->pos == c->len ? DOGE_OK : syntax_error(c);
}

/* Checks a calendar date, naming c's text on failure. */
static int check_ymd(const struct cur *c, int64_t y, int m, int d)
{
    if (y < DOGE_DATE_MIN_YEAR || y > DOGE_DATE_MAX_YEAR)
        return value_error(c, "year %lld out of range %d..%d", (long long)y, DOGE_DATE_MIN_YEAR,
                           DOGE_DATE_MAX_YEAR);
    if (m < 1 || m > 12)
        return value_error(c, "month %d out of range 1..12", m);
    if (d < 1 || d > days_in_month(y, m))
        return value_error(c, "day %d out of range for %s %lld", d, month_names[m - 1],
                           (long long)y);
    return DOGE_OK;
}

/* Reads YYYY-MM-DD at the cursor (no end check). */
static int take_date(struct cur *c, int64_t *days)
{
    int y = 0, m = 0, d = 0, rc;
    if ((rc = take_digits(c, 4, &y)) < 0 || (rc = take_char(c, '-')) < 0 ||
        (rc = take_digits(c, 2, &m)) < 0 || (rc = take_char(c, '-')) < 0 ||
        (rc = take_digits(c, 2, &d)) < 0)
        return rc;
    if ((rc = check_ymd(c, y, m, d)) < 0)
        return rc;
    *days = days_from_civil(y, m, d);
    return DOGE_OK;
}

static int small_cap(const char *what, size_t cap, size_t need)
{
    return doge__error_set(DOGE_ELIMIT, "%s: output buffer of %zu bytes is too small (need %zu)",
                           what, cap, need);
}

/* ---- dates ---------------------------------------------------------------- */

int doge_date_from_ymd(int year, int month, int day, int32_t *days)
{
    char text[64];
    int n = snprintf(text, sizeof text, "%04d-%02d-%02d", year, month, day);
    struct cur c = {text, (size_t)n, 0, "date", "YYYY-MM-DD"};
    int rc = check_ymd(&c, year, month, day);
    if (rc < 0)
        return rc;
    *days = (int32_t)days_from_civil(year, month, day);
    return DOGE_OK;
}

void doge_date_to_ymd(int32_t days, int *year, int *month, int *day)
{
    int64_t y;
    civil_from_days(days, &y, month, day);
    *year = (int)y;
}

int doge_date_parse(const char *s, size_t len, int32_t *days)
{
    struct cur c = {s, len, 0, "date", "YYYY-MM-DD"};
    int64_t d;
    int rc = take_date(&c, &d);
    if (rc == DOGE_OK)
        rc = expect_end(&c);
    if (rc < 0)
        return rc;
    *days = (int32_t)d;
    return DOGE_OK;
}

/* Writes YYYY-MM-DD for day number d, which must be in range. */
/* v as exactly w decimal digits (0 <= v < 10^w). By hand: two snprintf()
 * calls were 2% of an ingest worker, which stamps every reply. */
static void put_digits(char *out, int v, int w)
{
    for (int i = w - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

/* YYYY-MM-DD and a NUL (the caller keeps the year in range: 4 digits). */
static void put_date(char *out, int64_t d)
{
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    put_digits(out, (int)y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, dd, 2);
    out[10] = '\0';
}

static int date_in_range(int64_t d)
{
    return d >= days_from_civil(DOGE_DATE_MIN_YEAR, 1, 1) &&
           d <= days_from_civil(DOGE_DATE_MAX_YEAR, 12, 31);
}

int doge_date_format(int32_t days, char *out, size_t cap)
{
    if (cap < DOGE_DATE_STRLEN)
        return small_cap("date", cap, DOGE_DATE_STRLEN);
    if (!date_in_range(days)) {
        int y, m, d;
        doge_date_to_ymd(days, &y, &m, &d);
        out[0] = '\0';
        return doge__error_set(DOGE_ERANGE, "date %ld (days since 1970-01-01): year %d out of "
                               "range %d..%d", (long)days, y, DOGE_DATE_MIN_YEAR,
                               DOGE_DATE_MAX_YEAR);
    }
    put_date(out, days);
    return DOGE_OK;
}

int doge_date_weekday(int32_t days) { return weekday64(days); }

/* ---- ISO weeks ------------------------------------------------------------ */

int doge_date_weeks_in_year(int iso_year) { return weeks_in(iso_year); }

void doge_date_week_of(int32_t days, int *iso_year, int *week)
{
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    int64_t w1 = week1_monday(y + 1);
    if (days >= w1) {
        y++;
    } else {
        w1 = week1_monday(y);
        if (days < w1) {
            y--;
            w1 = week1_monday(y);
        }
    }
    *iso_year = (int)y;
    *week = (int)((days - w1) / 7 + 1);
}

static int check_week(const struct cur *c, int64_t y, int w)
{
    if (y < DOGE_DATE_MIN_YEAR || y > DOGE_DATE_MAX_YEAR)
        return value_error(c, "year %lld out of range %d..%d", (long long)y, DOGE_DATE_MIN_YEAR,
                           DOGE_DATE_MAX_YEAR);
    int n = weeks_in(y);
    if (w < 1 || w > n)
        return value_error(c, "week %d out of range 1..%d for %lld", w, n, (long long)y);
    return DOGE_OK;
}

int doge_date_week_monday(int iso_year, int week, int32_t *days)
{
    char text[64];
    int n = snprintf(text, sizeof text, "%04d-W%02d", iso_year, week);
    struct cur c = {text, (size_t)n, 0, "week", "YYYY-Www"};
    int rc = check_week(&c, iso_year, week);
    if (rc < 0)
        return rc;
    *days = (int32_t)(week1_monday(iso_year) + (int64_t)(week - 1) * 7);
    return DOGE_OK;
}

int doge_date_week_parse(const char *s, size_t len, int *iso_year, int *week)
{
    struct cur c = {s, len, 0, "week", "YYYY-Www"};
    int y = 0, w = 0, rc;
    if ((rc = take_digits(&c, 4, &y)) < 0 || (rc = take_char(&c, '-')) < 0 ||
        (rc = take_char(&c, 'W')) < 0 || (rc = take_digits(&c, 2, &w)) < 0 ||
        (rc = expect_end(&c)) < 0 || (rc = check_week(&c, y, w)) < 0)
        return rc;
    *iso_year = y;
    *week = w;
    return DOGE_OK;
}

int doge_date_week_format(int iso_year, int week, char *out, size_t cap)
{
    if (cap < DOGE_DATE_WEEK_STRLEN)
        return small_cap("week", cap, DOGE_DATE_WEEK_STRLEN);
    int32_t monday;
    int rc = doge_date_week_monday(iso_year, week, &monday);
    if (rc < 0) {
        out[0] = '\0';
        return rc;
    }
    snprintf(out, cap, "%04d-W%02d", iso_year, week);
    return DOGE_OK;
}

/* ---- timestamps ----------------------------------------------------------- */

#define TS_SHAPE "YYYY-MM-DDTHH:MM[:SS] then 'Z' or +HH:MM"

int doge_date_timestamp_parse(const char *s, size_t len, int64_t *unix_seconds)
{
    struct cur c = {s, len, 0, "timestamp", TS_SHAPE};
    int64_t days;
    int hh = 0, mm = 0, ss = 0, rc;
    if ((rc = take_date(&c, &days)) < 0)
        return rc;
    if (c.pos < c.len && (s[c.pos] == 'T' || s[c.pos] == 't'))
        c.pos++;
    else
        return syntax_error(&c);
    if ((rc = take_digits(&c, 2, &hh)) < 0 || (rc = take_char(&c, ':')) < 0 ||
        (rc = take_digits(&c, 2, &mm)) < 0)
        return rc;
    if (c.pos < c.len && s[c.pos] == ':') {
        c.pos++;
        if ((rc = take_digits(&c, 2, &ss)) < 0)
            return rc;
        if (c.pos < c.len && s[c.pos] == '.') {
            c.pos++;
            if (c.pos >= c.len || !is_digit(s[c.pos]))
                return syntax_error(&c);
            while (c.pos < c.len && is_digit(s[c.pos]))
                c.pos++;
        }
    }
    if (hh > 23)
        return value_error(&c, "hour %d out of range 0..23", hh);
    if (mm > 59)
        return value_error(&c, "minute %d out of range 0..59", mm);
    if (ss == 60)
        return value_error(&c, "second 60 (a leap second) is not supported");
    if (ss > 59)
        return value_error(&c, "second %d out of range 0..59", ss);
    int64_t offset = 0;
    if (c.pos >= c.len)
        return value_error(&c, "missing UTC offset ('Z' or +HH:MM) at offset %zu", c.pos);
    char z = s[c.pos];
    if (z == 'Z' || z == 'z') {
        c.pos++;
    } else if (z == '+' || z == '-') {
        int oh = 0, om = 0;
        c.pos++;
        if ((rc = take_digits(&c, 2, &oh)) < 0 || (rc = take_char(&c, ':')) < 0 ||
            (rc = take_digits(&c, 2, &om)) < 0)
            return rc;
        if (oh > 23)
            return value_error(&c, "offset hour %d out of range 0..23", oh);
        if (om > 59)
            return value_error(&c, "offset minute %d out of range 0..59", om);
        offset = (z == '-' ? -1 : 1) * (int64_t)(oh * 3600 + om * 60);
    } else {
        return syntax_error(&c);
    }
    if ((rc = expect_end(&c)) < 0)
        return rc;
    *unix_seconds = days * SECS_PER_DAY + hh * 3600 + mm * 60 + ss - offset;
    return DOGE_OK;
}

int doge_date_timestamp_format(int64_t unix_seconds, char *out, size_t cap)
{
    if (cap < DOGE_DATE_TIMESTAMP_STRLEN)
        return small_cap("timestamp", cap, DOGE_DATE_TIMESTAMP_STRLEN);
    int64_t days, secs;
    split_unix(unix_seconds, &days, &secs);
    if (!date_in_range(days)) {
        out[0] = '\0';
        return doge__error_set(DOGE_ERANGE, "timestamp %lld: year out of range %d..%d",
                               (long long)unix_seconds, DOGE_DATE_MIN_YEAR, DOGE_DATE_MAX_YEAR);
    }
    put_date(out, days);
    out[10] = 'T';
    put_digits(out + 11, (int)(secs / 3600), 2);
    out[13] = ':';
    put_digits(out + 14, (int)(secs / 60 % 60), 2);
    out[16] = ':';
    put_digits(out + 17, (int)(secs % 60), 2);
    out[19] = 'Z';
    out[20] = '\0';
    return DOGE_OK;
}

int doge_date_from_unix(int64_t unix_seconds, int32_t *days)
{
    int64_t d, secs;
    split_unix(unix_seconds, &d, &secs);
    if (d < INT32_MIN || d > INT32_MAX)
        return doge__error_set(DOGE_ERANGE, "timestamp %lld: day number out of range",
                               (long long)unix_seconds);
    *days = (int32_t)d;
    return DOGE_OK;
}
