#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

int fileio_read(const char *path, size_t limit, char **out, size_t *len)
{
    *out = NULL;
    if (len)
        *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct buf b;
    buf_init(&b, limit);
    int rc = 0;
    char chunk[16384];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = -errno;
            goto fail;
        }
        if (n == 0)
            break;
        rc = buf_append(&b, chunk, (size_t)n);
        if (rc < 0)
            goto fail;
    }
    close(fd);
    if (len)
        *len = b.len;
    *out = buf_steal(&b);
    return *out ? 0 : -ENOMEM;

fail:
    close(fd);
    buf_fini(&b);
    return rc;
}

int fileio_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}
