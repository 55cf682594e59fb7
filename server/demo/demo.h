/* `djtv-server demo`: a fresh database with one township of demo data, read from
 * ASSETS/demo/township.json and ASSETS/demo/content.json. Households and members are generated
 * deterministically from the name pools; every household gets one box with a fresh random token,
 * written to the boxes file (TSV: box_id, household_id, village_name, token; header first).
 * Accounts: one cadre per village, two township staff and one admin, each with a fresh random
 * password, written to the accounts file (TSV: username, role, org_name, password; header
 * first; mode 0600). No fixed password exists anywhere. */
#ifndef DJTV_DEMO_H
#define DJTV_DEMO_H

#include <time.h>

struct demo_options {
    const char *db_path;    /* borrowed */
    const char *assets_dir; /* borrowed: the folder holding demo/ */
    const char *boxes_out;  /* borrowed */
    int force;              /* replace an existing database */
    time_t now;             /* the demo's "today" (publication dates are relative to it) */
    const char *accounts_out; /* borrowed; NULL = accounts.tsv in the folder of boxes_out */
};

struct demo_stats {
    int villages;
    int households;
    int members;
    int boxes;
    int content;
    int broadcasts;
    int accounts;
};

/* Build the database in a temporary file, then move it (and the boxes file) into place, so a
 * failure never leaves half a database. -EEXIST when DB exists and force is off; -EINVAL for bad
 * asset files (the reason is logged); other negative errno. */
int demo_create(const struct demo_options *opt, struct demo_stats *stats);

#endif
