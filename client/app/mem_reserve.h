/* Touched heap kept in reserve for the UI thread. A screen's first paint makes a texture per
 * new text, and on this class of machine the page faults of that fresh memory cost as much
 * as the copying (the walk in tests/bench/tvflows.py: ~600 faults in the home screen's first
 * full frame). With the reserve, the loop touches a few megabytes while it is idle and frees
 * them to the top of the heap; the next frame's allocations are carved from pages already
 * mapped. glibc only: with another allocator (ASan, valgrind) the first refill sees that
 * nothing was kept and the reserve switches itself off. */
#ifndef DJTV_MEM_RESERVE_H
#define DJTV_MEM_RESERVE_H

struct mem_reserve {
    int off; /* the allocator does not keep freed memory at the top: never try again */
    unsigned long refills;
};

/* Keep freed memory up to a few tens of megabytes instead of giving it back at once, and
 * serve large blocks from the heap. Process-wide: call once, from main(), before threads. */
void mem_reserve_setup(void);

/* Top the reserve up if it ran low; call only when the loop is about to wait. */
void mem_reserve_refill(struct mem_reserve *mr);

#endif
