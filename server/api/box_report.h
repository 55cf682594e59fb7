/* A set-top box reports its software version in its User-Agent ("djtv-client/0.1.0"); the
 * staff's boxes view shows it, with when the box last reported. */
#ifndef DJTV_API_BOX_REPORT_H
#define DJTV_API_BOX_REPORT_H

#include "api/api.h"

/* Record what the box WHO says it runs (REQ's User-Agent), when that changed or the last report
 * is over an hour old, so that a box fetching its home screen often writes rarely. A request
 * without a djtv-client User-Agent, or with a malformed version, records nothing. 0 or a
 * negative errno (logged; the caller's request goes on either way). */
int api_box_report(const struct caller *who, const struct api_request *req);

#endif
