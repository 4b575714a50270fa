/* The reader: libyaml events -> node tree with positions and limits.
 *
 * Design.  libyaml's parser is already non-recursive; the builder keeps an
 * explicit stack of open collections, so a deeply nested document costs
 * memory proportional to its depth (capped) and never C stack.  Nodes and
 * strings are bump-allocated from an arena per file: building is a few
 * pointer bumps per event, and freeing a file is freeing a handful of
 * chunks.  Collections collect their children on a scratch stack and copy
 * them into the arena when they close, exactly sized, so no array is ever
 * reallocated inside the arena.
 *
 * Linear in the input, whatever its shape.  Closing a mapping checks its
 * keys for duplicates with a hash table (base/hash.h) once it has more than
 * a few pairs, and a mapping of INDEXED_PAIRS keys or more keeps that table
 * (after its items, in the arena) so that k2e_get is constant time on it:
 * a ConfigMap of 100,000 keys costs 100,000 steps to read and to look every
 * key up, not 10^10.  Anchors are found by a hash table too.
 *
 * Before libyaml sees the bytes, one pass checks the encoding (NUL bytes,
 * invalid UTF-8) so that binary or mis-encoded files get an error with a
 * line and column instead of libyaml's byte offset.  A UTF-8 BOM and CRLF
 * line ends are valid YAML and are accepted.
 *
 * Aliases share the anchored node.  The builder counts the "weight" of each
 * open collection (nodes in its subtree, counting every alias expansion)
 * and keeps it for anchored nodes only; an alias adds its anchor's weight
 * to what aliases added to the document, which is capped: the classic
 * billion-laughs document fails at its fourth or fifth line.  Nodes written
 * out are capped separately, per file.
 *
 * Merge keys (<<) are resolved as go-yaml v2 does (explicit keys win, then
 * the merged mappings in order), because Kubernetes' decoder accepts them.
 */
#include "read/yaml_tree.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/hash.h"
#include "base/util.h"

/* --- Arena ------------------------------------------------------------- */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used;
    size_t size;
    max_align_t data[];
} arena_chunk;

struct k2e_arena {
    arena_chunk *head;   /* the chunk being filled */
    size_t total;        /* bytes in all chunks */
};

/* A new chunk holds a quarter of what the arena already has (8 KiB to
 * 1 MiB): a small file costs little, a large one few mallocs, and the
 * unused tail of the last chunk stays a small part of the total.  (A fixed
 * 256 KiB chunk left half of the memory of 25 KB files unused.) */
enum { CHUNK_MIN = 8 * 1024, CHUNK_MAX = 1024 * 1024 };

static arena_chunk *new_chunk(k2e_arena *arena, size_t bytes)
{
    arena_chunk *chunk = k2e_malloc(sizeof *chunk + bytes);
    if (!chunk)
        return NULL;
    chunk->used = 0;
    chunk->size = bytes;
    arena->total += bytes;
    return chunk;
}

/* `align` is a power of two: 1 for text, the type's alignment otherwise
 * (text packed without padding saves ~6 bytes a scalar). */
static void *arena_alloc(k2e_arena *arena, size_t size, size_t align)
{
    arena_chunk *chunk = arena->head;
    size_t at = chunk ? (chunk->used + align - 1) & ~(align - 1) : 0;
    if (chunk && at <= chunk->size && chunk->size - at >= size) {
        chunk->used = at + size;
        return (char *)chunk->data + at;
    }
    size_t want = arena->total / 4;
    want = want < CHUNK_MIN ? CHUNK_MIN : want > CHUNK_MAX ? CHUNK_MAX : want;
    if (size > want / 2 && chunk) {
        /* A large block gets a chunk of its own, behind the one being
         * filled, whose free space stays in use. */
        arena_chunk *own = new_chunk(arena, size);
        if (!own)
            return NULL;
        own->used = size;
        own->next = chunk->next;
        chunk->next = own;
        return own->data;
    }
    chunk = new_chunk(arena, size > want ? size : want);
    if (!chunk)
        return NULL;
    chunk->next = arena->head;
    arena->head = chunk;
    chunk->used = size;
    return chunk->data;
}

#define ARENA_NEW(arena, type, n) \
    ((type *)arena_alloc((arena), (n) * sizeof(type), _Alignof(type)))

static char *arena_strndup(k2e_arena *arena, const char *s, size_t n)
{
    char *copy = arena_alloc(arena, n + 1, 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

static void arena_free(k2e_arena *arena)
{
    if (!arena)
        return;
    arena_chunk *chunk = arena->head;
    while (chunk) {
        arena_chunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    free(arena);
}

size_t k2e_file_memory(const k2e_file *file)
{
    return file && file->arena ? file->arena->total : 0;
}

k2e_limits k2e_limits_default(void)
{
    return (k2e_limits){
        .max_file_bytes = 64u << 20,
        .max_document_bytes = 16u << 20,
        .max_depth = 100,
        .max_nodes = 4000000,
        .max_expanded = 1000000,
    };
}

/* --- Encoding check ------------------------------------------------------ */

/* Length of the UTF-8 sequence at p (1..4), or 0 when invalid. */
static size_t utf8_sequence(const unsigned char *p, size_t left)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07; }
    else return 0;
    if (n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    static const uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* YAML 1.1's printable set (also what libyaml accepts): tab, line breaks,
 * visible ASCII, NEL, and the rest of Unicode but C1 controls, surrogates
 * and U+FFFE/U+FFFF. */
static uint32_t decode(const unsigned char *p, size_t n)
{
    static const unsigned char masks[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t cp = p[0] & masks[n];
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (p[i] & 0x3F);
    return cp;
}

static bool printable(uint32_t cp)
{
    if (cp == 0x09 || cp == 0x0A || cp == 0x0D || cp == 0x85)
        return true;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
        return false;
    return cp != 0xFFFE && cp != 0xFFFF;
}

static bool check_encoding(const char *name, const char *data, size_t size,
                           k2e_diags *diags)
{
    const unsigned char *p = (const unsigned char *)data;
    unsigned line = 1, column = 1;
    size_t i = 0;
    while (i < size) {
        k2e_where where = {name, line, column, ""};
        if (p[i] == 0) {
            k2e_diag_add(diags, K2E_E_ENCODING, where,
                         "kube2ecs reads UTF-8 YAML or JSON; is this a binary file?",
                         "NUL byte in input");
            return false;
        }
        size_t n = utf8_sequence(p + i, size - i);
        if (n == 0) {
            k2e_diag_add(diags, K2E_E_ENCODING, where,
                         "re-save the file as UTF-8 (iconv -f LATIN1 -t UTF-8), or skip it",
                         "invalid UTF-8 byte");
            return false;
        }
        uint32_t cp = decode(p + i, n);
        if (!printable(cp)) {
            k2e_diag_add(diags, K2E_E_ENCODING, where,
                         "YAML allows no control characters; remove it or escape it in a "
                         "double-quoted string (\\uXXXX)",
                         "control character in input");
            return false;
        }
        if (p[i] == '\n') {
            line++;
            column = 1;
        } else if (p[i] != '\r') {
            column++;
        }
        i += n;
    }
    return true;
}

/* --- Builder ------------------------------------------------------------- */

/* A collection being built: its children wait on the pending stack. */
typedef struct {
    k2e_node *node;
    size_t base;         /* where its children start on the pending stack */
    uint64_t weight;     /* nodes in it so far, counting alias expansion */
    size_t anchor;       /* its entry in anchors, or K2E_ABSENT */
} open_collection;

/* An anchor of the current document.  One entry per name: re-anchoring a
 * name (YAML allows it) overwrites the entry, so the latest one wins. */
typedef struct {
    char *name;
    k2e_node *node;
    uint64_t weight;     /* of the anchored node, once it is complete */
} anchor_entry;

/* Mapping pairs as they are collected at the close of a mapping, with a
 * hash table over their keys once there are more than a few. */
typedef struct {
    k2e_node **keys, **values;
    size_t count;
    k2e_table *seen;     /* NULL: few pairs, compared one by one */
} pair_set;

typedef struct {
    const char *name;
    k2e_arena *arena;
    const k2e_limits *limits;
    k2e_diags *diags;
    size_t nodes;            /* built in this file */
    uint64_t expanded;       /* in this document, counting aliases */
    open_collection *open;
    size_t open_count, open_capacity;
    k2e_node **pending;      /* children (and keys) of open collections */
    size_t pending_count, pending_capacity;
    anchor_entry *anchors;
    size_t anchor_count, anchor_capacity;
    k2e_table anchor_index;  /* over anchors, by name */
    /* scratch for closing mappings, reused */
    k2e_node **pair_keys, **pair_values;
    size_t pair_capacity;
    k2e_table pair_index;
    k2e_node *root;
} builder;

/* Mappings with more pairs than this are checked for duplicate keys with a
 * hash table; those with at least INDEXED_PAIRS keep one for k2e_get.
 * Below, comparing every key is faster than hashing (most Kubernetes
 * mappings have under 8 keys). */
enum { LINEAR_PAIRS = 8, INDEXED_PAIRS = 16 };

static bool builder_error(builder *b, k2e_diag_code code, yaml_mark_t mark,
                          const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static bool builder_error(builder *b, k2e_diag_code code, yaml_mark_t mark,
                          const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    k2e_where where = {b->name, (unsigned)mark.line + 1, (unsigned)mark.column + 1, ""};
    k2e_diag_addv(b->diags, code, where, hint, fmt, ap);
    va_end(ap);
    return false;
}

/* Messages of the reader never quote the input: it cannot know yet whether
 * a key or an anchor sits inside a Secret's data (a malformed flow mapping
 * puts Secret values in key position, `password: *HUNTER2` is an alias). */
static void builder_warning(builder *b, yaml_mark_t mark, unsigned first_line,
                            unsigned first_column)
{
    k2e_where where = {b->name, (unsigned)mark.line + 1, (unsigned)mark.column + 1, ""};
    k2e_diag_add(b->diags, K2E_W_DUPLICATE_KEY, where,
                 "remove one of them: kubectl rejects duplicate fields in strict mode",
                 "this key is defined twice in the same mapping (first at %u:%u): the later "
                 "value is used", first_line, first_column);
}

/* libyaml ran out of memory (its allocations are not ours to count). */
static bool oom(builder *b, yaml_mark_t mark)
{
    k2e_note_oom();
    return builder_error(b, K2E_E_INTERNAL, mark, NULL, "out of memory while reading");
}

static k2e_node *new_node(builder *b, k2e_node_kind kind, yaml_mark_t mark)
{
    if (b->nodes >= b->limits->max_nodes) {
        builder_error(b, K2E_E_LIMIT, mark, "split the input into smaller files",
                      "more than %zu YAML nodes in one file (the limit on nodes per file)",
                      b->limits->max_nodes);
        return NULL;
    }
    k2e_node *node = ARENA_NEW(b->arena, k2e_node, 1);
    if (!node) {
        oom(b, mark);
        return NULL;
    }
    memset(node, 0, sizeof *node);
    node->kind = (uint8_t)kind;
    node->line = (uint32_t)mark.line + 1;
    node->column = (uint32_t)mark.column + 1;
    node->file = b->name;
    b->nodes++;
    return node;
}

static uint64_t add_weight(uint64_t a, uint64_t b)
{
    return a + b < a ? UINT64_MAX : a + b;
}

/* Only aliases are charged here: nodes written out are counted (per file)
 * by new_node, so a long plain list is never taken for an alias bomb. */
static bool charge_expansion(builder *b, uint64_t weight, yaml_mark_t mark)
{
    b->expanded = add_weight(b->expanded, weight);
    if (b->expanded <= b->limits->max_expanded)
        return true;
    return builder_error(b, K2E_E_LIMIT, mark,
                         "this looks like an alias bomb; expand the aliases or simplify the document",
                         "aliases add more than %llu nodes to this document (the limit on "
                         "alias expansion)",
                         (unsigned long long)b->limits->max_expanded);
}

static size_t find_anchor(const builder *b, const char *anchor)
{
    uint64_t hash = k2e_hash_string(anchor);
    size_t cursor = 0, i;
    while ((i = k2e_table_next(&b->anchor_index, hash, &cursor)) != K2E_ABSENT) {
        if (strcmp(b->anchors[i].name, anchor) == 0)
            return i;
    }
    return K2E_ABSENT;
}

/* Records `anchor` (may be NULL) for node; *entry is its index (K2E_ABSENT
 * without an anchor).  False when out of memory. */
static bool remember_anchor(builder *b, const char *anchor, k2e_node *node, uint64_t weight,
                            size_t *entry)
{
    *entry = K2E_ABSENT;
    if (!anchor)
        return true;
    size_t i = find_anchor(b, anchor);
    if (i == K2E_ABSENT) {
        if (!k2e_grow((void **)&b->anchors, &b->anchor_capacity, b->anchor_count + 1,
                      sizeof *b->anchors))
            return false;
        char *name = k2e_strdup(anchor);
        if (!name || !k2e_table_add(&b->anchor_index, k2e_hash_string(anchor),
                                    b->anchor_count)) {
            free(name);
            return false;
        }
        i = b->anchor_count++;
        b->anchors[i].name = name;
    }
    b->anchors[i].node = node;
    b->anchors[i].weight = weight;
    *entry = i;
    return true;
}

static bool push_pending(builder *b, k2e_node *node)
{
    if (!k2e_grow((void **)&b->pending, &b->pending_capacity, b->pending_count + 1,
                  sizeof *b->pending))
        return false;
    b->pending[b->pending_count++] = node;
    return true;
}

/* Adds a finished node of `weight` nodes to the open collection (or makes
 * it the root). */
static bool attach(builder *b, k2e_node *node, uint64_t weight, yaml_mark_t mark)
{
    if (b->open_count == 0) {
        b->root = node;
        return true;
    }
    open_collection *open = &b->open[b->open_count - 1];
    k2e_node *parent = open->node;
    size_t position = b->pending_count - open->base;
    if (parent->kind == K2E_NODE_MAPPING && position % 2 == 0 &&
        node->kind != K2E_NODE_SCALAR) {
        return builder_error(b, K2E_E_SYNTAX, mark,
                             "Kubernetes objects only use text keys",
                             "a mapping key must be a scalar");
    }
    if (!node->parent && node != b->root) {
        /* First attachment wins: an alias shares a node that already has its
         * place, and paths always name where the node was written. */
        node->parent = parent;
        node->index = (uint32_t)(parent->kind == K2E_NODE_MAPPING ? position / 2 : position);
        if (parent->kind == K2E_NODE_MAPPING && position % 2 == 1)
            node->key = b->pending[b->pending_count - 1]->value;
    }
    open->weight = add_weight(open->weight, weight);
    if (!push_pending(b, node))
        return oom(b, mark);
    return true;
}

static bool open_collection_event(builder *b, k2e_node_kind kind, const char *anchor,
                                  yaml_mark_t mark)
{
    if (b->open_count >= b->limits->max_depth) {
        return builder_error(b, K2E_E_LIMIT, mark, NULL,
                             "nesting deeper than %u levels", b->limits->max_depth);
    }
    k2e_node *node = new_node(b, kind, mark);
    if (!node)
        return false;
    if (!k2e_grow((void **)&b->open, &b->open_capacity, b->open_count + 1, sizeof *b->open))
        return oom(b, mark);
    open_collection *open = &b->open[b->open_count];
    /* The weight of an anchored collection is known when it closes; an
     * alias to it before then is refused (it would contain itself). */
    if (!remember_anchor(b, anchor, node, 0, &open->anchor))
        return oom(b, mark);
    open->node = node;
    open->base = b->pending_count;
    open->weight = 1;
    b->open_count++;
    return true;
}

static bool same_key(const k2e_node *a, const k2e_node *b)
{
    return a->length == b->length && memcmp(a->value, b->value, a->length) == 0;
}

static uint64_t key_hash(const k2e_node *key)
{
    return k2e_hash_bytes(key->value, key->length);
}

static bool is_merge_key(const k2e_node *key)
{
    return key->plain && key->length == 2 && memcmp(key->value, "<<", 2) == 0;
}

/* The position of `key` in the set, or K2E_ABSENT. */
static size_t pair_find(const pair_set *set, const k2e_node *key)
{
    if (!set->seen) {
        for (size_t i = 0; i < set->count; i++) {
            if (same_key(set->keys[i], key))
                return i;
        }
        return K2E_ABSENT;
    }
    uint64_t hash = key_hash(key);
    size_t cursor = 0, i;
    while ((i = k2e_table_next(set->seen, hash, &cursor)) != K2E_ABSENT) {
        if (same_key(set->keys[i], key))
            return i;
    }
    return K2E_ABSENT;
}

/* Appends a pair whose key is not in the set (room was reserved). */
static void pair_add(pair_set *set, k2e_node *key, k2e_node *value)
{
    if (set->seen)
        k2e_table_add(set->seen, key_hash(key), set->count);
    set->keys[set->count] = key;
    set->values[set->count] = value;
    set->count++;
}

/* Appends the pairs of `source` whose keys are not yet in the set.  Values
 * of a mapping written inline under `<<` (not an anchor used elsewhere)
 * would be reachable from nowhere: they are adopted by `map`, so that the
 * "not converted" walk still sees them. */
static void merge_pairs(k2e_node *map, const k2e_node *source, bool adopt, pair_set *set)
{
    for (size_t i = 0; i < source->count; i++) {
        if (pair_find(set, source->keys[i]) != K2E_ABSENT) {
            if (adopt)
                k2e_consume_all(source->items[i]); /* overridden: nothing lost */
            continue;
        }
        pair_add(set, source->keys[i], source->items[i]);
        if (adopt)
            source->items[i]->parent = map;
    }
}

static size_t merge_capacity(const k2e_node *value)
{
    if (value->kind == K2E_NODE_MAPPING)
        return value->count;
    size_t n = 0;
    for (size_t i = 0; value->kind == K2E_NODE_SEQUENCE && i < value->count; i++)
        n += value->items[i]->kind == K2E_NODE_MAPPING ? value->items[i]->count : 0;
    return n;
}

static bool valid_merge_value(const k2e_node *value)
{
    if (value->kind == K2E_NODE_MAPPING)
        return true;
    if (value->kind != K2E_NODE_SEQUENCE)
        return false;
    for (size_t i = 0; i < value->count; i++) {
        if (value->items[i]->kind != K2E_NODE_MAPPING)
            return false;
    }
    return true;
}

/* Applies one `<<` value: a mapping, or a list of mappings (earlier wins). */
static void apply_merge(k2e_node *map, k2e_node *value, pair_set *set)
{
    bool adopt = value->parent == map;
    if (value->kind == K2E_NODE_MAPPING) {
        merge_pairs(map, value, adopt, set);
        return;
    }
    for (size_t i = 0; i < value->count; i++) {
        k2e_node *item = value->items[i];
        merge_pairs(map, item, adopt && item->parent == value, set);
    }
}

/* The hash table of a mapping with INDEXED_PAIRS keys or more lives right
 * after its items, in the same arena block (see k2e_get). */
static k2e_table lookup_table(const k2e_node *map)
{
    return k2e_table_over((k2e_slot *)(void *)(map->items + map->count),
                          k2e_table_capacity_for(map->count));
}

/* Copies the pairs into the arena, exactly sized. */
static bool store_pairs(builder *b, k2e_node *map, const pair_set *set, yaml_mark_t mark)
{
    size_t count = set->count;
    map->count = (uint32_t)count;
    if (count == 0)
        return true;
    size_t slots = count >= INDEXED_PAIRS ? k2e_table_capacity_for(count) : 0;
    map->keys = ARENA_NEW(b->arena, k2e_node *, count);
    map->items = arena_alloc(b->arena, count * sizeof(k2e_node *) + slots * sizeof(k2e_slot),
                             _Alignof(k2e_node *));
    if (!map->keys || !map->items)
        return oom(b, mark);
    memcpy(map->keys, set->keys, count * sizeof *map->keys);
    memcpy(map->items, set->values, count * sizeof *map->items);
    if (slots) {
        k2e_table table = lookup_table(map);
        memset(table.slots, 0, slots * sizeof *table.slots);
        for (size_t i = 0; i < count; i++)
            k2e_table_add(&table, key_hash(map->keys[i]), i);
    }
    return true;
}

static bool reserve_pairs(builder *b, size_t capacity)
{
    size_t grown = b->pair_capacity;
    if (!k2e_grow((void **)&b->pair_keys, &grown, capacity, sizeof *b->pair_keys))
        return false;
    if (grown == b->pair_capacity)
        return true;
    k2e_node **values = k2e_realloc(b->pair_values, grown * sizeof *values);
    if (!values)
        return false;
    b->pair_values = values;
    b->pair_capacity = grown;
    return true;
}

static bool close_mapping(builder *b, k2e_node *map, k2e_node **pairs, size_t n,
                          yaml_mark_t mark)
{
    size_t capacity = n / 2;
    for (size_t i = 0; i < n; i += 2) {
        if (!is_merge_key(pairs[i]))
            continue;
        if (!valid_merge_value(pairs[i + 1])) {
            yaml_mark_t at = {0, pairs[i]->line - 1, pairs[i]->column - 1};
            return builder_error(b, K2E_E_SYNTAX, at,
                                 "write <<: *anchor, where the anchor names a mapping",
                                 "the value of a merge key (<<) must be a mapping or a list of mappings");
        }
        capacity += merge_capacity(pairs[i + 1]);
    }
    if (!reserve_pairs(b, capacity))
        return oom(b, mark);
    pair_set set = {b->pair_keys, b->pair_values, 0, NULL};
    if (capacity > LINEAR_PAIRS) {
        k2e_table_clear(&b->pair_index);
        if (!k2e_table_reserve(&b->pair_index, capacity))
            return oom(b, mark);
        set.seen = &b->pair_index;
    }
    for (size_t i = 0; i < n; i += 2) {
        if (is_merge_key(pairs[i]))
            continue;
        size_t slot = pair_find(&set, pairs[i]);
        if (slot == K2E_ABSENT) {
            pair_add(&set, pairs[i], pairs[i + 1]);
            continue;
        }
        /* Kubernetes' decoder keeps the later value; say so, and keep the
         * earlier one out of the "not converted" walk. */
        yaml_mark_t at = {0, pairs[i]->line - 1, pairs[i]->column - 1};
        builder_warning(b, at, set.keys[slot]->line, set.keys[slot]->column);
        k2e_consume_all(set.values[slot]);
        set.values[slot]->parent = NULL;
        set.keys[slot] = pairs[i];
        set.values[slot] = pairs[i + 1];
    }
    /* Several << keys act like one << with a list: the earlier one wins. */
    for (size_t i = 0; i < n; i += 2) {
        if (is_merge_key(pairs[i]))
            apply_merge(map, pairs[i + 1], &set);
    }
    return store_pairs(b, map, &set, mark);
}

static bool close_collection(builder *b, yaml_mark_t mark)
{
    open_collection open = b->open[b->open_count - 1];
    k2e_node *node = open.node;
    size_t n = b->pending_count - open.base;
    /* pending is NULL until the first child anywhere: no pointer arithmetic
     * on it then (an empty {} or [] as the first collection). */
    k2e_node **children = n ? b->pending + open.base : NULL;
    bool ok;
    if (node->kind == K2E_NODE_MAPPING) {
        ok = close_mapping(b, node, children, n, mark);
    } else {
        node->count = (uint32_t)n;
        node->items = n ? ARENA_NEW(b->arena, k2e_node *, n) : NULL;
        ok = !n || node->items;
        if (ok && n)
            memcpy(node->items, children, n * sizeof *children);
        else if (!ok)
            oom(b, mark);
    }
    if (!ok)
        return false;
    if (open.anchor != K2E_ABSENT && b->anchors[open.anchor].node == node)
        b->anchors[open.anchor].weight = open.weight;
    b->pending_count = open.base;
    b->open_count--;
    return attach(b, node, open.weight, mark);
}

static bool add_scalar(builder *b, const yaml_event_t *event)
{
    if (event->data.scalar.length >= UINT32_MAX)
        return builder_error(b, K2E_E_LIMIT, event->start_mark, NULL, "scalar too long");
    k2e_node *node = new_node(b, K2E_NODE_SCALAR, event->start_mark);
    if (!node)
        return false;
    const char *value = (const char *)event->data.scalar.value;
    node->length = (uint32_t)event->data.scalar.length;
    node->value = arena_strndup(b->arena, value, node->length);
    if (!node->value)
        return oom(b, event->start_mark);
    const char *tag = (const char *)event->data.scalar.tag;
    node->tagged_str = tag && strcmp(tag, YAML_STR_TAG) == 0;
    node->plain = event->data.scalar.plain_implicit && !tag;
    size_t entry;
    if (!remember_anchor(b, (const char *)event->data.scalar.anchor, node, 1, &entry))
        return oom(b, event->start_mark);
    return attach(b, node, 1, event->start_mark);
}

/* An unquoted value starting with '*' is an alias in YAML. */
static const char ALIAS_HINT[] =
    "an unquoted value starting with '*' is read as an alias (*name repeats a node "
    "anchored earlier with &name): quote it";

static bool add_alias(builder *b, const yaml_event_t *event)
{
    const char *anchor = (const char *)event->data.alias.anchor;
    size_t entry = find_anchor(b, anchor);
    if (entry == K2E_ABSENT) {
        return builder_error(b, K2E_E_SYNTAX, event->start_mark, ALIAS_HINT,
                             "this alias refers to no anchor defined before it");
    }
    k2e_node *target = b->anchors[entry].node;
    for (size_t i = 0; i < b->open_count; i++) {
        if (b->open[i].node == target) {
            return builder_error(b, K2E_E_SYNTAX, event->start_mark, ALIAS_HINT,
                                 "this alias refers to a node that contains it");
        }
    }
    uint64_t weight = b->anchors[entry].weight;
    if (!charge_expansion(b, weight, event->start_mark))
        return false;
    return attach(b, target, weight, event->start_mark);
}

static void reset_document(builder *b)
{
    b->root = NULL;
    b->expanded = 0;
    for (size_t i = 0; i < b->anchor_count; i++)
        free(b->anchors[i].name);
    b->anchor_count = 0;
    k2e_table_clear(&b->anchor_index);
    b->open_count = 0;
    b->pending_count = 0;
}

static bool add_document(builder *b, k2e_file *out, const yaml_event_t *start,
                         const yaml_event_t *end)
{
    size_t bytes = end->end_mark.index - start->start_mark.index;
    if (bytes > b->limits->max_document_bytes) {
        return builder_error(b, K2E_E_LIMIT, start->start_mark, "split the document",
                             "document of %zu bytes exceeds the limit of %zu bytes",
                             bytes, b->limits->max_document_bytes);
    }
    if (!b->root || (b->root->kind == K2E_NODE_SCALAR && k2e_is_null(b->root)))
        return true; /* empty documents (a stray ---) are skipped */
    if (!k2e_grow((void **)&out->documents, &out->capacity, out->count + 1,
                  sizeof *out->documents))
        return oom(b, start->start_mark);
    out->documents[out->count++] = (k2e_document){
        b->root, (unsigned)start->start_mark.line + 1, (unsigned)start->start_mark.column + 1};
    return true;
}

static bool handle_event(builder *b, k2e_file *out, const yaml_event_t *event,
                         yaml_event_t *document_start)
{
    switch (event->type) {
    case YAML_DOCUMENT_START_EVENT:
        reset_document(b);
        *document_start = *event;
        return true;
    case YAML_DOCUMENT_END_EVENT:
        return add_document(b, out, document_start, event);
    case YAML_SCALAR_EVENT:
        return add_scalar(b, event);
    case YAML_ALIAS_EVENT:
        return add_alias(b, event);
    case YAML_SEQUENCE_START_EVENT:
        return open_collection_event(b, K2E_NODE_SEQUENCE,
                               (const char *)event->data.sequence_start.anchor,
                               event->start_mark);
    case YAML_MAPPING_START_EVENT:
        return open_collection_event(b, K2E_NODE_MAPPING,
                               (const char *)event->data.mapping_start.anchor,
                               event->start_mark);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return close_collection(b, event->start_mark);
    default:
        return true;
    }
}

/* libyaml's problems and what usually causes them in a manifest.  Matched
 * by substring of the problem text; the first row that matches wins. */
static const struct {
    const char *problem;
    const char *hint;
} syntax_hints[] = {
    {"unknown escape character",
     "inside double quotes a backslash starts an escape (\\n, \\t, \\\\): double the "
     "backslash, or use single quotes, which have no escapes"},
    {"mapping values are not allowed",
     "a value that contains ': ' must be quoted, or this line is indented under a value "
     "that is not a mapping"},
    {"did not find expected key",
     "the indentation of this line does not match the keys above it: keys of one mapping "
     "start in the same column"},
    {"did not find expected '-' indicator",
     "items of one list start in the same column, each with '- '"},
    {"could not find expected ':'",
     "a key needs ': ' after it; a value that goes on over several lines needs quotes or a "
     "block scalar (|)"},
    {"did not find expected ',' or ']'",
     "a flow list [a, b] separates its items with commas and ends with ]"},
    {"did not find expected ',' or '}'",
     "a flow mapping {a: 1, b: 2} separates its pairs with commas and ends with }"},
    {"did not find expected node content",
     "a value is missing here; quote a value that starts with a YAML indicator "
     "(one of - ? : , [ ] { } # & * ! | > ' \" % @ `)"},
    {"block sequence entries are not allowed",
     "a '- ' list item starts its own line, indented under its key"},
    {"undefined tag handle",
     "a value that starts with ! is read as a tag: quote it"},
    {"did not find expected alphabetic or numeric character",
     "a value that starts with & or * is read as an anchor or alias: quote it"},
    {"did not find expected <document start>",
     "something follows the end of the document: a stray bracket or brace, a line "
     "indented less than the first one, or a second document without --- before it"},
    {"tab character",
     "YAML forbids tabs for indentation; indent with spaces"},
    {"incompatible YAML document",
     "remove the %YAML directive: Kubernetes reads YAML 1.1/1.2"},
    {"found unexpected end of stream",
     "the input ends inside a value: is a quote, bracket or brace left open?"},
};

static const char *syntax_hint(const yaml_parser_t *parser, yaml_mark_t mark)
{
    const char *problem = parser->problem ? parser->problem : "";
    if (strstr(problem, "cannot start any token")) {
        const unsigned char *input = parser->input.string.start;
        size_t size = (size_t)(parser->input.string.end - input);
        unsigned char c = mark.index < size ? input[mark.index] : 0;
        if (c == '\t')
            return "YAML forbids tabs for indentation; indent with spaces";
        if (c == '@' || c == '`')
            return "@ and ` cannot start a plain value: quote the value";
        return "this character cannot start a value here: quote the value";
    }
    for (size_t i = 0; i < sizeof syntax_hints / sizeof syntax_hints[0]; i++) {
        if (strstr(problem, syntax_hints[i].problem))
            return syntax_hints[i].hint;
    }
    return "check the indentation and quoting around this line: a value that contains "
           "': ' or ' #', or starts with a YAML indicator, needs quotes";
}

static bool parser_error(builder *b, const yaml_parser_t *parser)
{
    yaml_mark_t mark = parser->problem_mark;
    if (parser->error == YAML_MEMORY_ERROR)
        return oom(b, mark);
    if (parser->error != YAML_SCANNER_ERROR && parser->error != YAML_PARSER_ERROR)
        return builder_error(b, K2E_E_SYNTAX, mark, syntax_hint(parser, mark), "%s",
                             parser->problem ? parser->problem : "cannot parse input");
    const char *problem = parser->problem ? parser->problem : "syntax error";
    const char *context = parser->context;
    /* An unclosed quote is found where the input ends; the mistake is where
     * the string opens, which libyaml keeps as the context mark. */
    if (context && strstr(context, "quoted scalar") &&
        strstr(problem, "unexpected end of stream")) {
        return builder_error(b, K2E_E_SYNTAX, parser->context_mark,
                             "close the string with the quote it opens with; inside double "
                             "quotes write \\\" for a quote, inside single quotes ''",
                             "unclosed quote: this string never ends (the input ends at "
                             "line %u)", (unsigned)mark.line + 1);
    }
    const char *hint = syntax_hint(parser, mark);
    if (context && strstr(context, "flow")) {
        return builder_error(b, K2E_E_SYNTAX, mark, hint, "%s %s opened at line %u column %u",
                             problem, context, (unsigned)parser->context_mark.line + 1,
                             (unsigned)parser->context_mark.column + 1);
    }
    if (context)
        return builder_error(b, K2E_E_SYNTAX, mark, hint, "%s %s", problem, context);
    return builder_error(b, K2E_E_SYNTAX, mark, hint, "%s", problem);
}

static void builder_release(builder *b)
{
    reset_document(b);
    free(b->open);
    free(b->pending);
    free(b->anchors);
    k2e_table_release(&b->anchor_index);
    free(b->pair_keys);
    free(b->pair_values);
    k2e_table_release(&b->pair_index);
}

bool k2e_read_buffer(const char *name, const char *data, size_t size,
                     const k2e_limits *limits, k2e_file *out, k2e_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->name = k2e_strdup(name);
    out->arena = k2e_calloc(1, sizeof *out->arena);
    if (!out->name || !out->arena)
        return false;
    if (size > limits->max_file_bytes) {
        k2e_diag_add(diags, K2E_E_LIMIT, (k2e_where){name, 0, 0, ""}, "split the input",
                     "file of %zu bytes exceeds the limit of %zu bytes", size,
                     limits->max_file_bytes);
        return false;
    }
    /* A UTF-8 BOM is not content: libyaml, told the encoding below, would read
     * it as a character at column 1 and misjudge the indentation of line 2. */
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        size -= 3;
    }
    if (!check_encoding(out->name, data, size, diags))
        return false;
    builder b = {.name = out->name, .arena = out->arena, .limits = limits, .diags = diags};
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        k2e_note_oom();
        return false;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
    yaml_event_t document_start = {0};
    bool ok = true, done = false;
    while (ok && !done) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            ok = parser_error(&b, &parser);
            break;
        }
        done = event.type == YAML_STREAM_END_EVENT;
        ok = handle_event(&b, out, &event, &document_start);
        yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    builder_release(&b);
    return ok;
}

static char *slurp(FILE *in, size_t limit, size_t *size, bool *too_big)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    char chunk[65536];
    size_t n;
    *too_big = false;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (buf.length + n > limit) {
            *too_big = true;
            break;
        }
        k2e_buf_append(&buf, chunk, n);
    }
    if (ferror(in) || buf.failed) {
        k2e_buf_release(&buf);
        return NULL;
    }
    *size = buf.length;
    return k2e_buf_detach(&buf);
}

bool k2e_read_path(const char *path, const k2e_limits *limits, k2e_file *out,
                   k2e_diags *diags)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "<stdin>" : path;
    memset(out, 0, sizeof *out);
    FILE *in = is_stdin ? stdin : fopen(path, "rb");
    if (!in)
        k2e_note_errno(errno);
    if (!in) {
        k2e_diag_add(diags, K2E_E_READ, (k2e_where){name, 0, 0, ""}, NULL, "cannot open: %s",
                     strerror(errno));
        return false;
    }
    size_t size = 0;
    bool too_big = false;
    char *data = slurp(in, limits->max_file_bytes, &size, &too_big);
    int read_errno = errno;
    if (!is_stdin)
        fclose(in);
    if (too_big) {
        free(data);
        k2e_diag_add(diags, K2E_E_LIMIT, (k2e_where){name, 0, 0, ""}, "split the input",
                     "input larger than the limit of %zu bytes", limits->max_file_bytes);
        return false;
    }
    if (!data) {
        k2e_diag_add(diags, K2E_E_READ, (k2e_where){name, 0, 0, ""}, NULL, "cannot read: %s",
                     strerror(read_errno));
        return false;
    }
    bool ok = k2e_read_buffer(name, data, size, limits, out, diags);
    free(data);
    return ok;
}

void k2e_file_free(k2e_file *file)
{
    if (!file)
        return;
    arena_free(file->arena);
    free(file->documents);
    free(file->name);
    memset(file, 0, sizeof *file);
}

/* --- Node access --------------------------------------------------------- */

/* Position of `key` (n bytes) among a mapping's pairs, or K2E_ABSENT. */
static size_t key_slot(const k2e_node *map, const char *key, size_t n)
{
    if (map->count >= INDEXED_PAIRS) {
        k2e_table table = lookup_table(map);
        uint64_t hash = k2e_hash_bytes(key, n);
        size_t cursor = 0, i;
        while ((i = k2e_table_next(&table, hash, &cursor)) != K2E_ABSENT) {
            const k2e_node *k = map->keys[i];
            if (k->length == n && memcmp(k->value, key, n) == 0)
                return i;
        }
        return K2E_ABSENT;
    }
    for (size_t i = 0; i < map->count; i++) {
        const k2e_node *k = map->keys[i];
        if (k->length == n && memcmp(k->value, key, n) == 0)
            return i;
    }
    return K2E_ABSENT;
}

k2e_node *k2e_get(const k2e_node *map, const char *key)
{
    if (!map || map->kind != K2E_NODE_MAPPING)
        return NULL;
    size_t i = key_slot(map, key, strlen(key));
    return i == K2E_ABSENT ? NULL : map->items[i];
}

const k2e_node *k2e_node_locus(const k2e_node *node)
{
    const k2e_node *map = node ? node->parent : NULL;
    if (!map || map->kind != K2E_NODE_MAPPING || !node->key)
        return node;
    size_t i = key_slot(map, node->key, strlen(node->key));
    return i != K2E_ABSENT && map->items[i] == node ? map->keys[i] : node;
}

k2e_node *k2e_take(k2e_node *map, const char *key)
{
    k2e_node *node = k2e_get(map, key);
    if (node)
        node->consumed = true;
    return node;
}

void k2e_consume(k2e_node *node)
{
    if (node)
        node->consumed = true;
}

void k2e_consume_all(k2e_node *node)
{
    if (!node || (node->consumed && node->kind == K2E_NODE_SCALAR))
        return;
    node->consumed = true;
    for (size_t i = 0; i < node->count; i++)
        k2e_consume_all(node->items[i]);
}

bool k2e_is_scalar(const k2e_node *node)
{
    return node && node->kind == K2E_NODE_SCALAR;
}

static bool text_in(const char *s, const char *const *list)
{
    for (; *list; list++) {
        if (strcmp(s, *list) == 0)
            return true;
    }
    return false;
}

static bool looks_like_int(const char *s)
{
    if (*s == '+' || *s == '-')
        s++;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        if (!*s)
            return false;
        for (; *s; s++) {
            if (!strchr("0123456789abcdefABCDEF_", *s))
                return false;
        }
        return true;
    }
    if (s[0] == '0' && s[1] == 'b') {
        s += 2;
        if (!*s)
            return false;
        return strspn(s, "01_") == strlen(s);
    }
    if (!*s || *s == '_')
        return false;
    return strspn(s, "0123456789_") == strlen(s);
}

static bool looks_like_float(const char *s)
{
    static const char *const special[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                                          "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
                                          NULL};
    if (text_in(s, special))
        return true;
    if (*s == '+' || *s == '-')
        s++;
    bool digits = false, dot = false;
    for (; *s && *s != 'e' && *s != 'E'; s++) {
        if (*s >= '0' && *s <= '9') digits = true;
        else if (*s == '.' && !dot) dot = true;
        else if (*s != '_') return false;
    }
    if (!digits)
        return false;
    if (!*s)
        return dot;
    s++;
    if (*s == '+' || *s == '-')
        s++;
    if (!*s)
        return false;
    return strspn(s, "0123456789") == strlen(s);
}

k2e_scalar_type k2e_scalar_type_of(const k2e_node *node)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE",
                                        "yes", "Yes", "YES", "no", "No", "NO",
                                        "on", "On", "ON", "off", "Off", "OFF",
                                        "y", "Y", "n", "N", NULL};
    if (!node || node->kind != K2E_NODE_SCALAR || !node->plain)
        return K2E_SCALAR_STRING;
    if (text_in(node->value, nulls))
        return K2E_SCALAR_NULL;
    if (text_in(node->value, bools))
        return K2E_SCALAR_BOOL;
    if (looks_like_int(node->value))
        return K2E_SCALAR_INT;
    if (looks_like_float(node->value))
        return K2E_SCALAR_FLOAT;
    return K2E_SCALAR_STRING;
}

bool k2e_is_null(const k2e_node *node)
{
    return !node || (node->kind == K2E_NODE_SCALAR &&
                     k2e_scalar_type_of(node) == K2E_SCALAR_NULL);
}

static const char *kind_name(const k2e_node *node)
{
    if (node->kind == K2E_NODE_MAPPING) return "a mapping";
    if (node->kind == K2E_NODE_SEQUENCE) return "a list";
    switch (k2e_scalar_type_of(node)) {
    case K2E_SCALAR_INT: return "a number";
    case K2E_SCALAR_FLOAT: return "a number";
    case K2E_SCALAR_BOOL: return "a boolean";
    case K2E_SCALAR_NULL: return "null";
    default: return "a string";
    }
}

static bool type_error(const k2e_node *node, const k2e_node *root, const char *expected,
                       const char *hint, k2e_diags *diags)
{
    k2e_diag_at(diags, K2E_E_TYPE, node, root, hint, "expected %s, found %s", expected,
                kind_name(node));
    return false;
}

bool k2e_as_string(const k2e_node *node, const k2e_node *root, const char **out,
                   k2e_diags *diags)
{
    if (node->kind == K2E_NODE_SCALAR && k2e_scalar_type_of(node) == K2E_SCALAR_STRING) {
        *out = node->value;
        return true;
    }
    return type_error(node, root, "a string",
                      node->kind == K2E_NODE_SCALAR ? "quote the value" : "write a string",
                      diags);
}

bool k2e_as_text(const k2e_node *node, const k2e_node *root, const char **out,
                 k2e_diags *diags)
{
    if (node->kind == K2E_NODE_SCALAR && k2e_scalar_type_of(node) != K2E_SCALAR_NULL) {
        *out = node->value;
        return true;
    }
    return type_error(node, root, "a scalar value", "write a single value", diags);
}

/* The base go-yaml v2 (Kubernetes' decoder) reads an integer in: 0x hex,
 * 0b binary, a leading 0 with only octal digits octal (defaultMode: 0644 is
 * 420), anything else decimal (08 is 8). */
static int int_base(const char *digits)
{
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        return 16;
    if (digits[0] == '0' && digits[1] == 'b')
        return 2;
    if (digits[0] == '0' && digits[1] && strspn(digits, "01234567") == strlen(digits))
        return 8;
    return 10;
}

bool k2e_as_int(const k2e_node *node, const k2e_node *root, int64_t *out, k2e_diags *diags)
{
    if (node->kind != K2E_NODE_SCALAR || k2e_scalar_type_of(node) != K2E_SCALAR_INT)
        return type_error(node, root, "an integer", "write a whole number, unquoted", diags);
    char text[72];
    size_t n = 0;
    for (const char *p = node->value; *p && n + 1 < sizeof text; p++) {
        if (*p != '_')
            text[n++] = *p;
    }
    text[n] = '\0';
    const char *digits = text + (text[0] == '+' || text[0] == '-');
    int base = int_base(digits);
    const char *start = base == 2 ? digits + 2 : digits;
    errno = 0;
    char *end;
    long long v = strtoll(start, &end, base);
    if (errno || *end || end == start)
        return type_error(node, root, "an integer within range",
                          "write a whole number, unquoted", diags);
    *out = text[0] == '-' ? -v : v;
    return true;
}

bool k2e_as_bool(const k2e_node *node, const k2e_node *root, bool *out, k2e_diags *diags)
{
    if (node->kind != K2E_NODE_SCALAR || k2e_scalar_type_of(node) != K2E_SCALAR_BOOL)
        return type_error(node, root, "true or false", "write true or false, unquoted", diags);
    char c = node->value[0];
    *out = c == 't' || c == 'T' || c == 'y' || c == 'Y' ||
           ((c == 'o' || c == 'O') && (node->value[1] == 'n' || node->value[1] == 'N'));
    return true;
}

bool k2e_expect_kind(const k2e_node *node, const k2e_node *root, k2e_node_kind kind,
                     k2e_diags *diags)
{
    if (node->kind == kind)
        return true;
    static const char *const names[] = {"a scalar", "a list", "a mapping"};
    static const char *const hints[] = {"write a single value", "write a YAML list",
                                        "write a YAML mapping of fields"};
    return type_error(node, root, names[kind], hints[kind], diags);
}

static bool plain_identifier(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++) {
        char c = *s;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

char *k2e_node_path(const k2e_node *node, const k2e_node *root)
{
    /* Collect the chain root..node, then print it forwards. */
    size_t depth = 0;
    for (const k2e_node *n = node; n && n != root && n->parent; n = n->parent)
        depth++;
    const k2e_node **chain = k2e_calloc(depth + 1, sizeof *chain);
    if (!chain)
        return NULL;
    size_t i = depth;
    for (const k2e_node *n = node; i > 0; n = n->parent)
        chain[--i] = n;
    k2e_buf buf;
    k2e_buf_init(&buf);
    for (i = 0; i < depth; i++) {
        const k2e_node *n = chain[i];
        bool in_map = n->parent->kind == K2E_NODE_MAPPING;
        if (!in_map)
            k2e_buf_printf(&buf, "[%u]", (unsigned)n->index);
        else if (plain_identifier(n->key))
            k2e_buf_printf(&buf, "%s%s", buf.length ? "." : "", n->key);
        else
            k2e_buf_printf(&buf, "[\"%s\"]", n->key);
    }
    free(chain);
    return k2e_buf_detach(&buf);
}

bool k2e_diag_at(k2e_diags *diags, k2e_diag_code code, const k2e_node *node,
                 const k2e_node *root, const char *hint, const char *fmt, ...)
{
    char *path = node ? k2e_node_path(node, root) : NULL;
    const k2e_node *at = k2e_node_locus(node);
    k2e_where where = {node ? node->file : "", at ? at->line : 0, at ? at->column : 0,
                       path ? path : ""};
    va_list ap;
    va_start(ap, fmt);
    bool ok = k2e_diag_addv(diags, code, where, hint, fmt, ap);
    va_end(ap);
    free(path);
    return ok;
}

/* Is items[i] the place where this child was written (not an alias of it,
 * and not a value merged in from elsewhere)? */
static bool home_slot(const k2e_node *node, size_t i)
{
    const k2e_node *child = node->items[i];
    if (child->parent != node)
        return false;
    if (node->kind == K2E_NODE_MAPPING)
        return child->key == node->keys[i]->value;
    return child->index == i;
}

static void report_walk(k2e_node *node, const k2e_node *at, k2e_node *root, k2e_diags *diags,
                        k2e_hint_fn hint_for, void *context)
{
    if (!node->consumed) {
        char *path = k2e_node_path(node, root);
        const char *hint = hint_for && path ? hint_for(path, context) : NULL;
        k2e_where where = {node->file, at->line, at->column, path ? path : ""};
        k2e_diag_add(diags, K2E_W_NOT_CONVERTED, where,
                     hint ? hint : "no ECS equivalent is implemented; see MAPPING.md",
                     "not converted");
        free(path);
        return;
    }
    for (size_t i = 0; i < node->count; i++) {
        /* A shared (aliased) child is reported once, where it was written;
         * a field is located at its key, where a reader looks for it. */
        if (!home_slot(node, i))
            continue;
        const k2e_node *position = node->kind == K2E_NODE_MAPPING ? node->keys[i] : node->items[i];
        report_walk(node->items[i], position, root, diags, hint_for, context);
    }
}

void k2e_report_unconsumed(k2e_node *root, k2e_diags *diags, k2e_hint_fn hint_for,
                           void *context)
{
    report_walk(root, root, root, diags, hint_for, context);
}
