/*
 * file.c — small, durable file-system helpers: atomic durable writes (temp,
 * fsync, rename, fsync folder), bounded whole-file reads and mkdir -p. Used by
 * the workspace, the keys folder and the ledger's tile writer.
 */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int doge__fsync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: cannot open folder: %s", path, strerror(errno));
    if (fsync(fd) != 0 && errno != EINVAL) {
        int e = errno;
        close(fd);
        return doge__error_set(DOGE_EIO, "%s: fsync: %s", path, strerror(e));
    }
    close(fd);
    return DOGE_OK;
}

static int write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int doge__file_write_atomic(const char *path, const void *data, size_t len, int mode)
{
    char tmp[PATH_MAX], dir[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp)
        return doge__error_set(DOGE_EINVAL, "%s: path too long", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0)
        return doge__error_set(DOGE_EIO, "%s: cannot create: %s", tmp, strerror(errno));
    if (write_all(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return doge__error_set(DOGE_EIO, "%s: write: %s", tmp, strerror(e));
    }
    if (close(fd) != 0) {
        unlink(tmp);
        return doge__error_set(DOGE_EIO, "%s: close: %s", tmp, strerror(errno));
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return doge__error_set(DOGE_EIO, "%s: rename: %s", path, strerror(e));
    }
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        strcpy(dir, ".");
    return doge__fsync_dir(dir);
}

int doge__file_read(const char *path, size_t max, char **out, size_t *len)
{
    *out = NULL;
    if (len)
        *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return doge__error_set(errno == ENOENT ? DOGE_ENOTFOUND : DOGE_EIO, "%s: %s", path,
                               strerror(errno));
    size_t cap = max < 4096 ? max : 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        return doge__error_oom();
    }
    for (;;) {
        if (n == cap) {
            if (cap >= max) {
                /* Full: fine at end of file, too large if one more byte. */
                if (fgetc(f) == EOF)
                    break;
                free(buf);
                fclose(f);
                return doge__error_set(DOGE_ELIMIT, "%s: larger than %zu bytes", path, max);
            }
            size_t ncap = cap > max / 2 ? max : cap * 2;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                return doge__error_oom();
            }
            buf = nb;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return doge__error_set(DOGE_EIO, "%s: read error", path);
    }
    buf[n] = '\0';
    *out = buf;
    if (len)
        *len = n;
    return DOGE_OK;
}

int doge__mkdirs(const char *path, int mode)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
        return doge__error_set(DOGE_EINVAL, "%s: path too long", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST)
                return doge__error_set(DOGE_EIO, "%s: mkdir: %s", tmp, strerror(errno));
            *p = '/';
        }
    }
    if (mkdir(tmp, (mode_t)mode) != 0 && errno != EEXIST)
        return doge__error_set(DOGE_EIO, "%s: mkdir: %s", tmp, strerror(errno));
    return DOGE_OK;
}
