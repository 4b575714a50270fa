/* Shared by the service modules (service.c, service_net.c, autoscaling.c,
 * deploy_formats.c); not public API.
 *
 * A k2e_svc_run lives for one k2e_services_map call: the Ingress routes
 * found first, and which objects already had their own fields reported (a
 * Service selecting two workloads is read twice but reported once).  A
 * k2e_svc is one ECS service being built.  Nothing here owns nodes: they
 * belong to the input files, which outlive the map stage.
 */
#ifndef K2E_SERVICE_INTERNAL_H
#define K2E_SERVICE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "base/hash.h"
#include "map/field_rules.h"
#include "map/map_context.h"
#include "services/rollout.h"
#include "map/workload.h"

/* One Ingress backend: host/path -> Service port. */
typedef struct {
    const k2e_object *ingress;
    k2e_node *backend;          /* where diagnostics point */
    const char *service;
    const char *port_name;      /* NULL when the port is given by number */
    int64_t port_number;        /* -1 when given by name */
    k2e_node *annotations;      /* the Ingress's (health check overrides) */
} k2e_route;

typedef struct {
    k2e_map_ctx *map;
    const k2e_workloads *workloads;
    k2e_route *routes;
    size_t route_count, route_capacity;
    bool *seen;                 /* per index item: its own fields already reported */
    bool connect_clients;       /* Service Connect in use: every service joins as client */
    k2e_multimap hpas;          /* (namespace, kind, name) a HPA scales -> its index positions */
    k2e_multimap services_of;   /* workload position -> the Services selecting it (index
                                 * positions, canonical order) */
    const k2e_workload **backing; /* per index item: the first workload a Service selects */
    k2e_multimap budgets_of;    /* workload position -> the PodDisruptionBudgets selecting it */
    k2e_buf key;                /* scratch for composite keys */
} k2e_svc_run;

typedef struct {
    k2e_svc_run *run;
    const k2e_workload *workload;
    const k2e_object *object;
    k2e_node *root;
    k2e_node *labels;           /* the pod template's labels */
    const char *name;           /* serviceName: the task family */
    int64_t desired;
    const k2e_object *hpa;      /* the HorizontalPodAutoscaler scaling it, or NULL */
    k2e_rollout rollout;
    json_t *load_balancers;     /* arrays filled by service_net.c */
    json_t *registries;
    json_t *connect_services;
    int64_t grace_period;       /* -1: none */
} k2e_svc;

/* --- service.c ------------------------------------------------------------ */

bool k2e_svc_is_service_kind(const char *kind);
void k2e_svc_mark(k2e_svc_run *run, const k2e_object *object);
/* True the first time it is asked for an object (report its fields then). */
bool k2e_svc_first_visit(k2e_svc_run *run, const k2e_object *object);
/* Reads an integer without reporting (other modules report these nodes). */
bool k2e_svc_peek_int(const k2e_node *node, int64_t *out);
/* The mapping's cluster name (the part after "cluster/" of an ARN). */
const char *k2e_svc_cluster_name(k2e_map_ctx *ctx);

/* --- service_net.c: Services, load balancers, discovery ------------------- */

/* Does a Service's `selector` (a plain map) select these labels? */
bool k2e_selector_matches(const k2e_node *selector, const k2e_node *labels);
/* A LabelSelector (matchLabels + matchExpressions), as in PDBs; an empty
 * selector matches every pod when `empty_matches_all` (policy/v1) and none
 * otherwise (policy/v1beta1). */
bool k2e_label_selector_matches(const k2e_node *selector, const k2e_node *labels,
                                bool empty_matches_all);
/* Relates every Service and PodDisruptionBudget to the service workloads it
 * selects, once per run: a label index over the workloads' pod labels gives
 * each selector's candidates, which the selector then checks (no Service x
 * workload scan). */
bool k2e_svc_index_services(k2e_svc_run *run);
/* Is some Service in the input selecting one of the service workloads? */
bool k2e_svc_any_service(k2e_svc_run *run);
void k2e_svc_attach_services(k2e_svc *svc);
/* The first service workload (family order) a Service selects, or NULL. */
const k2e_workload *k2e_svc_backing_workload(k2e_svc_run *run, const k2e_object *service);
/* A Service's port by name (when `name` is set) or by number. */
k2e_node *k2e_svc_service_port(const k2e_object *service, const char *name, int64_t number);
/* "80 (http)", "http" or "80" into buf. */
const char *k2e_svc_port_label(char *buf, size_t size, int64_t number, const char *name);
/* The mapping's target group for a Service port (number -1: by name only). */
const k2e_target_group *k2e_svc_target_group(k2e_svc_run *run, const k2e_object *service,
                                             int64_t number, const char *name);
k2e_node *k2e_svc_annotations_of(const k2e_object *object);
/* A scalar's text, or `fallback` for NULL, null or a collection. */
const char *k2e_svc_scalar_or(const k2e_node *node, const char *fallback);

/* --- ingress.c ---------------------------------------------------------------- */

#define K2E_ALB_PREFIX "alb.ingress.kubernetes.io/"
#define K2E_NLB_PREFIX "service.beta.kubernetes.io/aws-load-balancer-"

void k2e_svc_scan_ingresses(k2e_svc_run *run);
/* The first route to a Service port (by its number or name), or NULL. */
const k2e_route *k2e_svc_find_route(k2e_svc_run *run, const k2e_object *service,
                                    int64_t number, const char *name);
/* Consumes and reports an Ingress's or Service's load balancer annotations. */
void k2e_svc_lb_annotations(k2e_svc_run *run, const k2e_object *object, k2e_node *annotations);

/* --- target_group.c ------------------------------------------------------------ */

/* Where a Service port lands in the task definition. */
typedef struct {
    const char *container;
    int64_t port;
    const char *port_name;     /* the port mapping's name, NULL if it has none */
    const char *protocol;      /* the port mapping's: "tcp" or "udp" */
} k2e_svc_target;

/* Is this annotation suffix (after the ALB/NLB prefix) a health check key? */
bool k2e_svc_is_health_annotation(const char *suffix);
k2e_node *k2e_svc_find_container(const k2e_workload *w, const char *name);
/* K2E-I081 and target-groups/<svc>-<service>-<port>.json for one load
 * balancer entry; `route` (may be NULL) brings the Ingress's annotations. */
void k2e_svc_report_health(k2e_svc *svc, const k2e_object *service, k2e_node *port_node,
                           int64_t number, const k2e_svc_target *t, const char *arn,
                           const k2e_route *route);
/* healthCheckGracePeriodSeconds from the container's probes (the largest). */
void k2e_svc_set_grace_period(k2e_svc *svc, const char *container);

/* --- autoscaling.c ------------------------------------------------------ */

/* Indexes every HorizontalPodAutoscaler by the object it scales (once per
 * run, so that finding a workload's autoscaler is a lookup). */
void k2e_svc_index_hpas(k2e_svc_run *run);
const k2e_object *k2e_svc_find_hpa(k2e_svc_run *run, const k2e_object *object);
/* minReplicas of the autoscaler (1 when unset). */
int64_t k2e_svc_hpa_min(k2e_svc *svc);
void k2e_svc_autoscaling(k2e_svc *svc);

/* --- deploy_formats.c ---------------------------------------------------- */

/* ecspresso/<name>/{ecspresso.yml, ecs-task-def.json, ecs-service-def.json}. */
void k2e_svc_ecspresso(k2e_svc *svc, const json_t *service);

#endif
