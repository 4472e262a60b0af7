/*
 * mail_office.c — reads the two Microsoft formats replies arrive in when the
 * bullets are not in the mail body: the text of a Word .docx attachment and
 * the contents of a TNEF (winmail.dat) attachment.
 *
 * A .docx is a zip; its text is in word/document.xml, normally DEFLATE
 * compressed. Rather than bring in zlib or minizip, the entry is inflated by
 * GMime's gunzip filter (which wraps zlib): a gzip member is raw DEFLATE data
 * behind a 10-byte header, so the zip entry is fed to the filter behind a
 * made-up header. The filter is driven without its flush mode so that each
 * call's output is bounded and a zip bomb stops at the caller's cap. The XML
 * is then read for its text runs (w:t), tabs and breaks, one line a
 * paragraph, "• " before paragraphs with list numbering (w:numPr).
 *
 * TNEF ([MS-OXTNEF]) is a sequence of attributes after a signature; the
 * reader keeps the message body (attBody, or PR_BODY in the MAPI properties)
 * and each attached file's name (PR_ATTACH_LONG_FILENAME, else attAttachTitle)
 * and bytes (attAttachData, else PR_ATTACH_DATA_OBJ). Checksums are not
 * verified; RTF bodies (compressed RTF) are not decoded.
 */
#include "mail_internal.h"

#include <gmime/gmime.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- inflate -------------------------------------------------------------- */

int doge__mail_inflate(doge_buf *out, const uint8_t *in, size_t len, size_t max)
{
    GMimeFilter *f = g_mime_filter_gzip_new(GMIME_FILTER_GZIP_MODE_UNZIP, 0);
    if (!f)
        return doge__error_set(DOGE_ERROR, "mail: cannot start an inflate filter");
    /* a minimal gzip header: magic, deflate, no flags, no time, unknown OS */
    char hdr[10] = {0x1f, (char)0x8b, 8, 0, 0, 0, 0, 0, 0, (char)0xff};
    char *o;
    size_t olen, opre, start = out->len;
    int rc = DOGE_OK;
    g_mime_filter_filter(f, hdr, sizeof hdr, 0, &o, &olen, &opre);
    /* the filter reads but never writes its input */
    g_mime_filter_filter(f, (char *)in, len, 0, &o, &olen, &opre);
    for (;;) {
        if (olen > max - (out->len - start)) {
            rc = doge__error_set(DOGE_ELIMIT, "mail: compressed data inflates past %zu bytes",
                                 max);
            break;
        }
        rc = doge_buf_append(out, o, olen);
        if (rc != DOGE_OK || olen == 0)
            break;
        g_mime_filter_filter(f, hdr, 0, 0, &o, &olen, &opre); /* drain what is backed up */
    }
    g_object_unref(f);
    return rc;
}

/* ---- zip and docx --------------------------------------------------------- */

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Finds entry name in the zip and appends its uncompressed bytes to out. */
static int zip_extract(doge_buf *out, const uint8_t *z, size_t len, const char *name, size_t max)
{
    if (len < 22)
        return doge__error_set(DOGE_EINVAL, "docx: %zu bytes is too short for a zip", len);
    size_t eocd = 0;
    int found = 0;
    size_t lowest = len > 22 + 65535 ? len - 22 - 65535 : 0;
    for (size_t i = len - 22 + 1; i-- > lowest;)
        if (le32(z + i) == 0x06054b50) {
            eocd = i;
            found = 1;
            break;
        }
    if (!found)
        return doge__error_set(DOGE_EINVAL, "docx: not a zip (no end of central directory)");
    size_t entries = le16(z + eocd + 10), cd = le32(z + eocd + 16);
    size_t nlen = strlen(name);
    for (size_t e = 0; e < entries; e++) {
        if (cd > len || len - cd < 46 || le32(z + cd) != 0x02014b50)
            return doge__error_set(DOGE_EINVAL, "docx: zip central directory entry %zu is "
                                                "damaged", e);
        unsigned flags = le16(z + cd + 8), method = le16(z + cd + 10);
        size_t csize = le32(z + cd + 20), usize = le32(z + cd + 24);
        size_t fl = le16(z + cd + 28), xl = le16(z + cd + 30), cl = le16(z + cd + 32);
        size_t local = le32(z + cd + 42);
        if (len - cd - 46 < fl)
            return doge__error_set(DOGE_EINVAL, "docx: zip entry %zu name is cut off", e);
        if (fl != nlen || memcmp(z + cd + 46, name, nlen) != 0) {
            cd += 46 + fl + xl + cl;
            continue;
        }
        if (flags & 1)
            return doge__error_set(DOGE_EINVAL, "docx: %s is encrypted", name);
        if (local > len || len - local < 30 || le32(z + local) != 0x04034b50)
            return doge__error_set(DOGE_EINVAL, "docx: local header of %s is damaged", name);
        size_t data = local + 30 + le16(z + local + 26) + le16(z + local + 28);
        if (data > len || len - data < csize)
            return doge__error_set(DOGE_EINVAL, "docx: %s is cut off", name);
        if (usize > max)
            return doge__error_set(DOGE_ELIMIT, "docx: %s is %zu bytes, over the %zu cap", name,
                                   usize, max);
        size_t before = out->len;
        int rc;
        if (method == 0)
            rc = doge_buf_append(out, z + data, csize);
        else if (method == 8)
            rc = doge__mail_inflate(out, z + data, csize, max);
        else
            return doge__error_set(DOGE_EINVAL, "docx: %s uses compression method %u", name,
                                   method);
        if (rc != DOGE_OK)
            return rc;
        size_t got = out->len - before;
        if (got != usize) {
            doge_buf_truncate(out, before);
            return doge__error_set(DOGE_EINVAL, "docx: %s is corrupt (%zu bytes, expected %zu)",
                                   name, got, usize);
        }
        return DOGE_OK;
    }
    return doge__error_set(DOGE_EINVAL, "docx: the zip has no %s", name);
}

/* The local part of an XML name ("w:t" -> "t"). */
static const char *local_name(const char *qname)
{
    const char *c = strchr(qname, ':');
    return c ? c + 1 : qname;
}

static int docx_xml_text(doge_buf *out, const char *x, size_t n)
{
    int rc = DOGE_OK, in_t = 0, in_r = 0, numbered = 0, para_text = 0, in_p = 0;
    size_t i = 0;
    while (rc == DOGE_OK && i < n) {
        if (x[i] == '<') {
            const char *gt = memchr(x + i, '>', n - i);
            if (!gt)
                break;
            size_t j = i + 1;
            int closing = 0;
            if (j < n && x[j] == '/') {
                closing = 1;
                j++;
            }
            char qname[48];
            size_t k = 0;
            while (x + j < gt && x[j] != ' ' && x[j] != '/' && x[j] != '\t' && x[j] != '\n' &&
                   x[j] != '\r') {
                if (k + 1 < sizeof qname)
                    qname[k++] = x[j];
                j++;
            }
            qname[k] = '\0';
            int selfclose = gt > x + i && gt[-1] == '/';
            i = (size_t)(gt - x) + 1;
            if (qname[0] == '?' || qname[0] == '!')
                continue;
            const char *ln = local_name(qname);
            if (!strcmp(ln, "p")) {
                if (!closing) {
                    in_p = 1;
                    numbered = para_text = 0;
                }
                if (closing || selfclose) {
                    rc = doge_buf_append_char(out, '\n');
                    in_p = 0;
                }
            } else if (!strcmp(ln, "numPr") && !closing && in_p)
                numbered = 1;
            else if (!strcmp(ln, "r"))
                in_r = !closing && !selfclose;
            else if (!strcmp(ln, "t"))
                in_t = !closing && !selfclose;
            else if (in_r && !closing && (!strcmp(ln, "tab") || !strcmp(ln, "br") ||
                                          !strcmp(ln, "cr"))) {
                if (numbered && !para_text) {
                    rc = doge_buf_append_str(out, "\xE2\x80\xA2 ");
                    para_text = 1;
                }
                if (rc == DOGE_OK)
                    rc = doge_buf_append_char(out, ln[0] == 't' ? '\t' : '\n');
            }
            continue;
        }
        const char *lt = memchr(x + i, '<', n - i);
        size_t end = lt ? (size_t)(lt - x) : n;
        if (!in_t) {
            i = end;
            continue;
        }
        if (numbered && !para_text) {
            rc = doge_buf_append_str(out, "\xE2\x80\xA2 ");
            para_text = 1;
        }
        while (rc == DOGE_OK && i < end) {
            const char *amp = memchr(x + i, '&', end - i);
            size_t stop = amp ? (size_t)(amp - x) : end;
            rc = doge_buf_append(out, x + i, stop - i);
            i = stop;
            if (rc == DOGE_OK && i < end) {
                long used = doge__mail_entity(out, x + i, end - i, 0);
                if (used < 0)
                    rc = (int)used;
                else if (used == 0) {
                    rc = doge_buf_append_char(out, '&');
                    i++;
                } else
                    i += (size_t)used;
            }
        }
        para_text = 1;
    }
    return rc;
}

int doge__mail_docx_text(doge_buf *out, const uint8_t *zip, size_t len, size_t max)
{
    doge_buf xml, text;
    doge_buf_init(&xml, max);
    doge_buf_init(&text, max);
    int rc = zip_extract(&xml, zip, len, "word/document.xml", max);
    if (rc == DOGE_OK)
        rc = docx_xml_text(&text, doge_buf_cstr(&xml), xml.len);
    /* drop trailing empty paragraphs, then clean the text as UTF-8 */
    size_t keep = text.len;
    while (keep > 0 && (text.data[keep - 1] == '\n' || text.data[keep - 1] == ' '))
        keep--;
    if (rc == DOGE_OK && keep)
        rc = doge__mail_to_utf8(out, "utf-8", text.data, keep, NULL);
    if (rc == DOGE_OK && keep)
        rc = doge_buf_append_char(out, '\n');
    doge_buf_dispose(&xml);
    doge_buf_dispose(&text);
    return rc;
}

/* ---- TNEF ------------------------------------------------------------------ */

#define TNEF_SIGNATURE 0x223E9F78u
#define ATT_BODY 0x0002800Cu
#define ATT_MSG_PROPS 0x00069003u
#define ATT_OEM_CODEPAGE 0x00069007u
#define ATT_ATTACH_REND_DATA 0x00069002u
#define ATT_ATTACH_TITLE 0x00018010u
#define ATT_ATTACH_DATA 0x0006800Fu
#define ATT_ATTACHMENT 0x00069005u

#define PR_BODY 0x1000u
#define PR_ATTACH_DATA_OBJ 0x3701u
#define PR_ATTACH_FILENAME 0x3704u
#define PR_ATTACH_LONG_FILENAME 0x3707u

#define PT_STRING8 0x001Eu
#define PT_UNICODE 0x001Fu
#define PT_BINARY 0x0102u
#define PT_OBJECT 0x000Du

/* Work state while reading: names and bodies are converted as they come. */
struct tnef_read {
    doge__tnef *t;
    char charset[16];   /* of 8-bit strings, from attOemCodepage */
    size_t cap;         /* allocated entries of t->files / t->names */
    int cur;            /* index of the attachment being read, -1 before one */
    int have_long[64];  /* whether a long name was set, for the first 64 files */
    int body_from_props;
};

static int tnef_new_file(struct tnef_read *r)
{
    doge__tnef *t = r->t;
    if (t->nfiles == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 4;
        if (ncap > 4096)
            return doge__error_set(DOGE_ELIMIT, "tnef: more than 4096 attachments");
        doge__tnef_file *nf = realloc(t->files, ncap * sizeof *nf);
        if (!nf)
            return doge__error_oom();
        t->files = nf;
        char **nn = realloc(t->names, ncap * sizeof *nn);
        if (!nn)
            return doge__error_oom();
        t->names = nn;
        r->cap = ncap;
    }
    t->files[t->nfiles].name = "";
    t->files[t->nfiles].data = NULL;
    t->files[t->nfiles].len = 0;
    t->names[t->nfiles] = NULL;
    if (t->nfiles < 64)
        r->have_long[t->nfiles] = 0;
    r->cur = (int)t->nfiles++;
    return DOGE_OK;
}

/* Converts a TNEF string (8-bit in the code page, or UTF-16LE) to malloc'd
 * UTF-8 without trailing NULs. */
static int tnef_string(struct tnef_read *r, const uint8_t *p, size_t n, int unicode, char **out)
{
    doge_buf b;
    doge_buf_init(&b, 0);
    if (unicode) {
        while (n >= 2 && p[n - 1] == 0 && p[n - 2] == 0)
            n -= 2;
    } else {
        while (n > 0 && p[n - 1] == 0)
            n--;
    }
    int rc = doge__mail_to_utf8(&b, unicode ? "UTF-16LE" : r->charset, (const char *)p, n, NULL);
    if (rc == DOGE_OK)
        rc = doge_buf_detach(&b, out, NULL);
    doge_buf_dispose(&b);
    return rc;
}

static int set_name(struct tnef_read *r, char *name, int is_long)
{
    doge__tnef *t = r->t;
    size_t c = (size_t)r->cur;
    if (!is_long && c < 64 && r->have_long[c]) {
        free(name);
        return DOGE_OK;
    }
    free(t->names[c]);
    t->names[c] = name;
    t->files[c].name = name;
    if (is_long && c < 64)
        r->have_long[c] = 1;
    return DOGE_OK;
}

/* Reads a MAPI property list (attMsgProps or attAttachment). */
static int tnef_props(struct tnef_read *r, const uint8_t *p, size_t n, int attachment)
{
    if (n < 4)
        return DOGE_OK;
    uint32_t count = le32(p);
    size_t off = 4;
    for (uint32_t k = 0; k < count; k++) {
        if (n - off < 4)
            return doge__error_set(DOGE_EINVAL, "tnef: property %u is cut off", k);
        unsigned type = le16(p + off), id = le16(p + off + 2);
        off += 4;
        if (id >= 0x8000) { /* named property: GUID, kind, id or name */
            if (n - off < 20)
                return doge__error_set(DOGE_EINVAL, "tnef: named property %u is cut off", k);
            uint32_t kind = le32(p + off + 16);
            off += 20;
            if (n - off < 4)
                return doge__error_set(DOGE_EINVAL, "tnef: named property %u is cut off", k);
            if (kind == 0)
                off += 4;
            else {
                size_t nl = le32(p + off);
                off += 4;
                nl = (nl + 3) & ~(size_t)3;
                if (nl > n - off)
                    return doge__error_set(DOGE_EINVAL, "tnef: property name %u is cut off", k);
                off += nl;
            }
        }
        int multi = (type & 0x1000) != 0;
        unsigned base = type & 0x0FFF;
        int variable = base == PT_STRING8 || base == PT_UNICODE || base == PT_BINARY ||
                       base == PT_OBJECT;
        size_t fixed;
        switch (base) {
        case 0x0002: case 0x0003: case 0x0004: case 0x000A: case 0x000B: case 0x0001:
        case 0x0000:
            fixed = 4;
            break;
        case 0x0005: case 0x0006: case 0x0007: case 0x0014: case 0x0040:
            fixed = 8;
            break;
        case 0x0048:
            fixed = 16;
            break;
        default:
            fixed = 0;
        }
        if (!variable && !fixed)
            return doge__error_set(DOGE_EINVAL, "tnef: property type 0x%04x is unknown", base);
        uint32_t values = 1;
        if (multi || variable) {
            if (n - off < 4)
                return doge__error_set(DOGE_EINVAL, "tnef: property %u is cut off", k);
            values = le32(p + off);
            off += 4;
        }
        for (uint32_t v = 0; v < values; v++) {
            if (!variable) {
                if (fixed > n - off)
                    return doge__error_set(DOGE_EINVAL, "tnef: property %u is cut off", k);
                off += fixed;
                continue;
            }
            if (n - off < 4)
                return doge__error_set(DOGE_EINVAL, "tnef: property %u is cut off", k);
            size_t vl = le32(p + off);
            off += 4;
            if (vl > n - off)
                return doge__error_set(DOGE_EINVAL, "tnef: property %u value is cut off", k);
            const uint8_t *val = p + off;
            off += (vl + 3) & ~(size_t)3;
            if (off > n)
                off = n;
            if (multi || v > 0)
                continue;
            int rc = DOGE_OK;
            char *s = NULL;
            if (!attachment && id == PR_BODY && (base == PT_STRING8 || base == PT_UNICODE)) {
                rc = tnef_string(r, val, vl, base == PT_UNICODE, &s);
                if (rc == DOGE_OK) {
                    free(r->t->body);
                    r->t->body = s;
                    r->t->body_len = strlen(s);
                    r->body_from_props = 1;
                }
            } else if (attachment && r->cur >= 0 &&
                       (id == PR_ATTACH_LONG_FILENAME || id == PR_ATTACH_FILENAME) &&
                       (base == PT_STRING8 || base == PT_UNICODE)) {
                rc = tnef_string(r, val, vl, base == PT_UNICODE, &s);
                if (rc == DOGE_OK)
                    rc = set_name(r, s, id == PR_ATTACH_LONG_FILENAME);
            } else if (attachment && r->cur >= 0 && id == PR_ATTACH_DATA_OBJ &&
                       !r->t->files[r->cur].data) {
                size_t skip = base == PT_OBJECT ? 16 : 0; /* an object starts with its IID */
                if (vl >= skip) {
                    r->t->files[r->cur].data = val + skip;
                    r->t->files[r->cur].len = vl - skip;
                }
            }
            if (rc != DOGE_OK)
                return rc;
        }
    }
    return DOGE_OK;
}

int doge__mail_tnef_read(doge__tnef *t, const uint8_t *d, size_t len)
{
    memset(t, 0, sizeof *t);
    struct tnef_read r;
    memset(&r, 0, sizeof r);
    r.t = t;
    r.cur = -1;
    if (len < 6 || le32(d) != TNEF_SIGNATURE)
        return doge__error_set(DOGE_EINVAL, "tnef: no TNEF signature");
    size_t off = 6;
    while (off < len) {
        if (len - off < 9)
            return doge__error_set(DOGE_EINVAL, "tnef: attribute at offset %zu is cut off", off);
        uint32_t attr = le32(d + off + 1);
        size_t alen = le32(d + off + 5);
        off += 9;
        if (alen > len - off || len - off - alen < 2)
            return doge__error_set(DOGE_EINVAL, "tnef: attribute 0x%08x at offset %zu is cut "
                                                "off", (unsigned)attr, off - 9);
        const uint8_t *a = d + off;
        off += alen + 2; /* value and checksum */
        int rc = DOGE_OK;
        char *s = NULL;
        switch (attr) {
        case ATT_OEM_CODEPAGE:
            if (alen >= 4)
                snprintf(r.charset, sizeof r.charset, "cp%u", (unsigned)le32(a));
            break;
        case ATT_BODY:
            if (r.body_from_props)
                break;
            rc = tnef_string(&r, a, alen, 0, &s);
            if (rc == DOGE_OK) {
                free(t->body);
                t->body = s;
                t->body_len = strlen(s);
            }
            break;
        case ATT_MSG_PROPS:
            rc = tnef_props(&r, a, alen, 0);
            break;
        case ATT_ATTACH_REND_DATA:
            rc = tnef_new_file(&r);
            break;
        case ATT_ATTACH_TITLE:
        case ATT_ATTACH_DATA:
        case ATT_ATTACHMENT:
            if (r.cur < 0)
                rc = tnef_new_file(&r);
            if (rc != DOGE_OK)
                break;
            if (attr == ATT_ATTACH_TITLE) {
                rc = tnef_string(&r, a, alen, 0, &s);
                if (rc == DOGE_OK)
                    rc = set_name(&r, s, 0);
            } else if (attr == ATT_ATTACH_DATA) {
                t->files[r.cur].data = a;
                t->files[r.cur].len = alen;
            } else
                rc = tnef_props(&r, a, alen, 1);
            break;
        default:
            break;
        }
        if (rc != DOGE_OK)
            return rc;
    }
    return DOGE_OK;
}

void doge__mail_tnef_dispose(doge__tnef *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nfiles; i++)
        free(t->names[i]);
    free(t->names);
    free(t->files);
    free(t->body);
    memset(t, 0, sizeof *t);
}
