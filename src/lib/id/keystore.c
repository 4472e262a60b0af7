/*
 * keystore.c — a workspace's keys/ folder (see doge/keystore.h): mapping key
 * names to safe file names, saving signers (.key, 0600, reserved with an
 * exclusive create, then written atomically) and verifier keys (.pub, 0644)
 * without ever overwriting, loading them back by name, resolving a verifier
 * from a name, a file or a key text, and listing the folder. Private key
 * text is wiped from memory after use and kept out of error messages.
 */
#include "doge/keystore.h"
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Largest key file read (key texts are at most 4096 bytes, see key.c). */
#define KEY_FILE_MAX 8192

static const char private_prefix[] = "PRIVATE+";

const char *doge_keystore_type_name(doge_key_type type)
{
    switch (type) {
    case DOGE_KEY_ED25519: return "ed25519";
    case DOGE_KEY_COSIGNATURE_V1: return "cosignature/v1";
    default: return "unknown";
    }
}

int doge_keystore_file_name(const char *name, char *buf, size_t cap)
{
    if (!name || !buf)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_file_name: NULL argument");
    int rc = doge_key_name_check(name);
    if (rc)
        return rc;
    size_t len = strlen(name);
    if (name[0] == '/')
        return doge__error_set(DOGE_EINVAL,
                               "key name '%.200s' starts with '/': it cannot name a file in keys/",
                               name);
    if (name[len - 1] == '/')
        return doge__error_set(DOGE_EINVAL,
                               "key name '%.200s' ends with '/': it cannot name a file in keys/",
                               name);
    for (const char *part = name;;) {
        const char *end = strchr(part, '/');
        size_t pl = end ? (size_t)(end - part) : strlen(part);
        if (pl == 0)
            return doge__error_set(DOGE_EINVAL, "key name '%.200s' has an empty path part ('//')",
                                   name);
        if ((pl == 1 && part[0] == '.') || (pl == 2 && part[0] == '.' && part[1] == '.'))
            return doge__error_set(DOGE_EINVAL,
                                   "key name '%.200s' has a '%.*s' path part: it could point "
                                   "outside keys/",
                                   name, (int)pl, part);
        if (!end)
            break;
        part = end + 1;
    }
    if (name[0] == '.')
        return doge__error_set(DOGE_EINVAL,
                               "key name '%.200s' starts with '.': its file in keys/ would be hidden",
                               name);
    if (len > DOGE_KEYSTORE_FILE_MAX)
        return doge__error_set(DOGE_EINVAL,
                               "key name '%.40s...' is %zu bytes, more than the %d a file name in "
                               "keys/ may take",
                               name, len, DOGE_KEYSTORE_FILE_MAX);
    if (len + 1 > cap)
        return doge__error_set(DOGE_ELIMIT, "key name '%.200s': file name buffer too small", name);
    for (size_t i = 0; i <= len; i++)
        buf[i] = name[i] == '/' ? '_' : name[i];
    return DOGE_OK;
}

/* ---- paths and files ----------------------------------------------------- */

/* "<workspace>/keys/<stem><ext>" into buf. */
static int key_path(const doge_workspace *ws, const char *stem, const char *ext, char *buf,
                    size_t cap)
{
    char rel[DOGE_KEYSTORE_FILE_MAX + 16];
    int n = snprintf(rel, sizeof rel, "keys/%s%s", stem, ext);
    if (n < 0 || (size_t)n >= sizeof rel)
        return doge__error_set(DOGE_ELIMIT, "key file name too long: %s%s", stem, ext);
    return doge_workspace_path(ws, rel, buf, cap);
}

static int exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

static void wipe_free(char *s, size_t len)
{
    if (s) {
        OPENSSL_cleanse(s, len);
        free(s);
    }
}

/* Reads a key file with its trailing whitespace removed into *out (*len
 * bytes; free with wipe_free). DOGE_ENOTFOUND when absent. */
static int read_key_text(const char *path, char **out, size_t *len)
{
    int rc = doge__file_read(path, KEY_FILE_MAX, out, len);
    if (rc)
        return rc;
    size_t n = *len;
    char *t = *out;
    while (n > 0 && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' ' || t[n - 1] == '\t'))
        t[--n] = '\0';
    if (n == 0) {
        wipe_free(t, *len);
        *out = NULL;
        return doge__error_set(DOGE_EINVAL,
                               "%s is empty (an interrupted save? remove it and save the key again)",
                               path);
    }
    if (strlen(t) != n) {
        wipe_free(t, *len);
        *out = NULL;
        return doge__error_set(DOGE_EINVAL, "%s: holds a NUL byte, not a key text", path);
    }
    return DOGE_OK;
}

static int signer_from_file(const char *path, doge_signer **out)
{
    char *text;
    size_t len;
    int rc = read_key_text(path, &text, &len);
    if (rc)
        return rc;
    rc = doge_signer_parse(out, text);
    wipe_free(text, len);
    if (rc)
        doge__error_prefix("%s", path);
    return rc;
}

static int verifier_from_file(const char *path, doge_verifier **out)
{
    char *text;
    size_t len;
    int rc = read_key_text(path, &text, &len);
    if (rc)
        return rc;
    if (strncmp(text, private_prefix, sizeof private_prefix - 1) == 0) {
        wipe_free(text, len);
        return doge__error_set(DOGE_EINVAL,
                               "%s holds a private key, not a verifier key (give its .pub)", path);
    }
    rc = doge_verifier_parse(out, text);
    wipe_free(text, len);
    if (rc)
        doge__error_prefix("%s", path);
    return rc;
}

/* ---- one key ------------------------------------------------------------- */

void doge_keystore_info_clear(doge_key_info *info)
{
    if (!info)
        return;
    free(info->name);
    free(info->file);
    free(info->vkey);
    memset(info, 0, sizeof *info);
}

void doge_keystore_list_free(doge_key_info *list, size_t n)
{
    if (!list)
        return;
    for (size_t i = 0; i < n; i++)
        doge_keystore_info_clear(&list[i]);
    free(list);
}

/* Fills *info from keys/<stem>.key and/or .pub. DOGE_ENOTFOUND, without a
 * message, when neither exists. */
static int info_from_stem(const doge_workspace *ws, const char *stem, doge_key_info *info)
{
    char kpath[PATH_MAX], ppath[PATH_MAX], want[DOGE_KEYSTORE_FILE_MAX + 1];
    doge_signer *s = NULL;
    doge_verifier *v = NULL, *pv = NULL;
    const char *name;
    int rc;
    memset(info, 0, sizeof *info);
    if ((rc = key_path(ws, stem, ".key", kpath, sizeof kpath)) ||
        (rc = key_path(ws, stem, ".pub", ppath, sizeof ppath)))
        return rc;
    int have_key = exists(kpath), have_pub = exists(ppath);
    if (!have_key && !have_pub)
        return DOGE_ENOTFOUND;
    if (have_key) {
        if ((rc = signer_from_file(kpath, &s)) || (rc = doge_signer_verifier(s, &v)))
            goto done;
    }
    if (have_pub) {
        if ((rc = verifier_from_file(ppath, &pv)))
            goto done;
        if (v && !doge_verifier_equal(v, pv)) {
            rc = doge__error_set(DOGE_EINVAL, "%s and %s hold different keys", kpath, ppath);
            goto done;
        }
        if (!v) {
            v = pv;
            pv = NULL;
        }
    }
    name = doge_verifier_name(v);
    if (doge_keystore_file_name(name, want, sizeof want) != DOGE_OK ||
        strcmp(want, stem) != 0) {
        rc = doge__error_set(DOGE_EINVAL,
                             "%s holds key '%.200s', which does not belong under the file name "
                             "'%s' (renamed by hand?)",
                             have_key ? kpath : ppath, name, stem);
        goto done;
    }
    info->name = strdup(name);
    info->file = strdup(stem);
    info->type = doge_verifier_type(v);
    info->key_hash = doge_verifier_key_hash(v);
    info->has_private = s != NULL;
    if (!info->name || !info->file) {
        rc = doge__error_oom();
        goto done;
    }
    rc = doge_verifier_format(v, &info->vkey);
done:
    if (rc)
        doge_keystore_info_clear(info);
    doge_signer_free(s);
    doge_verifier_free(v);
    doge_verifier_free(pv);
    return rc;
}

int doge_keystore_get(const doge_workspace *ws, const char *name, doge_key_info *out)
{
    if (!ws || !name || !out)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_get: NULL argument");
    memset(out, 0, sizeof *out);
    char stem[DOGE_KEYSTORE_FILE_MAX + 1], dir[PATH_MAX];
    int rc = doge_keystore_file_name(name, stem, sizeof stem);
    if (rc)
        return rc;
    if ((rc = doge_workspace_path(ws, "keys", dir, sizeof dir)))
        return rc;
    rc = info_from_stem(ws, stem, out);
    if (rc == DOGE_ENOTFOUND)
        return doge__error_set(DOGE_ENOTFOUND, "no key '%s' in %s (neither %s.key nor %s.pub)",
                               name, dir, stem, stem);
    if (rc)
        return rc;
    if (strcmp(out->name, name) != 0) {
        rc = doge__error_set(DOGE_ENOTFOUND,
                             "no key '%s' in %s: its files %s.* hold key '%s' (names that differ "
                             "only in '/' and '_' share a file name)",
                             name, dir, stem, out->name);
        doge_keystore_info_clear(out);
    }
    return rc;
}

/* ---- saving -------------------------------------------------------------- */

/* Reserves path with an exclusive create (mode), so no save overwrites it. */
static int reserve(const char *path, const char *name, int mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) {
        if (errno == EEXIST)
            return doge__error_set(DOGE_EEXISTS, "key '%s' already exists: %s (keys are never "
                                   "overwritten)", name, path);
        return doge__error_set(DOGE_EIO, "%s: cannot create: %s", path, strerror(errno));
    }
    close(fd);
    return DOGE_OK;
}

/* Writes text and a newline to path atomically. */
static int write_line(const char *path, const char *text, int mode)
{
    size_t len = strlen(text);
    char *buf = malloc(len + 1);
    if (!buf)
        return doge__error_oom();
    memcpy(buf, text, len);
    buf[len] = '\n';
    int rc = doge__file_write_atomic(path, buf, len + 1, mode);
    OPENSSL_cleanse(buf, len + 1);
    free(buf);
    return rc;
}

/* Removes a half-saved file again, keeping the first error. */
static void undo(const char *path, const char *dir)
{
    unlink(path);
    doge__fsync_dir(dir);
}

/* Resolves the file name and paths of name and makes sure keys/ exists. */
static int prepare(const doge_workspace *ws, const char *name, char *dir, char *kpath,
                   char *ppath)
{
    char stem[DOGE_KEYSTORE_FILE_MAX + 1];
    int rc;
    if ((rc = doge_keystore_file_name(name, stem, sizeof stem)) ||
        (rc = doge_workspace_path(ws, "keys", dir, PATH_MAX)) ||
        (rc = key_path(ws, stem, ".key", kpath, PATH_MAX)) ||
        (rc = key_path(ws, stem, ".pub", ppath, PATH_MAX)))
        return rc;
    return doge__mkdirs(dir, 0700);
}

int doge_keystore_save(const doge_workspace *ws, const doge_signer *s)
{
    if (!ws || !s)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_save: NULL argument");
    const char *name = doge_signer_name(s);
    char dir[PATH_MAX], kpath[PATH_MAX], ppath[PATH_MAX];
    int rc;
    if ((rc = prepare(ws, name, dir, kpath, ppath)))
        return rc;
    if (exists(kpath) || exists(ppath))
        return doge__error_set(DOGE_EEXISTS, "key '%s' already exists: %s (keys are never "
                               "overwritten)", name, exists(kpath) ? kpath : ppath);
    if ((rc = reserve(kpath, name, 0600)))
        return rc;
    if (exists(ppath)) {
        undo(kpath, dir);
        return doge__error_set(DOGE_EEXISTS, "key '%s' already exists: %s (keys are never "
                               "overwritten)", name, ppath);
    }
    char *priv = NULL, *vkey = NULL;
    doge_verifier *v = NULL;
    if ((rc = doge_signer_format(s, &priv)))
        goto fail;
    rc = write_line(kpath, priv, 0600);
    OPENSSL_cleanse(priv, strlen(priv));
    free(priv);
    if (rc)
        goto fail;
    if ((rc = doge_signer_verifier(s, &v)) || (rc = doge_verifier_format(v, &vkey)) ||
        (rc = write_line(ppath, vkey, 0644)))
        goto fail;
    doge_verifier_free(v);
    free(vkey);
    return DOGE_OK;
fail:
    undo(kpath, dir);
    doge_verifier_free(v);
    free(vkey);
    return rc;
}

int doge_keystore_save_verifier(const doge_workspace *ws, const doge_verifier *v)
{
    if (!ws || !v)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_save_verifier: NULL argument");
    const char *name = doge_verifier_name(v);
    char dir[PATH_MAX], kpath[PATH_MAX], ppath[PATH_MAX];
    int rc;
    if ((rc = prepare(ws, name, dir, kpath, ppath)))
        return rc;
    if (exists(kpath))
        return doge__error_set(DOGE_EEXISTS, "key '%s' already exists: %s (keys are never "
                               "overwritten)", name, kpath);
    if ((rc = reserve(ppath, name, 0644)))
        return rc;
    char *vkey = NULL;
    if ((rc = doge_verifier_format(v, &vkey)) || (rc = write_line(ppath, vkey, 0644))) {
        undo(ppath, dir);
        free(vkey);
        return rc;
    }
    free(vkey);
    return DOGE_OK;
}

/* ---- loading ------------------------------------------------------------- */

int doge_keystore_load_signer(const doge_workspace *ws, const char *name, doge_signer **out)
{
    if (!out)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_load_signer: NULL argument");
    *out = NULL;
    if (!ws || !name)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_load_signer: NULL argument");
    char stem[DOGE_KEYSTORE_FILE_MAX + 1], dir[PATH_MAX], kpath[PATH_MAX], ppath[PATH_MAX];
    int rc;
    if ((rc = doge_keystore_file_name(name, stem, sizeof stem)) ||
        (rc = doge_workspace_path(ws, "keys", dir, sizeof dir)) ||
        (rc = key_path(ws, stem, ".key", kpath, sizeof kpath)) ||
        (rc = key_path(ws, stem, ".pub", ppath, sizeof ppath)))
        return rc;
    if (!exists(kpath)) {
        if (exists(ppath))
            return doge__error_set(DOGE_ENOTFOUND,
                                   "key '%s' in %s has no private key: only its verifier key "
                                   "%s.pub is there",
                                   name, dir, stem);
        return doge__error_set(DOGE_ENOTFOUND, "no private key '%s' in %s (no file %s)", name, dir,
                               kpath);
    }
    doge_signer *s;
    if ((rc = signer_from_file(kpath, &s)))
        return rc;
    if (strcmp(doge_signer_name(s), name) != 0) {
        rc = doge__error_set(DOGE_ENOTFOUND,
                             "no private key '%s' in %s: %s holds key '%s' (names that differ "
                             "only in '/' and '_' share a file name)",
                             name, dir, kpath, doge_signer_name(s));
        doge_signer_free(s);
        return rc;
    }
    *out = s;
    return DOGE_OK;
}

int doge_keystore_load_verifier(const doge_workspace *ws, const char *ref, doge_verifier **out)
{
    if (!out)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_load_verifier: NULL argument");
    *out = NULL;
    if (!ref)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_load_verifier: NULL argument");
    if (strncmp(ref, private_prefix, sizeof private_prefix - 1) == 0)
        return doge__error_set(DOGE_EINVAL,
                               "a private key text was given where a verifier key is expected");
    char stem[DOGE_KEYSTORE_FILE_MAX + 1], kpath[PATH_MAX], ppath[PATH_MAX], dir[PATH_MAX] = "";
    int rc;
    if (ws && (rc = doge_workspace_path(ws, "keys", dir, sizeof dir)))
        return rc;
    /* 1. A key name in keys/. */
    if (ws && doge_keystore_file_name(ref, stem, sizeof stem) == DOGE_OK &&
        key_path(ws, stem, ".key", kpath, sizeof kpath) == DOGE_OK &&
        key_path(ws, stem, ".pub", ppath, sizeof ppath) == DOGE_OK &&
        (exists(kpath) || exists(ppath))) {
        doge_key_info info;
        if ((rc = doge_keystore_get(ws, ref, &info)))
            return rc;
        rc = doge_verifier_parse(out, info.vkey);
        doge_keystore_info_clear(&info);
        return rc;
    }
    /* 2. A file holding a verifier key. */
    struct stat sb;
    if (stat(ref, &sb) == 0) {
        if (!S_ISREG(sb.st_mode))
            return doge__error_set(DOGE_EINVAL, "%s is not a regular file holding a verifier key",
                                   ref);
        return verifier_from_file(ref, out);
    }
    /* 3. The verifier key text itself (key names never hold '+'). */
    if (strchr(ref, '+'))
        return doge_verifier_parse(out, ref);
    if (!ws)
        return doge__error_set(DOGE_ENOTFOUND,
                               "no key '%.200s': it is not a file and not a verifier key text",
                               ref);
    return doge__error_set(DOGE_ENOTFOUND,
                           "no key '%.200s': it is not a key name in %s, not a file, and not a "
                           "verifier key text",
                           ref, dir);
}

/* ---- listing ------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_info(const void *a, const void *b)
{
    return strcmp(((const doge_key_info *)a)->name, ((const doge_key_info *)b)->name);
}

static void free_strs(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

int doge_keystore_list(const doge_workspace *ws, doge_key_info **out, size_t *n)
{
    if (!out || !n)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_list: NULL argument");
    *out = NULL;
    *n = 0;
    if (!ws)
        return doge__error_set(DOGE_EINVAL, "doge_keystore_list: NULL argument");
    char dir[PATH_MAX];
    int rc;
    if ((rc = doge_workspace_path(ws, "keys", dir, sizeof dir)))
        return rc;
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT)
            return DOGE_OK;
        return doge__error_set(DOGE_EIO, "%s: cannot open folder: %s", dir, strerror(errno));
    }
    char **stems = NULL;
    size_t ns = 0, cap = 0;
    struct dirent *e;
    rc = DOGE_OK;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' || l <= 4 || l - 4 > DOGE_KEYSTORE_FILE_MAX)
            continue;
        if (strcmp(e->d_name + l - 4, ".key") != 0 && strcmp(e->d_name + l - 4, ".pub") != 0)
            continue;
        if (ns == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            char **grown = realloc(stems, ncap * sizeof *grown);
            if (!grown) {
                rc = doge__error_oom();
                break;
            }
            stems = grown;
            cap = ncap;
        }
        if (!(stems[ns] = strndup(e->d_name, l - 4))) {
            rc = doge__error_oom();
            break;
        }
        ns++;
    }
    closedir(d);
    if (rc) {
        free_strs(stems, ns);
        return rc;
    }
    if (ns == 0) {
        free(stems);
        return DOGE_OK;
    }
    qsort(stems, ns, sizeof *stems, cmp_str);
    doge_key_info *list = calloc(ns, sizeof *list);
    if (!list) {
        free_strs(stems, ns);
        return doge__error_oom();
    }
    size_t count = 0;
    for (size_t i = 0; i < ns; i++) {
        if (i > 0 && strcmp(stems[i], stems[i - 1]) == 0)
            continue; /* NAME.key and NAME.pub: one key */
        rc = info_from_stem(ws, stems[i], &list[count]);
        if (rc == DOGE_ENOTFOUND) /* removed while we listed */
            continue;
        if (rc) {
            doge_keystore_list_free(list, count);
            free_strs(stems, ns);
            return rc;
        }
        count++;
    }
    free_strs(stems, ns);
    if (count == 0) {
        free(list);
        return DOGE_OK;
    }
    qsort(list, count, sizeof *list, cmp_info);
    *out = list;
    *n = count;
    return DOGE_OK;
}

int doge_keystore_witness_verifiers(const doge_workspace *ws, doge_verifier ***out, size_t *n)
{
    doge_key_info *keys;
    size_t nk;
    *out = NULL;
    *n = 0;
    int rc = doge_keystore_list(ws, &keys, &nk);
    if (rc)
        return rc;
    doge_verifier **v = calloc(nk ? nk : 1, sizeof *v);
    if (!v) {
        doge_keystore_list_free(keys, nk);
        return doge__error_oom();
    }
    size_t k = 0;
    for (size_t i = 0; i < nk; i++)
        if (keys[i].type == DOGE_KEY_COSIGNATURE_V1 &&
            doge_verifier_parse(&v[k], keys[i].vkey) == DOGE_OK)
            k++;
    doge_keystore_list_free(keys, nk);
    *out = v;
    *n = k;
    return DOGE_OK;
}

void doge_keystore_verifiers_free(doge_verifier **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        doge_verifier_free(v[i]);
    free(v);
}
