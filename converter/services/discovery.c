/* The names clients use for Services, found in the input: env values,
 * command and args of every converted workload, and ConfigMap data.
 *
 * A reference is a host name followed by nothing special: `api.shop`,
 * `api.shop.svc`, `api.shop.svc.cluster.local`, or the bare `api` when a
 * port (`api:80`) or a URL scheme (`http://api`) shows it is a host, or a
 * `$(API_SERVICE_HOST)`-style service link (which expands to the bare name,
 * see map/service_names.h).  Only names of Services in the input count, so
 * `example.com` is never a reference unless a Service `example` lives in a
 * namespace `com`.
 *
 * Service Connect publishes one client alias per port (ECS API,
 * ServiceConnectService.clientAliases: at most 1), so the converter picks the
 * form the clients use: the bare name when any client uses it (or none
 * refers to the Service), otherwise the qualified form most clients use.
 * Every reference the alias does not cover is reported with its place
 * (K2E-W136), as is every reference from a task that cannot join Service
 * Connect (Jobs, CronJobs, bare Pods) or from a run without it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/service_names.h"
#include "services/service_internal.h"
#include "base/util.h"

static const char *const form_names[K2E_REF_FORMS] = {
    "the bare name", "<name>.<namespace>", "<name>.<namespace>.svc",
    "<name>.<namespace>.svc.cluster.local",
};

/* Jobs, CronJobs and bare Pods run as standalone tasks (run-task,
 * scheduled tasks), which Service Connect does not serve. */
static bool standalone(const k2e_object *object)
{
    return strcmp(object->kind, "Job") == 0 || strcmp(object->kind, "CronJob") == 0 ||
           strcmp(object->kind, "Pod") == 0;
}

static bool add_ref(k2e_svc_run *run, const k2e_object *service, k2e_ref_form form,
                    const k2e_object *from, const k2e_node *at, const char *text)
{
    size_t position = k2e_index_position(run->map->index, service);
    const k2e_svc_ref *last = run->ref_count ? &run->refs[run->ref_count - 1] : NULL;
    if (last && last->at == at && last->service == position && last->form == form)
        return true; /* the same name twice in one value: one place */
    if (!k2e_grow((void **)&run->refs, &run->ref_capacity, run->ref_count + 1,
                  sizeof *run->refs))
        return false;
    run->refs[run->ref_count] = (k2e_svc_ref){position, run->ref_count, form, from, at,
                                              k2e_strdup(text)};
    run->ref_count++;
    return true;
}

static const k2e_object *find_service(k2e_svc_run *run, const char *ns, const char *name)
{
    const k2e_object *s = k2e_index_find(run->map->index, "", "Service", ns, name);
    return s && !s->duplicate && k2e_service_has_cluster_ip(s) ? s : NULL;
}

static bool host_char(char c)
{
    return isalnum((unsigned char)c) || c == '-' || c == '.';
}

/* One host-like token [start, end) of `text`. */
static void check_token(k2e_svc_run *run, const k2e_object *from, const k2e_node *at,
                        const char *text, size_t start, size_t end)
{
    char host[254];
    size_t n = end - start;
    if (n && text[end - 1] == '.')
        n--;
    if (n == 0 || n >= sizeof host)
        return;
    memcpy(host, text + start, n);
    host[n] = '\0';
    char *label[6];
    size_t count = 0;
    for (char *p = host, *dot; count < 6; p = dot + 1) {
        label[count++] = p;
        if (!(dot = strchr(p, '.')))
            break;
        *dot = '\0';
    }
    k2e_ref_form form;
    const char *ns = count > 1 ? label[1] : from->namespace_;
    bool port = text[end] == ':' && isdigit((unsigned char)text[end + 1]);
    bool scheme = start >= 3 && strncmp(text + start - 3, "://", 3) == 0;
    if (count == 1 && (port || scheme))
        form = K2E_REF_SHORT;
    else if (count == 2)
        form = K2E_REF_NS;
    else if (count == 3 && strcmp(label[2], "svc") == 0)
        form = K2E_REF_NS_SVC;
    else if (count == 5 && strcmp(label[2], "svc") == 0 && strcmp(label[3], "cluster") == 0 &&
             strcmp(label[4], "local") == 0)
        form = K2E_REF_FQDN;
    else
        return;
    const k2e_object *service = find_service(run, ns, label[0]);
    if (service) {
        char shown[256];
        snprintf(shown, sizeof shown, "%.*s", (int)(end - start), text + start);
        add_ref(run, service, form, from, at, shown);
    }
}

/* $(NAME) naming a service link: a vote for the bare name. */
static size_t check_link(k2e_svc_run *run, const k2e_object *from, const k2e_node *at,
                         const char *text, size_t i)
{
    const char *close = strchr(text + i + 2, ')');
    if (!close || close - (text + i) > 200)
        return i + 2;
    char name[201];
    size_t n = (size_t)(close - (text + i + 2));
    memcpy(name, text + i + 2, n);
    name[n] = '\0';
    k2e_service_link link;
    if (k2e_service_link_find(run->map->index, from->namespace_, name, &link)) {
        /* map/container.c expands it to k2e_service_dns_name's name. */
        char shown[210];
        snprintf(shown, sizeof shown, "$(%s)", name);
        add_ref(run, link.service,
                k2e_service_name_shared(run->map->index, link.service->name) ? K2E_REF_NS
                                                                             : K2E_REF_SHORT,
                from, at, shown);
    }
    return (size_t)(close - text) + 1;
}

static void scan_text(k2e_svc_run *run, const k2e_object *from, const k2e_node *at)
{
    if (!k2e_is_scalar(at))
        return;
    const char *text = at->value;
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        if (text[i] == '$' && text[i + 1] == '(') {
            i = check_link(run, from, at, text, i);
            continue;
        }
        if (!host_char(text[i])) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < len && host_char(text[i]))
            i++;
        check_token(run, from, at, text, start, i);
    }
}

static void scan_list(k2e_svc_run *run, const k2e_object *from, const k2e_node *list)
{
    for (size_t i = 0; list && list->kind == K2E_NODE_SEQUENCE && i < list->count; i++)
        scan_text(run, from, list->items[i]);
}

static void scan_containers(k2e_svc_run *run, const k2e_workload *w)
{
    static const char *const lists[] = {"initContainers", "containers"};
    for (size_t l = 0; l < 2; l++) {
        const k2e_node *list = k2e_get(w->pod_spec, lists[l]);
        for (size_t i = 0; list && list->kind == K2E_NODE_SEQUENCE && i < list->count; i++) {
            const k2e_node *c = list->items[i];
            const k2e_node *env = k2e_get(c, "env");
            for (size_t e = 0; env && env->kind == K2E_NODE_SEQUENCE && e < env->count; e++)
                scan_text(run, w->object, k2e_get(env->items[e], "value"));
            scan_list(run, w->object, k2e_get(c, "command"));
            scan_list(run, w->object, k2e_get(c, "args"));
        }
    }
}

static int compare_refs(const void *pa, const void *pb)
{
    const k2e_svc_ref *a = pa, *b = pb;
    if (a->service != b->service)
        return a->service < b->service ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Standalone tasks and runs without Service Connect: every reference is a
 * name that will not resolve. */
static void report_unreachable(k2e_svc_run *run, const k2e_svc_ref *r)
{
    const k2e_object *service = &run->map->index->items[r->service];
    bool sc = run->map->mapping->discovery == K2E_DISCOVERY_SERVICE_CONNECT;
    if ((sc && !standalone(r->from)) || r->text[0] == '$')
        return; /* a service link variable: K2E-W133 reports it */
    k2e_diag_at(run->map->diags, K2E_W_SERVICE_NAME_REF, r->at, r->from->root,
                standalone(r->from)
                    ? "reach the service through a load balancer or a Cloud Map (DNS) name, "
                      "and write that address here"
                    : "turn on Service Connect (serviceDiscovery.namespace in the mapping), or "
                      "write the Cloud Map or load balancer name here",
                "%s %s names Service %s as '%s': %s", r->from->kind, r->from->name,
                service->name, r->text,
                standalone(r->from)
                    ? "a standalone task (run-task, scheduled task) cannot join Service "
                      "Connect, so the name does not resolve there"
                    : "without Service Connect nothing publishes Kubernetes names on ECS");
}

void k2e_svc_scan_references(k2e_svc_run *run)
{
    for (size_t i = 0; i < run->workloads->count; i++) {
        const k2e_workload *w = &run->workloads->items[i];
        if (w->written)
            scan_containers(run, w);
    }
    size_t n;
    const k2e_object *maps = k2e_index_kind(run->map->index, "ConfigMap", NULL, &n);
    for (size_t i = 0; i < n; i++) {
        const k2e_node *data = k2e_get(maps[i].root, "data");
        for (size_t d = 0; !maps[i].duplicate && data && data->kind == K2E_NODE_MAPPING &&
                           d < data->count; d++)
            scan_text(run, &maps[i], data->items[d]);
    }
    if (run->ref_count > 1)
        qsort(run->refs, run->ref_count, sizeof *run->refs, compare_refs);
    for (size_t i = 0; i < run->ref_count; i++)
        report_unreachable(run, &run->refs[i]);
}

/* The references to one Service: a run of the sorted array. */
static const k2e_svc_ref *refs_of(k2e_svc_run *run, const k2e_object *service, size_t *n)
{
    size_t position = k2e_index_position(run->map->index, service), lo = 0,
           hi = run->ref_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (run->refs[mid].service < position)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < run->ref_count && run->refs[end].service == position)
        end++;
    *n = end - lo;
    return *n ? run->refs + lo : NULL;   /* refs is NULL while there are none */
}

/* The bare name when any client of an ECS service uses it (or none refers
 * to the Service); a name shared by two namespaces cannot be bare; else the
 * qualified form most clients use (ties: the shorter form). */
static k2e_ref_form chosen_form(const k2e_svc_ref *refs, size_t n, bool shared)
{
    size_t count[K2E_REF_FORMS] = {0}, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!standalone(refs[i].from)) {
            count[refs[i].form]++;
            total++;
        }
    }
    if (!shared && (count[K2E_REF_SHORT] || total == 0))
        return K2E_REF_SHORT;
    k2e_ref_form best = K2E_REF_NS;
    for (int f = K2E_REF_NS; f < K2E_REF_FORMS; f++) {
        if (count[f] > count[best])
            best = (k2e_ref_form)f;
    }
    return best;
}

char *k2e_svc_client_alias(k2e_svc_run *run, const k2e_object *service, bool report)
{
    size_t n;
    const k2e_svc_ref *refs = refs_of(run, service, &n);
    bool shared = k2e_service_name_shared(run->map->index, service->name);
    k2e_ref_form form = chosen_form(refs, n, shared);
    const char *ns = service->namespace_;
    char *alias = form == K2E_REF_SHORT    ? k2e_strdup(service->name)
                  : form == K2E_REF_NS     ? k2e_asprintf("%s.%s", service->name, ns)
                  : form == K2E_REF_NS_SVC ? k2e_asprintf("%s.%s.svc", service->name, ns)
                                           : k2e_asprintf("%s.%s.svc.cluster.local",
                                                          service->name, ns);
    if (!report || !alias)
        return alias;
    for (size_t i = 0; i < n; i++) {
        const k2e_svc_ref *r = &refs[i];
        if (standalone(r->from))
            continue;
        if (r->form == form) {
            if (form != K2E_REF_SHORT)
                k2e_diag_at(run->map->diags, K2E_I_CLIENT_ALIAS, r->at, r->from->root,
                            "Service Connect declares one client alias per port",
                            "%s %s calls Service %s as '%s': its Service Connect client "
                            "alias is %s (%s)", r->from->kind, r->from->name, service->name,
                            r->text, alias, form_names[form]);
            continue;
        }
        k2e_diag_at(run->map->diags, K2E_W_SERVICE_NAME_REF, r->at, r->from->root,
                    "use the published name here (Service Connect declares one client alias "
                    "per port, and other clients use this one)",
                    "%s %s calls Service %s as '%s' (%s), but Service Connect publishes it "
                    "as %s only: the name does not resolve on ECS", r->from->kind,
                    r->from->name, service->name, r->text, form_names[r->form], alias);
    }
    return alias;
}

void k2e_svc_release_references(k2e_svc_run *run)
{
    for (size_t i = 0; i < run->ref_count; i++)
        free(run->refs[i].text);
    free(run->refs);
}
