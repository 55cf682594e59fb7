/* File helpers of the importer: folders, copies, removal of a staged tree, the source stamp. */
#ifndef DJTV_IMPORT_FILES_H
#define DJTV_IMPORT_FILES_H

#include <stddef.h>

/* mkdir -p PATH (mode 0755). 0 or a negative errno. */
int files_mkdirs(const char *path);
/* Copy SRC to a new file DST (refuses to overwrite), flushed to disk. 0 or a negative errno. */
int files_copy(const char *src, const char *dst);
/* rm -rf PATH without following symbolic links; a missing PATH is 0. */
int files_remove_tree(const char *path);
/* Append "NAME SIZE MTIME\n" of PATH to STAMP (a line that changes when the file does).
 * 0, -ENAMETOOLONG when STAMP is full, or a negative errno (PATH unreadable). */
int files_stamp(const char *path, const char *name, char *stamp, size_t cap);
/* Read the small text file PATH into OUT (NUL-terminated). 0 or a negative errno. */
int files_read_small(const char *path, char *out, size_t cap);
/* Write TEXT into a new file PATH. 0 or a negative errno. */
int files_write_small(const char *path, const char *text);

#endif
