/* Unit tests for probe.c: livenessProbe/startupProbe -> ECS healthCheck,
 * readinessProbe -> target group advice.
 *
 * Each case is a container snippet placed under a fixed Deployment head (so
 * the case's first line is line 8 and paths read
 * spec.template.spec.containers[0]...), the expected healthCheck (JSON with
 * sorted keys, compact), the expected CMD-SHELL text for curl/wget checks,
 * every expected diagnostic in order (code, line, path, and a substring of
 * the message, or the whole message when it starts with '='), and the
 * paths a later generic walk would still report as not converted.
 *
 * The expected values were worked out by hand from the rules: Kubernetes'
 * defaults (period 10, timeout 1, failure 3, 0 meaning the default), the
 * ECS ranges (interval 5-300, timeout 2-60, retries 1-10, startPeriod
 * 0-300), the kubelet's $(VAR) expansion for probe commands and its URL
 * formatting (Go net/url), and POSIX shell single quoting.  The shell
 * commands are also run through /bin/sh with curl and wget replaced by a
 * function printing its arguments, so the quoting is tested by a shell.
 */
#include "k2e_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "map/probe.h"

#define HEAD                    \
    "kind: Deployment\n"        \
    "spec:\n"                   \
    "  template:\n"             \
    "    spec:\n"               \
    "      containers:\n"       \
    "      - name: api\n"       \
    "        image: nginx\n"
#define C "spec.template.spec.containers[0]."
#define W040 "K2E-W040"
#define W041 "K2E-W041"
#define I040 "K2E-I040"
#define I041 "K2E-I041"
#define E006 "K2E-E006"
#define MAX_DIAGS 6

typedef struct {
    const char *code;
    unsigned line;
    const char *path;
    const char *text; /* substring of the message; "=..." for the whole message */
} want_diag;

typedef struct {
    const char *name;
    k2e_http_probe_mode mode;
    const char *yaml;
    const char *health; /* expected healthCheck without "command" when shell is set */
    const char *shell;  /* expected CMD-SHELL text, or NULL */
    want_diag diags[MAX_DIAGS];
    const char *left[3]; /* paths still unconsumed */
} probe_case;

#define TIMEOUT_DEFAULT(line_, path_)                                                       \
    {                                                                                     \
        W040, line_, path_,                                                               \
            "=timeoutSeconds 1 s (Kubernetes' default) of container api is below the ECS " \
            "minimum timeout of 2 s: clamped to 2 s"                                      \
    }

static const probe_case cases[] = {
    {"exec with Kubernetes' defaults", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [cat, /tmp/healthy]\n",
     "{\"command\":[\"CMD\",\"cat\",\"/tmp/healthy\"],\"interval\":10,\"retries\":3,\"timeout\":2}",
     NULL,
     {TIMEOUT_DEFAULT(8, C "livenessProbe")},
     {NULL}},
    {"exec with every field in range", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check, --deep]\n"
     "          initialDelaySeconds: 15\n"
     "          periodSeconds: 20\n"
     "          timeoutSeconds: 5\n"
     "          failureThreshold: 4\n"
     "          successThreshold: 1\n",
     "{\"command\":[\"CMD\",\"/bin/check\",\"--deep\"],\"interval\":20,\"retries\":4,"
     "\"startPeriod\":15,\"timeout\":5}",
     NULL,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"every field clamped up", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          periodSeconds: 2\n"
     "          timeoutSeconds: 1\n"
     "          failureThreshold: -1\n"
     "          initialDelaySeconds: -5\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":5,\"retries\":1,\"timeout\":2}", NULL,
     {{W040, 11, C "livenessProbe.periodSeconds",
       "=periodSeconds 2 s of container api is below the ECS minimum interval of 5 s: clamped "
       "to 5 s"},
      {W040, 12, C "livenessProbe.timeoutSeconds",
       "=timeoutSeconds 1 s of container api is below the ECS minimum timeout of 2 s: clamped "
       "to 2 s"},
      {W040, 13, C "livenessProbe.failureThreshold",
       "=failureThreshold -1 of container api is below the ECS minimum retries of 1: clamped "
       "to 1"},
      {W040, 14, C "livenessProbe.initialDelaySeconds",
       "=initialDelaySeconds -5 s of container api is below the ECS minimum startPeriod of 0 "
       "s: clamped to 0 s"}},
     {NULL}},
    {"every field clamped down", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          periodSeconds: 400\n"
     "          timeoutSeconds: 90\n"
     "          failureThreshold: 20\n"
     "          initialDelaySeconds: 500\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":300,\"retries\":10,\"startPeriod\":300,"
     "\"timeout\":60}",
     NULL,
     {{W040, 11, C "livenessProbe.periodSeconds",
       "=periodSeconds 400 s of container api is above the ECS maximum interval of 300 s: "
       "clamped to 300 s"},
      {W040, 12, C "livenessProbe.timeoutSeconds",
       "=timeoutSeconds 90 s of container api is above the ECS maximum timeout of 60 s: "
       "clamped to 60 s"},
      {W040, 13, C "livenessProbe.failureThreshold",
       "=failureThreshold 20 of container api is above the ECS maximum retries of 10: "
       "clamped to 10"},
      {W040, 14, C "livenessProbe.initialDelaySeconds",
       "=initialDelaySeconds 500 s of container api is above the ECS maximum startPeriod of "
       "300 s: clamped to 300 s"}},
     {NULL}},
    {"0 means Kubernetes' default", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          periodSeconds: 0\n"
     "          timeoutSeconds: 0\n"
     "          failureThreshold: 0\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"timeout\":2}", NULL,
     {{W040, 12, C "livenessProbe.timeoutSeconds",
       "=timeoutSeconds 1 s (Kubernetes' default, for 0) of container api is below the ECS "
       "minimum timeout of 2 s: clamped to 2 s"}},
     {NULL}},
    {"limits themselves are not clamped", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          periodSeconds: 5\n"
     "          timeoutSeconds: 60\n"
     "          failureThreshold: 10\n"
     "          initialDelaySeconds: 300\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":5,\"retries\":10,\"startPeriod\":300,"
     "\"timeout\":60}",
     NULL,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"startupProbe budget sets startPeriod", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          timeoutSeconds: 3\n"
     "          initialDelaySeconds: 5\n"
     "        startupProbe:\n"
     "          exec:\n"
     "            command: [/bin/started]\n"
     "          periodSeconds: 5\n"
     "          failureThreshold: 24\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"startPeriod\":120,"
     "\"timeout\":3}",
     NULL,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"startupProbe budget with defaults loses to a longer initialDelaySeconds",
     K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          timeoutSeconds: 2\n"
     "          initialDelaySeconds: 45\n"
     "        startupProbe:\n"
     "          httpGet:\n"
     "            path: /started\n"
     "            port: 8080\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"startPeriod\":45,"
     "\"timeout\":2}",
     NULL,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"startupProbe budget with defaults wins over a shorter initialDelaySeconds",
     K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          timeoutSeconds: 2\n"
     "          initialDelaySeconds: 20\n"
     "        startupProbe:\n"
     "          tcpSocket:\n"
     "            port: 8080\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"startPeriod\":30,"
     "\"timeout\":2}",
     NULL,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"startupProbe budget clamped", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          timeoutSeconds: 2\n"
     "        startupProbe:\n"
     "          exec:\n"
     "            command: [/bin/started]\n"
     "          failureThreshold: 60\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"startPeriod\":300,"
     "\"timeout\":2}",
     NULL,
     {{W040, 12, C "startupProbe",
       "=startupProbe budget of container api, 600 s (initialDelaySeconds 0 + periodSeconds "
       "10 x failureThreshold 60), is above the ECS maximum startPeriod of 300 s: clamped to "
       "300 s"}},
     {NULL}},
    {"startupProbe without livenessProbe", K2E_HTTP_PROBE_NONE,
     "        startupProbe:\n"
     "          exec:\n"
     "            command: [/bin/started]\n"
     "          periodSeconds: 5\n",
     NULL, NULL,
     {{W041, 8, C "startupProbe",
       "=startupProbe of container api without a livenessProbe: not converted"}},
     {NULL}},
    {"successThreshold and terminationGracePeriodSeconds", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          timeoutSeconds: 2\n"
     "          successThreshold: 2\n"
     "          terminationGracePeriodSeconds: 30\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"timeout\":2}", NULL,
     {{W041, 12, C "livenessProbe.successThreshold",
       "=successThreshold 2 of the livenessProbe of container api: ECS health checks have no "
       "success threshold (one success makes a container healthy)"},
      {W041, 13, C "livenessProbe.terminationGracePeriodSeconds",
       "=terminationGracePeriodSeconds 30 of the livenessProbe of container api: ECS has no "
       "grace period per health check; the container's stopTimeout applies"}},
     {NULL}},
    {"successThreshold of a startupProbe", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          timeoutSeconds: 2\n"
     "        startupProbe:\n"
     "          exec:\n"
     "            command: [/bin/started]\n"
     "          successThreshold: 3\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"startPeriod\":30,"
     "\"timeout\":2}",
     NULL,
     {{W041, 15, C "startupProbe.successThreshold", "successThreshold 3 of the startupProbe"}},
     {NULL}},
    {"$(VAR) expanded from env like the kubelet", K2E_HTTP_PROBE_NONE,
     "        env:\n"
     "        - name: PORT\n"
     "          value: \"8080\"\n"
     "        - name: TOKEN\n"
     "          valueFrom:\n"
     "            secretKeyRef: {name: s, key: k}\n"
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check, \"--port=$(PORT)\", \"--token=$(TOKEN)\", "
     "\"$(NOPE)\", \"$$(PORT)\"]\n"
     "          timeoutSeconds: 2\n",
     "{\"command\":[\"CMD\",\"/bin/check\",\"--port=8080\",\"--token=\",\"$(NOPE)\","
     "\"$(PORT)\"],\"interval\":10,\"retries\":3,\"timeout\":2}",
     NULL,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"exec without command", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: []\n",
     NULL, NULL,
     {{W041, 10, C "livenessProbe.exec.command",
       "=livenessProbe of container api has an exec handler without a command: not "
       "converted"}},
     {NULL}},
    {"httpGet in none mode feeds the target group", K2E_HTTP_PROBE_NONE,
     "        ports:\n"
     "        - name: http\n"
     "          containerPort: 8080\n"
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            path: /healthz\n"
     "            port: http\n"
     "          periodSeconds: 15\n",
     NULL, NULL,
     {{I040, 11, C "livenessProbe",
       "=livenessProbe of container api is an HTTP check: no container health check; use it "
       "as the load balancer target group health check: protocol HTTP, path /healthz, port "
       "8080, interval 15 s, timeout 1 s, unhealthy threshold 3, health check grace period 0 "
       "s"}},
     {NULL}},
    {"httpGet in none mode with startup budget, headers, host", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            host: backend.local\n"
     "            scheme: HTTPS\n"
     "            port: 8443\n"
     "            httpHeaders:\n"
     "            - {name: X-Probe, value: \"1\"}\n"
     "        startupProbe:\n"
     "          httpGet:\n"
     "            port: 8443\n"
     "          failureThreshold: 30\n"
     "          periodSeconds: 10\n",
     NULL, NULL,
     {{I040, 8, C "livenessProbe",
       "=livenessProbe of container api is an HTTP check: no container health check; use it "
       "as the load balancer target group health check: protocol HTTPS, path /, port 8443, "
       "interval 10 s, timeout 1 s, unhealthy threshold 3, health check grace period 300 s; "
       "target groups cannot send the probe's httpHeaders; the target group checks the task's "
       "own address, not host backend.local"}},
     {NULL}},
    {"httpGet with curl and a named port", K2E_HTTP_PROBE_CURL,
     "        ports:\n"
     "        - name: metrics\n"
     "          containerPort: 9100\n"
     "        - name: http\n"
     "          containerPort: 8080\n"
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            path: /healthz\n"
     "            port: http\n"
     "          periodSeconds: 15\n",
     "{\"interval\":15,\"retries\":3,\"timeout\":2}",
     "curl -fsS --max-time 1 'http://127.0.0.1:8080/healthz' >/dev/null || exit 1",
     {TIMEOUT_DEFAULT(13, C "livenessProbe")},
     {NULL}},
    {"httpGet with wget, https, host and a header", K2E_HTTP_PROBE_WGET,
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            scheme: HTTPS\n"
     "            host: backend.local\n"
     "            port: 8443\n"
     "            path: /status\n"
     "            httpHeaders:\n"
     "            - name: X-Probe\n"
     "              value: \"1\"\n"
     "          timeoutSeconds: 5\n",
     "{\"interval\":10,\"retries\":3,\"timeout\":5}",
     "wget -q -O /dev/null -T 5 --no-check-certificate --header='X-Probe: 1' "
     "'https://backend.local:8443/status' || exit 1",
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"curl, https, quotes and dollars in a header, a quote in the path", K2E_HTTP_PROBE_CURL,
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            scheme: HTTPS\n"
     "            port: 8443\n"
     "            path: /it's\n"
     "            httpHeaders:\n"
     "            - name: Authorization\n"
     "              value: Bearer $TOKEN \"x\" it's `id`\n"
     "          timeoutSeconds: 2\n",
     "{\"interval\":10,\"retries\":3,\"timeout\":2}",
     "curl -fsS -k --max-time 2 -H 'Authorization: Bearer $TOKEN \"x\" it'\\''s `id`' "
     "'https://127.0.0.1:8443/it'\\''s' >/dev/null || exit 1",
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"a path with a quote and spaces is escaped like the kubelet does", K2E_HTTP_PROBE_CURL,
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            port: 8080\n"
     "            path: \"/it's ok?q=a&b=c#frag\"\n"
     "          timeoutSeconds: 100\n",
     "{\"interval\":10,\"retries\":3,\"timeout\":60}",
     "curl -fsS --max-time 60 'http://127.0.0.1:8080/it%27s%20ok?q=a&b=c' >/dev/null || exit 1",
     {{W040, 12, C "livenessProbe.timeoutSeconds", "timeoutSeconds 100 s of container api"}},
     {NULL}},
    {"a relative path and an IPv6 host", K2E_HTTP_PROBE_WGET,
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            host: \"::1\"\n"
     "            port: 80\n"
     "            path: health/%7Euser\n"
     "          timeoutSeconds: 2\n",
     "{\"interval\":10,\"retries\":3,\"timeout\":2}",
     "wget -q -O /dev/null -T 2 'http://[::1]:80/health/%7Euser' || exit 1",
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"a named port that does not exist", K2E_HTTP_PROBE_CURL,
     "        ports:\n"
     "        - name: http\n"
     "          containerPort: 8080\n"
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            path: /\n"
     "            port: web\n",
     NULL, NULL,
     {{W041, 14, C "livenessProbe.httpGet.port",
       "=livenessProbe of container api uses port 'web', which is not the name of one of its "
       "ports: no health check"}},
     {NULL}},
    {"tcpSocket feeds the target group", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          tcpSocket:\n"
     "            port: 5432\n"
     "          initialDelaySeconds: 20\n",
     NULL, NULL,
     {{I040, 8, C "livenessProbe",
       "=livenessProbe of container api is a TCP check: no container health check; use it as "
       "the load balancer target group health check: protocol TCP (a Network Load Balancer "
       "target group), port 5432, interval 10 s, timeout 1 s, unhealthy threshold 3, health "
       "check grace period 20 s"}},
     {NULL}},
    {"tcpSocket in curl mode too", K2E_HTTP_PROBE_CURL,
     "        livenessProbe:\n"
     "          tcpSocket:\n"
     "            port: 5432\n",
     NULL, NULL,
     {{I040, 8, C "livenessProbe",
       "livenessProbe of container api is a TCP check (httpProbes: curl/wget covers httpGet "
       "only): no container health check"}},
     {NULL}},
    {"grpc feeds the target group", K2E_HTTP_PROBE_WGET,
     "        livenessProbe:\n"
     "          grpc:\n"
     "            port: 9090\n"
     "            service: api\n",
     NULL, NULL,
     {{I040, 8, C "livenessProbe",
       "protocol gRPC (an HTTP/2 target group with protocol version gRPC), path "
       "/grpc.health.v1.Health/Check, success code 0, port 9090, interval 10 s, timeout 1 s, "
       "unhealthy threshold 3, health check grace period 0 s; the target group cannot send "
       "the service name 'api'"}},
     {NULL}},
    {"readiness httpGet becomes target group settings", K2E_HTTP_PROBE_CURL,
     "        ports:\n"
     "        - name: http\n"
     "          containerPort: 8080\n"
     "        readinessProbe:\n"
     "          httpGet:\n"
     "            path: /ready\n"
     "            port: http\n"
     "          initialDelaySeconds: 5\n"
     "          periodSeconds: 5\n"
     "          successThreshold: 2\n"
     "          failureThreshold: 6\n",
     NULL, NULL,
     {{I041, 11, C "readinessProbe",
       "=readinessProbe of container api becomes the target group health check: protocol "
       "HTTP, path /ready, port 8080, interval 5 s (periodSeconds), timeout 1 s "
       "(timeoutSeconds), healthy threshold 2 (successThreshold), unhealthy threshold 6 "
       "(failureThreshold), health check grace period 5 s (initialDelaySeconds)"}},
     {NULL}},
    {"readiness tcpSocket", K2E_HTTP_PROBE_NONE,
     "        readinessProbe:\n"
     "          tcpSocket:\n"
     "            port: 6379\n",
     NULL, NULL,
     {{I041, 8, C "readinessProbe",
       "protocol TCP (a Network Load Balancer target group), port 6379, interval 10 s "
       "(periodSeconds), timeout 1 s (timeoutSeconds), healthy threshold 1 "
       "(successThreshold), unhealthy threshold 3 (failureThreshold)"}},
     {NULL}},
    {"readiness exec has no target group equivalent", K2E_HTTP_PROBE_NONE,
     "        readinessProbe:\n"
     "          exec:\n"
     "            command: [/bin/ready]\n"
     "          periodSeconds: 3\n",
     NULL, NULL,
     {{W041, 8, C "readinessProbe",
       "=readinessProbe of container api runs a command; a target group health check can "
       "only make HTTP, HTTPS, gRPC or TCP requests: not converted"}},
     {NULL}},
    {"liveness and readiness together", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          timeoutSeconds: 2\n"
     "        readinessProbe:\n"
     "          httpGet:\n"
     "            port: 8080\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"timeout\":2}", NULL,
     {{I041, 12, C "readinessProbe", "protocol HTTP, path /, port 8080"}},
     {NULL}},
    {"unknown keys stay for the generic walk", K2E_HTTP_PROBE_CURL,
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            port: 80\n"
     "            bogus: 1\n"
     "          periodSecond: 5\n"
     "          timeoutSeconds: 2\n",
     "{\"interval\":10,\"retries\":3,\"timeout\":2}",
     "curl -fsS --max-time 2 'http://127.0.0.1:80/' >/dev/null || exit 1",
     {{NULL, 0, NULL, NULL}},
     {C "livenessProbe.httpGet.bogus", C "livenessProbe.periodSecond"}},
    {"two handlers", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          tcpSocket:\n"
     "            port: 80\n",
     NULL, NULL,
     {{W041, 8, C "livenessProbe",
       "=livenessProbe of container api has more than one handler: not converted"}},
     {NULL}},
    {"no handler", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          periodSeconds: 5\n",
     NULL, NULL,
     {{W041, 8, C "livenessProbe",
       "=livenessProbe of container api has no handler: not converted"}},
     {NULL}},
    {"a quoted number is a type error; the default is used", K2E_HTTP_PROBE_NONE,
     "        livenessProbe:\n"
     "          exec:\n"
     "            command: [/bin/check]\n"
     "          periodSeconds: \"15\"\n"
     "          timeoutSeconds: 2\n",
     "{\"command\":[\"CMD\",\"/bin/check\"],\"interval\":10,\"retries\":3,\"timeout\":2}", NULL,
     {{E006, 11, C "livenessProbe.periodSeconds", "expected an integer"}},
     {NULL}},
    {"an unknown scheme", K2E_HTTP_PROBE_CURL,
     "        livenessProbe:\n"
     "          httpGet:\n"
     "            port: 80\n"
     "            scheme: FTP\n",
     NULL, NULL,
     {{E006, 11, C "livenessProbe.httpGet.scheme", "=unknown scheme 'FTP'"}},
     {NULL}},
    {"no probes at all", K2E_HTTP_PROBE_CURL, "        ports: []\n", NULL, NULL,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
};

#define CASE_COUNT (sizeof cases / sizeof cases[0])

/* --- scaffolding ------------------------------------------------------------ */

typedef struct {
    k2e_file file;
    k2e_diags diags;
    k2e_node *root;
    k2e_node *container;
} fixture;

static void fixture_load(fixture *f, const char *yaml)
{
    size_t n = strlen(HEAD) + strlen(yaml) + 1;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n, "%s%s", HEAD, yaml);
    k2e_limits limits = k2e_limits_default();
    k2e_diags_init(&f->diags);
    ck_assert_msg(k2e_read_buffer("case.yaml", text, strlen(text), &limits, &f->file, &f->diags),
                  "YAML of the case does not parse");
    free(text);
    ck_assert_uint_eq(f->file.count, 1);
    f->root = f->file.documents[0].root;
    k2e_node *containers =
        k2e_get(k2e_get(k2e_get(k2e_get(f->root, "spec"), "template"), "spec"), "containers");
    f->container = containers->items[0];
}

static void fixture_release(fixture *f)
{
    k2e_file_free(&f->file);
    k2e_diags_release(&f->diags);
}

/* Marks what the rest of the converter would have read, so that the walk
 * reports only what the probe functions left. */
static void consume_scaffold(fixture *f)
{
    k2e_node *spec = k2e_take(f->root, "spec");
    k2e_node *template_ = k2e_take(spec, "template");
    k2e_node *pod = k2e_take(template_, "spec");
    k2e_consume(f->root);
    k2e_consume(k2e_take(f->root, "kind"));
    k2e_consume(k2e_take(pod, "containers"));
    k2e_consume(f->container);
    k2e_take(f->container, "name");
    k2e_take(f->container, "image");
    k2e_consume_all(k2e_take(f->container, "ports"));
    k2e_consume_all(k2e_take(f->container, "env"));
}

static void check_diag(const k2e_diag *d, const want_diag *w, size_t i)
{
    ck_assert_msg(strcmp(k2e_diag_code_string(d->code), w->code) == 0,
                  "diagnostic %zu: code %s, expected %s (%s)", i, k2e_diag_code_string(d->code),
                  w->code, d->message);
    ck_assert_msg(d->line == w->line, "diagnostic %zu: line %u, expected %u", i, d->line,
                  w->line);
    ck_assert_msg(strcmp(d->path, w->path) == 0, "diagnostic %zu: path %s, expected %s", i,
                  d->path, w->path);
    if (w->text[0] == '=')
        ck_assert_msg(strcmp(d->message, w->text + 1) == 0,
                      "diagnostic %zu:\n  message  %s\n  expected %s", i, d->message,
                      w->text + 1);
    else
        ck_assert_msg(strstr(d->message, w->text) != NULL,
                      "diagnostic %zu:\n  message %s\n  lacks   %s", i, d->message, w->text);
    ck_assert_msg(d->hint && d->hint[0], "diagnostic %zu has no hint", i);
    ck_assert_str_eq(d->file, "case.yaml");
}

static void check_diags(const k2e_diags *diags, const want_diag *want)
{
    size_t expected = 0;
    while (expected < MAX_DIAGS && want[expected].code)
        expected++;
    for (size_t i = 0; i < diags->count && i < expected; i++)
        check_diag(&diags->items[i], &want[i], i);
    ck_assert_msg(diags->count == expected, "%zu diagnostics, expected %zu (first extra: %s)",
                  diags->count, expected,
                  diags->count > expected ? diags->items[expected].message : "-");
}

static void check_left(fixture *f, const char *const *left)
{
    consume_scaffold(f);
    k2e_diags walk;
    k2e_diags_init(&walk);
    k2e_report_unconsumed(f->root, &walk, NULL, NULL);
    size_t expected = 0;
    while (expected < 3 && left[expected])
        expected++;
    for (size_t i = 0; i < walk.count; i++)
        ck_assert_msg(i < expected && strcmp(walk.items[i].path, left[i]) == 0,
                      "left unconsumed: %s", walk.items[i].path);
    ck_assert_uint_eq(walk.count, expected);
    k2e_diags_release(&walk);
}

static char *dump(const json_t *json)
{
    return json_dumps(json, JSON_SORT_KEYS | JSON_COMPACT);
}

static void check_health(json_t *health, const probe_case *pc)
{
    if (!pc->health) {
        char *got = health ? dump(health) : NULL;
        ck_assert_msg(health == NULL, "unexpected healthCheck %s", got);
        free(got);
        return;
    }
    ck_assert_msg(health != NULL, "no healthCheck");
    if (pc->shell) {
        json_t *command = json_object_get(health, "command");
        ck_assert_uint_eq(json_array_size(command), 2);
        ck_assert_str_eq(json_string_value(json_array_get(command, 0)), "CMD-SHELL");
        ck_assert_str_eq(json_string_value(json_array_get(command, 1)), pc->shell);
        json_object_del(health, "command");
    }
    char *got = dump(health);
    ck_assert_str_eq(got, pc->health);
    free(got);
}

START_TEST(test_probe_case)
{
    const probe_case *pc = &cases[_i];
    fixture f;
    fixture_load(&f, pc->yaml);
    json_t *health = k2e_health_check_build(f.container, f.root, pc->mode, &f.diags);
    k2e_readiness_report(f.container, f.root, &f.diags);
    check_health(health, pc);
    check_diags(&f.diags, pc->diags);
    check_left(&f, pc->left);
    json_decref(health);
    fixture_release(&f);
}
END_TEST

/* --- the shell commands, run by a shell ------------------------------------ */

/* Runs `command` with sh -c after defining curl and wget as functions that
 * print each argument in brackets to fd 3; returns that output. */
static char *run_shell(const char *command)
{
    static const char prelude[] = "curl() { for a in \"$@\"; do printf '[%s]' \"$a\" >&3; done; "
                                  "return 7; }; wget() { curl \"$@\"; }; ";
    size_t n = sizeof prelude + strlen(command);
    char *script = malloc(n);
    ck_assert_ptr_nonnull(script);
    snprintf(script, n, "%s%s", prelude, command);
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], 3);
        close(fds[0]);
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    free(script);
    char *out = calloc(1, 4096);
    ck_assert_ptr_nonnull(out);
    size_t used = 0;
    ssize_t got;
    while (used < 4095 && (got = read(fds[0], out + used, 4095 - used)) > 0)
        used += (size_t)got;
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    /* `|| exit 1` turns the tool's failure (7 here) into ECS's "unhealthy". */
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    return out;
}

typedef struct {
    const char *yaml;
    k2e_http_probe_mode mode;
    const char *argv; /* the arguments the tool receives, each in brackets */
} shell_case;

static const shell_case shell_cases[] = {
    {"        livenessProbe:\n"
     "          httpGet:\n"
     "            scheme: HTTPS\n"
     "            port: 8443\n"
     "            path: /it's\n"
     "            httpHeaders:\n"
     "            - name: Authorization\n"
     "              value: Bearer $TOKEN \"x\" it's `id` $(id)\n",
     K2E_HTTP_PROBE_CURL,
     "[-fsS][-k][--max-time][1][-H][Authorization: Bearer $TOKEN \"x\" it's `id` $(id)]"
     "[https://127.0.0.1:8443/it's]"},
    {"        livenessProbe:\n"
     "          httpGet:\n"
     "            port: 80\n"
     "            path: \"/a b'c\"\n"
     "            httpHeaders:\n"
     "            - {name: X-A, value: \"'\"}\n"
     "            - {name: X-B, value: \"\"}\n",
     K2E_HTTP_PROBE_WGET,
     "[-q][-O][/dev/null][-T][1][--header=X-A: '][--header=X-B: ]"
     "[http://127.0.0.1:80/a%20b%27c]"},
};

START_TEST(test_shell_quoting)
{
    const shell_case *sc = &shell_cases[_i];
    fixture f;
    fixture_load(&f, sc->yaml);
    json_t *health = k2e_health_check_build(f.container, f.root, sc->mode, &f.diags);
    ck_assert_ptr_nonnull(health);
    const char *command = json_string_value(json_array_get(json_object_get(health, "command"), 1));
    ck_assert_ptr_nonnull(command);
    char *argv = run_shell(command);
    ck_assert_str_eq(argv, sc->argv);
    free(argv);
    json_decref(health);
    fixture_release(&f);
}
END_TEST

/* The probe's location is the field's key (README: diagnostics point at the
 * key), not its value: file, line and column. */
START_TEST(test_location_column)
{
    fixture f;
    fixture_load(&f, "        livenessProbe:\n"
                     "          exec:\n"
                     "            command: [/bin/check]\n"
                     "          timeoutSeconds:   1\n");
    json_t *health = k2e_health_check_build(f.container, f.root, K2E_HTTP_PROBE_NONE, &f.diags);
    ck_assert_uint_eq(f.diags.count, 1);
    ck_assert_uint_eq(f.diags.items[0].line, 11);
    ck_assert_uint_eq(f.diags.items[0].column, 11);
    ck_assert_int_eq(f.diags.items[0].severity, K2E_SEV_WARNING);
    json_decref(health);
    fixture_release(&f);
}
END_TEST

/* Without a container name or with a null probe nothing breaks. */
START_TEST(test_null_probe)
{
    fixture f;
    fixture_load(&f, "        livenessProbe: null\n"
                     "        readinessProbe: ~\n"
                     "        startupProbe:\n");
    ck_assert_ptr_null(
        k2e_health_check_build(f.container, f.root, K2E_HTTP_PROBE_CURL, &f.diags));
    k2e_readiness_report(f.container, f.root, &f.diags);
    ck_assert_uint_eq(f.diags.count, 0);
    check_left(&f, (const char *const[]){NULL});
    fixture_release(&f);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("probe");
    TCase *tc = tcase_create("cases");
    tcase_add_loop_test(tc, test_probe_case, 0, (int)CASE_COUNT);
    tcase_add_loop_test(tc, test_shell_quoting, 0,
                        (int)(sizeof shell_cases / sizeof shell_cases[0]));
    tcase_add_test(tc, test_location_column);
    tcase_add_test(tc, test_null_probe);
    suite_add_tcase(s, tc);
    return s;
}
