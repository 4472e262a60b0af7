/*
 * note.c — C2SP signed-note v1: signing texts, strict parsing of signed
 * notes, and verification against known verifier keys (Ed25519 note
 * signatures and tlog-cosignature v1 cosignatures). See doge/note.h for the
 * rules; parsing follows Go's golang.org/x/mod/sumdb/note Open(), with
 * canonical base64 required and every known key's signature verified.
 */
#include "doge/note.h"
#include "id_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define EM_DASH_SP "\xe2\x80\x94 " /* U+2014 and a space */
#define EM_DASH_SP_LEN 4

struct note_sig {
    doge_note_sig pub;
    size_t line; /* 1-based line number in the note, for messages */
    char *block; /* owns name, base64 and signature bytes */
};

struct doge_note {
    char *text;
    size_t text_len;
    struct note_sig *sigs;
    size_t nsigs;
    size_t verified;
};

/* 1-based line number of byte offset off in s. */
static size_t line_of(const char *s, size_t off)
{
    size_t line = 1;
    for (size_t i = 0; i < off; i++)
        if (s[i] == '\n')
            line++;
    return line;
}

static int check_text(const char *text, size_t len, const char *what)
{
    if (!text && len)
        return doge__error_set(DOGE_EINVAL, "%s: NULL text", what);
    if (len == 0 || text[len - 1] != '\n')
        return doge__error_set(DOGE_EINVAL, "%s: text does not end in a newline", what);
    size_t bad;
    if (!doge__note_text_valid(text, len, &bad))
        return doge__error_set(DOGE_EINVAL,
                               "%s: text line %zu has invalid UTF-8 or a control character",
                               what, line_of(text, bad));
    if (len > DOGE_NOTE_MAX_SIZE)
        return doge__error_set(DOGE_ELIMIT, "%s: text is %zu bytes, more than the limit of %d",
                               what, len, DOGE_NOTE_MAX_SIZE);
    return DOGE_OK;
}

/* Appends "— name base64(hash || sig)\n" for signer over text to buf at *pos
 * (buf has room: see line_room). */
static size_t line_room(const doge_signer *s)
{
    return EM_DASH_SP_LEN + strlen(doge_signer_name(s)) + 1 +
           DOGE__B64_LEN(4 + DOGE_ED25519_SIG_SIZE) + 1 + 1;
}

static int write_line(char *buf, size_t *pos, const doge_signer *s, const char *text, size_t len)
{
    if (doge_signer_type(s) != DOGE_KEY_ED25519)
        return doge__error_set(DOGE_EINVAL,
                               "signer '%s' is a cosignature key (type 0x%02x), not a note key; "
                               "cosign with doge_cosignature_sign",
                               doge_signer_name(s), (unsigned)doge_signer_type(s));
    uint8_t raw[4 + DOGE_ED25519_SIG_SIZE];
    doge__put_be32(raw, doge_signer_key_hash(s));
    int rc = doge_signer_sign(s, text, len, raw + 4);
    if (rc)
        return rc;
    size_t p = *pos;
    memcpy(buf + p, EM_DASH_SP, EM_DASH_SP_LEN);
    p += EM_DASH_SP_LEN;
    size_t nl = strlen(doge_signer_name(s));
    memcpy(buf + p, doge_signer_name(s), nl);
    p += nl;
    buf[p++] = ' ';
    p += doge__b64_encode(buf + p, raw, sizeof raw);
    buf[p++] = '\n';
    buf[p] = '\0';
    *pos = p;
    return DOGE_OK;
}

int doge_note_sign(char **out, size_t *out_len, const char *text, size_t text_len,
                   const doge_signer *const *signers, size_t n)
{
    if (!out || (!signers && n))
        return doge__error_set(DOGE_EINVAL, "doge_note_sign: NULL argument");
    *out = NULL;
    int rc = check_text(text, text_len, "signing a note");
    if (rc)
        return rc;
    if (n == 0)
        return doge__error_set(DOGE_EINVAL, "signing a note: no signers given");
    if (n > DOGE_NOTE_MAX_SIGS)
        return doge__error_set(DOGE_ELIMIT, "signing a note: %zu signers, more than the limit of %d",
                               n, DOGE_NOTE_MAX_SIGS);
    size_t room = text_len + 1 + 1;
    for (size_t i = 0; i < n; i++) {
        if (!signers[i])
            return doge__error_set(DOGE_EINVAL, "signing a note: signer %zu is NULL", i);
        room += line_room(signers[i]);
    }
    if (room - 1 > DOGE_NOTE_MAX_SIZE)
        return doge__error_set(DOGE_ELIMIT,
                               "signing a note: the signed note would exceed the limit of %d bytes",
                               DOGE_NOTE_MAX_SIZE);
    char *buf = malloc(room);
    if (!buf)
        return doge__error_oom();
    memcpy(buf, text, text_len);
    size_t pos = text_len;
    buf[pos++] = '\n';
    for (size_t i = 0; i < n; i++) {
        rc = write_line(buf, &pos, signers[i], text, text_len);
        if (rc) {
            free(buf);
            return rc;
        }
    }
    buf[pos] = '\0';
    *out = buf;
    if (out_len)
        *out_len = pos;
    return DOGE_OK;
}

int doge_note_signature_line(char **out, size_t *out_len, const doge_signer *signer,
                             const char *text, size_t text_len)
{
    if (!out || !signer)
        return doge__error_set(DOGE_EINVAL, "doge_note_signature_line: NULL argument");
    *out = NULL;
    int rc = check_text(text, text_len, "signing a note");
    if (rc)
        return rc;
    char *buf = malloc(line_room(signer));
    if (!buf)
        return doge__error_oom();
    size_t pos = 0;
    rc = write_line(buf, &pos, signer, text, text_len);
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    if (out_len)
        *out_len = pos;
    return DOGE_OK;
}

static void unmark(doge_note *n)
{
    for (size_t i = 0; i < n->nsigs; i++) {
        n->sigs[i].pub.verifier = NULL;
        n->sigs[i].pub.timestamp = 0;
    }
    n->verified = 0;
}

void doge_note_free(doge_note *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nsigs; i++)
        free(n->sigs[i].block);
    free(n->sigs);
    free(n->text);
    free(n);
}

/* Parses one signature line [p, p+len) (without its newline) numbered lineno
 * and appends it to n unless an identical line is already there. */
static int parse_sig_line(doge_note *n, const char *p, size_t len, size_t lineno)
{
    if (len < EM_DASH_SP_LEN || memcmp(p, EM_DASH_SP, EM_DASH_SP_LEN) != 0)
        return doge__error_set(DOGE_EINVAL,
                               "note line %zu: signature line does not start with '\xe2\x80\x94 '",
                               lineno);
    const char *name = p + EM_DASH_SP_LEN;
    size_t rest = len - EM_DASH_SP_LEN;
    const char *sp = memchr(name, ' ', rest);
    if (!sp)
        return doge__error_set(DOGE_EINVAL,
                               "note line %zu: signature line has no space between key name and signature",
                               lineno);
    size_t name_len = (size_t)(sp - name);
    const char *why;
    if (!doge__key_name_valid(name, name_len, &why))
        return doge__error_set(DOGE_EINVAL, "note line %zu: key name '%.*s' %s", lineno,
                               (int)(name_len > 200 ? 200 : name_len), name, why);
    const char *b64 = sp + 1;
    size_t b64_len = rest - name_len - 1;
    if (b64_len == 0)
        return doge__error_set(DOGE_EINVAL, "note line %zu: signature of key '%.*s' is empty",
                               lineno, (int)(name_len > 200 ? 200 : name_len), name);
    for (size_t i = 0; i < n->nsigs; i++) {
        const doge_note_sig *s = &n->sigs[i].pub;
        if (strlen(s->name) == name_len && memcmp(s->name, name, name_len) == 0 &&
            strlen(s->base64) == b64_len && memcmp(s->base64, b64, b64_len) == 0)
            return DOGE_OK; /* identical repeated line */
    }
    /* block: name NUL base64 NUL raw */
    size_t raw_room = b64_len / 4 * 3;
    char *block = malloc(name_len + 1 + b64_len + 1 + raw_room + 1);
    if (!block)
        return doge__error_oom();
    memcpy(block, name, name_len);
    block[name_len] = '\0';
    char *b = block + name_len + 1;
    memcpy(b, b64, b64_len);
    b[b64_len] = '\0';
    uint8_t *raw = (uint8_t *)(b + b64_len + 1);
    size_t raw_len = 0;
    if (doge__b64_decode(raw, &raw_len, b64, b64_len) != 0) {
        free(block);
        return doge__error_set(DOGE_EINVAL,
                               "note line %zu: signature of key '%.*s' is not canonical base64",
                               lineno, (int)(name_len > 200 ? 200 : name_len), name);
    }
    if (raw_len < 5) {
        free(block);
        return doge__error_set(DOGE_EINVAL,
                               "note line %zu: signature of key '%.*s' is %zu bytes, too short for a key ID and signature",
                               lineno, (int)(name_len > 200 ? 200 : name_len), name, raw_len);
    }
    struct note_sig *grown = realloc(n->sigs, (n->nsigs + 1) * sizeof *grown);
    if (!grown) {
        free(block);
        return doge__error_oom();
    }
    n->sigs = grown;
    struct note_sig *s = &n->sigs[n->nsigs++];
    memset(s, 0, sizeof *s);
    s->block = block;
    s->line = lineno;
    s->pub.name = block;
    s->pub.base64 = b;
    s->pub.key_hash = doge__get_be32(raw);
    s->pub.signature = raw + 4;
    s->pub.signature_len = raw_len - 4;
    return DOGE_OK;
}

int doge_note_parse(doge_note **out, const char *msg, size_t len)
{
    if (!out || (!msg && len))
        return doge__error_set(DOGE_EINVAL, "doge_note_parse: NULL argument");
    *out = NULL;
    if (len > DOGE_NOTE_MAX_SIZE)
        return doge__error_set(DOGE_ELIMIT, "note is %zu bytes, more than the limit of %d", len,
                               DOGE_NOTE_MAX_SIZE);
    size_t bad;
    if (!doge__note_text_valid(msg, len, &bad))
        return doge__error_set(DOGE_EINVAL,
                               "note line %zu: invalid UTF-8 or a control character other than newline",
                               line_of(msg, bad));
    size_t split = SIZE_MAX;
    if (len >= 2) {
        for (size_t i = len - 1; i-- > 0;) {
            if (msg[i] == '\n' && msg[i + 1] == '\n') {
                split = i;
                break;
            }
        }
    }
    if (split == SIZE_MAX)
        return doge__error_set(DOGE_EINVAL,
                               "note has no blank line between its text and its signatures");
    const char *sigs = msg + split + 2;
    size_t sigs_len = len - split - 2;
    if (sigs_len == 0)
        return doge__error_set(DOGE_EINVAL, "note has no signature lines after its blank line");
    if (sigs[sigs_len - 1] != '\n')
        return doge__error_set(DOGE_EINVAL, "note does not end in a newline");

    doge_note *n = calloc(1, sizeof *n);
    if (!n)
        return doge__error_oom();
    n->text_len = split + 1;
    n->text = malloc(n->text_len + 1);
    if (!n->text) {
        doge_note_free(n);
        return doge__error_oom();
    }
    memcpy(n->text, msg, n->text_len);
    n->text[n->text_len] = '\0';

    size_t lineno = line_of(msg, split + 2);
    size_t count = 0;
    for (size_t off = 0; off < sigs_len; lineno++) {
        const char *nl = memchr(sigs + off, '\n', sigs_len - off);
        size_t ll = (size_t)(nl - (sigs + off));
        if (++count > DOGE_NOTE_MAX_SIGS) {
            doge_note_free(n);
            return doge__error_set(DOGE_ELIMIT, "note has more than %d signature lines",
                                   DOGE_NOTE_MAX_SIGS);
        }
        int rc = parse_sig_line(n, sigs + off, ll, lineno);
        if (rc) {
            doge_note_free(n);
            return rc;
        }
        off += ll + 1;
    }
    *out = n;
    return DOGE_OK;
}

/* Verifies one signature s of n by known key k; sets *ts for cosignatures. */
static int verify_sig(const doge_note *n, const struct note_sig *s, const doge_verifier *k,
                      uint64_t *ts)
{
    *ts = 0;
    if (doge_verifier_type(k) == DOGE_KEY_ED25519)
        return doge_verifier_verify(k, n->text, n->text_len, s->pub.signature,
                                    s->pub.signature_len);
    /* DOGE_KEY_COSIGNATURE_V1: timestamp(8) || Ed25519(64) */
    if (s->pub.signature_len != 8 + DOGE_ED25519_SIG_SIZE)
        return doge__error_set(DOGE_EVERIFY, "key '%s+%08x': cosignature is %zu bytes, want %d",
                               s->pub.name, (unsigned)s->pub.key_hash, s->pub.signature_len,
                               8 + DOGE_ED25519_SIG_SIZE);
    uint64_t t = doge__get_be64(s->pub.signature);
    uint8_t *m = NULL;
    size_t mlen = 0;
    int rc = doge__cosignature_message(&m, &mlen, n->text, n->text_len, t);
    if (rc == DOGE_ERANGE)
        return doge__error_set(DOGE_EVERIFY, "key '%s+%08x': cosignature timestamp %llu exceeds 2^63 - 1",
                               s->pub.name, (unsigned)s->pub.key_hash, (unsigned long long)t);
    if (rc)
        return rc;
    rc = doge_verifier_verify(k, m, mlen, s->pub.signature + 8, DOGE_ED25519_SIG_SIZE);
    free(m);
    if (rc == DOGE_OK)
        *ts = t;
    return rc;
}

int doge_note_verify(doge_note *n, const doge_verifier *const *known, size_t nknown)
{
    if (!n || (!known && nknown))
        return doge__error_set(DOGE_EINVAL, "doge_note_verify: NULL argument");
    for (size_t j = 0; j < nknown; j++)
        if (!known[j])
            return doge__error_set(DOGE_EINVAL, "doge_note_verify: known verifier %zu is NULL", j);
    unmark(n);
    size_t verified = 0;
    for (size_t i = 0; i < n->nsigs; i++) {
        struct note_sig *s = &n->sigs[i];
        const doge_verifier *match = NULL;
        for (size_t j = 0; j < nknown; j++) {
            const doge_verifier *k = known[j];
            if (doge_verifier_key_hash(k) != s->pub.key_hash ||
                strcmp(doge_verifier_name(k), s->pub.name) != 0)
                continue;
            if (match && !doge_verifier_equal(match, k)) {
                unmark(n);
                return doge__error_set(DOGE_EINVAL,
                                       "note line %zu: key %s+%08x matches two different known keys",
                                       s->line, s->pub.name, (unsigned)s->pub.key_hash);
            }
            match = k;
        }
        if (!match)
            continue;
        uint64_t ts = 0;
        int rc = verify_sig(n, s, match, &ts);
        if (rc) {
            unmark(n);
            if (rc == DOGE_EVERIFY)
                return doge__error_prefix("note line %zu", s->line);
            return rc;
        }
        s->pub.verifier = match;
        s->pub.timestamp = ts;
        verified++;
    }
    if (verified == 0)
        return doge__error_set(DOGE_EVERIFY,
                               "note has no signature by any of the %zu known keys (%zu signature lines)",
                               nknown, n->nsigs);
    n->verified = verified;
    return DOGE_OK;
}

int doge_note_open(doge_note **out, const char *msg, size_t len, const doge_verifier *const *known,
                   size_t nknown)
{
    if (!out)
        return doge__error_set(DOGE_EINVAL, "doge_note_open: NULL argument");
    *out = NULL;
    doge_note *n = NULL;
    int rc = doge_note_parse(&n, msg, len);
    if (rc)
        return rc;
    rc = doge_note_verify(n, known, nknown);
    if (rc) {
        doge_note_free(n);
        return rc;
    }
    *out = n;
    return DOGE_OK;
}

const char *doge_note_text(const doge_note *n, size_t *len)
{
    if (!n)
        return NULL;
    if (len)
        *len = n->text_len;
    return n->text;
}

size_t doge_note_sig_count(const doge_note *n) { return n ? n->nsigs : 0; }

const doge_note_sig *doge_note_sig_at(const doge_note *n, size_t i)
{
    return n && i < n->nsigs ? &n->sigs[i].pub : NULL;
}

size_t doge_note_verified_count(const doge_note *n) { return n ? n->verified : 0; }

int doge_note_format(const doge_note *n, char **out, size_t *out_len)
{
    if (!n || !out)
        return doge__error_set(DOGE_EINVAL, "doge_note_format: NULL argument");
    size_t room = n->text_len + 1 + 1;
    for (size_t i = 0; i < n->nsigs; i++)
        room += EM_DASH_SP_LEN + strlen(n->sigs[i].pub.name) + 1 + strlen(n->sigs[i].pub.base64) + 1;
    char *buf = malloc(room);
    if (!buf)
        return doge__error_oom();
    size_t p = 0;
    memcpy(buf, n->text, n->text_len);
    p = n->text_len;
    buf[p++] = '\n';
    for (size_t i = 0; i < n->nsigs; i++) {
        const doge_note_sig *s = &n->sigs[i].pub;
        size_t a = strlen(s->name), b = strlen(s->base64);
        memcpy(buf + p, EM_DASH_SP, EM_DASH_SP_LEN);
        p += EM_DASH_SP_LEN;
        memcpy(buf + p, s->name, a);
        p += a;
        buf[p++] = ' ';
        memcpy(buf + p, s->base64, b);
        p += b;
        buf[p++] = '\n';
    }
    buf[p] = '\0';
    *out = buf;
    if (out_len)
        *out_len = p;
    return DOGE_OK;
}
