/* Normalisation of ECS documents; see normalise.h.
 *
 * Every document is deep-copied, then rewritten in place in three steps:
 * shape (unwrap describe output, camelCase keys, drop read-only members),
 * canonical spellings and sorted sets, then the defaults (a row of a table
 * per value that means the same as its absence) and a prune of nulls and
 * empty collections.  Both sides of a comparison go through the same code,
 * so the rules only need to be right, not complete: a rule that is missing
 * shows up as a difference, never as a false "equal". */
#include "diff/normalise.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

/* --- Small helpers ------------------------------------------------------- */

static const char *str_member(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static bool in_list(const char *key, const char *const *list)
{
    for (size_t i = 0; list[i]; i++) {
        if (strcmp(list[i], key) == 0)
            return true;
    }
    return false;
}

static void delete_keys(json_t *obj, const char *const *keys)
{
    for (size_t i = 0; json_is_object(obj) && keys[i]; i++)
        json_object_del(obj, keys[i]);
}

/* The member named `key` whatever the case of its first letter (ecspresso
 * reads both camelCase and PascalCase). */
static json_t *get_either_case(const json_t *obj, const char *key)
{
    json_t *value = json_object_get(obj, key);
    if (value || !key[0])
        return value;
    char other[64];
    snprintf(other, sizeof other, "%s", key);
    other[0] = (char)toupper((unsigned char)other[0]);
    return json_object_get(obj, other);
}

/* Keys whose values are maps of the user's own names: never re-cased. */
static const char *const free_maps[] = {"dockerLabels", "options", "driverOpts", "labels",
                                        NULL};

static bool has_upper_key(const json_t *obj)
{
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)obj, key, member) {
        if (isupper((unsigned char)key[0]))
            return true;
    }
    return false;
}

/* PascalCase -> camelCase, recursively (ecspresso accepts either).  Takes
 * `value`, returns it (changed in place) or its replacement: an object is
 * rebuilt only when one of its own keys needs it. */
static json_t *camel_keys(json_t *value)
{
    if (json_is_array(value)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) {
            json_t *converted = camel_keys(json_incref(item));
            if (converted != item)
                json_array_set(value, i, converted);
            json_decref(converted);
        }
        return value;
    }
    if (!json_is_object(value))
        return value;
    const char *key;
    json_t *member;
    json_object_foreach(value, key, member) {
        if (in_list(key, free_maps))
            continue;
        json_t *converted = camel_keys(json_incref(member));
        if (converted != member)
            json_object_set(value, key, converted);
        json_decref(converted);
    }
    if (!has_upper_key(value))
        return value;
    json_t *out = json_object();
    json_object_foreach(value, key, member) {
        char *name = k2e_strdup(key);
        if (!name || !out)
            break;
        name[0] = (char)tolower((unsigned char)name[0]);
        json_object_set(out, name, member);
        free(name);
    }
    json_decref(value);
    return out;
}

/* --- Sorting sets -------------------------------------------------------- */

typedef struct {
    json_t *value;
    const char *name;  /* the identity member, or NULL */
    char *text;        /* JSON text, made only when names do not decide */
    size_t index;
} sort_item;

static int by_name(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

static int by_name_then_text(const void *pa, const void *pb)
{
    const sort_item *a = pa, *b = pb;
    int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
    return c ? c : strcmp(a->text, b->text);
}

/* Whether names alone order the items: every item has one, all distinct
 * (items sorted by name). */
static bool names_decide(const sort_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!items[i].name || (i && strcmp(items[i - 1].name, items[i].name) == 0))
            return false;
    }
    return true;
}

/* Sorts array `arr` by each item's member `key` (a string), then by the
 * item's JSON text; key NULL: by the text alone (ecspresso's order of
 * port mappings and mount points). */
static void sort_array(json_t *arr, const char *key)
{
    size_t n = json_array_size(arr);
    if (n < 2)
        return;
    sort_item *items = k2e_calloc(n, sizeof *items);
    if (!items)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *item = json_array_get(arr, i);
        items[i] = (sort_item){json_incref(item), key ? str_member(item, key) : NULL, NULL, i};
    }
    bool ok = true;
    if (key)
        qsort(items, n, sizeof *items, by_name);
    if (!key || !names_decide(items, n)) {
        for (size_t i = 0; i < n; i++) {
            items[i].text = json_dumps(items[i].value,
                                       JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
            ok = ok && items[i].text;
        }
        if (ok)
            qsort(items, n, sizeof *items, by_name_then_text);
    }
    for (size_t i = 0; ok && i < n; i++)
        json_array_set(arr, i, items[i].value);
    for (size_t i = 0; i < n; i++) {
        json_decref(items[i].value);
        free(items[i].text);
    }
    free(items);
}

static void sort_member(json_t *obj, const char *member, const char *key)
{
    sort_array(json_object_get(obj, member), key);
}

/* --- Defaults and pruning ------------------------------------------------ */

/* A member equal to its default means what its absence means.  Paths are
 * dotted member names; "[]" steps into every item of a list. */
typedef struct {
    k2e_norm_kind kind;
    const char *path;
    const char *value; /* JSON text */
} default_rule;

static const default_rule defaults[] = {
    {K2E_NORM_TASK_DEFINITION, "containerDefinitions[].cpu", "0"},
    {K2E_NORM_TASK_DEFINITION, "containerDefinitions[].essential", "true"},
    {K2E_NORM_TASK_DEFINITION, "containerDefinitions[].portMappings[].protocol", "\"tcp\""},
    {K2E_NORM_TASK_DEFINITION, "containerDefinitions[].healthCheck.interval", "30"},
    {K2E_NORM_TASK_DEFINITION, "containerDefinitions[].healthCheck.timeout", "5"},
    {K2E_NORM_TASK_DEFINITION, "containerDefinitions[].healthCheck.retries", "3"},
    {K2E_NORM_TASK_DEFINITION, "containerDefinitions[].healthCheck.startPeriod", "0"},
    {K2E_NORM_SERVICE, "platformVersion", "\"LATEST\""},
    {K2E_NORM_SERVICE, "schedulingStrategy", "\"REPLICA\""},
    {K2E_NORM_SERVICE, "deploymentController.type", "\"ECS\""},
    {K2E_NORM_SERVICE, "deploymentConfiguration.maximumPercent", "200"},
    {K2E_NORM_SERVICE, "deploymentConfiguration.minimumHealthyPercent", "100"},
    {K2E_NORM_SERVICE, "deploymentConfiguration.strategy", "\"ROLLING\""},
    {K2E_NORM_SERVICE, "deploymentConfiguration.bakeTimeInMinutes", "0"},
    {K2E_NORM_SERVICE, "networkConfiguration.awsvpcConfiguration.assignPublicIp",
     "\"DISABLED\""},
    {K2E_NORM_SERVICE, "propagateTags", "\"NONE\""},
    {K2E_NORM_SERVICE, "healthCheckGracePeriodSeconds", "0"},
    {K2E_NORM_SERVICE, "availabilityZoneRebalancing", "\"ENABLED\""},
    {K2E_NORM_RUN_TASK, "count", "1"},
    {K2E_NORM_RUN_TASK, "platformVersion", "\"LATEST\""},
    {K2E_NORM_RUN_TASK, "networkConfiguration.awsvpcConfiguration.assignPublicIp",
     "\"DISABLED\""},
    {K2E_NORM_TARGET_GROUP, "HealthCheckEnabled", "true"},
    {K2E_NORM_ECSCHEDULE, "rules[].taskCount", "\"1\""},
    {K2E_NORM_ECSCHEDULE, "rules[].disabled", "\"false\""},
    {K2E_NORM_ECSCHEDULE, "rules[].description", "\"\""},
    {K2E_NORM_ECSCHEDULE, "rules[].platform_version", "\"LATEST\""},
    {K2E_NORM_ECSCHEDULE, "rules[].network_configuration.aws_vpc_configuration.assign_public_ip",
     "\"DISABLED\""},
    {K2E_NORM_ECSCHEDULE, "role", "\"ecsEventsRole\""},
};

/* Whether `value` is the JSON text `text` ("\"tcp\"", "true", "30"):
 * compared in place, since the table is read for every document. */
static bool is_default(const json_t *value, const char *text)
{
    size_t n = strlen(text);
    if (text[0] == '"')
        return json_is_string(value) && json_string_length(value) == n - 2 &&
               memcmp(json_string_value(value), text + 1, n - 2) == 0;
    if (strcmp(text, "true") == 0)
        return json_is_true(value);
    if (strcmp(text, "false") == 0)
        return json_is_false(value);
    return json_is_integer(value) && json_integer_value(value) == strtoll(text, NULL, 10);
}

static void remove_default(json_t *node, const char *path, const char *value)
{
    const char *dot = strchr(path, '.');
    size_t length = dot ? (size_t)(dot - path) : strlen(path);
    bool each = length > 2 && strncmp(path + length - 2, "[]", 2) == 0;
    char name[96];
    snprintf(name, sizeof name, "%.*s", (int)(each ? length - 2 : length), path);
    json_t *child = json_object_get(node, name);
    if (!child)
        return;
    if (each) {
        size_t i;
        json_t *item;
        json_array_foreach(child, i, item) {
            if (dot)
                remove_default(item, dot + 1, value);
        }
        return;
    }
    if (dot)
        remove_default(child, dot + 1, value);
    else if (is_default(child, value))
        json_object_del(node, name);
}

static void remove_defaults(json_t *doc, k2e_norm_kind kind)
{
    k2e_norm_kind table_kind = kind == K2E_NORM_ECSPRESSO_SERVICE ? K2E_NORM_SERVICE : kind;
    for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
        if (defaults[i].kind != table_kind)
            continue;
        remove_default(doc, defaults[i].path, defaults[i].value);
    }
}

static bool is_empty(const json_t *value, bool drop_false)
{
    return json_is_null(value) || (json_is_array(value) && json_array_size(value) == 0) ||
           (json_is_object(value) && json_object_size(value) == 0) ||
           (drop_false && json_is_false(value));
}

/* 60.0 and 60 are one number to every AWS API (JSON has one number type;
 * describe output and hand-written files spell it either way). */
static json_t *integral(json_t *value)
{
    double d = json_real_value(value);
    if (!json_is_real(value) || d != floor(d) || fabs(d) > 9e15)
        return NULL;
    return json_integer((json_int_t)d);
}

/* Removes members that are null, empty lists or maps (after pruning their
 * own members) and, where false is every boolean's default (the ECS APIs),
 * false.  List items are kept: their position is data. */
static void prune(json_t *value, bool drop_false)
{
    if (json_is_array(value)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item) {
            json_t *number = integral(item);
            if (number)
                json_array_set_new(value, i, number);
            prune(json_array_get(value, i), drop_false);
        }
        return;
    }
    if (!json_is_object(value))
        return;
    const char *key;
    json_t *member;
    void *tmp;
    json_object_foreach_safe(value, tmp, key, member) {
        json_t *number = integral(member);
        if (number) {
            json_object_set_new(value, key, number);
            member = number;
        }
        prune(member, drop_false);
        if (is_empty(member, drop_false))
            json_object_del(value, key);
    }
}

/* --- Task definitions ---------------------------------------------------- */

static const char *const task_read_only[] = {
    "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
    "registeredAt", "registeredBy", "deregisteredAt", "deleteRequestedAt", NULL};

/* {"taskDefinition": td, "tags": [...]} (describe --include TAGS, ecs-deploy,
 * ecspresso) -> td with the tags. */
static json_t *unwrap_task_definition(json_t *doc)
{
    json_t *inner = get_either_case(doc, "taskDefinition");
    if (!json_is_object(inner))
        return doc;
    json_t *td = json_incref(inner);
    json_t *tags = get_either_case(doc, "tags");
    if (tags && !get_either_case(td, "tags"))
        json_object_set(td, "tags", tags);
    json_decref(doc);
    return td;
}

/* "0.25 vCPU" -> "256", "1 GB" -> "1024", 512 -> "512": the integer string
 * ECS stores (it converts at registration; ecspresso compares the same). */
static void canonical_size(json_t *td, const char *key, const char *unit)
{
    json_t *value = json_object_get(td, key);
    double number;
    char rest[16] = "";
    if (json_is_integer(value)) {
        number = (double)json_integer_value(value);
    } else if (json_is_string(value)) {
        if (sscanf(json_string_value(value), " %lf %15s", &number, rest) < 1)
            return;
    } else {
        return;
    }
    if (rest[0] && strcasecmp(rest, unit) != 0)
        return;
    double scaled = rest[0] ? number * 1024 : number;
    if (scaled != floor(scaled) || scaled < 0 || scaled > 1e9)
        return;
    char text[32];
    snprintf(text, sizeof text, "%.0f", scaled);
    json_object_set_new(td, key, json_string(text));
}

static void normalise_container(json_t *c, bool awsvpc)
{
    sort_member(c, "environment", "name");
    sort_member(c, "secrets", "name");
    sort_member(c, "ulimits", "name");
    sort_member(c, "dependsOn", "containerName");
    sort_member(c, "mountPoints", NULL);
    sort_member(c, "volumesFrom", NULL);
    sort_member(c, "environmentFiles", NULL);
    sort_member(json_object_get(c, "logConfiguration"), "secretOptions", "name");
    json_t *ports = json_object_get(c, "portMappings");
    size_t i;
    json_t *port;
    json_array_foreach(ports, i, port) {
        json_t *container_port = json_object_get(port, "containerPort");
        if (awsvpc && container_port && !json_object_get(port, "hostPort"))
            json_object_set(port, "hostPort", container_port);
    }
    sort_array(ports, NULL);
}

static json_t *normalise_task_definition(json_t *td)
{
    td = camel_keys(unwrap_task_definition(td));
    delete_keys(td, task_read_only);
    canonical_size(td, "cpu", "vCPU");
    canonical_size(td, "memory", "GB");
    const char *mode = str_member(td, "networkMode");
    bool awsvpc = mode && strcmp(mode, "awsvpc") == 0;
    json_t *containers = json_object_get(td, "containerDefinitions");
    size_t i;
    json_t *c;
    json_array_foreach(containers, i, c)
        normalise_container(c, awsvpc);
    sort_array(containers, "name");
    sort_member(td, "volumes", "name");
    sort_member(td, "placementConstraints", NULL);
    sort_member(td, "requiresCompatibilities", NULL);
    sort_member(td, "tags", "key");
    sort_member(json_object_get(td, "proxyConfiguration"), "properties", "name");
    return td;
}

/* --- Services ------------------------------------------------------------ */

/* What describe-services adds that CreateService does not take (the
 * deployment's service connect and volumes are read before they go). */
static const char *const service_read_only[] = {
    "serviceArn", "clusterArn", "status", "runningCount", "pendingCount", "deployments",
    "events", "createdAt", "createdBy", "roleArn", "taskSets", "platformFamily",
    "resourceManagementType", "currentServiceDeployment", "currentServiceRevisions", NULL};

/* What ecspresso does not compare: it sets them from its own config. */
static const char *const ecspresso_service_ignored[] = {
    "cluster", "serviceName", "taskDefinition", "role", "clientToken", NULL};

static const char *after_last(const char *text, char c)
{
    const char *p = strrchr(text, c);
    return p ? p + 1 : text;
}

/* describe-services: {"services": [...], "failures": [...]} -> the service
 * named like the converted one (or the only one). */
static json_t *unwrap_services(json_t *doc, const json_t *expected, const char **error)
{
    json_t *list = get_either_case(doc, "services");
    if (!json_is_array(list))
        return doc;
    const char *want = str_member(expected, "serviceName");
    json_t *found = json_array_size(list) == 1 ? json_array_get(list, 0) : NULL;
    size_t i;
    json_t *s;
    json_array_foreach(list, i, s) {
        const char *name = str_member(s, "serviceName");
        if (want && name && strcmp(name, want) == 0)
            found = s;
    }
    if (!json_is_object(found)) {
        *error = "describe-services output without the service (is it in \"failures\"?)";
        json_decref(doc);
        return NULL;
    }
    json_incref(found);
    json_decref(doc);
    return found;
}

static void from_primary_deployment(json_t *svc)
{
    static const char *const carried[] = {"serviceConnectConfiguration",
                                          "volumeConfigurations", NULL};
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(svc, "deployments"), i, d) {
        const char *status = str_member(d, "status");
        if (!status || strcmp(status, "PRIMARY") != 0)
            continue;
        for (size_t k = 0; carried[k]; k++) {
            json_t *value = json_object_get(d, carried[k]);
            if (value && !json_object_get(svc, carried[k]))
                json_object_set(svc, carried[k], value);
        }
    }
}

/* "arn:aws:ecs:r:a:task-definition/api:12" and "api:12" -> "api": the
 * converted files name the family (its latest ACTIVE revision), so a
 * pinned revision is the same task definition for this comparison. */
static void family_of(json_t *obj, const char *key)
{
    const char *value = str_member(obj, key);
    if (!value)
        return;
    const char *family = strncmp(value, "arn:", 4) == 0 ? after_last(value, '/') : value;
    char *copy = k2e_strdup(family);
    if (!copy)
        return;
    char *colon = strchr(copy, ':');
    if (colon)
        *colon = '\0';
    json_object_set_new(obj, key, json_string(copy));
    free(copy);
}

static void name_of_arn(json_t *obj, const char *key)
{
    const char *value = str_member(obj, key);
    if (value && strncmp(value, "arn:", 4) == 0)
        json_object_set_new(obj, key, json_string(after_last(value, '/')));
}

static json_t *normalise_service(json_t *svc, k2e_norm_kind kind, const json_t *expected,
                                 const char **error)
{
    svc = unwrap_services(svc, expected, error);
    if (!svc)
        return NULL;
    svc = camel_keys(svc);
    const char *cluster_arn = str_member(svc, "clusterArn");
    if (cluster_arn && !json_object_get(svc, "cluster"))
        json_object_set_new(svc, "cluster", json_string(after_last(cluster_arn, '/')));
    from_primary_deployment(svc);
    delete_keys(svc, service_read_only);
    name_of_arn(svc, "cluster");
    family_of(svc, "taskDefinition");
    if (kind == K2E_NORM_ECSPRESSO_SERVICE)
        delete_keys(svc, ecspresso_service_ignored);
    /* A remote desiredCount is the autoscaler's business when the converted
     * service leaves it open (as ecspresso diff does). */
    if (expected && !json_object_get(expected, "desiredCount"))
        json_object_del(svc, "desiredCount");
    json_t *vpc = json_object_get(json_object_get(svc, "networkConfiguration"),
                                  "awsvpcConfiguration");
    sort_member(vpc, "subnets", NULL);
    sort_member(vpc, "securityGroups", NULL);
    sort_member(svc, "placementConstraints", NULL);
    sort_member(svc, "placementStrategy", NULL);
    sort_member(svc, "loadBalancers", NULL);
    sort_member(svc, "serviceRegistries", NULL);
    sort_member(svc, "capacityProviderStrategy", "capacityProvider");
    sort_member(svc, "tags", "key");
    sort_member(json_object_get(svc, "serviceConnectConfiguration"), "services", "portName");
    return svc;
}

/* --- Other AWS inputs ---------------------------------------------------- */

static json_t *normalise_run_task(json_t *rt)
{
    json_t *vpc = json_object_get(json_object_get(rt, "networkConfiguration"),
                                  "awsvpcConfiguration");
    sort_member(vpc, "subnets", NULL);
    sort_member(vpc, "securityGroups", NULL);
    sort_member(rt, "tags", "key");
    family_of(rt, "taskDefinition");
    name_of_arn(rt, "cluster");
    json_t *overrides = json_object_get(json_object_get(rt, "overrides"), "containerOverrides");
    size_t i;
    json_t *c;
    json_array_foreach(overrides, i, c)
        sort_member(c, "environment", "name");
    sort_array(overrides, "name");
    return rt;
}

static json_t *normalise_autoscaling(json_t *doc, const json_t *expected)
{
    static const char *const target_read_only[] = {"ScalableTargetARN", "CreationTime",
                                                   NULL};
    static const char *const policy_read_only[] = {"PolicyARN", "CreationTime", "Alarms",
                                                   NULL};
    json_t *target = json_object_get(doc, "scalableTarget");
    delete_keys(target, target_read_only);
    /* describe-scalable-targets names the service-linked role the API chose */
    if (expected && !json_object_get(json_object_get(expected, "scalableTarget"), "RoleARN"))
        json_object_del(target, "RoleARN");
    json_t *policies = json_object_get(doc, "scalingPolicies");
    size_t i;
    json_t *p;
    json_array_foreach(policies, i, p)
        delete_keys(p, policy_read_only);
    sort_array(policies, "PolicyName");
    return doc;
}

/* describe-target-groups -> the members modify-target-group takes. */
static json_t *normalise_target_group(json_t *doc)
{
    static const char *const modifiable[] = {
        "TargetGroupArn", "HealthCheckProtocol", "HealthCheckPort", "HealthCheckPath",
        "HealthCheckEnabled", "HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds",
        "HealthyThresholdCount", "UnhealthyThresholdCount", "Matcher", NULL};
    json_t *list = json_object_get(doc, "TargetGroups");
    if (json_is_array(list) && json_array_size(list) == 1) {
        json_t *tg = json_incref(json_array_get(list, 0));
        json_decref(doc);
        doc = tg;
    }
    if (!json_object_get(doc, "VpcId") && !json_object_get(doc, "TargetGroupName"))
        return doc;
    json_t *out = json_object();
    for (size_t i = 0; modifiable[i]; i++) {
        json_t *value = json_object_get(doc, modifiable[i]);
        if (value)
            json_object_set(out, modifiable[i], value);
    }
    json_decref(doc);
    return out;
}

/* --- YAML documents ------------------------------------------------------ */

/* ecschedule runs its files through two Go template passes, so a literal
 * "{{" is written as this escape (emit/yaml.h's K2E_ECSCHEDULE_BRACE_ESCAPE,
 * which this stage may not include); both passes turn it back into "{{",
 * and so does the comparison. */
static const char brace_escape[] = "{{`{{\"{{\"}}`}}";

static json_t *unescaped(const char *text)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    k2e_buf_append(&buf, "", 0);
    for (const char *p = text; *p;) {
        const char *at = strstr(p, brace_escape);
        if (!at) {
            k2e_buf_puts(&buf, p);
            break;
        }
        k2e_buf_append(&buf, p, (size_t)(at - p));
        k2e_buf_puts(&buf, "{{");
        p = at + strlen(brace_escape);
    }
    char *out = k2e_buf_detach(&buf);
    json_t *value = out ? json_string(out) : NULL;
    free(out);
    return value;
}

/* YAML scalars as text: ecschedule (goccy/go-yaml into Go strings and
 * ints) reads `taskCount: 2` and `taskCount: '2'` alike, and the converted
 * side holds JSON numbers and booleans where the file holds text. */
static json_t *scalars_as_text(json_t *value)
{
    char text[64];
    if (json_is_integer(value)) {
        snprintf(text, sizeof text, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
    } else if (json_is_real(value)) {
        snprintf(text, sizeof text, "%.15g", json_real_value(value));
    } else if (json_is_boolean(value)) {
        snprintf(text, sizeof text, "%s", json_is_true(value) ? "true" : "false");
    } else if (json_is_string(value) && strstr(json_string_value(value), brace_escape)) {
        json_t *plain = unescaped(json_string_value(value));
        if (!plain)
            return value;
        json_decref(value);
        return plain;
    } else if (json_is_array(value)) {
        size_t i;
        json_t *item;
        json_array_foreach(value, i, item)
            json_array_set_new(value, i, scalars_as_text(json_incref(item)));
        return value;
    } else if (json_is_object(value)) {
        const char *key;
        json_t *member;
        json_object_foreach(value, key, member)
            json_object_set_new(value, key, scalars_as_text(json_incref(member)));
        return value;
    } else {
        return value;
    }
    json_decref(value);
    return json_string(text);
}

/* "arn:aws:iam::1:role/service-role/x" -> "service-role/x"; the other
 * prefixes ecschedule adds to names when it sends a rule. */
static void strip_prefix(json_t *obj, const char *key, const char *marker)
{
    const char *value = str_member(obj, key);
    const char *at = value && strncmp(value, "arn:", 4) == 0 ? strstr(value, marker) : NULL;
    if (at)
        json_object_set_new(obj, key, json_string(at + strlen(marker)));
}

/* Any partition: arn:aws-cn:sqs:... in China (base/arn.h). */
static void strip_sqs_arn(json_t *obj)
{
    const char *value = str_member(obj, "sqs");
    const char *rest = value && strncmp(value, "arn:", 4) == 0 ? strchr(value + 4, ':') : NULL;
    if (rest && strncmp(rest, ":sqs:", 5) == 0)
        json_object_set_new(obj, "sqs", json_string(after_last(value, ':')));
}

static bool has_revision(const json_t *rules, const char *name)
{
    size_t i;
    json_t *r;
    json_array_foreach(rules, i, r) {
        const char *n = str_member(r, "name"), *td = str_member(r, "taskDefinition");
        if (n && td && strcmp(n, name) == 0)
            return strchr(after_last(td, '/'), ':') != NULL;
    }
    return false;
}

/* ecschedule's resolution rules (its reference, section 7): targetId
 * defaults to the name, a rule's role/region/cluster to the top level's,
 * taskDefinition may be a family, family:revision or ARN. */
static void normalise_rule(json_t *rule, const json_t *top, const json_t *expected)
{
    const char *name = str_member(rule, "name");
    const char *target = str_member(rule, "targetId");
    if (name && target && strcmp(name, target) == 0)
        json_object_del(rule, "targetId");
    strip_prefix(rule, "role", ":role/");
    static const char *const inherited[] = {"role", "region", "cluster", "trackingId", NULL};
    for (size_t i = 0; inherited[i]; i++) {
        const char *mine = str_member(rule, inherited[i]);
        const char *theirs = str_member(top, inherited[i]);
        if (mine && theirs && strcmp(mine, theirs) == 0)
            json_object_del(rule, inherited[i]);
    }
    const char *count = str_member(rule, "taskCount");
    if (count && atoll(count) < 1)
        json_object_del(rule, "taskCount");
    strip_prefix(rule, "taskDefinition", ":task-definition/");
    bool pinned = expected && name && has_revision(json_object_get(expected, "rules"), name);
    if (!pinned)
        family_of(rule, "taskDefinition");
    strip_sqs_arn(json_object_get(rule, "dead_letter_config"));
    sort_member(rule, "containerOverrides", "name");
    json_t *vpc = json_object_get(json_object_get(rule, "network_configuration"),
                                  "aws_vpc_configuration");
    sort_member(vpc, "subnets", NULL);
    sort_member(vpc, "security_groups", NULL);
    sort_member(rule, "capacityProviderStrategy", "capacityProvider");
}

static json_t *normalise_ecschedule(json_t *doc, const json_t *expected)
{
    doc = scalars_as_text(doc);
    name_of_arn(doc, "cluster");
    strip_prefix(doc, "role", ":role/");
    const char *cluster = str_member(doc, "cluster");
    const char *tracking = str_member(doc, "trackingId");
    if (cluster && tracking && strcmp(cluster, tracking) == 0)
        json_object_del(doc, "trackingId");
    json_t *rules = json_object_get(doc, "rules");
    size_t i;
    json_t *rule;
    json_array_foreach(rules, i, rule)
        normalise_rule(rule, doc, expected);
    sort_array(rules, "name");
    return doc;
}

/* --- Entry point --------------------------------------------------------- */

json_t *k2e_normalise(json_t *copy, k2e_norm_kind kind, const json_t *expected,
                      const char **error)
{
    *error = NULL;
    if (!json_is_object(copy)) {
        *error = "not a JSON object (or YAML mapping) at the top";
        json_decref(copy);
        return NULL;
    }
    bool drop_false = true;
    switch (kind) {
    case K2E_NORM_TASK_DEFINITION: copy = normalise_task_definition(copy); break;
    case K2E_NORM_SERVICE:
    case K2E_NORM_ECSPRESSO_SERVICE:
        copy = normalise_service(copy, kind, expected, error);
        break;
    case K2E_NORM_AUTOSCALING: copy = normalise_autoscaling(copy, expected); break;
    case K2E_NORM_TARGET_GROUP:
        copy = normalise_target_group(copy);
        drop_false = false; /* HealthCheckEnabled: false is not the default */
        break;
    case K2E_NORM_RUN_TASK: copy = normalise_run_task(copy); break;
    case K2E_NORM_ECSCHEDULE: copy = normalise_ecschedule(copy, expected); break;
    case K2E_NORM_YAML_FLAT: copy = scalars_as_text(copy); break;
    case K2E_NORM_PLAIN: drop_false = false; break;
    }
    if (!copy)
        return NULL;
    prune(copy, drop_false); /* numbers made canonical before defaults compare */
    remove_defaults(copy, kind);
    prune(copy, drop_false);
    return copy;
}
