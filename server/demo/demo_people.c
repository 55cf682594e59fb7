/* Demo township, villages, households (2–4 members each), members and one box per household.
 * Households look like those of the elderly members DJTV serves: an older couple (or a widowed
 * elder) born 1940–1965, often with a grown child and the child's spouse. */
#define LOG_TAG "demo"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo_internal.h"
#include "log.h"
#include "store/store.h"

enum { NAME_CAP = 64, MAX_HOUSEHOLD = 4, WIDOWED_PERCENT = 15 };

struct pool {
    const cJSON *arr; /* borrowed: array of non-empty strings */
    int n;
};

struct pools {
    struct pool surnames, elder_male, elder_female, young_male, young_female;
    int elder_lo, elder_hi, young_lo, young_hi;
    int this_year;
};

static int load_pool(const struct demo_ctx *c, const cJSON *obj, const char *key,
                     struct pool *p)
{
    p->arr = cJSON_GetObjectItemCaseSensitive(obj, key);
    p->n = cJSON_GetArraySize(p->arr);
    if (!cJSON_IsArray(p->arr) || p->n < 2)
        goto bad;
    const cJSON *it;
    cJSON_ArrayForEach(it, p->arr)
    {
        if (!cJSON_IsString(it) || !it->valuestring[0] || strlen(it->valuestring) > 12)
            goto bad;
    }
    return 0;
bad:
    log_error("%s: \"%s\" must be a list of at least 2 short names", c->file, key);
    return -EINVAL;
}

static const char *pick(struct demo_ctx *c, const struct pool *p)
{
    return cJSON_GetArrayItem(p->arr, demo_rand(&c->rng, 0, p->n - 1))->valuestring;
}

static int load_years(const struct demo_ctx *c, const cJSON *obj, const char *key, int *lo,
                      int *hi)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
    const cJSON *x = cJSON_GetArrayItem(a, 0), *y = cJSON_GetArrayItem(a, 1);
    if (cJSON_GetArraySize(a) != 2 || !cJSON_IsNumber(x) || !cJSON_IsNumber(y) ||
        x->valueint < 1900 || y->valueint > 2100 || x->valueint > y->valueint) {
        log_error("%s: birth_years.%s must be [first, last]", c->file, key);
        return -EINVAL;
    }
    *lo = x->valueint;
    *hi = y->valueint;
    return 0;
}

static int load_pools(struct demo_ctx *c, const cJSON *t, struct pools *p)
{
    const cJSON *given = cJSON_GetObjectItemCaseSensitive(t, "given_names");
    const cJSON *years = cJSON_GetObjectItemCaseSensitive(t, "birth_years");
    struct tm tm;
    gmtime_r(&c->now, &tm);
    p->this_year = tm.tm_year + 1900;
    int rc = load_pool(c, t, "surnames", &p->surnames);
    if (rc == 0)
        rc = load_pool(c, given, "elder_male", &p->elder_male);
    if (rc == 0)
        rc = load_pool(c, given, "elder_female", &p->elder_female);
    if (rc == 0)
        rc = load_pool(c, given, "young_male", &p->young_male);
    if (rc == 0)
        rc = load_pool(c, given, "young_female", &p->young_female);
    if (rc == 0)
        rc = load_years(c, years, "elder", &p->elder_lo, &p->elder_hi);
    if (rc == 0)
        rc = load_years(c, years, "young", &p->young_lo, &p->young_hi);
    return rc;
}

/* A surname other than SURNAME (a wife keeps her own family name). */
static const char *other_surname(struct demo_ctx *c, const struct pools *p, const char *surname)
{
    const char *s = pick(c, &p->surnames);
    while (strcmp(s, surname) == 0)
        s = pick(c, &p->surnames);
    return s;
}

/* The date a member joined the party: in their twenties to fifties, never in the future. */
static void joined_on(struct demo_ctx *c, const struct pools *p, int birth_year, char *out,
                      size_t cap)
{
    int year = birth_year + demo_rand(&c->rng, 20, 45);
    if (year >= p->this_year)
        year = p->this_year - 1;
    unsigned month = (unsigned)demo_rand(&c->rng, 1, 12);
    unsigned day = (unsigned)demo_rand(&c->rng, 1, 28);
    /* The modulos only tell the compiler the widths; the values are already in range. */
    snprintf(out, cap, "%04u-%02u-%02u", (unsigned)year % 10000u, month % 100u, day % 100u);
}

/* Fill M with a new name of SURNAME + a given name from POOL, unique in the household so far. */
static void make_member(struct demo_ctx *c, const struct pool *given, const char *surname,
                        const struct store_member *so_far, int n, struct store_member *m)
{
    for (int tries = 0; tries < 20; tries++) {
        snprintf(m->name, sizeof(m->name), "%s%s", surname, pick(c, given));
        int clash = 0;
        for (int i = 0; i < n; i++)
            clash |= strcmp(so_far[i].name, m->name) == 0;
        if (!clash)
            return;
    }
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int save_household(struct demo_ctx *c, struct demo_village *v, const char *name,
                          struct store_member *m, int n);

static int add_household(struct demo_ctx *c, const struct pools *p, struct demo_village *v)
{
    struct store_member m[MAX_HOUSEHOLD];
    memset(m, 0, sizeof(m));
    int size = demo_rand(&c->rng, 2, MAX_HOUSEHOLD);
    int widowed = demo_rand(&c->rng, 1, 100) <= WIDOWED_PERCENT;
    const char *surname = pick(c, &p->surnames);
    int n = 0;
    /* The elder(s). */
    int head_year = demo_rand(&c->rng, p->elder_lo, p->elder_hi);
    if (widowed) {
        make_member(c, &p->elder_female, other_surname(c, p, surname), m, n, &m[n]);
        m[n++].birth_year = head_year;
    } else {
        make_member(c, &p->elder_male, surname, m, n, &m[n]);
        m[n++].birth_year = head_year;
        make_member(c, &p->elder_female, other_surname(c, p, surname), m, n, &m[n]);
        m[n++].birth_year =
            clamp(head_year + demo_rand(&c->rng, -2, 5), p->elder_lo, p->elder_hi);
    }
    /* Grown children fill the rest; the place right after the first child goes to that
     * child's spouse, of another family. */
    int child_lo = clamp(head_year + 20, p->young_lo, p->young_hi);
    int first_child = n, first_son = 0;
    while (n < size) {
        int son = demo_rand(&c->rng, 0, 1);
        if (n == first_child + 1) {
            make_member(c, first_son ? &p->young_female : &p->young_male,
                        other_surname(c, p, surname), m, n, &m[n]);
            m[n].birth_year = clamp(m[first_child].birth_year + demo_rand(&c->rng, -3, 3),
                                    p->young_lo, p->young_hi);
        } else {
            if (n == first_child)
                first_son = son;
            make_member(c, son ? &p->young_male : &p->young_female, surname, m, n, &m[n]);
            m[n].birth_year = demo_rand(&c->rng, child_lo, p->young_hi);
        }
        n++;
    }

    char name[NAME_CAP];
    snprintf(name, sizeof(name), "%s家", surname);
    /* Elders are party members; about half of the younger ones too. */
    for (int i = 0; i < n; i++) {
        if (m[i].birth_year <= p->elder_hi || demo_rand(&c->rng, 0, 1))
            joined_on(c, p, m[i].birth_year, m[i].joined_on, sizeof(m[i].joined_on));
    }
    return save_household(c, v, name, m, n);
}

/* Household NAME of village V with members M[0..N) and its box. */
static int save_household(struct demo_ctx *c, struct demo_village *v, const char *name,
                          struct store_member *m, int n)
{
    char label[NAME_CAP * 2];
    snprintf(label, sizeof(label), "%s%s", v->name, name);
    int64_t hid = 0, bid = 0;
    int rc = store_household_add(c->tx, v->id, name, &hid);
    for (int i = 0; rc == 0 && i < n; i++) {
        m[i].household_id = hid;
        rc = store_member_add(c->tx, &m[i], NULL);
    }
    if (rc < 0)
        return rc;

    struct demo_box *boxes = realloc(c->boxes, (size_t)(c->n_boxes + 1) * sizeof(*boxes));
    if (!boxes)
        return -ENOMEM;
    c->boxes = boxes;
    struct demo_box *b = &c->boxes[c->n_boxes];
    memset(b, 0, sizeof(*b));
    char hash[AUTH_HASH_HEX];
    rc = auth_token_new(b->token);
    if (rc == 0)
        rc = auth_token_hash(b->token, hash);
    if (rc == 0)
        rc = store_box_add(c->tx, hid, hash, label, &bid);
    if (rc < 0)
        return rc;
    b->box_id = bid;
    b->household_id = hid;
    b->village = v->name;
    c->n_boxes++;
    c->stats->households++;
    c->stats->members += n;
    return 0;
}

/* One member of a named household: {"name": …, "birth_year": …, "joined_on": …}. */
static int named_member(const struct demo_ctx *c, const cJSON *it, const char *where,
                        struct store_member *m)
{
    const char *name = NULL, *joined = "";
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(it, "joined_on");
    int rc = demo_json_str(c, it, "name", where, &name);
    if (rc == 0)
        rc = demo_json_int(c, it, "birth_year", where, 1900, 2100, &m->birth_year);
    if (rc == 0 && j) {
        rc = demo_json_str(c, it, "joined_on", where, &joined);
        if (rc == 0 && strlen(joined) != 10) {
            log_error("%s: %s: \"joined_on\" must be YYYY-MM-DD", c->file, where);
            rc = -EINVAL;
        }
    }
    if (rc == 0 && strlen(name) >= sizeof(m->name)) {
        log_error("%s: %s: the name is too long", c->file, where);
        rc = -EINVAL;
    }
    if (rc < 0)
        return rc;
    snprintf(m->name, sizeof(m->name), "%s", name);
    snprintf(m->joined_on, sizeof(m->joined_on), "%s", joined);
    return 0;
}

/* "named_households": households given in full, after the generated ones (so those keep
 * their ids): the demo's members with names beyond GB2312 (喆 堃 镕, 𠮷 of Extension B). */
static int add_named_households(struct demo_ctx *c, const cJSON *list)
{
    const cJSON *hh;
    int k = 0;
    cJSON_ArrayForEach(hh, list)
    {
        char where[48];
        snprintf(where, sizeof(where), "named_households[%d]", k++);
        const char *village = NULL, *name = NULL;
        const cJSON *members = cJSON_GetObjectItemCaseSensitive(hh, "members");
        int rc = demo_json_str(c, hh, "village", where, &village);
        if (rc == 0)
            rc = demo_json_str(c, hh, "name", where, &name);
        int n = cJSON_GetArraySize(members);
        if (rc == 0 && (!cJSON_IsArray(members) || n < 1 || n > MAX_HOUSEHOLD)) {
            log_error("%s: %s: \"members\" must list 1 to %d members", c->file, where,
                      MAX_HOUSEHOLD);
            rc = -EINVAL;
        }
        struct demo_village *v = NULL;
        for (int i = 0; rc == 0 && i < c->n_villages; i++)
            v = strcmp(c->villages[i].name, village) == 0 ? &c->villages[i] : v;
        if (rc == 0 && !v) {
            log_error("%s: %s: no village %s", c->file, where, village);
            rc = -EINVAL;
        }
        struct store_member m[MAX_HOUSEHOLD];
        memset(m, 0, sizeof(m));
        for (int i = 0; rc == 0 && i < n; i++)
            rc = named_member(c, cJSON_GetArrayItem(members, i), where, &m[i]);
        if (rc == 0)
            rc = save_household(c, v, name, m, n);
        if (rc < 0)
            return rc;
    }
    return 0;
}

int demo_people_add(struct demo_ctx *c, const cJSON *t)
{
    struct pools p;
    int rc = demo_json_str(c, t, "township", "top level", &c->township_name);
    if (rc == 0)
        rc = load_pools(c, t, &p);
    if (rc < 0)
        return rc;
    const cJSON *villages = cJSON_GetObjectItemCaseSensitive(t, "villages");
    int nv = cJSON_GetArraySize(villages);
    if (!cJSON_IsArray(villages) || nv < 1 || nv > 1000) {
        log_error("%s: \"villages\" must be a list of 1 to 1000 villages", c->file);
        return -EINVAL;
    }
    c->villages = calloc((size_t)nv, sizeof(*c->villages));
    if (!c->villages)
        return -ENOMEM;
    rc = store_org_add(c->tx, 0, "township", c->township_name, &c->township_id);
    if (rc < 0)
        return rc;
    const cJSON *it;
    cJSON_ArrayForEach(it, villages)
    {
        char where[32];
        snprintf(where, sizeof(where), "villages[%d]", c->n_villages);
        struct demo_village *v = &c->villages[c->n_villages];
        rc = demo_json_str(c, it, "name", where, &v->name);
        if (rc == 0)
            rc = demo_json_int(c, it, "households", where, 1, 500, &v->households);
        for (int i = 0; rc == 0 && i < c->n_villages; i++) {
            if (strcmp(c->villages[i].name, v->name) == 0) {
                log_error("%s: %s: village %s is listed twice", c->file, where, v->name);
                rc = -EINVAL;
            }
        }
        if (rc == 0)
            rc = store_org_add(c->tx, c->township_id, "village", v->name, &v->id);
        if (rc < 0)
            return rc;
        c->n_villages++;
    }
    c->stats->villages = c->n_villages;
    for (int i = 0; i < c->n_villages; i++)
        for (int h = 0; h < c->villages[i].households; h++) {
            rc = add_household(c, &p, &c->villages[i]);
            if (rc < 0)
                return rc;
        }
    return add_named_households(c, cJSON_GetObjectItemCaseSensitive(t, "named_households"));
}
