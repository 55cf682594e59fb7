/* One item to read (a notice, a disclosure, a pioneer …), from GET /api/v1/items/{id}: its
 * title, kind, date and who published it, the text wrapped in big lines, and for a finance
 * disclosure (财务公示) the accounts as a table (date, item, income, expense, balance in
 * yuan) with the totals. Long content is split in pages: UP/DOWN (and LEFT/RIGHT) turn
 * them, "第 1/3 页" in the header. Loading and error states with retry (OK). */
#ifndef DJTV_DETAIL_H
#define DJTV_DETAIL_H

#include <stdint.h>

#include "app/screen.h"

/* title: shown while the item loads (from the list row). NULL on out of memory. */
struct screen *detail_screen_create(struct app_services *svc, int64_t item_id,
                                    const char *title);

#endif
