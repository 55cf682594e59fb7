/* One-key service (slot OVERLAY_SERVICE): the red key on any screen, over video too, opens
 * it; the categories from GET /requests/categories as big numbered buttons (digit, or
 * arrows + OK); then the phone: the household's remembered number (the phone of its last
 * request) is shown and OK keeps it, or digits type a new one (◀ deletes) and a wrong one
 * is refused with what is wrong; then 发送. A ticket number and "24小时内会有人联系您"
 * follow. When the network fails nothing typed is lost: the form stays and OK sends again.
 *
 * It also pops up "您的请求有回复了" on a request.reply event; OK opens 我的服务 at that
 * request. The green key opens 我的服务 from anywhere. */
#ifndef DJTV_SERVICE_OVERLAY_H
#define DJTV_SERVICE_OVERLAY_H

#include "app/overlay.h"

struct overlay *service_overlay_create(struct app_services *svc);

#endif
