/* 我的服务: the household's service requests, newest first, with their state and deadline;
 * OK on one shows it with the township's replies. Opened by the green key, or from the
 * "您的请求有回复了" pop-up straight at the answered request. */
#ifndef DJTV_MY_REQUESTS_H
#define DJTV_MY_REQUESTS_H

#include <stdint.h>

#include "app/screen.h"

/* open_id > 0: show that request with its replies first. NULL on out of memory. */
struct screen *my_requests_screen_create(struct app_services *svc, int64_t open_id);

#endif
