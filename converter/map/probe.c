/* Probes -> the ECS container healthCheck; see probe.h.
 *
 * The ECS position.  A task definition has one health check per container:
 * a command run inside the container every `interval` seconds, killed after
 * `timeout`, the container unhealthy after `retries` consecutive failures,
 * failures ignored during `startPeriod` (ranges 5-300, 2-60, 1-10, 0-300).
 * An essential container going unhealthy stops the task, and the service
 * replaces it: that is what a livenessProbe does to a pod's container, so
 * the livenessProbe is the one probe that becomes a healthCheck.
 *
 * - exec probes carry over as ["CMD", ...]: both are run without a shell.
 *   The kubelet expands $(VAR) in probe commands from the container's `env`
 *   list only (a literal value, "" for a valueFrom entry, unknown names kept
 *   as written: kubecontainer.ExpandContainerCommandOnlyStatic); so do we.
 * - httpGet needs a client inside the image.  Whether the image has curl or
 *   wget only the user knows, so the mapping table decides (httpProbes):
 *   none (default) tells the user what the target group health check should
 *   be; curl/wget build a CMD-SHELL line.  The URL is built the way the
 *   kubelet's formatURL does (Go's url.Parse then String: a path that is not
 *   valid percent-encoding is re-escaped, e.g. "/it's ok" -> "/it%27s%20ok",
 *   the fragment is not sent), and every value that enters the shell text
 *   is single-quoted ('...' with ' written as '\'').
 * - tcpSocket and grpc cannot be checked reliably with the tools an image
 *   usually has: they always become target group advice (K2E-I040).
 * - readinessProbe never stops a container; it decides traffic, which on ECS
 *   is the target group's health check (K2E-I041).
 * - startupProbe has no ECS counterpart; its failure budget becomes the
 *   liveness check's startPeriod (the liveness check runs during the start
 *   period, its failures not counted, which is what the startup probe buys).
 *
 * Timing values outside the ECS ranges are clamped with a warning that names
 * both values; Kubernetes' defaults (period 10, timeout 1, failure 3) are
 * written out explicitly because ECS's own defaults differ (30, 5, 3), and
 * the default timeout of 1 s is below the ECS minimum, which is said too.
 */
#include "map/probe.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/ecs_limits.h"
#include "map/expand.h"
#include "map/k8s_defaults.h"
#include "base/util.h"

/* Kubernetes' probe defaults (map/k8s_defaults.h). */
enum {
    K8S_DELAY = K2E_K8S_PROBE_INITIAL_DELAY,
    K8S_PERIOD = K2E_K8S_PROBE_PERIOD,
    K8S_TIMEOUT = K2E_K8S_PROBE_TIMEOUT,
    K8S_SUCCESS = K2E_K8S_PROBE_SUCCESS,
    K8S_FAILURE = K2E_K8S_PROBE_FAILURE,
};

#define DEFAULT_HOST "127.0.0.1"

typedef struct {
    k2e_node *root;
    k2e_diags *diags;
    k2e_node *container;
    const char *name; /* the container's name, for messages */
} probe_ctx;

/* One timing field and the node it was written at (NULL when absent).
 * Kubernetes defaults an absent field, and a 0 in the fields whose Go
 * defaulting tests for 0 (period, timeout, success, failure). */
typedef struct {
    int64_t value;
    k2e_node *node;
    bool defaulted;
} timing_value;

typedef struct {
    k2e_node *probe;
    const char *what; /* "livenessProbe" */
    timing_value delay, period, timeout, success, failure;
} probe_timing;

typedef enum {
    HANDLER_EXEC,
    HANDLER_HTTP,
    HANDLER_TCP,
    HANDLER_GRPC,
    HANDLER_COUNT
} handler_kind;

static const char *const handler_keys[HANDLER_COUNT] = {"exec", "httpGet", "tcpSocket", "grpc"};

typedef struct {
    handler_kind kind;
    k2e_node *node;
    k2e_node *command;     /* exec */
    bool https;            /* httpGet */
    const char *host;      /* httpGet, tcpSocket: NULL = default */
    const char *path;      /* httpGet: NULL = "/" */
    k2e_node *headers;     /* httpGet: a sequence, or NULL */
    const char *service;   /* grpc, NULL = none */
    k2e_node *port_node;
    int64_t port;          /* 0 until resolved */
    const char *port_name; /* a named port, resolved or not */
    bool ok;
} handler;

typedef struct {
    bool present;
    probe_timing timing;
    int64_t budget; /* initialDelaySeconds + periodSeconds x failureThreshold */
} startup_info;

typedef struct {
    int64_t interval, timeout, retries, start_period;
} ecs_timing;

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

static bool read_text(const k2e_node *node, const k2e_node *root, const char **out,
                      k2e_diags *diags)
{
    return k2e_as_text(node, root, out, diags);
}

static bool expect_kind(const k2e_node *node, const k2e_node *root, k2e_node_kind kind,
                        k2e_diags *diags)
{
    return k2e_expect_kind(node, root, kind, diags);
}

/* --- small readers ------------------------------------------------------- */

static const char *container_name(const k2e_node *container)
{
    const k2e_node *name = k2e_get(container, "name");
    return k2e_is_scalar(name) && !k2e_is_null(name) ? name->value : "?";
}

static timing_value take_int(probe_ctx *c, k2e_node *map, const char *key, int64_t fallback,
                             bool zero_is_default)
{
    timing_value out = {fallback, NULL, true};
    k2e_node *node = k2e_take(map, key);
    if (!node || k2e_is_null(node) || !read_int(node, c->root, &out.value, c->diags)) {
        out.value = fallback;
        return out;
    }
    out.node = node;
    out.defaulted = zero_is_default && out.value == 0;
    if (out.defaulted)
        out.value = fallback;
    return out;
}

/* A string field, consumed; NULL when absent, null or of the wrong type
 * (then *ok is cleared). */
static const char *take_string(probe_ctx *c, k2e_node *map, const char *key, bool *ok)
{
    k2e_node *node = k2e_take(map, key);
    const char *value = NULL;
    if (!node || k2e_is_null(node))
        return NULL;
    if (!read_string(node, c->root, &value, c->diags))
        *ok = false;
    return value;
}

static void read_timing(probe_ctx *c, k2e_node *probe, const char *what, probe_timing *t)
{
    t->probe = probe;
    t->what = what;
    t->delay = take_int(c, probe, "initialDelaySeconds", K8S_DELAY, false);
    t->period = take_int(c, probe, "periodSeconds", K8S_PERIOD, true);
    t->timeout = take_int(c, probe, "timeoutSeconds", K8S_TIMEOUT, true);
    t->success = take_int(c, probe, "successThreshold", K8S_SUCCESS, true);
    t->failure = take_int(c, probe, "failureThreshold", K8S_FAILURE, true);
}

/* Liveness and startup probes: successThreshold must be 1, and a probe's
 * own terminationGracePeriodSeconds has no per-check ECS counterpart. */
static void report_extras(probe_ctx *c, probe_timing *t)
{
    if (t->success.node && t->success.value != 1)
        k2e_diag_at(c->diags, K2E_W_PROBE_NOT_CONVERTED, t->success.node, c->root,
                    "Kubernetes only accepts 1 here; remove the field",
                    "successThreshold %" PRId64 " of the %s of container %s: ECS health "
                    "checks have no success threshold (one success makes a container "
                    "healthy)",
                    t->success.value, t->what, c->name);
    k2e_node *grace = k2e_take(t->probe, "terminationGracePeriodSeconds");
    if (!grace || k2e_is_null(grace))
        return;
    k2e_diag_at(c->diags, K2E_W_PROBE_NOT_CONVERTED, grace, c->root,
                "set stopTimeout on the container definition (at most 120 s on Fargate) if "
                "the container needs this long to shut down",
                "terminationGracePeriodSeconds %s of the %s of container %s: ECS has no "
                "grace period per health check; the container's stopTimeout applies",
                k2e_is_scalar(grace) ? grace->value : "(not a number)", t->what, c->name);
}

/* --- handlers --------------------------------------------------------------- */

static void take_headers(probe_ctx *c, handler *h)
{
    k2e_node *headers = k2e_take(h->node, "httpHeaders");
    if (!headers || k2e_is_null(headers))
        return;
    if (!expect_kind(headers, c->root, K2E_NODE_SEQUENCE, c->diags)) {
        h->ok = false;
        return;
    }
    h->headers = headers;
    for (size_t i = 0; i < headers->count; i++) {
        k2e_node *item = headers->items[i];
        if (!expect_kind(item, c->root, K2E_NODE_MAPPING, c->diags)) {
            h->ok = false;
            continue;
        }
        k2e_consume(item);
        const char *name = take_string(c, item, "name", &h->ok);
        take_string(c, item, "value", &h->ok);
        if (!name || !*name) {
            k2e_diag_at(c->diags, K2E_E_TYPE, item, c->root, "give every header a name",
                        "HTTP header without a name");
            h->ok = false;
        }
    }
}

static void take_http(probe_ctx *c, handler *h)
{
    h->path = take_string(c, h->node, "path", &h->ok);
    h->host = take_string(c, h->node, "host", &h->ok);
    const char *scheme = take_string(c, h->node, "scheme", &h->ok);
    take_headers(c, h);
    if (!scheme || strcmp(scheme, "HTTP") == 0)
        return;
    if (strcmp(scheme, "HTTPS") == 0) {
        h->https = true;
        return;
    }
    k2e_diag_at(c->diags, K2E_E_TYPE, k2e_get(h->node, "scheme"), c->root,
                "Kubernetes accepts HTTP or HTTPS", "unknown scheme '%s'", scheme);
    h->ok = false;
}

/* Consumes the one handler of a probe; false (after a diagnostic) when
 * there is none, several, or it is malformed. */
static bool take_handler(probe_ctx *c, probe_timing *t, handler *h)
{
    memset(h, 0, sizeof *h);
    size_t found = 0;
    for (int i = 0; i < HANDLER_COUNT; i++) {
        k2e_node *node = k2e_get(t->probe, handler_keys[i]);
        if (!node || k2e_is_null(node))
            continue;
        if (found++ == 0) {
            h->kind = (handler_kind)i;
            h->node = node;
        }
    }
    if (found != 1) {
        for (int i = 0; found > 1 && i < HANDLER_COUNT; i++)
            k2e_consume_all(k2e_take(t->probe, handler_keys[i]));
        k2e_diag_at(c->diags, K2E_W_PROBE_NOT_CONVERTED, t->probe, c->root,
                    "give the probe exactly one of exec, httpGet, tcpSocket or grpc",
                    found ? "%s of container %s has more than one handler: not converted"
                          : "%s of container %s has no handler: not converted",
                    t->what, c->name);
        return false;
    }
    k2e_take(t->probe, handler_keys[h->kind]);
    if (!expect_kind(h->node, c->root, K2E_NODE_MAPPING, c->diags))
        return false;
    h->ok = true;
    h->port_node = h->kind == HANDLER_EXEC ? NULL : k2e_take(h->node, "port");
    if (h->kind == HANDLER_EXEC)
        h->command = k2e_take(h->node, "command");
    else if (h->kind == HANDLER_HTTP)
        take_http(c, h);
    else if (h->kind == HANDLER_TCP)
        h->host = take_string(c, h->node, "host", &h->ok);
    else
        h->service = take_string(c, h->node, "service", &h->ok);
    return h->ok;
}

/* --- ports ---------------------------------------------------------------- */

/* The containerPort of the container's port named `name`, else the name
 * read as a number (the kubelet's last resort), else 0. */
static int64_t named_port(const probe_ctx *c, const char *name)
{
    const k2e_node *ports = k2e_get(c->container, "ports");
    for (size_t i = 0; ports && ports->kind == K2E_NODE_SEQUENCE && i < ports->count; i++) {
        const k2e_node *port = ports->items[i];
        const k2e_node *port_name = k2e_get(port, "name");
        const k2e_node *number = k2e_get(port, "containerPort");
        if (!k2e_is_scalar(port_name) || strcmp(port_name->value, name) != 0 ||
            !k2e_is_scalar(number) || k2e_scalar_type_of(number) != K2E_SCALAR_INT)
            continue;
        return strtoll(number->value, NULL, 10);
    }
    if (!*name || strspn(name, "0123456789") != strlen(name) || strlen(name) > 5)
        return 0;
    return strtoll(name, NULL, 10);
}

/* Resolves h->port; false (and h->port 0) when it cannot be.  Diagnostics
 * only for malformed values; the caller words the unresolved-name case. */
static bool resolve_port(probe_ctx *c, handler *h)
{
    k2e_node *port = h->port_node;
    if (!port || k2e_is_null(port))
        return false;
    if (k2e_is_scalar(port) && k2e_scalar_type_of(port) == K2E_SCALAR_STRING &&
        h->kind != HANDLER_GRPC) {
        h->port_name = port->value;
        h->port = named_port(c, port->value);
    } else if (!read_int(port, c->root, &h->port, c->diags)) {
        h->port = 0;
        return false;
    }
    if (h->port >= 1 && h->port <= 65535)
        return true;
    if (!h->port_name)
        k2e_diag_at(c->diags, K2E_E_TYPE, port, c->root, "use a port number from 1 to 65535",
                    "port %" PRId64 " out of range", h->port);
    h->port = 0;
    return false;
}

/* "8080", or "'web' (not a port name of this container)". */
static char *port_text(const handler *h)
{
    if (h->port)
        return k2e_asprintf("%" PRId64, h->port);
    if (h->port_name)
        return k2e_asprintf("'%s' (not a port name of this container)", h->port_name);
    return k2e_strdup("(none)");
}

/* --- timing ----------------------------------------------------------------- */

typedef struct {
    const char *ecs;
    const char *k8s;
    int64_t min, max;
    const char *unit;
    const char *hint;
} range_rule;

static const range_rule interval_rule = {
    "interval", "periodSeconds", K2E_HEALTH_INTERVAL_MIN, K2E_HEALTH_INTERVAL_MAX, " s",
    "ECS accepts an interval of 5-300 s; set periodSeconds in that range"};
static const range_rule timeout_rule = {
    "timeout", "timeoutSeconds", K2E_HEALTH_TIMEOUT_MIN, K2E_HEALTH_TIMEOUT_MAX, " s",
    "ECS accepts a timeout of 2-60 s; set timeoutSeconds in that range to make the "
    "value explicit"};
static const range_rule retries_rule = {
    "retries", "failureThreshold", K2E_HEALTH_RETRIES_MIN, K2E_HEALTH_RETRIES_MAX, "",
    "ECS accepts 1-10 retries; set failureThreshold in that range (a longer tolerance "
    "needs a longer periodSeconds)"};
static const range_rule start_rule = {
    "startPeriod", "initialDelaySeconds", K2E_HEALTH_START_PERIOD_MIN,
    K2E_HEALTH_START_PERIOD_MAX, " s",
    "ECS accepts a startPeriod of 0-300 s; set initialDelaySeconds in that range"};

static int64_t clamp_to(probe_ctx *c, const probe_timing *t, timing_value v,
                        const range_rule *r)
{
    if (v.value >= r->min && v.value <= r->max)
        return v.value;
    bool below = v.value < r->min;
    int64_t to = below ? r->min : r->max;
    const char *origin = !v.defaulted ? ""
                         : v.node     ? " (Kubernetes' default, for 0)"
                                      : " (Kubernetes' default)";
    k2e_diag_at(c->diags, K2E_W_PROBE_CLAMPED, v.node ? v.node : t->probe, c->root, r->hint,
                "%s %" PRId64 "%s%s of container %s is %s the ECS %s %s of %" PRId64
                "%s: clamped to %" PRId64 "%s",
                r->k8s, v.value, r->unit, origin, c->name,
                below ? "below" : "above", below ? "minimum" : "maximum", r->ecs, to, r->unit,
                to, r->unit);
    return to;
}

static int64_t budget_of(const probe_timing *t)
{
    int64_t delay = t->delay.value > 0 ? t->delay.value : 0;
    int64_t period = t->period.value, failure = t->failure.value;
    if (period <= 0 || failure <= 0)
        return delay;
    if (period > INT64_MAX / failure || period * failure > INT64_MAX - delay)
        return INT64_MAX;
    return delay + period * failure;
}

static int64_t start_period(probe_ctx *c, const probe_timing *t, const startup_info *s)
{
    if (!s->present || s->budget <= t->delay.value)
        return clamp_to(c, t, t->delay, &start_rule);
    if (s->budget <= K2E_HEALTH_START_PERIOD_MAX)
        return s->budget;
    const probe_timing *st = &s->timing;
    k2e_diag_at(c->diags, K2E_W_PROBE_CLAMPED, st->probe, c->root,
                "ECS ignores failures for at most 300 s after the start; if the application "
                "needs longer, raise the livenessProbe's failureThreshold or periodSeconds "
                "so that retries x interval covers the rest",
                "startupProbe budget of container %s, %" PRId64 " s (initialDelaySeconds %" PRId64
                " + periodSeconds %" PRId64 " x failureThreshold %" PRId64
                "), is above the ECS maximum startPeriod of 300 s: clamped to 300 s",
                c->name, s->budget, st->delay.value, st->period.value, st->failure.value);
    return K2E_HEALTH_START_PERIOD_MAX;
}

static ecs_timing ecs_timing_of(probe_ctx *c, const probe_timing *t, const startup_info *s)
{
    ecs_timing e;
    e.interval = clamp_to(c, t, t->period, &interval_rule);
    e.timeout = clamp_to(c, t, t->timeout, &timeout_rule);
    e.retries = clamp_to(c, t, t->failure, &retries_rule);
    e.start_period = start_period(c, t, s);
    return e;
}

/* The Kubernetes grace before failures count: max(initialDelaySeconds,
 * startupProbe budget), unclamped (for target group advice). */
static int64_t grace_of(const probe_timing *t, const startup_info *s)
{
    return s->present && s->budget > t->delay.value ? s->budget : t->delay.value;
}

static json_t *health_check(json_t *command, const ecs_timing *e)
{
    json_t *check = json_object();
    json_object_set_new(check, "command", command);
    json_object_set_new(check, "interval", json_integer((json_int_t)e->interval));
    json_object_set_new(check, "timeout", json_integer((json_int_t)e->timeout));
    json_object_set_new(check, "retries", json_integer((json_int_t)e->retries));
    if (e->start_period > 0)
        json_object_set_new(check, "startPeriod", json_integer((json_int_t)e->start_period));
    return check;
}

/* --- exec ----------------------------------------------------------------- */

/* The kubelet's probe environment: the container's `env` entries only, a
 * valueFrom entry counting as "" (v1EnvVarsToMap reads .Value); the last
 * entry of a name wins. */
static k2e_var_lookup probe_env_lookup(const char *name, const char **value, void *context)
{
    const k2e_node *env = context;
    bool found = false;
    for (size_t i = 0; env && env->kind == K2E_NODE_SEQUENCE && i < env->count; i++) {
        const k2e_node *entry_name = k2e_get(env->items[i], "name");
        if (!k2e_is_scalar(entry_name) || strcmp(entry_name->value, name) != 0)
            continue;
        const k2e_node *entry_value = k2e_get(env->items[i], "value");
        *value = k2e_is_scalar(entry_value) && !k2e_is_null(entry_value) ? entry_value->value
                                                                          : "";
        found = true;
    }
    return found ? K2E_VAR_FOUND : K2E_VAR_UNKNOWN;
}

static json_t *exec_command(probe_ctx *c, const probe_timing *t, const handler *h)
{
    k2e_node *command = h->command;
    if (command && !k2e_is_null(command) &&
        !expect_kind(command, c->root, K2E_NODE_SEQUENCE, c->diags))
        return NULL;
    if (!command || k2e_is_null(command) || command->count == 0) {
        k2e_diag_at(c->diags, K2E_W_PROBE_NOT_CONVERTED, command ? command : h->node, c->root,
                    "give exec.command the program and its arguments",
                    "%s of container %s has an exec handler without a command: not converted",
                    t->what, c->name);
        return NULL;
    }
    json_t *out = json_array();
    json_array_append_new(out, json_string("CMD"));
    k2e_node *env = k2e_get(c->container, "env");
    for (size_t i = 0; i < command->count; i++) {
        const char *text;
        k2e_node *item = command->items[i];
        k2e_consume(item);
        if (!read_text(item, c->root, &text, c->diags)) {
            json_decref(out);
            return NULL;
        }
        const char *dynamic_name = NULL;
        bool dynamic = false;
        char *expanded = k2e_expand_vars(text, probe_env_lookup, env, &dynamic_name, &dynamic);
        json_array_append_new(out, json_string(expanded ? expanded : text));
        free(expanded);
    }
    return out;
}

/* --- httpGet as a shell command ------------------------------------------- */

static void shell_quote(k2e_buf *buf, const char *s)
{
    k2e_buf_puts(buf, "'");
    for (; *s; s++) {
        if (*s == '\'')
            k2e_buf_puts(buf, "'\\''");
        else
            k2e_buf_append(buf, s, 1);
    }
    k2e_buf_puts(buf, "'");
}

/* Go's net/url shouldEscape(c, encodePath). */
static bool path_should_escape(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return false;
    return !strchr("-_.~$&+,/:;=@", c) || c == '\0';
}

/* Go's validEncoded(s, encodePath) over n bytes. */
static bool path_valid_encoded(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c && strchr("!$&'()*+,;=:@[]%", c))
            continue;
        if (path_should_escape(c))
            return false;
    }
    return true;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes n bytes onto *out; false on a bad escape. */
static bool path_unescape(const char *s, size_t n, k2e_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '%') {
            k2e_buf_append(out, &s[i], 1);
            continue;
        }
        if (i + 2 >= n)
            return false;
        int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
        if (hi < 0 || lo < 0)
            return false;
        char byte = (char)(hi * 16 + lo);
        k2e_buf_append(out, &byte, 1);
        i += 2;
    }
    return true;
}

static void path_escape(k2e_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (path_should_escape(c))
            k2e_buf_printf(out, "%%%02X", c);
        else
            k2e_buf_append(out, &s[i], 1);
    }
}

static bool has_control_byte(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    }
    return false;
}

/* The request target the kubelet sends for `path` (formatURL: url.Parse,
 * then String; on a parse error the whole text is the path). */
static void append_request_path(k2e_buf *buf, const char *path)
{
    size_t end = strcspn(path, "#");
    size_t query = strcspn(path, "?");
    size_t n = query < end ? query : end;
    k2e_buf decoded;
    k2e_buf_init(&decoded);
    bool parsed = !has_control_byte(path) && path_unescape(path, n, &decoded);
    if (path[0] != '/')
        k2e_buf_puts(buf, "/");
    if (!parsed) {
        path_escape(buf, path, strlen(path));
    } else if (path_valid_encoded(path, n)) {
        k2e_buf_append(buf, path, n);
    } else {
        path_escape(buf, decoded.data ? decoded.data : "", decoded.length);
    }
    if (parsed && query < end)
        k2e_buf_append(buf, path + query, end - query);
    k2e_buf_release(&decoded);
}

static char *http_url(const handler *h)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    const char *host = h->host && *h->host ? h->host : DEFAULT_HOST;
    k2e_buf_puts(&buf, h->https ? "https://" : "http://");
    if (strchr(host, ':') && host[0] != '[')
        k2e_buf_printf(&buf, "[%s]", host);
    else
        k2e_buf_puts(&buf, host);
    k2e_buf_printf(&buf, ":%" PRId64, h->port);
    append_request_path(&buf, h->path && *h->path ? h->path : "/");
    return k2e_buf_detach(&buf);
}

static void append_headers(k2e_buf *buf, const handler *h, bool curl)
{
    for (size_t i = 0; h->headers && i < h->headers->count; i++) {
        const k2e_node *name = k2e_get(h->headers->items[i], "name");
        const k2e_node *value = k2e_get(h->headers->items[i], "value");
        char *header = k2e_asprintf("%s: %s", name->value,
                                    k2e_is_null(value) ? "" : value->value);
        if (!header)
            continue;
        k2e_buf_puts(buf, curl ? " -H " : " --header=");
        shell_quote(buf, header);
        free(header);
    }
}

/* curl -fsS [-k] --max-time T [-H 'h']... 'URL' >/dev/null || exit 1
 * wget -q -O /dev/null -T T [--no-check-certificate] [--header='h']... 'URL' || exit 1 */
static json_t *http_command(const handler *h, int64_t max_time, k2e_http_probe_mode mode)
{
    char *url = http_url(h);
    if (!url)
        return NULL;
    bool curl = mode == K2E_HTTP_PROBE_CURL;
    k2e_buf buf;
    k2e_buf_init(&buf);
    if (curl)
        k2e_buf_printf(&buf, "curl -fsS%s --max-time %" PRId64, h->https ? " -k" : "",
                       max_time);
    else
        k2e_buf_printf(&buf, "wget -q -O /dev/null -T %" PRId64 "%s", max_time,
                       h->https ? " --no-check-certificate" : "");
    append_headers(&buf, h, curl);
    k2e_buf_puts(&buf, " ");
    shell_quote(&buf, url);
    k2e_buf_puts(&buf, curl ? " >/dev/null || exit 1" : " || exit 1");
    free(url);
    char *line = k2e_buf_detach(&buf);
    if (!line)
        return NULL;
    json_t *out = json_pack("[s, s]", "CMD-SHELL", line);
    free(line);
    return out;
}

static json_t *http_check(probe_ctx *c, const probe_timing *t, handler *h,
                          const startup_info *s, k2e_http_probe_mode mode)
{
    if (!resolve_port(c, h)) {
        if (h->port_name)
            k2e_diag_at(c->diags, K2E_W_PROBE_NOT_CONVERTED, h->port_node, c->root,
                        "name the port in the container's ports[] or write the number",
                        "%s of container %s uses port '%s', which is not the name of one of "
                        "its ports: no health check",
                        t->what, c->name, h->port_name);
        else if (!h->port_node || k2e_is_null(h->port_node))
            k2e_diag_at(c->diags, K2E_W_PROBE_NOT_CONVERTED, h->node, c->root,
                        "give httpGet a port", "%s of container %s has no port: no health check",
                        t->what, c->name);
        return NULL;
    }
    int64_t max_time = t->timeout.value;
    if (max_time > K2E_HEALTH_TIMEOUT_MAX)
        max_time = K2E_HEALTH_TIMEOUT_MAX;
    if (max_time < 1)
        max_time = 1;
    json_t *command = http_command(h, max_time, mode);
    if (!command)
        return NULL;
    ecs_timing e = ecs_timing_of(c, t, s);
    return health_check(command, &e);
}

/* --- target group advice ------------------------------------------------ */

/* "protocol HTTP, path /healthz, port 8080" and the like. */
static void describe_target(k2e_buf *buf, const handler *h)
{
    char *port = port_text(h);
    if (h->kind == HANDLER_HTTP)
        k2e_buf_printf(buf, "protocol %s, path %s, port %s", h->https ? "HTTPS" : "HTTP",
                       h->path && *h->path ? h->path : "/", port ? port : "?");
    else if (h->kind == HANDLER_TCP)
        k2e_buf_printf(buf, "protocol TCP (a Network Load Balancer target group), port %s",
                       port ? port : "?");
    else
        k2e_buf_printf(buf,
                       "protocol gRPC (an HTTP/2 target group with protocol version gRPC), "
                       "path /grpc.health.v1.Health/Check, success code 0, port %s",
                       port ? port : "?");
    free(port);
}

/* What the target group cannot reproduce. */
static void describe_losses(k2e_buf *buf, const handler *h)
{
    if (h->headers && h->headers->count)
        k2e_buf_puts(buf, "; target groups cannot send the probe's httpHeaders");
    if (h->host && *h->host)
        k2e_buf_printf(buf, "; the target group checks the task's own address, not host %s",
                       h->host);
    if (h->service && *h->service)
        k2e_buf_printf(buf, "; the target group cannot send the service name '%s'",
                       h->service);
}

/* --- the load balancer's health check: one recommendation ------------------- */

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* The target group timing a probe gives, in the ELB ranges: the rule
 * services/target_group.c applies to the target-groups/ file (K2E-I081),
 * so that K2E-I040, K2E-I041 and K2E-I081 recommend the same values. */
static void describe_lb_timing(k2e_buf *buf, const probe_timing *t, int64_t grace)
{
    int64_t interval = clamp64(t->period.value, K2E_ELB_INTERVAL_MIN, K2E_ELB_INTERVAL_MAX);
    int64_t timeout_max = interval - 1 < K2E_ELB_TIMEOUT_MAX ? interval - 1 : K2E_ELB_TIMEOUT_MAX;
    k2e_buf_printf(buf,
                   ", interval %" PRId64 " s (periodSeconds %" PRId64 "), timeout %" PRId64
                   " s (timeoutSeconds %" PRId64 "), healthy threshold %" PRId64
                   " (successThreshold %" PRId64 "), unhealthy threshold %" PRId64
                   " (failureThreshold %" PRId64 "), health check grace period %" PRId64 " s",
                   interval, t->period.value,
                   clamp64(t->timeout.value, K2E_ELB_TIMEOUT_MIN, timeout_max), t->timeout.value,
                   clamp64(t->success.value, K2E_ELB_THRESHOLD_MIN, K2E_ELB_THRESHOLD_MAX),
                   t->success.value,
                   clamp64(t->failure.value, K2E_ELB_THRESHOLD_MIN, K2E_ELB_THRESHOLD_MAX),
                   t->failure.value, grace);
}

/* ECS Developer Guide, "Health checks for Amazon ECS services" (load
 * balancer health checks): a task the load balancer reports unhealthy is
 * stopped and replaced. */
#define LB_REPLACES                                                                            \
    "; on ECS a task that fails the load balancer health check is stopped and replaced, not "  \
    "only taken out of rotation"
#define LB_HINT                                                                                \
    "set these on the service's target group (interval, timeout and thresholds in the ELB "     \
    "ranges 5-300 s, 2-120 s, 2-10; the grace period is the service's "                        \
    "healthCheckGracePeriodSeconds); with a load balancer the converter writes the same "      \
    "values to OUTDIR/target-groups/ (K2E-I081; load balancer annotations override them "     \
    "there). Keep the check lenient where the pod used to turn unready on purpose (warm-up, "  \
    "draining): on ECS that replaces the task"

static const char *handler_noun(handler_kind kind)
{
    static const char *const nouns[HANDLER_COUNT] = {"a command", "an HTTP check",
                                                     "a TCP check", "a gRPC check"};
    return nouns[kind];
}

static void report_load_balancer(probe_ctx *c, const probe_timing *t, handler *h,
                                 const startup_info *s, k2e_http_probe_mode mode)
{
    resolve_port(c, h);
    k2e_buf buf;
    k2e_buf_init(&buf);
    describe_target(&buf, h);
    describe_lb_timing(&buf, t, grace_of(t, s));
    describe_losses(&buf, h);
    char *settings = k2e_buf_detach(&buf);
    const char *hint =
        h->kind == HANDLER_HTTP
            ? LB_HINT "; or set healthChecks.httpProbes: curl (or wget) in the mapping table to "
                      "get a container health check, if the image has the tool"
            : LB_HINT "; curl or wget cannot make this check, so for a container health check "
                      "write an exec livenessProbe";
    k2e_diag_at(c->diags, K2E_I_PROBE_LOAD_BALANCER, t->probe, c->root, hint,
                "%s of container %s is %s%s: no container health check; it becomes the load "
                "balancer target group health check when the pod has no readinessProbe: %s"
                LB_REPLACES,
                t->what, c->name, handler_noun(h->kind),
                mode != K2E_HTTP_PROBE_NONE ? " (httpProbes: curl/wget covers httpGet only)"
                                            : "",
                settings ? settings : "");
    free(settings);
}

/* --- the probes ------------------------------------------------------------- */

static void read_startup(probe_ctx *c, startup_info *s)
{
    memset(s, 0, sizeof *s);
    k2e_node *probe = k2e_take(c->container, "startupProbe");
    if (!probe || k2e_is_null(probe) ||
        !expect_kind(probe, c->root, K2E_NODE_MAPPING, c->diags))
        return;
    read_timing(c, probe, "startupProbe", &s->timing);
    report_extras(c, &s->timing);
    handler h;
    if (!take_handler(c, &s->timing, &h))
        return;
    k2e_consume_all(h.command); /* the startup check itself is subsumed, see above */
    s->present = true;
    s->budget = budget_of(&s->timing);
}

json_t *k2e_health_check_build(k2e_node *container, k2e_node *root, k2e_http_probe_mode mode,
                               k2e_diags *diags)
{
    probe_ctx c = {root, diags, container, container_name(container)};
    startup_info startup;
    read_startup(&c, &startup);
    k2e_node *probe = k2e_take(container, "livenessProbe");
    if (!probe || k2e_is_null(probe)) {
        if (startup.present)
            k2e_diag_at(diags, K2E_W_PROBE_NOT_CONVERTED, startup.timing.probe, root,
                        "ECS has no startup probe; add a livenessProbe: its health check gets "
                        "this probe's budget (initialDelaySeconds + periodSeconds x "
                        "failureThreshold) as startPeriod",
                        "startupProbe of container %s without a livenessProbe: not converted",
                        c.name);
        return NULL;
    }
    if (!expect_kind(probe, root, K2E_NODE_MAPPING, diags))
        return NULL;
    probe_timing t;
    read_timing(&c, probe, "livenessProbe", &t);
    report_extras(&c, &t);
    handler h;
    if (!take_handler(&c, &t, &h))
        return NULL;
    if (h.kind == HANDLER_EXEC) {
        json_t *command = exec_command(&c, &t, &h);
        if (!command)
            return NULL;
        ecs_timing e = ecs_timing_of(&c, &t, &startup);
        return health_check(command, &e);
    }
    if (h.kind == HANDLER_HTTP && mode != K2E_HTTP_PROBE_NONE)
        return http_check(&c, &t, &h, &startup, mode);
    report_load_balancer(&c, &t, &h, &startup, mode);
    return NULL;
}

static int64_t peek_int(const k2e_node *probe, const char *key, int64_t fallback)
{
    const k2e_node *n = k2e_get(probe, key);
    char *end;
    if (!k2e_is_scalar(n) || !*n->value)
        return fallback;
    long long v = strtoll(n->value, &end, 10);
    return *end ? fallback : v;
}

/* The grace period target_group.c gives: the readiness probe's
 * initialDelaySeconds or the startup probe's whole budget, the larger. */
static int64_t startup_grace(const k2e_node *container, int64_t delay)
{
    const k2e_node *startup = k2e_get(container, "startupProbe");
    if (!startup || k2e_is_null(startup))
        return delay;
    int64_t budget = peek_int(startup, "initialDelaySeconds", K2E_K8S_PROBE_INITIAL_DELAY) +
                     peek_int(startup, "periodSeconds", K2E_K8S_PROBE_PERIOD) *
                         peek_int(startup, "failureThreshold", K2E_K8S_PROBE_FAILURE);
    return budget > delay ? budget : delay;
}

void k2e_readiness_report(k2e_node *container, k2e_node *root, k2e_diags *diags)
{
    probe_ctx c = {root, diags, container, container_name(container)};
    k2e_node *probe = k2e_take(container, "readinessProbe");
    if (!probe || k2e_is_null(probe) ||
        !expect_kind(probe, root, K2E_NODE_MAPPING, diags))
        return;
    probe_timing t;
    read_timing(&c, probe, "readinessProbe", &t);
    handler h;
    if (!take_handler(&c, &t, &h))
        return;
    if (h.kind == HANDLER_EXEC) {
        k2e_consume_all(h.command);
        k2e_diag_at(diags, K2E_W_PROBE_NOT_CONVERTED, probe, root,
                    "serve the readiness state over HTTP for the target group, or, if a "
                    "restart on failure is acceptable, make it the livenessProbe (the ECS "
                    "container health check)",
                    "readinessProbe of container %s runs a command; a target group health "
                    "check can only make HTTP, HTTPS, gRPC or TCP requests: not converted",
                    c.name);
        return;
    }
    resolve_port(&c, &h);
    k2e_buf buf;
    k2e_buf_init(&buf);
    describe_target(&buf, &h);
    describe_lb_timing(&buf, &t, startup_grace(container, t.delay.value));
    describe_losses(&buf, &h);
    char *settings = k2e_buf_detach(&buf);
    k2e_diag_at(diags, K2E_I_READINESS, probe, root, LB_HINT,
                "readinessProbe of container %s becomes the load balancer target group health "
                "check: %s" LB_REPLACES,
                c.name, settings ? settings : "");
    free(settings);
}
