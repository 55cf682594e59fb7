/* The screen stack. The bottom screen is home and is never popped; HOME pops back to it. */
#ifndef DJTV_STACK_H
#define DJTV_STACK_H

#include "app/screen.h"

enum { STACK_MAX = 16 };

struct screen_stack {
    struct screen *s[STACK_MAX]; /* owned */
    int n;
    struct requests *reqs;       /* borrowed: entries of destroyed screens are forgotten */
};

void stack_init(struct screen_stack *st, struct requests *reqs);
/* Destroys every screen. */
void stack_fini(struct screen_stack *st);
struct screen *stack_top(const struct screen_stack *st);
int stack_contains(const struct screen_stack *st, const struct screen *s);
/* Takes ownership of s (destroys it on failure). Returns 0 or -ENOSPC. */
int stack_push(struct screen_stack *st, struct screen *s);
/* Replace the top (never the home screen: then it pushes). */
int stack_replace(struct screen_stack *st, struct screen *s);
/* Pop the top unless it is the home screen. Returns 1 if something was popped. */
int stack_pop(struct screen_stack *st);
/* Back to the bottom screen. */
void stack_home(struct screen_stack *st);
/* Apply a screen's navigation request (NAV_QUIT is left to the caller: a no-op here). */
void stack_apply(struct screen_stack *st, struct nav *nav);

#endif
