/*
 * receipts_link.c — what a savings claim's award id or link names. FPDS
 * links carry the award's key parts as query parameters
 * (viewLinkController.jsp?agencyID=7529&PIID=75N95023C00031&modNumber=..
 * &idvAgencyID=&idvPIID=&contractType=AWARD), or a search (ezsearch
 * ...?q=PIID:"75N95023C00031"); USAspending links end in the award's
 * generated id (/award/CONT_AWD_<piid>_<agency>_<parent piid>_<parent
 * agency>, CONT_IDV_<piid>_<agency>, ASST_NON_<fain>_<agency>,
 * ASST_AGG_<uri>_<agency>; "-NONE-" for an absent part). Query values are
 * percent-decoded and parameter names compared without case. Also the
 * placeholder test for award ids: the empty, all-zero, "N/A"-like, bare
 * vendor name and otherwise malformed ids a claim cannot be verified on.
 */
#include "internal.h"
#include "spend/spend_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Percent-decodes (and '+' to space) n bytes of s into out (cap bytes). */
static void decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            out[k++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            out[k++] = s[i] == '+' ? ' ' : s[i];
        }
    }
    out[k] = '\0';
}

/* Copies a value trimmed of spaces and quotes; "-NONE-" becomes "". */
static void put(char *dst, size_t cap, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '"')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '"'))
        n--;
    if (n == 6 && memcmp(s, "-NONE-", 6) == 0)
        n = 0;
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static int fpds(const char *link, doge_spend_award_ref *ref)
{
    const char *q = strchr(link, '?');
    if (!q)
        return doge__error_set(DOGE_EINVAL, "an FPDS link without a query: %.200s", link);
    q++;
    char val[512];
    while (*q) {
        const char *amp = strchr(q, '&'), *end = amp ? amp : q + strlen(q);
        const char *eq = memchr(q, '=', (size_t)(end - q));
        if (eq) {
            size_t kl = (size_t)(eq - q);
            decode(eq + 1, (size_t)(end - eq - 1), val, sizeof val);
            if (kl == 4 && strncasecmp(q, "PIID", 4) == 0)
                put(ref->piid, sizeof ref->piid, val, strlen(val));
            else if (kl == 8 && strncasecmp(q, "agencyID", 8) == 0)
                put(ref->agency, sizeof ref->agency, val, strlen(val));
            else if (kl == 7 && strncasecmp(q, "idvPIID", 7) == 0)
                put(ref->parent_piid, sizeof ref->parent_piid, val, strlen(val));
            else if (kl == 11 && strncasecmp(q, "idvAgencyID", 11) == 0)
                put(ref->parent_agency, sizeof ref->parent_agency, val, strlen(val));
            else if (kl == 1 && (*q == 'q' || *q == 'Q') && !ref->piid[0]) {
                /* ezsearch: q=PIID:"X" (other terms may follow). */
                const char *p = strstr(val, "PIID:");
                if (!p)
                    p = strstr(val, "piid:");
                if (p) {
                    p += 5;
                    size_t n;
                    if (*p == '"') {
                        p++;
                        const char *e = strchr(p, '"');
                        n = e ? (size_t)(e - p) : strlen(p);
                    } else {
                        n = strcspn(p, " \t");
                    }
                    put(ref->piid, sizeof ref->piid, p, n);
                }
            }
        }
        q = amp ? amp + 1 : end;
    }
    if (!ref->piid[0])
        return doge__error_set(DOGE_EINVAL, "an FPDS link without a PIID: %.200s", link);
    return DOGE_OK;
}

static int usaspending(const char *link, doge_spend_award_ref *ref)
{
    const char *p = strstr(link, "/award/");
    if (!p)
        return doge__error_set(DOGE_EINVAL, "a USAspending link that names no award: %.200s",
                               link);
    p += 7;
    size_t n = strcspn(p, "/?#");
    char id[300];
    decode(p, n, id, sizeof id);
    int awd = strncmp(id, "CONT_AWD_", 9) == 0, idv = strncmp(id, "CONT_IDV_", 9) == 0,
        asst = strncmp(id, "ASST_NON_", 9) == 0 || strncmp(id, "ASST_AGG_", 9) == 0;
    if (!awd && !idv && !asst)
        return doge__error_set(DOGE_EINVAL,
                               "a USAspending link whose award id '%.80s' is not a generated "
                               "CONT_AWD_, CONT_IDV_ or ASST_ id",
                               id);
    char *body = id + 9;
    /* Split from the right: the PIID itself may hold underscores. */
    char *parts[4] = {NULL, NULL, NULL, NULL};
    int want = awd ? 3 : 1;
    for (int k = 0; k < want; k++) {
        char *us = strrchr(body, '_');
        if (!us)
            return doge__error_set(DOGE_EINVAL, "a malformed USAspending award id '%.80s'", id);
        parts[want - k] = us + 1;
        *us = '\0';
    }
    parts[0] = body;
    put(ref->piid, sizeof ref->piid, parts[0], strlen(parts[0]));
    put(ref->agency, sizeof ref->agency, parts[1], strlen(parts[1]));
    if (awd) {
        put(ref->parent_piid, sizeof ref->parent_piid, parts[2], strlen(parts[2]));
        put(ref->parent_agency, sizeof ref->parent_agency, parts[3], strlen(parts[3]));
    }
    ref->assistance = asst;
    if (!ref->piid[0])
        return doge__error_set(DOGE_EINVAL, "a USAspending award id without a PIID or FAIN: %.80s",
                               id);
    return DOGE_OK;
}

int doge_spend_link_parse(const char *link, doge_spend_award_ref *ref)
{
    memset(ref, 0, sizeof *ref);
    if (!link || !*link)
        return doge__error_set(DOGE_EINVAL, "no link");
    if (strstr(link, "fpds.gov"))
        return fpds(link, ref);
    if (strstr(link, "usaspending.gov"))
        return usaspending(link, ref);
    return doge__error_set(DOGE_EINVAL, "not an FPDS or USAspending award link: %.200s", link);
}

int doge_spend_award_id_placeholder(const char *id, const char *recipient)
{
    if (!id)
        return 1;
    while (*id == ' ' || *id == '\t')
        id++;
    size_t n = strlen(id);
    while (n && (id[n - 1] == ' ' || id[n - 1] == '\t'))
        n--;
    if (n == 0 || n > 50)
        return 1;
    static const char *const words[] = {"N/A", "NA", "NONE", "NULL", "TBD", "UNKNOWN",
                                        "NOT AVAILABLE", "-", "?", "NIL"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && strncasecmp(words[i], id, n) == 0)
            return 1;
    int digit = 0, nonzero = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (!isalnum(c) && c != '-' && c != '.' && c != '_' && c != '/')
            return 1; /* spaces, commas: a name, not an id */
        if (isdigit(c))
            digit = 1;
        if (c != '0' && c != '-')
            nonzero = 1;
    }
    if (!digit || !nonzero)
        return 1;
    if (recipient) {
        size_t rl = strlen(recipient);
        if (rl == n && strncasecmp(recipient, id, n) == 0)
            return 1;
    }
    return 0;
}
