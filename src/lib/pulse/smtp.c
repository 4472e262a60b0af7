/*
 * smtp.c — hands a batch of ready messages to an SMTP server with libcurl,
 * on up to smtp->connections connections (one easy handle each, reused
 * across messages), at most smtp->rate messages per second in all, with
 * STARTTLS and AUTH when asked. It decides nothing about state: it reports
 * per message what happened, in the terms the callers need to stay at most
 * once — sent (250), refused (5xx at RCPT or at the end of DATA), not sent
 * (the end of the data never went out, so the server cannot have taken
 * it: retry later), or unknown (everything went out but no clear answer
 * came back: never re-send by itself). Used for requests (deliver.c) and
 * for receipts (receipt_send.c).
 */
#include "internal.h"
#include "pulse_internal.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

typedef struct {
    const char *data;
    size_t len, off;
} upload;

static size_t read_cb(char *buf, size_t size, size_t nmemb, void *ud)
{
    upload *u = ud;
    size_t room = size * nmemb, left = u->len - u->off;
    size_t n = left < room ? left : room;
    memcpy(buf, u->data + u->off, n);
    u->off += n;
    return n;
}

typedef struct {
    const doge_pulse_smtp *smtp;
    const char *mail_from;
    doge__smtp_item *items;
    size_t n, next;
    pthread_mutex_t mu;
    double next_slot; /* rate limiter: the time the next message may start */
} smtp_job;

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *smtp_worker(void *arg)
{
    smtp_job *job = arg;
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
    curl_easy_setopt(c, CURLOPT_URL, job->smtp->url);
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, job->mail_from);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    if (job->smtp->starttls)
        curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (job->smtp->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, job->smtp->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, job->smtp->password ? job->smtp->password : "");
    }
    for (;;) {
        pthread_mutex_lock(&job->mu);
        size_t i = job->next++;
        double wait = 0;
        if (i < job->n && job->smtp->rate > 0) {
            double now = mono_now();
            if (job->next_slot < now)
                job->next_slot = now;
            wait = job->next_slot - now;
            job->next_slot += 1.0 / job->smtp->rate;
        }
        pthread_mutex_unlock(&job->mu);
        if (i >= job->n)
            break;
        if (wait > 0) {
            struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
            nanosleep(&ts, NULL);
        }
        doge__smtp_item *r = &job->items[i];
        struct curl_slist *rcpt = curl_slist_append(NULL, r->rcpt);
        upload u = {r->data, r->len, 0};
        curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
        curl_easy_setopt(c, CURLOPT_READDATA, &u);
        CURLcode cc = curl_easy_perform(c);
        long code = 0;
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        curl_slist_free_all(rcpt);
        if (cc == CURLE_OK) {
            r->state = DOGE__SMTP_SENT;
            snprintf(r->detail, sizeof r->detail, "smtp %ld", code);
        } else if (code >= 500 && code < 600 && (cc == CURLE_SEND_ERROR || u.off == u.len)) {
            /* Refused at RCPT (libcurl: CURLE_SEND_ERROR) or at the end of DATA. */
            r->state = DOGE__SMTP_REFUSED;
            snprintf(r->detail, sizeof r->detail, "smtp %ld: %s", code, curl_easy_strerror(cc));
        } else if (u.off < u.len) {
            /* The message was not all read, so its end-of-data never went out
             * and the server cannot have taken it: no connection, TLS or AUTH
             * failed, a 5xx greeting, a 4xx before the end of DATA. Retried. */
            r->state = DOGE__SMTP_NOT_SENT;
            snprintf(r->detail, sizeof r->detail, "smtp %ld: %s", code, curl_easy_strerror(cc));
        } else {
            r->state = DOGE__SMTP_UNKNOWN;
            snprintf(r->detail, sizeof r->detail, "interrupted: %s", curl_easy_strerror(cc));
        }
    }
    curl_easy_cleanup(c);
    return NULL;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

int doge__pulse_smtp_send(const doge_pulse_smtp *smtp, const char *mail_from,
                          doge__smtp_item *items, size_t n)
{
    pthread_once(&curl_once, curl_init_once);
    for (size_t i = 0; i < n; i++) {
        items[i].state = DOGE__SMTP_UNKNOWN;
        snprintf(items[i].detail, sizeof items[i].detail, "not attempted");
    }
    smtp_job job = {.smtp = smtp, .mail_from = mail_from, .items = items, .n = n};
    pthread_mutex_init(&job.mu, NULL);
    int nthreads = smtp->connections < 1 ? 1 : smtp->connections > 64 ? 64 : smtp->connections;
    pthread_t th[64];
    int started = 0;
    for (int t = 0; t < nthreads; t++)
        if (pthread_create(&th[started], NULL, smtp_worker, &job) == 0)
            started++;
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&job.mu);
    if (!started) {
        for (size_t i = 0; i < n; i++)
            items[i].state = DOGE__SMTP_NOT_SENT;
        return doge__error_set(DOGE_ERROR, "cannot start SMTP threads");
    }
    return DOGE_OK;
}
