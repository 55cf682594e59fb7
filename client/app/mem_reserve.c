#define LOG_TAG "mem"
#include "app/mem_reserve.h"

#include <malloc.h>
#include <stdlib.h>

#include "log.h"

enum {
    RESERVE_LOW = 3 << 20,   /* refill below this much free, touched memory at the top */
    RESERVE_CHUNK = 6 << 20, /* what one refill touches (~1,500 pages, a few ms) */
    PAGE = 4096,
    MMAP_FROM = 32 << 20, /* larger blocks still get their own mapping */
    TRIM_ABOVE = 48 << 20 /* give the top back only beyond this (the reserve stays) */
};

void mem_reserve_setup(void)
{
    /* Without these glibc maps blocks over 128 KB (a 40 px line of text is 100-400 KB)
     * afresh each time and gives a freed top back at once: every text would fault anew. */
    mallopt(M_MMAP_THRESHOLD, MMAP_FROM);
    mallopt(M_TRIM_THRESHOLD, TRIM_ABOVE);
}

void mem_reserve_refill(struct mem_reserve *mr)
{
    if (mr->off || mallinfo2().keepcost >= RESERVE_LOW)
        return;
    /* volatile: a compiler may drop stores to a block that is freed right after. */
    volatile char *p = malloc(RESERVE_CHUNK);
    if (!p)
        return;
    for (size_t i = 0; i < RESERVE_CHUNK; i += PAGE)
        p[i] = 0;
    free((void *)p);
    if (mallinfo2().keepcost < RESERVE_LOW) {
        mr->off = 1;
        log_debug("the allocator keeps no freed memory at the top: no reserve");
        return;
    }
    mr->refills++;
}
