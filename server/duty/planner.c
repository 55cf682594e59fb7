/* The duty-check planner's thread (see planner.h). */
#define LOG_TAG "duty"
#include "duty/planner.h"

#include <cJSON.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "events/events.h"
#include "log.h"
#include "store/store.h"

enum { DUE_BATCH = 32 };

struct duty_planner {
    struct store *store;   /* borrowed */
    struct events *events; /* borrowed */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping; /* guarded by lock */
};

struct fire_job {
    const struct store_duty_plan *plan; /* borrowed */
    time_t now;
    int64_t check_id; /* out: 0 when skipped */
};

/* Make the plan's check, or mark it skipped while the village has one waiting. */
static int fire_run(struct store_tx *tx, void *arg)
{
    struct fire_job *j = arg;
    int rc = store_duty_add(tx, j->plan->village_id, j->plan->planned_by, j->now,
                            j->now - DUTY_ANSWER_WINDOW_S, &j->check_id);
    if (rc == -EEXIST) {
        j->check_id = 0;
        return store_duty_plan_mark(tx, j->plan->id, "skipped", 0);
    }
    if (rc < 0)
        return rc;
    return store_duty_plan_mark(tx, j->plan->id, "sent", j->check_id);
}

/* duty.check {check_id, village_id, state, planned: true} to the village and the staff. */
static void publish(struct events *events, const struct store_duty_plan *p, int64_t check_id)
{
    if (!events)
        return;
    struct event_scope to = { .audience = EVENT_TO_CADRES | EVENT_TO_BOXES | EVENT_TO_STAFF,
                              .township_id = p->township_id, .village_id = p->village_id };
    cJSON *ev = cJSON_CreateObject();
    char *text = NULL;
    if (ev && cJSON_AddNumberToObject(ev, "check_id", (double)check_id) &&
        cJSON_AddNumberToObject(ev, "village_id", (double)p->village_id) &&
        cJSON_AddStringToObject(ev, "state", "requested") &&
        cJSON_AddBoolToObject(ev, "planned", 1))
        text = cJSON_PrintUnformatted(ev);
    cJSON_Delete(ev);
    int64_t seq = text ? events_publish(events, &to, "duty.check", text) : -ENOMEM;
    if (seq < 0)
        log_warn("event duty.check not published (%lld)", (long long)seq);
    free(text);
}

int duty_planner_run_due(struct store *store, struct events *events, time_t now)
{
    struct store_duty_plan due[DUE_BATCH];
    int n = 0;
    int rc = store_duty_plans(store, 0, now, due, DUE_BATCH, &n);
    for (int i = 0; rc == 0 && i < n; i++) {
        struct fire_job j = { .plan = &due[i], .now = now };
        rc = store_write(store, fire_run, &j);
        if (rc == -ESTALE) {
            rc = 0; /* cancelled meanwhile */
            continue;
        }
        if (rc < 0)
            break;
        if (j.check_id) {
            log_info("planned duty check %lld sent to village %lld (check %lld)",
                     (long long)due[i].id, (long long)due[i].village_id, (long long)j.check_id);
            publish(events, &due[i], j.check_id);
        } else {
            log_info("planned duty check %lld skipped: village %lld has one waiting",
                     (long long)due[i].id, (long long)due[i].village_id);
        }
    }
    return rc < 0 ? rc : n;
}

static void *planner_main(void *arg)
{
    struct duty_planner *p = arg;
    pthread_mutex_lock(&p->lock);
    while (!p->stopping) {
        pthread_mutex_unlock(&p->lock);
        int rc = duty_planner_run_due(p->store, p->events, time(NULL));
        if (rc < 0)
            log_warn("planned duty checks not sent (%d); trying again", rc);
        pthread_mutex_lock(&p->lock);
        if (p->stopping)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&p->wake, &p->lock, &until);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int duty_planner_start(struct store *store, struct events *events, struct duty_planner **out)
{
    struct duty_planner *p = calloc(1, sizeof(*p));
    if (!p)
        return -ENOMEM;
    p->store = store;
    p->events = events;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    int rc = -pthread_create(&p->thread, NULL, planner_main, p);
    if (rc < 0) {
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

void duty_planner_stop(struct duty_planner *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->lock);
    p->stopping = 1;
    pthread_cond_signal(&p->wake);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
