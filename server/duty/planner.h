/* Duty checks planned ahead (值班坐班 random checks): a thread that, once a second, sends every
 * planned check that is due — a duty check of the village as if staff had pressed "check now"
 * (the planner's account asks it), the event to the village's cadre and boxes and to the
 * township's staff — or skips it when the village already has a check waiting. */
#ifndef DJTV_DUTY_PLANNER_H
#define DJTV_DUTY_PLANNER_H

#include <time.h>

struct store;
struct events;
struct duty_planner;

/* How long a cadre has to answer a check (api/duty.c and the planner). */
enum { DUTY_ANSWER_WINDOW_S = 10 * 60 };

/* Start the thread over STORE and EVENTS (both borrowed; EVENTS may be NULL: no events).
 * 0 with *OUT, or a negative errno. */
int duty_planner_start(struct store *store, struct events *events, struct duty_planner **out);
/* Send what is due at NOW (the thread calls it each second; tests may call it). Returns how
 * many plans it handled, or a negative errno. */
int duty_planner_run_due(struct store *store, struct events *events, time_t now);
/* Stop the thread and free it. NULL is fine. */
void duty_planner_stop(struct duty_planner *p);

#endif
