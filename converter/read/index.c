/* The index of Kubernetes objects; see index.h.
 *
 * Reading metadata here (not in every mapper) keeps one definition of what
 * an object is: a mapping with string apiVersion, kind and metadata.name.
 */
#include "read/index.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void k2e_index_init(k2e_index *index, const char *default_namespace)
{
    memset(index, 0, sizeof *index);
    index->default_namespace = default_namespace;
    k2e_table_init(&index->by_identity);
}

void k2e_index_release(k2e_index *index)
{
    for (size_t i = 0; i < index->count; i++)
        free(index->items[i].group);
    free(index->items);
    k2e_table_release(&index->by_identity);
    memset(index, 0, sizeof *index);
}

/* Fields a live cluster adds to every object; `kubectl get -o yaml` exports
 * them.  They describe the old cluster's state, not the desired workload. */
static const char *const server_metadata[] = {
    "managedFields", "creationTimestamp", "resourceVersion", "uid",
    "generation", "selfLink", "ownerReferences", NULL,
};

static const char *const server_annotations[] = {
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
    NULL,
};

static void consume_server_noise(k2e_node *root, k2e_node *metadata)
{
    k2e_consume_all(k2e_take(root, "status"));
    for (const char *const *f = server_metadata; *f; f++)
        k2e_consume_all(k2e_take(metadata, *f));
    /* Annotations are looked at one by one: the rest are reported each. */
    k2e_node *annotations = k2e_take(metadata, "annotations");
    for (const char *const *a = server_annotations; *a; a++)
        k2e_consume_all(k2e_take(annotations, *a));
}

static char *group_of(const char *api_version)
{
    const char *slash = strrchr(api_version, '/');
    return slash ? k2e_strndup(api_version, (size_t)(slash - api_version)) : k2e_strdup("");
}

/* Reads a required string field; reports it missing or mistyped. */
static const char *required_string(k2e_node *map, const char *key, k2e_node *root,
                                   k2e_diags *diags)
{
    k2e_node *node = k2e_take(map, key);
    const char *value = NULL;
    if (!node || k2e_is_null(node)) {
        k2e_diag_at(diags, K2E_E_NOT_OBJECT, map, root,
                    "every Kubernetes object needs apiVersion, kind and metadata.name",
                    "missing '%s'", key);
        return NULL;
    }
    if (!k2e_as_string(node, root, &value, diags))
        return NULL;
    if (!*value) {
        k2e_diag_at(diags, K2E_E_NOT_OBJECT, node, root, NULL, "'%s' is empty", key);
        return NULL;
    }
    return value;
}

static bool add_object(k2e_index *index, k2e_node *root, const char *file,
                       k2e_diags *diags);

/* metadata.name, or for objects created with generateName (Jobs submitted
 * with kubectl create) the generateName prefix without its trailing '-'. */
static const char *object_name(k2e_node *metadata, k2e_node *root, const char *kind,
                               k2e_diags *diags)
{
    k2e_node *generate = k2e_get(metadata, "generateName");
    if (k2e_get(metadata, "name") || !generate)
        return required_string(metadata, "name", root, diags);
    const char *prefix = required_string(metadata, "generateName", root, diags);
    if (!prefix)
        return NULL;
    size_t n = strlen(prefix);
    if (n > 1 && prefix[n - 1] == '-')
        generate->value[n - 1] = '\0';
    k2e_diag_at(diags, K2E_I_GENERATED_NAME, generate, root,
                "ECS needs a fixed name; set metadata.name to choose it",
                "%s has no name: '%s' from generateName is used", kind, generate->value);
    return generate->value;
}

static bool add_list(k2e_index *index, k2e_node *root, const char *file,
                     k2e_diags *diags)
{
    k2e_node *items = k2e_take(root, "items");
    k2e_consume_all(k2e_take(root, "metadata"));
    if (!items || k2e_is_null(items))
        return true;
    if (!k2e_expect_kind(items, root, K2E_NODE_SEQUENCE, diags))
        return false;
    bool ok = true;
    for (size_t i = 0; i < items->count; i++)
        ok = add_object(index, items->items[i], file, diags) && ok;
    return ok;
}

static bool add_object(k2e_index *index, k2e_node *root, const char *file,
                       k2e_diags *diags)
{
    if (root->kind != K2E_NODE_MAPPING) {
        k2e_diag_at(diags, K2E_E_NOT_OBJECT, root, root,
                    "each YAML document must be one Kubernetes object (a mapping)",
                    "document is %s, not a Kubernetes object",
                    root->kind == K2E_NODE_SEQUENCE ? "a list" : "a scalar");
        return false;
    }
    k2e_consume(root);
    const char *api_version = required_string(root, "apiVersion", root, diags);
    const char *kind = required_string(root, "kind", root, diags);
    if (!api_version || !kind)
        return false;
    if (strcmp(kind, "List") == 0 || k2e_str_has_suffix(kind, "List"))
        return add_list(index, root, file, diags);
    k2e_node *metadata = k2e_take(root, "metadata");
    if (!metadata || !k2e_expect_kind(metadata, root, K2E_NODE_MAPPING, diags)) {
        if (!metadata)
            k2e_diag_at(diags, K2E_E_NOT_OBJECT, root, root, NULL, "missing 'metadata'");
        return false;
    }
    const char *name = object_name(metadata, root, kind, diags);
    if (!name)
        return false;
    const char *namespace_ = index->default_namespace;
    k2e_node *ns = k2e_take(metadata, "namespace");
    if (ns && !k2e_is_null(ns) && !k2e_as_string(ns, root, &namespace_, diags))
        return false;
    consume_server_noise(root, metadata);
    if (!k2e_grow((void **)&index->items, &index->capacity, index->count + 1,
                  sizeof *index->items))
        return false;
    char *group = group_of(api_version);
    if (!group)
        return false;
    index->items[index->count++] = (k2e_object){
        .root = root, .file = file, .api_version = api_version, .group = group,
        .kind = kind, .name = name, .namespace_ = namespace_,
    };
    return true;
}

bool k2e_index_add_file(k2e_index *index, k2e_file *file, k2e_diags *diags)
{
    bool ok = true;
    for (size_t i = 0; i < file->count; i++)
        ok = add_object(index, file->documents[i].root, file->name, diags) && ok;
    return ok;
}

static int object_identity(const k2e_object *a, const k2e_object *b)
{
    int c = strcmp(a->kind, b->kind);
    if (c == 0) c = strcmp(a->namespace_, b->namespace_);
    if (c == 0) c = strcmp(a->name, b->name);
    if (c == 0) c = strcmp(a->group, b->group);
    return c;
}

static int object_order(const void *pa, const void *pb)
{
    const k2e_object *a = pa, *b = pb;
    int c = object_identity(a, b);
    if (c == 0) c = strcmp(a->file, b->file);
    if (c == 0) c = (a->root->line > b->root->line) - (a->root->line < b->root->line);
    return c;
}

static uint64_t identity_hash(const char *group, const char *kind, const char *namespace_,
                              const char *name)
{
    uint64_t h = k2e_hash_string(kind);
    h = k2e_hash_more(h, namespace_, strlen(namespace_));
    h = k2e_hash_more(h, name, strlen(name));
    return k2e_hash_more(h, group, strlen(group));
}

void k2e_index_finish(k2e_index *index, k2e_diags *diags)
{
    if (index->count > 1)
        qsort(index->items, index->count, sizeof *index->items, object_order);
    for (size_t i = 1; i < index->count; i++) {
        k2e_object *first = &index->items[i - 1], *again = &index->items[i];
        if (object_identity(first, again) != 0)
            continue;
        while (first->duplicate)
            first--;
        again->duplicate = true;
        k2e_consume_all(again->root);
        k2e_diag_at(diags, K2E_E_DUPLICATE_OBJECT, again->root, again->root,
                    "convert each environment (kustomize overlay, Helm release) separately",
                    "%s %s/%s is also defined at %s:%u", again->kind, again->namespace_,
                    again->name, first->file, first->root->line);
    }
    /* Out of memory here leaves the table partial; k2e_index_find then
     * falls back to the binary search. */
    k2e_table_clear(&index->by_identity);
    if (!k2e_table_reserve(&index->by_identity, index->count))
        return;
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *o = &index->items[i];
        if (!o->duplicate)
            k2e_table_add(&index->by_identity,
                          identity_hash(o->group, o->kind, o->namespace_, o->name), i);
    }
}

/* First position whose (kind, namespace, name, group) is not below key's,
 * comparing the first `fields` of them. */
static size_t lower_bound(const k2e_index *index, const k2e_object *key, int fields)
{
    size_t lo = 0, hi = index->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const k2e_object *o = &index->items[mid];
        int c = strcmp(o->kind, key->kind);
        if (c == 0 && fields > 1) c = strcmp(o->namespace_, key->namespace_);
        if (c == 0 && fields > 2) c = strcmp(o->name, key->name);
        if (c == 0 && fields > 3) c = strcmp(o->group, key->group);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

const k2e_object *k2e_index_find(const k2e_index *index, const char *group,
                                 const char *kind, const char *namespace_,
                                 const char *name)
{
    k2e_object key = {.group = (char *)group, .kind = kind, .namespace_ = namespace_,
                      .name = name};
    if (index->by_identity.count == 0 && index->count > 0) {
        size_t at = lower_bound(index, &key, 4);
        if (at < index->count && object_identity(&index->items[at], &key) == 0)
            return &index->items[at];
        return NULL;
    }
    uint64_t hash = identity_hash(group, kind, namespace_, name);
    size_t cursor = 0, i;
    while ((i = k2e_table_next(&index->by_identity, hash, &cursor)) != K2E_ABSENT) {
        if (object_identity(&index->items[i], &key) == 0)
            return &index->items[i];
    }
    return NULL;
}

const k2e_object *k2e_index_kind(const k2e_index *index, const char *kind,
                                 const char *namespace_, size_t *count)
{
    int fields = namespace_ ? 2 : 1;
    k2e_object key = {.kind = kind, .namespace_ = namespace_};
    size_t first = lower_bound(index, &key, fields);
    /* The run ends where the kind (or namespace) changes: a second binary
     * search over the rest, on "is still in the run". */
    size_t lo = first, hi = index->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const k2e_object *o = &index->items[mid];
        bool in_run = strcmp(o->kind, kind) == 0 &&
                      (!namespace_ || strcmp(o->namespace_, namespace_) == 0);
        if (in_run)
            lo = mid + 1;
        else
            hi = mid;
    }
    *count = lo - first;
    return *count ? &index->items[first] : NULL;
}

size_t k2e_index_position(const k2e_index *index, const k2e_object *object)
{
    return (size_t)(object - index->items);
}
