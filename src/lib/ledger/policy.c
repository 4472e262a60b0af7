/*
 * policy.c — parses c2sp.org/tlog-policy files (log, witness, group and
 * quorum lines; names defined before use; no duplicate keys or members) and
 * evaluates a checkpoint's cosignatures against the quorum rule.
 */
#include "doge/policy.h"
#include "doge/note.h"
#include "id/id_internal.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *name;
    int is_group;
    /* witness */
    doge_verifier *key;
    /* group: k of members (indexes into names) */
    size_t k, n;
    size_t *members;
} policy_name;

struct doge_policy {
    doge_verifier *logs[DOGE_POLICY_MAX_LOGS];
    size_t nlogs;
    policy_name *names; /* witnesses and groups, in definition order */
    size_t nnames, nwitnesses;
    long quorum; /* index into names, or -1 for "none" */
};

#define MAX_FIELDS 300

static int is_ws(char c) { return c == ' ' || c == '\t'; }

/* Splits line[0..len) into fields; returns the count or -1 when too many. */
static int split(char *line, size_t len, char **fields)
{
    int n = 0;
    size_t i = 0;
    while (i < len) {
        while (i < len && is_ws(line[i]))
            line[i++] = '\0';
        if (i >= len)
            break;
        if (n == MAX_FIELDS)
            return -1;
        fields[n++] = line + i;
        while (i < len && !is_ws(line[i]))
            i++;
    }
    if (i <= len)
        line[len] = '\0';
    return n;
}

static long find_name(const doge_policy *p, const char *name)
{
    for (size_t i = 0; i < p->nnames; i++)
        if (strcmp(p->names[i].name, name) == 0)
            return (long)i;
    return -1;
}

static int duplicate_key(const doge_policy *p, const doge_verifier *v)
{
    const uint8_t *pub = doge_verifier_public_key(v);
    for (size_t i = 0; i < p->nlogs; i++)
        if (memcmp(doge_verifier_public_key(p->logs[i]), pub, 32) == 0)
            return 1;
    for (size_t i = 0; i < p->nnames; i++)
        if (!p->names[i].is_group && memcmp(doge_verifier_public_key(p->names[i].key), pub, 32) == 0)
            return 1;
    return 0;
}

static int add_name(doge_policy *p, policy_name *nm)
{
    if (p->nnames >= DOGE_POLICY_MAX_WITNESSES + DOGE_POLICY_MAX_GROUPS)
        return doge__error_oom();
    policy_name *nn = realloc(p->names, (p->nnames + 1) * sizeof *nn);
    if (!nn)
        return doge__error_oom();
    p->names = nn;
    p->names[p->nnames++] = *nm;
    return DOGE_OK;
}

#define PERR(...)                                                                                  \
    do {                                                                                           \
        rc = doge__error_set(DOGE_EINVAL, __VA_ARGS__);                                            \
        goto fail;                                                                                 \
    } while (0)

int doge_policy_parse(doge_policy **out, const char *text, size_t len, const char *filename)
{
    *out = NULL;
    const char *fn = filename ? filename : "policy";
    doge_policy *p = calloc(1, sizeof *p);
    char *copy = malloc(len + 1);
    char **fields = malloc(MAX_FIELDS * sizeof *fields);
    int rc = DOGE_OK, have_quorum = 0;
    size_t ngroups = 0;
    if (!p || !copy || !fields) {
        free(p);
        free(copy);
        free(fields);
        return doge__error_oom();
    }
    p->quorum = -1;
    memcpy(copy, text, len);
    copy[len] = '\0';
    size_t lineno = 0, pos = 0;
    while (pos < len) {
        lineno++;
        char *line = copy + pos;
        char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - line) : len - pos;
        pos += ll + 1;
        for (size_t i = 0; i < ll; i++) {
            unsigned char c = (unsigned char)line[i];
            if (c < 0x20 && c != '\t')
                PERR("%s:%zu: control character 0x%02x at column %zu", fn, lineno, c, i + 1);
            if (c == 0x7f)
                PERR("%s:%zu: control character 0x7f at column %zu", fn, lineno, i + 1);
        }
        int nf = split(line, ll, fields);
        if (nf < 0)
            PERR("%s:%zu: too many items on one line", fn, lineno);
        if (nf == 0 || fields[0][0] == '#')
            continue;
        const char *kw = fields[0];
        if (strcmp(kw, "log") == 0) {
            if (nf < 2 || nf > 3)
                PERR("%s:%zu: expected 'log <vkey> [<url>]'", fn, lineno);
            if (p->nlogs == DOGE_POLICY_MAX_LOGS)
                PERR("%s:%zu: more than %d logs", fn, lineno, DOGE_POLICY_MAX_LOGS);
            doge_verifier *v;
            if (doge_verifier_parse(&v, fields[1]) != DOGE_OK) {
                rc = doge__error_prefix("%s:%zu: log key", fn, lineno);
                goto fail;
            }
            if (doge_verifier_type(v) != DOGE_KEY_ED25519 || duplicate_key(p, v)) {
                int dup = duplicate_key(p, v);
                doge_verifier_free(v);
                PERR("%s:%zu: log key '%s' %s", fn, lineno, fields[1],
                     dup ? "duplicates an earlier key" : "is not an Ed25519 (0x01) key");
            }
            p->logs[p->nlogs++] = v;
        } else if (strcmp(kw, "witness") == 0) {
            if (nf < 3 || nf > 4)
                PERR("%s:%zu: expected 'witness <name> <vkey> [<url>]'", fn, lineno);
            if (strcmp(fields[1], "none") == 0 || find_name(p, fields[1]) >= 0)
                PERR("%s:%zu: name '%s' is already defined", fn, lineno, fields[1]);
            if (p->nwitnesses == DOGE_POLICY_MAX_WITNESSES)
                PERR("%s:%zu: more than %d witnesses", fn, lineno, DOGE_POLICY_MAX_WITNESSES);
            doge_verifier *v;
            if (doge_verifier_parse(&v, fields[2]) != DOGE_OK) {
                rc = doge__error_prefix("%s:%zu: witness '%s' key", fn, lineno, fields[1]);
                goto fail;
            }
            if (doge_verifier_type(v) != DOGE_KEY_COSIGNATURE_V1 || duplicate_key(p, v)) {
                int dup = duplicate_key(p, v);
                doge_verifier_free(v);
                PERR("%s:%zu: witness '%s' key %s", fn, lineno, fields[1],
                     dup ? "duplicates an earlier key" : "is not a cosignature/v1 (0x04) key");
            }
            policy_name nm = {0};
            nm.name = strdup(fields[1]);
            nm.key = v;
            if (!nm.name || add_name(p, &nm) != DOGE_OK) {
                free(nm.name);
                doge_verifier_free(v);
                rc = doge__error_oom();
                goto fail;
            }
            p->nwitnesses++;
        } else if (strcmp(kw, "group") == 0) {
            if (nf < 4)
                PERR("%s:%zu: expected 'group <name> all|any|<k> <member>...'", fn, lineno);
            if (strcmp(fields[1], "none") == 0 || find_name(p, fields[1]) >= 0)
                PERR("%s:%zu: name '%s' is already defined", fn, lineno, fields[1]);
            if (ngroups == DOGE_POLICY_MAX_GROUPS)
                PERR("%s:%zu: more than %d groups", fn, lineno, DOGE_POLICY_MAX_GROUPS);
            size_t n = (size_t)nf - 3, k;
            if (strcmp(fields[2], "all") == 0) {
                k = n;
            } else if (strcmp(fields[2], "any") == 0) {
                k = 1;
            } else {
                const char *s = fields[2];
                k = 0;
                if (!*s || (s[0] == '0' && s[1]) || strlen(s) > 6)
                    PERR("%s:%zu: group '%s': threshold '%s' is not all, any or a number", fn,
                         lineno, fields[1], s);
                for (; *s; s++) {
                    if (*s < '0' || *s > '9')
                        PERR("%s:%zu: group '%s': threshold '%s' is not all, any or a number", fn,
                             lineno, fields[1], fields[2]);
                    k = k * 10 + (size_t)(*s - '0');
                }
                if (k < 1 || k > n)
                    PERR("%s:%zu: group '%s': threshold %zu is not between 1 and %zu", fn, lineno,
                         fields[1], k, n);
            }
            policy_name nm = {0};
            nm.is_group = 1;
            nm.k = k;
            nm.n = n;
            nm.members = calloc(n, sizeof *nm.members);
            nm.name = strdup(fields[1]);
            if (!nm.members || !nm.name) {
                free(nm.members);
                free(nm.name);
                rc = doge__error_oom();
                goto fail;
            }
            for (size_t i = 0; i < n; i++) {
                long idx = find_name(p, fields[3 + i]);
                int dup = 0;
                for (size_t j = 0; j < i && idx >= 0; j++)
                    dup |= nm.members[j] == (size_t)idx;
                if (idx < 0 || dup) {
                    free(nm.members);
                    free(nm.name);
                    PERR("%s:%zu: group '%s': member '%s' %s", fn, lineno, fields[1],
                         fields[3 + i],
                         dup ? "is listed twice" : "is not a witness or group defined above");
                }
                nm.members[i] = (size_t)idx;
            }
            if (add_name(p, &nm) != DOGE_OK) {
                free(nm.members);
                free(nm.name);
                rc = doge__error_oom();
                goto fail;
            }
            ngroups++;
        } else if (strcmp(kw, "quorum") == 0) {
            if (nf != 2)
                PERR("%s:%zu: expected 'quorum <name>'", fn, lineno);
            if (have_quorum)
                PERR("%s:%zu: a second quorum line", fn, lineno);
            have_quorum = 1;
            if (strcmp(fields[1], "none") == 0) {
                p->quorum = -1;
            } else if ((p->quorum = find_name(p, fields[1])) < 0) {
                PERR("%s:%zu: quorum '%s' is not a witness or group defined above", fn, lineno,
                     fields[1]);
            }
        } else {
            PERR("%s:%zu: unknown line type '%s' (expected log, witness, group or quorum)", fn,
                 lineno, kw);
        }
    }
    if (!have_quorum)
        PERR("%s: no quorum line (use 'quorum none' to require no witnesses)", fn);
    free(copy);
    free(fields);
    *out = p;
    return DOGE_OK;
fail:
    free(copy);
    free(fields);
    doge_policy_free(p);
    return rc;
}

void doge_policy_free(doge_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nlogs; i++)
        doge_verifier_free(p->logs[i]);
    for (size_t i = 0; i < p->nnames; i++) {
        free(p->names[i].name);
        doge_verifier_free(p->names[i].key);
        free(p->names[i].members);
    }
    free(p->names);
    free(p);
}

size_t doge_policy_log_count(const doge_policy *p) { return p->nlogs; }
const doge_verifier *doge_policy_log(const doge_policy *p, size_t i)
{
    return i < p->nlogs ? p->logs[i] : NULL;
}

static const policy_name *witness_at(const doge_policy *p, size_t i)
{
    for (size_t j = 0; j < p->nnames; j++)
        if (!p->names[j].is_group && i-- == 0)
            return &p->names[j];
    return NULL;
}

size_t doge_policy_witness_count(const doge_policy *p) { return p->nwitnesses; }
const doge_verifier *doge_policy_witness(const doge_policy *p, size_t i)
{
    const policy_name *w = witness_at(p, i);
    return w ? w->key : NULL;
}
const char *doge_policy_witness_name(const doge_policy *p, size_t i)
{
    const policy_name *w = witness_at(p, i);
    return w ? w->name : NULL;
}

/* Names are defined before use, so one pass in order evaluates every group. */
static void evaluate(const doge_policy *p, unsigned char *ok)
{
    for (size_t i = 0; i < p->nnames; i++) {
        const policy_name *nm = &p->names[i];
        if (!nm->is_group)
            continue;
        size_t got = 0;
        for (size_t j = 0; j < nm->n; j++)
            got += ok[nm->members[j]];
        ok[i] = got >= nm->k;
    }
}

int doge_policy_check(const doge_policy *p, const char *note_text, size_t len,
                      doge_checkpoint **out, size_t *cosigners)
{
    if (out)
        *out = NULL;
    size_t nknown = p->nlogs + p->nwitnesses, k = 0;
    const doge_verifier **known = calloc(nknown ? nknown : 1, sizeof *known);
    unsigned char *ok = calloc(p->nnames ? p->nnames : 1, 1);
    doge_note *note = NULL;
    doge_checkpoint *cp = NULL;
    int rc;
    if (!known || !ok) {
        rc = doge__error_oom();
        goto done;
    }
    for (size_t i = 0; i < p->nlogs; i++)
        known[k++] = p->logs[i];
    for (size_t i = 0; i < p->nnames; i++)
        if (!p->names[i].is_group)
            known[k++] = p->names[i].key;
    if ((rc = doge_note_parse(&note, note_text, len)) != DOGE_OK)
        goto done;
    if ((rc = doge_note_verify(note, known, nknown)) != DOGE_OK)
        goto done;
    size_t tl;
    const char *text = doge_note_text(note, &tl);
    if ((rc = doge_checkpoint_parse(&cp, text, tl)) != DOGE_OK)
        goto done;
    int log_ok = 0;
    size_t ncos = 0;
    for (size_t s = 0; s < doge_note_sig_count(note); s++) {
        const doge_note_sig *sig = doge_note_sig_at(note, s);
        if (!sig->verifier)
            continue;
        for (size_t i = 0; i < p->nlogs; i++)
            if (sig->verifier == p->logs[i] &&
                strcmp(doge_verifier_name(p->logs[i]), doge_checkpoint_origin(cp)) == 0)
                log_ok = 1;
        for (size_t i = 0; i < p->nnames; i++)
            if (!p->names[i].is_group && sig->verifier == p->names[i].key && !ok[i]) {
                ok[i] = 1;
                ncos++;
            }
    }
    if (!log_ok) {
        rc = doge__error_set(DOGE_EVERIFY,
                             "checkpoint for origin '%s' carries no valid signature of a log in "
                             "the policy",
                             doge_checkpoint_origin(cp));
        goto done;
    }
    if (p->quorum >= 0) {
        evaluate(p, ok);
        if (!ok[p->quorum]) {
            rc = doge__error_set(DOGE_EVERIFY,
                                 "checkpoint does not meet the policy's quorum '%s': %zu valid "
                                 "witness cosignature(s)",
                                 p->names[p->quorum].name, ncos);
            goto done;
        }
    }
    if (cosigners)
        *cosigners = ncos;
    if (out) {
        *out = cp;
        cp = NULL;
    }
    rc = DOGE_OK;
done:
    doge_checkpoint_free(cp);
    doge_note_free(note);
    free(known);
    free(ok);
    return rc;
}
