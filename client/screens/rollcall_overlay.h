/* The roll-call prompt "点名签到" (slot OVERLAY_ROLLCALL), over any screen, video included.
 *
 * It appears when a roll call opens for this box's village (the rollcall.opened event), and
 * whenever a read of GET /rollcalls/current finds one open that the household has not
 * finished (at start, and each time the event stream comes back), so a box that missed the
 * event still finds it. OK signs in every member of the household, each with their own
 * check-in. The server decides whether the box is watching: a "not watching" answer makes
 * the prompt open the meeting (the player, with heartbeats) and try again every moment
 * until the first heartbeat has been accepted — still one key. The result, per member, in
 * plain words: "林玉山 签到成功 10:02", or the server's reason ("点名已结束", "请先观看会议").
 * A lost reply is retried: the server's check-in is idempotent. */
#ifndef DJTV_ROLLCALL_OVERLAY_H
#define DJTV_ROLLCALL_OVERLAY_H

#include "app/overlay.h"

/* Asks the server for the open roll calls at once. NULL on out of memory. */
struct overlay *rollcall_overlay_create(struct app_services *svc);

#endif
