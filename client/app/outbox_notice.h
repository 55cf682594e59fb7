/* The server's answer to something a member sent while offline, before a restart: nobody
 * waits for it, so a notice says on screen how it went (a quiz's score, or why it was refused). */
#ifndef DJTV_OUTBOX_NOTICE_H
#define DJTV_OUTBOX_NOTICE_H

#include "net/net.h"
#include "ui/notice.h"

/* r: a result with from_outbox set (borrowed). Posts nothing while it is still queued. */
void outbox_notice(struct notices *notices, const struct net_result *r);

#endif
