/* Checked access to the fields of a server reply (cJSON), shared by the reply parsers
 * (net/api.c, net/catalogue.c). The server is never trusted: every field is type-checked,
 * every string checked as UTF-8 and cut to its buffer on a character boundary, every integer
 * range-checked, every array bounded. A failure writes one English line naming the field
 * ("items[2].title: expected a string, got a number") and returns -EINVAL. */
#ifndef DJTV_JCHECK_H
#define DJTV_JCHECK_H

#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* Integers in JSON arrive as doubles; beyond 2^53 they are no longer exact. */
#define JCHECK_INT_LIMIT 9007199254740992.0

/* What a string field may hold besides valid UTF-8. */
enum jcheck_text {
    JCHECK_UTF8,      /* any valid UTF-8 */
    JCHECK_PRINTABLE, /* and no control characters but newline and tab (they draw as boxes) */
};

/* One parse: where its error goes and which strings it accepts. */
struct jcheck {
    char *err; /* borrowed, may be NULL */
    size_t errlen;
    enum jcheck_text text;
};

/* Starts a parse and clears err. */
void jcheck_init(struct jcheck *c, enum jcheck_text text, char *err, size_t errlen);
/* Writes the reason to c->err; always returns -EINVAL. */
int jcheck_fail(struct jcheck *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "a string", "an array", "null", "nothing" (for NULL) … for error messages. */
const char *jcheck_type(const cJSON *v);

/* Parses a whole body (trailing bytes are an error) that must be a JSON object.
 * Returns the tree (the caller frees it with cJSON_Delete), or NULL with the reason. */
cJSON *jcheck_parse_object(struct jcheck *c, const char *json);
/* The start of a parser of a server's answer: c set up for printable text with err as its
 * message buffer, then jcheck_parse_object(c, json). */
cJSON *jcheck_open(struct jcheck *c, const char *json, char *err, size_t errlen);

/* Field `name` of obj; `path` names obj in messages ("" at the top). Every getter returns 0
 * or -EINVAL. The _opt forms accept an absent field or null: objects give NULL, strings "",
 * integers dflt. */
int jcheck_object(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                  const cJSON **out);
int jcheck_object_opt(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                      const cJSON **out);
/* An array of at most max entries; *count is its length. */
int jcheck_array(struct jcheck *c, const cJSON *obj, const char *name, const char *path, int max,
                 const cJSON **out, int *count);
/* Entry i of an array named arr_path, which must be an object; its own path ("items[3]") is
 * written to path[pathlen] for the messages about its fields. */
int jcheck_entry(struct jcheck *c, const cJSON *arr, int i, const char *arr_path, char *path,
                 size_t pathlen, const cJSON **out);
/* A string copied into dst[size], cut on a character boundary when it does not fit. */
int jcheck_string(struct jcheck *c, const cJSON *obj, const char *name, const char *path, char *dst,
                  size_t size);
int jcheck_string_opt(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                      char *dst, size_t size);
/* A required string as an owned copy of at most max bytes (cut); *out is NULL on failure. */
int jcheck_string_dup(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                      size_t max, char **out);
/* An integer (no fraction, exact as a double) within [min, max]. */
int jcheck_int(struct jcheck *c, const cJSON *obj, const char *name, const char *path, double min,
               double max, int64_t *out);
int jcheck_int_opt(struct jcheck *c, const cJSON *obj, const char *name, const char *path,
                   double min, double max, int64_t dflt, int64_t *out);

#endif
