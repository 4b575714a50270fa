/* The structural differences of two normalised documents, one record per
 * changed value: what `kube2ecs diff --format json` prints. */
#ifndef K2E_DIFF_COMPARE_H
#define K2E_DIFF_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef struct {
    char *path;        /* "containerDefinitions[name=api].image" */
    json_t *expected;  /* NULL: absent on the converted side */
    json_t *actual;    /* NULL: absent in the compared file */
} k2e_change;

typedef struct {
    k2e_change *items;
    size_t count, capacity;
    bool failed; /* out of memory */
} k2e_changes;

/* Appends a record per difference below `path`: maps member by member,
 * lists item by item (by identity where every item has a distinct one,
 * else by index), anything else as a whole. */
void k2e_compare(const json_t *expected, const json_t *actual, const char *path,
                 k2e_changes *out);
void k2e_changes_release(k2e_changes *changes);

#endif
