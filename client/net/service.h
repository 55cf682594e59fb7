/* The one-key service desk from the box: categories, a new request, the household's requests
 * and one request with its replies; and the phone-number rule the server applies, so the
 * keypad can say what is wrong before anything is sent. Parsers are pure and strict. */
#ifndef DJTV_SERVICE_H
#define DJTV_SERVICE_H

#include <stddef.h>
#include <stdint.h>

#include "net/api.h"
#include "net/net.h"

enum {
    SVC_CATEGORIES_MAX = 9, /* one digit key each */
    SVC_KEY_MAX = 32,
    SVC_PHONE_MAX = 16,
    SVC_TIME_MAX = 32,
    SVC_LIST_MAX = 10,
    SVC_REPLIES_MAX = 8,
    SVC_REPLY_MAX = 512,
};

struct svc_category {
    char key[SVC_KEY_MAX];
    char title[API_NAME_MAX];
};

struct svc_request {
    int64_t id;
    char category_title[API_NAME_MAX];
    char phone[SVC_PHONE_MAX + 1];
    char state[16];       /* open, assigned, replied, closed */
    char created_at[SVC_TIME_MAX];
    char deadline_at[SVC_TIME_MAX];
    int overdue;
    int reply_count;
};

struct svc_reply {
    char author[API_NAME_MAX];
    char body[SVC_REPLY_MAX];
    char created_at[SVC_TIME_MAX];
};

struct svc_list {
    struct svc_request items[SVC_LIST_MAX];
    int n;
    int total;
};

struct svc_detail {
    struct svc_request req;
    struct svc_reply replies[SVC_REPLIES_MAX];
    int n_replies;
};

int64_t api_request_categories(struct net *n);
/* POST /api/v1/requests {"category","phone"}. -EINVAL for a bad key or phone. */
int64_t api_request_create(struct net *n, const char *category, const char *phone);
/* GET /api/v1/requests?page=&per_page= */
int64_t api_requests_list(struct net *n, int page, int per_page);
int64_t api_request_get(struct net *n, int64_t id);

int api_parse_categories(const char *json, struct svc_category *out, int max, int *n, char *err,
                         size_t errlen);
/* A created request, a list page, one request with replies. */
int api_parse_request(const char *json, struct svc_request *out, char *err, size_t errlen);
int api_parse_requests(const char *json, struct svc_list *out, char *err, size_t errlen);
int api_parse_request_detail(const char *json, struct svc_detail *out, char *err, size_t errlen);

/* The server's rule for a phone typed as digits: a mobile (11 digits, 13x–19x) or a landline
 * (0, a 2–3 digit area code, 7–8 digits: 10–12 digits). NULL when it is good, else what is
 * wrong, in plain Chinese for the screen ("手机号是11位，还少2位"). buf holds that text. */
const char *svc_phone_problem(const char *digits, char *buf, size_t size);
/* "已回复", "处理中" … for a request's state. */
const char *svc_state_text(const char *state);

#endif
