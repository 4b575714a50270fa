/* The index of Kubernetes objects; see index.h.
 *
 * Reading metadata here (not in every mapper) keeps one definition of what
 * an object is: a mapping with string apiVersion, kind and metadata.name.
 */
#include "read/index.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static void index_services(k2e_index *index);

void k2e_index_init(k2e_index *index, const char *default_namespace)
{
    memset(index, 0, sizeof *index);
    index->default_namespace = default_namespace;
    k2e_table_init(&index->by_identity);
    k2e_multimap_init(&index->services_by_name);
    k2e_multimap_init(&index->services_by_env);
}

void k2e_index_release(k2e_index *index)
{
    for (size_t i = 0; i < index->count; i++) {
        free(index->items[i].group);
        free(index->items[i].owned_name);
    }
    free(index->items);
    k2e_table_release(&index->by_identity);
    k2e_multimap_release(&index->services_by_name);
    k2e_multimap_release(&index->services_by_env);
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

/* --- Names the API server would accept ------------------------------------
 *
 * Names become file names, family names and message text, so an object whose
 * name or namespace Kubernetes would reject is rejected here, with the rule
 * the API server applies to its kind (pkg/apis/<group>/validation and
 * apimachinery's IsDNS1123Subdomain/IsDNS1123Label/IsDNS1035Label): most
 * kinds take a DNS-1123 subdomain, Services an RFC 1035 label, Namespaces
 * and StatefulSets (since 1.27) a DNS-1123 label, CronJobs a subdomain of at
 * most 52 characters, RBAC kinds and PodDisruptionBudgets any path segment;
 * a namespace is always a DNS-1123 label. */

typedef enum { NAME_SUBDOMAIN, NAME_LABEL, NAME_RFC1035_LABEL, NAME_PATH_SEGMENT } name_rule;

typedef struct {
    const char *group;
    const char *kind;
    name_rule rule;
    size_t max_length;
} name_rule_row;

static const name_rule_row name_rules[] = {
    {"", "Service", NAME_RFC1035_LABEL, 63},
    {"", "Namespace", NAME_LABEL, 63},
    {"apps", "StatefulSet", NAME_LABEL, 63},
    {"batch", "CronJob", NAME_SUBDOMAIN, 52},
    {"policy", "PodDisruptionBudget", NAME_PATH_SEGMENT, 0},
    {"rbac.authorization.k8s.io", "Role", NAME_PATH_SEGMENT, 0},
    {"rbac.authorization.k8s.io", "RoleBinding", NAME_PATH_SEGMENT, 0},
    {"rbac.authorization.k8s.io", "ClusterRole", NAME_PATH_SEGMENT, 0},
    {"rbac.authorization.k8s.io", "ClusterRoleBinding", NAME_PATH_SEGMENT, 0},
};

static const char *const name_rule_text[] = {
    [NAME_SUBDOMAIN] = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                       "characters, '-' or '.', and must start and end with an alphanumeric "
                       "character",
    [NAME_LABEL] = "a lowercase RFC 1123 label must consist of lower case alphanumeric "
                   "characters or '-', and must start and end with an alphanumeric character",
    [NAME_RFC1035_LABEL] = "a DNS-1035 label must consist of lower case alphanumeric characters "
                           "or '-', start with an alphabetic character, and end with an "
                           "alphanumeric character",
    [NAME_PATH_SEGMENT] = "a name may not be '.' or '..' and may not contain '/' or '%'",
};

static bool lower_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..n); the first character a letter
 * for RFC 1035. */
static bool label_chars(const char *s, size_t n, bool rfc1035)
{
    if (n == 0 || !lower_alnum(s[0]) || !lower_alnum(s[n - 1]) ||
        (rfc1035 && !(s[0] >= 'a' && s[0] <= 'z')))
        return false;
    for (size_t i = 1; i + 1 < n; i++) {
        if (!lower_alnum(s[i]) && s[i] != '-')
            return false;
    }
    return true;
}

static bool subdomain_chars(const char *s, size_t n)
{
    for (size_t start = 0;;) {
        const char *dot = memchr(s + start, '.', n - start);
        size_t end = dot ? (size_t)(dot - s) : n;
        if (!label_chars(s + start, end - start, false))
            return false;
        if (!dot)
            return true;
        start = end + 1;
    }
}

static bool path_segment_chars(const char *s, size_t n)
{
    if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '/' || s[i] == '%' || s[i] == '\0')
            return false;
    }
    return true;
}

static bool name_chars_valid(name_rule rule, const char *s, size_t n)
{
    switch (rule) {
    case NAME_LABEL: return label_chars(s, n, false);
    case NAME_RFC1035_LABEL: return label_chars(s, n, true);
    case NAME_PATH_SEGMENT: return path_segment_chars(s, n);
    default: return subdomain_chars(s, n);
    }
}

/* At most ~80 bytes of `s` for a message, cut on a UTF-8 character boundary. */
static int quoted_length(const char *s, size_t n)
{
    if (n <= 80)
        return (int)n;
    size_t cut = 77;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return (int)cut;
}

/* Checks a name (or, for generateName, a prefix: its trailing '-' masked as
 * apimachinery's maskTrailingDash does) against `rule`; reports at `node`
 * with the API server's words.  Names are compared by their byte length, so
 * one with a NUL (a "\0" escape) never passes as its shorter C string. */
static bool check_name(const k2e_node *node, size_t length, const k2e_node *root,
                       name_rule rule, size_t max, bool prefix, const char *what,
                       k2e_diags *diags)
{
    const char *s = node->value;
    size_t n = length;
    char *masked = NULL;
    if (prefix && n > 1 && s[n - 1] == '-') {
        masked = k2e_asprintf("%.*sa", (int)(n - 2), s);
        if (!masked)
            return false;
        s = masked;
        n--;
    }
    bool too_long = max && n > max;
    bool valid = !too_long && strnlen(s, n) == n && name_chars_valid(rule, s, n);
    free(masked);
    if (valid)
        return true;
    size_t visible = strnlen(node->value, length); /* up to a NUL, shown as \\0 */
    int shown = quoted_length(node->value, visible);
    const char *more = visible < length ? "\\0..." : (size_t)shown < visible ? "..." : "";
    const char *hint = "Kubernetes rejects this name too; names become ECS family, service "
                       "and file names";
    if (too_long)
        return !k2e_diag_at(diags, K2E_E_NAME, node, root, hint,
                            "%s '%.*s%s' is not valid: must be no more than %zu characters",
                            what, shown, node->value, more, max);
    return !k2e_diag_at(diags, K2E_E_NAME, node, root, hint, "%s '%.*s%s' is not valid: %s",
                        what, shown, node->value, more, name_rule_text[rule]);
}

static bool is_string(const k2e_node *node)
{
    return node && node->kind == K2E_NODE_SCALAR &&
           k2e_scalar_type_of(node) == K2E_SCALAR_STRING;
}

/* metadata.name, metadata.generateName (a prefix) and metadata.namespace
 * against the rules of the object's kind; values of another type are left
 * to the typed reads that follow. */
static bool names_valid(k2e_node *metadata, k2e_node *root, const char *api_version,
                        const char *kind, k2e_diags *diags)
{
    const char *slash = strrchr(api_version, '/');
    size_t group_length = slash ? (size_t)(slash - api_version) : 0;
    name_rule rule = NAME_SUBDOMAIN;
    size_t max = 253;
    for (size_t i = 0; i < sizeof name_rules / sizeof name_rules[0]; i++) {
        const name_rule_row *row = &name_rules[i];
        if (strlen(row->group) == group_length &&
            strncmp(row->group, api_version, group_length) == 0 &&
            strcmp(row->kind, kind) == 0) {
            rule = row->rule;
            max = row->max_length;
            break;
        }
    }
    k2e_node *name = k2e_get(metadata, "name");
    k2e_node *generate = k2e_get(metadata, "generateName");
    k2e_node *ns = k2e_get(metadata, "namespace");
    bool ok = true;
    if (is_string(name) && name->length)
        ok = check_name(name, name->length, root, rule, max, false, "metadata.name", diags);
    /* CronJob's 52 is a limit on the name only (the Jobs it creates append 11). */
    size_t prefix_max = rule == NAME_SUBDOMAIN ? 253 : max;
    if (ok && is_string(generate) && generate->length)
        ok = check_name(generate, generate->length, root, rule, prefix_max, true,
                        "metadata.generateName", diags);
    /* Without a name the prefix less its '-' is the name kube2ecs uses. */
    size_t used = generate ? generate->length : 0;
    used -= used > 1 && generate->value[used - 1] == '-';
    if (ok && !name && is_string(generate) && used)
        ok = check_name(generate, used, root, rule, max, false, "metadata.generateName",
                        diags);
    if (is_string(ns) && ns->length)
        ok = check_name(ns, ns->length, root, NAME_LABEL, 63, false, "metadata.namespace",
                        diags) && ok;
    return ok;
}

/* --- Secret keys ------------------------------------------------------------
 *
 * A Secret's data and stringData keys are checked before anything uses them
 * (they become environment variable names and SSM parameter names): a key
 * must be what Kubernetes accepts (IsConfigMapKey: [-._a-zA-Z0-9]+, at most
 * 253 characters, not '.', '..' or starting with '..'), and must have a
 * value.  A malformed flow mapping ({user: admin, HUNTER2}) puts Secret text
 * in key position, so a key that fails is an error naming only its position,
 * never its text, and is removed from the tree: no later stage sees it. */

static bool secret_key_valid(const k2e_node *key, const k2e_node *value)
{
    const char *s = key->value;
    size_t n = key->length;
    if (n == 0 || n > 253 || strlen(s) != n || k2e_is_null(value) ||
        strncmp(s, "..", 2) == 0 || strcmp(s, ".") == 0)
        return false;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._") == n;
}

static bool check_secret_keys(k2e_node *map, const char *field, k2e_diags *diags)
{
    if (!map || map->kind != K2E_NODE_MAPPING)
        return true;
    size_t kept = 0;
    for (size_t i = 0; i < map->count; i++) {
        k2e_node *key = map->keys[i], *value = map->items[i];
        if (secret_key_valid(key, value)) {
            map->keys[kept] = key;
            map->items[kept++] = value;
            continue;
        }
        k2e_diag_add(diags, K2E_E_SECRET_KEY, (k2e_where){key->file, key->line, key->column, field},
                     "write `key: value` pairs with keys of letters, digits, '-', '_' and '.' "
                     "(a value written where a key belongs? check the commas and quotes of a "
                     "{...} mapping; an empty value is written \"\")",
                     "invalid Secret key, or a key without a value (the text is not shown: it "
                     "may be Secret data)");
    }
    bool ok = kept == map->count;
    map->count = (uint32_t)kept;
    return ok;
}

static bool check_secret(const char *api_version, const char *kind, k2e_node *root,
                         k2e_diags *diags)
{
    if (strchr(api_version, '/') || strcmp(kind, "Secret") != 0)
        return true; /* a core-group Secret only */
    bool data_ok = check_secret_keys(k2e_get(root, "data"), "data", diags);
    return check_secret_keys(k2e_get(root, "stringData"), "stringData", diags) && data_ok;
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
    (void)kind; /* reported by k2e_index_finish, once the name is final */
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
    if (!names_valid(metadata, root, api_version, kind, diags))
        return false;
    const char *name = object_name(metadata, root, kind, diags);
    if (!name)
        return false;
    const char *namespace_ = index->default_namespace;
    k2e_node *ns = k2e_take(metadata, "namespace");
    if (ns && !k2e_is_null(ns) && !k2e_as_string(ns, root, &namespace_, diags))
        return false;
    consume_server_noise(root, metadata);
    /* The Secret stays indexed without its bad keys: references to it resolve. */
    bool keys_ok = check_secret(api_version, kind, root, diags);
    if (!k2e_grow((void **)&index->items, &index->capacity, index->count + 1,
                  sizeof *index->items))
        return false;
    char *group = group_of(api_version);
    if (!group)
        return false;
    k2e_node *generate = k2e_get(metadata, "name") ? NULL : k2e_get(metadata, "generateName");
    index->items[index->count++] = (k2e_object){
        .root = root, .file = file, .api_version = api_version, .group = group,
        .kind = kind, .name = name, .namespace_ = namespace_, .generate = generate,
    };
    return keys_ok;
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

static bool name_taken(const k2e_index *index, const k2e_object *o, const char *name)
{
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *other = &index->items[i];
        if (other != o && strcmp(other->name, name) == 0 && strcmp(other->kind, o->kind) == 0 &&
            strcmp(other->namespace_, o->namespace_) == 0 && strcmp(other->group, o->group) == 0)
            return true;
    }
    return false;
}

/* The API server appends a random suffix to generateName, so such an object
 * never collides with a named one (or with another generated one).  Here the
 * suffix is the first free ordinal after the prefix as written, which keeps
 * the output deterministic; called only on a collision, so a lone
 * generateName object keeps its prefix without the trailing '-'. */
static void rename_generated(k2e_index *index, k2e_object *o)
{
    const char *prefix = o->generate->value; /* trailing '-' masked by object_name */
    for (unsigned n = 1; n < 100000; n++) {
        char *name = k2e_asprintf("%s-%u", prefix, n);
        if (!name)
            return; /* out of memory: left a duplicate, reported as such */
        if (!name_taken(index, o, name)) {
            free(o->owned_name);
            o->owned_name = name;
            o->name = name;
            return;
        }
        free(name);
    }
}

/* In each run of equal identities (the index is sorted) a named object keeps
 * its name, else the first generated one does; the other generated ones are
 * renamed.  Returns whether anything was renamed (the index needs sorting). */
static bool separate_generated(k2e_index *index)
{
    bool renamed = false;
    for (size_t start = 0, end; start < index->count; start = end) {
        for (end = start + 1;
             end < index->count && object_identity(&index->items[start], &index->items[end]) == 0;
             end++)
            ;
        bool keeper_found = false;
        for (size_t i = start; i < end; i++)
            keeper_found = keeper_found || !index->items[i].generate;
        for (size_t i = start; end - start > 1 && i < end; i++) {
            k2e_object *o = &index->items[i];
            if (!o->generate)
                continue;
            if (!keeper_found) {
                keeper_found = true;
                continue;
            }
            rename_generated(index, o);
            renamed = true;
        }
    }
    return renamed;
}

static void report_generated(const k2e_index *index, k2e_diags *diags)
{
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *o = &index->items[i];
        if (!o->generate)
            continue;
        k2e_diag_at(diags, K2E_I_GENERATED_NAME, o->generate, o->root,
                    "ECS needs a fixed name; set metadata.name to choose it",
                    o->owned_name ? "%s has no name: '%s' is used (generateName prefix "
                                    "'%s' plus a number: the prefix alone is taken)"
                                  : "%s has no name: '%s' from generateName is used",
                    o->kind, o->name, o->generate->value);
    }
}

void k2e_index_finish(k2e_index *index, k2e_diags *diags)
{
    if (index->count > 1)
        qsort(index->items, index->count, sizeof *index->items, object_order);
    if (separate_generated(index) && index->count > 1)
        qsort(index->items, index->count, sizeof *index->items, object_order);
    report_generated(index, diags);
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
    index_services(index);
}

static size_t service_env_key(char *key, size_t size, const char *namespace_, const char *name,
                           size_t name_length)
{
    size_t ns = strlen(namespace_);
    if (ns + 1 + name_length > size)
        return 0;
    memcpy(key, namespace_, ns);
    key[ns] = '\0';
    for (size_t i = 0; i < name_length; i++)
        key[ns + 1 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
    return ns + 1 + name_length;
}

/* Out of memory leaves the maps partial (the allocator counts it, and the
 * run ends in exit 3). */
static void index_services(k2e_index *index)
{
    size_t n;
    const k2e_object *services = k2e_index_kind(index, "Service", NULL, &n);
    for (size_t i = 0; i < n; i++) {
        const k2e_object *s = &services[i];
        if (s->duplicate || strcmp(s->group, "") != 0)
            continue;
        size_t position = (size_t)(s - index->items);
        char key[512];
        size_t length = service_env_key(key, sizeof key, s->namespace_, s->name,
                                            strlen(s->name));
        if (!k2e_multimap_add(&index->services_by_name, s->name, strlen(s->name), position) ||
            (length && !k2e_multimap_add(&index->services_by_env, key, length, position)))
            return;
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
