/* A section of the home screen (党务公开 …). For now it says the section is coming soon. */
#ifndef DJTV_SECTION_H
#define DJTV_SECTION_H

#include "app/screen.h"

/* key: "affairs", "live" …; title: its Chinese name. NULL on out of memory. */
struct screen *section_screen_create(struct app_services *svc, const char *key,
                                     const char *title);

#endif
