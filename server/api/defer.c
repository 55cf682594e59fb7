/* Deferred writes: park a handler's write on the store's writer thread, or run it at once. */
#include <errno.h>

#include "api/api.h"

int api_deferred_finish(const struct api_deferred *d, int rc, cJSON **out)
{
    rc = d->reply(d->arg, rc, out);
    if (d->free)
        d->free(d->arg);
    return rc;
}

int api_defer(const struct api_request *req, const struct api_deferred *d, cJSON **out)
{
    if (!d || !d->run || !d->reply) {
        if (d && d->free)
            d->free(d->arg);
        return -EINVAL;
    }
    if (req->defer) {
        *req->defer = *d;
        return API_DEFERRED;
    }
    return api_deferred_finish(d, store_write(req->store, d->run, d->arg), out);
}
