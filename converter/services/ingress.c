/* Ingresses -> the listener rules to configure, per backend, and the load
 * balancer annotations (AWS Load Balancer Controller) of Ingresses and
 * Services.
 *
 * Ingresses are read first, once, before any service is built: each
 * backend becomes a route (so the Service port it names needs a target
 * group: service_net.c asks k2e_svc_find_route) and a K2E-I082 naming the
 * listener rule with its target group from the mapping table.  Nothing
 * about the load balancer itself is invented or written: its own settings
 * (scheme, listeners, certificates...) are listed for the user to apply.
 * Health-check annotations are consumed here and applied by
 * target_group.c; `target-type: instance` cannot work with Fargate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/service_internal.h"
#include "base/util.h"

/* --- load balancer annotations ---------------------------------------------- */

static const char *lb_suffix(const char *key)
{
    if (k2e_str_has_prefix(key, K2E_ALB_PREFIX))
        return key + strlen(K2E_ALB_PREFIX);
    if (k2e_str_has_prefix(key, K2E_NLB_PREFIX))
        return key + strlen(K2E_NLB_PREFIX);
    return NULL;
}

/* Health check annotations are consumed (they feed the target group);
 * `target-type: instance` cannot work with Fargate; the other load balancer
 * annotations are listed once as settings of the load balancer itself. */
void k2e_svc_lb_annotations(k2e_svc_run *run, const k2e_object *object, k2e_node *annotations)
{
    k2e_buf listed;
    k2e_buf_init(&listed);
    for (size_t i = 0; annotations && annotations->kind == K2E_NODE_MAPPING &&
                       i < annotations->count; i++) {
        const char *key = annotations->keys[i]->value;
        k2e_node *value = annotations->items[i];
        const char *suffix = lb_suffix(key);
        if (strcmp(key, "kubernetes.io/ingress.class") == 0)
            k2e_consume(value);
        if (!suffix)
            continue;
        k2e_consume(value);
        if (k2e_svc_is_health_annotation(suffix))
            continue;
        if ((strcmp(suffix, "target-type") == 0 || strcmp(suffix, "nlb-target-type") == 0) &&
            k2e_is_scalar(value) && strcmp(value->value, "instance") == 0) {
            k2e_diag_at(run->map->diags, K2E_W_INGRESS, value, object->root,
                        "create the target groups with target type ip",
                        "target type instance: Fargate tasks are registered by IP address");
            continue;
        }
        k2e_buf_printf(&listed, "%s%s", listed.length ? ", " : "", key);
    }
    char *text = k2e_buf_detach(&listed);
    if (text && *text)
        k2e_diag_at(run->map->diags, K2E_I_INGRESS_ROUTE, annotations, object->root,
                    "kube2ecs writes no load balancer; set these on the ALB/NLB, its listeners "
                    "and target groups (Terraform, CloudFormation, console)",
                    "load balancer settings of %s %s to configure on the load balancer: %s",
                    object->kind, object->name, text);
    free(text);
}

/* --- Ingress ----------------------------------------------------------------- */

const k2e_route *k2e_svc_find_route(k2e_svc_run *run, const k2e_object *service, int64_t number,
                                    const char *name)
{
    for (size_t i = 0; i < run->route_count; i++) {
        const k2e_route *r = &run->routes[i];
        if (strcmp(r->ingress->namespace_, service->namespace_) != 0 ||
            strcmp(r->service, service->name) != 0)
            continue;
        if ((r->port_name && name && strcmp(r->port_name, name) == 0) ||
            (!r->port_name && r->port_number == number))
            return r;
    }
    return NULL;
}

typedef struct {
    const char *host;
    const char *path;
    const char *path_type;
} route_where;

static void report_route(k2e_svc_run *run, const k2e_route *r, route_where at)
{
    k2e_diags *diags = run->map->diags;
    const k2e_object *ing = r->ingress;
    char port[64];
    k2e_svc_port_label(port, sizeof port, r->port_number, r->port_name);
    const k2e_object *service = k2e_index_find(run->map->index, "", "Service", ing->namespace_,
                                               r->service);
    k2e_node *port_node =
        service ? k2e_svc_service_port(service, r->port_name, r->port_number) : NULL;
    const k2e_workload *w = service ? k2e_svc_backing_workload(run, service) : NULL;
    if (!service || !port_node || !w) {
        k2e_diag_at(diags, K2E_W_INGRESS, r->backend, ing->root,
                    "include the Service and the workload it selects in the input, or point "
                    "the listener rule at a target group of your own",
                    "Ingress %s: host %s path %s -> Service %s port %s: %s", ing->name, at.host,
                    at.path, r->service, port,
                    !service ? "the Service is not in the input"
                    : !port_node ? "the Service has no such port"
                                 : "the Service selects no workload converted to an ECS service");
        return;
    }
    int64_t number = -1;
    k2e_svc_peek_int(k2e_get(port_node, "port"), &number);
    const k2e_node *name = k2e_get(port_node, "name");
    const k2e_target_group *tg =
        k2e_svc_target_group(run, service, number, k2e_is_scalar(name) ? name->value : NULL);
    k2e_diag_at(diags, K2E_I_INGRESS_ROUTE, r->backend, ing->root,
                "kube2ecs writes no load balancer; create the listener rule on the ALB",
                "Ingress %s: listener rule host %s, path %s (%s) -> Service %s port %s -> ECS "
                "service %s: %s%s", ing->name, at.host, at.path, at.path_type, r->service, port,
                w->family, tg ? "forward to target group " : "needs a target group (add it "
                "under targetGroups in the mapping table)", tg ? tg->arn : "");
}

/* networking.k8s.io/v1 {service: {name, port: {number|name}}} or
 * v1beta1 {serviceName, servicePort}. */
static void add_backend(k2e_svc_run *run, const k2e_object *ingress, k2e_node *backend,
                        route_where at)
{
    if (!backend || backend->kind != K2E_NODE_MAPPING)
        return;
    k2e_consume(backend);
    k2e_node *service = k2e_take(backend, "service");
    k2e_node *name = service ? k2e_take(service, "name") : k2e_take(backend, "serviceName");
    k2e_node *port_box = k2e_take(service, "port");
    k2e_node *port = service ? NULL : k2e_take(backend, "servicePort");
    k2e_consume(service);
    k2e_consume(port_box);
    if (!port) {
        k2e_node *number = k2e_take(port_box, "number");
        port = number ? number : k2e_take(port_box, "name");
    }
    if (!k2e_is_scalar(name) || !k2e_is_scalar(port)) {
        k2e_node *resource = k2e_take(backend, "resource");
        k2e_consume_all(resource);
        k2e_diag_at(run->map->diags, K2E_W_INGRESS, backend, ingress->root,
                    "point the listener rule at a target group, a fixed response or a redirect "
                    "by hand",
                    "Ingress %s: host %s path %s has no Service backend", ingress->name, at.host,
                    at.path);
        return;
    }
    k2e_route r = {ingress, backend, name->value, NULL, -1, k2e_svc_annotations_of(ingress)};
    if (!k2e_svc_peek_int(port, &r.port_number))
        r.port_name = port->value;
    if (k2e_grow((void **)&run->routes, &run->route_capacity, run->route_count + 1,
                 sizeof *run->routes))
        run->routes[run->route_count++] = r;
    report_route(run, &r, at);
}

static void ingress_rules(k2e_svc_run *run, const k2e_object *ingress, k2e_node *rules)
{
    for (size_t i = 0; rules && rules->kind == K2E_NODE_SEQUENCE && i < rules->count; i++) {
        k2e_node *rule = rules->items[i];
        k2e_consume(rule);
        const char *host = k2e_svc_scalar_or(k2e_take(rule, "host"), "(any host)");
        k2e_node *http = k2e_take(rule, "http");
        k2e_node *paths = k2e_take(http, "paths");
        k2e_consume(http);
        k2e_consume(paths);
        for (size_t j = 0; paths && paths->kind == K2E_NODE_SEQUENCE && j < paths->count; j++) {
            k2e_node *p = paths->items[j];
            k2e_consume(p);
            route_where at = {host, k2e_svc_scalar_or(k2e_take(p, "path"), "/"),
                              k2e_svc_scalar_or(k2e_take(p, "pathType"), "ImplementationSpecific")};
            add_backend(run, ingress, k2e_take(p, "backend"), at);
        }
    }
}

static void ingress_tls(k2e_svc_run *run, const k2e_object *ingress, k2e_node *tls)
{
    for (size_t i = 0; tls && tls->kind == K2E_NODE_SEQUENCE && i < tls->count; i++) {
        k2e_node *entry = tls->items[i];
        k2e_consume_all(entry);
        k2e_node *hosts = k2e_get(entry, "hosts");
        const char *secret = k2e_svc_scalar_or(k2e_get(entry, "secretName"), "(none)");
        k2e_buf list;
        k2e_buf_init(&list);
        for (size_t j = 0; hosts && hosts->kind == K2E_NODE_SEQUENCE && j < hosts->count; j++)
            k2e_buf_printf(&list, "%s%s", j ? ", " : "", k2e_svc_scalar_or(hosts->items[j], "?"));
        char *text = k2e_buf_detach(&list);
        k2e_diag_at(run->map->diags, K2E_I_INGRESS_ROUTE, entry, ingress->root,
                    "request or import the certificate in ACM; the Secret's key is never copied",
                    "Ingress %s: TLS for %s needs an HTTPS listener with an ACM certificate "
                    "(Secret %s)", ingress->name, text && *text ? text : "(any host)", secret);
        free(text);
    }
}

static void scan_ingress(k2e_svc_run *run, const k2e_object *ingress)
{
    k2e_svc_mark(run, ingress);
    k2e_node *spec = k2e_take(ingress->root, "spec");
    k2e_svc_lb_annotations(run, ingress, k2e_svc_annotations_of(ingress));
    k2e_consume(k2e_take(spec, "ingressClassName"));
    ingress_tls(run, ingress, k2e_take(spec, "tls"));
    route_where fallback = {"(any host)", "(default)", "default backend"};
    k2e_node *backend = k2e_take(spec, "defaultBackend");
    add_backend(run, ingress, backend ? backend : k2e_take(spec, "backend"), fallback);
    k2e_node *rules = k2e_take(spec, "rules");
    k2e_consume(rules);
    ingress_rules(run, ingress, rules);
}

void k2e_svc_scan_ingresses(k2e_svc_run *run)
{
    const k2e_index *index = run->map->index;
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        if (!object->duplicate && strcmp(object->kind, "Ingress") == 0)
            scan_ingress(run, object);
    }
}

