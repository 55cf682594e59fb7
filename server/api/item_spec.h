/* One content item as the admin API and the importer describe it: the same JSON in both, checked
 * strictly (api/input.h), resolved to an org of one township, and written with its extras
 * (course, pioneer, finance ledger, the rows of a dues or new-member disclosure) in one store
 * job. See server/API.md "Admin: content" and
 * server/media/README.md for the fields. */
#ifndef DJTV_API_ITEM_SPEC_H
#define DJTV_API_ITEM_SPEC_H

#include <cJSON.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"

enum item_spec_mode {
    ITEM_SPEC_ADMIN,  /* village_id; poster, photo, media_url are URLs */
    ITEM_SPEC_IMPORT, /* key, township, village (names); poster, photo, video are file names */
};

enum { ITEM_COURSE = 1, ITEM_PIONEER = 2, ITEM_LEDGER = 4, ITEM_DUES = 8, ITEM_CANDIDATES = 16 };
enum { ITEM_KEY_MAX = 65, ITEM_BODY_MAX = 16000, ITEM_LEDGER_MAX = 500, ITEM_ROWS_MAX = 500 };

struct item_spec {
    struct store_content_new c; /* strings borrowed from the fields below and the JSON */
    char section[STORE_KEY_MAX];
    char kind[STORE_KIND_MAX];
    unsigned extras;             /* ITEM_* the kind carries */
    struct store_course course;  /* ITEM_COURSE (poster and media_url: URLs) */
    struct store_pioneer pioneer; /* ITEM_PIONEER */
    struct store_ledger_line *ledger; /* owned, ITEM_LEDGER */
    int n_ledger;
    struct store_disclosure_row *rows; /* owned, ITEM_DUES or ITEM_CANDIDATES */
    int n_rows;
    /* import only, borrowed from the JSON (NULL when absent) */
    const char *key;
    const char *poster_file, *photo_file, *video_file;
    /* the write */
    int64_t id;  /* in: the item to overwrite (0 = add a new one); out: its id */
    int created; /* out: a new item was added */
};

/* Check OBJ and fill OUT (free with item_spec_fini, also after an error). The org is the
 * township TOWNSHIP_ID or one of its villages (a village of another township is -EPERM). An
 * absent published_at is NOW. Errors: -EINVAL/-EPERM with {"message": "field: reason"} in
 * *ERR; -ENOMEM; a store error. */
int item_spec_parse(const cJSON *obj, enum item_spec_mode mode, struct store *s,
                    int64_t township_id, time_t now, struct item_spec *out, cJSON **err);
void item_spec_fini(struct item_spec *sp);

/* The store job (store_write): overwrite item sp->id or add one (with its source key), then
 * write its extras. ARG is the struct item_spec. */
int item_spec_write(struct store_tx *tx, void *arg);

/* 1 when KIND is one this module writes (an admin may overwrite only such items). */
int item_spec_kind_known(const char *kind);

/* The JSON of an item as written (admin replies). */
cJSON *item_spec_json(const struct item_spec *sp);

#endif
