/* The names a Kubernetes Service is reached by, on Kubernetes and on ECS.
 *
 * Kubernetes gives a Service a DNS name in its namespace (`api`,
 * `api.shop`, `api.shop.svc.cluster.local`) and, through the kubelet's
 * service links (enableServiceLinks, default true), environment variables in
 * every pod of the namespace: API_SERVICE_HOST, API_SERVICE_PORT,
 * API_SERVICE_PORT_<PORT NAME>, API_PORT and the API_PORT_<n>_<PROTO>[_PROTO|
 * _PORT|_ADDR] family (k8s docs, "Discovering services: Environment
 * variables"; pkg/kubelet/envvars).  `$(VAR)` expansion in env values,
 * command and args uses them.
 *
 * On ECS, Service Connect publishes one client alias per port (ECS API,
 * ServiceConnectService.clientAliases: at most 1) and every alias must be
 * unique in the Service Connect namespace, which holds the Services of
 * every Kubernetes namespace converted together.  So a Service name used in
 * two namespaces cannot keep its bare name in either: both are published as
 * <name>.<namespace>, the name clients in other namespaces already use.  The
 * map stage (service links) and the services stage (aliases) ask the same
 * functions, so the two can never disagree.
 */
#ifndef KUBE2ECS_SERVICE_NAMES_H
#define KUBE2ECS_SERVICE_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "read/index.h"

/* Is a Service of this name in more than one namespace of the input? */
bool k2e_service_name_shared(const k2e_index *index, const char *name);

/* The Service Connect dnsName of a Service: its name, or name.namespace when
 * the name is shared (above).  Caller frees; NULL when out of memory. */
char *k2e_service_dns_name(const k2e_index *index, const k2e_object *service);

/* Does the Service get a cluster IP, and so service links (kubelet:
 * IsServiceIPSet; headless and ExternalName Services have none)? */
bool k2e_service_has_cluster_ip(const k2e_object *service);

/* A service link variable resolved against the Services of a namespace. */
typedef enum {
    K2E_LINK_HOST,      /* <SVC>_SERVICE_HOST, <SVC>_PORT_<n>_<P>_ADDR: the host */
    K2E_LINK_PORT,      /* <SVC>_SERVICE_PORT[_<NAME>], <SVC>_PORT_<n>_<P>_PORT */
    K2E_LINK_URL,       /* <SVC>_PORT, <SVC>_PORT_<n>_<P>: proto://host:port */
    K2E_LINK_PROTO,     /* <SVC>_PORT_<n>_<P>_PROTO: tcp, udp, sctp */
} k2e_link_kind;

typedef struct {
    const k2e_object *service;
    k2e_link_kind kind;
    int64_t port;
    char proto[8];      /* lower case */
} k2e_service_link;

/* Resolves `var` as a service link of a Service in `namespace_`; false when
 * it names none. */
bool k2e_service_link_find(const k2e_index *index, const char *namespace_, const char *var,
                           k2e_service_link *out);

/* The variable's value with `host` as the Service's address.  Caller frees. */
char *k2e_service_link_value(const k2e_service_link *link, const char *host);

#endif
