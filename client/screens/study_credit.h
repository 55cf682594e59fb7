/* Study credits: a course played to 90 % is reported completed for the household's members
 * (POST /api/v1/courses/{id}/completed) and earns its credit, unless their record already
 * has it (GET /api/v1/members/{id}/record, checked first). It runs as a passive overlay
 * (never drawn) so that it outlives the player screen: the course may end, and the member
 * leave, while the reports are on their way. In order: the position is saved (the server
 * checks it), the members are read, each record checked, the missing credits reported, a
 * notice "学完了，获得 1 学分", and if the course has ended meanwhile, its resume position
 * is set back to the start. */
#ifndef DJTV_STUDY_CREDIT_H
#define DJTV_STUDY_CREDIT_H

#include <stdint.h>

#include "app/overlay.h"

struct overlay *study_credit_overlay_create(struct app_services *svc);

/* The player reached 90 % (pos_s) of catalogue item item_id. Does nothing without the
 * overlay, for an item already reported in this session, or while another is in progress. */
void study_credit_watched(struct overlays *ov, int64_t item_id, double pos_s);
/* The course played to its end. 1 when the overlay will save its resume position (0) itself
 * once its reports are done (the player must not save 0 before: the server would refuse the
 * credit); 0: the player saves it now. */
int study_credit_take_end(struct overlays *ov, int64_t item_id);

#endif
