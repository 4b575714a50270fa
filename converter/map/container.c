/* One container -> one ECS container definition; see container.h.
 *
 * Environment.  Kubernetes builds a container's environment in order:
 * envFrom sources first, then env entries, a later name replacing an
 * earlier one; env values may use $(VAR) of anything defined before them,
 * command and args may use all of it.  We replay exactly that on a list of
 * (name, value-or-secret-reference) pairs, then split it into ECS
 * `environment` and `secrets`, each sorted by name.  A Secret-backed
 * variable has no value here, only its reference: a $(VAR) pointing at it
 * stays literal and is reported (ECS will not expand it either).
 */
#include "map/container.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/expand.h"
#include "read/mapping_table.h"
#include "map/pod.h"
#include "map/probe.h"
#include "map/restart.h"
#include "map/security.h"
#include "map/service_names.h"
#include "map/quantity.h"
#include "map/volumes.h"
#include "base/hash.h"
#include "base/arn.h"
#include "base/util.h"

/* --- Environment list ---------------------------------------------------- */

typedef struct {
    char *name;
    char *value;       /* literal value, or the secret's valueFrom */
    bool secret;
    bool dynamic;      /* known only at run time (pod IP...): value is NULL */
} env_var;

/* The variables in definition order, with a hash table of their positions
 * by name: a container with 100,000 variables (one envFrom of a large
 * ConfigMap) is set and looked up in linear time. */
typedef struct {
    env_var *items;
    size_t count, capacity;
    k2e_table by_name;
} env_list;

static void env_release(env_list *env)
{
    for (size_t i = 0; i < env->count; i++) {
        free(env->items[i].name);
        free(env->items[i].value);
    }
    free(env->items);
    k2e_table_release(&env->by_name);
}

static env_var *env_find(env_list *env, const char *name)
{
    size_t cursor = 0, i;
    uint64_t hash = k2e_hash_string(name);
    while ((i = k2e_table_next(&env->by_name, hash, &cursor)) != K2E_ABSENT) {
        if (strcmp(env->items[i].name, name) == 0)
            return &env->items[i];
    }
    return NULL;
}

/* Sets or replaces (later definitions win, as in Kubernetes); takes value. */
static void env_set(env_list *env, const char *name, char *value, bool secret, bool dynamic)
{
    env_var *var = env_find(env, name);
    if (!var) {
        char *copy = k2e_strdup(name);
        if (!copy ||
            !k2e_grow((void **)&env->items, &env->capacity, env->count + 1,
                      sizeof *env->items) ||
            !k2e_table_add(&env->by_name, k2e_hash_string(name), env->count)) {
            free(copy);
            free(value);
            return; /* counted: the run fails as an internal error */
        }
        var = &env->items[env->count++];
        var->name = copy;
    } else {
        free(var->value);
    }
    var->value = value;
    var->secret = secret;
    var->dynamic = dynamic;
}

/* --- Small readers --------------------------------------------------------- */

typedef struct {
    k2e_container_ctx *cc;
    k2e_node *container;
    const char *name;
    env_list env;
    bool ok;
} build_state;

/* --- $(VAR) lookups: the container's variables, then service links ----------- */

/* One expansion: where it is (for diagnostics) and the last service link
 * value made (expand.c copies it before the next lookup). */
typedef struct {
    build_state *s;
    const k2e_node *at;
    char *scratch;
} lookup_ctx;

/* The kinds that become ECS services (services/service.c), the only tasks
 * that can join Service Connect. */
static bool becomes_ecs_service(const char *kind)
{
    static const char *const kinds[] = {"Deployment", "StatefulSet", "ReplicaSet",
                                        "ReplicationController"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (strcmp(kinds[i], kind) == 0)
            return true;
    }
    return false;
}

static bool service_links_on(const build_state *s)
{
    const k2e_node *links = k2e_get(s->cc->pod_spec, "enableServiceLinks");
    return !(k2e_is_scalar(links) && strcmp(links->value, "false") == 0);
}

static void report_unlinked(lookup_ctx *l, const char *name, const k2e_service_link *link)
{
    build_state *s = l->s;
    const k2e_mapping *m = s->cc->map->mapping;
    bool standalone = !becomes_ecs_service(s->cc->object->kind);
    k2e_diag_at(s->cc->map->diags, K2E_W_SERVICE_LINK, l->at, s->cc->object->root,
                standalone ? "write the address the task reaches the service by (a load "
                             "balancer or Cloud Map name) instead of the variable"
                           : "turn on Service Connect (serviceDiscovery.namespace in the "
                             "mapping) to have it expanded to the Service's name, or write the "
                             "address instead of the variable",
                "$(%s) is the kubelet's service link for Service %s (its cluster IP and "
                "ports); ECS defines no such variable and %s: left unexpanded", name,
                link->service->name,
                standalone ? "a standalone task cannot join Service Connect"
                : m->discovery == K2E_DISCOVERY_CLOUD_MAP
                    ? "the Cloud Map name of the Service is not known to the converter"
                    : "service discovery is off (serviceDiscovery.mode none)");
}

static k2e_var_lookup link_lookup(lookup_ctx *l, const char *name, const char **value)
{
    build_state *s = l->s;
    k2e_map_ctx *map = s->cc->map;
    k2e_service_link link;
    if (!service_links_on(s) ||
        !k2e_service_link_find(map->index, s->cc->object->namespace_, name, &link))
        return K2E_VAR_UNKNOWN;
    if (map->mapping->discovery != K2E_DISCOVERY_SERVICE_CONNECT ||
        !becomes_ecs_service(s->cc->object->kind)) {
        report_unlinked(l, name, &link);
        return K2E_VAR_UNKNOWN;
    }
    char *host = k2e_service_dns_name(map->index, link.service);
    free(l->scratch);
    l->scratch = host ? k2e_service_link_value(&link, host) : NULL;
    if (l->scratch)
        k2e_diag_at(map->diags, K2E_I_SERVICE_LINK, l->at, s->cc->object->root,
                    "Service Connect answers on the Service's name and port in every task "
                    "of the namespace",
                    "$(%s), the kubelet's service link for Service %s, expanded to '%s' "
                    "(Service Connect name %s)", name, link.service->name, l->scratch, host);
    free(host);
    *value = l->scratch;
    return l->scratch ? K2E_VAR_FOUND : K2E_VAR_UNKNOWN;
}

static k2e_var_lookup env_lookup(const char *name, const char **value, void *context)
{
    lookup_ctx *l = context;
    env_var *var = env_find(&l->s->env, name);
    if (!var)
        return link_lookup(l, name, value);
    if (var->secret || var->dynamic) {
        *value = var->name;
        return K2E_VAR_DYNAMIC;
    }
    *value = var->value;
    return K2E_VAR_FOUND;
}

static char *expand(build_state *s, const k2e_node *at, const char *text,
                    const char **dynamic_name, bool *dynamic)
{
    lookup_ctx l = {s, at, NULL};
    char *out = k2e_expand_vars(text, env_lookup, &l, dynamic_name, dynamic);
    free(l.scratch);
    return out;
}

static k2e_diags *diags_of(build_state *s)
{
    return s->cc->map->diags;
}

static k2e_node *root_of(build_state *s)
{
    return s->cc->object->root;
}

static const char *take_string(build_state *s, k2e_node *map, const char *key)
{
    k2e_node *node = k2e_take(map, key);
    const char *value = NULL;
    if (!node || k2e_is_null(node))
        return NULL;
    if (!k2e_as_string(node, root_of(s), &value, diags_of(s)))
        s->ok = false;
    return value;
}

static bool take_bool(build_state *s, k2e_node *map, const char *key, bool fallback)
{
    k2e_node *node = k2e_take(map, key);
    bool value = fallback;
    if (node && !k2e_is_null(node) && !k2e_as_bool(node, root_of(s), &value, diags_of(s)))
        s->ok = false;
    return value;
}

/* Env var names Kubernetes accepts from envFrom (C identifiers plus . and -
 * in newer versions); invalid keys are skipped by the kubelet. */
static bool valid_env_name(const char *name)
{
    if (!*name || (name[0] >= '0' && name[0] <= '9'))
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-'))
            return false;
    }
    return true;
}

/* --- Secrets ---------------------------------------------------------- */

static char *ssm_arn(build_state *s, const char *prefix, const char *key)
{
    k2e_map_use(s->cc->map, K2E_KEY_REGION);
    k2e_map_use(s->cc->map, K2E_KEY_ACCOUNT_ID);
    const k2e_mapping *m = s->cc->map->mapping;
    char *name = k2e_asprintf("parameter%s%s%s", prefix[0] == '/' ? "" : "/", prefix, key);
    char *arn = name ? k2e_arn_new(m->region.value, "ssm", m->account_id.value, name) : NULL;
    free(name);
    return arn;
}

/* The valueFrom for one key of a Secret (never its value). */
static char *secret_reference(build_state *s, const k2e_node *at, const char *secret,
                              const char *key)
{
    const k2e_object *object = s->cc->object;
    const k2e_mapping *m = s->cc->map->mapping;
    const k2e_secret_entry *entry = k2e_mapping_secret(m, secret, object->namespace_,
                                                       s->cc->map->index->default_namespace);
    if (entry && entry->secrets_manager_arn)
        return k2e_asprintf("%s:%s::", entry->secrets_manager_arn, key);
    if (entry)
        return ssm_arn(s, entry->ssm_prefix, key);
    char *prefix = k2e_expand_template(m->default_ssm_prefix.value, secret, object->namespace_,
                                       object->kind, s->cc->family);
    if (!prefix)
        return NULL;
    char *arn = ssm_arn(s, prefix, key);
    k2e_diag_at(diags_of(s), K2E_W_SECRET_DEFAULT, at, root_of(s),
                "add {name: <secret>, secretsManagerArn: ...} or {name: <secret>, ssmPrefix: "
                "...} under `secrets` in the mapping table",
                "Secret '%s' has no mapping entry: key '%s' read from SSM parameter %s%s",
                secret, key, prefix, key);
    free(prefix);
    return arn;
}

/* Keys of a Secret: from the manifest in the input (data and stringData
 * keys only, values are never looked at) or from the mapping's `keys`. */
static bool secret_keys(build_state *s, const char *secret, k2e_node **data,
                        k2e_node **string_data, const k2e_string_list **listed)
{
    const k2e_object *object = s->cc->object;
    const k2e_object *found = k2e_map_reference(s->cc->map, "", "Secret", object->namespace_,
                                                secret);
    const k2e_secret_entry *entry = k2e_mapping_secret(s->cc->map->mapping, secret,
                                                       object->namespace_,
                                                       s->cc->map->index->default_namespace);
    *data = found ? k2e_get(found->root, "data") : NULL;
    *string_data = found ? k2e_get(found->root, "stringData") : NULL;
    *listed = entry && entry->keys.count ? &entry->keys : NULL;
    return found || *listed;
}

static bool map_has_key(const k2e_node *map, const char *key)
{
    return k2e_get(map, key) != NULL;
}

/* --- env ------------------------------------------------------------------ */

static const k2e_object *config_map(build_state *s, const char *name)
{
    return k2e_map_reference(s->cc->map, "", "ConfigMap", s->cc->object->namespace_, name);
}

static void env_from_config_map_key(build_state *s, const char *var, k2e_node *ref)
{
    const char *name = take_string(s, ref, "name");
    const char *key = take_string(s, ref, "key");
    bool optional = take_bool(s, ref, "optional", false);
    if (!name || !key)
        return;
    const k2e_object *cm = config_map(s, name);
    k2e_node *value = cm ? k2e_get(k2e_get(cm->root, "data"), key) : NULL;
    if (value && k2e_is_scalar(value)) {
        env_set(&s->env, var, k2e_strdup(value->value), false, false);
        return;
    }
    k2e_diag_at(diags_of(s), optional ? K2E_I_OPTIONAL_REF : K2E_W_REF_MISSING, ref, root_of(s),
                "include the ConfigMap manifest in the input, or set the value in the "
                "task definition by hand",
                optional ? "optional ConfigMap key %s/%s not in the input: %s left unset"
                         : "ConfigMap key %s/%s not in the input: %s left unset",
                name, key, var);
}

/* optional: true lets Kubernetes start the pod without the Secret or key
 * (Kubernetes docs, "Secrets", optional Secrets); an ECS `secrets` entry
 * whose parameter or secret does not exist stops the task at start
 * (ResourceInitializationError).  `what` names the variables. */
static void optional_secret(build_state *s, k2e_node *ref, const char *secret, const char *what)
{
    k2e_node *flag = k2e_get(ref, "optional");
    k2e_diag_at(diags_of(s), K2E_W_OPTIONAL_REF, flag ? flag : ref, root_of(s),
                "create the parameter or secret (empty if need be) before the task starts, or "
                "drop the reference and let the application fetch it at run time and "
                "tolerate its absence",
                "optional Secret %s (%s): Kubernetes starts the pod without it when it is "
                "missing; ECS stops the task at start when a `secrets` entry names a "
                "parameter or secret that does not exist", secret, what);
}

static void env_from_secret_key(build_state *s, const char *var, k2e_node *ref)
{
    const char *name = take_string(s, ref, "name");
    const char *key = take_string(s, ref, "key");
    bool optional = take_bool(s, ref, "optional", false);
    if (!name || !key)
        return;
    k2e_node *data, *string_data;
    const k2e_string_list *listed;
    if (secret_keys(s, name, &data, &string_data, &listed) && !listed &&
        !map_has_key(data, key) && !map_has_key(string_data, key)) {
        k2e_diag_at(diags_of(s), optional ? K2E_I_OPTIONAL_REF : K2E_W_REF_MISSING, ref,
                    root_of(s), "check the key name against the Secret",
                    "Secret %s has no key '%s'%s", name, key,
                    optional ? " (optional: left unset)" : "");
        if (optional)
            return;
    }
    char *arn = secret_reference(s, ref, name, key);
    if (arn)
        env_set(&s->env, var, arn, true, false);
    if (arn && optional) {
        char *what = k2e_asprintf("key '%s' for %s", key, var);
        optional_secret(s, ref, name, what ? what : var);
        free(what);
    }
}

/* metadata.labels['k'] / metadata.annotations['k']: static in the pod
 * template (the pod gets exactly these), so known at conversion time. */
static const char *template_metadata_value(build_state *s, const char *path)
{
    const char *field = k2e_str_has_prefix(path, "metadata.labels['") ? "labels"
                      : k2e_str_has_prefix(path, "metadata.annotations['") ? "annotations"
                                                                             : NULL;
    size_t n = strlen(path);
    if (!field || n < 3 || strcmp(path + n - 2, "']") != 0)
        return NULL;
    const char *start = strchr(path, '[') + 2;
    char *key = k2e_strndup(start, (size_t)(path + n - 2 - start));
    const k2e_node *metadata = k2e_get(s->cc->pod_spec ? s->cc->pod_spec->parent : NULL,
                                       "metadata");
    const k2e_node *value = key ? k2e_get(k2e_get(metadata, field), key) : NULL;
    free(key);
    return k2e_is_scalar(value) ? value->value : NULL;
}

/* Values Kubernetes fills from the pod's own fields. */
static void env_from_field(build_state *s, const char *var, k2e_node *ref)
{
    const char *path = take_string(s, ref, "fieldPath");
    k2e_consume(k2e_take(ref, "apiVersion"));
    if (!path)
        return;
    const k2e_object *object = s->cc->object;
    if (strcmp(path, "metadata.namespace") == 0) {
        env_set(&s->env, var, k2e_strdup(object->namespace_), false, false);
        return;
    }
    const char *label = template_metadata_value(s, path);
    if (label) {
        env_set(&s->env, var, k2e_strdup(label), false, false);
        return;
    }
    if (strcmp(path, "spec.serviceAccountName") == 0) {
        k2e_node *sa = k2e_get(s->cc->pod_spec, "serviceAccountName");
        env_set(&s->env, var, k2e_strdup(k2e_is_scalar(sa) ? sa->value : "default"), false,
                false);
        return;
    }
    env_set(&s->env, var, NULL, false, true);
    k2e_diag_at(diags_of(s), K2E_W_FIELD_REF, ref, root_of(s),
                "read it at run time from the task metadata endpoint "
                "($ECS_CONTAINER_METADATA_URI_V4/task), e.g. in the entry point",
                "%s comes from %s, which has no static value on ECS: not set", var, path);
}

/* The pod's container (app or init) called `name`, or NULL. */
static const k2e_node *pod_container(build_state *s, const char *name)
{
    static const char *const lists[] = {"containers", "initContainers"};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++) {
        const k2e_node *list = k2e_get(s->cc->pod_spec, lists[l]);
        for (size_t i = 0; list && list->kind == K2E_NODE_SEQUENCE && i < list->count; i++) {
            const k2e_node *n = k2e_get(list->items[i], "name");
            if (k2e_is_scalar(n) && strcmp(n->value, name) == 0)
                return list->items[i];
        }
    }
    return NULL;
}

static bool resource_value(const k2e_node *resources, const char *which, const char *resource,
                           const k2e_node *root, k2e_quantity *out)
{
    const k2e_node *value = k2e_get(k2e_get(resources, which), resource);
    const char *text, *why;
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    bool ok = value && k2e_as_text(value, root, &text, &scratch) &&
              k2e_quantity_parse(text, out, &why);
    k2e_diags_release(&scratch);
    return ok;
}

/* A resource of `container` as the API server stores it: a request that is
 * not written defaults to the limit (SetDefaults_Pod, core/v1 defaults.go). */
static bool container_resource(build_state *s, const k2e_node *container, const char *which,
                               const char *resource, k2e_quantity *out)
{
    const k2e_node *resources = k2e_get(container, "resources");
    if (resource_value(resources, which, resource, root_of(s), out))
        return true;
    return strcmp(which, "requests") == 0 &&
           resource_value(resources, "limits", resource, root_of(s), out);
}

/* resourceFieldRef: the resource of this container or, with containerName,
 * of the named container of the pod (core/v1 ResourceFieldSelector). */
static void env_from_resource(build_state *s, const char *var, k2e_node *ref)
{
    const char *resource = take_string(s, ref, "resource");
    const char *name = take_string(s, ref, "containerName");
    k2e_node *divisor_node = k2e_take(ref, "divisor");
    if (!resource)
        return;
    k2e_quantity value, divisor;
    const char *divisor_text = "1", *why = NULL;
    if (divisor_node && !k2e_as_text(divisor_node, root_of(s), &divisor_text, diags_of(s)))
        return;
    if (!k2e_quantity_parse(divisor_text, &divisor, &why)) {
        k2e_diag_at(diags_of(s), K2E_E_QUANTITY, divisor_node, root_of(s), NULL,
                    "invalid divisor '%s': %s", divisor_text, why ? why : "");
        s->ok = false;
        return;
    }
    const k2e_node *container = name && *name ? pod_container(s, name) : s->container;
    if (!container) {
        env_set(&s->env, var, NULL, false, true);
        k2e_diag_at(diags_of(s), K2E_W_FIELD_REF, k2e_get(ref, "containerName"), root_of(s),
                    "name a container of this pod in containerName",
                    "%s comes from %s of container '%s', which is not in the pod: not set",
                    var, resource, name);
        return;
    }
    const char *dot = strchr(resource, '.');
    char *which = dot ? k2e_strndup(resource, (size_t)(dot - resource)) : NULL;
    uint64_t result;
    bool known = which && container_resource(s, container, which, dot + 1, &value) &&
                 k2e_quantity_ceil_div(&value, &divisor, &result);
    free(which);
    if (known) {
        env_set(&s->env, var, k2e_asprintf("%llu", (unsigned long long)result), false, false);
        return;
    }
    env_set(&s->env, var, NULL, false, true);
    k2e_diag_at(diags_of(s), K2E_W_FIELD_REF, ref, root_of(s),
                "Kubernetes would fall back to the node's capacity; set the value explicitly "
                "or read the task size from the task metadata endpoint",
                "%s comes from %s, which container %s does not set: not set", var, resource,
                container == s->container ? s->name : name);
}

static void env_value_from(build_state *s, const char *var, k2e_node *from)
{
    k2e_node *ref;
    k2e_consume(from);
    if ((ref = k2e_take(from, "configMapKeyRef")))
        env_from_config_map_key(s, var, ref);
    else if ((ref = k2e_take(from, "secretKeyRef")))
        env_from_secret_key(s, var, ref);
    else if ((ref = k2e_take(from, "fieldRef")))
        env_from_field(s, var, ref);
    else if ((ref = k2e_take(from, "resourceFieldRef")))
        env_from_resource(s, var, ref);
    else
        return;
    k2e_consume(ref);
}

static void map_env(build_state *s)
{
    k2e_node *env = k2e_take(s->container, "env");
    if (!env || k2e_is_null(env) || !k2e_expect_kind(env, root_of(s), K2E_NODE_SEQUENCE,
                                                     diags_of(s)))
        return;
    for (size_t i = 0; i < env->count; i++) {
        k2e_node *item = env->items[i];
        k2e_consume(item);
        const char *name = take_string(s, item, "name");
        if (!name)
            continue;
        k2e_node *from = k2e_take(item, "valueFrom");
        if (from) {
            env_value_from(s, name, from);
            continue;
        }
        k2e_node *value_node = k2e_take(item, "value");
        const char *value = "";
        if (value_node && !k2e_is_null(value_node) &&
            !k2e_as_string(value_node, root_of(s), &value, diags_of(s)))
            continue;
        bool dynamic = false;
        const char *dynamic_name = NULL;
        char *expanded = expand(s, value_node ? value_node : item, value, &dynamic_name,
                                &dynamic);
        if (dynamic) {
            k2e_diag_at(diags_of(s), K2E_W_FIELD_REF, value_node, root_of(s),
                        "ECS does not expand $(VAR); wrap the command in sh -c and use $VAR",
                        "$(%s) is only known at run time and is left unexpanded in %s",
                        dynamic_name, name);
        }
        env_set(&s->env, name, expanded, false, false);
    }
}

/* --- envFrom -------------------------------------------------------------- */

static void env_from_config_map(build_state *s, k2e_node *ref, const char *prefix)
{
    const char *name = take_string(s, ref, "name");
    bool optional = take_bool(s, ref, "optional", false);
    if (!name)
        return;
    const k2e_object *cm = config_map(s, name);
    k2e_node *data = cm ? k2e_get(cm->root, "data") : NULL;
    if (!cm) {
        k2e_diag_at(diags_of(s), optional ? K2E_I_OPTIONAL_REF : K2E_W_REF_MISSING, ref,
                    root_of(s), "include the ConfigMap manifest in the input",
                    "ConfigMap %s not in the input: its keys are not set", name);
        return;
    }
    for (size_t i = 0; data && data->kind == K2E_NODE_MAPPING && i < data->count; i++) {
        char *var = k2e_asprintf("%s%s", prefix, data->keys[i]->value);
        if (var && valid_env_name(var) && k2e_is_scalar(data->items[i]))
            env_set(&s->env, var, k2e_strdup(data->items[i]->value), false, false);
        else if (var)
            k2e_diag_at(diags_of(s), K2E_W_NOT_CONVERTED, ref, root_of(s),
                        "Kubernetes skips such keys too; rename the key",
                        "ConfigMap %s key '%s' is not a valid variable name: skipped", name,
                        data->keys[i]->value);
        free(var);
    }
}

static void add_secret_key(build_state *s, k2e_node *ref, const char *secret,
                           const char *prefix, const char *key)
{
    char *var = k2e_asprintf("%s%s", prefix, key);
    if (!var)
        return;
    if (!valid_env_name(var)) {
        k2e_diag_at(diags_of(s), K2E_W_NOT_CONVERTED, ref, root_of(s),
                    "Kubernetes skips such keys too; rename the key",
                    "Secret %s key '%s' is not a valid variable name: skipped", secret, key);
        free(var);
        return;
    }
    char *arn = secret_reference(s, ref, secret, key);
    if (arn)
        env_set(&s->env, var, arn, true, false);
    free(var);
}

static void add_secret_keys_of(build_state *s, k2e_node *ref, const char *secret,
                               const char *prefix, const k2e_node *map)
{
    for (size_t i = 0; map && map->kind == K2E_NODE_MAPPING && i < map->count; i++)
        add_secret_key(s, ref, secret, prefix, map->keys[i]->value);
}

static void env_from_secret(build_state *s, k2e_node *ref, const char *prefix)
{
    const char *name = take_string(s, ref, "name");
    bool optional = take_bool(s, ref, "optional", false);
    if (!name)
        return;
    k2e_node *data, *string_data;
    const k2e_string_list *listed;
    if (!secret_keys(s, name, &data, &string_data, &listed)) {
        k2e_diag_at(diags_of(s), optional ? K2E_I_OPTIONAL_REF : K2E_W_SECRET_KEYS, ref,
                    root_of(s),
                    "include the Secret manifest in the input (its values are never read) "
                    "or list its keys under `secrets: [{name, keys: [...]}]` in the mapping",
                    "keys of Secret %s are unknown: envFrom not expanded", name);
        return;
    }
    if (optional)
        optional_secret(s, ref, name, "envFrom");
    if (listed) {
        for (size_t i = 0; i < listed->count; i++)
            add_secret_key(s, ref, name, prefix, listed->items[i]);
        return;
    }
    add_secret_keys_of(s, ref, name, prefix, data);
    add_secret_keys_of(s, ref, name, prefix, string_data);
}

static void map_env_from(build_state *s)
{
    k2e_node *sources = k2e_take(s->container, "envFrom");
    if (!sources || k2e_is_null(sources) ||
        !k2e_expect_kind(sources, root_of(s), K2E_NODE_SEQUENCE, diags_of(s)))
        return;
    for (size_t i = 0; i < sources->count; i++) {
        k2e_node *source = sources->items[i];
        k2e_consume(source);
        const char *prefix = take_string(s, source, "prefix");
        k2e_node *ref;
        if ((ref = k2e_take(source, "configMapRef")))
            env_from_config_map(s, ref, prefix ? prefix : "");
        else if ((ref = k2e_take(source, "secretRef")))
            env_from_secret(s, ref, prefix ? prefix : "");
        k2e_consume(ref);
    }
}

static int compare_env(const void *pa, const void *pb)
{
    return strcmp(((const env_var *)pa)->name, ((const env_var *)pb)->name);
}

static void emit_env(build_state *s, json_t *c)
{
    if (s->env.count > 1)
        qsort(s->env.items, s->env.count, sizeof *s->env.items, compare_env);
    json_t *environment = json_array(), *secrets = json_array();
    for (size_t i = 0; i < s->env.count; i++) {
        const env_var *v = &s->env.items[i];
        if (v->dynamic)
            continue;
        if (v->secret)
            json_array_append_new(secrets, json_pack("{s:s, s:s}", "name", v->name,
                                                     "valueFrom", v->value));
        else
            json_array_append_new(environment, json_pack("{s:s, s:s}", "name", v->name,
                                                         "value", v->value));
    }
    if (json_array_size(environment))
        json_object_set_new(c, "environment", environment);
    else
        json_decref(environment);
    if (json_array_size(secrets))
        json_object_set_new(c, "secrets", secrets);
    else
        json_decref(secrets);
}

/* --- command / args --------------------------------------------------------- */

static json_t *expanded_list(build_state *s, const char *key)
{
    k2e_node *list = k2e_take(s->container, key);
    if (!list || k2e_is_null(list) ||
        !k2e_expect_kind(list, root_of(s), K2E_NODE_SEQUENCE, diags_of(s)))
        return NULL;
    /* The kubelet treats an empty command or args as unset (the image's
     * ENTRYPOINT/CMD apply); an empty entryPoint in ECS could instead clear
     * the image's, so none is written. */
    if (list->count == 0)
        return NULL;
    json_t *out = json_array();
    for (size_t i = 0; i < list->count; i++) {
        const char *text;
        k2e_node *item = list->items[i];
        k2e_consume(item);
        if (!k2e_as_text(item, root_of(s), &text, diags_of(s))) {
            s->ok = false;
            continue;
        }
        bool dynamic = false;
        const char *dynamic_name = NULL;
        char *expanded = expand(s, item, text, &dynamic_name, &dynamic);
        if (dynamic) {
            k2e_diag_at(diags_of(s), K2E_W_FIELD_REF, item, root_of(s),
                        "ECS does not expand $(VAR); run the command through sh -c and "
                        "write $VAR, which the shell expands from the environment",
                        "$(%s) is a Secret or run-time value and is left unexpanded",
                        dynamic_name);
        }
        json_array_append_new(out, json_string(expanded ? expanded : text));
        free(expanded);
    }
    return out;
}

/* --- ports ------------------------------------------------------------------ */

/* ECS takes one port mapping per container port: "You can't expose the same
 * container port for multiple protocols. If you attempt this, an error is
 * returned." (ECS API Reference, PortMapping), and CreateService fails with
 * "Container port N is used in more than one port mapping" (amazon-ecs-agent
 * issue 3428, terraform-aws-ecs issue 89).  Kubernetes allows 53/TCP beside
 * 53/UDP (DNS, memberlist gossip).  The first declaration is kept; a later
 * one is reported and left out.  True when `port` was declared before. */
static bool port_declared_before(build_state *s, k2e_strmap *seen, const k2e_node *at,
                                 int64_t port, const char *protocol)
{
    char key[24];
    int n = snprintf(key, sizeof key, "%lld", (long long)port);
    bool added = false;
    k2e_strmap_entry *entry = k2e_strmap_upsert(seen, key, (size_t)n, &added);
    if (!entry)
        return false; /* out of memory: counted; keep the mapping */
    if (added) {
        entry->value = (void *)protocol;
        return false;
    }
    const char *first = entry->value;
    bool same = strcmp(first, protocol) == 0;
    char *hint = same ? k2e_strdup("remove the duplicate port from the manifest")
                      : k2e_asprintf("the task's network interface (awsvpc) is not filtered by "
                                     "port mappings: allow %s %lld in the task's security "
                                     "group, and attach load balancers or Service Connect to "
                                     "the %s mapping that is kept",
                                     protocol, (long long)port, first);
    k2e_diag_at(diags_of(s), K2E_W_PORT_PROTOCOLS, at, root_of(s), hint,
                "containerPort %lld/%s of container %s %s: ECS allows one port mapping per "
                "container port, so only %lld/%s is written", (long long)port, protocol,
                s->name, same ? "is declared twice" : "is also declared for another protocol",
                (long long)port, first);
    free(hint);
    return true;
}

static json_t *map_ports(build_state *s)
{
    k2e_node *ports = k2e_take(s->container, "ports");
    if (!ports || k2e_is_null(ports) ||
        !k2e_expect_kind(ports, root_of(s), K2E_NODE_SEQUENCE, diags_of(s)))
        return NULL;
    json_t *out = json_array();
    k2e_strmap seen;
    k2e_strmap_init(&seen);
    for (size_t i = 0; i < ports->count; i++) {
        k2e_node *port = ports->items[i];
        k2e_consume(port);
        k2e_node *number = k2e_take(port, "containerPort");
        int64_t container_port;
        if (!number) {
            k2e_diag_at(diags_of(s), K2E_E_TYPE, port, root_of(s), NULL,
                        "a port needs containerPort");
            s->ok = false;
            continue;
        }
        if (!k2e_as_int(number, root_of(s), &container_port, diags_of(s))) {
            s->ok = false;
            continue;
        }
        if (container_port < 1 || container_port > 65535) {
            k2e_diag_at(diags_of(s), K2E_E_TYPE, number, root_of(s),
                        "Kubernetes rejects it too: a port is a number from 1 to 65535",
                        "containerPort %lld is not a port number", (long long)container_port);
            s->ok = false;
            continue;
        }
        const char *protocol = take_string(s, port, "protocol");
        if (protocol && strcmp(protocol, "TCP") != 0 && strcmp(protocol, "UDP") != 0) {
            k2e_diag_at(diags_of(s), K2E_E_TYPE, k2e_get(port, "protocol"), root_of(s),
                        "ECS port mappings support tcp and udp only",
                        "protocol %s is not supported", protocol);
            s->ok = false;
            continue;
        }
        k2e_node *host = k2e_take(port, "hostPort");
        int64_t host_port = container_port;
        if (host && k2e_as_int(host, root_of(s), &host_port, diags_of(s)) &&
            host_port != container_port) {
            k2e_diag_at(diags_of(s), K2E_W_NOT_CONVERTED, host, root_of(s),
                        "with awsvpc networking the host port always equals the container "
                        "port; expose a different port through the load balancer",
                        "hostPort %lld replaced by %lld", (long long)host_port,
                        (long long)container_port);
        }
        const char *ecs_protocol = protocol && strcmp(protocol, "UDP") == 0 ? "udp" : "tcp";
        const char *name = take_string(s, port, "name");
        if (port_declared_before(s, &seen, number, container_port, ecs_protocol))
            continue;
        json_t *mapping = json_pack("{s:I, s:I, s:s}", "containerPort",
                                    (json_int_t)container_port, "hostPort",
                                    (json_int_t)container_port, "protocol", ecs_protocol);
        if (name)
            json_object_set_new(mapping, "name", json_string(name));
        json_array_append_new(out, mapping);
    }
    k2e_strmap_release(&seen);
    return out;
}

/* --- resources ------------------------------------------------------------- */

typedef struct {
    bool has;
    uint64_t value;
} amount;

static amount read_amount(build_state *s, k2e_node *section, const char *resource, bool cpu)
{
    k2e_node *node = k2e_take(section, resource);
    amount out = {false, 0};
    const char *text, *why;
    k2e_quantity q;
    if (!node || !k2e_as_text(node, root_of(s), &text, diags_of(s)))
        return out;
    if (!k2e_quantity_parse(text, &q, &why) || k2e_quantity_is_negative(&q) ||
        !(cpu ? k2e_quantity_cpu_units(&q, &out.value) : k2e_quantity_mib(&q, &out.value))) {
        k2e_diag_at(diags_of(s), K2E_E_QUANTITY, node, root_of(s),
                    "write quantities like 250m, 0.5, 512Mi or 1Gi",
                    "invalid quantity '%s': %s", text, why ? why : "out of range");
        s->ok = false;
        return out;
    }
    out.has = true;
    return out;
}

static uint64_t default_amount(build_state *s, bool cpu)
{
    const k2e_mapping *m = s->cc->map->mapping;
    const char *text = cpu ? m->default_cpu.value : m->default_memory.value;
    k2e_quantity q;
    const char *why;
    uint64_t value = cpu ? 256 : 512;
    if (text && k2e_quantity_parse(text, &q, &why))
        cpu ? k2e_quantity_cpu_units(&q, &value) : k2e_quantity_mib(&q, &value);
    return value;
}

static uint64_t policy_need(k2e_sizing_policy policy, amount request, amount limit,
                            uint64_t fallback)
{
    if (!request.has && !limit.has)
        return fallback;
    if (!request.has)
        return limit.value;
    if (!limit.has)
        return request.value;
    if (policy == K2E_SIZING_REQUESTS)
        return request.value;
    if (policy == K2E_SIZING_LIMITS)
        return limit.value;
    return request.value > limit.value ? request.value : limit.value;
}

/* A regular init container has finished before the app containers start,
 * so Kubernetes sizes the pod by max(init, sum of apps).  ECS adds up every
 * container's cpu and memory reservation, so an init container carries
 * neither (only its hard memory limit, if it has one) and the task is sized
 * the Kubernetes way. */
static void drop_init_reservations(json_t *c, k2e_container_size *size)
{
    size->cpu = 0;
    size->memory_reservation = 0;
    json_object_del(c, "cpu");
    json_object_del(c, "memoryReservation");
}

/* ECS rejects a container memory (or memoryReservation) below 6 MiB
 * (ContainerDefinition `memory`: "The minimum amount of memory that you can
 * specify for a container is 6 MiB"); raising it is a change worth a word. */
static uint64_t raise_to_minimum(build_state *s, k2e_node *section, const char *what,
                                 uint64_t mib)
{
    if (mib == 0 || mib >= K2E_CONTAINER_MEMORY_MIN_MIB)
        return mib;
    k2e_node *at = k2e_get(section, "memory");
    const char *written = at && k2e_is_scalar(at) ? at->value : "";
    k2e_diag_at(diags_of(s), K2E_W_MEMORY_RAISED, at ? at : s->container, root_of(s),
                "ECS accepts no less; set at least 6Mi in the manifest to make this explicit",
                "container %s: memory %s %s is %llu MiB, raised to the ECS minimum of %d MiB",
                s->name, what, written, (unsigned long long)mib,
                K2E_CONTAINER_MEMORY_MIN_MIB);
    return K2E_CONTAINER_MEMORY_MIN_MIB;
}

/* On its node a container with a request and no limit may use whatever
 * memory the node has free; on Fargate the task size is a hard limit for
 * every container in it, which is where migrations find their leaks. */
static void report_no_limit(build_state *s, k2e_node *requests, uint64_t request_mib)
{
    k2e_node *at = k2e_get(requests, "memory");
    k2e_diag_at(diags_of(s), K2E_W_NO_MEMORY_LIMIT, at, root_of(s),
                "set resources.limits.memory to the peak the container really reaches "
                "(its node's metrics show it), or choose a larger size with `sizing` / a "
                "patch; watch for OutOfMemoryError in the stopped tasks' reasons",
                "container %s requests %llu MiB of memory and has no limit: on its node it "
                "could use more, up to the memory the node had free; on Fargate the task "
                "size (K2E-I031) is a hard limit shared by its containers, and a task "
                "above it is stopped",
                s->name, (unsigned long long)request_mib);
}

static void map_resources(build_state *s, json_t *c, k2e_container_size *size, bool init)
{
    k2e_node *resources = k2e_take(s->container, "resources");
    k2e_node *requests = k2e_take(resources, "requests");
    k2e_node *limits = k2e_take(resources, "limits");
    k2e_consume(resources);
    k2e_consume(requests);
    k2e_consume(limits);
    amount cpu_req = read_amount(s, requests, "cpu", true);
    amount cpu_lim = read_amount(s, limits, "cpu", true);
    amount mem_req = read_amount(s, requests, "memory", false);
    amount mem_lim = read_amount(s, limits, "memory", false);
    k2e_sizing_policy policy = s->cc->map->mapping->sizing;
    uint64_t default_cpu = default_amount(s, true), default_mem = default_amount(s, false);
    bool none = !cpu_req.has && !cpu_lim.has && !mem_req.has && !mem_lim.has;
    if (none && init) {
        /* Kubernetes counts nothing for it either: it requests nothing. */
        default_cpu = default_mem = 0;
        k2e_diag_at(diags_of(s), K2E_I_DEFAULT_RESOURCES, s->container, root_of(s),
                    "set resources in the manifest to give it a hard memory limit",
                    "init container %s declares no resources: it gets no CPU or memory "
                    "reservation of its own and runs within the task size of the others",
                    s->name);
    } else if (none) {
        k2e_diag_at(diags_of(s), K2E_I_DEFAULT_RESOURCES, s->container, root_of(s),
                    "set resources.requests in the manifest, or `defaultResources` in the "
                    "mapping table",
                    "container %s declares no resources: sized with the mapping defaults "
                    "(%llu CPU units, %llu MiB)",
                    s->name, (unsigned long long)default_cpu, (unsigned long long)default_mem);
    }
    if (mem_req.has && mem_lim.has && mem_req.value > mem_lim.value) {
        k2e_diag_at(diags_of(s), K2E_W_LIMIT_BELOW_REQUEST, limits, root_of(s),
                    "Kubernetes rejects this; fix the manifest",
                    "memory limit below the request: reservation lowered to the limit");
        mem_req.value = mem_lim.value;
    }
    if (mem_req.has && !mem_lim.has)
        report_no_limit(s, requests, mem_req.value);
    size->cpu_need = policy_need(policy, cpu_req, cpu_lim, default_cpu);
    size->memory_need = policy_need(policy, mem_req, mem_lim, default_mem);
    size->cpu = cpu_req.has ? cpu_req.value : cpu_lim.has ? cpu_lim.value : default_cpu;
    size->memory = mem_lim.has ? mem_lim.value : 0;
    size->memory_reservation = mem_req.has ? mem_req.value : mem_lim.has ? 0 : default_mem;
    if (!init) /* an init container's reservation is dropped anyway */
        size->memory_reservation = raise_to_minimum(s, requests, "request",
                                                    size->memory_reservation);
    size->memory = raise_to_minimum(s, limits, "limit", size->memory);
    /* ECS requires memory > memoryReservation; equal means "reserve it all",
     * which is what `memory` alone says. */
    if (size->memory && size->memory_reservation >= size->memory)
        size->memory_reservation = 0;
    json_object_set_new(c, "cpu", json_integer((json_int_t)size->cpu));
    if (size->memory)
        json_object_set_new(c, "memory", json_integer((json_int_t)size->memory));
    if (size->memory_reservation)
        json_object_set_new(c, "memoryReservation",
                            json_integer((json_int_t)size->memory_reservation));
}

/* --- 1:1 fields ------------------------------------------------------------- */

typedef enum { ONE_STRING, ONE_BOOL } one_type;

typedef struct {
    const char *k8s;
    const char *ecs;
    one_type type;
} one_to_one;

static const one_to_one direct_fields[] = {
    {"workingDir", "workingDirectory", ONE_STRING},
    {"tty", "pseudoTerminal", ONE_BOOL},
    {"stdin", "interactive", ONE_BOOL},
};

static void map_direct(build_state *s, json_t *c)
{
    for (size_t i = 0; i < sizeof direct_fields / sizeof direct_fields[0]; i++) {
        const one_to_one *row = &direct_fields[i];
        if (!k2e_get(s->container, row->k8s))
            continue;
        if (row->type == ONE_STRING) {
            const char *v = take_string(s, s->container, row->k8s);
            if (v)
                json_object_set_new(c, row->ecs, json_string(v));
        } else {
            bool v = take_bool(s, s->container, row->k8s, false);
            if (v)
                json_object_set_new(c, row->ecs, json_true());
        }
    }
}

/* --- logging ---------------------------------------------------------------- */

static json_t *log_configuration(build_state *s)
{
    const k2e_mapping *m = s->cc->map->mapping;
    json_t *options = json_object();
    if (strcmp(m->log_driver.value, "awslogs") == 0) {
        const k2e_object *o = s->cc->object;
        char *group = k2e_expand_template(m->log_group.value, o->name, o->namespace_, o->kind,
                                          s->cc->family);
        char *prefix = k2e_expand_template(m->log_stream_prefix.value, o->name, o->namespace_,
                                           o->kind, s->cc->family);
        k2e_map_use(s->cc->map, K2E_KEY_REGION);
        json_object_set_new(options, "awslogs-group", json_string(group ? group : ""));
        json_object_set_new(options, "awslogs-region", json_string(m->region.value));
        json_object_set_new(options, "awslogs-stream-prefix", json_string(prefix ? prefix : ""));
        if (m->log_create_group.value) {
            json_object_set_new(options, "awslogs-create-group", json_string("true"));
            s->cc->map->log_group_created = true;
        }
        free(group);
        free(prefix);
    }
    return json_pack("{s:s, s:o}", "logDriver", m->log_driver.value, "options", options);
}

/* --- the container ------------------------------------------------------------ */

static json_t *depends_on(k2e_start_after after)
{
    if (!after.name)
        return NULL;
    return json_pack("[{s:s, s:s}]", "containerName", after.name, "condition",
                     after.sidecar ? "START" : "SUCCESS");
}

static bool is_sidecar(build_state *s, k2e_container_role role)
{
    if (role != K2E_CONTAINER_INIT)
        return false;
    const char *policy = take_string(s, s->container, "restartPolicy");
    return policy && strcmp(policy, "Always") == 0;
}

static void set_list(json_t *c, const char *key, json_t *list)
{
    if (list)
        json_object_set_new(c, key, list);
}

/* ECS accepts up to 255 letters, digits, hyphens, underscores, colons,
 * periods, forward slashes and number signs (RegisterTaskDefinition
 * `image`); '@' is needed for digests. */
static bool valid_image_reference(const char *image)
{
    size_t n = strlen(image);
    if (n == 0 || n > 255 || image[n - 1] == ':' || strchr("-_:./#@", image[0]))
        return false;
    for (const char *p = image; *p; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  strchr("-_:./#@", c);
        if (!ok)
            return false;
    }
    return true;
}

json_t *k2e_container_build(k2e_container_ctx *cc, k2e_node *container,
                            k2e_container_role role, k2e_start_after after,
                            k2e_container_size *size)
{
    build_state s = {.cc = cc, .container = container, .ok = true};
    if (!k2e_expect_kind(container, cc->object->root, K2E_NODE_MAPPING, cc->map->diags))
        return NULL;
    k2e_consume(container);
    s.name = take_string(&s, container, "name");
    const char *image = take_string(&s, container, "image");
    if (!s.name || !image) {
        k2e_diag_at(cc->map->diags, K2E_E_TYPE, container, cc->object->root,
                    "every container needs a name and an image", "container without %s",
                    s.name ? "image" : "name");
        return NULL;
    }
    if (!valid_image_reference(image)) {
        k2e_diag_at(cc->map->diags, K2E_E_TYPE, k2e_get(container, "image"), cc->object->root,
                    "this looks like a template placeholder: render the manifests first "
                    "(helm template, kustomize build, envsubst) and convert the result",
                    "'%s' is not a valid image reference", image);
        return NULL;
    }
    size->sidecar = is_sidecar(&s, role);
    json_t *c = json_object();
    char *rewritten = k2e_mapping_rewrite_image(cc->map->mapping, image);
    json_object_set_new(c, "name", json_string(s.name));
    json_object_set_new(c, "image", json_string(rewritten ? rewritten : image));
    free(rewritten);
    /* Exactly the app containers are essential: a task whose init container
     * finished must not stop; sidecars only when the mapping says so. */
    bool essential = role == K2E_CONTAINER_APP ||
                     (size->sidecar && cc->map->mapping->sidecars_essential);
    json_object_set_new(c, "essential", json_boolean(essential));
    k2e_restart_container(cc->map, cc->object, cc->pod_spec, container, size->sidecar,
                          role == K2E_CONTAINER_APP, c);
    map_env_from(&s);
    map_env(&s);
    set_list(c, "entryPoint", expanded_list(&s, "command"));
    set_list(c, "command", expanded_list(&s, "args"));
    map_direct(&s, c);
    k2e_pod_container_fields(cc->map, cc->object, container);
    map_resources(&s, c, size, role == K2E_CONTAINER_INIT && !size->sidecar);
    if (role == K2E_CONTAINER_INIT && !size->sidecar)
        drop_init_reservations(c, size);
    set_list(c, "portMappings", map_ports(&s));
    json_t *mount_points = NULL;
    if (!k2e_mount_points_build(container, cc->pod_spec, cc->object->root, cc->task_volumes,
                                &mount_points, cc->map->diags))
        s.ok = false;
    set_list(c, "mountPoints", mount_points);
    emit_env(&s, c);
    set_list(c, "dependsOn", depends_on(after));
    set_list(c, "healthCheck", k2e_health_check_build(container, cc->object->root,
                                                      cc->map->mapping->http_probes,
                                                      cc->map->diags));
    k2e_readiness_report(container, cc->object->root, cc->map->diags);
    if (!k2e_security_container(cc->pod_spec, container, cc->object->root, c, cc->map->diags))
        s.ok = false;
    json_object_set_new(c, "logConfiguration", log_configuration(&s));
    env_release(&s.env);
    if (!s.ok) {
        json_decref(c);
        return NULL;
    }
    return c;
}
