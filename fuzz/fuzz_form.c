/*
 * fuzz_form.c — libFuzzer target for doge serve's form and query decoder
 * (doge__srv_form_parse) and its HTML escaping. Properties: no crash or
 * sanitizer report; every decoded key and value is valid UTF-8 without NUL
 * or control bytes other than tab, CR and LF, and stays inside the input
 * buffer; re-encoding the pairs and parsing them again gives the same
 * pairs; escaped text holds no < > " ' and no bare &.
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void encode(doge_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.')
            doge_buf_append_char(b, (char)c);
        else
            doge_buf_printf(b, "%%%02X", c);
    }
}

static void check_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t' && *p != '\r' && *p != '\n') || *p == 0x7f)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    doge_srv_kv kv[32], kv2[32];
    int n = doge__srv_form_parse(text, size, kv, 32);
    if (n > 32)
        abort();
    if (n > 0) {
        doge_buf b, e;
        doge_buf_init(&b, 0);
        doge_buf_init(&e, 0);
        for (int i = 0; i < n; i++) {
            if (kv[i].key < text || kv[i].key > text + size || kv[i].value < text ||
                kv[i].value > text + size || !*kv[i].key)
                abort();
            check_text(kv[i].key);
            check_text(kv[i].value);
            if (i)
                doge_buf_append_char(&b, '&');
            encode(&b, kv[i].key);
            doge_buf_append_char(&b, '=');
            encode(&b, kv[i].value);
            doge_buf_reset(&e);
            doge__srv_html_escape(&e, kv[i].value);
            const char *h = doge_buf_cstr(&e);
            if (strpbrk(h, "<>\"'"))
                abort();
            for (const char *a = strchr(h, '&'); a; a = strchr(a + 1, '&'))
                if (strncmp(a, "&amp;", 5) && strncmp(a, "&lt;", 4) && strncmp(a, "&gt;", 4) &&
                    strncmp(a, "&quot;", 6) && strncmp(a, "&#39;", 5))
                    abort();
        }
        char *again = strndup(b.data, b.len);
        int n2 = doge__srv_form_parse(again, b.len, kv2, 32);
        if (n2 != n)
            abort();
        for (int i = 0; i < n; i++)
            if (strcmp(kv[i].key, kv2[i].key) || strcmp(kv[i].value, kv2[i].value))
                abort();
        free(again);
        doge_buf_dispose(&b);
        doge_buf_dispose(&e);
    }
    free(text);
    return 0;
}
