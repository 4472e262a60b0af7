/*
 * mail.c — doge_mail_parse(): one raw message through GMime into a doge_mail
 * that owns plain copies of everything matching and bullet extraction need.
 * The GMime objects live only during the call. The work is: normalise line
 * ends while hashing (one pass, one copy that GMime's memory stream takes
 * over), let GMime build the MIME tree with lenient options (parser
 * complaints are collected through a thread-local pointer, because GMime's
 * warning callback is set once on shared options), copy the header facts,
 * walk the tree choosing the body and recording attachments and DSN parts,
 * and finally run the auto-reply rules over the copied headers. The rules
 * themselves are documented in doge/mail.h.
 */
#include "doge/mail.h"
#include "doge/arena.h"
#include "mail_internal.h"

#include <gmime/gmime.h>
#include <openssl/evp.h>

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Caps on what one message may make us allocate beyond its own size. */
#define MAIL_ARENA_CHUNK ((size_t)16 << 10)
#define MAIL_DOCX_MAX ((size_t)32 << 20)
#define MAIL_MAX_DEPTH 64
/* Decoded text may be up to three times its raw size (one byte of a
 * single-byte charset can become three of UTF-8). */
#define MAIL_TEXT_MAX (DOGE_MAIL_MAX_SIZE * 4)

struct header {
    const char *name;
    const char *value;
};

/* A header of the fast reader's copied header section: offsets into it. */
struct lazy_header {
    uint32_t name, name_len, raw, raw_len;
};

struct doge_mail {
    doge_arena *arena;
    unsigned flags;
    int fast; /* read by the fast reader (mail_fast.c), not GMime */
    uint8_t hash[DOGE_MAIL_HASH_SIZE];
    const char *message_id, *in_reply_to, *subject, *auto_reply, *dsn_original_id;
    const char *body, *body_charset, *problems;
    size_t body_len;
    const char **refs;
    size_t nrefs;
    doge_mail_address *addrs[DOGE_MAIL_FIELD_COUNT];
    size_t naddrs[DOGE_MAIL_FIELD_COUNT];
    int64_t date, received;
    struct header *headers; /* NULL while the fast reader's are lazy */
    size_t nheaders;
    /* The fast reader keeps the top-level header section as it came (one
     * copy) and makes the name/value pairs above only when they are asked
     * for (headers_ready()): trimming, cleaning and copying every header of
     * every message was 8% of an ingest worker, which reads none of them
     * by name. */
    const char *lazy_block;
    const struct lazy_header *lazy;
    doge_mail_attachment *atts;
    size_t natts;
    doge_mail_dsn_recipient *dsn;
    size_t ndsn;
};

/* ---- GMime set-up ---------------------------------------------------------- */

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;
static pthread_key_t scratch_key; /* the thread's scratch buffers (below) */
static int scratch_key_ok;
static void scratch_free(void *p);
static GMimeParserOptions *parser_options;
static EVP_MD *sha256_md;

static void gmime_setup(void)
{
    g_mime_init();
    parser_options = g_mime_parser_options_new();
    const char *fallback[] = {"UTF-8", "windows-1252", NULL};
    g_mime_parser_options_set_fallback_charsets(parser_options, fallback);
    g_mime_parser_options_set_address_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(parser_options,
                                                        GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_rfc2047_compliance_mode(parser_options, GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(parser_options, TRUE);
    /* No warning callback: with one set, GMime decodes every header value
     * while parsing to validate it, which costs about a tenth of the parse.
     * The structural problems worth reporting are found by check_multipart()
     * and doge_mail_parse() instead. */
    sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL); /* NULL: EVP_sha256() is used */
    scratch_key_ok = pthread_key_create(&scratch_key, scratch_free) == 0;
}

/* ---- parse context and small helpers ---------------------------------------- */

struct ctx {
    doge_mail *m;
    doge_buf notes;
    doge_buf body;
    int body_found;     /* a body part has been chosen */
    int is_dsn_report;  /* inside multipart/report; report-type=delivery-status */
    int dsn_parsed;
    int read_receipt;   /* the message is an RFC 8098 disposition notification */
    doge_buf atts;      /* doge_mail_attachment array */
    doge_buf dsn;       /* doge_mail_dsn_recipient array */
    doge_buf tmp;       /* scratch for keep() and text conversion */
    doge_buf fold;      /* scratch for unfolded header values */
    doge_buf av[2], vec, scratch, decoded; /* the fast reader's arrays and scratch */
    const char *raw;    /* the normalised message GMime parsed */
    int multiparts;     /* multiparts checked by check_multipart() */
    size_t raw_len;
};

/* ---- per-thread scratch buffers ---------------------------------------------- */

/* The parse context's buffers are kept per thread between parses (reset,
 * not freed; those that grew past SCRATCH_KEEP are freed): creating and
 * freeing them made about 25 mallocs a message, 8% of an ingest worker's
 * time. */
#define SCRATCH_KEEP ((size_t)1 << 20)
enum { SB_NOTES, SB_BODY, SB_ATTS, SB_DSN, SB_TMP, SB_FOLD, SB_AV0, SB_AV1, SB_VEC,
       SB_SCRATCH, SB_DECODED, SB_COUNT };

/* Also per thread: a SHA-256 context (EVP_Digest() made and freed one per
 * call, 1.5% of an ingest worker), and the arena of the last freed mail,
 * reset, for the next parse on the thread (a new arena and its 16 KB chunk
 * a message were about 2%). */
struct scratch {
    doge_buf b[SB_COUNT];
    int busy;
    EVP_MD_CTX *md;
    doge_arena *spare;
};

static void scratch_free(void *p)
{
    struct scratch *sc = p;
    for (int i = 0; sc && i < SB_COUNT; i++)
        doge_buf_dispose(&sc->b[i]);
    if (sc) {
        EVP_MD_CTX_free(sc->md);
        doge_arena_free(sc->spare);
    }
    free(sc);
}

/* The thread's scratch, or NULL (none yet, or no key). */
static struct scratch *thread_scratch(void)
{
    return scratch_key_ok ? pthread_getspecific(scratch_key) : NULL;
}

/* SHA-256 of s[0..n): 1, or 0 on failure. With the thread's context when
 * there is a scratch. */
static int sha256(struct scratch *sc, const void *s, size_t n, uint8_t out[32])
{
    const EVP_MD *md = sha256_md ? sha256_md : EVP_sha256();
    unsigned int hl = 0;
    if (sc && (sc->md || (sc->md = EVP_MD_CTX_new()) != NULL))
        return EVP_DigestInit_ex2(sc->md, md, NULL) == 1 && EVP_DigestUpdate(sc->md, s, n) == 1 &&
               EVP_DigestFinal_ex(sc->md, out, &hl) == 1 && hl == 32;
    return EVP_Digest(s, n, out, &hl, md, NULL) == 1 && hl == 32;
}

static doge_buf **ctx_bufs(struct ctx *c, doge_buf **v)
{
    doge_buf *all[SB_COUNT] = {&c->notes, &c->body,    &c->atts,    &c->dsn,
                               &c->tmp,   &c->fold,    &c->av[0],   &c->av[1],
                               &c->vec,   &c->scratch, &c->decoded};
    memcpy(v, all, sizeof all);
    return v;
}

/* Gives c the thread's buffers (fresh ones when the thread has none, or
 * they are in use). Returns the scratch to give them back to, or NULL. */
static struct scratch *ctx_borrow(struct ctx *c)
{
    static const size_t caps[SB_COUNT] = {0, MAIL_TEXT_MAX, 0, 0, MAIL_TEXT_MAX, 0,
                                          0, 0,             0, 0, DOGE_MAIL_MAX_SIZE};
    doge_buf *v[SB_COUNT];
    ctx_bufs(c, v);
    struct scratch *sc = thread_scratch();
    if (!sc && scratch_key_ok && (sc = calloc(1, sizeof *sc)) != NULL) {
        for (int i = 0; i < SB_COUNT; i++)
            doge_buf_init(&sc->b[i], caps[i]);
        if (pthread_setspecific(scratch_key, sc) != 0) {
            free(sc);
            sc = NULL;
        }
    }
    if (!sc || sc->busy) {
        for (int i = 0; i < SB_COUNT; i++)
            doge_buf_init(v[i], caps[i]);
        return NULL;
    }
    sc->busy = 1;
    for (int i = 0; i < SB_COUNT; i++) {
        *v[i] = sc->b[i];
        doge_buf_reset(v[i]);
    }
    return sc;
}

/* Copies s[0..n) into the arena as clean UTF-8 (8-bit read as UTF-8 or
 * windows-1252, controls but tab turned into spaces), trimmed. */
static int keep(struct ctx *c, const char *s, size_t n, const char **out)
{
    while (n && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    int clean = 1;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x80) {
            clean = 0;
            break;
        }
    if (clean)
        return doge_arena_strndup(c->m->arena, s, n, (char **)out);
    doge_buf_reset(&c->tmp);
    int rc = doge__mail_to_utf8(&c->tmp, NULL, s, n, NULL);
    if (rc != DOGE_OK)
        return rc;
    char *d;
    rc = doge_arena_strndup(c->m->arena, doge_buf_cstr(&c->tmp), c->tmp.len, &d);
    if (rc != DOGE_OK)
        return rc;
    for (char *p = d; *p; p++)
        if ((unsigned char)*p < 0x20 && *p != '\t')
            *p = ' ';
    *out = d;
    return DOGE_OK;
}

static int keep_str(struct ctx *c, const char *s, const char **out)
{
    return keep(c, s ? s : "", s ? strlen(s) : 0, out);
}

static void lower_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

static int keep_lower(struct ctx *c, const char *s, size_t n, const char **out)
{
    int rc = keep(c, s, n, out);
    if (rc == DOGE_OK)
        lower_ascii((char *)*out);
    return rc;
}

static int ieq(const char *a, const char *b) { return a && b && !strcasecmp(a, b); }

static int ends_with_ci(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcasecmp(s + a - b, suffix);
}

/* The decoded bytes of a leaf part, in a memory stream the caller unrefs. */
static GMimeStream *decode_part(struct ctx *c, GMimePart *part, const char *what,
                                const guint8 **data, size_t *len)
{
    GMimeStream *mem = g_mime_stream_mem_new();
    GMimeDataWrapper *w = g_mime_part_get_content(part);
    if (w) {
        if (g_mime_data_wrapper_get_encoding(w) == GMIME_CONTENT_ENCODING_BASE64) {
            /* GMime skips bytes outside the alphabet silently: note them */
            GMimeStream *raw = g_mime_data_wrapper_get_stream(w);
            char buf[4096];
            ssize_t k;
            size_t sym = 0;
            int bad = 0;
            g_mime_stream_reset(raw);
            while (!bad && (k = g_mime_stream_read(raw, buf, sizeof buf)) > 0)
                for (ssize_t i = 0; i < k; i++) {
                    unsigned char ch = (unsigned char)buf[i];
                    if (isalnum(ch) || ch == '+' || ch == '/')
                        sym++;
                    else if (ch != '=' && ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n') {
                        bad = 1;
                        break;
                    }
                }
            if (bad || sym % 4 == 1)
                (void)doge__mail_note(&c->notes, "invalid base64 in %s", what);
        }
        g_mime_data_wrapper_write_to_stream(w, mem);
    }
    GByteArray *a = g_mime_stream_mem_get_byte_array((GMimeStreamMem *)mem);
    *data = a->data ? a->data : (const guint8 *)"";
    *len = a->len;
    return mem;
}

/* "type/subtype" lowercased into buf. */
static const char *mime_type(GMimeObject *obj, char *buf, size_t size)
{
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *t = ct ? g_mime_content_type_get_media_type(ct) : NULL;
    const char *s = ct ? g_mime_content_type_get_media_subtype(ct) : NULL;
    snprintf(buf, size, "%s/%s", t ? t : "application", s ? s : "octet-stream");
    lower_ascii(buf);
    return buf;
}

/* Looks for a <meta ... charset=NAME> in the first 2 KiB of HTML. */
static void html_meta_charset(const guint8 *d, size_t n, char *out, size_t size)
{
    out[0] = '\0';
    const char *s = (const char *)d;
    if (n > 2048)
        n = 2048;
    for (size_t i = 0; i + 8 < n; i++) {
        if (strncasecmp(s + i, "charset=", 8))
            continue;
        size_t j = i + 8, k = 0;
        if (j < n && (s[j] == '"' || s[j] == '\''))
            j++;
        while (j < n && k + 1 < size && (isalnum((unsigned char)s[j]) || s[j] == '-' ||
                                         s[j] == '_' || s[j] == ':' || s[j] == '.'))
            out[k++] = s[j++];
        out[k] = '\0';
        return;
    }
}

/* ---- the body --------------------------------------------------------------- */

static int is_text_leaf(GMimeObject *obj, int *html)
{
    if (!GMIME_IS_PART(obj))
        return 0;
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    if (!ct)
        return 0;
    if (g_mime_content_type_is_type(ct, "text", "plain")) {
        *html = 0;
        return 1;
    }
    if (g_mime_content_type_is_type(ct, "text", "html")) {
        *html = 1;
        return 1;
    }
    return 0;
}

static int is_attachment_disposition(GMimeObject *obj)
{
    const char *d = g_mime_object_get_disposition(obj);
    return d && !strcasecmp(d, "attachment");
}

/* Appends decoded text/plain or text/html content d[0..n) to the body; cs,
 * fmt and delsp are the part's charset, format and delsp parameters (NULL
 * when absent). Shared by the GMime path and the fast reader's. */
static int body_add_bytes(struct ctx *c, const guint8 *d, size_t n, const char *cs, int html,
                          const char *fmt, const char *delsp)
{
    char meta[40];
    if (html && (!cs || !*cs)) {
        html_meta_charset(d, n, meta, sizeof meta);
        cs = meta;
    }
    int rc = DOGE_OK;
    if (c->body.len && c->body.data[c->body.len - 1] != '\n')
        rc = doge_buf_append_char(&c->body, '\n');
    if (rc == DOGE_OK && html) {
        doge_buf_reset(&c->tmp);
        rc = doge__mail_to_utf8(&c->tmp, cs, (const char *)d, n, &c->notes);
        if (rc == DOGE_OK)
            rc = doge__mail_html_to_text(&c->body, doge_buf_cstr(&c->tmp), c->tmp.len);
    } else if (rc == DOGE_OK)
        rc = doge__mail_to_utf8(&c->body, cs, (const char *)d, n, &c->notes);
    if (rc == DOGE_OK && !c->body_found) {
        c->body_found = 1;
        if (html)
            c->m->flags |= DOGE_MAIL_FROM_HTML;
        if (!html && ieq(fmt, "flowed")) {
            c->m->flags |= DOGE_MAIL_FLOWED;
            if (ieq(delsp, "yes"))
                c->m->flags |= DOGE_MAIL_DELSP;
        }
        rc = keep_lower(c, cs ? cs : "", cs ? strlen(cs) : 0, &c->m->body_charset);
    }
    return rc;
}

/* Appends the text of a text/plain or text/html leaf to the body. */
static int body_add(struct ctx *c, GMimePart *part, int html)
{
    const guint8 *d;
    size_t n;
    GMimeStream *mem = decode_part(c, part, html ? "text/html part" : "text/plain part", &d, &n);
    GMimeObject *obj = (GMimeObject *)part;
    int rc = body_add_bytes(c, d, n, g_mime_object_get_content_type_parameter(obj, "charset"),
                            html, g_mime_object_get_content_type_parameter(obj, "format"),
                            g_mime_object_get_content_type_parameter(obj, "delsp"));
    g_object_unref(mem);
    return rc;
}

static int blank(const char *s, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++)
        if (!isspace((unsigned char)s[i]))
            return 0;
    return 1;
}

/* ---- attachments -------------------------------------------------------------- */

static int push_attachment(struct ctx *c, const char *filename, const char *type, size_t size,
                           unsigned flags, const char *text, size_t text_len)
{
    doge_mail_attachment a;
    memset(&a, 0, sizeof a);
    int rc = keep_str(c, filename, &a.filename);
    if (rc == DOGE_OK)
        rc = keep_lower(c, type, strlen(type), &a.content_type);
    a.size = size;
    a.flags = flags;
    if (rc == DOGE_OK && text) {
        char *t;
        rc = doge_arena_strndup(c->m->arena, text, text_len, &t);
        a.text = t;
        a.text_len = text_len;
        a.flags |= DOGE_MAIL_ATT_TEXT;
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append(&c->atts, &a, sizeof a);
    return rc;
}

static int is_docx(const char *type, const char *filename)
{
    return !strcmp(type, "application/vnd.openxmlformats-officedocument.wordprocessingml."
                         "document") ||
           ends_with_ci(filename, ".docx");
}

static int is_tnef(const char *type, const char *filename)
{
    return !strcmp(type, "application/ms-tnef") || !strcmp(type, "application/vnd.ms-tnef") ||
           !strcasecmp(filename, "winmail.dat");
}

static int add_file(struct ctx *c, const char *filename, const char *type, const char *charset,
                    const guint8 *d, size_t n, unsigned flags, int depth);

/* Lists the contents of a TNEF attachment; returns its body text in *text. */
static int add_tnef(struct ctx *c, const char *filename, const guint8 *d, size_t n,
                    doge_buf *text, int depth)
{
    doge__tnef t;
    int rc = doge__mail_tnef_read(&t, d, n);
    if (rc == DOGE_EINVAL) {
        rc = doge__mail_note(&c->notes, "%s: %s", *filename ? filename : "TNEF attachment",
                             doge_error_last());
    }
    if (rc == DOGE_OK && t.body)
        rc = doge_buf_append(text, t.body, t.body_len);
    for (size_t i = 0; rc == DOGE_OK && i < t.nfiles; i++) {
        const doge__tnef_file *f = &t.files[i];
        const char *ft = ends_with_ci(f->name, ".txt")    ? "text/plain"
                         : ends_with_ci(f->name, ".docx") ? "application/vnd.openxmlformats-"
                                                            "officedocument.wordprocessingml."
                                                            "document"
                                                          : "application/octet-stream";
        rc = add_file(c, f->name, ft, NULL, f->data ? f->data : (const guint8 *)"", f->len,
                      DOGE_MAIL_ATT_IN_TNEF, depth + 1);
    }
    doge__mail_tnef_dispose(&t);
    return rc;
}

/* Records one attachment given its decoded bytes, reading its text when it
 * has some (text, HTML, docx, TNEF body). */
static int add_file(struct ctx *c, const char *filename, const char *type, const char *charset,
                    const guint8 *d, size_t n, unsigned flags, int depth)
{
    doge_buf text;
    doge_buf_init(&text, MAIL_TEXT_MAX);
    int rc = DOGE_OK, has_text = 0;
    if (is_tnef(type, filename)) {
        flags |= DOGE_MAIL_ATT_TNEF;
        c->m->flags |= DOGE_MAIL_TNEF;
        size_t before = c->atts.len;
        /* the TNEF entry goes first, its contents after it */
        rc = push_attachment(c, filename, type, n, flags, NULL, 0);
        if (rc == DOGE_OK && depth == 0) {
            rc = add_tnef(c, filename, d, n, &text, depth);
            if (rc == DOGE_OK && text.len) {
                doge_buf clean;
                doge_buf_init(&clean, 0);
                rc = doge__mail_to_utf8(&clean, "utf-8", text.data, text.len, NULL);
                if (rc == DOGE_OK) {
                    doge_mail_attachment *a = (doge_mail_attachment *)(void *)(c->atts.data + before);
                    char *t;
                    rc = doge_arena_strndup(c->m->arena, doge_buf_cstr(&clean), clean.len, &t);
                    if (rc == DOGE_OK) {
                        a->text = t;
                        a->text_len = clean.len;
                        a->flags |= DOGE_MAIL_ATT_TEXT;
                    }
                }
                doge_buf_dispose(&clean);
            }
        }
        doge_buf_dispose(&text);
        return rc;
    }
    if (is_docx(type, filename)) {
        flags |= DOGE_MAIL_ATT_DOCX;
        c->m->flags |= DOGE_MAIL_DOCX;
        rc = doge__mail_docx_text(&text, d, n, MAIL_DOCX_MAX);
        if (rc == DOGE_EINVAL || rc == DOGE_ELIMIT) {
            rc = doge__mail_note(&c->notes, "%s: %s", *filename ? filename : "docx attachment",
                                 doge_error_last());
            doge_buf_reset(&text);
        } else
            has_text = rc == DOGE_OK;
    } else if (!strcmp(type, "text/plain") ||
               (!strcmp(type, "application/octet-stream") && ends_with_ci(filename, ".txt"))) {
        rc = doge__mail_to_utf8(&text, charset, (const char *)d, n, &c->notes);
        has_text = 1;
    } else if (!strcmp(type, "text/html")) {
        doge_buf_reset(&c->tmp);
        rc = doge__mail_to_utf8(&c->tmp, charset, (const char *)d, n, &c->notes);
        if (rc == DOGE_OK)
            rc = doge__mail_html_to_text(&text, doge_buf_cstr(&c->tmp), c->tmp.len);
        has_text = 1;
    }
    if (rc == DOGE_OK)
        rc = push_attachment(c, filename, type, n, flags, has_text ? doge_buf_cstr(&text) : NULL,
                             text.len);
    doge_buf_dispose(&text);
    return rc;
}

static int add_part_attachment(struct ctx *c, GMimeObject *obj, unsigned flags)
{
    char type[128];
    mime_type(obj, type, sizeof type);
    if (is_attachment_disposition(obj))
        flags &= ~DOGE_MAIL_ATT_INLINE;
    else if (ieq(g_mime_object_get_disposition(obj), "inline"))
        flags |= DOGE_MAIL_ATT_INLINE;
    if (GMIME_IS_MESSAGE_PART(obj)) {
        GMimeMessage *inner = g_mime_message_part_get_message((GMimeMessagePart *)obj);
        size_t size = 0;
        if (inner) {
            GMimeStream *null = g_mime_stream_null_new();
            ssize_t w = g_mime_object_write_to_stream((GMimeObject *)inner, NULL, null);
            size = w > 0 ? (size_t)w : 0;
            g_object_unref(null);
        }
        const char *fn = g_mime_object_get_content_disposition_parameter(obj, "filename");
        return push_attachment(c, fn ? fn : "", type, size, flags | DOGE_MAIL_ATT_MESSAGE, NULL,
                               0);
    }
    if (!GMIME_IS_PART(obj))
        return DOGE_OK;
    const char *fn = g_mime_part_get_filename((GMimePart *)obj);
    const guint8 *d;
    size_t n;
    char what[160];
    snprintf(what, sizeof what, "%s%s%s", type, fn ? " " : "", fn ? fn : "");
    GMimeStream *mem = decode_part(c, (GMimePart *)obj, what, &d, &n);
    int rc = add_file(c, fn ? fn : "", type,
                      g_mime_object_get_content_type_parameter(obj, "charset"), d, n, flags, 0);
    g_object_unref(mem);
    return rc;
}

/* ---- delivery-status notifications --------------------------------------------- */

/* The value after "type;" of a DSN field ("rfc822; a@b" -> "a@b"). */
static void after_type(const char **v, size_t *n)
{
    const char *semi = memchr(*v, ';', *n);
    if (semi) {
        *n -= (size_t)(semi + 1 - *v);
        *v = semi + 1;
    }
}

struct dsn_block {
    const char *f[6];
    size_t fl[6];
};

enum { F_FINAL, F_ORIGINAL, F_ACTION, F_STATUS, F_DIAG, F_REMOTE };

static int dsn_flush(struct ctx *c, struct dsn_block *b)
{
    if (!b->f[F_FINAL] && !b->f[F_ORIGINAL] && !b->f[F_ACTION])
        return DOGE_OK; /* the per-message block, or nothing */
    doge_mail_dsn_recipient r;
    const char *v[6];
    size_t vl[6];
    for (int i = 0; i < 6; i++) {
        v[i] = b->f[i] ? b->f[i] : "";
        vl[i] = b->f[i] ? b->fl[i] : 0;
    }
    for (int i = 0; i < 6; i++)
        if (i != F_ACTION && i != F_STATUS)
            after_type(&v[i], &vl[i]);
    /* addresses: strip spaces and angle brackets */
    for (int i = F_FINAL; i <= F_ORIGINAL; i++) {
        while (vl[i] && (v[i][0] == ' ' || v[i][0] == '\t' || v[i][0] == '<')) {
            v[i]++;
            vl[i]--;
        }
        while (vl[i] && (v[i][vl[i] - 1] == ' ' || v[i][vl[i] - 1] == '>' ||
                         v[i][vl[i] - 1] == '\t'))
            vl[i]--;
    }
    /* status: its first token */
    size_t k = 0;
    while (k < vl[F_STATUS] && (v[F_STATUS][k] == ' ' || v[F_STATUS][k] == '\t'))
        k++;
    v[F_STATUS] += k;
    vl[F_STATUS] -= k;
    for (k = 0; k < vl[F_STATUS] && !isspace((unsigned char)v[F_STATUS][k]) &&
                v[F_STATUS][k] != '(';
         k++)
        ;
    vl[F_STATUS] = k;
    int rc = keep_lower(c, v[F_FINAL], vl[F_FINAL], &r.recipient);
    if (rc == DOGE_OK)
        rc = keep_lower(c, v[F_ORIGINAL], vl[F_ORIGINAL], &r.original_recipient);
    if (rc == DOGE_OK)
        rc = keep_lower(c, v[F_ACTION], vl[F_ACTION], &r.action);
    if (rc == DOGE_OK)
        rc = keep(c, v[F_STATUS], vl[F_STATUS], &r.status);
    if (rc == DOGE_OK)
        rc = keep(c, v[F_DIAG], vl[F_DIAG], &r.diagnostic);
    if (rc == DOGE_OK) { /* unfolding left runs of blanks: one space each */
        char *d = (char *)r.diagnostic, *o = d;
        for (const char *q = d; *q; q++)
            if (!((*q == ' ' || *q == '\t') && o > d && o[-1] == ' '))
                *o++ = *q == '\t' ? ' ' : *q;
        *o = '\0';
    }
    if (rc == DOGE_OK)
        rc = keep(c, v[F_REMOTE], vl[F_REMOTE], &r.remote_mta);
    if (rc == DOGE_OK && !*r.recipient)
        r.recipient = r.original_recipient;
    if (rc == DOGE_OK)
        rc = doge_buf_append(&c->dsn, &r, sizeof r);
    memset(b, 0, sizeof *b);
    return rc;
}

/* Parses the fields of a message/delivery-status body (RFC 3464 section 2):
 * blocks of header-like fields separated by empty lines. */
static int parse_delivery_status(struct ctx *c, const char *s, size_t n)
{
    static const char *const names[6] = {"final-recipient", "original-recipient", "action",
                                         "status", "diagnostic-code", "remote-mta"};
    struct dsn_block b;
    memset(&b, 0, sizeof b);
    /* unfold into tmp: continuation lines join the field before them */
    doge_buf u;
    doge_buf_init(&u, 0);
    int rc = DOGE_OK;
    for (size_t i = 0; rc == DOGE_OK && i < n; i++) {
        if (s[i] == '\r')
            continue;
        if (s[i] == '\n' && i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t'))
            continue;
        rc = doge_buf_append_char(&u, s[i]);
    }
    const char *p = doge_buf_cstr(&u), *end = p + u.len;
    while (rc == DOGE_OK && p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        size_t len = (size_t)(eol - p);
        if (blank(p, 0, len))
            rc = dsn_flush(c, &b);
        else {
            const char *colon = memchr(p, ':', len);
            if (colon) {
                size_t nl = (size_t)(colon - p);
                for (int f = 0; f < 6; f++)
                    if (strlen(names[f]) == nl && !strncasecmp(p, names[f], nl)) {
                        b.f[f] = colon + 1;
                        b.fl[f] = (size_t)(eol - colon - 1);
                    }
            }
        }
        p = eol < end ? eol + 1 : end;
    }
    if (rc == DOGE_OK)
        rc = dsn_flush(c, &b);
    doge_buf_dispose(&u);
    return rc;
}

/* The Message-ID field of a text/rfc822-headers body. */
static int headers_message_id(struct ctx *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        const char *eol = memchr(s + i, '\n', n - i);
        size_t e = eol ? (size_t)(eol - s) : n;
        if (e - i >= 11 && !strncasecmp(s + i, "message-id:", 11)) {
            /* the value, with continuation lines */
            size_t ve = e;
            while (ve + 1 < n && (s[ve + 1] == ' ' || s[ve + 1] == '\t')) {
                const char *nx = memchr(s + ve + 1, '\n', n - ve - 1);
                ve = nx ? (size_t)(nx - s) : n;
            }
            char *v = g_strndup(s + i + 11, ve - i - 11);
            char *id = g_mime_utils_decode_message_id(v);
            int rc = id ? keep_str(c, id, &c->m->dsn_original_id) : DOGE_OK;
            g_free(id);
            g_free(v);
            return rc;
        }
        if (e == i || (e == i + 1 && s[i] == '\r'))
            break; /* end of the header block */
        i = e + 1;
    }
    return DOGE_OK;
}

/* ---- the tree walk ---------------------------------------------------------------- */

static int walk(struct ctx *c, GMimeObject *obj, int depth, int top, unsigned inherit);

static int walk_alternative(struct ctx *c, GMimeMultipart *mp, int depth)
{
    int count = g_mime_multipart_get_count(mp), html;
    GMimeObject *plain = NULL, *rich = NULL;
    for (int i = 0; i < count; i++) {
        GMimeObject *ch = g_mime_multipart_get_part(mp, i);
        if (is_attachment_disposition(ch))
            continue;
        if (is_text_leaf(ch, &html)) {
            if (!html && !plain)
                plain = ch;
            else if (html && !rich)
                rich = ch;
        } else if (GMIME_IS_MULTIPART(ch) && !rich)
            rich = ch;
    }
    if (plain) {
        size_t before = c->body.len;
        int was_found = c->body_found;
        unsigned flags = c->m->flags;
        int rc = body_add(c, (GMimePart *)plain, 0);
        if (rc != DOGE_OK || !rich || !blank(doge_buf_cstr(&c->body), before, c->body.len))
            return rc;
        /* a blank text/plain beside a real alternative: use that instead */
        doge_buf_truncate(&c->body, before);
        c->body_found = was_found;
        c->m->flags = flags;
    }
    if (rich)
        return walk(c, rich, depth + 1, 0, 0);
    return DOGE_OK;
}

/* The first n-byte needle in the h-byte haystack, or NULL (memmem is a GNU
 * extension, not POSIX). */
static const char *find_bytes(const char *h, size_t hn, const char *needle, size_t n)
{
    if (n == 0 || hn < n)
        return NULL;
    for (const char *p = h, *last = h + hn - n; p <= last; p++) {
        p = memchr(p, needle[0], (size_t)(last - p) + 1);
        if (!p)
            return NULL;
        if (!memcmp(p, needle, n))
            return p;
    }
    return NULL;
}

/* Notes a multipart without a boundary, or whose closing boundary line
 * ("--boundary--") is nowhere in the message: cut off, or badly nested. */
static int check_multipart(struct ctx *c, GMimeMultipart *mp)
{
    if (++c->multiparts > 100) /* each check reads the message: bound the work */
        return DOGE_OK;
    const char *b = g_mime_object_get_content_type_parameter((GMimeObject *)mp, "boundary");
    if (!b || !*b)
        return doge__mail_note(&c->notes, "multipart without a boundary");
    size_t bl = strlen(b);
    for (const char *p = c->raw, *end = c->raw + c->raw_len; p && p + bl + 4 <= end; p++) {
        p = find_bytes(p, (size_t)(end - p), b, bl);
        if (!p)
            break;
        if (p + bl + 2 <= end && p[bl] == '-' && p[bl + 1] == '-' && p - c->raw >= 2 &&
            p[-1] == '-' && p[-2] == '-' && (p - c->raw == 2 || p[-3] == '\n'))
            return DOGE_OK;
    }
    return doge__mail_note(&c->notes, "closing MIME boundary missing (message cut off?)");
}

static int walk_multipart(struct ctx *c, GMimeMultipart *mp, int depth)
{
    GMimeObject *obj = (GMimeObject *)mp;
    int crc = check_multipart(c, mp);
    if (crc != DOGE_OK)
        return crc;
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    const char *sub = ct ? g_mime_content_type_get_media_subtype(ct) : "mixed";
    int count = g_mime_multipart_get_count(mp), rc = DOGE_OK;
    if (ieq(sub, "alternative"))
        return walk_alternative(c, mp, depth);
    if (ieq(sub, "encrypted") || GMIME_IS_MULTIPART_ENCRYPTED(mp)) {
        c->m->flags |= DOGE_MAIL_ENCRYPTED;
        return DOGE_OK;
    }
    if (ieq(sub, "signed")) /* the content, not the signature */
        return count > 0 ? walk(c, g_mime_multipart_get_part(mp, 0), depth + 1, 0, 0) : DOGE_OK;
    if (ieq(sub, "related")) {
        const char *start = g_mime_object_get_content_type_parameter(obj, "start");
        GMimeObject *root = NULL;
        if (start) {
            char *id = g_mime_utils_decode_message_id(start);
            if (id)
                root = g_mime_multipart_get_subpart_from_content_id(mp, id);
            g_free(id);
        }
        if (!root && count > 0)
            root = g_mime_multipart_get_part(mp, 0);
        if (root)
            rc = walk(c, root, depth + 1, 0, 0);
        for (int i = 0; rc == DOGE_OK && i < count; i++) {
            GMimeObject *ch = g_mime_multipart_get_part(mp, i);
            if (ch != root)
                rc = walk(c, ch, depth + 1, 0, DOGE_MAIL_ATT_INLINE);
        }
        return rc;
    }
    int report = ieq(sub, "report");
    const char *rtype = report ? g_mime_object_get_content_type_parameter(obj, "report-type")
                               : NULL;
    int dsn = ieq(rtype, "delivery-status") || ieq(rtype, "global-delivery-status");
    if (dsn) {
        c->m->flags |= DOGE_MAIL_DSN;
        c->is_dsn_report++;
    }
    if (ieq(rtype, "disposition-notification") && depth == 0)
        c->read_receipt = 1;
    /* mixed, report (its first part is the human-readable body), digest... */
    for (int i = 0; rc == DOGE_OK && i < count; i++)
        rc = walk(c, g_mime_multipart_get_part(mp, i), depth + 1, 0, 0);
    if (dsn)
        c->is_dsn_report--;
    return rc;
}

static int walk(struct ctx *c, GMimeObject *obj, int depth, int top, unsigned inherit)
{
    if (!obj)
        return DOGE_OK;
    if (depth > MAIL_MAX_DEPTH)
        return doge__mail_note(&c->notes, "MIME parts nested too deep (the rest is skipped)");
    if (GMIME_IS_MULTIPART(obj))
        return walk_multipart(c, (GMimeMultipart *)obj, depth);
    GMimeContentType *ct = g_mime_object_get_content_type(obj);
    /* parts of a delivery report */
    if (ct && (g_mime_content_type_is_type(ct, "message", "delivery-status") ||
               g_mime_content_type_is_type(ct, "message", "global-delivery-status"))) {
        c->m->flags |= DOGE_MAIL_DSN;
        if (c->dsn_parsed || !GMIME_IS_PART(obj))
            return DOGE_OK;
        c->dsn_parsed = 1;
        const guint8 *d;
        size_t n;
        GMimeStream *mem = decode_part(c, (GMimePart *)obj, "message/delivery-status part", &d, &n);
        int rc = parse_delivery_status(c, (const char *)d, n);
        g_object_unref(mem);
        return rc;
    }
    /* the returned message of a DSN is part of the report, not an attachment */
    if (c->is_dsn_report) {
        if (GMIME_IS_MESSAGE_PART(obj)) {
            GMimeMessage *inner = g_mime_message_part_get_message((GMimeMessagePart *)obj);
            const char *id = inner ? g_mime_message_get_message_id(inner) : NULL;
            if (!id || c->m->dsn_original_id)
                return DOGE_OK;
            return keep_str(c, id, &c->m->dsn_original_id);
        }
        if (ct && g_mime_content_type_is_type(ct, "text", "rfc822-headers") && GMIME_IS_PART(obj)) {
            const guint8 *d;
            size_t n;
            GMimeStream *mem = decode_part(c, (GMimePart *)obj, "text/rfc822-headers part", &d, &n);
            int rc = c->m->dsn_original_id ? DOGE_OK : headers_message_id(c, (const char *)d, n);
            g_object_unref(mem);
            return rc;
        }
    }
    if (GMIME_IS_APPLICATION_PKCS7_MIME(obj)) {
        const char *st = g_mime_object_get_content_type_parameter(obj, "smime-type");
        if (!st || ieq(st, "enveloped-data") || ieq(st, "authEnveloped-data")) {
            c->m->flags |= DOGE_MAIL_ENCRYPTED;
            return DOGE_OK;
        }
    }
    int html;
    if (!(inherit & DOGE_MAIL_ATT_INLINE) && is_text_leaf(obj, &html) &&
        !is_attachment_disposition(obj) &&
        (top || !g_mime_part_get_filename((GMimePart *)obj)))
        return body_add(c, (GMimePart *)obj, html);
    return add_part_attachment(c, obj, inherit);
}

/* ---- headers ----------------------------------------------------------------------- */

static int add_addresses(struct ctx *c, doge_buf *vec, InternetAddressList *list, int depth)
{
    int n = list ? internet_address_list_length(list) : 0, rc = DOGE_OK;
    for (int i = 0; rc == DOGE_OK && i < n; i++) {
        InternetAddress *ia = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(ia)) {
            if (depth < 4)
                rc = add_addresses(c, vec, internet_address_group_get_members(
                                               (InternetAddressGroup *)ia), depth + 1);
            continue;
        }
        if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
            continue;
        const char *addr = internet_address_mailbox_get_addr((InternetAddressMailbox *)ia);
        if (!addr || !*addr)
            continue;
        doge_mail_address a;
        rc = keep_lower(c, addr, strlen(addr), &a.addr);
        if (rc == DOGE_OK)
            rc = keep_str(c, internet_address_get_name(ia), &a.name);
        if (rc == DOGE_OK && *a.addr)
            rc = doge_buf_append(vec, &a, sizeof a);
    }
    return rc;
}

static int finish_array(struct ctx *c, doge_buf *vec, size_t elsize, void **out, size_t *n)
{
    *n = vec->len / elsize;
    *out = NULL;
    if (!*n)
        return DOGE_OK;
    return doge_arena_memdup(c->m->arena, vec->data, vec->len, out);
}

/* The unfolded raw value raw[0..n) of a header (every CR and LF dropped),
 * in c->fold; NULL when out of memory. */
static const char *unfolded(struct ctx *c, const char *raw, size_t n, size_t *len)
{
    doge_buf_reset(&c->fold);
    int rc = doge_buf_reserve(&c->fold, n + 1);
    if (rc == DOGE_OK && !memchr(raw, '\r', n)) {
        /* LF only (always so for the fast reader): copy the runs between */
        for (size_t i = 0; i < n;) {
            const char *nl = memchr(raw + i, '\n', n - i);
            size_t run = nl ? (size_t)(nl - raw) - i : n - i;
            memcpy(c->fold.data + c->fold.len, raw + i, run);
            c->fold.len += run;
            i += run + (nl != NULL);
        }
        c->fold.data[c->fold.len] = '\0';
    } else {
        for (size_t i = 0; rc == DOGE_OK && i < n;) {
            size_t run = i;
            while (run < n && raw[run] != '\r' && raw[run] != '\n')
                run++;
            rc = doge_buf_append(&c->fold, raw + i, run - i);
            i = run;
            while (i < n && (raw[i] == '\r' || raw[i] == '\n'))
                i++;
        }
    }
    *len = c->fold.len;
    return rc == DOGE_OK ? doge_buf_cstr(&c->fold) : NULL;
}

static int header_facts(struct ctx *c, GMimeMessage *msg)
{
    doge_mail *m = c->m;
    /* GMime keeps the top-level Content-* headers on the MIME part: read
     * the message's list, then the part's */
    GMimeObject *top = g_mime_message_get_mime_part(msg);
    GMimeHeaderList *lists2[2] = {g_mime_object_get_header_list((GMimeObject *)msg),
                                  top ? g_mime_object_get_header_list(top) : NULL};
    int counts[2], rc = DOGE_OK;
    for (int l = 0; l < 2; l++)
        counts[l] = lists2[l] ? g_mime_header_list_get_count(lists2[l]) : 0;
    doge_buf hv, av[2];
    doge_buf_init(&hv, 0);
    doge_buf_init(&av[0], 0);
    doge_buf_init(&av[1], 0);
    const char *refs_raw = NULL, *irt_raw = NULL, *received_raw = NULL;
    for (int i = 0; rc == DOGE_OK && i < counts[0] + counts[1]; i++) {
        GMimeHeader *h = i < counts[0] ? g_mime_header_list_get_header_at(lists2[0], i)
                                       : g_mime_header_list_get_header_at(lists2[1], i - counts[0]);
        const char *name = g_mime_header_get_name(h), *raw = g_mime_header_get_raw_value(h);
        if (!name)
            continue;
        size_t len;
        const char *v = unfolded(c, raw ? raw : "", raw ? strlen(raw) : 0, &len);
        if (!v) {
            rc = doge__error_oom();
            break;
        }
        struct header hd;
        rc = keep_str(c, name, &hd.name);
        if (rc == DOGE_OK)
            rc = keep(c, v, len, &hd.value);
        if (rc == DOGE_OK)
            rc = doge_buf_append(&hv, &hd, sizeof hd);
        if (rc != DOGE_OK)
            break;
        if (!strcasecmp(name, "References") && !refs_raw)
            refs_raw = hd.value;
        else if (!strcasecmp(name, "In-Reply-To") && !irt_raw)
            irt_raw = hd.value;
        else if (!strcasecmp(name, "Received") && !received_raw)
            received_raw = hd.value;
        else if (!strcasecmp(name, "Delivered-To") || !strcasecmp(name, "X-Original-To")) {
            InternetAddressList *l = internet_address_list_parse(parser_options, hd.value);
            if (l) {
                rc = add_addresses(c, &av[name[0] == 'D' || name[0] == 'd' ? 0 : 1], l, 0);
                g_object_unref(l);
            }
        }
    }
    if (rc == DOGE_OK)
        rc = finish_array(c, &hv, sizeof(struct header), (void **)&m->headers, &m->nheaders);
    if (rc == DOGE_OK)
        rc = finish_array(c, &av[0], sizeof(doge_mail_address),
                          (void **)&m->addrs[DOGE_MAIL_DELIVERED_TO],
                          &m->naddrs[DOGE_MAIL_DELIVERED_TO]);
    if (rc == DOGE_OK)
        rc = finish_array(c, &av[1], sizeof(doge_mail_address),
                          (void **)&m->addrs[DOGE_MAIL_X_ORIGINAL_TO],
                          &m->naddrs[DOGE_MAIL_X_ORIGINAL_TO]);
    doge_buf_dispose(&hv);
    doge_buf_dispose(&av[0]);
    doge_buf_dispose(&av[1]);
    if (rc != DOGE_OK)
        return rc;

    /* From, To, Cc, Reply-To */
    static const struct {
        doge_mail_field field;
        GMimeAddressType type;
    } lists[] = {{DOGE_MAIL_FROM, GMIME_ADDRESS_TYPE_FROM},
                 {DOGE_MAIL_TO, GMIME_ADDRESS_TYPE_TO},
                 {DOGE_MAIL_CC, GMIME_ADDRESS_TYPE_CC},
                 {DOGE_MAIL_REPLY_TO, GMIME_ADDRESS_TYPE_REPLY_TO}};
    for (size_t i = 0; rc == DOGE_OK && i < sizeof lists / sizeof *lists; i++) {
        doge_buf vec;
        doge_buf_init(&vec, 0);
        rc = add_addresses(c, &vec, g_mime_message_get_addresses(msg, lists[i].type), 0);
        if (rc == DOGE_OK)
            rc = finish_array(c, &vec, sizeof(doge_mail_address),
                              (void **)&m->addrs[lists[i].field], &m->naddrs[lists[i].field]);
        doge_buf_dispose(&vec);
    }

    /* ids */
    const char *id = g_mime_message_get_message_id(msg);
    if (rc == DOGE_OK && id && *id)
        rc = keep_str(c, id, &m->message_id);
    if (rc == DOGE_OK && refs_raw) {
        GMimeReferences *r = g_mime_references_parse(parser_options, refs_raw);
        int n = r ? g_mime_references_length(r) : 0;
        if (n > 0) {
            const char **ids = NULL;
            rc = doge_arena_alloc(m->arena, (size_t)n * sizeof *ids, 0, (void **)&ids);
            for (int i = 0; rc == DOGE_OK && i < n; i++)
                rc = keep_str(c, g_mime_references_get_message_id(r, i), &ids[i]);
            if (rc == DOGE_OK) {
                m->refs = ids;
                m->nrefs = (size_t)n;
            }
        }
        if (r)
            g_mime_references_free(r);
    }
    if (rc == DOGE_OK && irt_raw) {
        GMimeReferences *r = g_mime_references_parse(parser_options, irt_raw);
        if (r && g_mime_references_length(r) > 0)
            rc = keep_str(c, g_mime_references_get_message_id(r, 0), &m->in_reply_to);
        else {
            char *d = g_mime_utils_decode_message_id(irt_raw);
            if (d && *d)
                rc = keep_str(c, d, &m->in_reply_to);
            g_free(d);
        }
        if (r)
            g_mime_references_free(r);
    }

    /* subject and dates */
    if (rc == DOGE_OK)
        rc = keep_str(c, g_mime_message_get_subject(msg), &m->subject);
    GDateTime *dt = g_mime_message_get_date(msg);
    m->date = dt ? (int64_t)g_date_time_to_unix(dt) : DOGE_MAIL_DATE_UNKNOWN;
    m->received = DOGE_MAIL_DATE_UNKNOWN;
    if (received_raw) {
        const char *semi = strrchr(received_raw, ';');
        if (semi) {
            GDateTime *rt = g_mime_utils_header_decode_date(semi + 1);
            if (rt) {
                m->received = (int64_t)g_date_time_to_unix(rt);
                g_date_time_unref(rt);
            }
        }
    }
    return rc;
}

/* ---- the fast reader's path --------------------------------------------------------- */

/* What doge_mail_parse() builds from a message the fast reader (mail_fast.c)
 * accepted: the same steps as header_facts() and walk() above, in the same
 * order and through the same helpers, with GMime's answers replaced by the
 * reader's. Any value the reader declines sends the whole message to
 * GMime. */

static int fast_addresses(struct ctx *c, doge_buf *vec, const char *v, size_t n,
                          doge_buf *scratch)
{
    size_t count;
    doge_buf_reset(scratch);
    int rc = doge__fm_addresses(v, n, scratch, &count);
    const char *p = scratch->data;
    for (size_t i = 0; rc == DOGE_OK && i < count; i++) {
        const char *addr = p;
        p += strlen(p) + 1;
        const char *name = p;
        p += strlen(p) + 1;
        if (!*addr)
            continue;
        doge_mail_address a;
        rc = keep_lower(c, addr, strlen(addr), &a.addr);
        if (rc == DOGE_OK)
            rc = keep_str(c, name, &a.name);
        if (rc == DOGE_OK && *a.addr)
            rc = doge_buf_append(vec, &a, sizeof a);
    }
    return rc;
}

/* The ids of a References value, or the first of an In-Reply-To value. */
static int fast_ids(struct ctx *c, const char *v, int first_only)
{
    size_t pos = 0, n = strlen(v), len, count = 0;
    const char *id;
    int rc;
    doge_buf *vec = &c->vec;
    doge_buf_reset(vec);
    while ((rc = doge__fm_next_msgid(v, n, &pos, &id, &len)) == DOGE_OK && id) {
        const char *kept;
        if ((rc = keep(c, id, len, &kept)) != DOGE_OK ||
            (rc = doge_buf_append(vec, &kept, sizeof kept)) != DOGE_OK)
            break;
        count++;
    }
    if (rc == DOGE_OK && count) {
        if (first_only)
            c->m->in_reply_to = ((const char **)(void *)vec->data)[0];
        else
            rc = finish_array(c, vec, sizeof(const char *), (void **)&c->m->refs, &c->m->nrefs);
    }
    return rc;
}

/* Unfolds a header for a date, and reads it. */
static int fast_date(struct ctx *c, const char *v, size_t n, int64_t *out)
{
    if (!doge__fm_text_ok(v, n))
        return DOGE__FM_DECLINE;
    return doge__fm_date(v, n, out);
}

/* The headers fast_header_facts() looks at, found by length first. */
enum { H_OTHER, H_REFERENCES, H_IN_REPLY_TO, H_RECEIVED, H_DELIVERED_TO, H_X_ORIGINAL_TO, H_FROM,
       H_TO, H_CC, H_REPLY_TO, H_MESSAGE_ID, H_SUBJECT, H_DATE };

static int header_kind(const char *name, size_t len)
{
    switch (name[0] | 0x20) { /* the first letters of the names below */
    case 'r': case 'i': case 'd': case 'x': case 'f': case 't': case 'c': case 'm': case 's':
        break;
    default:
        return H_OTHER;
    }
    static const struct {
        const char *name;
        size_t len;
        int kind;
    } known[] = {{"References", 10, H_REFERENCES},   {"In-Reply-To", 11, H_IN_REPLY_TO},
                 {"Received", 8, H_RECEIVED},        {"Delivered-To", 12, H_DELIVERED_TO},
                 {"X-Original-To", 13, H_X_ORIGINAL_TO}, {"From", 4, H_FROM},
                 {"To", 2, H_TO},                    {"Cc", 2, H_CC},
                 {"Reply-To", 8, H_REPLY_TO},        {"Message-Id", 10, H_MESSAGE_ID},
                 {"Subject", 7, H_SUBJECT},          {"Date", 4, H_DATE}};
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (known[i].len == len && !strncasecmp(name, known[i].name, len))
            return known[i].kind;
    return H_OTHER;
}

/* The fast reader's top-level headers for later: their section copied
 * into the arena once, each header's place in it (see struct doge_mail). */
static int keep_lazy_headers(struct ctx *c, const doge__fm *fm)
{
    doge_mail *m = c->m;
    m->nheaders = fm->nheaders;
    if (!fm->nheaders)
        return DOGE_OK;
    const char *lo = fm->headers[0].name, *hi = lo;
    for (size_t i = 0; i < fm->nheaders; i++) {
        const doge__fm_header *h = &fm->headers[i];
        if (h->name < lo)
            lo = h->name;
        if (h->name + h->name_len > hi)
            hi = h->name + h->name_len;
        if (h->raw < lo)
            lo = h->raw;
        if (h->raw + h->raw_len > hi)
            hi = h->raw + h->raw_len;
    }
    if ((size_t)(hi - lo) > UINT32_MAX)
        return DOGE__FM_DECLINE;
    void *block, *spans;
    int rc = doge_arena_memdup(m->arena, lo, (size_t)(hi - lo), &block);
    if (rc == DOGE_OK)
        rc = doge_arena_alloc(m->arena, fm->nheaders * sizeof(struct lazy_header),
                              _Alignof(struct lazy_header), &spans);
    if (rc != DOGE_OK)
        return rc;
    struct lazy_header *lz = spans;
    for (size_t i = 0; i < fm->nheaders; i++) {
        const doge__fm_header *h = &fm->headers[i];
        lz[i].name = (uint32_t)(h->name - lo);
        lz[i].name_len = (uint32_t)h->name_len;
        lz[i].raw = (uint32_t)(h->raw - lo);
        lz[i].raw_len = (uint32_t)h->raw_len;
    }
    m->lazy_block = block;
    m->lazy = lz;
    return DOGE_OK;
}

/* m->headers made from the lazy ones when they are not made yet: each
 * name and unfolded value kept as header_facts() keeps GMime's. */
static int headers_ready(doge_mail *m)
{
    if (m->headers || !m->lazy)
        return DOGE_OK;
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    doge_buf_init(&c.fold, 0);
    doge_buf_init(&c.tmp, MAIL_TEXT_MAX);
    void *p;
    int rc = doge_arena_alloc(m->arena, m->nheaders * sizeof(struct header),
                              _Alignof(struct header), &p);
    struct header *hs = p;
    for (size_t i = 0; rc == DOGE_OK && i < m->nheaders; i++) {
        const struct lazy_header *l = &m->lazy[i];
        size_t len;
        const char *v = unfolded(&c, m->lazy_block + l->raw, l->raw_len, &len);
        rc = v ? keep(&c, m->lazy_block + l->name, l->name_len, &hs[i].name) : doge__error_oom();
        if (rc == DOGE_OK)
            rc = keep(&c, v, len, &hs[i].value);
    }
    doge_buf_dispose(&c.fold);
    doge_buf_dispose(&c.tmp);
    if (rc == DOGE_OK)
        m->headers = hs;
    return rc;
}

static int fast_header_facts(struct ctx *c, const doge__fm *fm)
{
    static const doge_mail_field fields[] = {DOGE_MAIL_FROM, DOGE_MAIL_TO, DOGE_MAIL_CC,
                                             DOGE_MAIL_REPLY_TO};
    doge_mail *m = c->m;
    /* GMime keeps the last of each of these; the reader takes messages with
     * one: [H_FROM..H_DATE] */
    const doge__fm_header *one[H_DATE + 1];
    memset(one, 0, sizeof one);
    const char *refs_raw = NULL, *irt_raw = NULL, *received_raw = NULL;
    doge_buf *av = c->av, *scratch = &c->scratch;
    doge_buf_reset(&av[0]);
    doge_buf_reset(&av[1]);
    int rc = keep_lazy_headers(c, fm);
    for (size_t i = 0; rc == DOGE_OK && i < fm->nheaders; i++) {
        const doge__fm_header *h = &fm->headers[i];
        int kind = header_kind(h->name, h->name_len);
        /* the values read here, unfolded and kept as doge_mail_header()
         * gives them */
        const char *value = NULL;
        if ((kind == H_REFERENCES && !refs_raw) || (kind == H_IN_REPLY_TO && !irt_raw) ||
            (kind == H_RECEIVED && !received_raw) || kind == H_DELIVERED_TO ||
            kind == H_X_ORIGINAL_TO) {
            size_t len;
            const char *v = unfolded(c, h->raw, h->raw_len, &len);
            if (!v) {
                rc = doge__error_oom();
                break;
            }
            if ((rc = keep(c, v, len, &value)) != DOGE_OK)
                break;
        }
        if (kind == H_REFERENCES && !refs_raw)
            refs_raw = value;
        else if (kind == H_IN_REPLY_TO && !irt_raw)
            irt_raw = value;
        else if (kind == H_RECEIVED && !received_raw)
            received_raw = value;
        else if (kind == H_DELIVERED_TO || kind == H_X_ORIGINAL_TO)
            rc = fast_addresses(c, &av[kind == H_DELIVERED_TO ? 0 : 1], value, strlen(value),
                                scratch);
        if (kind >= H_FROM && rc == DOGE_OK) {
            if (one[kind])
                rc = DOGE__FM_DECLINE;
            one[kind] = h;
        }
    }
    if (rc == DOGE_OK)
        rc = finish_array(c, &av[0], sizeof(doge_mail_address),
                          (void **)&m->addrs[DOGE_MAIL_DELIVERED_TO],
                          &m->naddrs[DOGE_MAIL_DELIVERED_TO]);
    if (rc == DOGE_OK)
        rc = finish_array(c, &av[1], sizeof(doge_mail_address),
                          (void **)&m->addrs[DOGE_MAIL_X_ORIGINAL_TO],
                          &m->naddrs[DOGE_MAIL_X_ORIGINAL_TO]);
    for (size_t k = 0; rc == DOGE_OK && k < 4; k++) {
        const doge__fm_header *h = one[H_FROM + (int)k];
        doge_buf_reset(&c->vec);
        if (h)
            rc = fast_addresses(c, &c->vec, h->raw, h->raw_len, scratch);
        if (rc == DOGE_OK)
            rc = finish_array(c, &c->vec, sizeof(doge_mail_address),
                              (void **)&m->addrs[fields[k]], &m->naddrs[fields[k]]);
    }
    size_t len;
    const char *v;
    const doge__fm_header *mid_h = one[H_MESSAGE_ID], *subject_h = one[H_SUBJECT],
                          *date_h = one[H_DATE];
    if (rc == DOGE_OK && mid_h) {
        if (!(v = unfolded(c, mid_h->raw, mid_h->raw_len, &len)))
            return doge__error_oom();
        size_t pos = 0, idlen;
        const char *id;
        if (!doge__fm_text_ok(v, len))
            return DOGE__FM_DECLINE;
        rc = doge__fm_next_msgid(v, len, &pos, &id, &idlen);
        if (rc == DOGE_OK && id) {
            size_t more_len;
            const char *more;
            if (doge__fm_next_msgid(v, len, &pos, &more, &more_len) != DOGE_OK || more)
                return DOGE__FM_DECLINE; /* more than one id */
            rc = keep(c, id, idlen, &m->message_id);
        }
    }
    if (rc == DOGE_OK && refs_raw)
        rc = fast_ids(c, refs_raw, 0);
    if (rc == DOGE_OK && irt_raw)
        rc = fast_ids(c, irt_raw, 1);
    if (rc == DOGE_OK) {
        if (subject_h) {
            if (!(v = unfolded(c, subject_h->raw, subject_h->raw_len, &len)))
                return doge__error_oom();
            if (doge__fm_text_ok(v, len))
                rc = keep(c, v, len, &m->subject);
            else if (!memchr(v, '\0', len) && doge__mail_utf8_valid(v, len)) {
                /* encoded-words: decoded as GMime decodes them, or declined */
                doge_buf_reset(&c->scratch);
                rc = doge__fm_decode_words(v, len, &c->scratch);
                if (rc == DOGE_OK)
                    rc = keep(c, doge_buf_cstr(&c->scratch), c->scratch.len, &m->subject);
            } else
                rc = DOGE__FM_DECLINE;
        } else
            rc = keep_str(c, NULL, &m->subject);
    }
    m->date = m->received = DOGE_MAIL_DATE_UNKNOWN;
    if (rc == DOGE_OK && date_h) {
        if (!(v = unfolded(c, date_h->raw, date_h->raw_len, &len)))
            return doge__error_oom();
        rc = fast_date(c, v, len, &m->date);
    }
    if (rc == DOGE_OK && received_raw) {
        const char *semi = strrchr(received_raw, ';');
        if (semi)
            rc = fast_date(c, semi + 1, strlen(semi + 1), &m->received);
    }
    return rc;
}

/* walk() for one leaf part of the fast reader (inherit is 0 there). */
static int fast_leaf(struct ctx *c, const doge__fm_part *p, int top)
{
    /* parts of a delivery report */
    if (!strcmp(p->type, "message/delivery-status") ||
        !strcmp(p->type, "message/global-delivery-status")) {
        c->m->flags |= DOGE_MAIL_DSN;
        if (c->dsn_parsed)
            return DOGE_OK;
        c->dsn_parsed = 1;
        return parse_delivery_status(c, p->data, p->len);
    }
    if (c->is_dsn_report && !strcmp(p->type, "text/rfc822-headers"))
        return c->m->dsn_original_id ? DOGE_OK : headers_message_id(c, p->data, p->len);
    int html = !strcmp(p->type, "text/html");
    const char *fn = p->has_filename ? p->filename : NULL;
    const char *cs = p->has_charset ? p->charset : NULL;
    if ((html || !strcmp(p->type, "text/plain")) && p->disposition != DOGE__FM_DISP_ATTACHMENT &&
        (top || !fn))
        return body_add_bytes(c, (const guint8 *)p->data, p->len, cs, html,
                              p->has_format ? p->format : NULL, p->has_delsp ? p->delsp : NULL);
    unsigned flags = p->disposition == DOGE__FM_DISP_INLINE ? DOGE_MAIL_ATT_INLINE : 0;
    if (is_tnef(p->type, fn ? fn : "") || is_docx(p->type, fn ? fn : ""))
        return DOGE__FM_DECLINE; /* TNEF and docx attachments: the GMime path */
    return add_file(c, fn ? fn : "", p->type, cs, (const guint8 *)p->data, p->len, flags, 0);
}

static int fast_walk(struct ctx *c, const doge__fm *fm)
{
    if (fm->multipart == 0)
        return fast_leaf(c, &fm->parts[0], 1);
    if (fm->multipart >= 2) { /* mixed, or report, as walk_multipart() */
        const char *rtype = fm->multipart == 3 && fm->has_report_type ? fm->report_type : NULL;
        int dsn = ieq(rtype, "delivery-status") || ieq(rtype, "global-delivery-status");
        if (dsn) {
            c->m->flags |= DOGE_MAIL_DSN;
            c->is_dsn_report++;
        }
        if (ieq(rtype, "disposition-notification"))
            c->read_receipt = 1;
        int rc = DOGE_OK;
        for (size_t i = 0; rc == DOGE_OK && i < fm->nparts; i++)
            rc = fast_leaf(c, &fm->parts[i], 0);
        if (dsn)
            c->is_dsn_report--;
        return rc;
    }
    /* alternative, as walk_alternative() */
    const doge__fm_part *plain = NULL, *rich = NULL;
    for (size_t i = 0; i < fm->nparts; i++) {
        const doge__fm_part *p = &fm->parts[i];
        if (p->disposition == DOGE__FM_DISP_ATTACHMENT)
            continue;
        if (!strcmp(p->type, "text/plain") && !plain)
            plain = p;
        else if (!strcmp(p->type, "text/html") && !rich)
            rich = p;
    }
    if (plain) {
        size_t before = c->body.len;
        int was_found = c->body_found;
        unsigned flags = c->m->flags;
        int rc = body_add_bytes(c, (const guint8 *)plain->data, plain->len,
                                plain->has_charset ? plain->charset : NULL, 0,
                                plain->has_format ? plain->format : NULL,
                                plain->has_delsp ? plain->delsp : NULL);
        if (rc != DOGE_OK || !rich || !blank(doge_buf_cstr(&c->body), before, c->body.len))
            return rc;
        doge_buf_truncate(&c->body, before);
        c->body_found = was_found;
        c->m->flags = flags;
    }
    return rich ? fast_leaf(c, rich, 0) : DOGE_OK;
}

/* The fast reader's whole path: DOGE_OK, DOGE__FM_DECLINE or an error. */
static int parse_fast(struct ctx *c, const char *raw, size_t len)
{
    doge__fm fm;
    doge__fm_init(&fm);
    fm.decoded = c->decoded; /* the context's buffer, given back below */
    int rc = doge__fm_read(&fm, raw, len);
    if (rc == DOGE_OK)
        rc = fast_header_facts(c, &fm);
    if (rc == DOGE_OK)
        rc = fast_walk(c, &fm);
    c->decoded = fm.decoded;
    return rc;
}

/* ---- auto-replies ------------------------------------------------------------------- */

/* The first token of v (up to ';', ',' or space), lowercased, into buf. */
static const char *first_token(const char *v, char *buf, size_t size)
{
    size_t k = 0;
    while (*v == ' ' || *v == '\t')
        v++;
    while (*v && *v != ';' && *v != ',' && *v != ' ' && *v != '\t' && k + 1 < size)
        buf[k++] = (char)tolower((unsigned char)*v++);
    buf[k] = '\0';
    return buf;
}

static int detect_auto_reply(struct ctx *c)
{
    doge_mail *m = c->m;
    static const char *const any_but_no[] = {"Auto-Submitted", "X-Autoreply", "X-Autorespond",
                                             "X-Autoreply-From", "X-Mail-Autoreply"};
    char tok[64], reason[200];
    reason[0] = '\0';
    if (!m->headers && m->lazy) {
        /* made only when a header's name starts as a rule's does */
        int need = 0;
        for (size_t i = 0; i < m->nheaders && !need; i++) {
            const struct lazy_header *l = &m->lazy[i];
            char c0 = l->name_len ? (char)tolower((unsigned char)m->lazy_block[l->name]) : 0;
            need = c0 == 'a' || c0 == 'x' || c0 == 'p';
        }
        int rc = need ? headers_ready(m) : DOGE_OK;
        if (rc != DOGE_OK)
            return rc;
    }
    for (size_t i = 0; m->headers && i < m->nheaders && !reason[0]; i++) {
        const char *n = m->headers[i].name, *v = m->headers[i].value;
        char c0 = (char)tolower((unsigned char)n[0]);
        if (c0 != 'a' && c0 != 'x' && c0 != 'p')
            continue; /* every rule's header starts with A, X or P */
        first_token(v, tok, sizeof tok);
        for (size_t k = 0; k < sizeof any_but_no / sizeof *any_but_no; k++)
            if (!strcasecmp(n, any_but_no[k]) && strcmp(tok, "no") != 0)
                snprintf(reason, sizeof reason, "%s: %.120s", any_but_no[k], v);
        if (reason[0])
            break;
        if ((!strcasecmp(n, "Precedence") || !strcasecmp(n, "X-Precedence")) &&
            (!strcmp(tok, "auto_reply") || !strcmp(tok, "bulk") || !strcmp(tok, "junk")))
            snprintf(reason, sizeof reason, "%s: %s", n, tok);
        else if (!strcasecmp(n, "X-Autogenerated") && !strcmp(tok, "reply"))
            snprintf(reason, sizeof reason, "X-Autogenerated: %.120s", v);
        else if (!strcasecmp(n, "X-MS-Exchange-Inbox-Rules-Loop"))
            snprintf(reason, sizeof reason, "X-MS-Exchange-Inbox-Rules-Loop: %.120s", v);
        else if (!strcasecmp(n, "X-FC-MachineGenerated") && !strcmp(tok, "true"))
            snprintf(reason, sizeof reason, "X-FC-MachineGenerated: true");
        else if (!strcasecmp(n, "X-POST-MessageClass") && strstr(v, "Autoresponder"))
            snprintf(reason, sizeof reason, "X-POST-MessageClass: %.120s", v);
    }
    if (!reason[0] && m->subject) {
        static const char *const prefixes[] = {"Automatic reply:", "Auto reply:", "Auto-reply:",
                                               "Autoreply:", "Out of Office AutoReply:",
                                               "Out of Office:"};
        for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes && !reason[0]; k++)
            if (!strncasecmp(m->subject, prefixes[k], strlen(prefixes[k])))
                snprintf(reason, sizeof reason, "Subject starts with \"%s\"", prefixes[k]);
        if (!reason[0] && !strncmp(m->subject, "AUTO:", 5))
            snprintf(reason, sizeof reason, "Subject starts with \"AUTO:\"");
    }
    if (!reason[0] && c->read_receipt)
        snprintf(reason, sizeof reason,
                 "read receipt (multipart/report; report-type=disposition-notification)");
    if (!reason[0])
        return DOGE_OK;
    m->flags |= DOGE_MAIL_AUTO_REPLY;
    return keep_str(c, reason, &m->auto_reply);
}

/* ---- the entry point ------------------------------------------------------------------ */

/* Gives the buffers back to the thread (sc from ctx_borrow) or frees them. */
static void ctx_dispose(struct ctx *c, struct scratch *sc)
{
    doge_buf *v[SB_COUNT];
    ctx_bufs(c, v);
    for (int i = 0; i < SB_COUNT; i++) {
        if (!sc || v[i]->alloc > SCRATCH_KEEP)
            doge_buf_dispose(v[i]);
        if (sc) {
            doge_buf_reset(v[i]);
            sc->b[i] = *v[i];
        }
    }
    if (sc)
        sc->busy = 0;
}

/* Copies the message with CRLF as LF into a new GByteArray while hashing
 * exactly those bytes. */
static int normalise(struct scratch *sc, const char *s, size_t n, GByteArray **out,
                     uint8_t hash[32])
{
    GByteArray *a = g_byte_array_sized_new((guint)n);
    size_t i = 0, run = 0;
    while (i < n) {
        const char *cr = memchr(s + i, '\r', n - i);
        if (!cr)
            break;
        i = (size_t)(cr - s);
        if (i + 1 < n && s[i + 1] == '\n') {
            g_byte_array_append(a, (const guint8 *)s + run, (guint)(i - run));
            run = i + 1;
        }
        i++;
    }
    g_byte_array_append(a, (const guint8 *)s + run, (guint)(n - run));
    if (!sha256(sc, a->data, a->len, hash)) {
        g_byte_array_unref(a);
        return doge__error_set(DOGE_ECRYPTO, "mail: SHA-256 failed");
    }
    *out = a;
    return DOGE_OK;
}

/* The leading mbox "From " line, which is not part of the message. */
static size_t from_line(const char *s, size_t len)
{
    if (len < 5 || memcmp(s, "From ", 5) != 0)
        return 0;
    const char *nl = memchr(s, '\n', len);
    return nl ? (size_t)(nl - s) + 1 : len;
}

int doge_mail_hash_raw(const void *bytes, size_t len, uint8_t *out)
{
    const char *s = bytes;
    size_t skip = s ? from_line(s, len) : 0;
    s += skip;
    len -= skip;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
    /* the bytes normalise() keeps: every CR that starts a CRLF dropped */
    size_t i = 0, run = 0;
    while (ok && i < len) {
        const char *cr = memchr(s + i, '\r', len - i);
        if (!cr)
            break;
        i = (size_t)(cr - s);
        if (i + 1 < len && s[i + 1] == '\n') {
            ok = EVP_DigestUpdate(ctx, s + run, i - run) == 1;
            run = i + 1;
        }
        i++;
    }
    unsigned int hl = 0;
    if (ok)
        ok = EVP_DigestUpdate(ctx, s + run, len - run) == 1 &&
             EVP_DigestFinal_ex(ctx, out, &hl) == 1 && hl == 32;
    EVP_MD_CTX_free(ctx);
    return ok ? DOGE_OK : doge__error_set(DOGE_ECRYPTO, "mail: SHA-256 failed");
}

/* Forgets what a declined fast parse put into c and its doge_mail (the
 * arena's strings stay until the mail is freed). */
static void ctx_restart(struct ctx *c)
{
    doge_mail *m = c->m;
    doge_arena *arena = m->arena;
    uint8_t hash[DOGE_MAIL_HASH_SIZE];
    memcpy(hash, m->hash, sizeof hash);
    memset(m, 0, sizeof *m);
    m->arena = arena;
    memcpy(m->hash, hash, sizeof hash);
    m->date = m->received = DOGE_MAIL_DATE_UNKNOWN;
    doge_buf_reset(&c->notes);
    doge_buf_reset(&c->body);
    doge_buf_reset(&c->atts);
    doge_buf_reset(&c->dsn);
    c->body_found = c->is_dsn_report = c->dsn_parsed = c->read_receipt = c->multiparts = 0;
}

int doge_mail_parse(const void *bytes, size_t len, doge_mail **out)
{
    return doge__mail_parse_mode(bytes, len, DOGE__MAIL_AUTO, out);
}

int doge__mail_parse_mode(const void *bytes, size_t len, int mode, doge_mail **out)
{
    if (!out)
        return doge__error_set(DOGE_EINVAL, "mail: no place for the result");
    *out = NULL;
    if (!bytes)
        return doge__error_set(DOGE_EINVAL, "mail: no message bytes");
    if (len > DOGE_MAIL_MAX_SIZE)
        return doge__error_set(DOGE_ELIMIT, "mail: the message is %zu bytes, over the %zu-byte cap",
                               len, DOGE_MAIL_MAX_SIZE);
    const char *s = bytes;
    size_t skip = from_line(s, len);
    s += skip;
    len -= skip;
    size_t k = 0;
    while (k < len && (s[k] == '\r' || s[k] == '\n' || s[k] == ' ' || s[k] == '\t'))
        k++;
    if (k == len)
        return doge__error_set(DOGE_EINVAL, "mail: the message is empty");

    pthread_once(&gmime_once, gmime_setup);
    doge_mail *m = calloc(1, sizeof *m);
    if (!m)
        return doge__error_oom();
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.m = m;
    struct scratch *sc = ctx_borrow(&c);
    m->date = m->received = DOGE_MAIL_DATE_UNKNOWN;
    int rc = DOGE_OK;
    if (sc && sc->spare) {
        m->arena = sc->spare;
        sc->spare = NULL;
    } else
        rc = doge_arena_new(&m->arena, MAIL_ARENA_CHUNK, 0);
    /* The message with CRLF as LF: a copy only when it has a CR (GMime
     * takes one of its own below when it is needed). */
    GByteArray *arr = NULL;
    const char *text = s;
    size_t text_len = len;
    if (rc == DOGE_OK && memchr(s, '\r', len)) {
        if ((rc = normalise(thread_scratch(), s, len, &arr, m->hash)) == DOGE_OK) {
            text = (const char *)arr->data;
            text_len = arr->len;
        }
    } else if (rc == DOGE_OK) {
        if (!sha256(thread_scratch(), s, len, m->hash))
            rc = doge__error_set(DOGE_ECRYPTO, "mail: SHA-256 failed");
    }
    int declined = 0;
    if (rc == DOGE_OK && mode != DOGE__MAIL_GMIME) {
        int f = parse_fast(&c, text, text_len);
        if (f == DOGE_OK)
            m->fast = 1;
        else if (f < 0)
            rc = f;
        else {
            ctx_restart(&c);
            declined = mode == DOGE__MAIL_FAST;
        }
    }
    if (rc == DOGE_OK && !m->fast && !declined) {
        if (!arr) {
            arr = g_byte_array_sized_new((guint)len);
            g_byte_array_append(arr, (const guint8 *)s, (guint)len);
        }
        c.raw = (const char *)arr->data; /* valid while stream (below) lives */
        c.raw_len = arr->len;
        /* a header section must end in an empty line (or the message starts
         * with one) */
        if (!(c.raw_len && c.raw[0] == '\n') && !find_bytes(c.raw, c.raw_len, "\n\n", 2))
            rc = doge__mail_note(&c.notes, "no empty line after the header section (message "
                                           "cut off?)");
        GMimeStream *stream = g_mime_stream_mem_new_with_byte_array(arr); /* takes arr */
        arr = NULL;
        GMimeMessage *msg = NULL;
        if (rc == DOGE_OK) {
            GMimeParser *parser = g_mime_parser_new_with_stream(stream);
            g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
            msg = g_mime_parser_construct_message(parser, parser_options);
            g_object_unref(parser);
            if (!msg)
                rc = doge__error_set(DOGE_EINVAL, "mail: no message header section found");
        }
        if (rc == DOGE_OK)
            rc = header_facts(&c, msg);
        if (rc == DOGE_OK)
            rc = walk(&c, g_mime_message_get_mime_part(msg), 0, 1, 0);
        if (msg)
            g_object_unref(msg);
        g_object_unref(stream);
    }
    if (arr)
        g_byte_array_unref(arr);
    if (declined) {
        ctx_dispose(&c, sc);
        doge_mail_free(m);
        return DOGE__FM_DECLINE;
    }
    c.raw = NULL;
    if (rc == DOGE_OK)
        rc = detect_auto_reply(&c);
    if (rc == DOGE_OK) {
        char *body;
        rc = doge_arena_strndup(m->arena, doge_buf_cstr(&c.body), c.body.len, &body);
        m->body = body;
        m->body_len = c.body.len;
    }
    if (rc == DOGE_OK && !m->body_charset)
        m->body_charset = "";
    if (rc == DOGE_OK)
        rc = finish_array(&c, &c.atts, sizeof(doge_mail_attachment), (void **)&m->atts, &m->natts);
    if (rc == DOGE_OK)
        rc = finish_array(&c, &c.dsn, sizeof(doge_mail_dsn_recipient), (void **)&m->dsn,
                          &m->ndsn);
    if (rc == DOGE_OK && m->natts)
        m->flags |= DOGE_MAIL_ATTACHMENTS;
    if (rc == DOGE_OK && c.notes.len)
        m->flags |= DOGE_MAIL_MALFORMED;
    if (rc == DOGE_OK)
        rc = keep(&c, doge_buf_cstr(&c.notes), c.notes.len, &m->problems);
    ctx_dispose(&c, sc);
    if (rc != DOGE_OK) {
        doge_mail_free(m);
        return rc;
    }
    *out = m;
    return DOGE_OK;
}

void doge_mail_free(doge_mail *m)
{
    if (!m)
        return;
    struct scratch *sc = thread_scratch();
    if (sc && !sc->spare && m->arena) {
        doge_arena_reset(m->arena); /* kept for the thread's next parse */
        sc->spare = m->arena;
    } else
        doge_arena_free(m->arena);
    free(m);
}

/* ---- accessors ------------------------------------------------------------------------- */

unsigned doge_mail_flags(const doge_mail *m) { return m->flags; }
int doge__mail_was_fast(const doge_mail *m) { return m->fast; }
const uint8_t *doge_mail_hash(const doge_mail *m) { return m->hash; }
const char *doge_mail_message_id(const doge_mail *m) { return m->message_id; }
const char *doge_mail_in_reply_to(const doge_mail *m) { return m->in_reply_to; }
const char *doge_mail_subject(const doge_mail *m) { return m->subject ? m->subject : ""; }
int64_t doge_mail_date(const doge_mail *m) { return m->date; }
int64_t doge_mail_received(const doge_mail *m) { return m->received; }
const char *doge_mail_body_charset(const doge_mail *m) { return m->body_charset; }
const char *doge_mail_auto_reply(const doge_mail *m) { return m->auto_reply; }
const char *doge_mail_dsn_original_id(const doge_mail *m) { return m->dsn_original_id; }
const char *doge_mail_problems(const doge_mail *m) { return m->problems ? m->problems : ""; }

const char *const *doge_mail_references(const doge_mail *m, size_t *n)
{
    *n = m->nrefs;
    return m->refs;
}

const doge_mail_address *doge_mail_from(const doge_mail *m)
{
    return m->naddrs[DOGE_MAIL_FROM] ? &m->addrs[DOGE_MAIL_FROM][0] : NULL;
}

const doge_mail_address *doge_mail_addresses(const doge_mail *m, doge_mail_field field,
                                             size_t *n)
{
    if ((int)field < 0 || field >= DOGE_MAIL_FIELD_COUNT) {
        *n = 0;
        return NULL;
    }
    *n = m->naddrs[field];
    return m->addrs[field];
}

const char *doge_mail_header(const doge_mail *m, const char *name)
{
    /* the first call may make the fast reader's name/value pairs: a mail
     * is not shared between threads while it is read (mail.h) */
    if (!name || headers_ready((doge_mail *)m) != DOGE_OK)
        return NULL;
    for (size_t i = 0; i < m->nheaders; i++)
        if (!strcasecmp(m->headers[i].name, name))
            return m->headers[i].value;
    return NULL;
}

const char *doge_mail_body(const doge_mail *m, size_t *len)
{
    if (len)
        *len = m->body_len;
    return m->body;
}

const doge_mail_attachment *doge_mail_attachments(const doge_mail *m, size_t *n)
{
    *n = m->natts;
    return m->atts;
}

const doge_mail_dsn_recipient *doge_mail_dsn_recipients(const doge_mail *m, size_t *n)
{
    *n = m->ndsn;
    return m->dsn;
}
