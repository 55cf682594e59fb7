/* Study credits for courses watched to 90 % (see study_credit.h). */
#define LOG_TAG "credit"
#include "screens/study_credit.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "net/api.h"
#include "ui/notice.h"

enum {
    DONE_MAX = 32,        /* courses reported in this session (not asked about again) */
    API_RECORD = 110,     /* net kinds of this module's requests */
    API_COMPLETED = 111,
};

enum sc_phase { SC_IDLE, SC_START, SC_RECORDS, SC_REPORTING };

struct study_credit {
    struct overlay base;
    enum sc_phase phase;
    int64_t item_id;        /* in progress; 0 = none */
    int ended;              /* the course ended meanwhile: save its position 0 when done */
    int64_t put_serial, home_serial;
    int put_ok, have_home;
    int64_t members[API_MEMBERS_MAX];
    int n_members;
    int64_t serial[API_MEMBERS_MAX]; /* the record or report in flight per member; 0 none */
    int todo[API_MEMBERS_MAX];       /* the record has no credit for the course yet */
    int pending;
    int earned;             /* members credited by this report */
    int64_t done[DONE_MAX];
    int n_done;
};

static struct study_credit *from(struct overlays *ov)
{
    struct overlay *o = ov ? overlays_get(ov, OVERLAY_STUDY) : NULL;
    return o ? (struct study_credit *)o : NULL;
}

static int was_done(const struct study_credit *sc, int64_t item_id)
{
    for (int i = 0; i < sc->n_done; i++)
        if (sc->done[i] == item_id)
            return 1;
    return 0;
}

/* The end of a report, good or not: forget it (done: not asked about again this session). */
static void finish(struct study_credit *sc, int done)
{
    struct net *net = sc->base.own.svc->net;
    if (done && sc->n_done < DONE_MAX)
        sc->done[sc->n_done++] = sc->item_id;
    if (sc->ended && net) {
        int64_t s = api_resume_put(net, sc->item_id, 0); /* watched: next time from the start */
        if (s < 0)
            log_warn("cannot save the end of item %" PRId64 ": %s", sc->item_id,
                     strerror((int)-s));
    }
    sc->phase = SC_IDLE;
    sc->item_id = 0;
    sc->ended = 0;
}

static int ok(const struct net_result *r)
{
    return r->error == NET_OK && r->http_status == 200;
}

static void ask_records(struct study_credit *sc)
{
    struct net *net = sc->base.own.svc->net;
    sc->phase = SC_RECORDS;
    sc->pending = 0;
    for (int i = 0; i < sc->n_members; i++) {
        char path[96];
        snprintf(path, sizeof(path), "/api/v1/members/%" PRId64 "/record", sc->members[i]);
        sc->serial[i] = owner_track(&sc->base.own, net_request(net, "GET", path, NULL,
                                                               API_RECORD));
        if (sc->serial[i] > 0)
            sc->pending++;
        else
            sc->serial[i] = 0;
    }
    if (!sc->pending)
        finish(sc, 0);
}

/* 1 if a record reply holds the course's credit. */
static int has_credit(const char *json, int64_t item_id)
{
    cJSON *root = cJSON_Parse(json ? json : "");
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "credits"), "items");
    const cJSON *c;
    int has = 0;
    cJSON_ArrayForEach(c, items)
    {
        const cJSON *reason = cJSON_GetObjectItemCaseSensitive(c, "reason");
        const cJSON *ref = cJSON_GetObjectItemCaseSensitive(c, "ref_id");
        if (cJSON_IsString(reason) && strcmp(reason->valuestring, "course_completed") == 0 &&
            cJSON_IsNumber(ref) && ref->valuedouble == (double)item_id)
            has = 1;
    }
    cJSON_Delete(root);
    return has;
}

static void report(struct study_credit *sc)
{
    struct net *net = sc->base.own.svc->net;
    sc->phase = SC_REPORTING;
    sc->pending = 0;
    sc->earned = 0;
    for (int i = 0; i < sc->n_members; i++) {
        sc->serial[i] = 0;
        if (!sc->todo[i])
            continue;
        char path[96], body[64];
        snprintf(path, sizeof(path), "/api/v1/courses/%" PRId64 "/completed", sc->item_id);
        snprintf(body, sizeof(body), "{\"member_id\":%" PRId64 "}", sc->members[i]);
        int64_t s = owner_track(&sc->base.own, net_request(net, "POST", path, body,
                                                           API_COMPLETED));
        if (s > 0) {
            sc->serial[i] = s;
            sc->pending++;
        }
    }
    if (!sc->pending) {
        log_info("course %" PRId64 ": every member has its credit already", sc->item_id);
        finish(sc, 1);
    }
}

static int member_of(const struct study_credit *sc, int64_t serial)
{
    for (int i = 0; i < sc->n_members; i++)
        if (sc->serial[i] && sc->serial[i] == serial)
            return i;
    return -1;
}

static void sc_on_net(struct overlay *o, const struct net_result *r)
{
    struct study_credit *sc = (struct study_credit *)o;
    if (sc->phase == SC_START) {
        if (r->serial == sc->put_serial) {
            sc->put_serial = 0;
            sc->put_ok = r->error == NET_OK && r->http_status >= 200 && r->http_status < 300;
        } else if (r->serial == sc->home_serial) {
            sc->home_serial = 0;
            struct home_model m;
            char why[128];
            if (ok(r) && api_parse_home(r->body, &m, why, sizeof(why)) == 0) {
                sc->n_members = m.n_members < API_MEMBERS_MAX ? m.n_members : API_MEMBERS_MAX;
                for (int i = 0; i < sc->n_members; i++)
                    sc->members[i] = m.members[i].id;
                sc->have_home = 1;
                home_model_free(&m);
            }
        } else {
            return;
        }
        if (sc->put_serial || sc->home_serial)
            return;
        if (!sc->put_ok || !sc->have_home) {
            log_warn("course %" PRId64 ": position or members not read; no credit reported",
                     sc->item_id);
            finish(sc, 0);
            return;
        }
        ask_records(sc);
        return;
    }
    int i = member_of(sc, r->serial);
    if (i < 0)
        return;
    sc->serial[i] = 0;
    sc->pending--;
    if (sc->phase == SC_RECORDS) {
        sc->todo[i] = ok(r) && !has_credit(r->body, sc->item_id);
        if (!ok(r))
            log_warn("record of member %" PRId64 ": %s, HTTP %ld", sc->members[i],
                     net_error_str(r->error), r->http_status);
        if (!sc->pending)
            report(sc);
        return;
    }
    cJSON *reply = ok(r) ? cJSON_Parse(r->body ? r->body : "") : NULL;
    int first = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(reply, "first"));
    cJSON_Delete(reply);
    if (first) {
        sc->earned++;
        log_info("course %" PRId64 " completed: member %" PRId64 " earned its credit",
                 sc->item_id, sc->members[i]);
    } else if (!ok(r)) {
        log_warn("course %" PRId64 " not reported for member %" PRId64 ": %s, HTTP %ld %s",
                 sc->item_id, sc->members[i], net_error_str(r->error), r->http_status,
                 r->body ? r->body : "");
    }
    if (sc->pending)
        return;
    if (sc->earned) {
        char text[96];
        snprintf(text, sizeof(text), "这门课学完了，%s获得 1 学分",
                 sc->earned > 1 ? "每位党员" : "");
        notices_post(o->own.svc->notices, text, 0);
    }
    finish(sc, sc->earned > 0);
}

void study_credit_watched(struct overlays *ov, int64_t item_id, double pos_s)
{
    struct study_credit *sc = from(ov);
    struct net *net = sc ? sc->base.own.svc->net : NULL;
    if (!sc || !net || item_id <= 0 || sc->phase != SC_IDLE || was_done(sc, item_id))
        return;
    log_info("course %" PRId64 " watched to 90 %% (%.1f s): reporting it", item_id, pos_s);
    sc->item_id = item_id;
    sc->ended = 0;
    sc->put_ok = sc->have_home = 0;
    sc->phase = SC_START;
    /* The server counts what it has stored: the position first, then the reports. */
    sc->put_serial = owner_track(&sc->base.own, api_resume_put(net, item_id, pos_s));
    sc->home_serial = owner_track(&sc->base.own, api_fetch_home(net));
    if (sc->put_serial < 0 || sc->home_serial < 0) {
        sc->put_serial = sc->home_serial = 0;
        finish(sc, 0);
    }
}

int study_credit_take_end(struct overlays *ov, int64_t item_id)
{
    struct study_credit *sc = from(ov);
    if (!sc || sc->phase == SC_IDLE || sc->item_id != item_id)
        return 0;
    sc->ended = 1;
    return 1;
}

static int sc_visible(const struct overlay *o)
{
    (void)o;
    return 0;
}

static void sc_draw(struct overlay *o, struct ui *ui)
{
    (void)o;
    (void)ui;
}

static void sc_dump_state(const struct overlay *o, cJSON *state)
{
    const struct study_credit *sc = (const struct study_credit *)o;
    cJSON_AddNumberToObject(state, "reporting", (double)sc->item_id);
}

static void sc_destroy(struct overlay *o)
{
    free(o);
}

static const struct overlay_ops study_credit_ops = {
    .name = "study_credit",
    .visible = sc_visible,
    .draw = sc_draw,
    .on_net = sc_on_net,
    .dump_state = sc_dump_state,
    .destroy = sc_destroy,
};

struct overlay *study_credit_overlay_create(struct app_services *svc)
{
    struct study_credit *sc = calloc(1, sizeof(*sc));
    if (!sc)
        return NULL;
    overlay_init(&sc->base, &study_credit_ops, svc);
    return &sc->base;
}
