/* The UI thread's reserve of touched heap: after a refill, the blocks a screen's first paint
 * allocates (a texture per new text) are carved from pages already mapped, so the frame
 * takes no page faults for them. Under ASan or valgrind the allocator is not glibc's and the
 * reserve must switch itself off, harmlessly. */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include "app/mem_reserve.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../check.h"

enum { TEXT_BLOCK = 180 << 10, BLOCKS = 12 }; /* ~2 MB: a home screen's new texts */

static long faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_minflt;
}

/* Faults taken while allocating and filling BLOCKS text-sized blocks (kept, as the text
 * cache keeps its textures). */
static long faults_for_texts(void *blocks[BLOCKS])
{
    long before = faults();
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(TEXT_BLOCK);
        CHECK(blocks[i] != NULL);
        if (blocks[i])
            memset(blocks[i], 0x5a, TEXT_BLOCK);
    }
    return faults() - before;
}

static void test_texts_after_a_refill_take_no_page_faults(void)
{
    mem_reserve_setup();
    struct mem_reserve mr = { 0 };
    void *cold[BLOCKS], *warm[BLOCKS];
    long pages = (long)BLOCKS * TEXT_BLOCK / 4096;
    long without = faults_for_texts(cold); /* the heap has no touched room yet */
    mem_reserve_refill(&mr);
    long with = faults_for_texts(warm);
    if (mr.off) {
        /* Not glibc's allocator: nothing was promised, nothing may break. */
        CHECK_EQ_INT(mr.refills, 0);
        CHECK_SKIP("not glibc's allocator (sanitizer or valgrind): the reserve is off");
    } else {
        CHECK_EQ_INT(mr.refills, 1);
        CHECK(without > pages / 2);
        CHECK(with < pages / 10);
    }
    /* Full again: a second call does nothing. */
    unsigned long refills = mr.refills;
    for (int i = 0; i < BLOCKS; i++)
        free(warm[i]);
    mem_reserve_refill(&mr);
    CHECK_EQ_INT(mr.refills, refills);
    for (int i = 0; i < BLOCKS; i++)
        free(cold[i]);
}

int main(void)
{
    RUN(test_texts_after_a_refill_take_no_page_faults);
    return CHECK_DONE();
}
