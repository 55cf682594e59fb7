/* Who is watching: the household's members (from the home reply) and those of them the
 * member chose on "谁在看？". The chosen ones are the default for check-ins, quiz scores and
 * questionnaire answers; the choice is forgotten once the box has been idle for a while
 * (2 hours by default), so the next person at the TV is asked again. Pure state: time comes
 * in as arguments, so it is tested without SDL. UI-thread only. */
#ifndef DJTV_HOUSEHOLD_H
#define DJTV_HOUSEHOLD_H

#include <cjson/cJSON.h>
#include <stdint.h>

enum { HOUSEHOLD_MAX = 16, HOUSEHOLD_NAME_MAX = 128, HOUSEHOLD_PHOTO_MAX = 256 };
enum { HOUSEHOLD_FORGET_DEFAULT_MIN = 120 };

struct household_member {
    int64_t id;
    char name[HOUSEHOLD_NAME_MAX];
    char photo[HOUSEHOLD_PHOTO_MAX]; /* the server's /media/ path; "" = none */
    int viewing;                     /* chosen on "谁在看？" */
};

struct household {
    struct household_member members[HOUSEHOLD_MAX];
    int n;
    int ask;             /* ask "谁在看？" at all (a box: yes; most tests: no) */
    int chosen;          /* a choice stands (made, or nothing to choose: one member) */
    int known;           /* the members came (household_set): until then nobody can choose */
    uint32_t forget_ms;  /* idle this long: the choice is forgotten; 0 = never */
    uint32_t chosen_at;  /* when it was made (ticks), for the log */
};

void household_init(struct household *h, int ask, uint32_t forget_ms);
/* The members as the server lists them now (ids, names, photos). A choice stands for the
 * members still there; when none of the chosen is left, it is forgotten. */
void household_set(struct household *h, const struct household_member *m, int n);
/* 1 when "谁在看？" should be asked: asking is on, several members, no choice stands. */
int household_needs_choice(const struct household *h);
/* 1 while "谁在看？" is still to come or on screen: asking is on, no choice stands, and the
 * members are not known yet or are several. A roll-call prompt waits for it. */
int household_choice_pending(const struct household *h);
/* The choice: viewing[i] for members[i] (n = h->n). At least one must be chosen: -EINVAL. */
int household_choose(struct household *h, const int *viewing, uint32_t now);
/* Is member id one of those watching? Without a choice everyone is. */
int household_is_viewer(const struct household *h, int64_t id);
/* The viewers' ids in the household's order; returns how many (<= max). */
int household_viewers(const struct household *h, int64_t *ids, int max);
/* The box has been quiet for quiet_ms: forget the choice when it is long enough. Returns 1
 * when it was just forgotten; *wake_ms gets ms until it would be (or -1). */
int household_idle(struct household *h, uint32_t quiet_ms, int *wake_ms);
/* The member with this id, or NULL. */
const struct household_member *household_member(const struct household *h, int64_t id);

/* For the UI dump: "viewers", the chosen members' ids ([] = no choice stands). */
void household_dump_viewers(const struct household *h, cJSON *state);

#endif
