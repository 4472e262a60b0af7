/*
 * checkpoint.c — C2SP tlog-checkpoint v1 bodies (strict parse, exact
 * format) and C2SP tlog-cosignature v1 Ed25519 cosignature lines (sign and
 * verify). See doge/checkpoint.h for the formats and rules.
 */
#include "doge/checkpoint.h"
#include "doge/note.h"
#include "id_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define SIZE_MAX_ALLOWED UINT64_C(0x7fffffffffffffff)

struct doge_checkpoint {
    char *origin;
    uint64_t size;
    uint8_t root[DOGE_CHECKPOINT_HASH_SIZE];
    char **ext;
    size_t next;
};

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* A line of checkpoint text: non-empty, valid UTF-8, no control character. */
static int line_ok(const char *s, size_t len)
{
    return len > 0 && doge__note_text_valid(s, len, NULL) && memchr(s, '\n', len) == NULL;
}

void doge_checkpoint_free(doge_checkpoint *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->next; i++)
        free(c->ext[i]);
    free(c->ext);
    free(c->origin);
    free(c);
}

int doge_checkpoint_new(doge_checkpoint **out, const char *origin, uint64_t size,
                        const uint8_t root[DOGE_CHECKPOINT_HASH_SIZE])
{
    if (!out || !origin || !root)
        return doge__error_set(DOGE_EINVAL, "doge_checkpoint_new: NULL argument");
    *out = NULL;
    size_t olen = strlen(origin);
    if (!line_ok(origin, olen))
        return doge__error_set(DOGE_EINVAL,
                               "checkpoint origin '%.200s' is empty, not UTF-8 or has a control character",
                               origin);
    if (size > SIZE_MAX_ALLOWED)
        return doge__error_set(DOGE_ERANGE, "checkpoint size %llu exceeds 2^63 - 1",
                               (unsigned long long)size);
    doge_checkpoint *c = calloc(1, sizeof *c);
    if (!c)
        return doge__error_oom();
    c->origin = dup_n(origin, olen);
    if (!c->origin) {
        free(c);
        return doge__error_oom();
    }
    c->size = size;
    memcpy(c->root, root, DOGE_CHECKPOINT_HASH_SIZE);
    *out = c;
    return DOGE_OK;
}

static int add_ext(doge_checkpoint *c, const char *line, size_t len)
{
    if (c->next >= DOGE_CHECKPOINT_MAX_EXTENSIONS)
        return doge__error_set(DOGE_ELIMIT, "checkpoint has more than %d extension lines",
                               DOGE_CHECKPOINT_MAX_EXTENSIONS);
    char **grown = realloc(c->ext, (c->next + 1) * sizeof *grown);
    if (!grown)
        return doge__error_oom();
    c->ext = grown;
    c->ext[c->next] = dup_n(line, len);
    if (!c->ext[c->next])
        return doge__error_oom();
    c->next++;
    return DOGE_OK;
}

int doge_checkpoint_add_extension(doge_checkpoint *c, const char *line)
{
    if (!c || !line)
        return doge__error_set(DOGE_EINVAL, "doge_checkpoint_add_extension: NULL argument");
    size_t len = strlen(line);
    if (!line_ok(line, len))
        return doge__error_set(DOGE_EINVAL,
                               "checkpoint extension line '%.200s' is empty, not UTF-8 or has a control character",
                               line);
    return add_ext(c, line, len);
}

/* Parses a tree size: ASCII decimal, no leading zeros, at most 2^63 - 1. */
static int parse_size(const char *s, size_t len, uint64_t *out)
{
    int shown = (int)(len > 40 ? 40 : len);
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return doge__error_set(DOGE_EINVAL,
                                   "checkpoint line 2: size '%.*s' is not a decimal number", shown, s);
    if (len > 1 && s[0] == '0')
        return doge__error_set(DOGE_EINVAL, "checkpoint line 2: size '%.*s' has a leading zero",
                               shown, s);
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        uint64_t d = (uint64_t)(s[i] - '0');
        if (v > (SIZE_MAX_ALLOWED - d) / 10)
            return doge__error_set(DOGE_ERANGE, "checkpoint line 2: size '%.*s' exceeds 2^63 - 1",
                                   shown, s);
        v = v * 10 + d;
    }
    *out = v;
    return DOGE_OK;
}

int doge_checkpoint_parse(doge_checkpoint **out, const char *text, size_t len)
{
    if (!out || (!text && len))
        return doge__error_set(DOGE_EINVAL, "doge_checkpoint_parse: NULL argument");
    *out = NULL;
    if (len > DOGE_NOTE_MAX_SIZE)
        return doge__error_set(DOGE_ELIMIT, "checkpoint is %zu bytes, more than the limit of %d",
                               len, DOGE_NOTE_MAX_SIZE);
    if (len == 0 || text[len - 1] != '\n')
        return doge__error_set(DOGE_EINVAL, "checkpoint does not end in a newline");
    /* Walk the lines. */
    const char *lines[3];
    size_t lens[3];
    size_t nlines = 0, off = 0;
    doge_checkpoint *c = NULL;
    int rc = DOGE_OK;
    while (off < len) {
        const char *p = text + off;
        const char *nl = memchr(p, '\n', len - off);
        size_t ll = (size_t)(nl - p);
        size_t lineno = nlines + 1;
        if (ll == 0) {
            rc = doge__error_set(DOGE_EINVAL, "checkpoint line %zu: %s is empty", lineno,
                                 lineno == 1 ? "origin" : lineno == 2 ? "size"
                                            : lineno == 3 ? "root hash" : "extension line");
            goto fail;
        }
        size_t bad;
        if (!doge__note_text_valid(p, ll, &bad)) {
            rc = doge__error_set(DOGE_EINVAL,
                                 "checkpoint line %zu: invalid UTF-8 or a control character at column %zu",
                                 lineno, bad + 1);
            goto fail;
        }
        if (nlines < 3) {
            lines[nlines] = p;
            lens[nlines] = ll;
        }
        if (nlines == 2) {
            uint64_t size = 0;
            uint8_t root[3 * 64];
            size_t rlen = 0;
            rc = parse_size(lines[1], lens[1], &size);
            if (rc)
                goto fail;
            if (lens[2] > 64 || doge__b64_decode(root, &rlen, lines[2], lens[2]) != 0) {
                rc = doge__error_set(DOGE_EINVAL,
                                     "checkpoint line 3: root hash '%.*s' is not canonical base64",
                                     (int)(lens[2] > 64 ? 64 : lens[2]), lines[2]);
                goto fail;
            }
            if (rlen != DOGE_CHECKPOINT_HASH_SIZE) {
                rc = doge__error_set(DOGE_EINVAL,
                                     "checkpoint line 3: root hash is %zu bytes, want %d", rlen,
                                     DOGE_CHECKPOINT_HASH_SIZE);
                goto fail;
            }
            c = calloc(1, sizeof *c);
            if (!c) {
                rc = doge__error_oom();
                goto fail;
            }
            c->origin = dup_n(lines[0], lens[0]);
            if (!c->origin) {
                rc = doge__error_oom();
                goto fail;
            }
            c->size = size;
            memcpy(c->root, root, DOGE_CHECKPOINT_HASH_SIZE);
        } else if (nlines > 2) {
            rc = add_ext(c, p, ll);
            if (rc) {
                doge__error_prefix("checkpoint line %zu", lineno);
                goto fail;
            }
        }
        nlines++;
        off += ll + 1;
    }
    if (nlines < 3) {
        rc = doge__error_set(DOGE_EINVAL,
                             "checkpoint has %zu line%s, want at least 3 (origin, size, root hash)",
                             nlines, nlines == 1 ? "" : "s");
        goto fail;
    }
    *out = c;
    return DOGE_OK;
fail:
    doge_checkpoint_free(c);
    return rc;
}

int doge_checkpoint_format(const doge_checkpoint *c, char **out, size_t *out_len)
{
    if (!c || !out)
        return doge__error_set(DOGE_EINVAL, "doge_checkpoint_format: NULL argument");
    char size[24];
    int sl = snprintf(size, sizeof size, "%llu", (unsigned long long)c->size);
    char root[DOGE__B64_LEN(DOGE_CHECKPOINT_HASH_SIZE) + 1];
    size_t rl = doge__b64_encode(root, c->root, DOGE_CHECKPOINT_HASH_SIZE);
    size_t ol = strlen(c->origin);
    size_t room = ol + 1 + (size_t)sl + 1 + rl + 1 + 1;
    for (size_t i = 0; i < c->next; i++)
        room += strlen(c->ext[i]) + 1;
    char *buf = malloc(room);
    if (!buf)
        return doge__error_oom();
    size_t p = 0;
    memcpy(buf + p, c->origin, ol);
    p += ol;
    buf[p++] = '\n';
    memcpy(buf + p, size, (size_t)sl);
    p += (size_t)sl;
    buf[p++] = '\n';
    memcpy(buf + p, root, rl);
    p += rl;
    buf[p++] = '\n';
    for (size_t i = 0; i < c->next; i++) {
        size_t el = strlen(c->ext[i]);
        memcpy(buf + p, c->ext[i], el);
        p += el;
        buf[p++] = '\n';
    }
    buf[p] = '\0';
    *out = buf;
    if (out_len)
        *out_len = p;
    return DOGE_OK;
}

const char *doge_checkpoint_origin(const doge_checkpoint *c) { return c ? c->origin : NULL; }
uint64_t doge_checkpoint_size(const doge_checkpoint *c) { return c ? c->size : 0; }
const uint8_t *doge_checkpoint_root(const doge_checkpoint *c) { return c ? c->root : NULL; }
size_t doge_checkpoint_extension_count(const doge_checkpoint *c) { return c ? c->next : 0; }

const char *doge_checkpoint_extension(const doge_checkpoint *c, size_t i)
{
    return c && i < c->next ? c->ext[i] : NULL;
}

/* ---- tlog-cosignature v1 ------------------------------------------------ */

static int check_body(const char *body, size_t body_len, const char *what)
{
    doge_checkpoint *c = NULL;
    int rc = doge_checkpoint_parse(&c, body, body_len);
    doge_checkpoint_free(c);
    if (rc)
        return doge__error_prefix("%s", what);
    return DOGE_OK;
}

int doge_cosignature_sign(char **line, size_t *line_len, const doge_signer *witness,
                          const char *body, size_t body_len, uint64_t timestamp)
{
    if (!line || !witness)
        return doge__error_set(DOGE_EINVAL, "doge_cosignature_sign: NULL argument");
    *line = NULL;
    const char *name = doge_signer_name(witness);
    if (doge_signer_type(witness) != DOGE_KEY_COSIGNATURE_V1)
        return doge__error_set(DOGE_EINVAL,
                               "cosigning: key '%s' has type 0x%02x, want 0x04 (cosignature/v1)",
                               name, (unsigned)doge_signer_type(witness));
    int rc = check_body(body, body_len, "cosigning");
    if (rc)
        return rc;
    uint8_t *m = NULL;
    size_t mlen = 0;
    rc = doge__cosignature_message(&m, &mlen, body, body_len, timestamp);
    if (rc)
        return doge__error_prefix("cosigning");
    uint8_t raw[4 + 8 + DOGE_ED25519_SIG_SIZE];
    doge__put_be32(raw, doge_signer_key_hash(witness));
    doge__put_be64(raw + 4, timestamp);
    rc = doge_signer_sign(witness, m, mlen, raw + 12);
    free(m);
    if (rc)
        return rc;
    size_t nl = strlen(name);
    size_t room = 4 + nl + 1 + DOGE__B64_LEN(sizeof raw) + 2;
    char *buf = malloc(room);
    if (!buf)
        return doge__error_oom();
    size_t p = 0;
    memcpy(buf, "\xe2\x80\x94 ", 4);
    p = 4;
    memcpy(buf + p, name, nl);
    p += nl;
    buf[p++] = ' ';
    p += doge__b64_encode(buf + p, raw, sizeof raw);
    buf[p++] = '\n';
    buf[p] = '\0';
    *line = buf;
    if (line_len)
        *line_len = p;
    return DOGE_OK;
}

int doge_cosignature_verify(const doge_verifier *witness, const char *body, size_t body_len,
                            const char *line, size_t line_len, uint64_t *timestamp)
{
    if (!witness || (!line && line_len))
        return doge__error_set(DOGE_EINVAL, "doge_cosignature_verify: NULL argument");
    if (doge_verifier_type(witness) != DOGE_KEY_COSIGNATURE_V1)
        return doge__error_set(DOGE_EINVAL,
                               "verifying a cosignature: key '%s' has type 0x%02x, want 0x04 (cosignature/v1)",
                               doge_verifier_name(witness), (unsigned)doge_verifier_type(witness));
    int rc = check_body(body, body_len, "verifying a cosignature");
    if (rc)
        return rc;
    if (line_len > 0 && line[line_len - 1] == '\n')
        line_len--;
    if (line_len == 0 || memchr(line, '\n', line_len))
        return doge__error_set(DOGE_EINVAL, "verifying a cosignature: expected exactly one signature line");
    if (body_len > DOGE_NOTE_MAX_SIZE || line_len > DOGE_NOTE_MAX_SIZE - body_len - 2)
        return doge__error_set(DOGE_ELIMIT, "verifying a cosignature: checkpoint and line exceed %d bytes",
                               DOGE_NOTE_MAX_SIZE);
    /* Reuse the note parser and verifier on "body\n<line>\n". */
    size_t len = body_len + 1 + line_len + 1;
    char *msg = malloc(len + 1);
    if (!msg)
        return doge__error_oom();
    memcpy(msg, body, body_len);
    msg[body_len] = '\n';
    memcpy(msg + body_len + 1, line, line_len);
    msg[len - 1] = '\n';
    msg[len] = '\0';
    doge_note *n = NULL;
    rc = doge_note_parse(&n, msg, len);
    free(msg);
    if (rc)
        return doge__error_prefix("verifying a cosignature");
    const doge_note_sig *s = doge_note_sig_at(n, 0);
    if (doge_note_sig_count(n) != 1 || strcmp(s->name, doge_verifier_name(witness)) != 0 ||
        s->key_hash != doge_verifier_key_hash(witness)) {
        rc = doge__error_set(DOGE_EINVAL,
                             "verifying a cosignature: the line is by key %s+%08x, not by witness %s+%08x",
                             s->name, (unsigned)s->key_hash, doge_verifier_name(witness),
                             (unsigned)doge_verifier_key_hash(witness));
        doge_note_free(n);
        return rc;
    }
    rc = doge_note_verify(n, &witness, 1);
    if (rc == DOGE_OK && timestamp)
        *timestamp = doge_note_sig_at(n, 0)->timestamp;
    doge_note_free(n);
    if (rc)
        return doge__error_prefix("verifying a cosignature");
    return DOGE_OK;
}
