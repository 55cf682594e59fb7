/* Strict input for handlers: JSON bodies with only known fields, each of its type and within
 * its limits; query strings with only known arguments; text that is valid UTF-8 without control
 * characters. Every refusal is -EINVAL with a message naming what is wrong in *err. */
#ifndef DJTV_API_INPUT_H
#define DJTV_API_INPUT_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"

enum api_field_type {
    API_STR,   /* a string of min..max bytes, one line */
    API_TEXT,  /* a string of min..max bytes, newlines allowed */
    API_ID,    /* a positive whole number */
    API_INT,   /* a whole number in min..max */
    API_BOOL,  /* true or false */
    API_ARRAY, /* an array of min..max items (the handler checks the items) */
};

struct api_field {
    const char *name;
    enum api_field_type type;
    int required;
    long long min, max;
};

/* Check that OBJ (a JSON object) has only FIELDS (no duplicates), each present one valid, and
 * every required one present. */
int api_json_check(const cJSON *obj, const struct api_field *fields, int n, cJSON **err);
/* Read a field checked by api_json_check: the string (NULL when absent), the number (DEF when
 * absent), the boolean (DEF when absent). */
const char *api_json_str(const cJSON *obj, const char *name);
int64_t api_json_int(const cJSON *obj, const char *name, int64_t def);
int api_json_bool(const cJSON *obj, const char *name, int def);

/* Parse the body and check it against FIELDS; *json is owned by the caller on success. */
int api_body_fields(const struct api_request *req, const struct api_field *fields, int n,
                    cJSON **json, cJSON **err);

/* 1 when S (LEN bytes) is valid UTF-8 without control characters (newlines allowed when
 * MULTILINE), else 0. */
int api_text_ok(const char *s, size_t len, int multiline);
/* 1 when KEY is a box's idempotency key as the API takes it: letters, digits, '-' and '_' only
 * (it goes into logs; the length is the field table's). */
int api_idem_key_ok(const char *key);

/* The `{NAME}` id of a route that takes no query arguments into *ID: 0, -ENOENT when the path
 * has none, -EINVAL when it is not an id or a query argument came (with a reply in *out). */
int api_target_id(const struct api_request *req, const char *name, int64_t *id, cJSON **out);
/* A body that must say nothing: none, or an empty JSON object. 0 or an error reply. */
int api_body_empty(const struct api_request *req, cJSON **out);

/* Check that the query holds only NAMES, each at most once. */
int api_query_check(const struct api_request *req, const char *const *names, int n,
                    cJSON **err);
/* The value of NAME in the query, or NULL. */
const char *api_query_get(const struct api_request *req, const char *name);
/* NAME as a whole number in LO..HI (DEF when absent). */
int api_query_int(const struct api_request *req, const char *name, int def, int lo, int hi,
                  int *out, cJSON **err);

enum { API_PER_PAGE_DEFAULT = 20, API_PER_PAGE_MAX = 50, API_PAGE_MAX = 100000 };
/* `page` (from 1) and `per_page` (1..50, default 20) from the query, which may also hold the
 * EXTRA names. */
int api_paging(const struct api_request *req, const char *const *extra, int n_extra, int *page,
               int *per_page, cJSON **err);

#endif
