#ifndef ORDERFLOW_MALLOC_H
#define ORDERFLOW_MALLOC_H

// glibc's allocator setting that Swift's Glibc module does not export.
void orderflow_malloc_limit_arenas(int count);

#endif
