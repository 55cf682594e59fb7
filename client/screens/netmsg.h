/* What to tell a member when a request to the server failed: the problem in plain words, and
 * what they can do. One table for every screen, so the same problem is always told the same
 * way. Static strings. */
#ifndef DJTV_NETMSG_H
#define DJTV_NETMSG_H

#include "net/net.h"

struct net_msg {
    const char *what;
    const char *help;
};

/* What the screen does next, which changes the wording: gives up (list, item: the member goes
 * back or presses OK again) or keeps trying by itself (home: "正在重试…"). */
enum net_msg_mode { NET_MSG_GAVE_UP, NET_MSG_RETRYING };

/* r is a failed request; a 200 reply here is one whose body was not understood. */
struct net_msg net_msg_for(const struct net_result *r, enum net_msg_mode mode);

#endif
