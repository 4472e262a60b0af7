/*
 * utf8.c — strict UTF-8 (util/utf8.h): the length of one sequence, and the
 * check of a whole text, eight bytes at a time while it is ASCII (nearly
 * all award data and mail is), naming the offset of the first bad byte.
 */
#include "util/utf8.h"

size_t doge__utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t k;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        k = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        k = 3;
        if (c == 0xe0)
            lo = 0xa0; /* no overlong forms */
        else if (c == 0xed)
            hi = 0x9f; /* no surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        k = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f; /* nothing past U+10FFFF */
    } else
        return 0;
    if (n < k || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    return k;
}

size_t doge__utf8_check(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        i += doge__ascii_run(s + i, len - i, 0);
        if (i == len)
            break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = doge__utf8_seq(s + i, len - i);
        if (!k)
            return i;
        i += k;
    }
    return len;
}
