#include "orderflow_malloc.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void orderflow_malloc_limit_arenas(int count) {
#if defined(__GLIBC__)
    mallopt(M_ARENA_MAX, count);
#else
    (void)count;
#endif
}
