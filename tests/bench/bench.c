/* Benchmark: kube2ecs's conversion time against libyaml's own parse time on
 * the same input, and peak memory of each.  Not a test (timings vary by
 * machine); run it by hand:
 *
 *   cmake --build build --target k2e_bench
 *   ./build/k2e_bench ../shared/corpus            # a real tree
 *   ./build/k2e_bench --synthetic 5000            # 5000 generated Deployments
 *
 * Each mode runs in its own child process (so ru_maxrss is that mode's peak)
 * for several rounds; the fastest round is reported, as hyperfine's min.
 * Modes: libyaml (read files + yaml_parser_parse every event), reader
 * (k2e_read_path: tree, positions, limits), convert (the whole pipeline, no
 * output written).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "kube2ecs/convert.h"
#include "read/inputs.h"
#include "read/yaml_tree.h"

enum { ROUNDS = 5 };

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = (size_t)n;
    return data;
}

static size_t libyaml_events(char **files, size_t count)
{
    size_t events = 0;
    for (size_t i = 0; i < count; i++) {
        size_t size;
        char *data = slurp(files[i], &size);
        if (!data)
            continue;
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, (unsigned char *)data, size);
        yaml_event_t event;
        while (yaml_parser_parse(&parser, &event)) {
            int done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
            events++;
            if (done)
                break;
        }
        yaml_parser_delete(&parser);
        free(data);
    }
    return events;
}

static size_t reader(char **files, size_t count)
{
    size_t documents = 0;
    k2e_limits limits = k2e_limits_default();
    for (size_t i = 0; i < count; i++) {
        k2e_diags diags;
        k2e_diags_init(&diags);
        k2e_file file;
        k2e_read_path(files[i], &limits, &file, &diags);
        documents += file.count;
        k2e_file_free(&file);
        k2e_diags_release(&diags);
    }
    return documents;
}

static size_t convert(const char *const *paths, size_t count)
{
    k2e_convert_options options = {0};
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    k2e_convert(&options, paths, count, &result);
    size_t outputs = result.outputs.count;
    k2e_convert_result_release(&result);
    return outputs;
}

typedef struct {
    double seconds;
    long max_rss_kib;
    size_t units;
} measurement;

static measurement run_mode(int mode, char **files, size_t count, const char *const *paths,
                            size_t path_count)
{
    measurement best = {1e9, 0, 0};
    for (int round = 0; round < ROUNDS; round++) {
        int pipefd[2];
        if (pipe(pipefd) != 0)
            exit(3);
        pid_t pid = fork();
        if (pid == 0) {
            close(pipefd[0]);
            double start = now();
            size_t units = mode == 0 ? libyaml_events(files, count)
                         : mode == 1 ? reader(files, count)
                                     : convert(paths, path_count);
            double seconds = now() - start;
            if (write(pipefd[1], &seconds, sizeof seconds) < 0 ||
                write(pipefd[1], &units, sizeof units) < 0)
                _exit(3);
            _exit(0);
        }
        close(pipefd[1]);
        double seconds = 0;
        size_t units = 0;
        if (read(pipefd[0], &seconds, sizeof seconds) < 0 ||
            read(pipefd[0], &units, sizeof units) < 0)
            exit(3);
        close(pipefd[0]);
        int status;
        struct rusage usage;
        wait4(pid, &status, 0, &usage);
        if (seconds < best.seconds)
            best = (measurement){seconds, usage.ru_maxrss, units};
    }
    return best;
}

static char *synthetic(size_t deployments)
{
    char *path = strdup("/tmp/k2e-bench-XXXXXX.yaml");
    int fd = mkstemps(path, 5);
    FILE *out = fdopen(fd, "w");
    for (size_t i = 0; i < deployments; i++) {
        fprintf(out,
                "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%zu\n"
                "  labels: {app: app-%zu, team: t%zu}\nspec:\n  replicas: 3\n"
                "  selector: {matchLabels: {app: app-%zu}}\n  template:\n"
                "    metadata: {labels: {app: app-%zu}}\n    spec:\n      containers:\n"
                "        - name: app\n          image: registry.example.com/app:%zu\n"
                "          args: [\"--port=$(PORT)\", \"--verbose\"]\n"
                "          env:\n            - {name: PORT, value: \"8080\"}\n"
                "            - {name: MODE, value: production}\n"
                "          ports: [{containerPort: 8080, name: http}]\n"
                "          resources:\n            requests: {cpu: 250m, memory: 512Mi}\n"
                "            limits: {cpu: \"1\", memory: 1Gi}\n",
                i, i, i % 7, i, i, i);
    }
    fclose(out);
    return path;
}

int main(int argc, char **argv)
{
    char *generated = NULL;
    const char **paths = (const char **)argv + 1;
    size_t path_count = (size_t)argc - 1;
    if (argc == 3 && strcmp(argv[1], "--synthetic") == 0) {
        generated = synthetic((size_t)strtoul(argv[2], NULL, 10));
        paths = (const char **)&generated;
        path_count = 1;
    }
    if (path_count == 0) {
        fprintf(stderr, "usage: k2e_bench PATH... | --synthetic N\n");
        return 2;
    }
    char **files;
    size_t count;
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_collect_inputs(paths, path_count, &files, &count, &diags);
    size_t bytes = 0;
    for (size_t i = 0; i < count; i++) {
        size_t size;
        free(slurp(files[i], &size));
        bytes += size;
    }
    printf("input: %zu files, %.1f MiB, best of %d rounds\n", count, (double)bytes / 1048576,
           ROUNDS);
    const char *names[] = {"libyaml parse", "kube2ecs reader", "kube2ecs convert"};
    const char *units[] = {"events", "documents", "outputs"};
    measurement m[3];
    for (int mode = 0; mode < 3; mode++) {
        m[mode] = run_mode(mode, files, count, paths, path_count);
        printf("%-17s %8.1f ms  %6.1f MiB/s  peak RSS %7.1f MiB  (%zu %s)  x%.2f\n",
               names[mode], m[mode].seconds * 1e3, (double)bytes / 1048576 / m[mode].seconds,
               (double)m[mode].max_rss_kib / 1024, m[mode].units, units[mode],
               m[mode].seconds / m[0].seconds);
    }
    for (size_t i = 0; i < count; i++)
        free(files[i]);
    free(files);
    k2e_diags_release(&diags);
    if (generated) {
        unlink(generated);
        free(generated);
    }
    return 0;
}
