/* Label index: which label sets carry `key: value`, per namespace.
 *
 * Relating objects by label selector (a Service to the workloads whose pods
 * it selects, a PodDisruptionBudget to its workloads) by testing every pair
 * costs selectors x label sets: quadratic in the size of an estate.  Built
 * once over the label sets (one pass), the index answers "which label sets
 * may a selector match" with the ids recorded under the selector's rarest
 * key: value pair; the caller still applies its own matcher (matchLabels,
 * matchExpressions, empty-selector rules) to those candidates only.
 *
 * Ids are the caller's (positions in its array of workloads, say) and come
 * back in the order they were added.  The index copies what it needs; it
 * does not keep the nodes.
 */
#ifndef KUBE2ECS_LABELS_H
#define KUBE2ECS_LABELS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/hash.h"
#include "read/yaml_tree.h"

typedef struct {
    k2e_multimap pairs;       /* namespace, key, value -> ids */
    k2e_multimap namespaces;  /* namespace -> ids */
} k2e_label_index;

void k2e_label_index_init(k2e_label_index *index);
void k2e_label_index_release(k2e_label_index *index);

/* Records label set `id` in namespace_: every scalar pair of `labels` (a
 * mapping; anything else records the id under its namespace only).  False
 * when out of memory. */
bool k2e_label_index_add(k2e_label_index *index, const char *namespace_,
                         const k2e_node *labels, size_t id);

/* Candidates for a selector whose required pairs are `match_labels` (a
 * mapping of key: value, e.g. a Service's spec.selector or a
 * matchLabels): the ids recorded under its rarest scalar pair, NULL with
 * *count 0 when one of its pairs is on no label set (nothing can match).
 * Without usable pairs (NULL, not a mapping, empty), every id of the
 * namespace.  A superset of the matches: check each with the full selector. */
const size_t *k2e_label_index_candidates(const k2e_label_index *index, const char *namespace_,
                                         const k2e_node *match_labels, size_t *count);

#endif
