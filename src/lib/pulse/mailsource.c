/*
 * mailsource.c — walks Maildir folders, mbox files (mboxrd) and IMAP
 * mailboxes (libcurl) and hands each raw message to a callback. mbox files
 * are memory-mapped and split at "From " lines without copying, except to
 * unquote ">From " lines, which needs one reusable buffer.
 */
#include "doge/mailsource.h"
#include "doge/buf.h"
#include "internal.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- mbox --------------------------------------------------------------- */

/* Whether line (len bytes) is ">+From ", mboxrd's quoted "From ". */
static int is_quoted_from(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && line[i] == '>')
        i++;
    return i > 0 && len - i >= 5 && memcmp(line + i, "From ", 5) == 0;
}

static int emit_mbox_message(const char *p, size_t len, const char *path, size_t line,
                             doge_buf *tmp, doge_mailsource_fn fn, void *ctx, int64_t *count)
{
    char label[PATH_MAX + 32];
    snprintf(label, sizeof label, "%.*s:%zu", PATH_MAX - 1, path, line);
    /* Drop the "\n" that precedes the next separator (part of mbox framing). */
    if (len && p[len - 1] == '\n')
        len--;
    if (len && p[len - 1] == '\r')
        len--;
    if (len > DOGE_MAILSOURCE_MAX_MESSAGE) {
        fprintf(stderr, "doge: %s: message of %zu bytes skipped (limit %u)\n", label, len,
                DOGE_MAILSOURCE_MAX_MESSAGE);
        return DOGE_OK;
    }
    /* Unquote ">From " lines only when there are any. */
    int quoted = 0;
    for (size_t i = 0; i < len && !quoted;) {
        const char *nl = memchr(p + i, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - (p + i)) : len - i;
        quoted = is_quoted_from(p + i, ll);
        i += ll + 1;
    }
    (*count)++;
    if (!quoted)
        return fn(ctx, p, len, label);
    doge_buf_reset(tmp);
    int rc = DOGE_OK;
    for (size_t i = 0; i < len && rc == DOGE_OK;) {
        const char *nl = memchr(p + i, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - (p + i)) + 1 : len - i;
        size_t skip = is_quoted_from(p + i, ll) ? 1 : 0;
        rc = doge_buf_append(tmp, p + i + skip, ll - skip);
        i += ll;
    }
    return rc ? rc : fn(ctx, tmp->data, tmp->len, label);
}

/* Bytes of a mapped mbox walked past before they are released. */
#define MBOX_RELEASE ((size_t)64 << 20)

static int walk_mbox(const char *path, doge_mailsource_fn fn, void *ctx, int64_t *count)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return doge__error_set(errno == ENOENT ? DOGE_ENOTFOUND : DOGE_EIO, "%s: %s", path,
                               strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        close(fd);
        return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
    }
    if (sb.st_size == 0) {
        close(fd);
        return DOGE_OK;
    }
    size_t size = (size_t)sb.st_size;
    const char *base = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (base == MAP_FAILED)
        return doge__error_set(DOGE_EIO, "%s: mmap: %s", path, strerror(errno));
    madvise((void *)base, size, MADV_SEQUENTIAL);
    if (size < 5 || memcmp(base, "From ", 5) != 0) {
        munmap((void *)base, size);
        return doge__error_set(DOGE_EINVAL,
                               "%s:1: not an mbox file (it must start with a 'From ' line)", path);
    }
    doge_buf tmp;
    doge_buf_init(&tmp, DOGE_MAILSOURCE_MAX_MESSAGE + 1024);
    int rc = DOGE_OK;
    size_t line = 1, msg_start = 0, msg_line = 0, released = 0;
    int in_msg = 0;
    size_t pos = 0;
    long page = sysconf(_SC_PAGESIZE);
    while (pos < size && rc == DOGE_OK) {
        const char *nl = memchr(base + pos, '\n', size - pos);
        size_t ll = nl ? (size_t)(nl - (base + pos)) : size - pos;
        if (ll >= 5 && memcmp(base + pos, "From ", 5) == 0) {
            if (in_msg)
                rc = emit_mbox_message(base + msg_start, pos - msg_start, path, msg_line, &tmp, fn,
                                       ctx, count);
            in_msg = 1;
            msg_start = pos + ll + 1;
            msg_line = line + 1;
            /* Pages already walked are dropped from the mapping now and
             * then, so that a mailbox of gigabytes does not stay resident
             * (the callback has copied what it keeps). */
            if (page > 0 && pos - released >= MBOX_RELEASE) {
                size_t upto = pos / (size_t)page * (size_t)page;
                madvise((void *)(base + released), upto - released, MADV_DONTNEED);
                released = upto;
            }
        }
        pos += ll + 1;
        line++;
    }
    if (rc == DOGE_OK && in_msg && msg_start <= size)
        rc = emit_mbox_message(base + msg_start, size - msg_start, path, msg_line, &tmp, fn, ctx,
                               count);
    doge_buf_dispose(&tmp);
    munmap((void *)base, size);
    return rc;
}

/* ---- Maildir ------------------------------------------------------------ */

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_maildir_sub(const char *dir, const char *sub, doge_mailsource_fn fn, void *ctx,
                            int64_t *count)
{
    char path[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, sub) >= sizeof path)
        return doge__error_set(DOGE_ELIMIT, "%s: path too long", dir);
    DIR *d = opendir(path);
    if (!d)
        return errno == ENOENT ? DOGE_OK
                               : doge__error_set(DOGE_EIO, "%s: %s", path, strerror(errno));
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    int rc = DOGE_OK;
    while ((e = readdir(d)) && rc == DOGE_OK) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) {
                rc = doge__error_oom();
                break;
            }
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name)))
            rc = doge__error_oom();
        else
            n++;
    }
    closedir(d);
    /* In name order, so a walk is reproducible. */
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == DOGE_OK; i++) {
        char file[PATH_MAX];
        if ((size_t)snprintf(file, sizeof file, "%s/%s", path, names[i]) >= sizeof file)
            continue;
        char *data;
        size_t len;
        int r = doge__file_read(file, DOGE_MAILSOURCE_MAX_MESSAGE, &data, &len);
        if (r == DOGE_ELIMIT || r == DOGE_ENOTFOUND) {
            fprintf(stderr, "doge: %s skipped: %s\n", file, doge_error_last());
            continue;
        }
        if (r) {
            rc = r;
            break;
        }
        (*count)++;
        rc = fn(ctx, data, len, file);
        free(data);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

/* ---- IMAP --------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static size_t to_buf(char *p, size_t size, size_t nmemb, void *ud)
{
    doge_buf *b = ud;
    return doge_buf_append(b, p, size * nmemb) == DOGE_OK ? size * nmemb : 0;
}

/* One message's body: at most DOGE_MAILSOURCE_MAX_MESSAGE bytes are kept; the
 * rest of a bigger one is read and dropped, so the connection stays usable
 * and the message is skipped like an oversized file. */
typedef struct {
    doge_buf *b;
    size_t total;
} msg_sink;

static size_t to_msg(char *p, size_t size, size_t nmemb, void *ud)
{
    msg_sink *m = ud;
    size_t n = size * nmemb;
    m->total += n;
    if (m->total <= DOGE_MAILSOURCE_MAX_MESSAGE && doge_buf_append(m->b, p, n) != DOGE_OK)
        return 0;
    return n;
}

/* url without its user:password@ part, for labels and messages. */
static void url_without_userinfo(char *out, size_t cap, const char *url)
{
    const char *host = strstr(url, "://");
    host = host ? host + 3 : url;
    const char *end = host + strcspn(host, "/");
    const char *at = NULL;
    for (const char *q = host; q < end; q++)
        if (*q == '@')
            at = q;
    if (at)
        snprintf(out, cap, "%.*s%s", (int)(host - url), url, at + 1);
    else
        snprintf(out, cap, "%s", url);
}

static int imap_perform(CURL *c, const char *url, const char *custom, doge_buf *out)
{
    doge_buf_reset(out);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, custom);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, to_buf);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    CURLcode cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        char shown[2048];
        url_without_userinfo(shown, sizeof shown, url);
        return doge__error_set(DOGE_EIO, "%s: %s", shown, curl_easy_strerror(cc));
    }
    return DOGE_OK;
}

static int walk_imap(const char *url, const char *user, const char *password,
                     doge_mailsource_fn fn, void *ctx, int64_t *count)
{
    pthread_once(&curl_once, curl_init_once);
    CURL *c = curl_easy_init();
    if (!c)
        return doge__error_set(DOGE_ERROR, "cannot start libcurl");
    if (user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, password ? password : "");
    }
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    doge_buf search, msg;
    doge_buf_init(&search, 256u << 20);
    doge_buf_init(&msg, DOGE_MAILSOURCE_MAX_MESSAGE + 1024);
    /* The mailbox URL without a trailing slash; INBOX when none is named. */
    char base[2048];
    const char *after = strstr(url, "://");
    const char *slash = after ? strchr(after + 3, '/') : NULL;
    if (!slash || !slash[1])
        snprintf(base, sizeof base, "%.*s/INBOX", (int)(slash ? slash - url : (long)strlen(url)),
                 url);
    else
        snprintf(base, sizeof base, "%s", url);
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        base[--bl] = '\0';
    char shown[2048]; /* labels name no password: they are stored */
    url_without_userinfo(shown, sizeof shown, base);
    int rc = imap_perform(c, base, "UID SEARCH ALL", &search);
    if (rc == DOGE_OK && doge_buf_append_char(&search, '\0') == DOGE_OK) {
        const char *line = strstr(search.data, "* SEARCH");
        const char *p = line ? line + 8 : "";
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
        while (rc == DOGE_OK && *p && *p != '\r' && *p != '\n') {
            while (*p == ' ')
                p++;
            char *end;
            unsigned long uid = strtoul(p, &end, 10);
            if (end == p)
                break;
            p = end;
            char murl[2100], label[2100];
            snprintf(murl, sizeof murl, "%s/;UID=%lu", base, uid);
            snprintf(label, sizeof label, "%s;UID=%lu", shown, uid);
            doge_buf_reset(&msg);
            msg_sink sink = {&msg, 0};
            curl_easy_setopt(c, CURLOPT_URL, murl);
            curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, to_msg);
            curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
            CURLcode cc = curl_easy_perform(c);
            if (cc != CURLE_OK) {
                rc = doge__error_set(DOGE_EIO, "%s: %s", label, curl_easy_strerror(cc));
                break;
            }
            if (sink.total > DOGE_MAILSOURCE_MAX_MESSAGE) {
                fprintf(stderr, "doge: %s: message of %zu bytes skipped (limit %u)\n", label,
                        sink.total, DOGE_MAILSOURCE_MAX_MESSAGE);
                continue;
            }
            (*count)++;
            rc = fn(ctx, msg.data ? msg.data : "", msg.len, label);
        }
    }
    doge_buf_dispose(&search);
    doge_buf_dispose(&msg);
    curl_easy_cleanup(c);
    return rc;
}

int doge_mailsource_walk(const char *source, const char *user, const char *password,
                         doge_mailsource_fn fn, void *ctx, int64_t *count)
{
    int64_t local = 0;
    if (!count)
        count = &local;
    *count = 0;
    if (strncmp(source, "imap://", 7) == 0 || strncmp(source, "imaps://", 8) == 0)
        return walk_imap(source, user, password, fn, ctx, count);
    struct stat sb;
    if (stat(source, &sb) != 0)
        return doge__error_set(errno == ENOENT ? DOGE_ENOTFOUND : DOGE_EIO, "%s: %s", source,
                               strerror(errno));
    if (S_ISDIR(sb.st_mode)) {
        char probe[PATH_MAX];
        int has_new = (size_t)snprintf(probe, sizeof probe, "%s/new", source) < sizeof probe &&
                      stat(probe, &sb) == 0 && S_ISDIR(sb.st_mode);
        int has_cur = (size_t)snprintf(probe, sizeof probe, "%s/cur", source) < sizeof probe &&
                      stat(probe, &sb) == 0 && S_ISDIR(sb.st_mode);
        if (!has_new && !has_cur)
            return doge__error_set(DOGE_EINVAL, "%s: a folder, but not a Maildir (no new/ or cur/)",
                                   source);
        int rc = walk_maildir_sub(source, "cur", fn, ctx, count);
        return rc ? rc : walk_maildir_sub(source, "new", fn, ctx, count);
    }
    return walk_mbox(source, fn, ctx, count);
}
