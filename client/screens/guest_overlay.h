/* 我是外出党员 (a member away from home) on any box: the member types their phone and the PIN
 * the township gave them (on the modal keypad; the PIN shows as ●●●), the server opens a guest
 * session on their own branch's live meeting, the meeting plays, the session's heartbeat goes
 * with it (only while it plays in sight), and when their branch's roll call opens, "点名签到" appears over the video for them
 * (OK signs them in; the server records the box it came from). When the meeting ends the guest
 * is gone. Server routes: server/API.md, "A member away from home". */
#ifndef DJTV_GUEST_OVERLAY_H
#define DJTV_GUEST_OVERLAY_H

#include "app/overlay.h"

struct overlay *guest_overlay_create(struct app_services *svc);
/* Start "我是外出党员" (the home screen's 0 key). -ENODEV without the overlay, -EBUSY while a
 * guest is already here. */
int guest_overlay_start(struct app_services *svc);
/* The guest's meeting player says, each tick, whether the meeting plays in sight (its screen on
 * top, playing). Heartbeats and roll-call polls go only while it does: covered by another
 * player (the household's own meeting), paused or stalled, the guest is not watching. The
 * first heartbeat goes as soon as it does again. */
void guest_overlay_watching(struct overlays *ov, int watching);
/* The guest's meeting player closed: the guest has left the meeting. Their heartbeats and
 * roll-call polls stop and the session is forgotten on this box (0 on home starts again, the
 * phone kept). Nothing when the session is already over or there is no guest overlay. */
void guest_overlay_left(struct overlays *ov);

#endif
