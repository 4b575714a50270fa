/* Allocation with accounting; see util.h.
 *
 * Why a counter and not a check at every call: a conversion makes tens of
 * thousands of allocations, most of them inside jansson and libyaml calls
 * whose NULL or -1 results would each need a check, and one forgotten
 * check turns "out of memory" into a quietly different output.  Counting
 * every failure where it happens (our own wrappers, jansson through its
 * allocator hook, libyaml and libc through k2e_note_oom) makes the rule
 * total: k2e_convert compares the count before and after and turns any
 * increase into the internal-error status with nothing written.
 *
 * The counter is the one piece of process-wide state in the library.  It
 * only ever grows and is atomic; a failure in another thread can only make
 * a concurrent run report an internal error, never make a failed run look
 * like success.
 */
#include "base/util.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <jansson.h>

static atomic_ulong oom_count;

void k2e_note_oom(void)
{
    atomic_fetch_add_explicit(&oom_count, 1, memory_order_relaxed);
}

void k2e_note_errno(int error)
{
    if (error == ENOMEM)
        k2e_note_oom();
}

unsigned long k2e_oom_count(void)
{
    return atomic_load_explicit(&oom_count, memory_order_relaxed);
}

void *k2e_malloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        k2e_note_oom();
    return p;
}

void *k2e_calloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        k2e_note_oom();
    return p;
}

void *k2e_realloc(void *old, size_t size)
{
    void *p = realloc(old, size ? size : 1);
    if (!p)
        k2e_note_oom();
    return p;
}

void k2e_count_json_allocations(void)
{
    json_malloc_t current_malloc;
    json_free_t current_free;
    json_get_alloc_funcs(&current_malloc, &current_free);
    if (current_malloc != k2e_malloc)
        json_set_alloc_funcs(k2e_malloc, free);
}
