/*
 * csv_scan.c — the entry points of doge/spend_csv.h: maps the file, reads
 * the header, and splits the rows across threads. With N threads the bytes
 * after the header are cut into N equal ranges; a first parallel pass counts
 * the quotes and line feeds of each range, whose prefix sums give the
 * in-quotes state and the line number at every cut; each cut then moves to
 * the first row start at or after it (found with that state), and a second
 * parallel pass scans each thread's rows with the chosen scanner. Rows are
 * thus split exactly where a single thread would have split them.
 */
#include "spend_csv_internal.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct task {
    doge__spend_worker w;
    doge__spend_kernel kernel;
    doge__spend_counter counter;
    uint64_t from, to, line; /* pass 2: rows starting in [from, to) */
    uint64_t quotes, lfs;    /* pass 1: counts over [from, to) */
    int count;               /* which pass */
} task;

static void *run_task(void *arg)
{
    task *t = arg;
    if (t->count)
        t->counter(t->w.job->data, t->from, t->to, &t->quotes, &t->lfs);
    else
        t->kernel(&t->w, t->from, t->to, t->line);
    return NULL;
}

/* Runs tasks[0, n) on n threads (the first on the calling one). */
static int run_all(task *tasks, unsigned n)
{
    pthread_t tid[DOGE__SPEND_MAX_THREADS];
    unsigned started = 0;
    int rc = DOGE_OK;
    for (unsigned i = 1; i < n; i++) {
        if (pthread_create(&tid[i], NULL, run_task, &tasks[i]) != 0) {
            rc = doge__error_set(DOGE_ERROR, "spend csv: cannot start a thread");
            break;
        }
        started = i;
    }
    if (rc == DOGE_OK)
        run_task(&tasks[0]);
    for (unsigned i = 1; i <= started; i++)
        pthread_join(tid[i], NULL);
    return rc;
}

static int worker_init(doge__spend_worker *w, doge__spend_job *job, unsigned thread)
{
    size_t nw = job->opts->ncolumns;
    w->job = job;
    w->thread = thread;
    w->slot = job->slot;
    w->nslot = job->nfile;
    w->nwanted = nw;
    w->span = calloc(2 * nw + 2, sizeof *w->span);
    w->fields = calloc(nw + 1, sizeof *w->fields);
    w->quoted = calloc(nw + 1, 1);
    w->idx = malloc((job->nfile + job->chunk + 130) * sizeof *w->idx);
    w->eols = malloc(DOGE__SPEND_MAX_EOLS * sizeof *w->eols);
    if (!w->span || !w->fields || !w->quoted || !w->idx || !w->eols)
        return doge__error_oom();
    return DOGE_OK;
}

static void worker_free(doge__spend_worker *w)
{
    free(w->span);
    free(w->fields);
    free(w->quoted);
    free(w->scratch);
    free(w->idx);
    free(w->eols);
}

/* Sets up tasks[0, n) over the rows after the header. */
static int plan(doge__spend_job *job, task *tasks, unsigned n, doge__spend_counter counter)
{
    uint64_t a = job->data_start, body = job->len - a;
    for (unsigned i = 0; i < n; i++) {
        tasks[i].count = 1;
        tasks[i].counter = counter;
        tasks[i].from = a + body * i / n;
        tasks[i].to = a + body * (i + 1) / n;
    }
    int rc = n > 1 ? run_all(tasks, n) : DOGE_OK;
    if (rc)
        return rc;
    uint64_t quotes = 0, lfs = 0, cut[DOGE__SPEND_MAX_THREADS + 1], line[DOGE__SPEND_MAX_THREADS];
    cut[0] = a;
    line[0] = job->data_line;
    for (unsigned i = 1; i < n; i++) {
        quotes += tasks[i - 1].quotes;
        lfs += tasks[i - 1].lfs;
        uint64_t at = tasks[i].from, skipped = 0;
        int inq = (int)(quotes & 1);
        if (!(!inq && job->data[at - 1] == '\n'))
            at = doge__spend_next_row(job->data, job->len, at, inq, &skipped);
        if (at < cut[i - 1])
            at = cut[i - 1];
        cut[i] = at;
        line[i] = job->data_line + lfs + skipped;
    }
    cut[n] = job->len;
    for (unsigned i = 0; i < n; i++) {
        tasks[i].count = 0;
        tasks[i].from = cut[i];
        tasks[i].to = cut[i + 1];
        tasks[i].line = line[i];
    }
    return DOGE_OK;
}

int doge__spend_scan_variant(const void *data, size_t len, const char *name,
                             const doge_spend_csv_opts *opts, doge_spend_csv_stats *stats,
                             int variant, size_t chunk)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!name)
        name = "(memory)";
    if (!opts || (opts->ncolumns && !opts->columns) || (len && !data))
        return doge__error_set(DOGE_EINVAL, "%s: spend csv: bad options", name);
    doge__spend_kernel kernel = doge__spend_kernel_for(variant);
    doge__spend_counter counter = doge__spend_counter_for(variant);
    if (!kernel || !counter)
        return doge__error_set(DOGE_EINVAL, "%s: spend csv: scanner %d is not available here",
                               name, variant);
    doge__spend_job job = {.data = len ? data : (const unsigned char *)"",
                           .len = len,
                           .name = name,
                           .opts = opts,
                           .chunk = chunk ? (chunk + 63) / 64 * 64 : DOGE__SPEND_CHUNK,
                           .stop_off = DOGE__SPEND_NONE};
    atomic_init(&job.stop_at, DOGE__SPEND_NONE);
    if (pthread_mutex_init(&job.lock, NULL) != 0)
        return doge__error_set(DOGE_ERROR, "%s: spend csv: cannot make a lock", name);
    unsigned n = opts->threads ? opts->threads : 1;
    if (n > DOGE__SPEND_MAX_THREADS)
        n = DOGE__SPEND_MAX_THREADS;
    task *tasks = NULL;
    int rc = doge__spend_header(&job);
    if (rc)
        goto done;
    if (job.len - job.data_start < n)
        n = job.len - job.data_start ? (unsigned)(job.len - job.data_start) : 1;
    tasks = calloc(n, sizeof *tasks);
    if (!tasks) {
        rc = doge__error_oom();
        goto done;
    }
    for (unsigned i = 0; i < n; i++) {
        tasks[i].kernel = kernel;
        if ((rc = worker_init(&tasks[i].w, &job, i)))
            goto done;
    }
    if ((rc = plan(&job, tasks, n, counter)))
        goto done;
    if ((rc = run_all(tasks, n)))
        goto done;
    if (stats)
        stats->bytes = len;
    for (unsigned i = 0; i < n; i++) {
        if (stats) {
            stats->rows += tasks[i].w.rows;
            stats->bad_rows += tasks[i].w.bad_rows;
        }
    }
    if (job.stop_off != DOGE__SPEND_NONE) {
        rc = job.stop_rc;
        if (rc == DOGE_EINVAL || rc == DOGE_ENOMEM)
            doge__error_set(rc, "%s", job.stop_msg);
    }
done:
    if (tasks)
        for (unsigned i = 0; i < n; i++)
            worker_free(&tasks[i].w);
    free(tasks);
    free(job.slot);
    free(job.wanted_col);
    free(job.present);
    pthread_mutex_destroy(&job.lock);
    return rc;
}

int doge_spend_csv_scan_mem(const void *data, size_t len, const char *name,
                            const doge_spend_csv_opts *opts, doge_spend_csv_stats *stats)
{
    int variant = opts && opts->scalar ? DOGE__SPEND_SCALAR : DOGE__SPEND_AUTO;
    return doge__spend_scan_variant(data, len, name, opts, stats, variant, 0);
}

int doge_spend_csv_scan(const char *path, const doge_spend_csv_opts *opts,
                        doge_spend_csv_stats *stats)
{
    if (stats)
        memset(stats, 0, sizeof *stats);
    if (!path)
        return doge__error_set(DOGE_EINVAL, "spend csv: no path");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return doge__error_set(errno == ENOENT ? DOGE_ENOTFOUND : DOGE_EIO, "%s: %s", path,
                               strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return doge__error_set(DOGE_EIO, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return doge__error_set(DOGE_EIO, "%s: not a regular file", path);
    }
    size_t len = (size_t)st.st_size;
    void *map = NULL;
    if (len) {
        map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            int e = errno;
            close(fd);
            return doge__error_set(DOGE_EIO, "%s: cannot map: %s", path, strerror(e));
        }
        madvise(map, len, MADV_SEQUENTIAL);
    }
    close(fd);
    int rc = doge_spend_csv_scan_mem(map, len, path, opts, stats);
    if (map)
        munmap(map, len);
    return rc;
}
