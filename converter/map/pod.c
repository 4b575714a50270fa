/* Pod-level settings -> task definition, and the pod settings every
 * container inherits (stop timeout, registry credentials, container
 * defaults from the mapping table).
 *
 * Most pod fields have no meaning on Fargate; they are rows in two tables
 * (scheduling and other pod features), each with the hint a user needs, so
 * adding one is one row.  A field whose value is Kubernetes' own default
 * expresses no intent and is consumed quietly (kubectl exports write them
 * all out).
 */
#include "map/pod.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "map/ecs_limits.h"
#include "map/field_rules.h"
#include "map/restart.h"

/* Pod fields with no meaning on Fargate: the scheduling table, then the
 * other pod features.  `quiet` is the value that expresses no intent
 * (Kubernetes' own default). */
#define NOT_CONVERTED "no ECS equivalent; not converted"

static const k2e_field_rule scheduling_rules[] = {
    {NULL, "affinity", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate places tasks itself; spread across AZs by giving the service subnets in "
     "several zones"},
    {NULL, "tolerations", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate has no nodes or taints"},
    {NULL, "topologySpreadConstraints", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "ECS spreads Fargate tasks across the service's subnets (AZs) on its own"},
    {NULL, "priorityClassName", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate has no pod priority or preemption"},
    {NULL, "priority", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate has no pod priority or preemption"},
    {NULL, "preemptionPolicy", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate has no pod priority or preemption"},
    {NULL, "schedulerName", "default-scheduler", NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "ECS schedules Fargate tasks itself"},
    {NULL, "nodeName", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate has no nodes"},
    {NULL, "runtimeClassName", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate runs one runtime (Firecracker microVM per task)"},
    {NULL, "schedulingGates", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "ECS starts a task as soon as it is run"},
    {NULL, "overhead", NULL, NULL, K2E_W_SCHEDULING, NOT_CONVERTED, NULL,
     "Fargate's own overhead is not part of the task size"},
    {NULL, NULL, NULL, NULL, K2E_W_SCHEDULING, NULL, NULL, NULL},
};

static const k2e_field_rule feature_rules[] = {
    {NULL, "dnsPolicy", "ClusterFirst", NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS tasks use the VPC resolver; use Service Connect or Cloud Map names for services"},
    {NULL, "dnsConfig", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "Fargate does not support dnsServers/dnsSearchDomains; use Route 53 private zones or "
     "Service Connect"},
    {NULL, "hostAliases", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "Fargate does not support extraHosts; use a Route 53 private zone"},
    {NULL, "hostname", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "Fargate does not support setting the hostname"},
    {NULL, "subdomain", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "use Cloud Map / Service Connect for stable names"},
    {NULL, "setHostnameAsFQDN", "false", NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "Fargate does not support setting the hostname"},
    {NULL, "enableServiceLinks", "false", NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS does not inject <SERVICE>_SERVICE_HOST variables; set the addresses as env values"},
    {NULL, "activeDeadlineSeconds", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS does not stop a task after a deadline; enforce it in the job (timeout command)"},
    {NULL, "ephemeralContainers", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "use ECS Exec (enableExecuteCommand) to debug tasks"},
    {NULL, "hostUsers", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "Fargate does not expose user namespaces"},
    {NULL, "resourceClaims", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "Fargate has no dynamic resource allocation"},
    {NULL, "readinessGates", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS has no readiness gates; use the load balancer health check"},
    {NULL, "resources", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "pod-level resources are not read yet: set container resources"},
    {NULL, NULL, NULL, NULL, K2E_W_POD_FEATURE, NULL, NULL, NULL},
};

/* --- runtimePlatform ------------------------------------------------------ */

static const char *architecture(const char *arch)
{
    if (strcmp(arch, "amd64") == 0) return "X86_64";
    if (strcmp(arch, "arm64") == 0) return "ARM64";
    return NULL;
}

static void set_platform(json_t *td, const char *key, const char *value)
{
    json_t *platform = json_object_get(td, "runtimePlatform");
    if (!platform) {
        platform = json_object();
        json_object_set_new(td, "runtimePlatform", platform);
    }
    json_object_set_new(platform, key, json_string(value));
}

static void platform_value(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *node,
                           bool is_arch, json_t *td)
{
    const char *value = k2e_is_scalar(node) ? node->value : "";
    k2e_consume(node);
    if (is_arch && architecture(value)) {
        set_platform(td, "cpuArchitecture", architecture(value));
        return;
    }
    if (!is_arch && strcmp(value, "linux") == 0) {
        set_platform(td, "operatingSystemFamily", "LINUX");
        return;
    }
    k2e_diag_at(ctx->diags, K2E_W_SCHEDULING, node, object->root,
                is_arch ? "Fargate offers X86_64 (amd64) and ARM64 (arm64)"
                        : "Windows on Fargate needs a WINDOWS_SERVER_* family: set "
                          "runtimePlatform with a mapping patch",
                "%s '%s' not converted", is_arch ? "architecture" : "operating system", value);
}

static void map_node_selector(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                              json_t *td)
{
    k2e_node *selector = k2e_take(spec, "nodeSelector");
    for (size_t i = 0; selector && selector->kind == K2E_NODE_MAPPING && i < selector->count;
         i++) {
        const char *key = selector->keys[i]->value;
        k2e_node *value = selector->items[i];
        if (strcmp(key, "kubernetes.io/arch") == 0 || strcmp(key, "beta.kubernetes.io/arch") == 0)
            platform_value(ctx, object, value, true, td);
        else if (strcmp(key, "kubernetes.io/os") == 0 ||
                 strcmp(key, "beta.kubernetes.io/os") == 0)
            platform_value(ctx, object, value, false, td);
        else {
            k2e_consume(value);
            k2e_diag_at(ctx->diags, K2E_W_SCHEDULING, value, object->root,
                        "Fargate has no node labels; pick capacity with the service's "
                        "capacity provider strategy or subnets",
                        "node selector %s has no meaning on Fargate", key);
        }
    }
    k2e_node *os = k2e_take(spec, "os");
    if (os)
        platform_value(ctx, object, k2e_take(os, "name"), false, td);
}

/* --- task role --------------------------------------------------------------- */

static bool role_arn_like(const char *arn)
{
    const char *iam = strstr(arn, ":iam::");
    if (!k2e_str_has_prefix(arn, "arn:aws") || !iam)
        return false;
    const char *account = iam + strlen(":iam::");
    return strspn(account, "0123456789") == 12 && k2e_str_has_prefix(account + 12, ":role/");
}

static const char *irsa_role(k2e_map_ctx *ctx, const k2e_object *object, const char *account)
{
    const k2e_object *sa = k2e_map_reference(ctx, "", "ServiceAccount", object->namespace_,
                                             account);
    k2e_node *annotations = sa ? k2e_get(k2e_get(sa->root, "metadata"), "annotations") : NULL;
    k2e_node *role = k2e_get(annotations, "eks.amazonaws.com/role-arn");
    if (!k2e_is_scalar(role))
        return NULL;
    if (role_arn_like(role->value))
        return role->value;
    k2e_diag_at(ctx->diags, K2E_W_NO_TASK_ROLE, role, sa->root,
                "render the template first, or map the service account under `taskRoles`",
                "'%s' is not an IAM role ARN: no task role for %s %s", role->value,
                object->kind, object->name);
    return "";
}

static void map_task_role(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                          json_t *td)
{
    k2e_node *node = k2e_take(spec, "serviceAccountName");
    k2e_node *legacy = k2e_take(spec, "serviceAccount");
    node = node ? node : legacy;
    if (!k2e_is_scalar(node) || k2e_is_null(node))
        return;
    const char *account = node->value;
    const k2e_task_role *mapped = k2e_mapping_task_role(ctx->mapping, account,
                                                        object->namespace_,
                                                        ctx->index->default_namespace);
    if (mapped) {
        json_object_set_new(td, "taskRoleArn", json_string(mapped->role_arn));
        return;
    }
    const char *irsa = irsa_role(ctx, object, account);
    if (irsa && !*irsa)
        return;
    if (irsa) {
        json_object_set_new(td, "taskRoleArn", json_string(irsa));
        k2e_diag_at(ctx->diags, K2E_W_IRSA_TRUST, node, object->root,
                    "add ecs-tasks.amazonaws.com as a trusted principal (sts:AssumeRole) to the "
                    "role's trust policy, or map the service account to another role under "
                    "`taskRoles`",
                    "task role %s comes from the IRSA annotation of ServiceAccount %s: its trust "
                    "policy trusts the EKS OIDC provider, not ECS tasks", irsa, account);
        return;
    }
    if (strcmp(account, "default") == 0)
        return;
    k2e_diag_at(ctx->diags, K2E_W_NO_TASK_ROLE, node, object->root,
                "add {serviceAccount: <name>, roleArn: ...} under `taskRoles` in the mapping "
                "table, or include the ServiceAccount with its eks.amazonaws.com/role-arn "
                "annotation",
                "service account %s has no IAM role: the task runs without a task role",
                account);
}

/* --- per container ------------------------------------------------------- */

static bool ecr_image(const char *image)
{
    return strstr(image, ".dkr.ecr.") && strstr(image, ".amazonaws.com");
}

static void map_pull_secrets(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                             json_t *definitions)
{
    k2e_node *secrets = k2e_take(spec, "imagePullSecrets");
    if (!secrets || secrets->kind != K2E_NODE_SEQUENCE || secrets->count == 0)
        return;
    k2e_consume_all(secrets);
    const char *name = k2e_is_scalar(k2e_get(secrets->items[0], "name"))
                           ? k2e_get(secrets->items[0], "name")->value : "";
    const k2e_pull_secret *entry = k2e_mapping_pull_secret(ctx->mapping, name);
    size_t index;
    json_t *c;
    bool private_images = false;
    json_array_foreach(definitions, index, c) {
        const char *image = json_string_value(json_object_get(c, "image"));
        if (!image || ecr_image(image))
            continue;
        private_images = true;
        if (entry)
            json_object_set_new(c, "repositoryCredentials",
                                json_pack("{s:s}", "credentialsParameter",
                                          entry->credentials_parameter));
    }
    if (!private_images) {
        k2e_diag_at(ctx->diags, K2E_I_PULL_SECRET_ECR, secrets, object->root,
                    "ECR pulls are authorised by the task execution role",
                    "imagePullSecrets not needed: every image is in ECR");
    } else if (!entry) {
        k2e_diag_at(ctx->diags, K2E_W_PULL_SECRET, secrets, object->root,
                    "store the registry credentials in Secrets Manager and add {name, "
                    "credentialsParameter} under `imagePullSecrets` in the mapping table",
                    "image pull secret '%s' has no mapping entry: private images will fail "
                    "to pull", name);
    }
}

static void map_stop_timeout(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                             json_t *definitions)
{
    k2e_node *node = k2e_take(spec, "terminationGracePeriodSeconds");
    int64_t seconds;
    if (!node || !k2e_as_int(node, object->root, &seconds, ctx->diags))
        return;
    int64_t stop = seconds < K2E_STOP_TIMEOUT_MIN   ? K2E_STOP_TIMEOUT_MIN
                   : seconds > K2E_STOP_TIMEOUT_MAX ? K2E_STOP_TIMEOUT_MAX
                                                    : seconds;
    if (stop != seconds)
        k2e_diag_at(ctx->diags, K2E_W_CLAMPED, node, object->root,
                    "Fargate waits at most 120 s between SIGTERM and SIGKILL; make shutdown "
                    "faster, or run on ECS with EC2",
                    "terminationGracePeriodSeconds %lld became stopTimeout %lld",
                    (long long)seconds, (long long)stop);
    size_t index;
    json_t *c;
    json_array_foreach(definitions, index, c)
        json_object_set_new(c, "stopTimeout", json_integer(stop));
}

static void apply_container_defaults(k2e_map_ctx *ctx, json_t *definitions)
{
    const k2e_mapping *m = ctx->mapping;
    size_t index;
    json_t *c;
    json_array_foreach(definitions, index, c) {
        if (m->init_process_enabled) {
            json_t *linux_parameters = json_object_get(c, "linuxParameters");
            if (!linux_parameters) {
                linux_parameters = json_object();
                json_object_set_new(c, "linuxParameters", linux_parameters);
            }
            json_object_set_new(linux_parameters, "initProcessEnabled", json_true());
        }
        if (m->ulimit_count == 0)
            continue;
        json_t *ulimits = json_array();
        for (size_t i = 0; i < m->ulimit_count; i++)
            json_array_append_new(ulimits, json_pack("{s:s, s:I, s:I}", "name", m->ulimits[i].name,
                                                     "softLimit", (json_int_t)m->ulimits[i].soft_limit,
                                                     "hardLimit", (json_int_t)m->ulimits[i].hard_limit));
        json_object_set_new(c, "ulimits", ulimits);
    }
}

void k2e_pod_apply(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec, json_t *td)
{
    json_t *definitions = json_object_get(td, "containerDefinitions");
    map_task_role(ctx, object, spec, td);
    map_node_selector(ctx, object, spec, td);
    map_pull_secrets(ctx, object, spec, definitions);
    map_stop_timeout(ctx, object, spec, definitions);
    apply_container_defaults(ctx, definitions);
    k2e_field_rules_apply(ctx->diags, object->root, spec, NULL, object->kind, scheduling_rules,
                          K2E_RULES_PLAIN);
    k2e_field_rules_apply(ctx->diags, object->root, spec, NULL, object->kind, feature_rules,
                          K2E_RULES_PLAIN);
    k2e_restart_pod(ctx, object, spec);
    k2e_node *token = k2e_take(spec, "automountServiceAccountToken");
    if (token && !(k2e_is_scalar(token) && strcmp(token->value, "false") == 0))
        k2e_diag_at(ctx->diags, K2E_W_POD_FEATURE, token, object->root,
                    "ECS tasks get AWS credentials from the task role, not a Kubernetes token",
                    "automountServiceAccountToken has no ECS equivalent");
}

/* Container fields whose Kubernetes defaults mean nothing for ECS. */
static const k2e_field_rule container_rules[] = {
    /* Always is also the default for :latest, and what Fargate does. */
    {NULL, "imagePullPolicy", "IfNotPresent|Always", NULL, K2E_W_POD_FEATURE, NOT_CONVERTED,
     NULL, "Fargate pulls the image when each task starts"},
    {NULL, "terminationMessagePath", "/dev/termination-log", NULL, K2E_W_POD_FEATURE,
     NOT_CONVERTED, NULL,
     "ECS keeps a stopped task's exit code and reason; log the message instead"},
    {NULL, "terminationMessagePolicy", "File", NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS keeps a stopped task's exit code and reason; log the message instead"},
    {NULL, "lifecycle", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS has no lifecycle hooks: run postStart work in the entry point and handle SIGTERM "
     "(sent stopTimeout seconds before SIGKILL) for preStop"},
    {NULL, "resizePolicy", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS tasks are resized by deploying a new task definition"},
    {NULL, "volumeDevices", NULL, NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "Fargate has no block devices"},
    {NULL, "stdinOnce", "false", NULL, K2E_W_POD_FEATURE, NOT_CONVERTED, NULL,
     "ECS keeps stdin open for the container's life (interactive)"},
    {NULL, NULL, NULL, NULL, K2E_W_POD_FEATURE, NULL, NULL, NULL},
};

void k2e_pod_container_fields(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *container)
{
    k2e_field_rules_apply(ctx->diags, object->root, container, NULL, object->kind,
                          container_rules, K2E_RULES_PLAIN);
}
