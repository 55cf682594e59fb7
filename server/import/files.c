/* File helpers of the importer (POSIX). */
#include "import/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { COPY_BUF = 64 * 1024, PATH_LEN = 4096 };

int files_mkdirs(const char *path)
{
    char p[PATH_LEN];
    int n = snprintf(p, sizeof(p), "%s", path);
    if (n < 0 || (size_t)n >= sizeof(p))
        return -ENAMETOOLONG;
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return -errno;
        *s = '/';
    }
    if (mkdir(p, 0755) != 0 && errno != EEXIST)
        return -errno;
    return 0;
}

static int write_all(int fd, const char *b, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, b, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

int files_copy(const char *src, const char *dst)
{
    char buf[COPY_BUF];
    int in = open(src, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -errno;
    int rc = 0;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (out < 0) {
        rc = -errno;
        goto fail;
    }
    for (;;) {
        ssize_t r = read(in, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rc = -errno;
            break;
        }
        if (r == 0)
            break;
        rc = write_all(out, buf, (size_t)r);
        if (rc < 0)
            break;
    }
    if (rc == 0 && fsync(out) != 0)
        rc = -errno;
    if (close(out) != 0 && rc == 0)
        rc = -errno;
fail:
    close(in);
    return rc;
}

static int remove_at(int dirfd, const char *name, int depth)
{
    if (depth > 16)
        return -ELOOP;
    if (unlinkat(dirfd, name, 0) == 0)
        return 0;
    if (errno == ENOENT)
        return 0;
    if (errno != EISDIR && errno != EPERM)
        return -errno;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    DIR *d = fdopendir(fd);
    if (!d) {
        int rc = -errno;
        close(fd);
        return rc;
    }
    int rc = 0;
    while (rc == 0) {
        struct dirent *e = readdir(d);
        if (!e)
            break;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        rc = remove_at(fd, e->d_name, depth + 1);
    }
    closedir(d);
    if (rc == 0 && unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT)
        rc = -errno;
    return rc;
}

int files_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path, 0);
}

int files_stamp(const char *path, const char *name, char *stamp, size_t cap)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -errno;
    size_t used = strlen(stamp);
    int n = snprintf(stamp + used, cap - used, "%s %lld %lld.%09ld\n", name,
                     (long long)st.st_size, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
    return n < 0 || (size_t)n >= cap - used ? -ENAMETOOLONG : 0;
}

int files_read_small(const char *path, char *out, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t n = read(fd, out, cap - 1);
    int rc = n < 0 ? -errno : 0;
    close(fd);
    out[n > 0 ? n : 0] = '\0';
    return rc;
}

int files_write_small(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    int rc = write_all(fd, text, strlen(text));
    if (close(fd) != 0 && rc == 0)
        rc = -errno;
    return rc;
}
