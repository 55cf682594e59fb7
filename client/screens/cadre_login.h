/* Cadre mode's door (MENU on the home screen): the cadre types their phone number and PIN on
 * the modal keypad (the PIN shows as ●); the box sends them with its own token
 * (POST /api/v1/sessions/pin). A refusal shows the server's reason in plain Chinese, OK types
 * again; a session opens cadre mode (screens/cadre_home.h) in place of this screen. */
#ifndef DJTV_CADRE_LOGIN_H
#define DJTV_CADRE_LOGIN_H

#include "app/screen.h"

struct screen *cadre_login_create(struct app_services *svc);

#endif
