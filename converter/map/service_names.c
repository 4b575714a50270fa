/* Service names and service links; see service_names.h.  The lookups scan
 * the Services of one namespace (a contiguous run of the index): they run
 * only for a `$(VAR)` that no env entry defines, or once per published port. */
#include "map/service_names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

bool k2e_service_name_shared(const k2e_index *index, const char *name)
{
    size_t n = 0;
    const size_t *positions = k2e_multimap_get(&index->services_by_name, name, strlen(name), &n);
    for (size_t i = 1; i < n; i++) {
        if (strcmp(index->items[positions[i]].namespace_,
                   index->items[positions[0]].namespace_) != 0)
            return true;
    }
    return false;
}

char *k2e_service_dns_name(const k2e_index *index, const k2e_object *service)
{
    if (k2e_service_name_shared(index, service->name))
        return k2e_asprintf("%s.%s", service->name, service->namespace_);
    return k2e_strdup(service->name);
}

static const k2e_node *spec_of(const k2e_object *service)
{
    return k2e_get(service->root, "spec");
}

bool k2e_service_has_cluster_ip(const k2e_object *service)
{
    const k2e_node *type = k2e_get(spec_of(service), "type");
    const k2e_node *ip = k2e_get(spec_of(service), "clusterIP");
    if (k2e_is_scalar(type) && strcmp(type->value, "ExternalName") == 0)
        return false;
    return !(k2e_is_scalar(ip) && strcmp(ip->value, "None") == 0);
}

/* The kubelet's spelling: upper case, '-' -> '_' (makeEnvVariableName). */
static bool env_name_is(const char *text, size_t length, const char *name)
{
    size_t i = 0;
    for (; i < length && name[i]; i++) {
        char c = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
        if (text[i] != c)
            return false;
    }
    return i == length && !name[i];
}

static bool port_of(const k2e_node *port, int64_t *number, char proto[8])
{
    const k2e_node *p = k2e_get(port, "port"), *protocol = k2e_get(port, "protocol");
    char *end;
    if (!k2e_is_scalar(p))
        return false;
    long long v = strtoll(p->value, &end, 10);
    if (!*p->value || *end || v < 1 || v > 65535)
        return false;
    *number = v;
    const char *text = k2e_is_scalar(protocol) ? protocol->value : "TCP";
    size_t i = 0;
    for (; i < 7 && text[i]; i++)
        proto[i] = (char)tolower((unsigned char)text[i]);
    proto[i] = '\0';
    return true;
}

/* rest after "<SVC>_": SERVICE_HOST, SERVICE_PORT[_NAME], PORT, PORT_<n>_<P>[_X]. */
static bool match_rest(const k2e_node *ports, const char *rest, k2e_service_link *out)
{
    size_t count = ports && ports->kind == K2E_NODE_SEQUENCE ? ports->count : 0;
    if (count == 0)
        return false;
    if (strcmp(rest, "SERVICE_HOST") == 0) {
        out->kind = K2E_LINK_HOST;
        return port_of(ports->items[0], &out->port, out->proto);
    }
    bool service_port = strcmp(rest, "SERVICE_PORT") == 0, url = strcmp(rest, "PORT") == 0;
    if (service_port || url) {
        out->kind = service_port ? K2E_LINK_PORT : K2E_LINK_URL;
        return port_of(ports->items[0], &out->port, out->proto);
    }
    static const struct { const char *suffix; k2e_link_kind kind; } tails[] = {
        {"", K2E_LINK_URL}, {"_PROTO", K2E_LINK_PROTO}, {"_PORT", K2E_LINK_PORT},
        {"_ADDR", K2E_LINK_HOST},
    };
    for (size_t i = 0; i < count; i++) {
        k2e_service_link l = *out;
        if (!port_of(ports->items[i], &l.port, l.proto))
            continue;
        const k2e_node *name = k2e_get(ports->items[i], "name");
        if (k2e_str_has_prefix(rest, "SERVICE_PORT_") && k2e_is_scalar(name) &&
            env_name_is(rest + 13, strlen(rest + 13), name->value)) {
            *out = l;
            out->kind = K2E_LINK_PORT;
            return true;
        }
        for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
            char want[64];
            snprintf(want, sizeof want, "PORT_%lld_", (long long)l.port);
            size_t w = strlen(want);
            for (size_t c = 0; l.proto[c] && w + 1 < sizeof want; c++, w++)
                want[w] = (char)toupper((unsigned char)l.proto[c]);
            want[w] = '\0';
            snprintf(want + w, sizeof want - w, "%s", tails[t].suffix);
            if (strcmp(rest, want) == 0) {
                *out = l;
                out->kind = tails[t].kind;
                return true;
            }
        }
    }
    return false;
}

/* The Service's part of the variable is some prefix that ends before a
 * '_': each prefix is looked up (index->services_by_env), and of the Services
 * that match, the first in canonical order wins, as a scan would find it. */
bool k2e_service_link_find(const k2e_index *index, const char *namespace_, const char *var,
                           k2e_service_link *out)
{
    bool found = false;
    for (const char *sep = strchr(var, '_'); sep; sep = strchr(sep + 1, '_')) {
        /* The key as index.c makes it, from the variable's own bytes (a
         * lower-case prefix names no Service, as the kubelet spells them). */
        char key[512];
        size_t ns = strlen(namespace_), prefix = (size_t)(sep - var);
        size_t length = ns + 1 + prefix <= sizeof key ? ns + 1 + prefix : 0;
        if (length) {
            memcpy(key, namespace_, ns + 1);
            memcpy(key + ns + 1, var, prefix);
        }
        size_t n = 0;
        const size_t *positions = length ? k2e_multimap_get(&index->services_by_env, key,
                                                            length, &n) : NULL;
        for (size_t i = 0; i < n; i++) {
            const k2e_object *s = &index->items[positions[i]];
            if (!k2e_service_has_cluster_ip(s) || (found && !(s < out->service)))
                continue;
            k2e_service_link candidate = {.service = s};
            if (match_rest(k2e_get(spec_of(s), "ports"), sep + 1, &candidate)) {
                *out = candidate;
                found = true;
            }
        }
    }
    return found;
}

char *k2e_service_link_value(const k2e_service_link *link, const char *host)
{
    switch (link->kind) {
    case K2E_LINK_HOST: return k2e_strdup(host);
    case K2E_LINK_PORT: return k2e_asprintf("%lld", (long long)link->port);
    case K2E_LINK_PROTO: return k2e_strdup(link->proto);
    default: return k2e_asprintf("%s://%s:%lld", link->proto, host, (long long)link->port);
    }
}
