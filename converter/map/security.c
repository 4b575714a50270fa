/* securityContext and host namespaces -> ECS; see security.h.
 *
 * The ECS position on Fargate.  A container definition can set `user`,
 * `readonlyRootFilesystem`, `linuxParameters.capabilities` and
 * `systemControls`; the task can set `pidMode` (only "task" on Fargate).
 * Nothing else a securityContext says has a place: there are no privileged
 * containers, only SYS_PTRACE can be added to the capabilities (API
 * KernelCapabilities), `dockerSecurityOptions` (where no-new-privileges,
 * SELinux labels and AppArmor profiles go on EC2) is not valid on Fargate,
 * and there is no seccomp, procMount, fsGroup or supplementary groups
 * setting.  Fargate tasks always use awsvpc networking and cannot share the
 * host's PID or IPC namespace.
 *
 * So: what maps is written; what Fargate forbids is an error (the task
 * definition would be rejected, or the workload would run without what it
 * asked for: privileged, added capabilities, host namespaces); a request for
 * a protection ECS cannot give is a warning even when its value is the safe
 * one (runAsNonRoot: true, allowPrivilegeEscalation: false), because the
 * guarantee is lost.  A value that asks for nothing beyond what any
 * container gets (privileged: false, allowPrivilegeEscalation: true,
 * procMount: Default, host namespaces false) is consumed silently.
 *
 * Effective settings follow Kubernetes: the container's field wins over the
 * pod's.  Pod-level values are read here with k2e_get (their type errors are
 * reported once by k2e_security_pod, which consumes them), so a pod's
 * runAsUser turns into `user` on every container that does not override it.
 */
#include "map/security.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "map/field_rules.h"

typedef struct {
    k2e_node *root;
    k2e_diags *diags;
    const char *owner; /* "container api" or "the pod", for messages */
    bool ok;
    const json_t *container; /* the container built so far (portMappings), or NULL */
} sec_ctx;

/* Valid KernelCapabilities names (ECS API reference, add and drop). */
static const char *const ecs_capabilities[] = {
    "ALL",          "AUDIT_CONTROL", "AUDIT_WRITE",     "BLOCK_SUSPEND",   "CHOWN",
    "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",        "FSETID",          "IPC_LOCK",
    "IPC_OWNER",    "KILL",          "LEASE",           "LINUX_IMMUTABLE", "MAC_ADMIN",
    "MAC_OVERRIDE", "MKNOD",         "NET_ADMIN",       "NET_BIND_SERVICE", "NET_BROADCAST",
    "NET_RAW",      "SETFCAP",       "SETGID",          "SETPCAP",         "SETUID",
    "SYS_ADMIN",    "SYS_BOOT",      "SYS_CHROOT",      "SYS_MODULE",      "SYS_NICE",
    "SYS_PACCT",    "SYS_PTRACE",    "SYS_RAWIO",       "SYS_RESOURCE",    "SYS_TIME",
    "SYS_TTY_CONFIG", "SYSLOG",      "WAKE_ALARM",
};

/* IPC namespace sysctls ECS accepts by name (API SystemControl). */
static const char *const ipc_sysctls[] = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- typed reads with a hint ----------------------------------------------
 * yaml_tree's k2e_as_* and k2e_expect_kind report a wrong type without a
 * hint (except for quoting); these add the same message with one. */

/* The reader's typed reads carry their own hints; these names keep the
 * call sites short. */
static bool read_int(const k2e_node *node, const k2e_node *root, int64_t *out, k2e_diags *diags)
{
    return k2e_as_int(node, root, out, diags);
}

static bool read_string(const k2e_node *node, const k2e_node *root, const char **out,
                        k2e_diags *diags)
{
    return k2e_as_string(node, root, out, diags);
}

static bool read_bool(const k2e_node *node, const k2e_node *root, bool *out, k2e_diags *diags)
{
    return k2e_as_bool(node, root, out, diags);
}

static bool expect_kind(const k2e_node *node, const k2e_node *root, k2e_node_kind kind,
                        k2e_diags *diags)
{
    return k2e_expect_kind(node, root, kind, diags);
}

/* --- small readers ------------------------------------------------------- */

static const char *scalar_text(const k2e_node *node)
{
    return k2e_is_scalar(node) && !k2e_is_null(node) ? node->value : "(not a scalar)";
}

/* A present, non-null field; consumed when `take`. */
static k2e_node *field(k2e_node *map, const char *key, bool take)
{
    k2e_node *node = take ? k2e_take(map, key) : k2e_get(map, key);
    return node && !k2e_is_null(node) ? node : NULL;
}

/* A boolean field, consumed; NULL when absent or of the wrong type. */
static k2e_node *take_bool(sec_ctx *c, k2e_node *map, const char *key, bool *value)
{
    k2e_node *node = field(map, key, true);
    if (!node)
        return NULL;
    if (read_bool(node, c->root, value, c->diags))
        return node;
    c->ok = false;
    return NULL;
}

static const char *take_string(sec_ctx *c, k2e_node *map, const char *key)
{
    k2e_node *node = field(map, key, true);
    const char *value = NULL;
    if (node && !read_string(node, c->root, &value, c->diags))
        c->ok = false;
    return value;
}

/* Marks the listed keys of a mapping consumed (with their subtrees). */
static void take_keys(k2e_node *map, const char *const *keys)
{
    for (; *keys; keys++)
        k2e_consume_all(k2e_take(map, *keys));
}

/* A UID or GID: an integer from 0 to 2^31-1, as Kubernetes validates. */
static bool read_id(const k2e_node *node, const k2e_node *root, int64_t *out,
                    k2e_diags *diags)
{
    if (!read_int(node, root, out, diags))
        return false;
    if (*out >= 0 && *out <= INT32_MAX)
        return true;
    k2e_diag_at(diags, K2E_E_TYPE, node, root, "use a value from 0 to 2147483647",
                "%s %" PRId64 " out of range", node->key ? node->key : "id", *out);
    return false;
}

/* --- user ------------------------------------------------------------------- */

typedef struct {
    k2e_node *node; /* NULL: not set (or invalid) */
    int64_t value;
} id_value;

/* The container's value if set, else the pod's (whose errors the pod
 * function reports). */
static id_value effective_id(sec_ctx *c, k2e_node *csc, k2e_node *psc, const char *key)
{
    id_value out = {NULL, 0};
    k2e_node *node = field(csc, key, true);
    if (node) {
        if (read_id(node, c->root, &out.value, c->diags))
            out.node = node;
        else
            c->ok = false;
        return out;
    }
    node = field(psc, key, false);
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    if (node && read_id(node, c->root, &out.value, &scratch))
        out.node = node;
    k2e_diags_release(&scratch);
    return out;
}

/* The effective runAsNonRoot node when it is true, else NULL. */
static k2e_node *effective_non_root(sec_ctx *c, k2e_node *csc, k2e_node *psc)
{
    bool value = false;
    k2e_node *node = field(csc, "runAsNonRoot", true);
    if (node) {
        if (!read_bool(node, c->root, &value, c->diags))
            c->ok = false;
        return value ? node : NULL;
    }
    node = field(psc, "runAsNonRoot", false);
    if (!k2e_is_scalar(node) || k2e_scalar_type_of(node) != K2E_SCALAR_BOOL)
        return NULL;
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    read_bool(node, c->root, &value, &scratch);
    k2e_diags_release(&scratch);
    return value ? node : NULL;
}

static void check_non_root(sec_ctx *c, k2e_node *csc, k2e_node *psc, id_value uid)
{
    k2e_node *node = effective_non_root(c, csc, psc);
    if (!node || (uid.node && uid.value != 0))
        return;
    if (uid.node) {
        k2e_diag_at(c->diags, K2E_W_SECURITY, node, c->root,
                    "set runAsUser to a non-zero UID, or remove runAsNonRoot",
                    "runAsNonRoot: true contradicts runAsUser 0 for %s: Kubernetes would "
                    "refuse to start it, ECS runs it as root",
                    c->owner);
        return;
    }
    k2e_diag_at(c->diags, K2E_W_SECURITY, node, c->root,
                "set runAsUser to the image's non-root UID: it becomes the container's "
                "`user`, which pins it",
                "runAsNonRoot: true for %s is not enforced: ECS does not check the user an "
                "image runs as, so the container runs as the image's USER even if that is root",
                c->owner);
}

/* Docker's --user takes "uid[:gid]"; a group alone cannot be written, and
 * "0:gid" would make the image's user root, so a lone runAsGroup is not
 * written (the image's user keeps its primary group). */
static void apply_user(sec_ctx *c, k2e_node *csc, k2e_node *psc, json_t *cj)
{
    id_value uid = effective_id(c, csc, psc, "runAsUser");
    id_value gid = effective_id(c, csc, psc, "runAsGroup");
    check_non_root(c, csc, psc, uid);
    char *user = NULL;
    if (uid.node && gid.node)
        user = k2e_asprintf("%" PRId64 ":%" PRId64, uid.value, gid.value);
    else if (uid.node)
        user = k2e_asprintf("%" PRId64, uid.value);
    if (user) {
        json_object_set_new(cj, "user", json_string(user));
        free(user);
        return;
    }
    if (!gid.node)
        return;
    k2e_diag_at(c->diags, K2E_W_SECURITY, gid.node, c->root,
                "set runAsUser to the UID the image runs as; the user is then written as "
                "\"uid:gid\"",
                "runAsGroup %" PRId64 " for %s without runAsUser: not converted (ECS `user` "
                "cannot name a group without the user, so the image's user keeps its own "
                "primary group)",
                gid.value, c->owner);
}

/* --- privileges ------------------------------------------------------------- */

static void apply_read_only(sec_ctx *c, k2e_node *csc, json_t *cj)
{
    bool value;
    if (take_bool(c, csc, "readOnlyRootFilesystem", &value))
        json_object_set_new(cj, "readonlyRootFilesystem", json_boolean(value));
}

static void check_privileged(sec_ctx *c, k2e_node *csc)
{
    bool value;
    k2e_node *node = take_bool(c, csc, "privileged", &value);
    if (!node || !value)
        return;
    k2e_diag_at(c->diags, K2E_E_FARGATE_FORBIDDEN, node, c->root,
                "remove privileged: true; on Fargate the only capability that can be added is "
                "SYS_PTRACE",
                "privileged %s: privileged containers are not available on Fargate", c->owner);
    c->ok = false;
}

static void check_escalation(sec_ctx *c, k2e_node *csc)
{
    bool value;
    k2e_node *node = take_bool(c, csc, "allowPrivilegeEscalation", &value);
    if (!node || value)
        return;
    k2e_diag_at(c->diags, K2E_W_SECURITY, node, c->root,
                "there is no ECS setting for it on Fargate; keep the protection by other "
                "means: a non-root runAsUser and capabilities.drop: [ALL]",
                "allowPrivilegeEscalation: false for %s cannot be expressed: the "
                "no-new-privileges option belongs in dockerSecurityOptions, which is not "
                "valid on Fargate, so the guarantee is lost",
                c->owner);
}

static void check_proc_mount(sec_ctx *c, k2e_node *csc)
{
    const char *value = take_string(c, csc, "procMount");
    if (!value || strcmp(value, "Default") == 0)
        return;
    k2e_diag_at(c->diags, K2E_W_SECURITY, k2e_get(csc, "procMount"), c->root,
                "nothing can be set in ECS; remove the field if the workload does not need "
                "an unmasked /proc",
                "procMount %s for %s: ECS has no setting for the /proc mount; the container "
                "gets the runtime's default",
                value, c->owner);
}

/* --- capabilities ----------------------------------------------------------- */

/* "cap_net_admin" -> "NET_ADMIN" (caller frees). */
static char *capability_name(const char *text)
{
    char *name = k2e_strdup(text);
    if (!name)
        return NULL;
    for (char *p = name; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    }
    if (strncmp(name, "CAP_", 4) == 0)
        memmove(name, name + 4, strlen(name + 4) + 1);
    return name;
}

static bool ecs_knows(const char *name)
{
    for (size_t i = 0; i < COUNT(ecs_capabilities); i++) {
        if (strcmp(ecs_capabilities[i], name) == 0)
            return true;
    }
    return false;
}

static void append_unique(json_t *list, const char *name)
{
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        if (strcmp(json_string_value(item), name) == 0)
            return;
    }
    json_array_append_new(list, json_string(name));
}

/* The lowest containerPort of the container (65536 when it has none). */
static int64_t lowest_port(const json_t *container)
{
    int64_t lowest = 65536;
    size_t i;
    json_t *mapping;
    json_array_foreach(json_object_get(container, "portMappings"), i, mapping) {
        json_int_t port = json_integer_value(json_object_get(mapping, "containerPort"));
        if (port > 0 && port < lowest)
            lowest = port;
    }
    return lowest;
}

/* NET_BIND_SERVICE (typically with drop: [ALL]) only matters for a port
 * below 1024: without one it is left out with a warning and the container
 * converts; with one, the error says the two ways out. */
static bool bind_service_unneeded(sec_ctx *c, k2e_node *item)
{
    int64_t lowest = c->container ? lowest_port(c->container) : 0;
    if (lowest >= 1024) {
        k2e_diag_at(c->diags, K2E_W_BIND_SERVICE, item, c->root,
                    "if the process binds a port below 1024 that is not declared in ports, "
                    "move it to 1024 or above",
                    "capability NET_BIND_SERVICE left out of %s: Fargate only allows adding "
                    "SYS_PTRACE, and no declared port is below 1024",
                    c->owner);
        return true;
    }
    k2e_diag_at(c->diags, K2E_E_FARGATE_FORBIDDEN, item, c->root,
                "listen on a port >= 1024 instead (change containerPort; the Service's "
                "targetPort and the load balancer follow), or keep the port and drop the "
                "other capabilities by name instead of ALL, so that Docker's default "
                "NET_BIND_SERVICE stays (the process may then keep running as root)",
                "capability NET_BIND_SERVICE cannot be added to %s: Fargate only allows "
                "adding SYS_PTRACE, and port %lld is below 1024",
                c->owner, (long long)lowest);
    c->ok = false;
    return false;
}

/* Whether `name` may appear in the list; diagnostics otherwise. */
static bool capability_allowed(sec_ctx *c, k2e_node *item, const char *name, bool add)
{
    if (add && strcmp(name, "SYS_PTRACE") == 0)
        return true;
    if (add && strcmp(name, "NET_BIND_SERVICE") == 0) {
        bind_service_unneeded(c, item);
        return false;
    }
    if (add) {
        k2e_diag_at(c->diags, K2E_E_FARGATE_FORBIDDEN, item, c->root,
                    "remove it from capabilities.add (Fargate only supports adding "
                    "SYS_PTRACE); if it is in Docker's default set (e.g. NET_BIND_SERVICE, "
                    "CHOWN, SETUID) and drop lists ALL, drop the other capabilities by name "
                    "instead of ALL, so that this one is kept",
                    "capability %s cannot be added to %s: Fargate only allows adding "
                    "SYS_PTRACE",
                    name, c->owner);
        c->ok = false;
        return false;
    }
    if (ecs_knows(name))
        return true;
    k2e_diag_at(c->diags, K2E_W_SECURITY, item, c->root,
                "check the spelling; ECS accepts the capability names of capabilities(7) "
                "without CAP_ (e.g. NET_RAW) or ALL",
                "capability %s is not a name ECS accepts: not dropped from %s", name,
                c->owner);
    return false;
}

static void capability_list(sec_ctx *c, k2e_node *caps, const char *key, json_t *out)
{
    k2e_node *list = field(caps, key, true);
    if (!list)
        return;
    if (!expect_kind(list, c->root, K2E_NODE_SEQUENCE, c->diags)) {
        c->ok = false;
        return;
    }
    for (size_t i = 0; i < list->count; i++) {
        k2e_node *item = list->items[i];
        const char *text;
        k2e_consume(item);
        if (!read_string(item, c->root, &text, c->diags)) {
            c->ok = false;
            continue;
        }
        char *name = capability_name(text);
        if (name && capability_allowed(c, item, name, strcmp(key, "add") == 0))
            append_unique(out, name);
        free(name);
    }
}

/* The object at `key` of `parent`, created when missing. */
static json_t *object_at(json_t *parent, const char *key)
{
    json_t *child = json_object_get(parent, key);
    if (json_is_object(child))
        return child;
    child = json_object();
    json_object_set_new(parent, key, child);
    return child;
}

static void merge_list(json_t *capabilities, const char *key, json_t *names)
{
    if (!json_array_size(names))
        return;
    json_t *list = json_object_get(capabilities, key);
    if (!json_is_array(list)) {
        list = json_array();
        json_object_set_new(capabilities, key, list);
    }
    size_t i;
    json_t *item;
    json_array_foreach(names, i, item) {
        append_unique(list, json_string_value(item));
    }
}

static void apply_capabilities(sec_ctx *c, k2e_node *csc, json_t *cj)
{
    k2e_node *caps = field(csc, "capabilities", true);
    if (!caps)
        return;
    if (!expect_kind(caps, c->root, K2E_NODE_MAPPING, c->diags)) {
        c->ok = false;
        return;
    }
    json_t *add = json_array(), *drop = json_array();
    capability_list(c, caps, "add", add);
    capability_list(c, caps, "drop", drop);
    if (json_array_size(add) || json_array_size(drop)) {
        json_t *capabilities = object_at(object_at(cj, "linuxParameters"), "capabilities");
        merge_list(capabilities, "add", add);
        merge_list(capabilities, "drop", drop);
    }
    json_decref(add);
    json_decref(drop);
}

/* --- settings with no ECS counterpart (container and pod) ------------------ */

static const char *const seccomp_keys[] = {"type", "localhostProfile", NULL};
static const char *const selinux_keys[] = {"user", "role", "type", "level", NULL};
static const char *const apparmor_keys[] = {"type", "localhostProfile", NULL};
static const char *const windows_keys[] = {"gmsaCredentialSpecName", "gmsaCredentialSpec",
                                           "runAsUserName", "hostProcess", NULL};

static void report_seccomp(sec_ctx *c, k2e_node *sc)
{
    k2e_node *node = field(sc, "seccompProfile", true);
    if (!node)
        return;
    const k2e_node *type = k2e_get(node, "type");
    take_keys(node, seccomp_keys);
    k2e_diag_at(c->diags, K2E_W_SECURITY, node, c->root,
                "nothing can be set in ECS: the Fargate platform decides the seccomp profile; "
                "check whether the workload relies on this one",
                "seccompProfile %s of %s is not converted: an ECS task definition has no "
                "seccomp setting on Fargate (dockerSecurityOptions is not valid there), so the "
                "profile is not guaranteed",
                type ? scalar_text(type) : "(no type)", c->owner);
}

static void report_selinux(sec_ctx *c, k2e_node *sc)
{
    k2e_node *node = field(sc, "seLinuxOptions", true);
    if (!node)
        return;
    take_keys(node, selinux_keys);
    k2e_diag_at(c->diags, K2E_W_SECURITY, node, c->root,
                "nothing can be set in ECS; remove the field (Fargate isolates each task in "
                "its own environment instead)",
                "seLinuxOptions of %s are not converted: SELinux labels are not available on "
                "Fargate",
                c->owner);
}

static void report_apparmor(sec_ctx *c, k2e_node *sc)
{
    k2e_node *node = field(sc, "appArmorProfile", true);
    if (!node)
        return;
    const k2e_node *type = k2e_get(node, "type");
    take_keys(node, apparmor_keys);
    k2e_diag_at(c->diags, K2E_W_SECURITY, node, c->root,
                "nothing can be set in ECS; remove the field",
                "appArmorProfile %s of %s is not converted: AppArmor profiles are not "
                "available on Fargate",
                type ? scalar_text(type) : "(no type)", c->owner);
}

static void report_windows(sec_ctx *c, k2e_node *sc)
{
    k2e_node *node = field(sc, "windowsOptions", true);
    if (!node)
        return;
    take_keys(node, windows_keys);
    k2e_diag_at(c->diags, K2E_W_SECURITY, node, c->root,
                "kube2ecs converts Linux containers; for a Windows task set the gMSA "
                "credential spec and the user in the task definition by hand",
                "windowsOptions of %s are not converted", c->owner);
}

static void report_no_ecs(sec_ctx *c, k2e_node *sc)
{
    report_seccomp(c, sc);
    report_selinux(c, sc);
    report_apparmor(c, sc);
    report_windows(c, sc);
}

/* --- sysctls ------------------------------------------------------------------ */

bool k2e_sysctl_supported(const char *name)
{
    for (size_t i = 0; i < COUNT(ipc_sysctls); i++) {
        if (strcmp(ipc_sysctls[i], name) == 0)
            return true;
    }
    return k2e_str_has_prefix(name, "fs.mqueue.") || k2e_str_has_prefix(name, "net.");
}

/* Kubernetes accepts "net/ipv4/ip_forward" too: when the first separator
 * is a slash, slashes and dots swap (ConvertSysctlVariableToDotsSeparator). */
static char *sysctl_dotted(const char *name)
{
    char *out = k2e_strdup(name);
    size_t first = strcspn(name, "./");
    if (!out || name[first] != '/')
        return out;
    for (char *p = out; *p; p++) {
        if (*p == '/')
            *p = '.';
        else if (*p == '.')
            *p = '/';
    }
    return out;
}

/* A sysctl entry's name (dotted, caller frees) and value when both are
 * strings; NULL otherwise (the pod function reports it). */
static char *sysctl_entry(const k2e_node *item, const char **value)
{
    const k2e_node *name = k2e_get(item, "name");
    const k2e_node *val = k2e_get(item, "value");
    if (!k2e_is_scalar(name) || k2e_scalar_type_of(name) != K2E_SCALAR_STRING ||
        !k2e_is_scalar(val) || k2e_scalar_type_of(val) != K2E_SCALAR_STRING)
        return NULL;
    *value = val->value;
    return sysctl_dotted(name->value);
}

static void apply_sysctls(k2e_node *psc, json_t *cj)
{
    const k2e_node *sysctls = k2e_get(psc, "sysctls");
    if (!sysctls || sysctls->kind != K2E_NODE_SEQUENCE)
        return;
    for (size_t i = 0; i < sysctls->count; i++) {
        const char *value;
        char *name = sysctl_entry(sysctls->items[i], &value);
        if (name && k2e_sysctl_supported(name)) {
            json_t *list = json_object_get(cj, "systemControls");
            if (!json_is_array(list)) {
                list = json_array();
                json_object_set_new(cj, "systemControls", list);
            }
            json_array_append_new(list,
                                  json_pack("{s:s, s:s}", "namespace", name, "value", value));
        }
        free(name);
    }
}

/* --- the container ---------------------------------------------------------- */

static char *container_owner(const k2e_node *container)
{
    const k2e_node *name = k2e_get(container, "name");
    return k2e_asprintf("container %s", k2e_is_scalar(name) ? name->value : "?");
}

bool k2e_security_container(k2e_node *pod_spec, k2e_node *container, k2e_node *root,
                            json_t *container_json, k2e_diags *diags)
{
    char *owner = container_owner(container);
    sec_ctx c = {root, diags, owner ? owner : "container", true, container_json};
    k2e_node *csc = field(container, "securityContext", true);
    if (csc && !expect_kind(csc, root, K2E_NODE_MAPPING, diags)) {
        csc = NULL;
        c.ok = false;
    }
    k2e_node *psc = k2e_get(pod_spec, "securityContext");
    if (psc && psc->kind != K2E_NODE_MAPPING)
        psc = NULL;
    apply_user(&c, csc, psc, container_json);
    apply_read_only(&c, csc, container_json);
    check_privileged(&c, csc);
    apply_capabilities(&c, csc, container_json);
    check_escalation(&c, csc);
    check_proc_mount(&c, csc);
    report_no_ecs(&c, csc);
    apply_sysctls(psc, container_json);
    free(owner);
    return c.ok;
}

/* --- the pod ------------------------------------------------------------------ */

/* The host's namespaces: errors when shared, quiet when false. */
static const k2e_field_rule host_rules[] = {
    {NULL, "hostNetwork", "false", NULL, K2E_E_FARGATE_FORBIDDEN,
     "Fargate tasks always use awsvpc networking with their own network interface, never the "
     "host's",
     NULL,
     "remove hostNetwork; the containers of a task already share localhost and the task's IP "
     "address"},
    {NULL, "hostPID", "false", NULL, K2E_E_FARGATE_FORBIDDEN,
     "Fargate supports only pidMode task, never the host's process namespace", NULL,
     "remove hostPID; to let the task's containers see each other's processes use "
     "shareProcessNamespace: true (pidMode task)"},
    {NULL, "hostIPC", "false", NULL, K2E_E_FARGATE_FORBIDDEN,
     "ipcMode is not valid on Fargate, so the host's IPC namespace cannot be shared", NULL,
     "remove hostIPC"},
    {NULL, NULL, NULL, NULL, K2E_E_FARGATE_FORBIDDEN, NULL, NULL, NULL},
};

static void check_host_namespaces(sec_ctx *c, k2e_node *pod_spec)
{
    if (k2e_field_rules_apply(c->diags, c->root, pod_spec, NULL, NULL, host_rules,
                              K2E_RULES_PLAIN))
        c->ok = false;
}

static void share_process_namespace(sec_ctx *c, k2e_node *pod_spec, json_t *task_definition)
{
    bool value;
    if (take_bool(c, pod_spec, "shareProcessNamespace", &value) && value && task_definition)
        json_object_set_new(task_definition, "pidMode", json_string("task"));
}

/* Fields the containers apply: consumed here, their types checked once. */
static void check_applied(sec_ctx *c, k2e_node *psc)
{
    static const char *const ids[] = {"runAsUser", "runAsGroup"};
    for (size_t i = 0; i < COUNT(ids); i++) {
        int64_t value;
        k2e_node *node = field(psc, ids[i], true);
        if (node && !read_id(node, c->root, &value, c->diags))
            c->ok = false;
    }
    bool non_root;
    take_bool(c, psc, "runAsNonRoot", &non_root);
}

static void check_sysctl(sec_ctx *c, k2e_node *item)
{
    if (!expect_kind(item, c->root, K2E_NODE_MAPPING, c->diags)) {
        c->ok = false;
        return;
    }
    k2e_consume(item);
    const char *name = take_string(c, item, "name");
    const char *value = take_string(c, item, "value");
    if (!name || !value)
        return;
    char *dotted = sysctl_dotted(name);
    if (dotted && !k2e_sysctl_supported(dotted))
        k2e_diag_at(c->diags, K2E_W_SECURITY, item, c->root,
                    "set the value another way (e.g. in the entry point, if the kernel allows "
                    "it unprivileged) or drop it",
                    "sysctl %s of the pod cannot be set on Fargate: systemControls accept only "
                    "the namespaced IPC sysctls (kernel.msg*, kernel.sem, kernel.shm*, "
                    "fs.mqueue.*) and net.*; left out",
                    name);
    free(dotted);
}

static void check_sysctls(sec_ctx *c, k2e_node *psc)
{
    k2e_node *sysctls = field(psc, "sysctls", true);
    if (!sysctls)
        return;
    if (!expect_kind(sysctls, c->root, K2E_NODE_SEQUENCE, c->diags)) {
        c->ok = false;
        return;
    }
    for (size_t i = 0; i < sysctls->count; i++)
        check_sysctl(c, sysctls->items[i]);
}

/* Pod securityContext fields that apply to volumes or groups. */
static const k2e_field_rule pod_only_rules[] = {
    {NULL, "fsGroup", NULL, NULL, K2E_W_SECURITY,
     "not converted: ECS has no equivalent; volumes keep their owners and the containers' "
     "processes get no supplementary group",
     NULL,
     "set the ownership in the image, or for EFS use an access point with a POSIX user and "
     "creation permissions"},
    {NULL, "fsGroupChangePolicy", NULL, NULL, K2E_W_SECURITY,
     "not converted: ECS never changes volume ownership", NULL,
     "nothing can be set in ECS; remove the field"},
    {NULL, "supplementalGroupsPolicy", NULL, NULL, K2E_W_SECURITY,
     "not converted: ECS has no such setting; the image's /etc/group decides", NULL,
     "nothing can be set in ECS; remove the field"},
    {NULL, "seLinuxChangePolicy", NULL, NULL, K2E_W_SECURITY,
     "not converted: SELinux labels are not available on Fargate", NULL,
     "nothing can be set in ECS; remove the field"},
    {NULL, NULL, NULL, NULL, K2E_W_SECURITY, NULL, NULL, NULL},
};

/* "1000, 2000" for a list of scalars (caller frees). */
static char *list_text(const k2e_node *list)
{
    if (!list || list->kind != K2E_NODE_SEQUENCE)
        return k2e_strdup(scalar_text(list));
    k2e_buf buf;
    k2e_buf_init(&buf);
    for (size_t i = 0; i < list->count; i++)
        k2e_buf_printf(&buf, "%s%s", i ? ", " : "", scalar_text(list->items[i]));
    return k2e_buf_detach(&buf);
}

static void report_pod_only(sec_ctx *c, k2e_node *psc)
{
    k2e_field_rules_apply(c->diags, c->root, psc, NULL, NULL, pod_only_rules, K2E_RULES_PLAIN);
    k2e_node *groups = field(psc, "supplementalGroups", true);
    if (!groups)
        return;
    k2e_consume_all(groups);
    char *text = list_text(groups);
    k2e_diag_at(c->diags, K2E_W_SECURITY, groups, c->root,
                "add the image's user to these groups in the image's /etc/group",
                "supplementalGroups [%s] of the pod are not converted: ECS has no setting for "
                "supplementary groups",
                text ? text : "");
    free(text);
}

bool k2e_security_pod(k2e_node *pod_spec, k2e_node *root, json_t *task_definition,
                      k2e_diags *diags)
{
    sec_ctx c = {root, diags, "the pod", true, NULL};
    check_host_namespaces(&c, pod_spec);
    share_process_namespace(&c, pod_spec, task_definition);
    k2e_node *psc = field(pod_spec, "securityContext", true);
    if (!psc)
        return c.ok;
    if (!expect_kind(psc, root, K2E_NODE_MAPPING, diags))
        return false;
    check_applied(&c, psc);
    check_sysctls(&c, psc);
    report_pod_only(&c, psc);
    report_no_ecs(&c, psc);
    return c.ok;
}
