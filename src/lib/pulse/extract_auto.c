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
 * A text is an auto-reply when it has an explicit phrase, or an absence
 * phrase and a score of 3 or more. Past tense does not score, so a genuine
 * bullet such as "I was out of the office on annual leave" (2) stays a
 * bullet; and in a marked list of two or more items only an explicit phrase
 * counts, since a real list may mention leave and a return date.
 */
#include "extract_internal.h"

#include <string.h>

void doge__x_normalize(const char *s, size_t n, char *out, size_t cap, size_t *len)
{
    size_t o = *len;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n && o < cap; i++) {
        unsigned char c = u[i];
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

static const char *const EXPLICIT[] = {
    "automatic reply", "auto-reply",         "auto reply",          "autoreply",
    "automated reply", "automated response", "this is an automated", "auto-response",
    "autoresponse",    "out of office reply", "out-of-office reply", "out of office autoreply"};

static const char *const ABSENCE[] = {
    "out of the office", "out of office",     "out-of-office",      "away from the office",
    "away from my desk", "on annual leave",   "on leave",           "on vacation",
    "on travel",         "on official travel", "on furlough",       "on sick leave",
    "on maternity leave", "on paternity leave", "on parental leave", "on holiday",
    "out on leave",      "no longer with",    "no longer employed", "have left the",
    "on temporary duty", "on tdy",            "on a detail",        "on detail to",
    "on extended leave", "on medical leave",  "out sick",           "away on"};

static const char *const SELF[] = {
    "i am out",          "i'm out",          "i am currently",    "i'm currently",
    "i will be out",     "i will be away",   "i will be on",      "i am away",
    "i'm away",          "i am on ",         "i'm on ",           "i will return",
    "i am no longer",    "i'm no longer",    "i am traveling",    "i am travelling",
    "i will be traveling", "i will be unavailable", "i am unavailable", "i'm unavailable",
    "i will have limited", "i have limited",  "i am not in",       "i'm not in"};

static const char *const FOLLOW[] = {
    "limited access to e-mail", "limited access to email", "limited access to my e",
    "limited email access",     "limited e-mail access",   "no access to e",
    "without access to e",      "upon my return",          "when i return",
    "will return on",           "will return to the office", "will be back",
    "returning on",             "return on",               "will respond",
    "respond to your",          "reply to your",           "for urgent",
    "if this is urgent",        "if urgent",               "for immediate assistance",
    "in my absence",            "please contact",          "thank you for your email",
    "thank you for your e-mail", "thank you for your message", "delayed response",
    "responses will be delayed", "will be delayed",        "as soon as possible upon",
    "please resend",            "will not be forwarded",   "please direct"};

static int hits(const char *s, size_t n, const char *const *list, size_t count)
{
    int h = 0;
    for (size_t i = 0; i < count; i++)
        if (doge__x_find(s, n, list[i], strlen(list[i])))
            h++;
    return h;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int doge__x_auto_reply(const char *norm, size_t n, int listy)
{
    if (n == 0)
        return 0;
    if (hits(norm, n, EXPLICIT, COUNT(EXPLICIT)))
        return 1;
    if (listy)
        return 0;
    int absence = hits(norm, n, ABSENCE, COUNT(ABSENCE));
    if (!absence)
        return 0;
    int score = absence + hits(norm, n, SELF, COUNT(SELF));
    if (score < 3)
        score += hits(norm, n, FOLLOW, COUNT(FOLLOW));
    return score >= 3;
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
