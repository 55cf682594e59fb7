#define LOG_TAG "record"
#include "net/record.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/jcheck.h"
#include "net/rollcall.h"

int64_t api_member_record(struct net *n, int64_t member_id)
{
    char path[96];
    if (member_id <= 0)
        return -EINVAL;
    snprintf(path, sizeof(path), "/api/v1/members/%" PRId64 "/record", member_id);
    return net_request(n, "GET", path, NULL, API_MEMBER_RECORD);
}

static int parse_meetings(struct jcheck *c, const cJSON *root, struct record_model *m)
{
    const cJSON *arr, *it;
    int n;
    int rc = jcheck_array(c, root, "attendance", "", RECORD_ROWS_MAX, &arr, &n);
    if (rc < 0 || n == 0)
        return rc;
    m->meetings = calloc((size_t)n, sizeof(*m->meetings));
    if (!m->meetings)
        return jcheck_fail(c, "out of memory");
    for (int i = 0; i < n; i++) {
        struct record_meeting *e = &m->meetings[i];
        char path[48];
        int64_t attended = 0;
        rc = jcheck_entry(c, arr, i, "attendance", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_int(c, it, "rollcall_id", path, 1, JCHECK_INT_LIMIT, &e->rollcall_id);
        if (rc == 0)
            rc = jcheck_string(c, it, "title", path, e->title, sizeof(e->title));
        if (rc == 0)
            rc = jcheck_string(c, it, "opened_at", path, e->opened_at, sizeof(e->opened_at));
        if (rc == 0)
            rc = jcheck_string_opt(c, it, "checked_in_at", path, e->checked_in_at,
                                   sizeof(e->checked_in_at));
        const cJSON *att = cJSON_GetObjectItemCaseSensitive(it, "attended");
        if (rc == 0 && !cJSON_IsBool(att))
            rc = jcheck_fail(c, "%s.attended: expected true or false, got %s", path,
                             jcheck_type(att));
        if (rc < 0)
            return rc;
        attended = cJSON_IsTrue(att);
        e->attended = (int)attended;
        m->n_meetings = i + 1;
    }
    return 0;
}

static int parse_credits(struct jcheck *c, const cJSON *credits, struct record_model *m)
{
    const cJSON *arr, *it;
    int n;
    int64_t total;
    int rc = jcheck_int(c, credits, "total", "credits", 0, 1e9, &total);
    if (rc == 0)
        rc = jcheck_array(c, credits, "items", "credits", RECORD_ROWS_MAX, &arr, &n);
    if (rc < 0)
        return rc;
    m->credits_total = (int)total;
    if (n == 0)
        return 0;
    m->credits = calloc((size_t)n, sizeof(*m->credits));
    if (!m->credits)
        return jcheck_fail(c, "out of memory");
    for (int i = 0; i < n; i++) {
        struct record_credit *e = &m->credits[i];
        char path[48];
        int64_t points = 0;
        rc = jcheck_entry(c, arr, i, "credits.items", path, sizeof(path), &it);
        if (rc == 0)
            rc = jcheck_string(c, it, "reason", path, e->reason, sizeof(e->reason));
        if (rc == 0)
            rc = jcheck_string_opt(c, it, "title", path, e->title, sizeof(e->title));
        if (rc == 0)
            rc = jcheck_int(c, it, "points", path, -1000, 1000, &points);
        if (rc == 0)
            rc = jcheck_string(c, it, "earned_at", path, e->earned_at, sizeof(e->earned_at));
        if (rc < 0)
            return rc;
        e->points = (int)points;
        m->n_credits = i + 1;
    }
    return 0;
}

int api_parse_record(const char *json, struct record_model *out, char *err, size_t errlen)
{
    struct jcheck c;
    memset(out, 0, sizeof(*out));
    cJSON *root = jcheck_open(&c, json, err, errlen);
    if (!root)
        return -EINVAL;
    const cJSON *member, *credits;
    int64_t called = 0, attended = 0;
    int rc = jcheck_object(&c, root, "member", "", &member);
    if (rc == 0)
        rc = jcheck_int(&c, member, "id", "member", 1, JCHECK_INT_LIMIT, &out->member_id);
    if (rc == 0)
        rc = jcheck_string(&c, member, "name", "member", out->name, sizeof(out->name));
    if (rc == 0)
        rc = jcheck_int(&c, root, "meetings_called", "", 0, 1e9, &called);
    if (rc == 0)
        rc = jcheck_int(&c, root, "meetings_attended", "", 0, 1e9, &attended);
    if (rc == 0)
        rc = parse_meetings(&c, root, out);
    if (rc == 0)
        rc = jcheck_object(&c, root, "credits", "", &credits);
    if (rc == 0)
        rc = parse_credits(&c, credits, out);
    cJSON_Delete(root);
    if (rc < 0) {
        record_model_free(out);
        return rc;
    }
    out->meetings_called = (int)called;
    out->meetings_attended = (int)attended;
    return 0;
}

void record_model_free(struct record_model *m)
{
    if (!m)
        return;
    free(m->meetings);
    free(m->credits);
    memset(m, 0, sizeof(*m));
}

void api_beijing_date(const char *iso, char *out, size_t size)
{
    int64_t t = api_iso_to_epoch(iso);
    if (size == 0)
        return;
    out[0] = '\0';
    if (t < 0)
        return;
    time_t local = (time_t)(t + 8 * 3600);
    struct tm tm;
    if (!gmtime_r(&local, &tm))
        return;
    snprintf(out, size, "%d月%d日", tm.tm_mon + 1, tm.tm_mday);
}

const char *record_reason_text(const char *reason)
{
    if (strcmp(reason, "course_completed") == 0)
        return "学完课程";
    if (strcmp(reason, "exam_passed") == 0)
        return "考试通过";
    if (strcmp(reason, "meeting_attended") == 0)
        return "参加会议";
    return "其他";
}
