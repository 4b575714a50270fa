/* Hash tables: the lookups that keep the converter linear.
 *
 * Design (after redis's dict.c, simplified for a program that builds its
 * tables once and then only reads them).  Three layers:
 *
 *   k2e_hash_bytes   a 64-bit hash of a byte string (8 bytes a step, then a
 *                    murmur3 finaliser), and k2e_hash_more to chain parts of
 *                    a composite key without building the composite string.
 *
 *   k2e_table        open addressing with linear probing over POSITIONS in
 *                    the caller's own array: a slot is (32 bits of the hash,
 *                    position + 1), 8 bytes, 0 = empty.  The table never
 *                    holds or compares keys: k2e_table_next returns the
 *                    positions whose slot hash matches and the caller checks
 *                    its own key there.  So one table type indexes YAML
 *                    mapping keys, Kubernetes objects by (kind, namespace,
 *                    name) or mapping-table entries without copying a key.
 *                    Capacity is a power of two, at most half full, so an
 *                    unsuccessful probe ends after ~2 slots on average.
 *                    There is no deletion (no tombstones): tables are built
 *                    and read.  A table may also live in memory the caller
 *                    provides (an arena): k2e_table_over.
 *
 *   k2e_strmap       a ready-made map from byte strings (copied) to void*
 *                    values, in insertion order (k2e_strmap_at), for callers
 *                    that have no array of their own; k2e_multimap maps a
 *                    key to the list of size_t ids added under it.
 *
 * Iteration order never depends on hash values (k2e_strmap iterates in
 * insertion order), so output stays deterministic whatever the hash.
 * Trade-off: the hash is not seeded, so input crafted to collide (keys with
 * the same 32-bit hash) degrades lookups to linear scans; Kubernetes names
 * are short and this is a batch tool over the user's own files, not a
 * server, so seeding (and its global state) is not worth it.
 */
#ifndef K2E_HASH_H
#define K2E_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/util.h"

#define K2E_ABSENT ((size_t)-1)

uint64_t k2e_hash_bytes(const void *data, size_t length);
uint64_t k2e_hash_string(const char *s);
/* Continues `hash` with another part; parts are delimited, so ("ab","c")
 * and ("a","bc") hash differently. */
uint64_t k2e_hash_more(uint64_t hash, const void *data, size_t length);

typedef struct {
    uint32_t hash;      /* low 32 bits of the key's hash */
    uint32_t position;  /* position + 1 in the caller's array; 0 = empty */
} k2e_slot;

typedef struct {
    k2e_slot *slots;    /* NULL while empty */
    size_t mask;        /* capacity - 1 */
    size_t count;
    bool borrowed;      /* slots belong to the caller (k2e_table_over) */
} k2e_table;

void k2e_table_init(k2e_table *table);
void k2e_table_release(k2e_table *table);
/* Empties the table, keeping its memory. */
void k2e_table_clear(k2e_table *table);
/* Room for `count` positions without growing; false when out of memory. */
bool k2e_table_reserve(k2e_table *table, size_t count);

/* Slots needed for `count` positions (a power of two), and a table over
 * caller memory of that many zeroed slots; it never grows. */
size_t k2e_table_capacity_for(size_t count);
k2e_table k2e_table_over(k2e_slot *slots, size_t capacity);

/* Records `position` under `hash` (equal keys may be recorded several
 * times: a multimap).  Grows an owned table; false when out of memory or
 * when a borrowed table is full.  Positions must be below 2^32 - 1. */
bool k2e_table_add(k2e_table *table, uint64_t hash, size_t position);

/* Candidate positions for `hash`, in the order they were added: start with
 * *cursor = 0 and call until K2E_ABSENT.  Candidates share 32 hash bits
 * only; the caller compares its keys. */
size_t k2e_table_next(const k2e_table *table, uint64_t hash, size_t *cursor);

/* --- k2e_strmap ---------------------------------------------------------- */

typedef struct {
    char *key;          /* owned copy, NUL-terminated (may hold NULs) */
    size_t length;
    void *value;
} k2e_strmap_entry;

typedef struct {
    k2e_strmap_entry *entries;  /* insertion order */
    size_t count, capacity;
    k2e_table table;
} k2e_strmap;

void k2e_strmap_init(k2e_strmap *map);
/* Frees the keys and the map, not the values. */
void k2e_strmap_release(k2e_strmap *map);

/* The entry for the key, or NULL. */
k2e_strmap_entry *k2e_strmap_find(const k2e_strmap *map, const char *key, size_t length);
void *k2e_strmap_get(const k2e_strmap *map, const char *key, size_t length);
/* The entry for the key, added (value NULL, *added true) when absent; NULL
 * when out of memory.  The pointer is valid until the next insertion. */
k2e_strmap_entry *k2e_strmap_upsert(k2e_strmap *map, const char *key, size_t length,
                                    bool *added);
/* Sets key -> value, replacing an earlier value; false when out of memory. */
bool k2e_strmap_put(k2e_strmap *map, const char *key, size_t length, void *value);

/* --- k2e_multimap ---------------------------------------------------------- */

/* key -> ids in the order added, e.g. (namespace, label=value) -> the
 * workloads whose pods carry that label. */
typedef struct {
    char *key;          /* owned copy */
    size_t length;
    size_t *ids;
    size_t count, capacity;
} k2e_multimap_entry;

typedef struct {
    k2e_multimap_entry *entries;  /* insertion order */
    size_t count, capacity;
    k2e_table table;
} k2e_multimap;

void k2e_multimap_init(k2e_multimap *map);
void k2e_multimap_release(k2e_multimap *map);
bool k2e_multimap_add(k2e_multimap *map, const char *key, size_t length, size_t id);
/* The ids added under key (NULL and *count 0 when none). */
const size_t *k2e_multimap_get(const k2e_multimap *map, const char *key, size_t length,
                               size_t *count);

/* --- Composite keys ---------------------------------------------------------- */

/* Resets buf to the parts, each followed by a NUL (so no two part lists
 * compose to the same key), and returns its text; *length counts the NULs.
 * The parts end with a NULL.  NULL when out of memory. */
const char *k2e_compose_key(k2e_buf *buf, size_t *length, const char *first, ...);

#endif
