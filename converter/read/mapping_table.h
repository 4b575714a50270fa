/* The mapping table: what Kubernetes cannot know (account, region, roles,
 * network, image registries, where Secrets live in AWS, log settings), read
 * from the user's YAML file merged over an embedded default.
 *
 * Every setting remembers the node it came from, so a placeholder warning or
 * a bad value can name the exact file:line; the user's file is read with the
 * same reader as manifests, and any key nobody consumed is an error, not a
 * silently ignored typo.
 */
#ifndef KUBE2ECS_MAPPING_TABLE_H
#define KUBE2ECS_MAPPING_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/hash.h"
#include "report/diags.h"
#include "kube2ecs/mapping.h"
#include "read/yaml_tree.h"

typedef enum {
    K2E_SIZING_MAX,
    K2E_SIZING_REQUESTS,
    K2E_SIZING_LIMITS,
} k2e_sizing_policy;

/* A text setting and where it was set (origin NULL only before loading). */
typedef struct {
    const char *value;
    const k2e_node *origin;
} k2e_setting;

typedef struct {
    const char **items;
    size_t count;
    const k2e_node *origin;
} k2e_string_list;

/* A boolean setting and where it was set. */
typedef struct {
    bool value;
    const k2e_node *origin;
    bool from_default;   /* the embedded default's value: the user never chose it */
} k2e_flag;

typedef struct {
    const char *from;
    const char *to;
} k2e_image_rewrite;

typedef struct {
    const char *name;
    const char *namespace_;          /* NULL: the default namespace */
    const char *secrets_manager_arn; /* exactly one of these two */
    const char *ssm_prefix;
    k2e_string_list keys;            /* optional: for envFrom expansion */
    const k2e_node *origin;
} k2e_secret_entry;

/* A PersistentVolumeClaim served by EFS. */
typedef struct {
    const char *claim;
    const char *namespace_;          /* NULL: the default namespace */
    const char *file_system_id;
    const char *root_directory;      /* optional */
    const char *access_point_id;     /* optional */
    const char *transit_encryption;  /* ENABLED | DISABLED, optional */
    const char *iam;                 /* ENABLED | DISABLED, optional */
    const k2e_node *origin;
} k2e_efs_volume;

/* serviceAccountName -> IAM task role. */
typedef struct {
    const char *service_account;
    const char *namespace_;
    const char *role_arn;
    const k2e_node *origin;
} k2e_task_role;

/* imagePullSecrets name -> Secrets Manager ARN of the registry credentials. */
typedef struct {
    const char *name;
    const char *credentials_parameter;
    const k2e_node *origin;
} k2e_pull_secret;

typedef struct {
    const char *name;       /* ECS ulimit name: nofile, nproc, ... */
    int64_t soft_limit;
    int64_t hard_limit;
} k2e_ulimit;

/* A JSON-pointer patch applied to the generated task definition of the
 * workloads it matches (NULL match fields match anything). */
typedef struct {
    const char *kind;
    const char *namespace_;
    const char *name;
    const char *path;        /* RFC 6901 pointer, e.g. /containerDefinitions/0/cpu */
    json_t *value;           /* owned */
    const k2e_node *origin;
} k2e_patch;

typedef enum {
    K2E_HTTP_PROBE_NONE,     /* feed the load balancer only (default) */
    K2E_HTTP_PROBE_CURL,     /* CMD-SHELL curl -f ... */
    K2E_HTTP_PROBE_WGET,     /* CMD-SHELL wget -q --spider ... */
} k2e_http_probe_mode;

/* CronJob schedules in zones with daylight saving time (schedule.c). */
typedef enum {
    K2E_DST_STANDARD,        /* one rule set for the zone's standard offset (default) */
    K2E_DST_SEASONAL,        /* rule sets per month: drift only around transitions */
} k2e_dst_policy;

/* Services (service.c): a Kubernetes Service port served by a load
 * balancer target group.  `port` is the Service port's number or name. */
typedef struct {
    const char *service;
    const char *namespace_;          /* NULL: the default namespace */
    const char *port;
    const char *arn;
    const k2e_node *origin;
} k2e_target_group;

/* A Kubernetes Service -> its Cloud Map service (serviceDiscovery.registries). */
typedef struct {
    const char *service;
    const char *namespace_;          /* NULL: the default namespace */
    const char *arn;
    const k2e_node *origin;
} k2e_registry;

/* Batch consolidation: the task family of the jobs that share an image
 * (batch.families).  `image` is a repository ("registry/acme/server-batch")
 * or a whole reference with its tag, as written after the image rewrites. */
typedef struct {
    const char *image;
    const char *family;
    const k2e_node *origin;
} k2e_batch_family;

typedef struct {
    const char *capacity_provider;   /* FARGATE | FARGATE_SPOT */
    int64_t weight;
    int64_t base;                    /* -1: not set */
} k2e_capacity_provider;

/* How ClusterIP Services become ECS service discovery. */
typedef enum {
    K2E_DISCOVERY_SERVICE_CONNECT,
    K2E_DISCOVERY_CLOUD_MAP,
    K2E_DISCOVERY_NONE,
} k2e_discovery_mode;

/* Keys whose embedded default is a placeholder. */
typedef enum {
    K2E_KEY_REGION,
    K2E_KEY_ACCOUNT_ID,
    K2E_KEY_CLUSTER,
    K2E_KEY_EXECUTION_ROLE,
    K2E_KEY_SUBNETS,
    K2E_KEY_SECURITY_GROUPS,
    K2E_KEY_PLACEHOLDER_COUNT
} k2e_placeholder_key;

typedef struct k2e_mapping {
    k2e_setting region;
    k2e_setting account_id;
    k2e_setting cluster;
    k2e_setting execution_role_arn;
    k2e_setting platform_version;
    k2e_string_list subnets;
    k2e_string_list security_groups;
    k2e_setting assign_public_ip;
    k2e_setting family;
    k2e_sizing_policy sizing;
    k2e_setting default_cpu;
    k2e_setting default_memory;
    k2e_image_rewrite *images;
    size_t image_count;
    k2e_secret_entry *secrets;
    size_t secret_count;
    k2e_setting default_ssm_prefix;
    k2e_setting log_driver;
    k2e_setting log_group;
    k2e_setting log_stream_prefix;
    k2e_flag log_create_group;
    k2e_efs_volume *efs_volumes;
    size_t efs_volume_count;
    k2e_task_role *task_roles;
    size_t task_role_count;
    k2e_pull_secret *pull_secrets;
    size_t pull_secret_count;
    k2e_patch *patches;
    size_t patch_count;
    k2e_http_probe_mode http_probes;
    bool sidecars_essential;
    bool init_process_enabled;
    bool container_restart_policies;   /* ECS restartPolicy for sidecars, OnFailure pods */
    k2e_ulimit *ulimits;
    size_t ulimit_count;
    /* Schedules and jobs (schedule.c): ecschedule.yaml and run-tasks/ */
    k2e_setting schedule_role;          /* EventBridge role name; unset: ecschedule's default */
    k2e_setting schedule_tracking_id;   /* unset: ecschedule uses the cluster */
    k2e_setting schedule_dead_letter;   /* SQS queue ARN (or name); unset: none */
    k2e_setting schedule_rule_name;     /* template: {name} {namespace} {kind} {family} */
    k2e_setting schedule_description;   /* template: the same plus {file} */
    k2e_dst_policy schedule_dst_policy;
    bool jobs_as_disabled_rules;        /* also a disabled ecschedule rule per Job */
    bool schedules_disabled;            /* schedules.state: disabled (the cut-over switch) */
    /* Batch consolidation (batch.c) */
    k2e_batch_family *batch_families;
    size_t batch_family_count;
    /* Services (service.c) */
    k2e_target_group *target_groups;
    size_t target_group_count;
    k2e_discovery_mode discovery;
    k2e_setting service_connect_namespace;   /* "" : the cluster's default namespace */
    k2e_registry *registries;
    size_t registry_count;
    k2e_capacity_provider *capacity_providers;  /* none: launchType FARGATE */
    size_t capacity_provider_count;
    bool circuit_breaker_enable;
    bool circuit_breaker_rollback;
    bool enable_execute_command;
    k2e_setting propagate_tags;              /* SERVICE | TASK_DEFINITION | NONE */
    /* The strict gate (convert/check.c): codes that never count and codes
     * that always count under --strict; checked to be known codes. */
    k2e_string_list strict_allow;
    k2e_string_list strict_deny;
    /* which settings still hold the embedded placeholder */
    bool placeholder[K2E_KEY_PLACEHOLDER_COUNT];
    /* lookups by (name, namespace), built when loading: a lookup per
     * workload must not scan a table of thousands of entries */
    k2e_table secret_index, efs_volume_index, task_role_index, pull_secret_index,
        target_group_index, registry_index;
    /* owned storage */
    k2e_file default_file;
    k2e_file user_file;
    bool has_user_file;
    void *allocations;
} k2e_mapping;

/* Loads the embedded default, then `path` (NULL: none) over it.  Unknown
 * keys and wrong types are K2E-E020 errors with file:line.  The mapping must
 * be released with k2e_mapping_release even when loading failed. */
bool k2e_mapping_load(k2e_mapping *mapping, const char *path, k2e_diags *diags);
void k2e_mapping_release(k2e_mapping *mapping);

/* The embedded default mapping file, verbatim. */


/* Name of a placeholder key as users write it ("network.subnets"). */
const char *k2e_placeholder_key_name(k2e_placeholder_key key);

/* Adds a K2E-W020 warning for each placeholder in `used` (indexed by
 * k2e_placeholder_key), located at the embedded default's line. */
void k2e_mapping_report_placeholders(const k2e_mapping *mapping,
                                     const bool used[K2E_KEY_PLACEHOLDER_COUNT],
                                     k2e_diags *diags);

/* Lookups: the first entry (in file order) for a name in a namespace, or
 * NULL; an entry without a namespace is in the default one.  Hash lookups,
 * whatever the number of entries. */

/* The entry for a Secret, or NULL. */
const k2e_secret_entry *k2e_mapping_secret(const k2e_mapping *mapping, const char *name,
                                           const char *namespace_,
                                           const char *default_namespace);

const k2e_efs_volume *k2e_mapping_efs_volume(const k2e_mapping *mapping, const char *claim,
                                             const char *namespace_,
                                             const char *default_namespace);
const k2e_task_role *k2e_mapping_task_role(const k2e_mapping *mapping,
                                           const char *service_account,
                                           const char *namespace_,
                                           const char *default_namespace);
const k2e_pull_secret *k2e_mapping_pull_secret(const k2e_mapping *mapping, const char *name);

/* The target group of a Service port, matched by the port's number or its
 * name (either may be NULL), or NULL. */
const k2e_target_group *k2e_mapping_target_group(const k2e_mapping *mapping,
                                                 const char *service, const char *namespace_,
                                                 const char *default_namespace,
                                                 const char *port_number,
                                                 const char *port_name);
const k2e_registry *k2e_mapping_registry(const k2e_mapping *mapping, const char *service,
                                         const char *namespace_,
                                         const char *default_namespace);

/* The image after the first matching prefix rewrite (caller frees). */
char *k2e_mapping_rewrite_image(const k2e_mapping *mapping, const char *image);

/* Expands {name}, {namespace}, {kind}, {family} in a template (caller frees);
 * a NULL value leaves its placeholder untouched. */
char *k2e_expand_template(const char *template_, const char *name,
                          const char *namespace_, const char *kind, const char *family);

#endif
