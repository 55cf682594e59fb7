/* Cadre mode on the activity-room box: the cadre's PIN login (made with the box's token), then
 * the calls the cadre makes with their own session token (net_request_as): roll calls, the
 * live sign-in list, duty checks, starting and stopping the meeting, logging out. Parsers are
 * pure and strict (net/jcheck.h). Calls return a serial or a negative errno. */
#ifndef DJTV_NET_CADRE_H
#define DJTV_NET_CADRE_H

#include <stddef.h>
#include <stdint.h>

#include "net/api.h"
#include "net/net.h"

enum {
    CADRE_TOKEN_HEX = 65,   /* 64 hex + NUL */
    CADRE_PEOPLE_MAX = 512, /* a branch's members in one roll call */
    CADRE_TIME_MAX = 32,
};

/* Request kinds (passed through; results are routed by serial). */
enum cadre_kind {
    API_CADRE_LOGIN = 200,
    API_CADRE_LOGOUT,
    API_CADRE_ROLLCALLS,
    API_CADRE_SIGNINS,
    API_CADRE_RC_OPEN,
    API_CADRE_RC_CLOSE,
    API_CADRE_DUTY,
    API_CADRE_DUTY_ANSWER,
    API_CADRE_BC_CREATE,
    API_CADRE_BC_START,
    API_CADRE_BC_STOP,
};

/* Who signed in: the session token (a secret: wipe it with cadre_session_wipe), the cadre's
 * name and their village. */
struct cadre_session {
    char token[CADRE_TOKEN_HEX];
    char name[API_NAME_MAX];
    char village[API_NAME_MAX];
    int64_t village_id;
};

struct cadre_rollcall {
    int64_t id;
    int64_t broadcast_id;
    char title[API_TITLE_MAX];
    int expected;
    int checked_in;
    int open;
};

struct cadre_person {
    char name[API_NAME_MAX];
    char household[API_NAME_MAX];
};

/* GET /api/v1/rollcalls/{id}/signins */
struct cadre_signins {
    struct cadre_rollcall rollcall;
    struct cadre_person *in;     /* owned, n_in: signed in, in the server's order */
    int n_in;
    struct cadre_person *absent; /* owned, n_absent: not yet */
    int n_absent;
};

struct cadre_duty {
    int64_t id;
    char checked_by[API_NAME_MAX];
    char answer_by[CADRE_TIME_MAX];
};

struct cadre_broadcast {
    int64_t id;
    int64_t org_id;
    char title[API_TITLE_MAX];
    char state[16];
};

/* With the box's token: POST /api/v1/sessions/pin {"phone","pin"}. */
int64_t api_cadre_login(struct net *n, const char *phone, const char *pin);
/* As the cadre (token): */
int64_t api_cadre_logout(struct net *n, const char *token);
int64_t api_cadre_rollcalls(struct net *n, const char *token);
int64_t api_cadre_signins(struct net *n, const char *token, int64_t rollcall_id);
int64_t api_cadre_rollcall_open(struct net *n, const char *token, int64_t broadcast_id);
int64_t api_cadre_rollcall_close(struct net *n, const char *token, int64_t rollcall_id);
int64_t api_cadre_duty_checks(struct net *n, const char *token);
int64_t api_cadre_duty_answer(struct net *n, const char *token, int64_t check_id);
/* POST /api/v1/broadcasts {"title"} (scheduled now), then POST …/{id}/start. */
int64_t api_cadre_broadcast_create(struct net *n, const char *token, const char *title);
int64_t api_cadre_broadcast_start(struct net *n, const char *token, int64_t broadcast_id);
int64_t api_cadre_broadcast_stop(struct net *n, const char *token, int64_t broadcast_id);

int cadre_parse_login(const char *json, struct cadre_session *out, char *err, size_t errlen);
void cadre_session_wipe(struct cadre_session *s);
/* The newest open roll call of the cadre's branch: 0, -ENOENT (none open) or -EINVAL. */
int cadre_parse_rollcalls(const char *json, struct cadre_rollcall *out, char *err,
                          size_t errlen);
/* A roll call object (open or close reply). */
int cadre_parse_rollcall(const char *json, struct cadre_rollcall *out, char *err, size_t errlen);
int cadre_parse_signins(const char *json, struct cadre_signins *out, char *err, size_t errlen);
void cadre_signins_free(struct cadre_signins *s);
/* The oldest check still waiting: 0, -ENOENT (none) or -EINVAL. */
int cadre_parse_duty(const char *json, struct cadre_duty *out, char *err, size_t errlen);
/* A broadcast object (create and stop replies). */
int cadre_parse_broadcast(const char *json, struct cadre_broadcast *out, char *err,
                          size_t errlen);
/* The start reply: the broadcast and its publishing key (a secret: the caller wipes it). */
int cadre_parse_start(const char *json, struct cadre_broadcast *out, char *key, size_t key_size,
                      char *err, size_t errlen);
/* The live broadcast a cadre of village_id runs the roll call on, from a box's
 * GET /api/v1/broadcasts reply: the village's own (*own = 1), else the township's (*own = 0).
 * 0, -ENOENT (nothing live) or -EINVAL. */
int cadre_find_live(const char *json, int64_t village_id, struct cadre_broadcast *out, int *own,
                    char *err, size_t errlen);
/* What the server's refusal means for the cadre, in plain Chinese (never empty). */
const char *cadre_refusal_text(const struct net_result *r, char *buf, size_t size);

#endif
