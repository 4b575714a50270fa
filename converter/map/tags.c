/* Labels -> ECS tags; see tags.h.  Non-ASCII bytes pass as letters: ECS
 * takes Unicode letters (the model's pattern is [\p{L}\p{Z}\p{N}_.:/=+\-@]*),
 * and a label is ASCII in practice. */
#include "map/tags.h"
#include "map/ecs_limits.h"
#include "base/util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>


static bool tag_text(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        bool ok = *p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || strchr(" _.:/=+-@", *p);
        if (!ok)
            return false;
    }
    return true;
}

bool k2e_valid_tag(const char *key, const char *value)
{
    return *key && strlen(key) <= 128 && strlen(value) <= 256 &&
           strncasecmp(key, "aws:", 4) != 0 && tag_text(key) && tag_text(value);
}

typedef struct {
    const char *key;
    size_t index;
} keyed;

static int by_key(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* Indexes of the mapping's pairs in key order (a mapping's keys are unique
 * once read, so the order is total). */
static size_t *key_order(const k2e_node *map)
{
    keyed *pairs = k2e_calloc(map->count, sizeof *pairs);
    size_t *order = pairs ? k2e_calloc(map->count, sizeof *order) : NULL;
    for (size_t i = 0; order && i < map->count; i++)
        pairs[i] = (keyed){map->keys[i]->value, i};
    if (order)
        qsort(pairs, map->count, sizeof *pairs, by_key);
    for (size_t i = 0; order && i < map->count; i++)
        order[i] = pairs[i].index;
    free(pairs);
    return order;
}

json_t *k2e_labels_to_tags(k2e_node *labels, const k2e_node *root, const char *what,
                           k2e_diags *diags)
{
    if (!labels || labels->kind != K2E_NODE_MAPPING || labels->count == 0)
        return NULL;
    k2e_consume(labels);
    size_t *order = key_order(labels);
    json_t *tags = json_array();
    for (size_t n = 0; order && n < labels->count; n++) {
        k2e_node *value = labels->items[order[n]];
        const char *key = labels->keys[order[n]]->value, *text = NULL;
        if (!k2e_as_text(value, root, &text, diags))
            continue;
        k2e_consume(value);
        if (json_array_size(tags) >= K2E_MAX_TAGS || !k2e_valid_tag(key, text)) {
            k2e_diag_at(diags, K2E_W_NOT_CONVERTED, value, root,
                        "ECS allows 50 tags, keys up to 128 and values up to 256 characters "
                        "of letters, digits, spaces and _ . : / = + - @, and reserves the "
                        "aws: prefix",
                        "label not converted to a %s", what);
            continue;
        }
        json_array_append_new(tags, json_pack("{s:s, s:s}", "key", key, "value", text));
    }
    free(order);
    return tags;
}
