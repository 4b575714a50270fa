/* The mapping table; see mapping_table.h.
 *
 * Both files (embedded default, then the user's) are parsed by the same
 * table of key handlers, so "merge" is simply "the later file's handler
 * overwrites the setting".  Nested mappings are walked with their own
 * tables, which merges them key by key; lists are replaced whole.  Strings
 * point into the two files' node trees, which the mapping owns.
 *
 * The lists looked up per workload (secrets, EFS claims, task roles, pull
 * secrets, target groups, Cloud Map registries) are indexed by (name,
 * namespace) once loaded: a large estate's mapping file can hold thousands
 * of entries, and a scan per lookup would make the conversion quadratic.
 */
#include "read/mapping_table.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/arn.h"
#include "base/util.h"
#include "read/inputs.h"

/* A byte array, not a string literal: the table is longer than the 4,095
 * characters ISO C promises a literal may hold. */
static const char default_text[] = {
#include "default_mapping.inc"
};

const char *k2e_mapping_default_text(void)
{
    return default_text;
}

/* --- Owned allocations ------------------------------------------------- */

typedef struct {
    void **items;
    size_t count, capacity;
} allocation_list;

static void *mapping_alloc(k2e_mapping *m, size_t size)
{
    allocation_list *list = m->allocations;
    void *p = k2e_calloc(1, size ? size : 1);
    if (!p || !k2e_grow((void **)&list->items, &list->capacity, list->count + 1,
                        sizeof *list->items)) {
        free(p);
        return NULL;
    }
    list->items[list->count++] = p;
    return p;
}

/* --- Parsing context ---------------------------------------------------- */

/* The keys a mapping node of the file may hold, recorded by the handler that
 * reads it, so that an unknown key can be answered with the nearest valid
 * one at the same place (network.securityGroup -> network.securityGroups).
 * `table` is an array whose elements begin with the key (`const char *`),
 * ended by a NULL key: a key_rule or entry_field table, or a string list. */
typedef struct {
    const k2e_node *map;
    const void *table;
    size_t stride;
} key_set;

typedef struct {
    k2e_mapping *mapping;
    k2e_node *root;
    k2e_diags *diags;
    bool is_default;
    bool ok;
    key_set *key_sets;
    size_t key_set_count, key_set_capacity;
} parse_ctx;

static void expect_keys(parse_ctx *ctx, const k2e_node *map, const void *table, size_t stride)
{
    if (!map || map->kind != K2E_NODE_MAPPING ||
        !k2e_grow((void **)&ctx->key_sets, &ctx->key_set_capacity, ctx->key_set_count + 1,
                  sizeof *ctx->key_sets))
        return;
    ctx->key_sets[ctx->key_set_count++] = (key_set){map, table, stride};
}

#define EXPECT_KEYS(ctx, map, table) expect_keys((ctx), (map), (table), sizeof *(table))

static const char *key_at(const key_set *set, size_t i)
{
    return *(const char *const *)((const char *)set->table + i * set->stride);
}

/* The valid key of `map` nearest to `key` (edit distance, case folded), or
 * NULL when none is close. */
static const char *nearest_key(const parse_ctx *ctx, const k2e_node *map, const char *key)
{
    size_t n = strlen(key), most = n < 5 ? 1 : n < 9 ? 2 : 3, best = most + 1;
    const char *guess = NULL;
    for (size_t s = 0; s < ctx->key_set_count; s++) {
        const key_set *set = &ctx->key_sets[s];
        if (set->map != map)
            continue;
        for (size_t i = 0; key_at(set, i); i++) {
            size_t d = k2e_edit_distance(key, key_at(set, i), true);
            if (d < best) {
                best = d;
                guess = key_at(set, i);
            }
        }
    }
    return guess;
}

typedef void (*key_handler)(parse_ctx *ctx, k2e_node *value, void *field);

typedef struct {
    const char *key;
    key_handler handle;
    size_t offset;          /* of the field in k2e_mapping */
    int placeholder;        /* k2e_placeholder_key or -1 */
} key_rule;

static void bad(parse_ctx *ctx, const k2e_node *node, const char *hint, const char *what)
{
    k2e_diag_at(ctx->diags, K2E_E_MAPPING, node, ctx->root, hint, "%s", what);
    ctx->ok = false;
}

/* Why a scalar that is not a string is not one, and how to write it as one:
 * YAML 1.1 (Kubernetes' reading, and this file's) turns unquoted yes/no/
 * on/off into booleans and digits into numbers. */
static char *quote_hint(const k2e_node *node)
{
    const char *as = k2e_scalar_type_of(node) == K2E_SCALAR_BOOL ? "a boolean" : "a number";
    if (node->key)
        return k2e_asprintf("YAML 1.1 reads an unquoted %s as %s: quote the value, "
                            "%s: \"%s\"", node->value, as, node->key, node->value);
    return k2e_asprintf("YAML 1.1 reads an unquoted %s as %s: quote the value, \"%s\"",
                        node->value, as, node->value);
}

static bool want_string(parse_ctx *ctx, const k2e_node *node, const char **out)
{
    if (node->kind == K2E_NODE_SCALAR && k2e_scalar_type_of(node) == K2E_SCALAR_STRING) {
        *out = node->value;
        return true;
    }
    if (node->kind != K2E_NODE_SCALAR) {
        bad(ctx, node, "write a single text value", "expected a string");
    } else if (k2e_scalar_type_of(node) == K2E_SCALAR_NULL) {
        bad(ctx, node, "write a value, or leave the key out to keep the default",
            "expected a string");
    } else {
        char *hint = quote_hint(node);
        bad(ctx, node, hint, "expected a string");
        free(hint);
    }
    return false;
}

/* A required key is missing.  When the entry holds a near miss of it
 * (serviceAcount), the unknown-key error names it with a did-you-mean, and
 * one error for one typo is enough. */
static void missing(parse_ctx *ctx, k2e_node *entry, const char *key, const char *hint,
                    const char *what)
{
    size_t n = strlen(key), most = n < 5 ? 1 : n < 9 ? 2 : 3;
    for (size_t i = 0; entry->kind == K2E_NODE_MAPPING && i < entry->count; i++) {
        if (!k2e_get(entry, key) && k2e_edit_distance(entry->keys[i]->value, key, true) <= most) {
            ctx->ok = false;
            return;
        }
    }
    char *message = what ? NULL : k2e_asprintf("missing '%s'", key);
    bad(ctx, entry, hint, what ? what : message ? message : "missing key");
    free(message);
}

static void handle_string(parse_ctx *ctx, k2e_node *value, void *field)
{
    k2e_setting *setting = field;
    const char *s;
    if (!want_string(ctx, value, &s))
        return;
    *setting = (k2e_setting){s, value};
}

static void handle_string_list(parse_ctx *ctx, k2e_node *value, void *field)
{
    k2e_string_list *list = field;
    if (value->kind != K2E_NODE_SEQUENCE) {
        bad(ctx, value, "write a YAML list, e.g. [a, b]", "expected a list of strings");
        return;
    }
    const char **items = mapping_alloc(ctx->mapping, value->count * sizeof *items);
    if (!items) {
        ctx->ok = false;
        return;
    }
    for (size_t i = 0; i < value->count; i++) {
        k2e_consume(value->items[i]);
        if (!want_string(ctx, value->items[i], &items[i]))
            return;
    }
    *list = (k2e_string_list){items, value->count, value};
}

static void handle_bool(parse_ctx *ctx, k2e_node *value, void *field)
{
    if (value->kind != K2E_NODE_SCALAR || k2e_scalar_type_of(value) != K2E_SCALAR_BOOL) {
        bad(ctx, value, "write true or false, unquoted", "expected true or false");
        return;
    }
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    k2e_as_bool(value, ctx->root, field, &scratch);
    k2e_diags_release(&scratch);
}

static void handle_flag(parse_ctx *ctx, k2e_node *value, void *field)
{
    k2e_flag *flag = field;
    handle_bool(ctx, value, &flag->value);
    flag->origin = value;
    flag->from_default = ctx->is_default;
}

static void handle_sizing(parse_ctx *ctx, k2e_node *value, void *field)
{
    static const char *const names[] = {"max", "requests", "limits"};
    const char *s;
    if (!want_string(ctx, value, &s))
        return;
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *(k2e_sizing_policy *)field = (k2e_sizing_policy)i;
            return;
        }
    }
    bad(ctx, value, "use requests, limits or max", "unknown sizing policy");
}

static void handle_assign_public_ip(parse_ctx *ctx, k2e_node *value, void *field)
{
    const char *s;
    if (k2e_scalar_type_of(value) == K2E_SCALAR_BOOL) {
        char *hint = k2e_asprintf("assignPublicIp takes ENABLED or DISABLED (YAML 1.1 reads "
                                  "an unquoted %s as a boolean)", value->value);
        bad(ctx, value, hint, "expected a string");
        free(hint);
        return;
    }
    if (!want_string(ctx, value, &s))
        return;
    if (strcmp(s, "ENABLED") != 0 && strcmp(s, "DISABLED") != 0) {
        bad(ctx, value, "use ENABLED or DISABLED", "invalid assignPublicIp");
        return;
    }
    *(k2e_setting *)field = (k2e_setting){s, value};
}

static void parse_rules(parse_ctx *ctx, k2e_node *map, const key_rule *rules, void *base);

/* strict.allow / strict.deny: lists of diagnostic codes. */
static void handle_code_list(parse_ctx *ctx, k2e_node *value, void *field)
{
    k2e_string_list *list = field;
    handle_string_list(ctx, value, field);
    for (size_t i = 0; list->origin == value && i < list->count; i++) {
        k2e_diag_code code;
        if (!k2e_diag_code_parse(list->items[i], &code))
            bad(ctx, value->items[i], "codes are written like K2E-W010; MAPPING.md lists them",
                "unknown diagnostic code");
    }
}

#define FIELD(f) offsetof(k2e_mapping, f)

static const key_rule network_rules[] = {
    {"subnets", handle_string_list, FIELD(subnets), K2E_KEY_SUBNETS},
    {"securityGroups", handle_string_list, FIELD(security_groups), K2E_KEY_SECURITY_GROUPS},
    {"assignPublicIp", handle_assign_public_ip, FIELD(assign_public_ip), -1},
    {NULL, NULL, 0, -1},
};

static const key_rule logging_rules[] = {
    {"driver", handle_string, FIELD(log_driver), -1},
    {"group", handle_string, FIELD(log_group), -1},
    {"streamPrefix", handle_string, FIELD(log_stream_prefix), -1},
    {"createGroup", handle_flag, FIELD(log_create_group), -1},
    {NULL, NULL, 0, -1},
};

static const key_rule resource_rules[] = {
    {"cpu", handle_string, FIELD(default_cpu), -1},
    {"memory", handle_string, FIELD(default_memory), -1},
    {NULL, NULL, 0, -1},
};

static void handle_nested(parse_ctx *ctx, k2e_node *value, const key_rule *rules)
{
    if (value->kind != K2E_NODE_MAPPING) {
        bad(ctx, value, NULL, "expected a mapping");
        return;
    }
    parse_rules(ctx, value, rules, ctx->mapping);
}

static void handle_network(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, network_rules);
}

static void handle_logging(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, logging_rules);
}

static void handle_resources(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, resource_rules);
}

/* Reads a list of mappings whose keys are strings, for images and secrets. */
static bool want_entry_string(parse_ctx *ctx, k2e_node *entry, const char *key,
                              bool required, const char **out)
{
    k2e_node *node = k2e_take(entry, key);
    if (!node) {
        if (required)
            missing(ctx, entry, key, NULL, NULL);
        return !required;
    }
    return want_string(ctx, node, out);
}

static void handle_images(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    if (value->kind != K2E_NODE_SEQUENCE) {
        bad(ctx, value, "write - {from: \"gcr.io/acme/\", to: \"...\"}", "expected a list");
        return;
    }
    k2e_image_rewrite *images = mapping_alloc(ctx->mapping, value->count * sizeof *images);
    if (!images) {
        ctx->ok = false;
        return;
    }
    static const char *const keys[] = {"from", "to", NULL};
    const char *hint = "write - {from: \"gcr.io/acme/\", to: \"...\"}";
    for (size_t i = 0; i < value->count; i++) {
        k2e_node *entry = value->items[i];
        k2e_consume(entry);
        if (entry->kind != K2E_NODE_MAPPING) {
            bad(ctx, entry, hint, "an image rewrite needs 'from' and 'to'");
            continue;
        }
        EXPECT_KEYS(ctx, entry, keys);
        want_entry_string(ctx, entry, "from", true, &images[i].from);
        want_entry_string(ctx, entry, "to", true, &images[i].to);
    }
    ctx->mapping->images = images;
    ctx->mapping->image_count = value->count;
}

static void parse_secret(parse_ctx *ctx, k2e_node *entry, k2e_secret_entry *secret)
{
    static const char *const known[] = {"name", "namespace", "secretsManagerArn", "ssmPrefix",
                                        "keys", NULL};
    const char *hint = "write - {name: db, secretsManagerArn: \"arn:aws:secretsmanager:...\"} "
                       "or - {name: db, ssmPrefix: /prod/db/}";
    k2e_consume(entry);
    if (entry->kind != K2E_NODE_MAPPING) {
        bad(ctx, entry, hint, "a secrets entry needs 'name'");
        return;
    }
    EXPECT_KEYS(ctx, entry, known);
    secret->origin = entry;
    want_entry_string(ctx, entry, "name", true, &secret->name);
    want_entry_string(ctx, entry, "namespace", false, &secret->namespace_);
    want_entry_string(ctx, entry, "secretsManagerArn", false, &secret->secrets_manager_arn);
    want_entry_string(ctx, entry, "ssmPrefix", false, &secret->ssm_prefix);
    k2e_node *keys = k2e_take(entry, "keys");
    if (keys)
        handle_string_list(ctx, keys, &secret->keys);
    if (secret->secrets_manager_arn && secret->ssm_prefix)
        bad(ctx, entry, hint, "a secrets entry needs exactly one of secretsManagerArn and ssmPrefix");
    else if (!secret->secrets_manager_arn && !secret->ssm_prefix &&
             !k2e_get(entry, "secretsManagerArn") && !k2e_get(entry, "ssmPrefix"))
        missing(ctx, entry, "secretsManagerArn", hint,
                "a secrets entry needs exactly one of secretsManagerArn and ssmPrefix");
}

static void handle_secrets(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    if (value->kind != K2E_NODE_SEQUENCE) {
        bad(ctx, value, NULL, "expected a list of secrets entries");
        return;
    }
    k2e_secret_entry *secrets = mapping_alloc(ctx->mapping, value->count * sizeof *secrets);
    if (!secrets) {
        ctx->ok = false;
        return;
    }
    for (size_t i = 0; i < value->count; i++)
        parse_secret(ctx, value->items[i], &secrets[i]);
    ctx->mapping->secrets = secrets;
    ctx->mapping->secret_count = value->count;
}


/* --- Lists of string-valued entries (volumes, taskRoles, imagePullSecrets) - */

typedef struct {
    const char *key;
    size_t offset;          /* of a `const char *` in the entry struct */
    bool required;
    const char *const *allowed;   /* NULL: any string */
} entry_field;

static const char *const enabled_disabled[] = {"ENABLED", "DISABLED", NULL};

static bool allowed_value(const char *value, const char *const *allowed)
{
    for (; allowed && *allowed; allowed++) {
        if (strcmp(value, *allowed) == 0)
            return true;
    }
    return !allowed;
}

static void parse_entry(parse_ctx *ctx, k2e_node *entry, const entry_field *fields, char *out,
                        size_t origin_offset, const char *hint)
{
    k2e_consume(entry);
    if (entry->kind != K2E_NODE_MAPPING) {
        bad(ctx, entry, hint, "expected a mapping");
        return;
    }
    *(const k2e_node **)(out + origin_offset) = entry;
    expect_keys(ctx, entry, fields, sizeof *fields);
    for (const entry_field *f = fields; f->key; f++) {
        k2e_node *node = k2e_take(entry, f->key);
        const char **slot = (const char **)(out + f->offset);
        if (!node) {
            if (f->required)
                missing(ctx, entry, f->key, hint, NULL);
            continue;
        }
        if (!want_string(ctx, node, slot))
            continue;
        if (!allowed_value(*slot, f->allowed))
            bad(ctx, node, "use ENABLED or DISABLED", "invalid value");
    }
}

static void *parse_entries(parse_ctx *ctx, k2e_node *value, const entry_field *fields,
                           size_t entry_size, size_t origin_offset, size_t *count,
                           const char *hint)
{
    if (value->kind != K2E_NODE_SEQUENCE) {
        bad(ctx, value, hint, "expected a list");
        return NULL;
    }
    char *entries = mapping_alloc(ctx->mapping, value->count * entry_size);
    if (!entries) {
        ctx->ok = false;
        return NULL;
    }
    for (size_t i = 0; i < value->count; i++)
        parse_entry(ctx, value->items[i], fields, entries + i * entry_size, origin_offset, hint);
    *count = value->count;
    return entries;
}

#define EFS(f) offsetof(k2e_efs_volume, f)
static const entry_field efs_fields[] = {
    {"claim", EFS(claim), true, NULL},
    {"namespace", EFS(namespace_), false, NULL},
    {"fileSystemId", EFS(file_system_id), true, NULL},
    {"rootDirectory", EFS(root_directory), false, NULL},
    {"accessPointId", EFS(access_point_id), false, NULL},
    {"transitEncryption", EFS(transit_encryption), false, enabled_disabled},
    {"iam", EFS(iam), false, enabled_disabled},
    {NULL, 0, false, NULL},
};

static void handle_volumes(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    k2e_mapping *m = ctx->mapping;
    m->efs_volumes = parse_entries(ctx, value, efs_fields, sizeof *m->efs_volumes, EFS(origin),
                                   &m->efs_volume_count,
                                   "write - {claim: data, fileSystemId: fs-0123456789abcdef0}");
}

#define ROLE(f) offsetof(k2e_task_role, f)
static const entry_field role_fields[] = {
    {"serviceAccount", ROLE(service_account), true, NULL},
    {"namespace", ROLE(namespace_), false, NULL},
    {"roleArn", ROLE(role_arn), true, NULL},
    {NULL, 0, false, NULL},
};

static void handle_task_roles(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    k2e_mapping *m = ctx->mapping;
    m->task_roles = parse_entries(ctx, value, role_fields, sizeof *m->task_roles, ROLE(origin),
                                  &m->task_role_count,
                                  "write - {serviceAccount: api, roleArn: arn:aws:iam::...}");
}

#define PULL(f) offsetof(k2e_pull_secret, f)
static const entry_field pull_fields[] = {
    {"name", PULL(name), true, NULL},
    {"credentialsParameter", PULL(credentials_parameter), true, NULL},
    {NULL, 0, false, NULL},
};

static void handle_pull_secrets(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    k2e_mapping *m = ctx->mapping;
    m->pull_secrets = parse_entries(ctx, value, pull_fields, sizeof *m->pull_secrets,
                                    PULL(origin), &m->pull_secret_count,
                                    "write - {name: regcred, credentialsParameter: "
                                    "arn:aws:secretsmanager:...}");
}

static bool want_int(parse_ctx *ctx, k2e_node *node, int64_t *out)
{
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    bool ok = k2e_as_int(node, ctx->root, out, &scratch);
    k2e_diags_release(&scratch);
    if (!ok)
        bad(ctx, node, NULL, "expected an integer");
    return ok;
}

static void handle_ulimits(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    const char *hint = "write - {name: nofile, softLimit: 65535, hardLimit: 65535}";
    if (value->kind != K2E_NODE_SEQUENCE) {
        bad(ctx, value, hint, "expected a list");
        return;
    }
    k2e_ulimit *ulimits = mapping_alloc(ctx->mapping, value->count * sizeof *ulimits);
    if (!ulimits) {
        ctx->ok = false;
        return;
    }
    static const char *const keys[] = {"name", "softLimit", "hardLimit", NULL};
    for (size_t i = 0; i < value->count; i++) {
        k2e_node *entry = value->items[i];
        k2e_consume(entry);
        if (entry->kind != K2E_NODE_MAPPING) {
            bad(ctx, entry, hint, "a ulimit needs name, softLimit and hardLimit");
            continue;
        }
        EXPECT_KEYS(ctx, entry, keys);
        k2e_node *soft = k2e_take(entry, "softLimit"), *hard = k2e_take(entry, "hardLimit");
        bool named = want_entry_string(ctx, entry, "name", true, &ulimits[i].name);
        if (!soft)
            missing(ctx, entry, "softLimit", hint, NULL);
        if (!hard)
            missing(ctx, entry, "hardLimit", hint, NULL);
        if (!named || !soft || !hard)
            continue;
        if (want_int(ctx, soft, &ulimits[i].soft_limit) &&
            want_int(ctx, hard, &ulimits[i].hard_limit) &&
            ulimits[i].soft_limit > ulimits[i].hard_limit)
            bad(ctx, entry, NULL, "softLimit is above hardLimit");
    }
    ctx->mapping->ulimits = ulimits;
    ctx->mapping->ulimit_count = value->count;
}

static const key_rule container_default_rules[] = {
    {"initProcessEnabled", handle_bool, FIELD(init_process_enabled), -1},
    {"restartPolicies", handle_bool, FIELD(container_restart_policies), -1},
    {"ulimits", handle_ulimits, 0, -1},
    {NULL, NULL, 0, -1},
};

static void handle_container_defaults(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, container_default_rules);
}

static void handle_http_probes(parse_ctx *ctx, k2e_node *value, void *field)
{
    static const char *const names[] = {"none", "curl", "wget"};
    const char *s;
    if (!want_string(ctx, value, &s))
        return;
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *(k2e_http_probe_mode *)field = (k2e_http_probe_mode)i;
            return;
        }
    }
    bad(ctx, value, "use none, curl or wget", "unknown httpProbes mode");
}

static const key_rule health_check_rules[] = {
    {"httpProbes", handle_http_probes, FIELD(http_probes), -1},
    {NULL, NULL, 0, -1},
};

static void handle_health_checks(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, health_check_rules);
}

static void handle_dst_policy(parse_ctx *ctx, k2e_node *value, void *field)
{
    static const char *const names[] = {"standard", "seasonal"};
    const char *s;
    if (!want_string(ctx, value, &s))
        return;
    for (int i = 0; i < 2; i++) {
        if (strcmp(s, names[i]) == 0) {
            *(k2e_dst_policy *)field = (k2e_dst_policy)i;
            return;
        }
    }
    bad(ctx, value, "use standard or seasonal", "unknown dstPolicy");
}

static void handle_schedule_state(parse_ctx *ctx, k2e_node *value, void *field)
{
    const char *s;
    if (!want_string(ctx, value, &s))
        return;
    if (strcmp(s, "enabled") != 0 && strcmp(s, "disabled") != 0) {
        bad(ctx, value, "use enabled, or disabled to apply the rules before the cut-over",
            "unknown schedules.state");
        return;
    }
    *(bool *)field = strcmp(s, "disabled") == 0;
}

static const key_rule schedule_rules[] = {
    {"state", handle_schedule_state, FIELD(schedules_disabled), -1},
    {"role", handle_string, FIELD(schedule_role), -1},
    {"trackingId", handle_string, FIELD(schedule_tracking_id), -1},
    {"deadLetterQueueArn", handle_string, FIELD(schedule_dead_letter), -1},
    {"ruleName", handle_string, FIELD(schedule_rule_name), -1},
    {"description", handle_string, FIELD(schedule_description), -1},
    {"dstPolicy", handle_dst_policy, FIELD(schedule_dst_policy), -1},
    {NULL, NULL, 0, -1},
};

static void handle_schedules(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, schedule_rules);
}

static const key_rule job_rules[] = {
    {"asDisabledRules", handle_bool, FIELD(jobs_as_disabled_rules), -1},
    {NULL, NULL, 0, -1},
};

static void handle_jobs(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, job_rules);
}

#define BATCH(f) offsetof(k2e_batch_family, f)
static const entry_field batch_family_fields[] = {
    {"image", BATCH(image), true, NULL},
    {"family", BATCH(family), true, NULL},
    {NULL, 0, false, NULL},
};

static bool family_text(const char *s)
{
    size_t n = strlen(s);
    for (const char *p = s; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return false;
    }
    return n >= 1 && n <= 255;
}

static void handle_batch_families(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    const char *hint = "write - {image: registry.example.com/acme/server-batch, "
                       "family: server-batch}";
    k2e_mapping *m = ctx->mapping;
    m->batch_families = parse_entries(ctx, value, batch_family_fields,
                                      sizeof *m->batch_families, BATCH(origin),
                                      &m->batch_family_count, hint);
    for (size_t i = 0; m->batch_families && i < m->batch_family_count; i++) {
        const k2e_batch_family *f = &m->batch_families[i];
        if (f->family && !family_text(f->family))
            bad(ctx, k2e_get(value->items[i], "family"),
                "a task family is 1-255 letters, digits, '-' and '_'",
                "invalid batch family name");
    }
}

static const key_rule batch_rules[] = {
    {"families", handle_batch_families, 0, -1},
    {NULL, NULL, 0, -1},
};

static void handle_batch(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, batch_rules);
}

/* --- Services (targetGroups, serviceDiscovery, capacityProviderStrategy,
 * deploymentCircuitBreaker, enableExecuteCommand, propagateTags) --------- */

#define TG(f) offsetof(k2e_target_group, f)
static const entry_field target_group_fields[] = {
    {"service", TG(service), true, NULL},
    {"namespace", TG(namespace_), false, NULL},
    {"arn", TG(arn), true, NULL},
    {NULL, 0, false, NULL},
};

/* parse_entries, plus `port`, which users write as a number (80) or a name
 * (http): both are kept as text and matched as text. */
static void handle_target_groups(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    const char *hint = "write - {service: api, namespace: default, port: 80, "
                       "arn: arn:aws:elasticloadbalancing:...:targetgroup/api/0123456789abcdef}";
    k2e_mapping *m = ctx->mapping;
    static const char *const port_key[] = {"port", NULL};
    m->target_groups = parse_entries(ctx, value, target_group_fields, sizeof *m->target_groups,
                                     TG(origin), &m->target_group_count, hint);
    for (size_t i = 0; m->target_groups && i < m->target_group_count; i++) {
        EXPECT_KEYS(ctx, value->items[i], port_key);
        k2e_node *port = k2e_take(value->items[i], "port");
        bool ok = port && port->kind == K2E_NODE_SCALAR && !k2e_is_null(port) &&
                  (k2e_scalar_type_of(port) == K2E_SCALAR_STRING ||
                   k2e_scalar_type_of(port) == K2E_SCALAR_INT);
        if (!port && value->items[i]->kind == K2E_NODE_MAPPING) {
            missing(ctx, value->items[i], "port", hint,
                    "a target group needs the Service port: its number or name");
            continue;
        }
        if (!ok) {
            bad(ctx, port ? port : value->items[i], hint,
                "a target group needs the Service port: its number or name");
            continue;
        }
        m->target_groups[i].port = port->value;
    }
}

#define REG(f) offsetof(k2e_registry, f)
static const entry_field registry_fields[] = {
    {"service", REG(service), true, NULL},
    {"namespace", REG(namespace_), false, NULL},
    {"arn", REG(arn), true, NULL},
    {NULL, 0, false, NULL},
};

static void handle_registries(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    k2e_mapping *m = ctx->mapping;
    m->registries = parse_entries(ctx, value, registry_fields, sizeof *m->registries,
                                  REG(origin), &m->registry_count,
                                  "write - {service: api, namespace: default, "
                                  "arn: arn:aws:servicediscovery:...:service/srv-...}");
}

static void handle_discovery_mode(parse_ctx *ctx, k2e_node *value, void *field)
{
    static const char *const names[] = {"serviceConnect", "cloudMap", "none"};
    const char *s;
    if (!want_string(ctx, value, &s))
        return;
    for (int i = 0; i < 3; i++) {
        if (strcmp(s, names[i]) == 0) {
            *(k2e_discovery_mode *)field = (k2e_discovery_mode)i;
            return;
        }
    }
    bad(ctx, value, "use serviceConnect, cloudMap or none", "unknown serviceDiscovery mode");
}

static const key_rule discovery_rules[] = {
    {"mode", handle_discovery_mode, FIELD(discovery), -1},
    {"namespace", handle_string, FIELD(service_connect_namespace), -1},
    {"registries", handle_registries, 0, -1},
    {NULL, NULL, 0, -1},
};

/* Service Connect is opt-in (the default mode is none): naming its
 * namespace without a mode asks for it, so `serviceDiscovery: {namespace:
 * shop.local}` is enough.  An explicit mode always wins. */
static void handle_service_discovery(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, discovery_rules);
    const char *ns = ctx->mapping->service_connect_namespace.value;
    if (value->kind == K2E_NODE_MAPPING && !k2e_get(value, "mode") &&
        k2e_get(value, "namespace") && ns && *ns)
        ctx->mapping->discovery = K2E_DISCOVERY_SERVICE_CONNECT;
}

static bool want_int_in(parse_ctx *ctx, k2e_node *node, int64_t lo, int64_t hi, int64_t *out)
{
    if (!want_int(ctx, node, out))
        return false;
    if (*out >= lo && *out <= hi)
        return true;
    char *what = k2e_asprintf("must be %lld..%lld", (long long)lo, (long long)hi);
    bad(ctx, node, NULL, what ? what : "out of range");
    free(what);
    return false;
}

static void parse_capacity_provider(parse_ctx *ctx, k2e_node *entry, k2e_capacity_provider *cp,
                                    const char *hint)
{
    static const char *const keys[] = {"capacityProvider", "weight", "base", NULL};
    k2e_consume(entry);
    if (entry->kind != K2E_NODE_MAPPING) {
        bad(ctx, entry, hint, "a capacity provider entry needs capacityProvider");
        return;
    }
    EXPECT_KEYS(ctx, entry, keys);
    k2e_node *weight = k2e_take(entry, "weight"), *base = k2e_take(entry, "base");
    if (!want_entry_string(ctx, entry, "capacityProvider", true, &cp->capacity_provider))
        return;
    if (strcmp(cp->capacity_provider, "FARGATE") != 0 &&
        strcmp(cp->capacity_provider, "FARGATE_SPOT") != 0)
        bad(ctx, k2e_get(entry, "capacityProvider"), "use FARGATE or FARGATE_SPOT",
            "not a Fargate capacity provider");
    cp->base = -1;
    if (weight)
        want_int_in(ctx, weight, 0, 1000, &cp->weight);
    if (base)
        want_int_in(ctx, base, 0, 100000, &cp->base);
}

static void handle_capacity_providers(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    const char *hint = "write - {capacityProvider: FARGATE_SPOT, weight: 3} "
                       "- {capacityProvider: FARGATE, weight: 1, base: 1}";
    if (value->kind != K2E_NODE_SEQUENCE) {
        bad(ctx, value, hint, "expected a list");
        return;
    }
    k2e_mapping *m = ctx->mapping;
    m->capacity_providers = mapping_alloc(m, value->count * sizeof *m->capacity_providers);
    if (!m->capacity_providers) {
        ctx->ok = false;
        return;
    }
    for (size_t i = 0; i < value->count; i++)
        parse_capacity_provider(ctx, value->items[i], &m->capacity_providers[i], hint);
    m->capacity_provider_count = value->count;
}

static const key_rule circuit_breaker_rules[] = {
    {"enable", handle_bool, FIELD(circuit_breaker_enable), -1},
    {"rollback", handle_bool, FIELD(circuit_breaker_rollback), -1},
    {NULL, NULL, 0, -1},
};

static void handle_circuit_breaker(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, circuit_breaker_rules);
}

static void handle_propagate_tags(parse_ctx *ctx, k2e_node *value, void *field)
{
    const char *s;
    if (!want_string(ctx, value, &s))
        return;
    if (strcmp(s, "SERVICE") != 0 && strcmp(s, "TASK_DEFINITION") != 0 &&
        strcmp(s, "NONE") != 0) {
        bad(ctx, value, "use SERVICE, TASK_DEFINITION or NONE", "invalid propagateTags");
        return;
    }
    *(k2e_setting *)field = (k2e_setting){s, value};
}

/* YAML value -> JSON with the same typing Kubernetes would give it. */
static json_t *node_to_json(const k2e_node *node)
{
    if (node->kind == K2E_NODE_SEQUENCE) {
        json_t *array = json_array();
        for (size_t i = 0; i < node->count; i++)
            json_array_append_new(array, node_to_json(node->items[i]));
        return array;
    }
    if (node->kind == K2E_NODE_MAPPING) {
        json_t *object = json_object();
        for (size_t i = 0; i < node->count; i++)
            json_object_set_new(object, node->keys[i]->value, node_to_json(node->items[i]));
        return object;
    }
    switch (k2e_scalar_type_of(node)) {
    case K2E_SCALAR_NULL: return json_null();
    case K2E_SCALAR_BOOL: {
        char c = node->value[0];
        return json_boolean(c == 't' || c == 'T' || c == 'y' || c == 'Y' ||
                            ((c == 'o' || c == 'O') && (node->value[1] | 0x20) == 'n'));
    }
    case K2E_SCALAR_INT: return json_integer(strtoll(node->value, NULL, 0));
    case K2E_SCALAR_FLOAT: return json_real(strtod(node->value, NULL));
    default: return json_stringn(node->value, node->length);
    }
}

static void parse_patch(parse_ctx *ctx, k2e_node *entry, k2e_patch *patch)
{
    const char *hint = "write - {match: {kind: Deployment, name: api}, path: "
                       "/containerDefinitions/0/stopTimeout, value: 60}";
    static const char *const keys[] = {"match", "path", "value", NULL};
    static const char *const match_keys[] = {"kind", "namespace", "name", NULL};
    k2e_consume(entry);
    if (entry->kind != K2E_NODE_MAPPING) {
        bad(ctx, entry, hint, "a patch needs path and value");
        return;
    }
    EXPECT_KEYS(ctx, entry, keys);
    k2e_node *match = k2e_take(entry, "match"), *value = k2e_take(entry, "value");
    EXPECT_KEYS(ctx, match, match_keys);
    bool has_path = want_entry_string(ctx, entry, "path", true, &patch->path);
    if (!value)
        missing(ctx, entry, "value", hint, NULL);
    if (!has_path || !value) {
        k2e_consume_all(match);
        return;
    }
    if (patch->path[0] != '/')
        bad(ctx, k2e_get(entry, "path"), hint, "path must be a JSON pointer starting with /");
    if (match) {
        k2e_consume(match);
        want_entry_string(ctx, match, "kind", false, &patch->kind);
        want_entry_string(ctx, match, "namespace", false, &patch->namespace_);
        want_entry_string(ctx, match, "name", false, &patch->name);
    }
    k2e_consume_all(value);
    patch->value = node_to_json(value);
    patch->origin = entry;
}

static void handle_patches(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    if (value->kind != K2E_NODE_SEQUENCE) {
        bad(ctx, value, NULL, "expected a list of patches");
        return;
    }
    k2e_mapping *m = ctx->mapping;
    for (size_t i = 0; i < m->patch_count; i++)
        json_decref(m->patches[i].value);
    m->patches = mapping_alloc(m, value->count * sizeof *m->patches);
    m->patch_count = 0;
    if (!m->patches) {
        ctx->ok = false;
        return;
    }
    for (size_t i = 0; i < value->count; i++, m->patch_count++)
        parse_patch(ctx, value->items[i], &m->patches[i]);
}

static const key_rule strict_rules[] = {
    {"allow", handle_code_list, FIELD(strict_allow), -1},
    {"deny", handle_code_list, FIELD(strict_deny), -1},
    {NULL, NULL, 0, -1},
};

static void handle_strict(parse_ctx *ctx, k2e_node *value, void *field)
{
    (void)field;
    handle_nested(ctx, value, strict_rules);
}

static const key_rule top_rules[] = {
    {"region", handle_string, FIELD(region), K2E_KEY_REGION},
    {"accountId", handle_string, FIELD(account_id), K2E_KEY_ACCOUNT_ID},
    {"cluster", handle_string, FIELD(cluster), K2E_KEY_CLUSTER},
    {"executionRoleArn", handle_string, FIELD(execution_role_arn), K2E_KEY_EXECUTION_ROLE},
    {"platformVersion", handle_string, FIELD(platform_version), -1},
    {"network", handle_network, 0, -1},
    {"family", handle_string, FIELD(family), -1},
    {"sizing", handle_sizing, FIELD(sizing), -1},
    {"defaultResources", handle_resources, 0, -1},
    {"images", handle_images, 0, -1},
    {"secrets", handle_secrets, 0, -1},
    {"defaultSsmPrefix", handle_string, FIELD(default_ssm_prefix), -1},
    {"logging", handle_logging, 0, -1},
    {"volumes", handle_volumes, 0, -1},
    {"taskRoles", handle_task_roles, 0, -1},
    {"imagePullSecrets", handle_pull_secrets, 0, -1},
    {"containerDefaults", handle_container_defaults, 0, -1},
    {"healthChecks", handle_health_checks, 0, -1},
    {"sidecarsEssential", handle_bool, FIELD(sidecars_essential), -1},
    {"patches", handle_patches, 0, -1},
    {"targetGroups", handle_target_groups, 0, -1},
    {"serviceDiscovery", handle_service_discovery, 0, -1},
    {"capacityProviderStrategy", handle_capacity_providers, 0, -1},
    {"deploymentCircuitBreaker", handle_circuit_breaker, 0, -1},
    {"enableExecuteCommand", handle_bool, FIELD(enable_execute_command), -1},
    {"propagateTags", handle_propagate_tags, FIELD(propagate_tags), -1},
    {"schedules", handle_schedules, 0, -1},
    {"jobs", handle_jobs, 0, -1},
    {"batch", handle_batch, 0, -1},
    {"strict", handle_strict, 0, -1},
    {NULL, NULL, 0, -1},
};

static void parse_rules(parse_ctx *ctx, k2e_node *map, const key_rule *rules, void *base)
{
    k2e_consume(map);
    expect_keys(ctx, map, rules, sizeof *rules);
    for (const key_rule *rule = rules; rule->key; rule++) {
        k2e_node *value = k2e_take(map, rule->key);
        if (!value)
            continue;
        rule->handle(ctx, value, (char *)base + rule->offset);
        if (rule->placeholder >= 0)
            ctx->mapping->placeholder[rule->placeholder] = ctx->is_default;
    }
}

/* Every key nobody read is an error, named with the nearest valid key of the
 * same mapping.  Only the outermost unread node of a subtree is reported:
 * a handler that rejects an entry still reads its valid keys, so a typo
 * never blames the siblings around it. */
static void report_unknown(parse_ctx *ctx, k2e_node *node)
{
    for (size_t i = 0; i < node->count; i++) {
        k2e_node *child = node->items[i];
        if (child->parent != node)
            continue;   /* an alias or merged value: reported where it was written */
        if (child->consumed) {
            if (child->kind != K2E_NODE_SCALAR)
                report_unknown(ctx, child);
            continue;
        }
        bool in_map = node->kind == K2E_NODE_MAPPING;
        const k2e_node *at = in_map ? node->keys[i] : child;
        const char *guess = in_map ? nearest_key(ctx, node, node->keys[i]->value) : NULL;
        char *parent = k2e_node_path(node, ctx->root);
        char *hint = guess ? k2e_asprintf("did you mean '%s%s%s'? (MAPPING.md lists every key)",
                                          parent && *parent ? parent : "",
                                          parent && *parent ? "." : "", guess)
                           : k2e_strdup("MAPPING.md lists every key; `kube2ecs mapping "
                                        "--defaults` shows them with their defaults");
        char *path = k2e_node_path(child, ctx->root);
        k2e_where where = {at->file, at->line, at->column, path ? path : ""};
        k2e_diag_add(ctx->diags, K2E_E_MAPPING, where, hint,
                     in_map ? "unknown key in mapping table" : "unexpected entry in mapping table");
        free(parent);
        free(hint);
        free(path);
        ctx->ok = false;
    }
}

static bool parse_file(k2e_mapping *m, k2e_file *file, bool is_default, k2e_diags *diags)
{
    if (file->count == 0)
        return true; /* an empty mapping file changes nothing */
    k2e_node *root = file->documents[0].root;
    parse_ctx ctx = {m, root, diags, is_default, true, NULL, 0, 0};
    if (file->count > 1) {
        k2e_node *second = file->documents[1].root;
        bad(&ctx, second, "put the whole mapping table in one YAML document",
            "more than one document in the mapping file");
    }
    if (root->kind != K2E_NODE_MAPPING) {
        bad(&ctx, root, NULL, "the mapping table must be a YAML mapping");
        return false;
    }
    parse_rules(&ctx, root, top_rules, m);
    report_unknown(&ctx, root);
    free(ctx.key_sets);
    return ctx.ok;
}

/* --- Indexed lookups ------------------------------------------------------- */

/* An entry list seen generically: entries of `size` bytes whose name (and
 * namespace, unless ns_offset is NO_NAMESPACE) are `const char *` fields. */
typedef struct {
    const void *items;
    size_t count, size;
    size_t name_offset, ns_offset;
} named_list;

#define NO_NAMESPACE ((size_t)-1)

#define NAMED_LIST(array, count_, type, name_field, ns_field)                             \
    ((named_list){(array), (count_), sizeof(type), offsetof(type, name_field),            \
                  offsetof(type, ns_field)})

static const char *entry_field_at(const named_list *list, size_t i, size_t offset)
{
    if (offset == NO_NAMESPACE)
        return NULL;
    return *(const char *const *)((const char *)list->items + i * list->size + offset);
}

/* An entry without a namespace is hashed apart from every namespace: it
 * belongs to the default one, known only at lookup. */
static uint64_t named_hash(const char *name, const char *namespace_)
{
    uint64_t h = k2e_hash_string(name);
    return namespace_ ? k2e_hash_more(h, namespace_, strlen(namespace_))
                      : k2e_hash_more(h, "\377", 1);
}

static void index_list(k2e_table *table, const named_list *list)
{
    k2e_table_init(table);
    if (!k2e_table_reserve(table, list->count))
        return; /* out of memory: lookups scan (see find_named) */
    for (size_t i = 0; i < list->count; i++) {
        const char *name = entry_field_at(list, i, list->name_offset);
        if (name)
            k2e_table_add(table, named_hash(name, entry_field_at(list, i, list->ns_offset)), i);
    }
}

static void build_indexes(k2e_mapping *m)
{
    named_list lists[] = {
        NAMED_LIST(m->secrets, m->secret_count, k2e_secret_entry, name, namespace_),
        NAMED_LIST(m->efs_volumes, m->efs_volume_count, k2e_efs_volume, claim, namespace_),
        NAMED_LIST(m->task_roles, m->task_role_count, k2e_task_role, service_account,
                   namespace_),
        {m->pull_secrets, m->pull_secret_count, sizeof *m->pull_secrets,
         offsetof(k2e_pull_secret, name), NO_NAMESPACE},
        NAMED_LIST(m->target_groups, m->target_group_count, k2e_target_group, service,
                   namespace_),
        NAMED_LIST(m->registries, m->registry_count, k2e_registry, service, namespace_),
    };
    k2e_table *tables[] = {&m->secret_index, &m->efs_volume_index, &m->task_role_index,
                           &m->pull_secret_index, &m->target_group_index, &m->registry_index};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        index_list(tables[i], &lists[i]);
}

/* Further condition on a candidate entry (target groups: the port). */
typedef bool (*entry_test)(const void *entry, const void *context);

static bool candidate_matches(const named_list *list, size_t i, const char *name,
                              const char *namespace_, entry_test test, const void *context)
{
    const char *entry_name = entry_field_at(list, i, list->name_offset);
    const char *entry_ns = entry_field_at(list, i, list->ns_offset);
    return entry_name && strcmp(entry_name, name) == 0 &&
           (namespace_ ? entry_ns && strcmp(entry_ns, namespace_) == 0 : !entry_ns) &&
           (!test || test((const char *)list->items + i * list->size, context));
}

static size_t first_candidate(const k2e_table *table, const named_list *list, const char *name,
                              const char *namespace_, entry_test test, const void *context)
{
    uint64_t hash = named_hash(name, namespace_);
    size_t cursor = 0, i;
    while ((i = k2e_table_next(table, hash, &cursor)) != K2E_ABSENT) {
        if (candidate_matches(list, i, name, namespace_, test, context))
            return i;
    }
    return K2E_ABSENT;
}

/* The first entry (in file order) named `name` in namespace_, where an
 * entry without a namespace is in default_namespace. */
static const void *find_named(const k2e_table *table, const named_list *list, const char *name,
                              const char *namespace_, const char *default_namespace,
                              entry_test test, const void *context)
{
    size_t found = K2E_ABSENT;
    if (table->count == 0 && list->count > 0) {
        /* not indexed (out of memory while loading): scan */
        for (size_t i = 0; i < list->count && found == K2E_ABSENT; i++) {
            if (candidate_matches(list, i, name, namespace_, test, context) ||
                (list->ns_offset != NO_NAMESPACE && strcmp(namespace_, default_namespace) == 0 &&
                 candidate_matches(list, i, name, NULL, test, context)))
                found = i;
        }
    } else {
        found = first_candidate(table, list, name, namespace_, test, context);
        if (list->ns_offset != NO_NAMESPACE && strcmp(namespace_, default_namespace) == 0) {
            size_t unset = first_candidate(table, list, name, NULL, test, context);
            found = unset < found ? unset : found;
        }
    }
    return found == K2E_ABSENT ? NULL : (const char *)list->items + found * list->size;
}

/* The embedded execution role is an arn:aws: placeholder; in a region of
 * another partition (cn-north-1: aws-cn) it takes that partition, like every
 * ARN kube2ecs builds (base/arn.h).  A role the user wrote is kept as is. */
static bool place_default_role(k2e_mapping *m)
{
    if (!m->placeholder[K2E_KEY_EXECUTION_ROLE] || !m->execution_role_arn.value)
        return true;
    char *arn = k2e_arn_in_region(m->execution_role_arn.value, m->region.value);
    char *kept = arn ? mapping_alloc(m, strlen(arn) + 1) : NULL;
    if (kept)
        memcpy(kept, arn, strlen(arn) + 1);
    free(arn);
    if (!kept)
        return false;
    m->execution_role_arn.value = kept;
    return true;
}

bool k2e_mapping_load(k2e_mapping *m, const char *path, k2e_diags *diags)
{
    memset(m, 0, sizeof *m);
    m->allocations = k2e_calloc(1, sizeof(allocation_list));
    if (!m->allocations)
        return false;
    k2e_limits limits = k2e_limits_default();
    bool ok = k2e_read_buffer("<embedded default mapping>", default_text, strlen(default_text),
                              &limits, &m->default_file, diags) &&
              parse_file(m, &m->default_file, true, diags);
    if (ok && path) {
        m->has_user_file = true;
        /* Named by its base name, so that report.json does not depend on the
         * working directory (errors opening it name the path as given). */
        const char *slash = strrchr(path, '/');
        ok = k2e_read_named(path, slash && slash[1] ? slash + 1 : path, &limits,
                            &m->user_file, diags) &&
             parse_file(m, &m->user_file, false, diags);
    }
    build_indexes(m);
    return place_default_role(m) && ok;
}

void k2e_mapping_release(k2e_mapping *m)
{
    for (size_t i = 0; i < m->patch_count; i++)
        json_decref(m->patches[i].value);
    allocation_list *list = m->allocations;
    for (size_t i = 0; list && i < list->count; i++)
        free(list->items[i]);
    if (list)
        free(list->items);
    free(list);
    k2e_file_free(&m->default_file);
    if (m->has_user_file)
        k2e_file_free(&m->user_file);
    k2e_table *tables[] = {&m->secret_index, &m->efs_volume_index, &m->task_role_index,
                           &m->pull_secret_index, &m->target_group_index, &m->registry_index};
    for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++)
        k2e_table_release(tables[i]);
    memset(m, 0, sizeof *m);
}

static const char *const placeholder_names[K2E_KEY_PLACEHOLDER_COUNT] = {
    [K2E_KEY_REGION] = "region",
    [K2E_KEY_ACCOUNT_ID] = "accountId",
    [K2E_KEY_CLUSTER] = "cluster",
    [K2E_KEY_EXECUTION_ROLE] = "executionRoleArn",
    [K2E_KEY_SUBNETS] = "network.subnets",
    [K2E_KEY_SECURITY_GROUPS] = "network.securityGroups",
};

const char *k2e_placeholder_key_name(k2e_placeholder_key key)
{
    return placeholder_names[key];
}

static const k2e_node *placeholder_origin(const k2e_mapping *m, k2e_placeholder_key key)
{
    switch (key) {
    case K2E_KEY_REGION: return m->region.origin;
    case K2E_KEY_ACCOUNT_ID: return m->account_id.origin;
    case K2E_KEY_CLUSTER: return m->cluster.origin;
    case K2E_KEY_EXECUTION_ROLE: return m->execution_role_arn.origin;
    case K2E_KEY_SUBNETS: return m->subnets.origin;
    default: return m->security_groups.origin;
    }
}

void k2e_mapping_report_placeholders(const k2e_mapping *m,
                                     const bool used[K2E_KEY_PLACEHOLDER_COUNT],
                                     k2e_diags *diags)
{
    for (int key = 0; key < K2E_KEY_PLACEHOLDER_COUNT; key++) {
        if (!used[key] || !m->placeholder[key])
            continue;
        const k2e_node *origin = placeholder_origin(m, (k2e_placeholder_key)key);
        char *hint = k2e_asprintf("set '%s' in your mapping file and pass it with -m "
                                  "(see `kube2ecs mapping --defaults`)",
                                  placeholder_names[key]);
        const k2e_node *at = k2e_node_locus(origin);
        k2e_where where = {origin->file, at->line, at->column, placeholder_names[key]};
        k2e_diag_add(diags, K2E_W_PLACEHOLDER, where, hint,
                     "placeholder value '%s' written to the output",
                     key == K2E_KEY_EXECUTION_ROLE ? m->execution_role_arn.value /* partition */
                     : origin->kind == K2E_NODE_SCALAR ? origin->value
                                                       : origin->items[0]->value);
        free(hint);
    }
}

const k2e_secret_entry *k2e_mapping_secret(const k2e_mapping *m, const char *name,
                                           const char *namespace_,
                                           const char *default_namespace)
{
    named_list list = NAMED_LIST(m->secrets, m->secret_count, k2e_secret_entry, name,
                                 namespace_);
    return find_named(&m->secret_index, &list, name, namespace_, default_namespace, NULL, NULL);
}

const k2e_efs_volume *k2e_mapping_efs_volume(const k2e_mapping *m, const char *claim,
                                             const char *namespace_,
                                             const char *default_namespace)
{
    named_list list = NAMED_LIST(m->efs_volumes, m->efs_volume_count, k2e_efs_volume, claim,
                                 namespace_);
    return find_named(&m->efs_volume_index, &list, claim, namespace_, default_namespace, NULL,
                      NULL);
}

const k2e_task_role *k2e_mapping_task_role(const k2e_mapping *m, const char *service_account,
                                           const char *namespace_,
                                           const char *default_namespace)
{
    named_list list = NAMED_LIST(m->task_roles, m->task_role_count, k2e_task_role,
                                 service_account, namespace_);
    return find_named(&m->task_role_index, &list, service_account, namespace_,
                      default_namespace, NULL, NULL);
}

const k2e_pull_secret *k2e_mapping_pull_secret(const k2e_mapping *m, const char *name)
{
    named_list list = {m->pull_secrets, m->pull_secret_count, sizeof *m->pull_secrets,
                       offsetof(k2e_pull_secret, name), NO_NAMESPACE};
    return find_named(&m->pull_secret_index, &list, name, NULL, NULL, NULL, NULL);
}

static bool same_text(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

typedef struct {
    const char *number, *name;
} port_query;

static bool port_matches(const void *entry, const void *context)
{
    const k2e_target_group *t = entry;
    const port_query *q = context;
    return same_text(t->port, q->number) || same_text(t->port, q->name);
}

const k2e_target_group *k2e_mapping_target_group(const k2e_mapping *m, const char *service,
                                                 const char *namespace_,
                                                 const char *default_namespace,
                                                 const char *port_number,
                                                 const char *port_name)
{
    named_list list = NAMED_LIST(m->target_groups, m->target_group_count, k2e_target_group,
                                 service, namespace_);
    port_query query = {port_number, port_name};
    return find_named(&m->target_group_index, &list, service, namespace_, default_namespace,
                      port_matches, &query);
}

const k2e_registry *k2e_mapping_registry(const k2e_mapping *m, const char *service,
                                         const char *namespace_, const char *default_namespace)
{
    named_list list = NAMED_LIST(m->registries, m->registry_count, k2e_registry, service,
                                 namespace_);
    return find_named(&m->registry_index, &list, service, namespace_, default_namespace, NULL,
                      NULL);
}

char *k2e_mapping_rewrite_image(const k2e_mapping *m, const char *image)
{
    for (size_t i = 0; i < m->image_count; i++) {
        if (k2e_str_has_prefix(image, m->images[i].from))
            return k2e_asprintf("%s%s", m->images[i].to, image + strlen(m->images[i].from));
    }
    return k2e_strdup(image);
}

char *k2e_expand_template(const char *template_, const char *name, const char *namespace_,
                          const char *kind, const char *family)
{
    const struct { const char *token; const char *value; } vars[] = {
        {"{name}", name}, {"{namespace}", namespace_}, {"{kind}", kind}, {"{family}", family},
    };
    k2e_buf buf;
    k2e_buf_init(&buf);
    for (const char *p = template_; *p;) {
        bool replaced = false;
        for (size_t i = 0; i < sizeof vars / sizeof vars[0] && !replaced; i++) {
            if (vars[i].value && k2e_str_has_prefix(p, vars[i].token)) {
                k2e_buf_puts(&buf, vars[i].value);
                p += strlen(vars[i].token);
                replaced = true;
            }
        }
        if (!replaced)
            k2e_buf_append(&buf, p++, 1);
    }
    return k2e_buf_detach(&buf);
}
