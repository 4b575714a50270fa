/* The label index; see labels.h. */
#include "read/labels.h"

#include <string.h>

#include "base/util.h"

void k2e_label_index_init(k2e_label_index *index)
{
    k2e_multimap_init(&index->pairs);
    k2e_multimap_init(&index->namespaces);
}

void k2e_label_index_release(k2e_label_index *index)
{
    k2e_multimap_release(&index->pairs);
    k2e_multimap_release(&index->namespaces);
}

static bool is_mapping(const k2e_node *node)
{
    return node && node->kind == K2E_NODE_MAPPING;
}

bool k2e_label_index_add(k2e_label_index *index, const char *namespace_,
                         const k2e_node *labels, size_t id)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    size_t n;
    const char *key = k2e_compose_key(&buf, &n, namespace_, NULL);
    bool ok = key && k2e_multimap_add(&index->namespaces, key, n, id);
    for (size_t i = 0; ok && is_mapping(labels) && i < labels->count; i++) {
        const k2e_node *value = labels->items[i];
        if (value->kind != K2E_NODE_SCALAR)
            continue;
        key = k2e_compose_key(&buf, &n, namespace_, labels->keys[i]->value, value->value, NULL);
        ok = key && k2e_multimap_add(&index->pairs, key, n, id);
    }
    k2e_buf_release(&buf);
    return ok;
}

const size_t *k2e_label_index_candidates(const k2e_label_index *index, const char *namespace_,
                                         const k2e_node *match_labels, size_t *count)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    size_t n;
    const size_t *best = NULL;
    bool any = false;
    *count = 0;
    for (size_t i = 0; is_mapping(match_labels) && i < match_labels->count; i++) {
        const k2e_node *value = match_labels->items[i];
        if (value->kind != K2E_NODE_SCALAR)
            continue;
        const char *key = k2e_compose_key(&buf, &n, namespace_, match_labels->keys[i]->value,
                                          value->value, NULL);
        if (!key)
            continue; /* out of memory: this pair does not narrow the set */
        size_t found;
        const size_t *ids = k2e_multimap_get(&index->pairs, key, n, &found);
        if (!any || found < *count) {
            best = ids;
            *count = found;
        }
        any = true;
        if (found == 0)
            break;
    }
    if (!any) {
        const char *key = k2e_compose_key(&buf, &n, namespace_, NULL);
        best = key ? k2e_multimap_get(&index->namespaces, key, n, count) : NULL;
    }
    k2e_buf_release(&buf);
    return best;
}
