/* A member's record (GET /api/v1/members/{id}/record): the meetings they were called to and
 * whether they signed in, and their credits (学分). Strictly checked like every reply. */
#ifndef DJTV_RECORD_H
#define DJTV_RECORD_H

#include <stdint.h>

#include "net/api.h"

enum { API_MEMBER_RECORD = 120 }; /* the net kind of the request */
enum { RECORD_ROWS_MAX = 500, RECORD_TIME_MAX = 32, RECORD_REASON_MAX = 24 };

struct record_meeting {
    int64_t rollcall_id;
    char title[API_TITLE_MAX];
    char opened_at[RECORD_TIME_MAX];     /* ISO 8601 UTC */
    char checked_in_at[RECORD_TIME_MAX]; /* "" when absent */
    int attended;
};

struct record_credit {
    char reason[RECORD_REASON_MAX]; /* course_completed, exam_passed, meeting_attended */
    char title[API_TITLE_MAX];
    int points;
    char earned_at[RECORD_TIME_MAX];
};

struct record_model {
    int64_t member_id;
    char name[API_NAME_MAX];
    struct record_meeting *meetings; /* owned, n_meetings */
    int n_meetings;
    int meetings_called, meetings_attended;
    struct record_credit *credits;   /* owned, n_credits */
    int n_credits;
    int credits_total;
};

/* GET /api/v1/members/{member_id}/record. The serial or a negative errno. */
int64_t api_member_record(struct net *n, int64_t member_id);
/* 0, or -EINVAL with the reason in err (then *out is empty). */
int api_parse_record(const char *json, struct record_model *out, char *err, size_t errlen);
void record_model_free(struct record_model *m);
/* "11月23日" (Beijing time) of an ISO time; "" when it is not one. */
void api_beijing_date(const char *iso, char *out, size_t size);
/* The reason in plain words: "学完课程", "考试通过", "参加会议". */
const char *record_reason_text(const char *reason);

#endif
