/*
 * spend_report.c — the writing steps the spend reports (audit and receipts)
 * share: an HTML table row of escaped cells, a chart inside its figure, the
 * end of a page (its foot, written atomically, the buffer disposed), and a
 * ledger record (one JSON object with its kind and run, compact with sorted
 * keys, as jansson writes it).
 */
#include "doge/svg.h"
#include "internal.h"
#include "spend/spend_internal.h"

#include <jansson.h>
#include <stdlib.h>

int doge__spend_html_row(doge_buf *b, const char *const *cells, const int *num, int n)
{
    int rc = doge_buf_append_str(b, "<tr>");
    for (int i = 0; i < n && rc == DOGE_OK; i++) {
        rc = doge_buf_append_str(b, num && num[i] ? "<td class=\"n\">" : "<td>");
        if (rc == DOGE_OK)
            rc = doge__spend_html_text(b, cells[i]);
        if (rc == DOGE_OK)
            rc = doge_buf_append_str(b, "</td>");
    }
    if (rc == DOGE_OK)
        rc = doge_buf_append_str(b, "</tr>\n");
    return rc;
}

int doge__spend_html_figure(doge_buf *b, const char *before, const doge_svg_chart *c)
{
    int rc;
    if ((rc = doge_buf_append_str(b, before)) == DOGE_OK &&
        (rc = doge_buf_append_str(b, "<figure>")) == DOGE_OK &&
        (rc = doge_svg_bar_chart(b, c)) == DOGE_OK)
        rc = doge_buf_append_str(b, "</figure>\n");
    return rc;
}

int doge__spend_html_finish(doge_buf *b, int rc, const char *path)
{
    if (rc == DOGE_OK)
        rc = doge__spend_html_foot(b);
    if (rc == DOGE_OK)
        rc = doge__file_write_atomic(path, b->data, b->len, 0644);
    doge_buf_dispose(b);
    return rc;
}

int doge__spend_record(struct json_t *o, const char *kind, const char *run, doge_buf *out)
{
    json_object_set_new(o, "kind", json_string(kind));
    if (run)
        json_object_set_new(o, "run", json_string(run));
    char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    if (!s)
        return doge__error_oom();
    doge_buf_reset(out);
    int rc = doge_buf_append_str(out, s);
    free(s);
    return rc;
}
