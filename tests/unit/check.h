/* Minimal table-friendly unit test support. Each test binary prints one line per case:
 * "ok - NAME", "ok - NAME # SKIP why" (CHECK_SKIP: this machine cannot run it) or
 * "not ok - NAME: file:line: what failed", and exits non-zero if any failed.
 * tests/run.py counts these lines. */
#ifndef DJTV_CHECK_H
#define DJTV_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_cases;
static int check_case_failed;
static char check_first_failure[512];
static char check_skip_reason[256];

/* The case cannot run here (say why); it is reported as skipped, not passed. */
#define CHECK_SKIP(...) snprintf(check_skip_reason, sizeof(check_skip_reason), __VA_ARGS__)

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            if (!check_case_failed)                                                        \
                snprintf(check_first_failure, sizeof(check_first_failure), "%s:%d: %s",    \
                         __FILE__, __LINE__, #cond);                                       \
            check_case_failed = 1;                                                         \
        }                                                                                  \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                                 \
    do {                                                                                   \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);                    \
        if (check_a_ != check_b_) {                                                        \
            if (!check_case_failed)                                                        \
                snprintf(check_first_failure, sizeof(check_first_failure),                 \
                         "%s:%d: %s == %s (%lld != %lld)", __FILE__, __LINE__, #a, #b,     \
                         check_a_, check_b_);                                              \
            check_case_failed = 1;                                                         \
        }                                                                                  \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                                 \
    do {                                                                                   \
        const char *check_a_ = (a), *check_b_ = (b);                                       \
        if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_) != 0) {                   \
            if (!check_case_failed)                                                        \
                snprintf(check_first_failure, sizeof(check_first_failure),                 \
                         "%s:%d: %s == %s (\"%.120s\" != \"%.120s\")", __FILE__, __LINE__, #a, #b, \
                         check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)");   \
            check_case_failed = 1;                                                         \
        }                                                                                  \
    } while (0)

#define RUN(fn)                                                                            \
    do {                                                                                   \
        check_case_failed = 0;                                                             \
        check_skip_reason[0] = '\0';                                                       \
        fn();                                                                              \
        if (check_case_failed) {                                                           \
            check_failed_cases++;                                                          \
            printf("not ok - %s: %s\n", #fn, check_first_failure);                         \
        } else if (check_skip_reason[0]) {                                                 \
            printf("ok - %s # SKIP %s\n", #fn, check_skip_reason);                         \
        } else {                                                                           \
            printf("ok - %s\n", #fn);                                                      \
        }                                                                                  \
        fflush(stdout);                                                                    \
    } while (0)

#define CHECK_DONE() (check_failed_cases ? 1 : 0)

#endif
