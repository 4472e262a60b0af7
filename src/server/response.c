/*
 * response.c — building the responses of `doge serve`: an empty 200 to
 * begin with, extra headers, text and JSON bodies, and the one shape every
 * error has: {"error": {"status": N, "reason": "...", "message": "..."}}
 * with Content-Type application/json, so clients and the dashboard read
 * every refusal the same way.
 */
#include "server.h"

#include "doge/common.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The largest body a handler builds in memory (files go by descriptor). */
#define BODY_MAX (16u << 20)

void doge__srv_resp_init(doge_srv_resp *resp)
{
    /* Not a memset of the whole struct: the header arrays are 4.5 KB and
     * this runs for every request. */
    resp->nheaders = 0;
    resp->fd_size = 0;
    resp->status = 200;
    resp->fd = -1;
    resp->content_type = "application/json";
    doge_buf_init(&resp->body, BODY_MAX);
}

void doge__srv_resp_dispose(doge_srv_resp *resp)
{
    doge_buf_dispose(&resp->body);
    if (resp->fd >= 0)
        close(resp->fd);
    resp->fd = -1;
}

static void copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

void doge__srv_resp_header(doge_srv_resp *resp, const char *name, const char *value)
{
    size_t i = 0;
    while (i < resp->nheaders && strcmp(resp->hname[i], name) != 0)
        i++;
    if (i == DOGE_SRV_MAX_HEADERS)
        return;
    if (i == resp->nheaders) {
        copy(resp->hname[i], sizeof resp->hname[i], name);
        resp->nheaders++;
    }
    copy(resp->hvalue[i], sizeof resp->hvalue[i], value);
}

const char *doge__srv_reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

int doge__srv_text(doge_srv_resp *resp, int status, const char *content_type, const char *text,
                   size_t len)
{
    if (resp->fd >= 0) {
        close(resp->fd);
        resp->fd = -1;
    }
    doge_buf_reset(&resp->body);
    resp->status = status;
    resp->content_type = content_type;
    if (doge_buf_append(&resp->body, text, len) != DOGE_OK) {
        doge_buf_reset(&resp->body);
        resp->status = 500;
        resp->content_type = "text/plain; charset=utf-8";
        doge_buf_append_str(&resp->body, "out of memory\n");
    }
    return 0;
}

int doge__srv_json(doge_srv_resp *resp, int status, json_t *v)
{
    char *s = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    if (!s)
        return doge__srv_text(resp, 500, "application/json",
                              "{\"error\":{\"status\":500,\"message\":\"out of memory\"}}", 52);
    doge__srv_text(resp, status, "application/json", s, strlen(s));
    doge_buf_append_char(&resp->body, '\n');
    free(s);
    return 0;
}

int doge__srv_error(doge_srv_resp *resp, int status, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_t *e = json_object(), *o = json_object();
    json_object_set_new(e, "status", json_integer(status));
    json_object_set_new(e, "reason", json_string(doge__srv_reason(status)));
    /* jansson refuses invalid UTF-8: a message quoting hostile input falls
     * back to the reason alone. */
    json_t *m = json_string(msg);
    json_object_set_new(e, "message", m ? m : json_string(doge__srv_reason(status)));
    json_object_set_new(o, "error", e);
    return doge__srv_json(resp, status, o);
}
