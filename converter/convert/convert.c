/* The pipeline behind `kube2ecs convert`; see convert.h.
 *
 * Kinds are dispatched by a table (kind -> role and hint): adding a kind is
 * one row.  After every object is mapped, one walk per object reports every
 * field nobody consumed, so the "nothing is dropped silently" promise does
 * not depend on each mapper remembering to report.
 */
#include "kube2ecs/convert.h"
#include "convert/check.h"
#include "convert/convert_model.h"

#include <stdlib.h>
#include <string.h>

#include "convert/unknown_kind.h"
#include "read/index.h"
#include "read/inputs.h"
#include "map/map_context.h"
#include "read/mapping_table.h"
#include "schedules/schedule.h"
#include "schedules/batch.h"
#include "services/service.h"
#include "map/workload.h"
#include "read/yaml_tree.h"
#include "emit/emit.h"
#include "map/patch.h"
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
    free(result->failing);
    result->failing = NULL;
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

/* Kinds without an ECS counterpart that still change how the workloads
 * behave on Kubernetes: dropping them changes the result, so they are
 * warnings (K2E-W116), not the info other ignored kinds get. */
static const struct {
    const char *kind, *message, *hint;
} meaningful_kinds[] = {
    {"NetworkPolicy",
     "restricts which pods may connect to which; nothing is converted, so "
     "the ECS tasks accept whatever their security groups allow",
     "express the rules as security groups: one per ECS service, with ingress rules from the "
     "groups of the allowed clients (mapping: network.securityGroups)"},
    {"LimitRange",
     "gives containers that declare no resources default requests and limits "
     "on Kubernetes; here such containers get the mapping's defaultResources instead",
     "write the LimitRange's defaults into the containers' resources, or set "
     "defaultResources in the mapping table to them"},
};

static bool report_meaningful(k2e_map_ctx *ctx, const k2e_object *object)
{
    for (size_t i = 0; i < sizeof meaningful_kinds / sizeof meaningful_kinds[0]; i++) {
        if (strcmp(object->kind, meaningful_kinds[i].kind) != 0)
            continue;
        k2e_diag_at(ctx->diags, K2E_W_KIND_MEANING, object->root, object->root,
                    meaningful_kinds[i].hint, "%s %s %s", object->kind, object->name,
                    meaningful_kinds[i].message);
        return true;
    }
    return false;
}

static void report_ignored(k2e_map_ctx *ctx, const k2e_object *object, const kind_rule *rule)
{
    k2e_consume_all(object->root);
    if (report_meaningful(ctx, object))
        return;
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

/* The user's patches apply last, to the finished task definitions: after
 * the services step has named and added port mappings, so a patch can
 * change anything and nothing overwrites it. */
static void apply_patches(k2e_map_ctx *ctx, const k2e_workloads *workloads)
{
    for (size_t i = 0; i < workloads->count; i++) {
        const k2e_workload *w = &workloads->items[i];
        if (w->written)
            k2e_apply_patches(ctx->mapping, w->object, w->task_definition, ctx->diags);
    }
}

/* Views of the final task definitions for deployment tools. */
static void add_views(k2e_map_ctx *ctx, const k2e_workloads *workloads)
{
    for (size_t i = 0; (ctx->formats & K2E_FORMAT_ECS_DEPLOY) && i < workloads->count; i++) {
        if (workloads->items[i].written)
            k2e_svc_ecs_deploy(ctx, &workloads->items[i]);
    }
}

/* The promise "every skipped object says why" does not rest on each mapper:
 * a workload that produced nothing and reported no error is a bug, and the
 * run must not look like a success. */
static void report_silent_skip(k2e_map_ctx *ctx, const k2e_object *object)
{
    k2e_diag_at(ctx->diags, K2E_E_INTERNAL, object->root, object->root,
                "this is a bug in kube2ecs: please report it with this object",
                "%s %s was not converted and no error says why", object->kind, object->name);
    ctx->failed = true;
}


/* awslogs-create-group "true" makes the awslogs driver call
 * logs:CreateLogGroup with the task execution role, which the managed
 * AmazonECSTaskExecutionRolePolicy does not grant: without it a task fails
 * to start.  Said once per run, at the mapping key, rather than defaulting
 * to false, which fails the same way whenever a group does not exist yet.
 * A mapping table that sets the key has made the choice: then silent. */
static void report_create_group(const k2e_mapping *mapping, k2e_diags *diags)
{
    const k2e_node *at = mapping->log_create_group.origin;
    if (!at || !mapping->log_create_group.from_default)
        return;
    k2e_where where = {at->file, at->line, at->column, "logging.createGroup"};
    k2e_diag_add(diags, K2E_W_CREATE_LOG_GROUP, where,
                 "add logs:CreateLogGroup to the execution role's policy, or create the log "
                 "groups (logging.group, per family) beforehand and set logging.createGroup: "
                 "false; setting logging.createGroup in the mapping table (either value) "
                 "silences this",
                 "awslogs-create-group \"true\" is written: the task execution role needs "
                 "logs:CreateLogGroup, which AmazonECSTaskExecutionRolePolicy does not grant");
}

/* --- Batch consolidation (schedules/batch.h) ----------------------------- */

static bool batch_wanted(const k2e_convert_options *options)
{
    return options->consolidate || options->plan_batch;
}

/* Plans the groups on the task definitions as built; consolidating, the
 * schedules step then asks ctx->batch for each job's family and overrides. */
static void batch_begin(k2e_map_ctx *ctx, const k2e_convert_options *options,
                        k2e_workloads *workloads, k2e_batch *batch)
{
    if (!batch_wanted(options))
        return;
    k2e_batch_plan(ctx, workloads, options->consolidate, batch);
    if (options->consolidate)
        ctx->batch = batch;
}

static void batch_end(k2e_map_ctx *ctx, const k2e_convert_options *options, k2e_batch *batch)
{
    if (batch_wanted(options))
        k2e_batch_finish(ctx, batch, options->plan_batch, options->layouts);
    ctx->batch = NULL;
}

static void map_objects(k2e_map_ctx *ctx, const k2e_convert_options *options,
                        size_t files, size_t *converted)
{
    const k2e_index *index = ctx->index;
    k2e_workloads workloads;
    k2e_workloads_init(&workloads);
    /* NULL when out of memory: then only the noise comes back. */
    bool *rejected = k2e_calloc(index->count + 1, sizeof *rejected);
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        const kind_rule *rule = find_kind(object->kind);
        if (object->duplicate || (rule && rule->role == ROLE_REFERENCE))
            continue;
        if (!rule || rule->role == ROLE_IGNORED) {
            report_ignored(ctx, object, rule);
            continue;
        }
        size_t errors = k2e_diags_count(ctx->diags, K2E_SEV_ERROR);
        size_t done = k2e_map_workload(ctx, object, &workloads);
        *converted += done;
        if (!done && k2e_diags_count(ctx->diags, K2E_SEV_ERROR) == errors)
            report_silent_skip(ctx, object);
        if (!done && rejected)
            rejected[i] = true;
        progress(options, files, index->count, *converted);
    }
    k2e_workloads_finish(ctx, &workloads);
    k2e_batch batch;
    k2e_batch_init(&batch);
    batch_begin(ctx, options, &workloads, &batch);
    k2e_services_map(ctx, &workloads);
    k2e_schedules_map(ctx, &workloads);
    batch_end(ctx, options, &batch);
    apply_patches(ctx, &workloads);
    apply_patches(ctx, &batch.shared);
    add_views(ctx, &workloads);
    add_views(ctx, &batch.shared);
    k2e_batch_release(&batch);
    k2e_workloads_release(&workloads);
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        const kind_rule *rule = find_kind(object->kind);
        if (!object->duplicate && rule && rule->role == ROLE_REFERENCE)
            report_unreferenced(ctx, object, rule);
        /* A rejected workload's error says why nothing was written: the
         * fields its mapping never reached are not news (issue 13 item 5). */
        if (rejected && rejected[i])
            k2e_consume_all(object->root);
        k2e_report_unconsumed(object->root, ctx->diags, unconsumed_hint, NULL);
    }
    free(rejected);
}

/* Two documents with one path: two objects whose names come out the same
 * once made file names.  Reported at both objects; the first (in path and
 * canonical object order) is kept. */
static void report_clashes(k2e_model *model, k2e_diags *diags)
{
    k2e_model_sort(model);
    for (size_t i = 1; i < model->count; i++) {
        const k2e_doc *a = &model->items[i - 1], *b = &model->items[i];
        if (strcmp(a->path, b->path) != 0)
            continue;
        const k2e_object *at = b->source ? b->source : a->source;
        const k2e_object *other = b->source ? a->source : NULL;
        k2e_where where = {at ? at->file : "", at ? at->root->line : 0,
                           at ? at->root->column : 0, ""};
        char *first = other ? k2e_asprintf("%s %s (%s:%u)", other->kind, other->name,
                                           other->file, other->root->line)
                            : k2e_strdup("another output of the run");
        k2e_diag_add(diags, K2E_E_OUTPUT_CLASH, where,
                     "rename one of the objects, or choose a family template in the mapping "
                     "table that tells them apart",
                     "%s %s writes %s, which %s also writes", at ? at->kind : "the run",
                     at ? at->name : "", b->path, first ? first : "another object");
        free(first);
    }
}

/* --- Report -------------------------------------------------------------- */

static json_t *summary_json(const k2e_convert_result *r, const k2e_model *model)
{
    json_t *files = json_array();
    for (size_t i = 0; i < model->count; i++)
        json_array_append_new(files, json_string(model->items[i].path));
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:o}",
                     "filesRead", (json_int_t)r->files_read,
                     "objectsRead", (json_int_t)r->objects_read,
                     "objectsConverted", (json_int_t)r->objects_converted,
                     "errors", (json_int_t)k2e_diags_count(&r->diags, K2E_SEV_ERROR),
                     "warnings", (json_int_t)k2e_diags_count(&r->diags, K2E_SEV_WARNING),
                     "infos", (json_int_t)k2e_diags_count(&r->diags, K2E_SEV_INFO),
                     "outputs", files);
}

static void add_report(k2e_convert_result *r, k2e_model *model,
                       const k2e_convert_options *options, const k2e_input_set *inputs)
{
    json_t *list = json_array();
    for (size_t i = 0; i < r->diags.count; i++)
        json_array_append_new(list, k2e_diag_to_json(&r->diags.items[i]));
    json_t *summary = summary_json(r, model);
    json_t *strict = k2e_check_summary(options, r);
    if (strict)
        json_object_set_new(summary, "strict", strict);
    json_t *report = k2e_check_provenance(options, inputs->files, inputs->count);
    json_object_set_new(report, "diagnostics", list);
    json_object_set_new(report, "summary", summary);
    k2e_model_add(model, "report.json", report, K2E_DOC_REPORT, NULL);
    k2e_model_sort(model);
}

/* --- Pipeline ------------------------------------------------------------ */

/* Under --strict the gate decides which findings fail the run (check.h);
 * plan-batch exits 0 once a plan is made (the plan lists what did not
 * convert). */
static int exit_status(const k2e_convert_options *options, const k2e_convert_result *r,
                       bool mapping_ok)
{
    if (options->plan_batch)
        return mapping_ok ? K2E_EXIT_OK : K2E_EXIT_INPUT;
    if (k2e_diags_count(&r->diags, K2E_SEV_ERROR))
        return K2E_EXIT_INPUT;
    if (options->strict && r->failures)
        return K2E_EXIT_DIFFERENCES;
    return K2E_EXIT_OK;
}

/* The map stage proper: every object into the model, then what nobody
 * used.  False when an internal step could not even start. */
static bool map_all(const k2e_convert_options *options, const k2e_index *index,
                    const k2e_mapping *mapping, size_t files, k2e_model *model,
                    k2e_convert_result *r)
{
    k2e_map_ctx ctx = {.index = index, .mapping = mapping, .diags = &r->diags,
                       .model = model, .formats = options->formats,
                       .zoneinfo_dir = options->zoneinfo_dir,
                       .schedules_disabled = options->schedules_disabled};
    ctx.referenced = k2e_calloc(index->count + 1, sizeof *ctx.referenced);
    if (!ctx.referenced)
        return false;
    map_objects(&ctx, options, files, &r->objects_converted);
    k2e_mapping_report_placeholders(mapping, ctx.placeholder_used, &r->diags);
    if (ctx.log_group_created)
        report_create_group(mapping, &r->diags);
    free(ctx.referenced);
    return !ctx.failed;
}

/* A run that failed inside (out of memory, a bug) says so once and writes
 * nothing: its output could be silently incomplete. */
static int internal_failure(k2e_convert_result *r)
{
    k2e_diag_add(&r->diags, K2E_E_INTERNAL, (k2e_where){"", 0, 0, ""},
                 "nothing was written; if memory was short, retry with more, else please "
                 "report this with the input",
                 "internal error: out of memory or a bug in kube2ecs");
    k2e_outputs_release(&r->outputs);
    return K2E_EXIT_INTERNAL;
}

/* The documents lose their source objects, which the caller's model
 * outlives (nothing after the pipeline needs them). */
static void detach_sources(k2e_model *model)
{
    for (size_t i = 0; model && i < model->count; i++)
        model->items[i].source = NULL;
}

/* The whole pipeline; with `keep` the model is handed to the caller before
 * emit (no text, no report.json, nothing written), else it is emitted. */
static int run(const k2e_convert_options *options, const char *const *paths, size_t count,
               k2e_convert_result *r, k2e_model *keep)
{
    k2e_count_json_allocations();
    unsigned long failures = k2e_oom_count();
    const char *ns = options->default_namespace ? options->default_namespace : "default";
    k2e_mapping mapping;
    bool mapping_ok = k2e_mapping_load(&mapping, options->mapping_path, &r->diags);
    k2e_gate gate;
    k2e_gate_init(&gate);
    if (options->strict)
        k2e_check_setup(options, mapping_ok ? &mapping : NULL, &gate, &r->diags);
    k2e_index index;
    k2e_index_init(&index, ns);
    k2e_input_set set = {0};
    k2e_model model;
    k2e_model_init(&model);
    bool ok = read_inputs(options, paths, count, &set, &index, &r->diags);
    r->files_read = set.count;
    r->files_skipped = set.skipped;
    r->objects_read = index.count;
    if (ok && mapping_ok)
        ok = map_all(options, &index, &mapping, set.count, &model, r);
    if (ok) {
        report_clashes(&model, &r->diags);
        k2e_diags_sort(&r->diags);
        if (options->strict)
            ok = k2e_check_apply(&gate, r);
        if (ok && !keep)
            add_report(r, &model, options, &set);
    }
    /* Nothing reads the input trees from here on (diagnostics own copies of
     * their strings): release them before the text is made, so that a large
     * run never holds its trees, its values and its text at once. */
    bool any_object = index.count > 0;
    k2e_inputs_release(&set);
    k2e_index_release(&index);
    if (ok && !keep)
        ok = k2e_emit_model(&model, &r->outputs, &r->diags);
    int status = ok && k2e_oom_count() == failures ? exit_status(options, r, mapping_ok)
                                                   : internal_failure(r);
    /* No object at all (empty stdin, only kustomize sources): OUTDIR stays. */
    bool write = !keep && options->outdir && mapping_ok && any_object && !options->plan_batch &&
                 (status == K2E_EXIT_OK || status == K2E_EXIT_DIFFERENCES ||
                  (status == K2E_EXIT_INPUT && options->keep_going));
    if (write) {
        r->written = k2e_outputs_write(&r->outputs, options->outdir, &r->diags);
        if (!r->written)
            status = k2e_oom_count() == failures ? k2e_outputs_write_status(&r->diags)
                                                 : K2E_EXIT_INTERNAL;
    }
    if (keep && mapping_ok && status != K2E_EXIT_INTERNAL) {
        detach_sources(&model);
        *keep = model;
        k2e_model_init(&model);
    }
    k2e_gate_release(&gate);
    k2e_model_release(&model);
    k2e_mapping_release(&mapping);
    return status;
}

int k2e_convert(const k2e_convert_options *options, const char *const *paths, size_t count,
                k2e_convert_result *r)
{
    return run(options, paths, count, r, NULL);
}

int k2e_convert_model(const k2e_convert_options *options, const char *const *paths,
                      size_t count, k2e_convert_result *r, k2e_model *model)
{
    k2e_model_init(model);
    return run(options, paths, count, r, model);
}
