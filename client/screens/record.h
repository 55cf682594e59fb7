/* 我的记录: a member's record from the server (GET /api/v1/members/{id}/record) as tables on
 * the kit — the meetings they were called to, with when they signed in, then their credits
 * (学分) with what earned them — and a line of totals. Opens on the first member watching
 * (app/household.h); LEFT/RIGHT shows the household's other members, UP/DOWN turns pages. */
#ifndef DJTV_RECORD_SCREEN_H
#define DJTV_RECORD_SCREEN_H

#include "app/screen.h"

/* NULL on out of memory or when the household's members are not known yet. */
struct screen *record_screen_create(struct app_services *svc);

#endif
