/* "谁在看？": the household's members with their photos (or the first character of the
 * name on a card when there is no photo) and names; OK or the member's digit marks who is
 * watching, "好了" keeps the choice, "全家都在看" chooses everyone. The choice goes into the
 * app's household (app/household.h): check-ins, quiz scores and questionnaire answers go to
 * those chosen. Back keeps what is marked (everyone when nobody is). */
#ifndef DJTV_VIEWERS_H
#define DJTV_VIEWERS_H

#include "app/screen.h"

/* NULL on out of memory or when svc->household has no members. */
struct screen *viewers_screen_create(struct app_services *svc);

#endif
