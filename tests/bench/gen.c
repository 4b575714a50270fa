/* Synthetic manifest trees; see gen.h.
 *
 * Each object is formatted into a memory buffer first, then copied to the
 * current file either as a document of its own ("---" before it) or, for
 * the one-document shape, as an item of a List (every line indented).  So
 * the objects of `tree` and `document` are the same text, and a new object
 * kind is one formatting function.
 */
#include "gen.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OBJECTS_PER_FILE = 50, NAMESPACES = 24 };

typedef struct {
    const char *dir;
    FILE *out;          /* current manifest file */
    size_t in_file;     /* objects in the current file */
    bool as_list;       /* one document: objects are items of a List */
    bool failed;
    char *buffer;       /* the object being formatted */
    size_t length;
    FILE *object;
    k2e_gen_stats *stats;
} writer;

const char *const k2e_gen_shapes[] = {
    "tree", "configmap", "env", "envfrom", "ports", "labels", "document", NULL,
};

static bool make_dir(const char *path)
{
    return mkdir(path, 0777) == 0 || errno == EEXIST;
}

static bool open_file(writer *w)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/manifests/part-%05zu.yaml", w->dir, w->stats->files);
    w->out = fopen(path, "wx");
    if (!w->out)
        return false;
    w->stats->files++;
    w->in_file = 0;
    if (w->as_list)
        fputs("apiVersion: v1\nkind: List\nmetadata: {resourceVersion: \"\"}\nitems:\n", w->out);
    return true;
}

static bool close_file(writer *w)
{
    if (!w->out)
        return true;
    long size = ftell(w->out);
    bool ok = size >= 0 && fclose(w->out) == 0;
    w->out = NULL;
    if (ok)
        w->stats->bytes += (size_t)size;
    return ok;
}

/* A test tool: without memory for one object there is nothing to measure. */
static FILE *begin(writer *w)
{
    w->object = open_memstream(&w->buffer, &w->length);
    if (!w->object) {
        perror("k2e_gen: open_memstream");
        abort();
    }
    return w->object;
}

/* Copies the formatted object into the current file (a new file every
 * OBJECTS_PER_FILE objects, except in the one-document shape). */
static void end(writer *w)
{
    if (fclose(w->object) != 0)
        w->failed = true;
    w->object = NULL;
    bool rotate = !w->as_list && w->in_file == OBJECTS_PER_FILE;
    if (rotate && !close_file(w))
        w->failed = true;
    if (!w->failed && !w->out && !open_file(w))
        w->failed = true;
    if (!w->failed) {
        if (!w->as_list) {
            fputs("---\n", w->out);
            fwrite(w->buffer, 1, w->length, w->out);
        } else {
            const char *prefix = "- ";
            for (char *line = w->buffer; *line;) {
                char *nl = strchr(line, '\n');
                size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
                fputs(prefix, w->out);
                fwrite(line, 1, n, w->out);
                prefix = "  ";
                line += n;
            }
        }
        w->in_file++;
        w->stats->objects++;
    }
    free(w->buffer);
    w->buffer = NULL;
    w->length = 0;
}

/* --- The realistic mix ----------------------------------------------------- */

static const char *const cpu_requests[] = {"100m", "250m", "500m", "1"};
static const char *const memory_requests[] = {"128Mi", "512Mi", "1Gi", "2Gi"};
static const char *const memory_limits[] = {"256Mi", "1Gi", "2Gi", "4Gi"};

static void metadata(FILE *f, const char *name_prefix, size_t i, const char *suffix)
{
    fprintf(f,
            "metadata:\n"
            "  name: %s-%05zu%s\n"
            "  namespace: team-%02zu\n"
            "  labels:\n"
            "    app.kubernetes.io/name: %s-%05zu\n"
            "    app.kubernetes.io/part-of: team-%02zu\n",
            name_prefix, i, suffix, i % NAMESPACES, name_prefix, i, i % NAMESPACES);
}

static void config_map(writer *w, size_t i)
{
    FILE *f = begin(w);
    fputs("apiVersion: v1\nkind: ConfigMap\n", f);
    metadata(f, "app", i, "-config");
    fprintf(f,
            "data:\n"
            "  LOG_LEVEL: info\n"
            "  DB_HOST: db-%02zu.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com\n"
            "  DB_NAME: app_%05zu\n"
            "  CACHE_TTL_SECONDS: \"%zu\"\n"
            "  FEATURE_FLAGS: \"checkout-v2,async-export\"\n",
            i % NAMESPACES, i, 60 + i % 600);
    end(w);
}

static void secret(writer *w, size_t i)
{
    FILE *f = begin(w);
    fputs("apiVersion: v1\nkind: Secret\n", f);
    metadata(f, "app", i, "-secrets");
    /* Fake credentials: base64 of short made-up strings. */
    fputs("type: Opaque\n"
          "data:\n"
          "  DB_PASSWORD: bm90LWEtcmVhbC1wYXNzd29yZA==\n"
          "  API_TOKEN: ZmFrZS10b2tlbi0xMjM0NQ==\n",
          f);
    end(w);
}

static void container(FILE *f, const char *indent, size_t i, bool serving)
{
    fprintf(f,
            "%s- name: app\n"
            "%s  image: registry.example.com/team-%02zu/app-%05zu:1.%zu.%zu\n",
            indent, indent, i % NAMESPACES, i, i % 9, i % 97);
    if (serving) {
        fprintf(f,
                "%s  args: [\"serve\", \"--port=$(HTTP_PORT)\", \"--log-level=$(LOG_LEVEL)\"]\n"
                "%s  ports:\n"
                "%s    - {name: http, containerPort: 8080, protocol: TCP}\n"
                "%s  env:\n"
                "%s    - {name: HTTP_PORT, value: \"8080\"}\n"
                "%s    - {name: APP_ENV, value: production}\n"
                "%s  envFrom:\n"
                "%s    - configMapRef: {name: app-%05zu-config}\n"
                "%s    - secretRef: {name: app-%05zu-secrets}\n"
                "%s  readinessProbe:\n"
                "%s    httpGet: {path: /healthz, port: http}\n"
                "%s    periodSeconds: 10\n",
                indent, indent, indent, indent, indent, indent, indent, indent, i, indent, i,
                indent, indent, indent);
    } else {
        fprintf(f,
                "%s  command: [\"/app/run\", \"--batch=%zu\"]\n"
                "%s  env:\n"
                "%s    - {name: BATCH_SIZE, value: \"%zu\"}\n",
                indent, i, indent, indent, 100 + i % 900);
    }
    size_t size = i % 4;
    fprintf(f,
            "%s  resources:\n"
            "%s    requests: {cpu: %s, memory: %s}\n"
            "%s    limits: {memory: %s}\n",
            indent, indent, cpu_requests[size], memory_requests[size], indent,
            memory_limits[size]);
}

static void deployment(writer *w, size_t i)
{
    FILE *f = begin(w);
    fputs("apiVersion: apps/v1\nkind: Deployment\n", f);
    metadata(f, "app", i, "");
    fprintf(f,
            "spec:\n"
            "  replicas: %zu\n"
            "  selector:\n"
            "    matchLabels: {app.kubernetes.io/name: app-%05zu}\n"
            "  template:\n"
            "    metadata:\n"
            "      labels: {app.kubernetes.io/name: app-%05zu, app.kubernetes.io/part-of: team-%02zu}\n"
            "    spec:\n"
            "      containers:\n",
            2 + i % 3, i, i, i % NAMESPACES);
    container(f, "        ", i, true);
    end(w);
}

static void service(writer *w, size_t i)
{
    FILE *f = begin(w);
    fputs("apiVersion: v1\nkind: Service\n", f);
    metadata(f, "app", i, "");
    fprintf(f,
            "spec:\n"
            "  selector: {app.kubernetes.io/name: app-%05zu}\n"
            "  ports:\n"
            "    - {name: http, port: 80, targetPort: http}\n",
            i);
    end(w);
}

static void autoscaler(writer *w, size_t i)
{
    FILE *f = begin(w);
    fputs("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n", f);
    metadata(f, "app", i, "");
    fprintf(f,
            "spec:\n"
            "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-%05zu}\n"
            "  minReplicas: 2\n"
            "  maxReplicas: %zu\n"
            "  metrics:\n"
            "    - type: Resource\n"
            "      resource: {name: cpu, target: {type: Utilization, averageUtilization: %zu}}\n",
            i, 6 + i % 20, 50 + i % 40);
    end(w);
}

static void cron_job(writer *w, size_t i)
{
    FILE *f = begin(w);
    fputs("apiVersion: batch/v1\nkind: CronJob\n", f);
    metadata(f, "cron", i, "");
    fprintf(f,
            "spec:\n"
            "  schedule: \"%zu %zu * * *\"\n"
            "  concurrencyPolicy: Forbid\n"
            "  jobTemplate:\n"
            "    spec:\n"
            "      backoffLimit: 2\n"
            "      template:\n"
            "        spec:\n"
            "          restartPolicy: OnFailure\n"
            "          containers:\n",
            i % 60, i % 24);
    container(f, "            ", i, false);
    end(w);
}

static void job(writer *w, size_t i)
{
    FILE *f = begin(w);
    fputs("apiVersion: batch/v1\nkind: Job\n", f);
    metadata(f, "job", i, "");
    fputs("spec:\n"
          "  backoffLimit: 3\n"
          "  template:\n"
          "    spec:\n"
          "      restartPolicy: Never\n"
          "      containers:\n",
          f);
    container(f, "        ", i, false);
    end(w);
}

/* Workload i of the mix: 7 in 10 a Deployment bundle, 2 a CronJob, 1 a Job. */
static void workload(writer *w, size_t i)
{
    size_t slot = i % 10;
    if (slot < 7) {
        config_map(w, i);
        secret(w, i);
        deployment(w, i);
        service(w, i);
        autoscaler(w, i);
    } else if (slot < 9) {
        cron_job(w, i);
    } else {
        job(w, i);
    }
    w->stats->workloads++;
}

/* --- Single-object pathologies ---------------------------------------------- */

static void pod_header(FILE *f, const char *name)
{
    fprintf(f,
            "apiVersion: apps/v1\nkind: Deployment\n"
            "metadata: {name: %s, namespace: team-00}\n"
            "spec:\n"
            "  selector: {matchLabels: {app: %s}}\n"
            "  template:\n"
            "    metadata: {labels: {app: %s}}\n"
            "    spec:\n"
            "      containers:\n"
            "        - name: app\n"
            "          image: registry.example.com/team-00/%s:1.0.0\n"
            "          resources: {requests: {cpu: 500m, memory: 1Gi}}\n",
            name, name, name, name);
}

static void big_config_map(writer *w, size_t keys)
{
    FILE *f = begin(w);
    fputs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: team-00}\ndata:\n",
          f);
    for (size_t k = 0; k < keys; k++)
        fprintf(f, "  KEY_%07zu: value-%zu\n", k, k);
    end(w);
    f = begin(w);
    pod_header(f, "big-config");
    fputs("          envFrom:\n            - configMapRef: {name: big}\n", f);
    end(w);
    w->stats->workloads++;
}

static void many_env(writer *w, size_t entries)
{
    FILE *f = begin(w);
    fputs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: env-source, namespace: team-00}\n"
          "data:\n",
          f);
    for (size_t k = 0; k < entries; k += 4)
        fprintf(f, "  KEY_%07zu: value-%zu\n", k, k);
    end(w);
    f = begin(w);
    pod_header(f, "many-env");
    fputs("          env:\n", f);
    for (size_t k = 0; k < entries; k++) {
        if (k % 4 == 0)
            fprintf(f,
                    "            - name: VAR_%07zu\n"
                    "              valueFrom: {configMapKeyRef: {name: env-source, key: KEY_%07zu}}\n",
                    k, k);
        else
            fprintf(f, "            - {name: VAR_%07zu, value: \"v%zu\"}\n", k, k);
    }
    end(w);
    w->stats->workloads++;
}

static void many_env_from(writer *w, size_t entries)
{
    for (size_t k = 0; k < entries; k++) {
        FILE *f = begin(w);
        fprintf(f,
                "apiVersion: v1\nkind: ConfigMap\n"
                "metadata: {name: source-%07zu, namespace: team-00}\n"
                "data: {A_%07zu: \"1\", B_%07zu: \"2\"}\n",
                k, k, k);
        end(w);
    }
    FILE *f = begin(w);
    pod_header(f, "many-env-from");
    fputs("          envFrom:\n", f);
    for (size_t k = 0; k < entries; k++)
        fprintf(f, "            - configMapRef: {name: source-%07zu}\n", k);
    end(w);
    w->stats->workloads++;
}

static void many_ports(writer *w, size_t ports)
{
    FILE *f = begin(w);
    pod_header(f, "many-ports");
    fputs("          ports:\n", f);
    for (size_t k = 0; k < ports; k++)
        fprintf(f, "            - {name: p%zu, containerPort: %zu}\n", k, 1024 + k);
    end(w);
    f = begin(w);
    fputs("apiVersion: v1\nkind: Service\nmetadata: {name: many-ports, namespace: team-00}\n"
          "spec:\n  selector: {app: many-ports}\n  ports:\n",
          f);
    for (size_t k = 0; k < ports; k++)
        fprintf(f, "    - {name: p%zu, port: %zu, targetPort: p%zu}\n", k, 1024 + k, k);
    end(w);
    w->stats->workloads++;
}

/* Label k of `labels`, in a scrambled order (k * a prime coprime to the
 * count, modulo the count): real label sets are not sorted, and a sort by
 * insertion is linear on sorted input. */
static size_t scrambled(size_t k, size_t labels)
{
    const uint64_t prime = 2654435761u;
    return labels % prime ? (size_t)((uint64_t)k * prime % labels) : k;
}

static void many_labels(writer *w, size_t labels)
{
    FILE *f = begin(w);
    fputs("apiVersion: apps/v1\nkind: Deployment\n"
          "metadata:\n  name: many-labels\n  namespace: team-00\n  labels:\n",
          f);
    for (size_t k = 0; k < labels; k++)
        fprintf(f, "    example.com/label-%07zu: value-%zu\n", scrambled(k, labels), k);
    fputs("spec:\n"
          "  selector: {matchLabels: {app: many-labels}}\n"
          "  template:\n"
          "    metadata:\n"
          "      labels:\n"
          "        app: many-labels\n",
          f);
    for (size_t k = 0; k < labels; k++)
        fprintf(f, "        example.com/label-%07zu: value-%zu\n", scrambled(k, labels), k);
    fputs("    spec:\n"
          "      containers:\n"
          "        - name: app\n"
          "          image: registry.example.com/team-00/many-labels:1.0.0\n"
          "          resources: {requests: {cpu: 500m, memory: 1Gi}}\n",
          f);
    end(w);
    w->stats->workloads++;
}

/* --- Mapping table and entry point ------------------------------------------- */

static bool write_mapping(const char *dir, const char *shape, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/mapping.yaml", dir);
    FILE *f = fopen(path, "wx");
    if (!f)
        return false;
    fputs("region: eu-west-1\n"
          "accountId: \"123456789012\"\n"
          "cluster: bench\n"
          "executionRoleArn: arn:aws:iam::123456789012:role/ecsTaskExecutionRole\n"
          "network: {subnets: [subnet-0a1b2c3d4e5f60001, subnet-0a1b2c3d4e5f60002], "
          "securityGroups: [sg-0123456789abcdef0], assignPublicIp: DISABLED}\n"
          "logging: {driver: awslogs, group: \"/ecs/{family}\", streamPrefix: ecs}\n",
          f);
    if (strcmp(shape, "tree") == 0 || strcmp(shape, "document") == 0) {
        /* Secrets of every other Deployment bundle are mapped to Secrets
         * Manager; the rest take the default SSM path (one warning each). */
        fputs("secrets:\n", f);
        for (size_t i = 0; i < n; i += 2) {
            if (i % 10 < 7)
                fprintf(f,
                        "  - {name: app-%05zu-secrets, namespace: team-%02zu, "
                        "secretsManagerArn: \"arn:aws:secretsmanager:eu-west-1:123456789012:"
                        "secret:team-%02zu/app-%05zu-AbCdEf\"}\n",
                        i, i % NAMESPACES, i % NAMESPACES, i);
        }
    }
    return fclose(f) == 0;
}

bool k2e_gen(const char *shape, size_t n, const char *dir, k2e_gen_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    char manifests[4096];
    snprintf(manifests, sizeof manifests, "%s/manifests", dir);
    if (!make_dir(dir) || !make_dir(manifests))
        return false;
    writer w = {.dir = dir, .stats = stats, .as_list = strcmp(shape, "document") == 0};
    if (strcmp(shape, "tree") == 0 || w.as_list) {
        for (size_t i = 0; i < n && !w.failed; i++)
            workload(&w, i);
    } else if (strcmp(shape, "configmap") == 0) {
        big_config_map(&w, n);
    } else if (strcmp(shape, "env") == 0) {
        many_env(&w, n);
    } else if (strcmp(shape, "envfrom") == 0) {
        many_env_from(&w, n);
    } else if (strcmp(shape, "ports") == 0) {
        many_ports(&w, n);
    } else if (strcmp(shape, "labels") == 0) {
        many_labels(&w, n);
    } else {
        errno = EINVAL;
        return false;
    }
    bool ok = close_file(&w) && !w.failed;
    return ok && write_mapping(dir, shape, n);
}
