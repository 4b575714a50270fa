/* The pipeline behind `kube2ecs convert`; see convert.h.
 *
 * Kinds are dispatched by a table (kind -> role and hint): adding a kind is
 * one row.  After every object is mapped, one walk per object reports every
 * field nobody consumed, so the "nothing is dropped silently" promise does
 * not depend on each mapper remembering to report.
 */
#include "kube2ecs/convert.h"

#include <stdlib.h>
#include <string.h>

#include "convert/unknown_kind.h"
#include "read/index.h"
#include "read/inputs.h"
#include "map/map_context.h"
#include "read/mapping_table.h"
#include "schedules/schedule.h"
#include "services/service.h"
#include "map/workload.h"
#include "read/yaml_tree.h"
#include "base/util.h"

typedef enum {
    ROLE_WORKLOAD,   /* has a pod template: becomes a task definition (+...) */
    ROLE_REFERENCE,  /* read through references from workloads */
    ROLE_IGNORED,    /* no ECS counterpart: reported once, as info */
} kind_role;

typedef struct {
    const char *kind;
    kind_role role;
    const char *hint;
} kind_rule;

static const kind_rule kind_rules[] = {
    {"Deployment", ROLE_WORKLOAD, NULL},
    {"StatefulSet", ROLE_WORKLOAD, NULL},
    {"ReplicaSet", ROLE_WORKLOAD, NULL},
    {"ReplicationController", ROLE_WORKLOAD, NULL},
    {"DaemonSet", ROLE_WORKLOAD, NULL},
    {"Pod", ROLE_WORKLOAD, NULL},
    {"Job", ROLE_WORKLOAD, NULL},
    {"CronJob", ROLE_WORKLOAD, NULL},
    {"ConfigMap", ROLE_REFERENCE,
     "its keys reach ECS only through env/envFrom of a converted workload"},
    {"Secret", ROLE_REFERENCE,
     "list it under `secrets` in the mapping table when a workload reads it"},
    {"ServiceAccount", ROLE_REFERENCE,
     "IAM roles for ECS tasks come from the mapping table"},
    {"Service", ROLE_REFERENCE,
     "a Service becomes load balancer and service discovery settings of the ECS service whose "
     "pods its selector matches (same namespace); this one matches no converted workload"},
    {"Ingress", ROLE_REFERENCE,
     "its route rules are reported per backend Service; configure them on an ALB listener"},
    {"HorizontalPodAutoscaler", ROLE_REFERENCE,
     "an autoscaler becomes autoscaling/<service>.json when its scaleTargetRef names a "
     "converted Deployment, StatefulSet or ReplicaSet in its namespace"},
    {"PodDisruptionBudget", ROLE_REFERENCE,
     "a budget is compared with the minimumHealthyPercent of the ECS services whose pods its "
     "selector matches; this one matches none"},
    {"Namespace", ROLE_IGNORED, "ECS has no namespaces; use one cluster or name prefixes"},
    {"NetworkPolicy", ROLE_IGNORED, "use security groups (mapping: network.securityGroups)"},
    {"Role", ROLE_IGNORED, "Kubernetes RBAC has no ECS counterpart; use IAM task roles"},
    {"ClusterRole", ROLE_IGNORED, "Kubernetes RBAC has no ECS counterpart; use IAM task roles"},
    {"RoleBinding", ROLE_IGNORED, "Kubernetes RBAC has no ECS counterpart; use IAM task roles"},
    {"ClusterRoleBinding", ROLE_IGNORED,
     "Kubernetes RBAC has no ECS counterpart; use IAM task roles"},
    {"PersistentVolumeClaim", ROLE_IGNORED, "use EFS volumes for shared storage"},
    {"PersistentVolume", ROLE_IGNORED, "use EFS volumes for shared storage"},
    {"StorageClass", ROLE_IGNORED, "Fargate storage is ephemeral or EFS"},
    {"LimitRange", ROLE_IGNORED, "task sizes are explicit in ECS"},
    {"ResourceQuota", ROLE_IGNORED, "use Service Quotas / AWS budgets"},
    {"PriorityClass", ROLE_IGNORED, "Fargate has no pod priority"},
    {"Endpoints", ROLE_IGNORED, "ECS registers task IPs itself"},
    {"EndpointSlice", ROLE_IGNORED, "ECS registers task IPs itself"},
    {"IngressClass", ROLE_IGNORED, "route rules belong to an ALB listener"},
    {"MutatingWebhookConfiguration", ROLE_IGNORED, "admission webhooks do not exist in ECS"},
    {"ValidatingWebhookConfiguration", ROLE_IGNORED, "admission webhooks do not exist in ECS"},
    {"APIService", ROLE_IGNORED, "the Kubernetes API has no ECS counterpart"},
    {"PodSecurityPolicy", ROLE_IGNORED, "use task definition settings and IAM"},
    {"CustomResourceDefinition", ROLE_IGNORED, "custom resources have no ECS counterpart"},
};

static const kind_rule *find_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof kind_rules / sizeof kind_rules[0]; i++) {
        if (strcmp(kind_rules[i].kind, kind) == 0)
            return &kind_rules[i];
    }
    return NULL;
}

void k2e_convert_result_init(k2e_convert_result *result)
{
    memset(result, 0, sizeof *result);
    k2e_diags_init(&result->diags);
    k2e_outputs_init(&result->outputs);
}

void k2e_convert_result_release(k2e_convert_result *result)
{
    k2e_diags_release(&result->diags);
    k2e_outputs_release(&result->outputs);
}

const k2e_object *k2e_map_reference(k2e_map_ctx *ctx, const char *group, const char *kind,
                                    const char *namespace_, const char *name)
{
    const k2e_object *object = k2e_index_find(ctx->index, group, kind, namespace_, name);
    if (object)
        ctx->referenced[object - ctx->index->items] = true;
    return object;
}

void k2e_map_use(k2e_map_ctx *ctx, k2e_placeholder_key key)
{
    ctx->placeholder_used[key] = true;
}

static json_t *string_array(const k2e_string_list *list)
{
    json_t *array = json_array();
    for (size_t i = 0; i < list->count; i++)
        json_array_append_new(array, json_string(list->items[i]));
    return array;
}

json_t *k2e_map_network_configuration(k2e_map_ctx *ctx, k2e_spelling spelling)
{
    static const char *const keys[2][4] = {
        {"awsvpcConfiguration", "subnets", "securityGroups", "assignPublicIp"},
        {"aws_vpc_configuration", "subnets", "security_groups", "assign_public_ip"},
    };
    const char *const *key = keys[spelling];
    const k2e_mapping *m = ctx->mapping;
    json_t *vpc = json_object();
    k2e_map_use(ctx, K2E_KEY_SUBNETS);
    json_object_set_new(vpc, key[1], string_array(&m->subnets));
    if (m->security_groups.count > 0) {
        k2e_map_use(ctx, K2E_KEY_SECURITY_GROUPS);
        json_object_set_new(vpc, key[2], string_array(&m->security_groups));
    }
    if (m->assign_public_ip.value)
        json_object_set_new(vpc, key[3], json_string(m->assign_public_ip.value));
    return json_pack("{s:o}", key[0], vpc);
}

/* --- Reading ------------------------------------------------------------- */

static void progress(const k2e_convert_options *options, size_t files, size_t objects,
                     size_t converted)
{
    if (options->progress)
        options->progress(options->progress_context, files, objects, converted);
}

static void file_read(void *context, size_t files)
{
    progress(context, files, 0, 0);
}

static bool read_inputs(const k2e_convert_options *options, const char *const *paths,
                        size_t count, k2e_input_set *set, k2e_index *index, k2e_diags *diags)
{
    k2e_input_options in = {.excludes = options->excludes,
                            .exclude_count = options->exclude_count,
                            .outdir = options->outdir, .limits = k2e_limits_default(),
                            .on_file = file_read, .context = (void *)options};
    size_t errors = k2e_diags_count(diags, K2E_SEV_ERROR);
    bool ok = k2e_inputs_read(&in, paths, count, set, diags);
    for (size_t i = 0; ok && i < set->count; i++)
        k2e_index_add_file(index, &set->files[i], diags);
    k2e_index_finish(index, diags);
    /* Empty stdin or a tree of kustomize/Helm sources: an error, and OUTDIR
     * must survive it (unless errors already explain the emptiness). */
    if (ok && index->count == 0 && k2e_diags_count(diags, K2E_SEV_ERROR) == errors)
        k2e_inputs_report_empty(set, diags);
    return ok;
}

/* --- Mapping ------------------------------------------------------------- */

static void report_ignored(k2e_map_ctx *ctx, const k2e_object *object, const kind_rule *rule)
{
    k2e_consume_all(object->root);
    if (!rule) {
        k2e_report_unknown_kind(ctx->diags, object, kind_rules,
                                sizeof kind_rules / sizeof kind_rules[0], sizeof kind_rules[0]);
        return;
    }
    k2e_diag_at(ctx->diags, K2E_I_KIND_IGNORED, object->root, object->root, rule->hint,
                "%s %s has no ECS counterpart and is not converted", object->kind,
                object->name);
}

static void report_unreferenced(k2e_map_ctx *ctx, const k2e_object *object,
                                const kind_rule *rule)
{
    /* Values of a Secret must never reach a message: consume without
     * looking, and name only the object. */
    bool used = ctx->referenced[object - ctx->index->items];
    k2e_consume_all(object->root);
    if (used)
        return;
    k2e_diag_at(ctx->diags, K2E_I_KIND_IGNORED, object->root, object->root, rule->hint,
                "%s %s is not referenced by any converted workload", object->kind,
                object->name);
}

static const char *unconsumed_hint(const char *path, void *context)
{
    (void)context;
    if (strstr(path, "annotations"))
        return "annotations have no ECS meaning; tag the resources in AWS if you need them";
    return NULL;
}

static void map_objects(k2e_map_ctx *ctx, const k2e_convert_options *options,
                        size_t files, size_t *converted)
{
    const k2e_index *index = ctx->index;
    k2e_workloads workloads;
    k2e_workloads_init(&workloads);
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        const kind_rule *rule = find_kind(object->kind);
        if (object->duplicate || (rule && rule->role == ROLE_REFERENCE))
            continue;
        if (!rule || rule->role == ROLE_IGNORED) {
            report_ignored(ctx, object, rule);
            continue;
        }
        *converted += k2e_map_workload(ctx, object, &workloads);
        progress(options, files, index->count, *converted);
    }
    k2e_workloads_finish(ctx, &workloads);
    k2e_services_map(ctx, &workloads);
    k2e_schedules_map(ctx, &workloads);
    k2e_workloads_release(&workloads);
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        const kind_rule *rule = find_kind(object->kind);
        if (!object->duplicate && rule && rule->role == ROLE_REFERENCE)
            report_unreferenced(ctx, object, rule);
        k2e_report_unconsumed(object->root, ctx->diags, unconsumed_hint, NULL);
    }
}

/* --- Report -------------------------------------------------------------- */

static json_t *summary_json(const k2e_convert_result *r, const k2e_outputs *outputs)
{
    json_t *files = json_array();
    for (size_t i = 0; i < outputs->count; i++)
        json_array_append_new(files, json_string(outputs->items[i].path));
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
                     "filesRead", (json_int_t)r->files_read,
                     "objectsRead", (json_int_t)r->objects_read,
                     "objectsConverted", (json_int_t)r->objects_converted,
                     "errors", (json_int_t)k2e_diags_count(&r->diags, K2E_SEV_ERROR),
                     "warnings", (json_int_t)k2e_diags_count(&r->diags, K2E_SEV_WARNING),
                     "infos", (json_int_t)k2e_diags_count(&r->diags, K2E_SEV_INFO),
                     "outputs", files);
}

static bool add_report(k2e_convert_result *r)
{
    if (!k2e_outputs_sort(&r->outputs)) {
        k2e_diag_add(&r->diags, K2E_E_OUTPUT, (k2e_where){"", 0, 0, ""},
                     "this is a bug in kube2ecs: please report it with the input",
                     "two outputs were given the same path");
        return false;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < r->diags.count; i++)
        json_array_append_new(list, k2e_diag_to_json(&r->diags.items[i]));
    json_t *report = json_pack("{s:o, s:o}", "diagnostics", list, "summary",
                               summary_json(r, &r->outputs));
    bool ok = k2e_outputs_add(&r->outputs, "report.json", k2e_json_text_new(report));
    k2e_outputs_sort(&r->outputs);
    return ok;
}

/* --- Pipeline ------------------------------------------------------------ */

static int exit_status(const k2e_convert_options *options, const k2e_diags *diags)
{
    if (k2e_diags_count(diags, K2E_SEV_ERROR))
        return K2E_EXIT_INPUT;
    if (options->strict && k2e_diags_count(diags, K2E_SEV_WARNING))
        return K2E_EXIT_DIFFERENCES;
    return K2E_EXIT_OK;
}

int k2e_convert(const k2e_convert_options *options, const char *const *paths, size_t count,
                k2e_convert_result *r)
{
    const char *ns = options->default_namespace ? options->default_namespace : "default";
    k2e_mapping mapping;
    bool mapping_ok = k2e_mapping_load(&mapping, options->mapping_path, &r->diags);
    k2e_index index;
    k2e_index_init(&index, ns);
    k2e_input_set set = {0};
    int status = K2E_EXIT_INTERNAL;
    if (!read_inputs(options, paths, count, &set, &index, &r->diags))
        goto out;
    r->files_read = set.count;
    r->files_skipped = set.skipped;
    r->objects_read = index.count;
    if (mapping_ok) {
        k2e_map_ctx ctx = {.index = &index, .mapping = &mapping, .diags = &r->diags,
                           .outputs = &r->outputs, .formats = options->formats};
        ctx.referenced = calloc(index.count + 1, sizeof *ctx.referenced);
        if (!ctx.referenced)
            goto out;
        map_objects(&ctx, options, set.count, &r->objects_converted);
        k2e_mapping_report_placeholders(&mapping, ctx.placeholder_used, &r->diags);
        free(ctx.referenced);
    }
    k2e_diags_sort(&r->diags);
    if (!add_report(r))
        goto out;
    status = exit_status(options, &r->diags);
    bool write = options->outdir && index.count > 0 &&
                 (status != K2E_EXIT_INPUT || options->keep_going);
    if (write && mapping_ok) {
        r->written = k2e_outputs_write(&r->outputs, options->outdir, &r->diags);
        if (!r->written)
            status = K2E_EXIT_INPUT;
    }
out:
    k2e_inputs_release(&set);
    k2e_index_release(&index);
    k2e_mapping_release(&mapping);
    return status;
}
