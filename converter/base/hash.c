/* Hash tables; see hash.h for the design. */
#include "base/hash.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* --- Hashing -------------------------------------------------------------- */

static const uint64_t MULTIPLIER = 0x9E3779B97F4A7C15u; /* 2^64 / golden ratio */

/* murmur3's 64-bit finaliser: every input bit reaches every output bit. */
static uint64_t finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDu;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53u;
    h ^= h >> 33;
    return h;
}

uint64_t k2e_hash_more(uint64_t hash, const void *data, size_t length)
{
    const unsigned char *p = data;
    uint64_t h = (hash ^ length) * MULTIPLIER;
    while (length >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        h = (h ^ word) * MULTIPLIER;
        h ^= h >> 29;
        p += 8;
        length -= 8;
    }
    uint64_t tail = 0;
    memcpy(&tail, p, length);
    h = (h ^ tail) * MULTIPLIER;
    return finish(h);
}

uint64_t k2e_hash_bytes(const void *data, size_t length)
{
    return k2e_hash_more(0, data, length);
}

uint64_t k2e_hash_string(const char *s)
{
    return k2e_hash_bytes(s, strlen(s));
}

/* --- k2e_table ---------------------------------------------------------------- */

void k2e_table_init(k2e_table *table)
{
    memset(table, 0, sizeof *table);
}

void k2e_table_release(k2e_table *table)
{
    if (!table->borrowed)
        free(table->slots);
    k2e_table_init(table);
}

void k2e_table_clear(k2e_table *table)
{
    if (table->slots && table->count)
        memset(table->slots, 0, (table->mask + 1) * sizeof *table->slots);
    table->count = 0;
}

size_t k2e_table_capacity_for(size_t count)
{
    size_t capacity = 8;
    while (capacity / 2 < count)
        capacity *= 2;
    return capacity;
}

k2e_table k2e_table_over(k2e_slot *slots, size_t capacity)
{
    return (k2e_table){.slots = slots, .mask = capacity - 1, .count = 0, .borrowed = true};
}

static void place(k2e_slot *slots, size_t mask, k2e_slot slot)
{
    size_t i = slot.hash & mask;
    while (slots[i].position)
        i = (i + 1) & mask;
    slots[i] = slot;
}

static bool grow(k2e_table *table, size_t count)
{
    size_t capacity = k2e_table_capacity_for(count);
    if (table->slots && capacity <= table->mask + 1)
        return true;
    if (table->borrowed)
        return false;
    k2e_slot *slots = k2e_calloc(capacity, sizeof *slots);
    if (!slots)
        return false;
    /* Equal hashes must stay in the order they were added, so each cluster
     * is re-placed front to back: start after an empty slot (one exists,
     * the table is at most half full) and go round once. */
    size_t old = table->slots ? table->mask + 1 : 0, start = 0;
    while (start < old && table->slots[start].position)
        start++;
    for (size_t n = 1; n <= old; n++) {
        const k2e_slot *slot = &table->slots[(start + n) & table->mask];
        if (slot->position)
            place(slots, capacity - 1, *slot);
    }
    free(table->slots);
    table->slots = slots;
    table->mask = capacity - 1;
    return true;
}

bool k2e_table_reserve(k2e_table *table, size_t count)
{
    return grow(table, count);
}

bool k2e_table_add(k2e_table *table, uint64_t hash, size_t position)
{
    if (position >= UINT32_MAX || !grow(table, table->count + 1))
        return false;
    place(table->slots, table->mask, (k2e_slot){(uint32_t)hash, (uint32_t)(position + 1)});
    table->count++;
    return true;
}

size_t k2e_table_next(const k2e_table *table, uint64_t hash, size_t *cursor)
{
    if (!table->slots)
        return K2E_ABSENT;
    uint32_t h = (uint32_t)hash;
    /* *cursor counts the slots already looked at from the home slot. */
    for (size_t step = *cursor; step <= table->mask; step++) {
        const k2e_slot *slot = &table->slots[(h + step) & table->mask];
        if (!slot->position)
            break;
        if (slot->hash == h) {
            *cursor = step + 1;
            return slot->position - 1;
        }
    }
    *cursor = table->mask + 1;
    return K2E_ABSENT;
}

/* --- k2e_strmap ------------------------------------------------------------------ */

void k2e_strmap_init(k2e_strmap *map)
{
    memset(map, 0, sizeof *map);
    k2e_table_init(&map->table);
}

void k2e_strmap_release(k2e_strmap *map)
{
    for (size_t i = 0; i < map->count; i++)
        free(map->entries[i].key);
    free(map->entries);
    k2e_table_release(&map->table);
    k2e_strmap_init(map);
}

k2e_strmap_entry *k2e_strmap_find(const k2e_strmap *map, const char *key, size_t length)
{
    uint64_t hash = k2e_hash_bytes(key, length);
    size_t cursor = 0, i;
    while ((i = k2e_table_next(&map->table, hash, &cursor)) != K2E_ABSENT) {
        k2e_strmap_entry *e = &map->entries[i];
        if (e->length == length && memcmp(e->key, key, length) == 0)
            return e;
    }
    return NULL;
}

void *k2e_strmap_get(const k2e_strmap *map, const char *key, size_t length)
{
    k2e_strmap_entry *e = k2e_strmap_find(map, key, length);
    return e ? e->value : NULL;
}

k2e_strmap_entry *k2e_strmap_upsert(k2e_strmap *map, const char *key, size_t length,
                                    bool *added)
{
    *added = false;
    k2e_strmap_entry *e = k2e_strmap_find(map, key, length);
    if (e)
        return e;
    if (!k2e_grow((void **)&map->entries, &map->capacity, map->count + 1,
                  sizeof *map->entries))
        return NULL;
    char *copy = k2e_strndup(key, length);
    if (!copy)
        return NULL;
    if (!k2e_table_add(&map->table, k2e_hash_bytes(key, length), map->count)) {
        free(copy);
        return NULL;
    }
    e = &map->entries[map->count++];
    *e = (k2e_strmap_entry){copy, length, NULL};
    *added = true;
    return e;
}

bool k2e_strmap_put(k2e_strmap *map, const char *key, size_t length, void *value)
{
    bool added;
    k2e_strmap_entry *e = k2e_strmap_upsert(map, key, length, &added);
    if (!e)
        return false;
    e->value = value;
    return true;
}

/* --- k2e_multimap ------------------------------------------------------------------ */

void k2e_multimap_init(k2e_multimap *map)
{
    memset(map, 0, sizeof *map);
    k2e_table_init(&map->table);
}

void k2e_multimap_release(k2e_multimap *map)
{
    for (size_t i = 0; i < map->count; i++) {
        free(map->entries[i].key);
        free(map->entries[i].ids);
    }
    free(map->entries);
    k2e_table_release(&map->table);
    k2e_multimap_init(map);
}

static k2e_multimap_entry *multimap_find(const k2e_multimap *map, const char *key,
                                         size_t length, uint64_t hash)
{
    size_t cursor = 0, i;
    while ((i = k2e_table_next(&map->table, hash, &cursor)) != K2E_ABSENT) {
        k2e_multimap_entry *e = &map->entries[i];
        if (e->length == length && memcmp(e->key, key, length) == 0)
            return e;
    }
    return NULL;
}

bool k2e_multimap_add(k2e_multimap *map, const char *key, size_t length, size_t id)
{
    uint64_t hash = k2e_hash_bytes(key, length);
    k2e_multimap_entry *e = multimap_find(map, key, length, hash);
    if (!e) {
        if (!k2e_grow((void **)&map->entries, &map->capacity, map->count + 1,
                      sizeof *map->entries))
            return false;
        char *copy = k2e_strndup(key, length);
        if (!copy || !k2e_table_add(&map->table, hash, map->count)) {
            free(copy);
            return false;
        }
        e = &map->entries[map->count++];
        *e = (k2e_multimap_entry){.key = copy, .length = length};
    }
    if (!k2e_grow((void **)&e->ids, &e->capacity, e->count + 1, sizeof *e->ids))
        return false;
    e->ids[e->count++] = id;
    return true;
}

const size_t *k2e_multimap_get(const k2e_multimap *map, const char *key, size_t length,
                               size_t *count)
{
    const k2e_multimap_entry *e = multimap_find(map, key, length, k2e_hash_bytes(key, length));
    *count = e ? e->count : 0;
    return e ? e->ids : NULL;
}

/* --- Composite keys -------------------------------------------------------------------- */

const char *k2e_compose_key(k2e_buf *buf, size_t *length, const char *first, ...)
{
    buf->length = 0;
    if (buf->data)
        buf->data[0] = '\0';
    va_list ap;
    va_start(ap, first);
    for (const char *part = first; part; part = va_arg(ap, const char *))
        k2e_buf_append(buf, part, strlen(part) + 1);
    va_end(ap);
    if (buf->failed || !buf->data)
        return NULL;
    *length = buf->length;
    return buf->data;
}
