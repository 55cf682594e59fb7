/* `djtv-server import DIR`: load a folder of JSON manifests (server/media/README.md) into the
 * database, with their images copied and their videos made into HLS under the media root. */
#ifndef DJTV_IMPORT_H
#define DJTV_IMPORT_H

#include <time.h>

struct import_options {
    const char *dir;        /* borrowed: the folder of manifests */
    const char *db_path;    /* borrowed: an existing database */
    const char *media_root; /* borrowed: where media goes (created when missing) */
    time_t now;             /* publication time of items that name none */
};

struct import_stats {
    int files;   /* manifest files read */
    int added;   /* items new to the database */
    int updated; /* items already imported before (same key), overwritten */
    int reused;  /* items whose media had not changed (not converted again) */
    int failed;  /* items or files refused (each reported with its file and field) */
};

/* Import every item; a bad item is reported and skipped, the others go on (all or nothing per
 * item: its media and its rows appear together or not at all). 0 when the run itself could go
 * (see ST->failed for refused items), or a negative errno (no database, unreadable DIR). */
int import_run(const struct import_options *o, struct import_stats *st);

#endif
