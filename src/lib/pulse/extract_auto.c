/*
 * extract_auto.c — recognises out-of-office and other automatic replies by
 * their English text (headers such as Auto-Submitted are checked by the
 * MIME layer). The text is lower-cased and its whitespace collapsed, then
 * scored by phrase groups:
 *
 * - explicit: "automatic reply", "auto-reply", "automated response" ... 3
 * - absence: "out of the office", "on annual leave", "on travel", "no
 *   longer with" ... 1 each
 * - present or future self-reference: "i am out", "i'm currently", "i will
 *   be away" ... 1 each
 * - follow-up: "limited access to email", "upon my return", "for urgent",
 *   "please contact", "in my absence" ... 1 each
 *
 * Phrases count at word starts (ignoring case), each once. A text is an
 * auto-reply when it has an explicit phrase, or an absence phrase and a
 * score of 3 or more. Past tense does not score, so a genuine bullet such
 * as "I was out of the office on annual leave" (2) stays a bullet; and in a
 * marked list of two or more items only an explicit phrase counts, since a
 * real list may mention leave and a return date. Only the first
 * DOGE__X_AUTO_WINDOW bytes of normalised text are read.
 */
#include "extract_internal.h"

#include <pthread.h>
#include <string.h>

void doge__x_normalize(const char *s, size_t n, char *out, size_t cap, size_t *len)
{
    size_t o = *len;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n && o < cap; i++) {
        unsigned char c = u[i];
        if (doge__x_alnum(c)) { /* the common case */
            out[o++] = (char)(c | ((doge__x_cls[c] & DOGE__X_C_UPPER) ? 0x20 : 0));
            continue;
        }
        size_t w = doge__x_ws(s + i, n - i);
        if (w || c == '\n') {
            if (o > 0 && out[o - 1] != ' ')
                out[o++] = ' ';
            i += w ? w - 1 : 0;
            continue;
        }
        if (c == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0x98 || u[i + 2] == 0x99)) {
            out[o++] = '\'';
            i += 2;
            continue;
        }
        out[o++] = (char)doge__x_lc(c);
    }
    *len = o;
}

/* Explicit phrases: one is enough. Sorted by first byte (a phrase table,
 * see extract_internal.h). */
static const char *const EXPLICIT[] = {
    "auto reply", "auto-reply", "auto-response", "automated reply", "automated response",
    "automatic reply", "autoreply", "autoresponse", "out of office autoreply",
    "out of office reply", "out-of-office reply", "this is an automated"};

enum group { EXPL, ABSENCE, SELF, FOLLOW };

/* Every phrase with its group (the explicit ones again, so that prose is
 * scanned once), sorted by first byte. */
static const struct phrase {
    const char *text;
    enum group group;
} SCORED[] = {
    {"as soon as possible upon", FOLLOW}, {"auto reply", EXPL}, {"auto-reply", EXPL},
    {"auto-response", EXPL}, {"automated reply", EXPL}, {"automated response", EXPL},
    {"automatic reply", EXPL}, {"autoreply", EXPL}, {"autoresponse", EXPL},
    {"away from my desk", ABSENCE}, {"away from the office", ABSENCE}, {"away on", ABSENCE},
    {"delayed response", FOLLOW}, {"for immediate assistance", FOLLOW}, {"for urgent", FOLLOW},
    {"have left the", ABSENCE}, {"i am away", SELF}, {"i am currently", SELF},
    {"i am no longer", SELF}, {"i am not in", SELF}, {"i am on ", SELF}, {"i am out", SELF},
    {"i am traveling", SELF}, {"i am travelling", SELF}, {"i am unavailable", SELF},
    {"i have limited", SELF}, {"i will be away", SELF}, {"i will be on", SELF},
    {"i will be out", SELF}, {"i will be traveling", SELF}, {"i will be unavailable", SELF},
    {"i will have limited", SELF}, {"i will return", SELF}, {"i'm away", SELF},
    {"i'm currently", SELF}, {"i'm no longer", SELF}, {"i'm not in", SELF}, {"i'm on ", SELF},
    {"i'm out", SELF}, {"i'm unavailable", SELF}, {"if this is urgent", FOLLOW},
    {"if urgent", FOLLOW}, {"in my absence", FOLLOW}, {"limited access to e-mail", FOLLOW},
    {"limited access to email", FOLLOW}, {"limited access to my e", FOLLOW},
    {"limited e-mail access", FOLLOW}, {"limited email access", FOLLOW},
    {"no access to e", FOLLOW}, {"no longer employed", ABSENCE}, {"no longer with", ABSENCE},
    {"on a detail", ABSENCE}, {"on annual leave", ABSENCE}, {"on detail to", ABSENCE},
    {"on extended leave", ABSENCE}, {"on furlough", ABSENCE}, {"on holiday", ABSENCE},
    {"on leave", ABSENCE}, {"on maternity leave", ABSENCE}, {"on medical leave", ABSENCE},
    {"on official travel", ABSENCE}, {"on parental leave", ABSENCE},
    {"on paternity leave", ABSENCE}, {"on sick leave", ABSENCE}, {"on tdy", ABSENCE},
    {"on temporary duty", ABSENCE}, {"on travel", ABSENCE}, {"on vacation", ABSENCE},
    {"out of office", ABSENCE}, {"out of office autoreply", EXPL},
    {"out of office reply", EXPL}, {"out of the office", ABSENCE}, {"out on leave", ABSENCE},
    {"out sick", ABSENCE}, {"out-of-office", ABSENCE}, {"out-of-office reply", EXPL},
    {"please contact", FOLLOW}, {"please direct", FOLLOW}, {"please resend", FOLLOW},
    {"reply to your", FOLLOW}, {"respond to your", FOLLOW}, {"responses will be delayed", FOLLOW},
    {"return on", FOLLOW}, {"returning on", FOLLOW}, {"thank you for your e-mail", FOLLOW},
    {"thank you for your email", FOLLOW}, {"thank you for your message", FOLLOW},
    {"this is an automated", EXPL}, {"upon my return", FOLLOW}, {"when i return", FOLLOW},
    {"will be back", FOLLOW}, {"will be delayed", FOLLOW}, {"will not be forwarded", FOLLOW},
    {"will respond", FOLLOW}, {"will return on", FOLLOW}, {"will return to the office", FOLLOW},
    {"without access to e", FOLLOW}};

static doge__xtable T_EXPLICIT = DOGE__X_TABLE(EXPLICIT);
static doge__xtable T_SCORED = DOGE__X_TABLE(SCORED);
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void tables_init(void)
{
    doge__x_table_init(&T_EXPLICIT);
    doge__x_table_init(&T_SCORED);
}

static void tables(void)
{
    (void)pthread_once(&tables_once, tables_init);
}

int doge__x_auto_explicit(const char *s, size_t n)
{
    tables();
    return doge__x_table_scan(&T_EXPLICIT, s, n, NULL);
}

int doge__x_auto_reply(const char *norm, size_t n, int listy)
{
    if (n == 0)
        return 0;
    if (listy)
        return doge__x_auto_explicit(norm, n);
    tables();
    uint64_t bits[DOGE__X_TABLE_WORDS] = {0};
    if (!doge__x_table_scan(&T_SCORED, norm, n, bits))
        return 0;
    int score = 0, absence = 0;
    for (size_t i = 0; i < T_SCORED.count; i++)
        if (bits[i / 64] >> (i % 64) & 1) {
            if (SCORED[i].group == EXPL)
                return 1;
            absence |= SCORED[i].group == ABSENCE;
            score++;
        }
    return absence && score >= 3;
}

int doge__x_auto_check(void)
{
    tables();
    if (!doge__x_table_sorted(&T_EXPLICIT) || !doge__x_table_sorted(&T_SCORED) ||
        !T_EXPLICIT.ready || !T_SCORED.ready)
        return 0;
    /* Every explicit phrase is in the full table too. */
    for (size_t i = 0; i < sizeof EXPLICIT / sizeof EXPLICIT[0]; i++) {
        size_t k = 0;
        while (k < T_SCORED.count &&
               !(SCORED[k].group == EXPL && !strcmp(SCORED[k].text, EXPLICIT[i])))
            k++;
        if (k == T_SCORED.count)
            return 0;
    }
    return 1;
}

int doge_extract_is_auto_reply_text(const char *text, size_t len)
{
    if (!text || len == 0)
        return 0;
    char norm[DOGE__X_AUTO_WINDOW];
    size_t nl = 0;
    const char *p = text, *end = text + len;
    while (p < end && nl < sizeof norm) {
        const char *nlp = memchr(p, '\n', (size_t)(end - p));
        const char *e = nlp ? nlp : end;
        if (p < e && *p != '>') {
            if (nl > 0 && nl < sizeof norm && norm[nl - 1] != ' ')
                norm[nl++] = ' ';
            doge__x_normalize(p, (size_t)(e - p), norm, sizeof norm, &nl);
        }
        p = nlp ? nlp + 1 : end;
    }
    return doge__x_auto_reply(norm, nl, 0);
}
