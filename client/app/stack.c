#define LOG_TAG "stack"
#include "app/stack.h"

#include <errno.h>
#include <string.h>

#include "app/requests.h"
#include "log.h"

void stack_init(struct screen_stack *st, struct requests *reqs)
{
    memset(st, 0, sizeof(*st));
    st->reqs = reqs;
}

static void destroy_screen(struct screen_stack *st, struct screen *s)
{
    requests_forget(st->reqs, &s->own);
    screen_destroy(s);
}

void stack_fini(struct screen_stack *st)
{
    while (st->n > 0)
        destroy_screen(st, st->s[--st->n]);
}

struct screen *stack_top(const struct screen_stack *st)
{
    return st->n ? st->s[st->n - 1] : NULL;
}

int stack_contains(const struct screen_stack *st, const struct screen *s)
{
    for (int i = 0; i < st->n; i++) {
        if (st->s[i] == s)
            return 1;
    }
    return 0;
}

static void mark_top_dirty(struct screen_stack *st)
{
    if (st->n)
        st->s[st->n - 1]->own.dirty = 1;
}

int stack_push(struct screen_stack *st, struct screen *s)
{
    if (st->n == STACK_MAX) {
        log_error("screen stack full; not opening %s", s->name);
        destroy_screen(st, s);
        return -ENOSPC;
    }
    st->s[st->n++] = s;
    log_debug("push %s (depth %d)", s->name, st->n);
    mark_top_dirty(st);
    return 0;
}

int stack_replace(struct screen_stack *st, struct screen *s)
{
    if (st->n <= 1)
        return stack_push(st, s);
    destroy_screen(st, st->s[st->n - 1]);
    st->s[st->n - 1] = s;
    mark_top_dirty(st);
    return 0;
}

int stack_pop(struct screen_stack *st)
{
    if (st->n <= 1)
        return 0;
    destroy_screen(st, st->s[--st->n]);
    st->s[st->n] = NULL;
    mark_top_dirty(st);
    return 1;
}

void stack_home(struct screen_stack *st)
{
    while (stack_pop(st))
        ;
}

void stack_apply(struct screen_stack *st, struct nav *nav)
{
    switch (nav->kind) {
    case NAV_PUSH:
        if (nav->next)
            stack_push(st, nav->next);
        break;
    case NAV_REPLACE:
        if (nav->next)
            stack_replace(st, nav->next);
        break;
    case NAV_POP:
    case NAV_HOME:
    case NAV_QUIT: /* the app's business (it ends the loop); nothing to do on the stack */
    case NAV_NONE:
        if (nav->next) /* a screen nobody will show */
            destroy_screen(st, nav->next);
        if (nav->kind == NAV_POP)
            stack_pop(st);
        else if (nav->kind == NAV_HOME)
            stack_home(st);
        break;
    }
    nav->kind = NAV_NONE;
    nav->next = NULL;
    nav->status = 0;
}
