/*
 * test_mail_fast.c — the fast mail reader (src/lib/pulse/mail_fast.c)
 * against GMime, differentially: every message is parsed twice, by the fast
 * reader alone (DOGE__MAIL_FAST) and by GMime alone (DOGE__MAIL_GMIME), and
 * whenever the fast reader accepts a message every fact of the two
 * doge_mails must be equal (flags, hash, ids, every address, subject,
 * dates, body, charset, auto-reply rule, problems, attachments, DSN fields,
 * every header). The messages: both hand-written corpora under
 * tests/resources/mail/ (the extract corpus also wrapped into messages in
 * every transfer encoding and MIME shape the reader handles), a synthetic
 * week from `doge synth replies` (every reply style and the bounces; the
 * reader must accept nearly all of it), and randomized mutations of all of those aimed at the
 * reader's edges (blanks, folding, quotes, dots, encodings, boundaries).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doge.h"
#include "doge/mailsource.h"
#include "doge/pulse.h"
#include "internal.h"
#include "pulse/mail_internal.h"
#include "util_assert.h"

#define MAIL_DIR DOGE_SOURCE_DIR "/tests/resources/mail/"

static int sanitized(void) { return getenv("DOGE_SANITIZED") != NULL; }

/* ---- comparing two parses --------------------------------------------------- */

static int same_str(const char *a, const char *b)
{
    return (!a || !b) ? a == b : strcmp(a, b) == 0;
}

#define S(x) ((x) ? (x) : "(null)")

/* NULL when a and b hold the same facts, else what differs. */
static const char *difference(const doge_mail *a, const doge_mail *b, char *why, size_t cap)
{
#define DIFF(...)                                                                                  \
    do {                                                                                           \
        snprintf(why, cap, __VA_ARGS__);                                                           \
        return why;                                                                                \
    } while (0)
    if (doge_mail_flags(a) != doge_mail_flags(b))
        DIFF("flags %#x vs %#x", doge_mail_flags(a), doge_mail_flags(b));
    if (memcmp(doge_mail_hash(a), doge_mail_hash(b), DOGE_MAIL_HASH_SIZE))
        DIFF("content hash");
    if (!same_str(doge_mail_message_id(a), doge_mail_message_id(b)))
        DIFF("Message-ID '%s' vs '%s'", S(doge_mail_message_id(a)), S(doge_mail_message_id(b)));
    if (!same_str(doge_mail_in_reply_to(a), doge_mail_in_reply_to(b)))
        DIFF("In-Reply-To '%s' vs '%s'", S(doge_mail_in_reply_to(a)), S(doge_mail_in_reply_to(b)));
    size_t na, nb;
    const char *const *ra = doge_mail_references(a, &na);
    const char *const *rb = doge_mail_references(b, &nb);
    if (na != nb)
        DIFF("%zu references vs %zu", na, nb);
    for (size_t i = 0; i < na; i++)
        if (!same_str(ra[i], rb[i]))
            DIFF("reference %zu '%s' vs '%s'", i, ra[i], rb[i]);
    for (int f = 0; f < DOGE_MAIL_FIELD_COUNT; f++) {
        const doge_mail_address *x = doge_mail_addresses(a, (doge_mail_field)f, &na);
        const doge_mail_address *y = doge_mail_addresses(b, (doge_mail_field)f, &nb);
        if (na != nb)
            DIFF("address field %d: %zu addresses vs %zu", f, na, nb);
        for (size_t i = 0; i < na; i++)
            if (!same_str(x[i].addr, y[i].addr) || !same_str(x[i].name, y[i].name))
                DIFF("address field %d #%zu: '%s' <%s> vs '%s' <%s>", f, i, x[i].name, x[i].addr,
                     y[i].name, y[i].addr);
    }
    const doge_mail_address *fa = doge_mail_from(a), *fb = doge_mail_from(b);
    if (!fa != !fb)
        DIFF("From present in one only");
    if (!same_str(doge_mail_subject(a), doge_mail_subject(b)))
        DIFF("Subject '%s' vs '%s'", doge_mail_subject(a), doge_mail_subject(b));
    if (doge_mail_date(a) != doge_mail_date(b))
        DIFF("Date %lld vs %lld", (long long)doge_mail_date(a), (long long)doge_mail_date(b));
    if (doge_mail_received(a) != doge_mail_received(b))
        DIFF("Received %lld vs %lld", (long long)doge_mail_received(a),
             (long long)doge_mail_received(b));
    size_t la, lb;
    const char *ba = doge_mail_body(a, &la), *bb = doge_mail_body(b, &lb);
    if (la != lb || memcmp(ba, bb, la))
        DIFF("body (%zu vs %zu bytes)\n--- fast\n%.400s\n--- gmime\n%.400s", la, lb, ba, bb);
    if (!same_str(doge_mail_body_charset(a), doge_mail_body_charset(b)))
        DIFF("body charset '%s' vs '%s'", doge_mail_body_charset(a), doge_mail_body_charset(b));
    if (!same_str(doge_mail_auto_reply(a), doge_mail_auto_reply(b)))
        DIFF("auto-reply rule '%s' vs '%s'", S(doge_mail_auto_reply(a)), S(doge_mail_auto_reply(b)));
    if (!same_str(doge_mail_problems(a), doge_mail_problems(b)))
        DIFF("problems '%s' vs '%s'", doge_mail_problems(a), doge_mail_problems(b));
    if (!same_str(doge_mail_dsn_original_id(a), doge_mail_dsn_original_id(b)))
        DIFF("DSN original id");
    const doge_mail_attachment *xa = doge_mail_attachments(a, &na);
    const doge_mail_attachment *xb = doge_mail_attachments(b, &nb);
    if (na != nb)
        DIFF("%zu attachments vs %zu", na, nb);
    for (size_t i = 0; i < na; i++)
        if (!same_str(xa[i].filename, xb[i].filename) ||
            !same_str(xa[i].content_type, xb[i].content_type) || xa[i].size != xb[i].size ||
            xa[i].flags != xb[i].flags || xa[i].text_len != xb[i].text_len || !xa[i].text != !xb[i].text ||
            (xa[i].text && memcmp(xa[i].text, xb[i].text, xa[i].text_len)))
            DIFF("attachment %zu: '%s' %s %zu bytes flags %#x vs '%s' %s %zu bytes flags %#x", i,
                 xa[i].filename, xa[i].content_type, xa[i].size, xa[i].flags, xb[i].filename,
                 xb[i].content_type, xb[i].size, xb[i].flags);
    const doge_mail_dsn_recipient *da = doge_mail_dsn_recipients(a, &na);
    const doge_mail_dsn_recipient *db = doge_mail_dsn_recipients(b, &nb);
    if (na != nb)
        DIFF("%zu DSN recipients vs %zu", na, nb);
    for (size_t i = 0; i < na; i++)
        if (!same_str(da[i].recipient, db[i].recipient) ||
            !same_str(da[i].original_recipient, db[i].original_recipient) ||
            !same_str(da[i].action, db[i].action) || !same_str(da[i].status, db[i].status) ||
            !same_str(da[i].diagnostic, db[i].diagnostic) ||
            !same_str(da[i].remote_mta, db[i].remote_mta))
            DIFF("DSN recipient %zu: %s %s %s '%s' vs %s %s %s '%s'", i, da[i].recipient,
                 da[i].action, da[i].status, da[i].diagnostic, db[i].recipient, db[i].action,
                 db[i].status, db[i].diagnostic);
    static const char *const names[] = {
        "From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "References",
        "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition",
        "Auto-Submitted", "X-Autoreply", "Precedence", "Received", "Delivered-To",
        "X-Original-To", "Reply-To", "X-Mailer", "Thread-Topic", "X-Other"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!same_str(doge_mail_header(a, names[i]), doge_mail_header(b, names[i])))
            DIFF("header %s '%s' vs '%s'", names[i], S(doge_mail_header(a, names[i])),
                 S(doge_mail_header(b, names[i])));
    return NULL;
#undef DIFF
}

/* Parses raw both ways. Returns 1 when the fast reader accepted it (the two
 * results then agree, or the test fails), 0 when it declined. */
static int check_one(const char *raw, size_t len, const char *label)
{
    doge_mail *f = NULL, *g = NULL;
    int rf = doge__mail_parse_mode(raw, len, DOGE__MAIL_FAST, &f);
    if (rf == DOGE__FM_DECLINE) {
        assert_null(f);
        return 0;
    }
    int rg = doge__mail_parse_mode(raw, len, DOGE__MAIL_GMIME, &g);
    if (rf != rg)
        fail_msg("%s: fast reader returned %d, GMime %d (%s)", label, rf, rg, doge_error_last());
    if (rf != DOGE_OK)
        return 0; /* refused alike (not mail at all) */
    assert_true(doge__mail_was_fast(f));
    assert_false(doge__mail_was_fast(g));
    char why[1200];
    const char *d = difference(f, g, why, sizeof why);
    if (d)
        fail_msg("%s: the fast reader differs from GMime: %s\n--- message\n%.*s", label, d,
                 (int)(len > 1500 ? 1500 : len), raw);
    doge_mail_free(f);
    doge_mail_free(g);
    return 1;
}

/* ---- a pool of messages for the mutation run ---------------------------------- */

typedef struct {
    char **msg;
    size_t *len;
    size_t n, cap;
} pool;

static void pool_add(pool *p, const char *raw, size_t len)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->msg = realloc(p->msg, p->cap * sizeof *p->msg);
        p->len = realloc(p->len, p->cap * sizeof *p->len);
        assert_non_null(p->msg);
        assert_non_null(p->len);
    }
    p->msg[p->n] = malloc(len + 1);
    assert_non_null(p->msg[p->n]);
    memcpy(p->msg[p->n], raw, len);
    p->msg[p->n][len] = '\0';
    p->len[p->n++] = len;
}

static void pool_free(pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->msg[i]);
    free(p->msg);
    free(p->len);
    memset(p, 0, sizeof *p);
}

static pool accepted_pool; /* messages the reader accepted, for test_mutations */

static int check_keep(const char *raw, size_t len, const char *label)
{
    int ok = check_one(raw, len, label);
    if (ok && accepted_pool.n < 4000)
        pool_add(&accepted_pool, raw, len);
    return ok;
}

/* ---- the corpora -------------------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The files of one corpus folder ending in suffix, sorted. */
static size_t list_dir(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        if (l <= sl || strcmp(e->d_name + l - sl, suffix) != 0)
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        assert_non_null(names);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    *out = names;
    return n;
}

static char *read_file(const char *dir, const char *name, size_t *len)
{
    char path[1024], *data = NULL;
    snprintf(path, sizeof path, "%s%s", dir, name);
    if (doge__file_read(path, 1 << 24, &data, len) != DOGE_OK)
        fail_msg("%s: %s", path, doge_error_last());
    return data;
}

static void test_mime_corpus(void **state)
{
    (void)state;
    char **names;
    size_t n = list_dir(MAIL_DIR "mime/", ".eml", &names), fast = 0;
    assert_true(n >= 40);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *raw = read_file(MAIL_DIR "mime/", names[i], &len);
        fast += (size_t)check_keep(raw, len, names[i]);
        free(raw);
        free(names[i]);
    }
    free(names);
    printf("mime corpus: %zu messages, %zu read by the fast reader\n", n, fast);
    /* plain, QP, windows-1252, alternative, HTML-only, flowed, attachment,
     * auto-replies, CRLF, undeclared charsets... */
    assert_true(fast >= 20);
}

/* Appends body as quoted-printable (the equal sign, 8-bit bytes and blanks
 * before a line end escaped, soft breaks before 76 columns). */
static void qp_encode(doge_buf *b, const char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            doge_buf_append_char(b, '\n');
            col = 0;
            continue;
        }
        int last = i + 1 == n || s[i + 1] == '\n';
        if (col > 70) {
            doge_buf_append_str(b, "=\n");
            col = 0;
        }
        if (c == '=' || c >= 0x80 || ((c == ' ' || c == '\t') && last)) {
            doge_buf_printf(b, "=%02X", c);
            col += 3;
        } else {
            doge_buf_append_char(b, (char)c);
            col++;
        }
    }
}

static void b64_encode(doge_buf *b, const char *s, size_t n)
{
    static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t col = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)(unsigned char)s[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)(unsigned char)s[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)s[i + 2];
        char q[4] = {al[v >> 18 & 63], al[v >> 12 & 63], i + 1 < n ? al[v >> 6 & 63] : '=',
                     i + 2 < n ? al[v & 63] : '='};
        doge_buf_append(b, q, 4);
        if ((col += 4) >= 76) {
            doge_buf_append_char(b, '\n');
            col = 0;
        }
    }
    doge_buf_append_char(b, '\n');
}

static void html_escape(doge_buf *b, const char *s, size_t n)
{
    doge_buf_append_str(b, "<html><body><p>");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '<')
            doge_buf_append_str(b, "&lt;");
        else if (s[i] == '>')
            doge_buf_append_str(b, "&gt;");
        else if (s[i] == '&')
            doge_buf_append_str(b, "&amp;");
        else if (s[i] == '\n')
            doge_buf_append_str(b, "<br>\n");
        else
            doge_buf_append_char(b, s[i]);
    }
    doge_buf_append_str(b, "</p></body></html>\n");
}

/* The extract corpus is reply bodies: each becomes a message in every shape
 * the fast reader handles, with headers that exercise its address, id and
 * date readers. */
static void wrap(doge_buf *m, int shape, int variant, const char *body, size_t n)
{
    static const char *const froms[] = {
        "Jane Q. Doe <Jane.Doe@Agency.gov>", "\"Doe, Jane\" <jane.doe@agency.gov>",
        "jane.doe@agency.gov", "Jos\xc3\xa9 Mart\xc3\xadnez\n <jose.martinez@agency.gov>",
        "\"Jane\" Doe <jane@agency.gov>", "J.Doe <j.doe@agency.gov>",
        "=?UTF-8?Q?J=C3=B6rg_M=C3=BCller?= <jorg@agency.gov>",
        "=?utf-8?B?Sm9zw6k=?= =?utf-8?q?_Mart=C3=ADnez?= <jose@agency.gov>"};
    static const char *const dates[] = {"Mon, 24 Feb 2025 09:14:55 -0500",
                                        "24 Feb 2025 14:14 +0000",
                                        "Tue, 4 Mar 2025 23:59:59 +0530 (IST)"};
    doge_buf_reset(m);
    if (variant % 3 == 0)
        doge_buf_append_str(m, "Received: from mx.agency.gov by mail.example.gov;\n"
                               "\tMon, 24 Feb 2025 14:15:02 +0000\n");
    doge_buf_printf(m, "From: %s\n", froms[variant % 8]);
    doge_buf_append_str(m, "To: doge pulse <pulse+k3j9xq2@pulse.example.gov>,\n"
                           "  Bob Manager <Bob.Manager@Agency.gov>\n");
    if (variant % 2)
        doge_buf_append_str(m, "Cc: carol@agency.gov, \"Dan D. Smith\" <dan@agency.gov>\n"
                               "Delivered-To: pulse+k3j9xq2@pulse.example.gov\n");
    if (variant % 4 == 1)
        doge_buf_printf(m, "Subject: =?utf-8?q?R=C3=A9sum=C3=A9_de?= la semaine\n"
                           " =?UTF-8?B?4oCT?= (%d)\n", variant);
    else
        doge_buf_printf(m, "Subject: Re: What did you accomplish\n last week? (%d)\n", variant);
    doge_buf_printf(m, "Date: %s\n", dates[variant % 3]);
    doge_buf_printf(m, "Message-ID: <CAF%d.reply@mail.agency.gov>\n", variant);
    doge_buf_append_str(m, "In-Reply-To: <k3j9xq2.2025-W08@pulse.example.gov>\n"
                           "References: <campaign-2025-W08@pulse.example.gov>\n"
                           " <k3j9xq2.2025-W08@pulse.example.gov>\nMIME-Version: 1.0\n");
    switch (shape) {
    case 0:
        doge_buf_append_str(m, "Content-Type: text/plain; charset=utf-8\n"
                               "Content-Transfer-Encoding: 8bit\n\n");
        doge_buf_append(m, body, n);
        break;
    case 1:
        doge_buf_append_str(m, "Content-Type: text/plain; charset=\"UTF-8\"\n"
                               "Content-Transfer-Encoding: quoted-printable\n\n");
        qp_encode(m, body, n);
        break;
    case 2:
        doge_buf_append_str(m, "Content-Type: text/plain; charset=utf-8\n"
                               "Content-Transfer-Encoding: base64\n\n");
        b64_encode(m, body, n);
        break;
    case 3:
        doge_buf_append_str(m, "Content-Type: text/plain; charset=utf-8; format=flowed;\n"
                               "\tdelsp=yes\n\n");
        doge_buf_append(m, body, n);
        break;
    case 4:
        doge_buf_append_str(m, "Content-Type: text/html; charset=utf-8\n\n");
        html_escape(m, body, n);
        break;
    case 5:
        doge_buf_append_str(m, "Content-Type: multipart/alternative; boundary=\"b1\"\n\n"
                               "preamble\n--b1\nContent-Type: text/plain; charset=utf-8\n"
                               "Content-Transfer-Encoding: quoted-printable\n\n");
        qp_encode(m, body, n);
        doge_buf_append_str(m, "\n--b1\nContent-Type: text/html; charset=utf-8\n\n");
        html_escape(m, body, n);
        doge_buf_append_str(m, "--b1--\nepilogue\n");
        break;
    case 6:
        doge_buf_append_str(m, "Content-Type: multipart/mixed; boundary=mix\n\n--mix\n"
                               "Content-Type: text/plain\n\nSee the attached file.\n--mix\n"
                               "Content-Type: text/plain; charset=utf-8; name=\"week.txt\"\n"
                               "Content-Disposition: attachment; filename=week.txt\n"
                               "Content-Transfer-Encoding: base64\n\n");
        b64_encode(m, body, n);
        doge_buf_append_str(m, "--mix\nContent-Type: application/pdf; name=\"scan.pdf\"\n"
                               "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--mix--\n");
        break;
    default: /* no Content-Type at all */
        doge_buf_append_str(m, "X-Mailer: test\n\n");
        doge_buf_append(m, body, n);
        break;
    }
}

#define SHAPES 8

static void test_extract_corpus(void **state)
{
    (void)state;
    char **names;
    size_t n = list_dir(MAIL_DIR "extract/", ".txt", &names), raw_fast = 0, wrapped = 0,
           wrapped_fast = 0;
    assert_true(n >= 60);
    doge_buf m;
    doge_buf_init(&m, 0);
    for (size_t i = 0; i < n; i++) {
        size_t len;
        char *body = read_file(MAIL_DIR "extract/", names[i], &len);
        raw_fast += (size_t)check_keep(body, len, names[i]); /* as it is: mostly not mail */
        for (int shape = 0; shape < SHAPES; shape++) {
            char label[300];
            snprintf(label, sizeof label, "%s wrapped in shape %d", names[i], shape);
            wrap(&m, shape, (int)i + shape, body, len);
            wrapped++;
            wrapped_fast += (size_t)check_keep(m.data, m.len, label);
        }
        free(body);
        free(names[i]);
    }
    free(names);
    doge_buf_dispose(&m);
    printf("extract corpus: %zu bodies (%zu read as mail by the fast reader), %zu wrapped "
           "messages, %zu read by the fast reader\n",
           n, raw_fast, wrapped, wrapped_fast);
    assert_true(wrapped_fast * 10 >= wrapped * 9);
}

/* ---- a synthetic week ----------------------------------------------------------- */

typedef struct {
    size_t messages, fast;
    unsigned flags_seen; /* DOGE_MAIL_* flags among the accepted */
    size_t qp, base64;
} synth_count;

static int synth_each(void *ctx, const char *raw, size_t len, const char *label)
{
    synth_count *sc = ctx;
    sc->messages++;
    if (!check_keep(raw, len, label))
        return 0;
    sc->fast++;
    doge_mail *m = NULL;
    assert_ok(doge__mail_parse_mode(raw, len, DOGE__MAIL_FAST, &m));
    sc->flags_seen |= doge_mail_flags(m);
    const char *cte = doge_mail_header(m, "Content-Transfer-Encoding");
    sc->qp += cte && !strcmp(cte, "quoted-printable");
    sc->base64 += cte && !strcmp(cte, "base64");
    doge_mail_free(m);
    return 0;
}

static void test_synthetic_week(void **state)
{
    (void)state;
    char dir[] = "/tmp/doge-mail-fast-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char roster[600], mbox[600], truth[600], cmd[700];
    snprintf(roster, sizeof roster, "%s/roster.csv", dir);
    snprintf(mbox, sizeof mbox, "%s/replies.mbox", dir);
    snprintf(truth, sizeof truth, "%s/truth.csv", dir);
    doge_synth_workforce_opts wo;
    memset(&wo, 0, sizeof wo);
    wo.employees = sanitized() ? 150 : 1500;
    wo.departments = 4;
    wo.seed = 7;
    wo.domain_suffix = "gov.example";
    wo.no_progress = 1;
    assert_ok(doge_synth_workforce_file(&wo, roster, NULL));
    char wsdir[600];
    snprintf(wsdir, sizeof wsdir, "%s/ws", dir);
    doge_workspace *ws = NULL;
    assert_ok(doge_workspace_init(wsdir));
    assert_ok(doge_workspace_open(&ws, wsdir));
    doge_roster_import_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.no_progress = 1;
    doge_roster_import_result rr;
    memset(&rr, 0, sizeof rr);
    assert_ok(doge_roster_import(doge_workspace_store(ws), roster, &ro, &rr));
    doge_roster_import_result_dispose(&rr);
    doge_pulse_open_result orr;
    assert_ok(doge_pulse_open(ws, "2025-W08", 1740459540, "pulse.example", &orr));
    doge_pulse_synth_stats ss;
    assert_ok(doge_pulse_synth_replies(ws, "2025-W08", 3, mbox, 0, truth, &ss));
    doge_workspace_free(ws);
    synth_count sc;
    memset(&sc, 0, sizeof sc);
    int64_t n = 0;
    assert_ok(doge_mailsource_walk(mbox, NULL, NULL, synth_each, &sc, &n));
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    printf("synthetic week: %zu messages, %zu read by the fast reader (%.1f%%)\n", sc.messages,
           sc.fast, 100.0 * (double)sc.fast / (double)sc.messages);
    assert_int_equal((int64_t)sc.messages, ss.messages);
    /* every reply style, the auto-replies and the bounces */
    assert_true(sc.fast * 100 >= sc.messages * 99);
    unsigned want = DOGE_MAIL_AUTO_REPLY | DOGE_MAIL_FLOWED | DOGE_MAIL_FROM_HTML |
                    DOGE_MAIL_ATTACHMENTS | DOGE_MAIL_DSN;
    assert_int_equal(sc.flags_seen & want, want);
    assert_true(sc.qp > 0 && sc.base64 > 0);
}

/* ---- specific shapes -------------------------------------------------------------- */

/* Messages at the reader's edges: each is compared, and the ones marked
 * must be accepted (so the comparison is not vacuous). */
static void test_edges(void **state)
{
    (void)state;
    static const struct {
        int must_accept;
        const char *text;
    } cases[] = {
        {1, "From: a@b.example\nSubject: x\n\nbody\n"},
        {1, "From: \"Last, First\" <First.Last@Example.GOV>\nTo: a@b.c, \"D. E\" <d@e.f>,\n\t"
            "g@h.i\nSubject:   spaced   out  \nDate: 1 Mar 2025 00:00 +0000\n\nx\n"},
        {1, "From: Name  With   Blanks <n@x.y>\nSubject: =nothing encoded\n\nx\n"},
        {1, "Subject: Automatic reply: out\nFrom: Dana <d@x.y>\n\nAway.\n"},
        {1, "From: d@x.y\nPrecedence: bulk\nX-Autoreply: no\nAuto-Submitted: no\n\nx\n"},
        {1, "From: d@x.y\nContent-Type: text/plain; charset=iso-8859-1\n"
            "Content-Transfer-Encoding: quoted-printable\n\nR=E9sum=E9 =3D soft=\nbreak =ZZ=\n"},
        {1, "From: d@x.y\nContent-Type: text/plain; charset=koi8-r\n"
            "Content-Transfer-Encoding: 8bit\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n"},
        {1, "From: d@x.y\nContent-Type: text/plain; charset=bogus-charset\n\nhi\n"},
        {1, "From: d@x.y\nContent-Type: text/html\n\n<meta charset=\"windows-1252\"><p>caf\xe9"
            "</p>\n"},
        {1, "From: d@x.y\nContent-Type: multipart/alternative; boundary=zz\n\n--zz\n"
            "Content-Type: text/plain\n\n \n\n--zz\nContent-Type: text/html\n\n<p>rich</p>\n"
            "--zz--\n"},
        {1, "From: d@x.y\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n\nfirst\n--zz\n"
            "Content-Type: text/plain\nContent-Disposition: inline\n\nsecond\n--zz\n"
            "Content-Type: image/png; name=a.png\nContent-Disposition: inline\n"
            "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--zz--\n"},
        {1, "From: d@x.y\nContent-Disposition: attachment; filename=\"notes.txt\"\n\nwhole\n"},
        {1, "Received: by x; Mon, 24 Feb 2025 10:00:00 -0800 (PST)\nFrom: d@x.y\n\nx\n"},
        {1, "From: d@x.y\nReferences: <a@b>\n\t<c.d@e.f>   <g@h>\nIn-Reply-To: <c.d@e.f>\n\nx\n"},
        {1, "From: d@x.y\nContent-Type: text/plain; format=flowed; delsp=no\n\nflow \nline\n"},
        {1, "From: d@x.y\nContent-Type: text/plain; charset=utf-8\n"
            "Content-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n=junk after\n"},
        {1, "\nno headers at all\n"},
        {1, "From: =?utf-8?q?J=C3=B6rg?= <j@x.y>\nSubject: =?UTF-8?B?w6l0w6k=?=\n\nx\n"},
        {1, "From: \"=?utf-8?q?Doe=2C_J.?=\" <j@x.y>\nSubject: a =?utf-8?q?b?=  \n"
            "  =?utf-8?q?c?= d\n\nx\n"},
        {1, "From: =?UTF-8?Q?Jos\xc3\xa9_\xc3\x81lvarez?= <j@x.y>\n\nraw UTF-8 in a Q word\n"},
        {0, "From: =?iso-8859-1?q?J=F6rg?= <j@x.y>\n\nx\n"},
        {0, "Subject: =?utf-8?q?a b?=\n\nx\n"},
        {0, "Subject: x=?utf-8?q?a?=\n\nx\n"},
        {0, "Subject: =?utf-8?b?YQ==?= =?utf-8?b?Yg==?=\n\nx\n"},
        {0, "Subject: =?utf-8?q?=FF?=\n\nx\n"},
        {0, "From: d@x.y\nTo: group: a@b, c@d;\n\nx\n"},
        {0, "From: d@x.y (comment)\n\nx\n"},
        {0, "From: d@x.y\nFrom: e@x.y\n\nx\n"},
        {0, "From: d@x.y\nDate: Mon, 24 Feb 25 10:00:00 EST\n\nx\n"},
        {0, "From: d@x.y\nContent-Type: multipart/mixed; boundary=zz\n\n--zz\n\ncut off\n"},
        {0, "From: d@x.y\nContent-Type: text/plain; name*=utf-8''a%20b.txt\n\nx\n"},
        {0, "From: d@x.y\nContent-Transfer-Encoding: base64\n\n!!!!\n"},
        {0, "From: d@x.y\nMessage-ID: <a b@c>\n\nx\n"},
        {0, "From: d@x.y\r\nSubject: lone\rCR\r\n\r\nx\r\n"},
        {0, "Not a header line\n\nx\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char label[32];
        snprintf(label, sizeof label, "edge case %zu", i);
        int fast = check_keep(cases[i].text, strlen(cases[i].text), label);
        if (cases[i].must_accept && !fast)
            fail_msg("%s: the fast reader declined:\n%s", label, cases[i].text);
        if (!cases[i].must_accept && fast)
            fail_msg("%s: the fast reader should leave this to GMime:\n%s", label, cases[i].text);
    }
}

/* ---- randomized mutations ------------------------------------------------------------ */

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Mutates the accepted messages where the reader has to be exact, and
 * compares whatever it still accepts. */
static void test_mutations(void **state)
{
    (void)state;
    static const char *const tokens[] = {
        " ", "\t", "\n ", "\n\t", "\"", ",", ".", "..", "<", ">", "@", "=?", "=", "=4", "=\n",
        "==", "=0A", "(", ")", ";", ":", "\\", "\xc3\xa9", "\xe9", "\r", "\r\n", "--", "\n\n",
        "\n--", "xn--", "Q.", " ,", ", ", "<a@b>", "a@b", "\"x, y\"", "+0000", " (UTC)",
        "Mon, ", "31 Feb ", "24:00", "Content-Type: text/html\n", "charset=", "format=flowed",
        "; delsp=yes", "boundary=", "Content-Transfer-Encoding: base64\n", "filename=",
        "X-Autoreply: yes\n", "Subject: dup\n", "\nContinued", "\xff\xfe", "\xe2\x80\x99",
        "=?utf-8?q?", "=?UTF-8?B?", "?=", "?= ", " =?utf-8?q?a_b?=", "_", "=C3=A9", "=?",
        "w6k=", "=?utf-8*en?q?x?="};
    if (accepted_pool.n == 0)
        skip();
    long iterations = sanitized() ? 3000 : 30000;
    const char *env = getenv("DOGE_MAIL_FAST_ITERATIONS");
    if (env)
        iterations = strtol(env, NULL, 10);
    uint64_t seed = 0xD06EFA57ull;
    const char *seed_env = getenv("DOGE_MAIL_FAST_SEED");
    if (seed_env && strtoull(seed_env, NULL, 10) != 0)
        seed = strtoull(seed_env, NULL, 10);
    long accepted = 0;
    for (long it = 0; it < iterations; it++) {
        size_t f = (size_t)(rnd(&seed) % accepted_pool.n), len = accepted_pool.len[f];
        size_t cap = len * 2 + 512;
        char *buf = malloc(cap);
        assert_non_null(buf);
        memcpy(buf, accepted_pool.msg[f], len);
        /* mostly near the header section and boundaries, where the rules are */
        size_t focus = len;
        for (size_t k = 0; k + 1 < len; k++)
            if (buf[k] == '\n' && buf[k + 1] == '\n') {
                focus = k + 2;
                break;
            }
        int edits = 1 + (int)(rnd(&seed) % 3);
        for (int e = 0; e < edits && len > 0; e++) {
            size_t span = rnd(&seed) % 3 ? (focus < len ? focus : len) : len;
            size_t pos = span ? (size_t)(rnd(&seed) % span) : 0;
            switch (rnd(&seed) % 7) {
            case 6: { /* copy a line (a boundary, a header) somewhere else */
                size_t a = (size_t)(rnd(&seed) % len), b;
                while (a > 0 && buf[a - 1] != '\n')
                    a--;
                for (b = a; b < len && buf[b] != '\n'; b++)
                    ;
                size_t k = b < len ? b + 1 - a : b - a, to = pos;
                while (to > 0 && buf[to - 1] != '\n')
                    to--;
                if (len + k <= cap && k) {
                    char line[4096];
                    if (k > sizeof line)
                        break;
                    memcpy(line, buf + a, k);
                    memmove(buf + to + k, buf + to, len - to);
                    memcpy(buf + to, line, k);
                    len += k;
                }
                break;
            }
            case 0: /* flip the case of a letter, or a byte */
                if ((buf[pos] | 0x20) >= 'a' && (buf[pos] | 0x20) <= 'z')
                    buf[pos] ^= 0x20;
                else
                    buf[pos] = (char)(rnd(&seed) & 0xFF);
                break;
            case 1: { /* delete a few bytes */
                size_t k = 1 + (size_t)(rnd(&seed) % 6);
                if (k > len - pos)
                    k = len - pos;
                memmove(buf + pos, buf + pos + k, len - pos - k);
                len -= k;
                break;
            }
            case 2: /* truncate, rarely */
                if (rnd(&seed) % 8 == 0)
                    len = pos;
                break;
            case 3: { /* duplicate the line at pos */
                size_t a = pos, b = pos;
                while (a > 0 && buf[a - 1] != '\n')
                    a--;
                while (b < len && buf[b] != '\n')
                    b++;
                size_t k = b < len ? b + 1 - a : b - a;
                if (len + k <= cap) {
                    memmove(buf + a + k, buf + a, len - a);
                    len += k;
                }
                break;
            }
            default: { /* insert a token */
                const char *t = tokens[rnd(&seed) % (sizeof tokens / sizeof *tokens)];
                size_t k = strlen(t);
                if (len + k <= cap) {
                    memmove(buf + pos + k, buf + pos, len - pos);
                    memcpy(buf + pos, t, k);
                    len += k;
                }
                break;
            }
            }
        }
        char label[64];
        snprintf(label, sizeof label, "mutation %ld (seed %#llx)", it, (unsigned long long)seed);
        accepted += check_one(buf, len, label);
        free(buf);
    }
    printf("mutations: %ld messages, %ld still read by the fast reader and equal to GMime\n",
           iterations, accepted);
    assert_true(accepted > iterations / 10);
}

static int teardown_pool(void **state)
{
    (void)state;
    pool_free(&accepted_pool);
    return 0;
}

/* doge__mail_to_utf8 on UTF-8 text with each byte it changes (CR, CRLF,
 * NUL, an invalid byte) or keeps (LF, a multi-byte character) at every
 * offset of a 24-byte run: its ASCII runs are read 8 bytes at a time, so a
 * byte near or across a word's edge must come out as one at the start. */
static void test_to_utf8_offsets(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"\r", 1, "\n"},
        {"\r\n", 2, "\n"},
        {"\0", 1, "\xef\xbf\xbd"},
        {"\n", 1, "\n"},
        {"\t", 1, "\t"},
        {"\xe2\x80\xa2", 3, "\xe2\x80\xa2"},
        {"\xff", 1, "\xc3\xbf"},                       /* no valid UTF-8: windows-1252 */
        {"\xe2\x80\xa2\xff", 4, "\xe2\x80\xa2\xef\xbf\xbd"}, /* else U+FFFD */
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
        for (size_t off = 0; off <= 20; off++) {
            char in[40], want[48];
            size_t n = 0, w = 0;
            for (size_t i = 0; i < off; i++)
                in[n++] = want[w++] = 'a';
            memcpy(in + n, cases[k].in, cases[k].len);
            n += cases[k].len;
            strcpy(want + w, cases[k].out);
            w += strlen(cases[k].out);
            for (size_t i = off; i < 20; i++)
                in[n++] = want[w++] = 'b';
            doge_buf out;
            doge_buf_init(&out, 0);
            assert_ok(doge__mail_to_utf8(&out, "utf-8", in, n, NULL));
            if (out.len != w || memcmp(out.data, want, w) != 0)
                fail_msg("case %zu at offset %zu: got '%.*s'", k, off, (int)out.len, out.data);
            assert_int_equal(doge__mail_utf8_valid(in, n), k != 6 && k != 7);
            doge_buf_dispose(&out);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mime_corpus),
        cmocka_unit_test(test_extract_corpus),
        cmocka_unit_test(test_synthetic_week),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_to_utf8_offsets),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_pool);
}
