/* Whole-file reads with a size cap (certificates, keys, demo JSON). */
#ifndef DJTV_FILEIO_H
#define DJTV_FILEIO_H

#include <stddef.h>

/* Read all of PATH into a NUL-terminated heap buffer (*out, owned by the caller).
 * Returns 0, -E2BIG when the file is larger than LIMIT bytes, or another negative errno. */
int fileio_read(const char *path, size_t limit, char **out, size_t *len);

/* 1 when PATH exists (any type), else 0. */
int fileio_exists(const char *path);

#endif
