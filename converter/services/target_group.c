/* Target group health checks and the service's health check grace period,
 * from the serving container's probes.
 *
 * What a target group checks is what the container's readiness probe
 * checks (httpGet, tcpSocket, grpc; an exec probe has no load balancer
 * equivalent), overridden by the AWS Load Balancer Controller's health
 * check annotations (the Ingress's, then the Service's, as the controller
 * does), clamped to the ELB ranges with each clamp named.  The result is
 * reported (K2E-I081) and written as the input of `aws elbv2
 * modify-target-group` to OUTDIR/target-groups/; nothing else about the
 * target group (its port, VPC, protocol version) is known, so nothing else
 * is written.  Probe values are only read here: container.c and probe.c
 * consume and report them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/ecs_limits.h"
#include "map/k8s_defaults.h"
#include "services/service_internal.h"
#include "base/util.h"

/* --- health check annotations ---------------------------------------------- */

typedef enum {
    HC_PROTOCOL, HC_PORT, HC_PATH, HC_INTERVAL, HC_TIMEOUT, HC_HEALTHY, HC_UNHEALTHY, HC_CODES,
    HC_FIELD_COUNT
} hc_field;

/* AWS Load Balancer Controller names: Ingress/ALB, then Service/NLB. */
static const struct {
    const char *alb, *nlb;
} hc_keys[HC_FIELD_COUNT] = {
    [HC_PROTOCOL] = {"healthcheck-protocol", "healthcheck-protocol"},
    [HC_PORT] = {"healthcheck-port", "healthcheck-port"},
    [HC_PATH] = {"healthcheck-path", "healthcheck-path"},
    [HC_INTERVAL] = {"healthcheck-interval-seconds", "healthcheck-interval"},
    [HC_TIMEOUT] = {"healthcheck-timeout-seconds", "healthcheck-timeout"},
    [HC_HEALTHY] = {"healthy-threshold-count", "healthcheck-healthy-threshold"},
    [HC_UNHEALTHY] = {"unhealthy-threshold-count", "healthcheck-unhealthy-threshold"},
    [HC_CODES] = {"success-codes", "healthcheck-success-codes"},
};

bool k2e_svc_is_health_annotation(const char *suffix)
{
    for (int f = 0; f < HC_FIELD_COUNT; f++) {
        if (strcmp(suffix, hc_keys[f].alb) == 0 || strcmp(suffix, hc_keys[f].nlb) == 0)
            return true;
    }
    return false;
}

static const char *hc_annotation(const k2e_node *annotations, hc_field f)
{
    for (size_t i = 0; annotations && annotations->kind == K2E_NODE_MAPPING &&
                       i < annotations->count; i++) {
        const char *key = annotations->keys[i]->value;
        bool alb = k2e_str_has_prefix(key, K2E_ALB_PREFIX) &&
                   strcmp(key + strlen(K2E_ALB_PREFIX), hc_keys[f].alb) == 0;
        bool nlb = k2e_str_has_prefix(key, K2E_NLB_PREFIX) &&
                   strcmp(key + strlen(K2E_NLB_PREFIX), hc_keys[f].nlb) == 0;
        if ((alb || nlb) && k2e_is_scalar(annotations->items[i]))
            return annotations->items[i]->value;
    }
    return NULL;
}

/* --- health checks ------------------------------------------------------------- */

typedef struct {
    const char *protocol;      /* HTTP | HTTPS | TCP; NULL: nothing known */
    char port[24];             /* "traffic-port" or a number */
    const char *path;
    int64_t interval, timeout, healthy, unhealthy;
    const char *http_codes, *grpc_codes;
    const char *source;
    char notes[256];
} hc_settings;

k2e_node *k2e_svc_find_container(const k2e_workload *w, const char *name)
{
    static const char *const lists[] = {"containers", "initContainers"};
    for (size_t l = 0; l < 2; l++) {
        k2e_node *list = k2e_get(w->pod_spec, lists[l]);
        for (size_t i = 0; list && list->kind == K2E_NODE_SEQUENCE && i < list->count; i++) {
            k2e_node *n = k2e_get(list->items[i], "name");
            if (k2e_is_scalar(n) && strcmp(n->value, name) == 0)
                return list->items[i];
        }
    }
    return NULL;
}

static int64_t probe_int(const k2e_node *probe, const char *key, int64_t fallback)
{
    int64_t v;
    return k2e_svc_peek_int(k2e_get(probe, key), &v) ? v : fallback;
}

/* A probe's port: a number, or the name of one of the container's ports. */
static int64_t probe_port(const k2e_node *container, const k2e_node *port)
{
    int64_t v;
    if (k2e_svc_peek_int(port, &v))
        return v;
    k2e_node *ports = k2e_get(container, "ports");
    for (size_t i = 0; k2e_is_scalar(port) && ports && ports->kind == K2E_NODE_SEQUENCE &&
                       i < ports->count; i++) {
        const k2e_node *n = k2e_get(ports->items[i], "name");
        if (k2e_is_scalar(n) && strcmp(n->value, port->value) == 0 &&
            k2e_svc_peek_int(k2e_get(ports->items[i], "containerPort"), &v))
            return v;
    }
    return -1;
}

static void set_port(hc_settings *hc, int64_t port, int64_t target)
{
    if (port < 0 || port == target)
        snprintf(hc->port, sizeof hc->port, "traffic-port");
    else
        snprintf(hc->port, sizeof hc->port, "%lld", (long long)port);
}

/* The probe the load balancer takes over: readiness, or, without one, the
 * liveness probe's httpGet/tcpSocket/grpc (which has no container health
 * check of its own, K2E-I040); on ECS a failing task is replaced either way. */
static const k2e_node *lb_probe(const k2e_node *container, const char **source)
{
    const k2e_node *probe = k2e_get(container, "readinessProbe");
    *source = "the readiness probe";
    if (probe && !k2e_is_null(probe))
        return probe;
    *source = "the liveness probe (no readiness probe)";
    const k2e_node *liveness = k2e_get(container, "livenessProbe");
    bool network = k2e_get(liveness, "httpGet") || k2e_get(liveness, "tcpSocket") ||
                   k2e_get(liveness, "grpc");
    return network ? liveness : NULL;
}

/* Kubernetes' probe defaults (map/k8s_defaults.h). */
static void from_probe(hc_settings *hc, const k2e_node *container, int64_t target)
{
    const char *source;
    const k2e_node *probe = lb_probe(container, &source);
    const k2e_node *http = k2e_get(probe, "httpGet"), *tcp = k2e_get(probe, "tcpSocket");
    const k2e_node *grpc = k2e_get(probe, "grpc");
    if (http) {
        const k2e_node *scheme = k2e_get(http, "scheme");
        hc->protocol = k2e_is_scalar(scheme) && strcmp(scheme->value, "HTTPS") == 0 ? "HTTPS"
                                                                                   : "HTTP";
        hc->path = k2e_svc_scalar_or(k2e_get(http, "path"), "/");
        hc->http_codes = "200-399";
        set_port(hc, probe_port(container, k2e_get(http, "port")), target);
    } else if (tcp) {
        hc->protocol = "TCP";
        set_port(hc, probe_port(container, k2e_get(tcp, "port")), target);
    } else if (grpc) {
        hc->protocol = "HTTP";
        hc->path = "/grpc.health.v1.Health/Check";
        hc->grpc_codes = "0";
        set_port(hc, probe_int(grpc, "port", -1), target);
    } else {
        return;
    }
    hc->interval = probe_int(probe, "periodSeconds", K2E_K8S_PROBE_PERIOD);
    hc->timeout = probe_int(probe, "timeoutSeconds", K2E_K8S_PROBE_TIMEOUT);
    hc->healthy = probe_int(probe, "successThreshold", K2E_K8S_PROBE_SUCCESS);
    hc->unhealthy = probe_int(probe, "failureThreshold", K2E_K8S_PROBE_FAILURE);
    hc->source = source;
}

static void override_int(int64_t *field, const char *text)
{
    char *end;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (text && *text && !*end)
        *field = v;
}

static bool apply_annotations(hc_settings *hc, const k2e_node *annotations)
{
    const char *v[HC_FIELD_COUNT];
    bool any = false;
    for (int f = 0; f < HC_FIELD_COUNT; f++) {
        v[f] = hc_annotation(annotations, (hc_field)f);
        any = any || v[f];
    }
    if (!any)
        return false;
    if (!hc->protocol) { /* the ELB defaults, as the controller uses them */
        *hc = (hc_settings){.protocol = "HTTP", .path = "/", .interval = 15, .timeout = 5,
                            .healthy = 2, .unhealthy = 2, .http_codes = "200"};
        snprintf(hc->port, sizeof hc->port, "traffic-port");
    }
    if (v[HC_PROTOCOL])
        hc->protocol = strcmp(v[HC_PROTOCOL], "HTTPS") == 0 ? "HTTPS"
                       : strcmp(v[HC_PROTOCOL], "TCP") == 0 ? "TCP" : "HTTP";
    if (v[HC_PORT])
        snprintf(hc->port, sizeof hc->port, "%s", v[HC_PORT]);
    hc->path = v[HC_PATH] ? v[HC_PATH] : hc->path;
    override_int(&hc->interval, v[HC_INTERVAL]);
    override_int(&hc->timeout, v[HC_TIMEOUT]);
    override_int(&hc->healthy, v[HC_HEALTHY]);
    override_int(&hc->unhealthy, v[HC_UNHEALTHY]);
    hc->http_codes = v[HC_CODES] ? v[HC_CODES] : hc->http_codes;
    return true;
}

static void clamp_field(hc_settings *hc, int64_t *v, int64_t lo, int64_t hi, const char *name)
{
    int64_t was = *v;
    *v = *v < lo ? lo : *v > hi ? hi : *v;
    if (*v == was)
        return;
    size_t n = strlen(hc->notes);
    snprintf(hc->notes + n, sizeof hc->notes - n, "; %s %lld instead of %lld (ELB range %lld-%lld)",
             name, (long long)*v, (long long)was, (long long)lo, (long long)hi);
}

/* ELB: interval 5-300, timeout 2-120 and below the interval, thresholds 2-10;
 * an HTTP(S) check always has a path and a matcher (the ELB defaults). */
static void clamp_settings(hc_settings *hc)
{
    if (strcmp(hc->protocol, "TCP") != 0) {
        hc->path = hc->path ? hc->path : "/";
        hc->http_codes = hc->http_codes || hc->grpc_codes ? hc->http_codes : "200";
    }
    clamp_field(hc, &hc->interval, 5, 300, "interval");
    int64_t timeout_max = hc->interval - 1 < K2E_ELB_TIMEOUT_MAX ? hc->interval - 1
                                                                  : K2E_ELB_TIMEOUT_MAX;
    clamp_field(hc, &hc->timeout, K2E_ELB_TIMEOUT_MIN, timeout_max, "timeout");
    clamp_field(hc, &hc->healthy, K2E_ELB_THRESHOLD_MIN, K2E_ELB_THRESHOLD_MAX,
                "healthy threshold");
    clamp_field(hc, &hc->unhealthy, K2E_ELB_THRESHOLD_MIN, K2E_ELB_THRESHOLD_MAX,
                "unhealthy threshold");
}

static json_t *modify_target_group(const char *arn, const hc_settings *hc)
{
    bool tcp = strcmp(hc->protocol, "TCP") == 0;
    json_t *j = json_pack("{s:s, s:s, s:s}", "TargetGroupArn", arn, "HealthCheckProtocol",
                          hc->protocol, "HealthCheckPort", hc->port);
    if (!tcp)
        json_object_set_new(j, "HealthCheckPath", json_string(hc->path));
    json_object_set_new(j, "HealthCheckEnabled", json_true());
    json_object_set_new(j, "HealthCheckIntervalSeconds", json_integer(hc->interval));
    json_object_set_new(j, "HealthCheckTimeoutSeconds", json_integer(hc->timeout));
    json_object_set_new(j, "HealthyThresholdCount", json_integer(hc->healthy));
    json_object_set_new(j, "UnhealthyThresholdCount", json_integer(hc->unhealthy));
    if (!tcp)
        json_object_set_new(j, "Matcher", hc->grpc_codes
                                              ? json_pack("{s:s}", "GrpcCode", hc->grpc_codes)
                                              : json_pack("{s:s}", "HttpCode", hc->http_codes));
    return j;
}

void k2e_svc_report_health(k2e_svc *svc, const k2e_object *service, k2e_node *port_node,
                           int64_t number, const k2e_svc_target *t, const char *arn,
                           const k2e_route *route)
{
    hc_settings hc = {0};
    k2e_node *container = k2e_svc_find_container(svc->workload, t->container);
    from_probe(&hc, container, t->port);
    if (route && hc.protocol && strcmp(hc.protocol, "TCP") == 0) {
        /* An Ingress means an ALB, whose health checks are HTTP(S) only. */
        hc.protocol = "HTTP";
        hc.path = "/";
        hc.http_codes = "200";
        snprintf(hc.notes, sizeof hc.notes, "; HTTP GET / instead of the TCP probe (an ALB "
                 "checks over HTTP)");
    }
    bool from_ingress = route && apply_annotations(&hc, route->annotations);
    bool from_service = apply_annotations(&hc, k2e_svc_annotations_of(service));
    if (from_ingress || from_service)
        hc.source = !hc.source ? "the load balancer annotations"
                    : strcmp(hc.source, "the readiness probe") == 0
                        ? "the readiness probe and the load balancer annotations"
                        : "the liveness probe (no readiness probe) and the load balancer "
                          "annotations";
    k2e_diags *diags = svc->run->map->diags;
    if (!hc.protocol) {
        k2e_diag_at(diags, K2E_I_TARGET_GROUP_HEALTH, port_node, service->root,
                    "give the container a readinessProbe (httpGet) or configure the target "
                    "group's health check to match the application",
                    "target group %s of ECS service %s: container %s has no readiness probe "
                    "(nor an httpGet, tcpSocket or grpc liveness probe); "
                    "the target group's own health check decides (HTTP GET / on the traffic "
                    "port by default)", arn, svc->name, t->container);
        return;
    }
    clamp_settings(&hc);
    /* The Service's name is the user's text: only the family alphabet
     * reaches a file name. */
    char *service_name = k2e_sanitize_family(service->name);
    char *file = service_name ? k2e_asprintf("target-groups/%s-%s-%lld.json", svc->name,
                                             service_name, (long long)number)
                              : NULL;
    free(service_name);
    k2e_diag_at(diags, K2E_I_TARGET_GROUP_HEALTH, port_node, service->root,
                "aws elbv2 modify-target-group --cli-input-json file://OUTDIR/<file> applies "
                "them; ALB health checks of gRPC need a target group with protocol version GRPC",
                "target group %s of ECS service %s (container %s port %lld): health check %s %s "
                "on port %s every %lld s, timeout %lld s, healthy after %lld, unhealthy after "
                "%lld, success codes %s, from %s%s; written to %s; on ECS a task that fails it "
                "is stopped and replaced, not only taken out of rotation", arn, svc->name,
                t->container, (long long)t->port, hc.protocol, hc.path ? hc.path : "(TCP)",
                hc.port, (long long)hc.interval, (long long)hc.timeout, (long long)hc.healthy,
                (long long)hc.unhealthy,
                hc.grpc_codes ? hc.grpc_codes : hc.http_codes ? hc.http_codes : "(TCP)",
                hc.source, hc.notes, file ? file : "");
    if (file)
        k2e_map_output(svc->run->map, K2E_DOC_TARGET_GROUP, service, modify_target_group(arn, &hc),
                       "%s", file);
    free(file);
}

/* --- health check grace period ------------------------------------------------- */

/* readiness initialDelaySeconds, or the startup probe's whole budget
 * (initialDelaySeconds + periodSeconds x failureThreshold); -1: no probe. */
static int64_t start_budget(const k2e_node *container, const k2e_node **at)
{
    const char *source;
    const k2e_node *readiness = lb_probe(container, &source);
    const k2e_node *startup = k2e_get(container, "startupProbe");
    int64_t budget = -1;
    if (readiness) {
        budget = probe_int(readiness, "initialDelaySeconds", K2E_K8S_PROBE_INITIAL_DELAY);
        *at = readiness;
    }
    if (startup) {
        int64_t s = probe_int(startup, "initialDelaySeconds", K2E_K8S_PROBE_INITIAL_DELAY) +
                    probe_int(startup, "periodSeconds", K2E_K8S_PROBE_PERIOD) *
                        probe_int(startup, "failureThreshold", K2E_K8S_PROBE_FAILURE);
        if (s > budget) {
            budget = s;
            *at = startup;
        }
    }
    return budget;
}

void k2e_svc_set_grace_period(k2e_svc *svc, const char *container_name)
{
    const k2e_node *at = NULL;
    int64_t budget = start_budget(k2e_svc_find_container(svc->workload, container_name), &at);
    if (budget <= 0 || budget <= svc->grace_period)
        return;
    svc->grace_period = budget;
    k2e_diag_at(svc->run->map->diags, K2E_I_SERVICE, at, svc->root,
                "ECS ignores failing load balancer health checks of a new task for this long",
                "healthCheckGracePeriodSeconds %lld of ECS service %s from container %s's %s",
                (long long)budget, svc->name, container_name,
                strcmp(at->key, "startupProbe") == 0
                    ? "startup probe budget (initialDelaySeconds + periodSeconds x "
                      "failureThreshold)"
                    : strcmp(at->key, "livenessProbe") == 0
                          ? "liveness probe initialDelaySeconds (it is the load balancer's "
                            "health check: no readiness probe)"
                          : "readiness probe initialDelaySeconds");
}

