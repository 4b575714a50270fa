/* The index: Kubernetes objects found in the input, by (group, kind,
 * namespace, name).
 *
 * The index borrows nodes from the k2e_files it was built from (which must
 * outlive it); it owns only its arrays and the computed group strings.
 * Objects are kept in a canonical order (kind, namespace, name, group, file,
 * position) so that everything downstream is independent of the order in
 * which files were given or keys were written.
 *
 * Lookups never scan (issue 11): k2e_index_find is a hash lookup, and the
 * objects of one kind in one namespace are a contiguous run of the canonical
 * order (k2e_index_kind, a binary search).  Cross-object relations that
 * depend on content (selectors, scaleTargetRef) are indexed by their users
 * with read/labels.h and base/hash.h, built in one pass.
 */
#ifndef KUBE2ECS_INDEX_H
#define KUBE2ECS_INDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "base/hash.h"
#include "report/diags.h"
#include "read/yaml_tree.h"

typedef struct {
    k2e_node *root;          /* the object's mapping */
    const char *file;
    const char *api_version; /* "apps/v1" */
    char *group;             /* "apps"; "" for the core group (owned) */
    const char *kind;
    const char *name;
    const char *namespace_;  /* metadata.namespace or the default */
    bool duplicate;          /* a later copy of an earlier object: skipped */
    k2e_node *generate;      /* metadata.generateName when it gave the name, else NULL */
    char *owned_name;        /* the name when k2e_index_finish made one up (owned) */
} k2e_object;

typedef struct {
    k2e_object *items;
    size_t count;
    size_t capacity;
    const char *default_namespace;
    k2e_table by_identity;   /* built by k2e_index_finish: first of each identity */
    /* Core Services (not duplicates), built by k2e_index_finish, so that
     * name sharing and service link lookups do not scan every Service:
     * name -> positions; (namespace, NUL, the name as the kubelet spells it
     * in variable names: upper case, '-' as '_') -> positions. */
    k2e_multimap services_by_name;
    k2e_multimap services_by_env;
} k2e_index;


void k2e_index_init(k2e_index *index, const char *default_namespace);
void k2e_index_release(k2e_index *index);

/* Adds every object of a file (kind: List flattened).  Documents that are not
 * objects get an error diagnostic.  Also marks the fields that `kubectl get
 * -o yaml` exports carry as server-side noise (status, managedFields, the
 * last-applied annotation...) consumed, so they are ignored quietly. */
bool k2e_index_add_file(k2e_index *index, k2e_file *file, k2e_diags *diags);

/* Sorts canonically and flags duplicates (K2E-E007, naming both places). */
void k2e_index_finish(k2e_index *index, k2e_diags *diags);

/* Finds an object (after k2e_index_finish; the first of duplicates); group
 * "" is the core group.  NULL when absent.  Constant time. */
const k2e_object *k2e_index_find(const k2e_index *index, const char *group,
                                 const char *kind, const char *namespace_,
                                 const char *name);

/* The objects of `kind` (any group) in `namespace_` (NULL: in every
 * namespace), after k2e_index_finish: a contiguous run of index->items in
 * canonical order, duplicates included (skip those flagged).  Sets *count
 * (0 when none; the pointer is then NULL).  O(log n).
 *
 *     size_t n;
 *     const k2e_object *hpas = k2e_index_kind(index, "HorizontalPodAutoscaler", ns, &n);
 *     for (size_t i = 0; i < n; i++) ...
 */
const k2e_object *k2e_index_kind(const k2e_index *index, const char *kind,
                                 const char *namespace_, size_t *count);

/* The position of an object of the index in index->items (for per-object
 * arrays such as "referenced" marks). */
size_t k2e_index_position(const k2e_index *index, const k2e_object *object);

#endif
