/* Kubernetes Services and Ingresses -> an ECS service's loadBalancers,
 * Service Connect / Cloud Map settings and the target groups' health checks.
 *
 * A Service belongs to a workload when its selector matches the pod
 * template's labels in the same namespace (what the endpoints controller
 * does).  Each port is resolved to a container and port of the task
 * definition: a named targetPort by the port mapping's name, a number by its
 * containerPort; ECS needs that port mapping, so an unresolved port is
 * reported and left out.
 *
 * Load balancers.  A port is put behind a load balancer when the mapping
 * table names a target group for it, when the Service is of type
 * LoadBalancer or NodePort, or when an Ingress routes to it.  The target
 * group ARN only ever comes from the mapping table: without one the entry
 * is left out with K2E-W082 (an invented ARN would fail at deploy time, or
 * worse, attach to someone else's target group).  Its health check is what
 * the serving container's readiness probe checks, overridden by AWS Load
 * Balancer Controller annotations (Service over Ingress, as the controller
 * does), clamped to the ELB ranges; it is reported (K2E-I081) and, when the
 * ARN is known, written as an `aws elbv2 modify-target-group` input to
 * OUTDIR/target-groups/.
 *
 * Ingresses (ingress.c) are read before this runs; health checks and the
 * grace period are target_group.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/labels.h"
#include "services/port_book.h"
#include "services/service_internal.h"
#include "base/util.h"

/* --- selectors --------------------------------------------------------------- */

bool k2e_selector_matches(const k2e_node *selector, const k2e_node *labels)
{
    if (!selector || selector->kind != K2E_NODE_MAPPING || selector->count == 0 || !labels ||
        labels->kind != K2E_NODE_MAPPING)
        return false;
    for (size_t i = 0; i < selector->count; i++) {
        const k2e_node *want = selector->items[i];
        const k2e_node *have = k2e_get(labels, selector->keys[i]->value);
        if (!k2e_is_scalar(want) || !k2e_is_scalar(have) || strcmp(want->value, have->value))
            return false;
    }
    return true;
}

static bool in_values(const k2e_node *values, const char *value)
{
    for (size_t i = 0; values && values->kind == K2E_NODE_SEQUENCE && i < values->count; i++) {
        if (k2e_is_scalar(values->items[i]) && strcmp(values->items[i]->value, value) == 0)
            return true;
    }
    return false;
}

static bool expression_matches(const k2e_node *expression, const k2e_node *labels)
{
    const k2e_node *key = k2e_get(expression, "key"), *op = k2e_get(expression, "operator");
    if (!k2e_is_scalar(key) || !k2e_is_scalar(op))
        return false;
    const k2e_node *have = k2e_get(labels, key->value);
    const k2e_node *values = k2e_get(expression, "values");
    bool present = k2e_is_scalar(have);
    if (strcmp(op->value, "In") == 0)
        return present && in_values(values, have->value);
    if (strcmp(op->value, "NotIn") == 0)
        return !present || !in_values(values, have->value);
    if (strcmp(op->value, "Exists") == 0)
        return present;
    if (strcmp(op->value, "DoesNotExist") == 0)
        return !present;
    return false;
}

bool k2e_label_selector_matches(const k2e_node *selector, const k2e_node *labels,
                                bool empty_matches_all)
{
    if (!selector || selector->kind != K2E_NODE_MAPPING)
        return false;
    const k2e_node *match = k2e_get(selector, "matchLabels");
    const k2e_node *expressions = k2e_get(selector, "matchExpressions");
    bool any = false;
    if (match && match->kind == K2E_NODE_MAPPING && match->count) {
        if (!k2e_selector_matches(match, labels))
            return false;
        any = true;
    }
    for (size_t i = 0; expressions && expressions->kind == K2E_NODE_SEQUENCE &&
                       i < expressions->count; i++) {
        if (!expression_matches(expressions->items[i], labels))
            return false;
        any = true;
    }
    return any || empty_matches_all;
}

static const k2e_node *template_labels(const k2e_workload *w)
{
    return k2e_get(k2e_get(w->pod_spec->parent, "metadata"), "labels");
}

static bool service_selects(const k2e_object *service, const k2e_workload *w)
{
    const k2e_node *selector = k2e_get(k2e_get(service->root, "spec"), "selector");
    return strcmp(service->namespace_, w->object->namespace_) == 0 &&
           k2e_selector_matches(selector, template_labels(w));
}

static bool becomes_service(const k2e_workload *w)
{
    return w->written && k2e_svc_is_service_kind(w->object->kind);
}

/* One Service against its candidates (workloads in family order). */
static bool relate_service(k2e_svc_run *run, const k2e_label_index *labels,
                           const k2e_object *service)
{
    const k2e_index *index = run->map->index;
    size_t position = k2e_index_position(index, service), n = 0;
    const k2e_node *selector = k2e_get(k2e_get(service->root, "spec"), "selector");
    const size_t *ids = k2e_label_index_candidates(labels, service->namespace_, selector, &n);
    for (size_t i = 0; i < n; i++) {
        const k2e_workload *w = &run->workloads->items[ids[i]];
        if (!service_selects(service, w))
            continue;
        if (!run->backing[position])
            run->backing[position] = w;
        char key[32];
        int length = snprintf(key, sizeof key, "%zu", ids[i]);
        if (!k2e_multimap_add(&run->services_of, key, (size_t)length, position))
            return false;
    }
    return true;
}

/* A PodDisruptionBudget (LabelSelector: matchLabels narrows the candidates,
 * matchExpressions and the empty selector are checked on them). */
static bool relate_budget_selector(k2e_svc_run *run, const k2e_label_index *labels,
                                   const k2e_object *pdb)
{
    const k2e_node *selector = k2e_get(k2e_get(pdb->root, "spec"), "selector");
    bool empty_matches_all = strcmp(pdb->api_version, "policy/v1") == 0;
    size_t n = 0, position = k2e_index_position(run->map->index, pdb);
    const size_t *ids = k2e_label_index_candidates(labels, pdb->namespace_,
                                                   k2e_get(selector, "matchLabels"), &n);
    for (size_t i = 0; i < n; i++) {
        const k2e_workload *w = &run->workloads->items[ids[i]];
        if (strcmp(pdb->namespace_, w->object->namespace_) != 0 ||
            !k2e_label_selector_matches(selector, template_labels(w), empty_matches_all))
            continue;
        char key[32];
        int length = snprintf(key, sizeof key, "%zu", ids[i]);
        if (!k2e_multimap_add(&run->budgets_of, key, (size_t)length, position))
            return false;
    }
    return true;
}

bool k2e_svc_index_services(k2e_svc_run *run)
{
    const k2e_index *index = run->map->index;
    run->backing = k2e_calloc(index->count + 1, sizeof *run->backing);
    if (!run->backing)
        return false;
    k2e_label_index labels;
    k2e_label_index_init(&labels);
    bool ok = true;
    for (size_t i = 0; ok && i < run->workloads->count; i++) {
        const k2e_workload *w = &run->workloads->items[i];
        if (becomes_service(w))
            ok = k2e_label_index_add(&labels, w->object->namespace_, template_labels(w), i);
    }
    size_t n;
    const k2e_object *services = k2e_index_kind(index, "Service", NULL, &n);
    for (size_t i = 0; ok && i < n; i++) {
        if (!services[i].duplicate && strcmp(services[i].group, "") == 0)
            ok = relate_service(run, &labels, &services[i]);
    }
    const k2e_object *budgets = k2e_index_kind(index, "PodDisruptionBudget", NULL, &n);
    for (size_t i = 0; ok && i < n; i++) {
        if (!budgets[i].duplicate)
            ok = relate_budget_selector(run, &labels, &budgets[i]);
    }
    k2e_label_index_release(&labels);
    return ok;
}

/* The first workload (family order) that becomes an ECS service and that
 * this Service selects. */
const k2e_workload *k2e_svc_backing_workload(k2e_svc_run *run, const k2e_object *service)
{
    return run->backing[k2e_index_position(run->map->index, service)];
}

bool k2e_svc_any_service(k2e_svc_run *run)
{
    size_t n;
    const k2e_object *services = k2e_index_kind(run->map->index, "Service", NULL, &n);
    for (size_t i = 0; i < n; i++) {
        if (k2e_svc_backing_workload(run, &services[i]))
            return true;
    }
    return false;
}

/* --- Service ports ------------------------------------------------------------ */

k2e_node *k2e_svc_service_port(const k2e_object *service, const char *name, int64_t number)
{
    k2e_node *ports = k2e_get(k2e_get(service->root, "spec"), "ports");
    for (size_t i = 0; ports && ports->kind == K2E_NODE_SEQUENCE && i < ports->count; i++) {
        k2e_node *p = ports->items[i];
        const k2e_node *n = k2e_get(p, "name");
        int64_t v;
        if (name ? k2e_is_scalar(n) && strcmp(n->value, name) == 0
                 : k2e_svc_peek_int(k2e_get(p, "port"), &v) && v == number)
            return p;
    }
    return NULL;
}

const char *k2e_svc_port_label(char *buf, size_t size, int64_t number, const char *name)
{
    if (name && number >= 0)
        snprintf(buf, size, "%lld (%s)", (long long)number, name);
    else if (name)
        snprintf(buf, size, "%s", name);
    else
        snprintf(buf, size, "%lld", (long long)number);
    return buf;
}

const k2e_target_group *k2e_svc_target_group(k2e_svc_run *run, const k2e_object *service,
                                             int64_t number, const char *name)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)number);
    return k2e_mapping_target_group(run->map->mapping, service->name, service->namespace_,
                                    run->map->index->default_namespace,
                                    number >= 0 ? text : NULL, name);
}

k2e_node *k2e_svc_annotations_of(const k2e_object *object)
{
    return k2e_get(k2e_get(object->root, "metadata"), "annotations");
}

const char *k2e_svc_scalar_or(const k2e_node *node, const char *fallback)
{
    return k2e_is_scalar(node) && !k2e_is_null(node) ? node->value : fallback;
}

/* --- one Service port -------------------------------------------------------------- */

/* What attaching one workload's Services looks up, indexed so that K
 * ports cost K lookups. */
typedef struct {
    k2e_port_book book;         /* the task definition's port mappings */
    k2e_strmap published;       /* Service Connect portName -> its services[] entry */
} attach_state;

/* One port of one Service, for one workload. */
typedef struct {
    k2e_svc *svc;
    k2e_port_book *book;
    k2e_strmap *published;
    const k2e_object *service;
    k2e_node *port_node;
    int64_t number;
    const char *name;
    const char *type;
    const char *protocol;       /* the Service port's, as ECS spells it; NULL: SCTP */
    k2e_svc_target t;
    bool resolved;
} port_ctx;

/* The Service port's protocol (default TCP) as a port mapping's: "tcp",
 * "udp", or NULL for SCTP, which ECS port mappings do not carry. */
static const char *service_protocol(const k2e_node *port_node)
{
    const char *protocol = k2e_svc_scalar_or(k2e_get(port_node, "protocol"), "TCP");
    return strcmp(protocol, "TCP") == 0 ? "tcp" : strcmp(protocol, "UDP") == 0 ? "udp" : NULL;
}

/* targetPort -> a container and port of the task definition, as the
 * endpoints controller finds it (FindPort, pkg/api/v1/pod/util.go): a name
 * matches a port of that name AND the Service port's protocol, a number a
 * port mapping of that number and protocol.  An empty or 0 targetPort means
 * the Service port itself (Kubernetes' defaulting). */
static bool resolve_target(k2e_port_book *book, const k2e_node *target_port, int64_t port,
                           const char *protocol, k2e_svc_target *out, int64_t *number_out)
{
    int64_t number = port;
    const char *name = NULL;
    if (target_port && !k2e_svc_peek_int(target_port, &number))
        name = k2e_is_scalar(target_port) && *target_port->value ? target_port->value : NULL;
    if (number == 0)
        number = port;
    *number_out = name ? -1 : number;
    if (!protocol)
        return false;
    const k2e_port_ref *ref = name ? k2e_port_book_by_name(book, name)
                                   : k2e_port_book_by_number(book, number, protocol);
    if (!ref || strcmp(k2e_port_protocol(ref->mapping), protocol) != 0)
        return false;
    *out = (k2e_svc_target){json_string_value(json_object_get(ref->container, "name")),
                            json_integer_value(json_object_get(ref->mapping, "containerPort")),
                            json_string_value(json_object_get(ref->mapping, "name")),
                            k2e_port_protocol(ref->mapping)};
    return true;
}

/* Kubernetes routes to a target port whether or not the container lists
 * it; ECS attaches a load balancer or Service Connect only to a declared
 * port mapping.  With one app container there is no doubt whose port it
 * is: the mapping is added to the task definition. */
static bool declare_port(port_ctx *p, int64_t number)
{
    k2e_svc *svc = p->svc;
    k2e_node *containers = k2e_get(svc->workload->pod_spec, "containers");
    if (number < 1 || number > 65535 || !containers ||
        containers->kind != K2E_NODE_SEQUENCE || containers->count != 1)
        return false;
    const k2e_node *name = k2e_get(containers->items[0], "name");
    json_t *defs = json_object_get(svc->workload->task_definition, "containerDefinitions");
    size_t i;
    json_t *c = NULL;
    json_array_foreach(defs, i, c) {
        const char *n = json_string_value(json_object_get(c, "name"));
        if (k2e_is_scalar(name) && n && strcmp(n, name->value) == 0)
            break;
    }
    if (!c || !p->protocol)
        return false;
    /* One port mapping per container port (ECS PortMapping): a mapping of this
     * number for the other protocol cannot get a sibling (see K2E-W120). */
    if (k2e_port_book_in_container(p->book, json_string_value(json_object_get(c, "name")),
                                   number, strcmp(p->protocol, "tcp") == 0 ? "udp" : "tcp"))
        return false;
    json_t *mappings = json_object_get(c, "portMappings");
    if (!mappings) { /* emit puts it in its documented place */
        mappings = json_array();
        json_object_set_new(c, "portMappings", mappings);
    }
    json_t *mapping = json_pack("{s:I, s:I, s:s}", "containerPort", (json_int_t)number,
                                "hostPort", (json_int_t)number, "protocol", p->protocol);
    if (json_array_append_new(mappings, mapping) != 0 ||
        !k2e_port_book_add(p->book, c, mapping))
        return false;
    p->t = (k2e_svc_target){json_string_value(json_object_get(c, "name")), number, NULL,
                            p->protocol};
    k2e_diag_at(svc->run->map->diags, K2E_I_SERVICE, p->port_node, p->service->root,
                "declare the port under the container's ports to make this explicit",
                "Service %s targets port %lld, which container %s does not declare: port "
                "mapping %lld added to task definition %s (ECS attaches load balancers and "
                "Service Connect to declared ports only)", p->service->name, (long long)number,
                p->t.container, (long long)number, svc->workload->family);
    return true;
}

/* The target's port mapping, or (with a name) the mapping of that name. */
static const k2e_port_ref *find_mapping(k2e_port_book *book, const k2e_svc_target *t,
                                        const char *name)
{
    if (name)
        return k2e_port_book_by_name(book, name);
    return t->container ? k2e_port_book_in_container(book, t->container, t->port, t->protocol)
                        : NULL;
}

/* ECS port mapping names: lowercase letters, digits, '_' and '-', not
 * starting with '-', up to 64 characters. */
static bool valid_port_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || name[0] == '-')
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* Service Connect refers to ports by name: an unnamed port mapping gets
 * the Service port's name (or port-<number>). */
static bool name_port(port_ctx *p)
{
    k2e_svc *svc = p->svc;
    const k2e_port_ref *ref = find_mapping(p->book, &p->t, NULL);
    char *name = p->name && valid_port_name(p->name) && !find_mapping(p->book, &p->t, p->name)
                     ? k2e_strdup(p->name)
                     : k2e_asprintf("port-%lld", (long long)p->t.port);
    if (!ref || !name || find_mapping(p->book, &p->t, name)) {
        free(name);
        return false;
    }
    json_t *pm = ref->mapping;
    json_object_set_new(pm, "name", json_string(name));
    free(name);
    if (!k2e_port_book_named(p->book, ref->container, pm))
        return false;
    p->t.port_name = json_string_value(json_object_get(pm, "name"));
    k2e_diag_at(svc->run->map->diags, K2E_I_SERVICE, p->port_node, p->service->root,
                "name the container port in the manifest (ports[].name) to choose the name",
                "container %s port %lld had no name, which Service Connect needs: named %s in "
                "task definition %s", p->t.container, (long long)p->t.port, p->t.port_name,
                svc->workload->family);
    return true;
}

/* The mapping the target port names with the other protocol, if any: the
 * endpoints controller would not use it (protocols must match). */
static const k2e_port_ref *other_protocol(port_ctx *p)
{
    const char *other = p->protocol && strcmp(p->protocol, "udp") == 0 ? "tcp" : "udp";
    k2e_node *tp = k2e_get(p->port_node, "targetPort");
    int64_t number = p->number;
    if (tp && !k2e_svc_peek_int(tp, &number)) {
        const k2e_port_ref *ref = k2e_is_scalar(tp) && *tp->value
                                      ? k2e_port_book_by_name(p->book, tp->value) : NULL;
        return ref && strcmp(k2e_port_protocol(ref->mapping), other) == 0 ? ref : NULL;
    }
    return k2e_port_book_by_number(p->book, number ? number : p->number, other);
}

static void report_unresolved(port_ctx *p, const char *what)
{
    char port[64];
    k2e_node *tp = k2e_get(p->port_node, "targetPort");
    const k2e_port_ref *other = other_protocol(p);
    const char *protocol = k2e_svc_scalar_or(k2e_get(p->port_node, "protocol"), "TCP");
    bool tcp = strcmp(protocol, "TCP") == 0;
    char *detail = other ? k2e_asprintf(" (container %s's port mapping of it is %s: "
                                        "Kubernetes matches number and protocol, and ECS "
                                        "allows one protocol per container port)",
                                        json_string_value(json_object_get(other->container,
                                                                          "name")),
                                        k2e_port_protocol(other->mapping))
                         : NULL;
    k2e_diag_at(p->svc->run->map->diags, K2E_W_SERVICE_PORT, p->port_node, p->service->root,
                other ? "correct the protocol of the Service or container port; a port "
                        "served over both protocols takes two ECS services behind one NLB "
                        "TCP_UDP target group (see K2E-W120 in MAPPING.md)"
                      : "declare the port under the container's ports in the manifest: ECS "
                        "needs a port mapping to attach a load balancer or Service Connect",
                "Service %s port %s: no container of ECS service %s declares target port %s%s%s"
                "%s: no %s", p->service->name,
                k2e_svc_port_label(port, sizeof port, p->number, p->name),
                p->svc->name, k2e_is_scalar(tp) ? tp->value : "(= port)",
                tcp ? "" : "/", tcp ? "" : protocol,
                detail ? detail : "", what);
    free(detail);
}

static bool has_entry(json_t *array, json_t *entry)
{
    size_t i;
    json_t *e;
    json_array_foreach(array, i, e) {
        if (json_equal(e, entry))
            return true;
    }
    return false;
}

/* A target group in the mapping, an Ingress route, or a Service type that
 * exists to be reached from outside. */
static bool wants_load_balancer(port_ctx *p)
{
    return k2e_svc_target_group(p->svc->run, p->service, p->number, p->name) ||
           k2e_svc_find_route(p->svc->run, p->service, p->number, p->name) ||
           strcmp(p->type, "LoadBalancer") == 0 || strcmp(p->type, "NodePort") == 0;
}

static bool needs_port(port_ctx *p)
{
    return wants_load_balancer(p) ||
           p->svc->run->map->mapping->discovery == K2E_DISCOVERY_SERVICE_CONNECT;
}

static void attach_load_balancer(port_ctx *p)
{
    k2e_svc *svc = p->svc;
    const k2e_target_group *tg = k2e_svc_target_group(svc->run, p->service, p->number, p->name);
    const k2e_route *route = k2e_svc_find_route(svc->run, p->service, p->number, p->name);
    if (!wants_load_balancer(p))
        return;
    if (!p->resolved) {
        report_unresolved(p, "loadBalancers entry");
        return;
    }
    char port[64];
    k2e_svc_port_label(port, sizeof port, p->number, p->name);
    if (!tg) {
        char *hint = k2e_asprintf("add - {service: %s, namespace: %s, port: %lld, arn: <target "
                                  "group ARN>} under targetGroups in the mapping table (a "
                                  "target group of target type ip)", p->service->name,
                                  p->service->namespace_, (long long)p->number);
        k2e_diag_at(svc->run->map->diags, K2E_W_TARGET_GROUP, p->port_node, p->service->root,
                    hint, "Service %s port %s (type %s%s) needs a load balancer target group for "
                    "ECS "
                    "service %s, container %s port %lld: none in the mapping table, no "
                    "loadBalancers entry written", p->service->name, port, p->type,
                    route ? ", Ingress backend" : "", svc->name, p->t.container,
                    (long long)p->t.port);
        free(hint);
        return;
    }
    json_t *entry = json_pack("{s:s, s:s, s:I}", "targetGroupArn", tg->arn, "containerName",
                              p->t.container, "containerPort", (json_int_t)p->t.port);
    if (has_entry(svc->load_balancers, entry) || json_array_size(svc->load_balancers) >= 5) {
        if (!has_entry(svc->load_balancers, entry))
            k2e_diag_at(svc->run->map->diags, K2E_W_SERVICE_PORT, p->port_node,
                        p->service->root, "split the ports over several ECS services",
                        "ECS service %s already has 5 target groups, the most ECS allows: "
                        "Service %s port %s left out", svc->name, p->service->name, port);
        json_decref(entry);
        return;
    }
    json_array_append_new(svc->load_balancers, entry);
    k2e_svc_report_health(p->svc, p->service, p->port_node, p->number, &p->t, tg->arn,
                          route);
    k2e_svc_set_grace_period(svc, p->t.container);
}

static void attach_connect(port_ctx *p, size_t port_count)
{
    k2e_svc *svc = p->svc;
    if (svc->run->map->mapping->discovery != K2E_DISCOVERY_SERVICE_CONNECT)
        return;
    if (!p->resolved) {
        report_unresolved(p, "Service Connect entry");
        return;
    }
    char port[64];
    k2e_svc_port_label(port, sizeof port, p->number, p->name);
    if (!p->t.port_name && !name_port(p)) {
        k2e_diag_at(svc->run->map->diags, K2E_W_SERVICE_PORT, p->port_node, p->service->root,
                    "name the container port in the manifest (ports[].name, e.g. http)",
                    "Service %s port %s: container %s port %lld has no name, and Service "
                    "Connect refers to ports by name: no Service Connect entry",
                    p->service->name, port, p->t.container, (long long)p->t.port);
        return;
    }
    const json_t *taken = k2e_strmap_get(p->published, p->t.port_name, strlen(p->t.port_name));
    if (taken) {
        const json_t *alias = json_array_get(json_object_get(taken, "clientAliases"), 0);
        k2e_diag_at(svc->run->map->diags, K2E_W_SERVICE_PORT, p->port_node, p->service->root,
                    "clients of this Service must use the name already published, or give "
                    "the container a second port",
                    "Service %s port %s: container port %s is already published through "
                    "Service Connect as %s:%lld, and ECS publishes a port mapping once: no "
                    "Service Connect entry", p->service->name, port, p->t.port_name,
                    json_string_value(json_object_get(alias, "dnsName")),
                    (long long)json_integer_value(json_object_get(alias, "port")));
        return;
    }
    char *discovery = port_count == 1 ? k2e_strdup(p->service->name)
                      : p->name ? k2e_asprintf("%s-%s", p->service->name, p->name)
                                : k2e_asprintf("%s-%lld", p->service->name, (long long)p->number);
    json_t *entry = json_pack("{s:s, s:s, s:[{s:I, s:s}]}", "portName", p->t.port_name,
                              "discoveryName", discovery ? discovery : p->service->name,
                              "clientAliases", "port", (json_int_t)p->number, "dnsName",
                              p->service->name);
    free(discovery);
    if (json_array_append_new(svc->connect_services, entry) != 0 ||
        !k2e_strmap_put(p->published, p->t.port_name, strlen(p->t.port_name), entry))
        return;
    k2e_diag_at(svc->run->map->diags, K2E_I_SERVICE, p->port_node, p->service->root,
                "clients that use the namespace-qualified or .svc.cluster.local name must use "
                "the short name (or add it as a client alias)",
                "Service Connect: ECS service %s answers as %s:%lld (Service %s port %s -> "
                "container %s port %s)", svc->name, p->service->name, (long long)p->number,
                p->service->name, port, p->t.container, p->t.port_name);
}

static void attach_registry(k2e_svc *svc, const k2e_object *service, k2e_node *at)
{
    k2e_map_ctx *ctx = svc->run->map;
    const k2e_registry *reg = k2e_mapping_registry(ctx->mapping, service->name,
                                                   service->namespace_,
                                                   ctx->index->default_namespace);
    if (!reg) {
        char *hint = k2e_asprintf("add - {service: %s, namespace: %s, arn: "
                                  "arn:aws:servicediscovery:...:service/srv-...} under "
                                  "serviceDiscovery.registries in the mapping table",
                                  service->name, service->namespace_);
        k2e_diag_at(ctx->diags, K2E_W_DISCOVERY, at, service->root, hint,
                    "Service %s: no Cloud Map service for ECS service %s in the mapping table: "
                    "not registered", service->name, svc->name);
        free(hint);
        return;
    }
    if (json_array_size(svc->registries)) {
        k2e_diag_at(ctx->diags, K2E_W_DISCOVERY, at, service->root,
                    "an ECS service registers in one Cloud Map service; use Service Connect "
                    "aliases for more names",
                    "Service %s: ECS service %s is already registered in %s; %s not used",
                    service->name, svc->name,
                    json_string_value(json_object_get(json_array_get(svc->registries, 0),
                                                      "registryArn")), reg->arn);
        return;
    }
    json_array_append_new(svc->registries, json_pack("{s:s}", "registryArn", reg->arn));
    k2e_diag_at(ctx->diags, K2E_I_SERVICE, at, service->root,
                "with SRV records ECS also needs containerName and containerPort in the entry",
                "Cloud Map: ECS service %s registers its tasks in %s (Service %s)", svc->name,
                reg->arn, service->name);
}

/* --- the Service's own fields, reported once ------------------------------------- */


static const k2e_field_rule service_rules[] = {
    {NULL, "type", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "clusterIP", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "clusterIPs", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "ipFamilies", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "ipFamilyPolicy", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "healthCheckNodePort", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "allocateLoadBalancerNodePorts", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {NULL, "internalTrafficPolicy", "Cluster", NULL, K2E_W_SERVICE_SETTING,
     "ECS has no node-local routing",
     NULL,
     "Service Connect picks any task"},
    {NULL, "externalTrafficPolicy", "Cluster", NULL, K2E_I_SERVICE,
     "load balancers send traffic straight to task IPs on ECS",
     NULL,
     "an ALB passes the client address in X-Forwarded-For; an NLB keeps it with target type "
     "ip and preserve_client_ip"},
    {NULL, "sessionAffinity", "None", NULL, K2E_W_SERVICE_SETTING,
     "Service Connect and Cloud Map have no client affinity",
     NULL,
     "turn on stickiness on the ALB target group (stickiness.enabled, lb_cookie) if clients "
     "come through a load balancer"},
    {NULL, "sessionAffinityConfig", NULL, NULL, K2E_W_SERVICE_SETTING,
     "no ECS equivalent",
     NULL,
     "set stickiness.lb_cookie.duration_seconds on the target group"},
    {NULL, "externalIPs", NULL, NULL, K2E_W_SERVICE_SETTING,
     "no ECS equivalent",
     NULL,
     "put a load balancer in front of the service"},
    {NULL, "loadBalancerIP", NULL, NULL, K2E_W_SERVICE_SETTING,
     "no ECS equivalent",
     NULL,
     "give the NLB Elastic IPs (subnet mappings)"},
    {NULL, "loadBalancerSourceRanges", NULL, NULL, K2E_W_SERVICE_SETTING,
     "no ECS equivalent",
     NULL,
     "allow the ranges in the load balancer's security group"},
    {NULL, "loadBalancerClass", NULL, NULL, K2E_W_SERVICE_SETTING,
     "no ECS equivalent",
     NULL,
     "create the load balancer yourself and map its target group"},
    {NULL, "publishNotReadyAddresses", "false", NULL, K2E_W_SERVICE_SETTING,
     "ECS only registers tasks that are running and healthy",
     NULL,
     "peers that must find each other before they are ready need another mechanism"},
    {NULL, NULL, NULL, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
};

static void service_fields(k2e_svc_run *run, const k2e_object *service, k2e_node *spec)
{
    k2e_field_rules_apply(run->map->diags, service->root, spec, NULL, service->kind,
                          service_rules, K2E_RULES_PLAIN);
    const k2e_node *ip = k2e_get(spec, "clusterIP");
    if (k2e_is_scalar(ip) && strcmp(ip->value, "None") == 0)
        k2e_diag_at(run->map->diags, K2E_I_SERVICE, ip, service->root,
                    "peers that address each other one by one need their own names (one ECS "
                    "service each, or Cloud Map with A records per task)",
                    "headless Service %s: Service Connect gives the service one name, not one "
                    "per task", service->name);
    k2e_svc_lb_annotations(run, service, k2e_svc_annotations_of(service));
}

/* Service ports' appProtocol -> the port mapping's appProtocol, which
 * Service Connect uses for protocol-aware metrics and routing. */
static const char *ecs_app_protocol(const char *k8s)
{
    static const char *const rows[][2] = {
        {"http", "http"}, {"HTTP", "http"}, {"http2", "http2"}, {"h2c", "http2"},
        {"kubernetes.io/h2c", "http2"}, {"grpc", "grpc"}, {"GRPC", "grpc"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (strcmp(rows[i][0], k8s) == 0)
            return rows[i][1];
    }
    return NULL;
}

static void apply_app_protocol(port_ctx *p, const k2e_node *node)
{
    if (!p->resolved || !k2e_is_scalar(node) || k2e_is_null(node))
        return;
    const char *ecs = ecs_app_protocol(node->value);
    if (!ecs) {
        k2e_diag_at(p->svc->run->map->diags, K2E_I_SERVICE, node, p->service->root,
                    "ECS port mappings know http, http2 and grpc",
                    "appProtocol %s of Service %s has no ECS equivalent: not set", node->value,
                    p->service->name);
        return;
    }
    const k2e_port_ref *ref = find_mapping(p->book, &p->t, NULL);
    if (!ref || json_object_get(ref->mapping, "appProtocol"))
        return;
    json_object_set_new(ref->mapping, "appProtocol", json_string(ecs));
}

static void attach_port(k2e_svc *svc, attach_state *state, const k2e_object *service,
                        k2e_node *port_node, const char *type, size_t port_count)
{
    k2e_consume(port_node);
    port_ctx p = {.svc = svc, .book = &state->book, .published = &state->published,
                  .service = service, .port_node = port_node, .type = type,
                  .number = -1};
    k2e_node *name = k2e_take(port_node, "name");
    k2e_node *number = k2e_take(port_node, "port");
    k2e_node *target_port = k2e_take(port_node, "targetPort");
    /* protocol (TCP/UDP): the target group's and port mapping's business;
     * nodePort: assigned by the cluster, no meaning with awsvpc tasks. */
    static const char *const quiet[] = {"protocol", "nodePort"};
    for (size_t i = 0; i < sizeof quiet / sizeof quiet[0]; i++)
        k2e_consume(k2e_take(port_node, quiet[i]));
    k2e_node *app_protocol = k2e_take(port_node, "appProtocol");
    p.name = k2e_is_scalar(name) && !k2e_is_null(name) ? name->value : NULL;
    p.protocol = service_protocol(port_node);
    if (!number || !k2e_as_int(number, service->root, &p.number, svc->run->map->diags))
        return;
    int64_t wanted;
    p.resolved = resolve_target(p.book, target_port, p.number, p.protocol, &p.t, &wanted) ||
                 (needs_port(&p) && declare_port(&p, wanted));
    apply_app_protocol(&p, app_protocol);
    attach_load_balancer(&p);
    attach_connect(&p, port_count);
}

static void attach_service(k2e_svc *svc, attach_state *state, const k2e_object *service)
{
    k2e_svc_run *run = svc->run;
    k2e_node *spec = k2e_take(service->root, "spec");
    k2e_consume_all(k2e_take(spec, "selector"));
    k2e_svc_mark(run, service);
    if (k2e_svc_first_visit(run, service))
        service_fields(run, service, spec);
    const char *type = k2e_svc_scalar_or(k2e_get(spec, "type"), "ClusterIP");
    k2e_node *ports = k2e_take(spec, "ports");
    size_t count = ports && ports->kind == K2E_NODE_SEQUENCE ? ports->count : 0;
    for (size_t i = 0; i < count; i++)
        attach_port(svc, state, service, ports->items[i], type, count);
    if (run->map->mapping->discovery == K2E_DISCOVERY_CLOUD_MAP)
        attach_registry(svc, service, spec);
}

void k2e_svc_attach_services(k2e_svc *svc)
{
    k2e_svc_run *run = svc->run;
    char key[32];
    int length = snprintf(key, sizeof key, "%zu",
                          (size_t)(svc->workload - run->workloads->items));
    size_t n = 0;
    const size_t *services = k2e_multimap_get(&run->services_of, key, (size_t)length, &n);
    if (n == 0)
        return;
    attach_state state;
    k2e_strmap_init(&state.published);
    if (k2e_port_book_open(&state.book, svc->workload->task_definition)) {
        for (size_t i = 0; i < n; i++)
            attach_service(svc, &state, &run->map->index->items[services[i]]);
    }
    k2e_port_book_close(&state.book);
    k2e_strmap_release(&state.published);
}
