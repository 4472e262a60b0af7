/*
 * bench/mail.c — how fast doge_mail_parse() turns replies into decoded
 * facts, against GMime's bare parse of the same bytes. It generates an
 * mbox-like stream of 100,000 small replies (override with argv[1]) in the
 * mix a check-in week brings: plain top-posted replies quoting the request,
 * quoted-printable and base64 UTF-8, multipart/alternative, HTML-only,
 * windows-1252 and a few auto-replies. It then times, on one core:
 *   doge:  doge_mail_parse() + doge_mail_free() per message (the whole
 *          per-message pipeline: hash, the fast reader of mail_fast.c or
 *          GMime where it declines, header facts, body choice and
 *          decoding, HTML to text, auto-reply rules);
 *   doge-gmime: the same with GMime for every message (DOGE__MAIL_GMIME,
 *          the parser before the fast reader);
 *   gmime: g_mime_parser_construct_message() per message on the same
 *          slices (memory stream, parser, message, unref) and nothing else;
 *   gmime-mbox: one GMime parser in mbox mode over the whole stream.
 * Times are CPU time of the benchmark thread; messages are measured in
 * chunks of 2,000, each chunk three times (argv[2]) by each method in turn,
 * and the best time per chunk and method counts.
 * It prints messages/s and MB/s for each and doge's rate as a fraction of
 * each GMime rate; the target is >= 0.5 of the faster bare GMime parse.
 */
#include "doge.h"
#include "pulse/mail_internal.h"

#include <gmime/gmime.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

/* CPU time of this thread: on a shared, busy machine it does not count the
 * time the benchmark waits for a core. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static const char *const first[] = {"Jane", "Omar", "Li", "Ana", "Pat", "Sam", "Kim", "Ray",
                                    "Mia", "Lee", "José", "Zoë"};
static const char *const last[] = {"Doe", "Haddad", "Wei", "Silva", "Smith", "Ortiz", "Lee",
                                   "Chen", "Park", "Grant", "Álvarez", "Müller"};
static const char *const verbs[] = {"Closed", "Reviewed", "Migrated", "Trained", "Drafted",
                                    "Fixed", "Shipped", "Audited", "Filed", "Met with"};
static const char *const objects[] = {"14 FOIA requests", "the intake form", "3 new analysts",
                                      "the FY26 plan", "the travel backlog", "release 2.3",
                                      "12 contracts", "the regional team", "the grants audit",
                                      "the records schedule"};

struct gen {
    char *buf;
    size_t len, cap;
};

static void put(struct gen *g, const char *s, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        while (g->len + n + 1 > g->cap)
            g->cap = g->cap ? g->cap * 2 : 1 << 20;
        g->buf = realloc(g->buf, g->cap);
        if (!g->buf) {
            fprintf(stderr, "bench_mail: out of memory\n");
            exit(1);
        }
    }
    memcpy(g->buf + g->len, s, n);
    g->len += n;
}

static void puts_(struct gen *g, const char *s) { put(g, s, strlen(s)); }

static void printf_(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void printf_(struct gen *g, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(g, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

#define CHUNK 2000

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void put_base64(struct gen *g, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) |
                     (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {b64chars[v >> 18 & 63], b64chars[v >> 12 & 63],
                     i + 1 < n ? b64chars[v >> 6 & 63] : '=', i + 2 < n ? b64chars[v & 63] : '='};
        put(g, q, 4);
        if ((col += 4) >= 76) {
            put(g, "\n", 1);
            col = 0;
        }
    }
    put(g, "\n", 1);
}

static void put_qp(struct gen *g, const char *s)
{
    size_t col = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char q[4];
        size_t k;
        if (*p == '\n') {
            put(g, "\n", 1);
            col = 0;
            continue;
        }
        if (*p >= 0x80 || *p == '=') {
            snprintf(q, sizeof q, "=%02X", *p);
            k = 3;
        } else {
            q[0] = (char)*p;
            k = 1;
        }
        if (col + k > 75) {
            put(g, "=\n", 2);
            col = 0;
        }
        put(g, q, k);
        col += k;
    }
}

/* The bullets and quoted request of reply i, as UTF-8. */
static void body_text(char *out, size_t size, uint64_t *seed, int html)
{
    size_t o = 0;
    int n = 3 + (int)(rnd(seed) % 5);
    if (html)
        o += (size_t)snprintf(out + o, size - o, "<html><body><p>Hi,</p><ul>\n");
    else
        o += (size_t)snprintf(out + o, size - o, "Hi,\n\n");
    for (int i = 0; i < n && o < size - 200; i++) {
        const char *v = verbs[rnd(seed) % 10], *ob = objects[rnd(seed) % 10];
        if (html)
            o += (size_t)snprintf(out + o, size - o, "<li>%s %s &amp; more</li>\n", v, ob);
        else
            o += (size_t)snprintf(out + o, size - o, "\xE2\x80\xA2 %s %s \xE2\x80\x94 done\n", v,
                                  ob);
    }
    if (html)
        o += (size_t)snprintf(out + o, size - o,
                              "</ul><p>Thanks</p><blockquote>On Sat, Pulse wrote:<br>Please "
                              "reply with about five bullets.</blockquote></body></html>\n");
    else
        snprintf(out + o, size - o,
                 "\nThanks\n\nOn Sat, Feb 22, 2025 at 9:00 AM Pulse <pulse@pulse.example.gov> "
                 "wrote:\n> Please reply with about five bullets of what you accomplished\n"
                 "> last week, and cc your manager.\n");
}

static void generate(struct gen *g, long count, size_t *froms, size_t *starts, size_t *ends)
{
    uint64_t seed = 42;
    char body[4096];
    for (long i = 0; i < count; i++) {
        const char *fn = first[rnd(&seed) % 12], *ln = last[rnd(&seed) % 12];
        int kind = (int)(rnd(&seed) % 100);
        froms[i] = g->len;
        printf_(g, "From reply%ld@agency.gov Mon Feb 24 09:15:02 2025\n", i);
        starts[i] = g->len;
        printf_(g,
                "Received: from mail.agency.gov (mail.agency.gov [10.1.2.3])\n"
                "\tby mx.pulse.example.gov with ESMTPS id %lX;\n"
                "\tMon, 24 Feb 2025 09:%02ld:%02ld -0500\n"
                "From: =?UTF-8?Q?%s_%s?= <%s.%s%ld@agency.gov>\n"
                "To: Pulse <pulse+t%08lx@pulse.example.gov>\n"
                "Cc: Manager %ld <manager%ld@agency.gov>\n"
                "Subject: %sRe: What did you accomplish last week? (2025-W08)\n"
                "Date: Mon, 24 Feb 2025 09:%02ld:%02ld -0500\n"
                "Message-ID: <reply-%ld@mail.agency.gov>\n"
                "In-Reply-To: <req-2025-W08-%06ld@pulse.example.gov>\n"
                "References: <req-2025-W08-%06ld@pulse.example.gov>\n"
                "MIME-Version: 1.0\n",
                (unsigned long)i, i % 60, i % 59, fn, ln, fn, ln, i, (unsigned long)i * 2654435761u,
                i / 20, i / 20, kind >= 98 ? "Automatic reply: " : "", i % 60, (i + 7) % 60, i,
                i, i);
        if (kind >= 98)
            puts_(g, "Auto-Submitted: auto-replied\n");
        if (kind < 50) { /* plain 7bit/8bit UTF-8 */
            body_text(body, sizeof body, &seed, 0);
            puts_(g, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: "
                     "8bit\n\n");
            puts_(g, body);
        } else if (kind < 65) { /* quoted-printable */
            body_text(body, sizeof body, &seed, 0);
            puts_(g, "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: "
                     "quoted-printable\n\n");
            put_qp(g, body);
        } else if (kind < 75) { /* base64 */
            body_text(body, sizeof body, &seed, 0);
            puts_(g, "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: "
                     "base64\n\n");
            put_base64(g, body, strlen(body));
        } else if (kind < 85) { /* multipart/alternative */
            body_text(body, sizeof body, &seed, 0);
            printf_(g, "Content-Type: multipart/alternative; boundary=\"b%ld\"\n\n--b%ld\n"
                       "Content-Type: text/plain; charset=utf-8\n"
                       "Content-Transfer-Encoding: quoted-printable\n\n",
                    i, i);
            put_qp(g, body);
            printf_(g, "\n--b%ld\nContent-Type: text/html; charset=utf-8\n\n", i);
            body_text(body, sizeof body, &seed, 1);
            puts_(g, body);
            printf_(g, "\n--b%ld--\n", i);
        } else if (kind < 93) { /* HTML only */
            body_text(body, sizeof body, &seed, 1);
            puts_(g, "Content-Type: text/html; charset=utf-8\n\n");
            puts_(g, body);
        } else { /* windows-1252 8bit */
            printf_(g, "Content-Type: text/plain; charset=windows-1252\n"
                       "Content-Transfer-Encoding: 8bit\n\nHi,\n\n"
                       "\x95 %s %s \x96 saved \x80%ld\n\x95 %s %s\n\nThanks\n",
                    verbs[rnd(&seed) % 10], objects[rnd(&seed) % 10], i % 1000,
                    verbs[rnd(&seed) % 10], objects[rnd(&seed) % 10]);
        }
        ends[i] = g->len;
        puts_(g, "\n");
    }
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? atol(argv[1]) : 100000;
    int rounds = argc > 2 ? atoi(argv[2]) : 3;
    if (rounds < 1)
        rounds = 1;
    g_mime_init(); /* counted: doge's own g_mime_init() call is harmless */
    if (count < 1)
        count = 1;
    size_t *starts = malloc((size_t)count * sizeof *starts);
    size_t *ends = malloc((size_t)count * sizeof *ends);
    size_t *froms = malloc((size_t)count * sizeof *froms);
    struct gen g = {0};
    if (!starts || !ends || !froms) {
        fprintf(stderr, "bench_mail: out of memory\n");
        return 1;
    }
    generate(&g, count, froms, starts, ends);
    size_t bytes = 0;
    for (long i = 0; i < count; i++)
        bytes += ends[i] - starts[i];
    printf("mail: %ld generated replies, %.1f MB of messages (%.0f bytes each on average)\n",
           count, (double)bytes / 1e6, (double)bytes / (double)count);

    /* The messages are measured in chunks of CHUNK; each chunk is run
     * `rounds` times by each method in turn, and the best time of each method
     * on each chunk counts, so a burst of load elsewhere disturbs the ratio
     * as little as it can. */
    long autos = 0, html = 0, body_bytes = 0, fast = 0;
    double t_doge = 0, t_gmime = 0, t_mbox = 0, t_doge_gmime = 0;
    for (long c0 = 0; c0 < count; c0 += CHUNK) {
        long c1 = c0 + CHUNK < count ? c0 + CHUNK : count;
        double best_doge = 1e30, best_gmime = 1e30, best_mbox = 1e30, best_doge_gmime = 1e30;
        GMimeStream *chunk = g_mime_stream_mem_new_with_buffer(
            g.buf + froms[c0], (c1 < count ? froms[c1] : g.len) - froms[c0]);
        for (int round = 0; round < rounds; round++) {
            /* doge: the whole per-message pipeline */
            long a_n = 0, h_n = 0, b_n = 0, f_n = 0;
            double t0 = now();
            for (long i = c0; i < c1; i++) {
                doge_mail *m;
                if (doge_mail_parse(g.buf + starts[i], ends[i] - starts[i], &m) != DOGE_OK) {
                    fprintf(stderr, "bench_mail: message %ld: %s\n", i, doge_error_last());
                    return 1;
                }
                size_t bl;
                doge_mail_body(m, &bl);
                b_n += (long)bl;
                a_n += (doge_mail_flags(m) & DOGE_MAIL_AUTO_REPLY) != 0;
                h_n += (doge_mail_flags(m) & DOGE_MAIL_FROM_HTML) != 0;
                f_n += doge__mail_was_fast(m);
                doge_mail_free(m);
            }
            double t = now() - t0;
            best_doge = t < best_doge ? t : best_doge;
            if (round == 0) {
                autos += a_n;
                html += h_n;
                body_bytes += b_n;
                fast += f_n;
            }

            /* doge with GMime for every message */
            t0 = now();
            for (long i = c0; i < c1; i++) {
                doge_mail *m;
                if (doge__mail_parse_mode(g.buf + starts[i], ends[i] - starts[i],
                                          DOGE__MAIL_GMIME, &m) != DOGE_OK) {
                    fprintf(stderr, "bench_mail: message %ld: %s\n", i, doge_error_last());
                    return 1;
                }
                doge_mail_free(m);
            }
            t = now() - t0;
            best_doge_gmime = t < best_doge_gmime ? t : best_doge_gmime;

            /* GMime bare, per message */
            t0 = now();
            for (long i = c0; i < c1; i++) {
                GMimeStream *st =
                    g_mime_stream_mem_new_with_buffer(g.buf + starts[i], ends[i] - starts[i]);
                GMimeParser *p = g_mime_parser_new_with_stream(st);
                GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
                if (!msg) {
                    fprintf(stderr, "bench_mail: GMime refused message %ld\n", i);
                    return 1;
                }
                g_object_unref(msg);
                g_object_unref(p);
                g_object_unref(st);
            }
            t = now() - t0;
            best_gmime = t < best_gmime ? t : best_gmime;

            /* GMime bare, one mbox parser over the chunk */
            long seen = 0;
            g_mime_stream_reset(chunk);
            t0 = now();
            GMimeParser *p = g_mime_parser_new_with_stream(chunk);
            g_mime_parser_set_format(p, GMIME_FORMAT_MBOX);
            while (!g_mime_parser_eos(p)) {
                GMimeMessage *msg = g_mime_parser_construct_message(p, NULL);
                if (!msg)
                    break;
                seen++;
                g_object_unref(msg);
            }
            g_object_unref(p);
            t = now() - t0;
            best_mbox = t < best_mbox ? t : best_mbox;
            if (seen != c1 - c0) {
                fprintf(stderr, "bench_mail: GMime's mbox parser found %ld of %ld messages\n",
                        seen, c1 - c0);
                return 1;
            }
        }
        g_object_unref(chunk);
        t_doge += best_doge;
        t_doge_gmime += best_doge_gmime;
        t_gmime += best_gmime;
        t_mbox += best_mbox;
    }

    double r_doge = (double)count / t_doge, r_gmime = (double)count / t_gmime,
           r_mbox = (double)count / t_mbox;
    printf("doge_mail_parse      : %9.0f messages/s  %6.1f MB/s  (%ld auto-replies, %ld from "
           "HTML, %.1f MB of body text; %ld of %ld messages read by the fast reader)\n",
           r_doge, (double)bytes / t_doge / 1e6, autos, html, (double)body_bytes / 1e6, fast,
           count);
    printf("doge, GMime for all  : %9.0f messages/s  %6.1f MB/s\n", (double)count / t_doge_gmime,
           (double)bytes / t_doge_gmime / 1e6);
    printf("GMime bare per message: %9.0f messages/s  %6.1f MB/s\n", r_gmime,
           (double)bytes / t_gmime / 1e6);
    printf("GMime bare mbox stream: %9.0f messages/s  %6.1f MB/s\n", r_mbox,
           (double)g.len / t_mbox / 1e6);
    printf("ratio doge / GMime per message: %.2fx; doge / GMime mbox stream: %.2fx "
           "(target >= 0.5x): %s\n",
           r_doge / r_gmime, r_doge / r_mbox,
           r_doge / (r_gmime > r_mbox ? r_gmime : r_mbox) >= 0.5 ? "met" : "NOT met");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.1f MB (the generated stream included)\n", (double)ru.ru_maxrss / 1024.0);
    free(g.buf);
    free(starts);
    free(ends);
    free(froms);
    return 0;
}
