/* Cadre mode on the activity-room box (after screens/cadre_login): the meeting (start it from
 * the camera in one action, its uplink and a preview, stop it), the roll call (open, close,
 * who has signed in and who is missing, live from the cadre's own event stream) and the
 * township's duty checks (answer with OK). The cadre's session lives only here: BACK, an idle
 * remote or the app's end log it out; the box's own token is never replaced. */
#ifndef DJTV_CADRE_HOME_H
#define DJTV_CADRE_HOME_H

#include "app/screen.h"
#include "net/cadre.h"

/* Takes a copy of SESSION (the caller wipes its own). NULL on no memory. */
struct screen *cadre_home_create(struct app_services *svc, const struct cadre_session *session);

#endif
