/* A growable byte buffer with a hard cap, for every body read from the network. */
#ifndef DJTV_BUF_H
#define DJTV_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
    char *data; /* owned; always NUL-terminated when non-NULL */
    size_t len;
    size_t cap;   /* allocated bytes */
    size_t limit; /* hard cap on len; 0 = unlimited */
};

void buf_init(struct buf *b, size_t limit);
void buf_fini(struct buf *b);
void buf_reset(struct buf *b);
/* Append n bytes; returns 0, -ENOMEM, or -E2BIG when the cap would be exceeded (nothing appended). */
int buf_append(struct buf *b, const void *data, size_t n);
int buf_append_str(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the data to the caller (who frees it) and leave the buffer empty. */
char *buf_steal(struct buf *b);

#endif
