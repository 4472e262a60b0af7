/*
 * item.c — the steps of reviewing one reply, shared by the week's review
 * (week.c, many replies on several threads) and the review of a single new
 * reply (reply.c, doge serve's form): the stored bullets joined into one
 * text, each bullet classified (category, confidence, specificity and its
 * features, kept compactly as the row's "bullets"), the model's id, and
 * the review_reply row written with the score.c rules (vague, priority,
 * the five-second note). Nothing here knows about clusters except the
 * cluster fields the caller set on the item.
 */
#include "internal.h"
#include "pipeline.h"

#include <jansson.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int doge__review_bullets_join(const char *bullets_json, int64_t reply_id, doge_buf *out)
{
    doge_buf_reset(out);
    json_t *arr = json_loads(bullets_json ? bullets_json : "", 0, NULL);
    if (!json_is_array(arr)) {
        json_decref(arr);
        return doge__error_set(DOGE_EINVAL, "reply %lld: its stored bullets are not a JSON array",
                               (long long)reply_id);
    }
    int rc = DOGE_OK;
    size_t k;
    json_t *v;
    json_array_foreach(arr, k, v) {
        const char *t = json_string_value(v);
        if (!t)
            continue;
        if (out->len)
            rc = doge_buf_append(out, "\n", 1);
        size_t at = out->len;
        if (rc == DOGE_OK)
            rc = doge_buf_append_str(out, t);
        for (size_t c = at; rc == DOGE_OK && c < out->len; c++)
            if (out->data[c] == '\n' || out->data[c] == '\r')
                out->data[c] = ' ';
        if (rc)
            break;
    }
    json_decref(arr);
    return rc;
}

int doge__review_item_classify(const doge_review_model *m, doge__review_item *it)
{
    doge_buf b;
    doge_buf_init(&b, (size_t)1 << 20);
    int rc = doge_buf_append_str(&b, "[");
    double spec = 0;
    const char *p = it->text, *end = it->text + it->len;
    int nb = 0;
    while (rc == DOGE_OK && p < end) {
        const char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e)
            e = end;
        doge_review_result res;
        if ((rc = doge_review_classify(m, p, (size_t)(e - p), &res)))
            break;
        it->r.cat_count[res.category]++;
        if (res.specificity < DOGE__REVIEW_VAGUE_SPEC || res.category == DOGE_REVIEW_UNSPECIFIED)
            it->r.vague_bullets++;
        spec += res.specificity;
        char one[96];
        snprintf(one, sizeof one, "%s[%d,%d,%d,%u]", nb ? "," : "", res.category,
                 (int)(res.confidence * 1000 + 0.5f), (int)(res.specificity * 1000 + 0.5f),
                 (unsigned)res.spec_features);
        rc = doge_buf_append_str(&b, one);
        nb++;
        p = e + 1;
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_char(&b, ']');
    if (rc == DOGE_OK)
        rc = doge_buf_detach(&b, &it->bullets, NULL);
    doge_buf_dispose(&b);
    if (rc)
        return rc;
    it->r.bullet_count = nb;
    it->r.specificity = nb ? spec / nb : 0;
    return DOGE_OK;
}

int doge__review_model_id(doge_workspace *ws, char out[17])
{
    char path[4096];
    char *data;
    size_t len;
    int rc = doge__review_model_path(ws, path, sizeof path);
    if (rc || (rc = doge__file_read(path, (size_t)64 << 20, &data, &len)))
        return rc;
    unsigned char h[32];
    SHA256((const unsigned char *)data, len, h);
    free(data);
    for (int i = 0; i < 8; i++)
        snprintf(out + 2 * i, 3, "%02x", h[i]);
    return DOGE_OK;
}

int doge__review_row_prepare(doge_store *st, doge_stmt **ins)
{
    return doge_store_prepare(
        st, ins,
        "INSERT OR REPLACE INTO review_reply (reply_id, week, employee_id, department,"
        " bullet_count, vague, specificity, top_category, bullets, cluster_id, duplicate_of,"
        " flags, priority, note, model, reviewed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
}

int doge__review_row_write(doge_stmt *ins, const char *week, const doge__review_item *it,
                           const char *model, int64_t now, int pending_copy_check, int *vague,
                           int *priority)
{
    const doge__review_reply *r = &it->r;
    int v = doge__review_is_vague(r), prio = doge__review_priority(r);
    int top = DOGE_REVIEW_UNSPECIFIED;
    for (int c = 0; c < DOGE_REVIEW_NCATEGORIES; c++)
        if (r->cat_count[c] > r->cat_count[top] ||
            (r->cat_count[c] == r->cat_count[top] && r->cat_count[c] && c < top))
            top = c;
    char note[512];
    doge__review_note(r, note, sizeof note);
    if (pending_copy_check) {
        size_t n = strlen(note);
        snprintf(note + n, sizeof note - n, "; copy-paste check at the week's next review");
    }
    doge_stmt_reset(ins);
    doge_stmt_bind_int64(ins, 1, it->id);
    doge_stmt_bind_text(ins, 2, week, -1);
    doge_stmt_bind_text(ins, 3, it->employee, -1);
    doge_stmt_bind_text(ins, 4, it->dept, -1);
    doge_stmt_bind_int64(ins, 5, r->bullet_count);
    doge_stmt_bind_int64(ins, 6, v);
    doge_stmt_bind_int64(ins, 7, (int64_t)(r->specificity * 1000 + 0.5));
    doge_stmt_bind_text(ins, 8, doge_review_category_name(top), -1);
    doge_stmt_bind_text(ins, 9, it->bullets ? it->bullets : "[]", -1);
    if (it->cluster_id)
        doge_stmt_bind_int64(ins, 10, it->cluster_id);
    else
        doge_stmt_bind_null(ins, 10);
    if (r->duplicate_of)
        doge_stmt_bind_int64(ins, 11, r->duplicate_of);
    else
        doge_stmt_bind_null(ins, 11);
    doge_stmt_bind_text(ins, 12, it->flags, -1);
    doge_stmt_bind_int64(ins, 13, prio);
    doge_stmt_bind_text(ins, 14, note, -1);
    doge_stmt_bind_text(ins, 15, model, -1);
    doge_stmt_bind_int64(ins, 16, now);
    int rc = doge_stmt_step(ins);
    if (rc < 0)
        return rc;
    if (vague)
        *vague = v;
    if (priority)
        *priority = prio;
    return DOGE_OK;
}
