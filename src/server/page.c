/*
 * page.c — the HTML pages of the employees' side of `doge serve` (the
 * reply form, the receipt, the appeal): one frame (the embedded stylesheet,
 * no script), never cached, and error pages that carry the HTTP status and
 * a plain sentence, so a person in a browser sees why and a client sees the
 * status.
 */
#include "server.h"

void doge__srv_page_open(doge_buf *b, const char *title)
{
    doge_buf_append_str(b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                           "<meta name=\"viewport\" content=\"width=device-width, "
                           "initial-scale=1\"><title>");
    doge__srv_html_escape(b, title);
    doge_buf_append_str(b, "</title><link rel=\"stylesheet\" href=\"/assets/style.css\">"
                           "<link rel=\"icon\" href=\"/assets/favicon.svg\"></head>"
                           "<body class=\"form-page\"><header><h1>doge pulse</h1></header><main>");
}

int doge__srv_page_close(doge_srv_resp *resp, int status, doge_buf *b)
{
    doge_buf_append_str(b, "</main></body></html>\n");
    doge__srv_text(resp, status, "text/html; charset=utf-8", b->data, b->len);
    doge__srv_resp_header(resp, "Cache-Control", "no-store");
    doge_buf_dispose(b);
    return 0;
}

int doge__srv_page_error(doge_srv_resp *resp, int status, const char *msg)
{
    doge_buf b;
    doge_buf_init(&b, 1u << 20);
    doge__srv_page_open(&b, doge__srv_reason(status));
    doge_buf_printf(&b, "<section class=\"error\" id=\"error\"><h2>%d %s</h2><p>", status,
                    doge__srv_reason(status));
    doge__srv_html_escape(&b, msg);
    doge_buf_append_str(&b, "</p></section>");
    return doge__srv_page_close(resp, status, &b);
}
