/* Benchmark: kube2ecs convert against the floor of its work, which is
 * reading the input (libyaml's own parse) plus writing the output tree.
 * Not a test (timings vary by machine); the growth test (growth.sh) is the
 * CTest guard, on instruction counts.
 *
 *   cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release
 *   cmake --build build-release --target k2e_bench && ./build-release/k2e_bench --report
 *
 * --report generates the realistic mix (gen.h) of 1k, 5k and 20k workloads
 * on /dev/shm and measures, each in its own child process (so the rusage and
 * the peak RSS are that mode's alone):
 *   parse-only  read every file and pull every libyaml event (no tree);
 *   convert     the kube2ecs binary: convert -m mapping.yaml -o OUT manifests;
 *   write-only  the tree convert wrote, loaded into memory beforehand, written
 *               afresh the way kube2ecs writes (temporary directory, one
 *               open/write/close per file, rename into place).
 * It prints wall, user and system CPU, workloads/s, MB/s (10^6 bytes of
 * input), peak RSS, the ratios of issue 11 (convert user CPU over parse user
 * + write user+sys; convert wall over parse wall + write wall), the growth of
 * convert from 5k to 20k workloads (4x the input), the growth of each
 * single-object pathology at two sizes 4x apart, and PASS/FAIL against the
 * targets; exit status 1 when a target is missed.  A run longer than the cap
 * (--cap, default 40 s; pathologies 8 s) is killed and reported "over the
 * cap", and a larger size after it is skipped, so the report always ends.
 *
 * Quick runs (under 2 s) are repeated three times; the minimum of each
 * metric is reported (as hyperfine's min), peak RSS is the maximum.
 *
 *   ./build-release/k2e_bench PATH...   the same three modes on a real tree
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

#include "gen.h"
#include "kube2ecs/convert.h"
#include "read/inputs.h"

#ifndef K2E_BENCH_KUBE2ECS
#define K2E_BENCH_KUBE2ECS "kube2ecs"
#endif
#ifndef K2E_BENCH_BUILD_TYPE
#define K2E_BENCH_BUILD_TYPE "unknown"
#endif

enum { QUICK_ROUNDS = 3 };
static const double QUICK_SECONDS = 2.0;
static const double MIB = 1048576.0;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double seconds_of(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* --- Files ------------------------------------------------------------------ */

static char *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
        data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
        free(data);
        data = NULL;
    }
    fclose(f);
    *size = data ? (size_t)n : 0;
    return data;
}

/* rm -r of a directory this program made (no symbolic links followed). */
static void remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        unlink(path);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char child[4096];
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(child);
        else
            unlink(child);
    }
    closedir(dir);
    rmdir(path);
}

typedef struct {
    char *path;      /* relative to the tree's root */
    char *content;
    size_t length;
} loaded_file;

typedef struct {
    loaded_file *items;
    size_t count, capacity;
    size_t bytes;
} loaded_tree;

static void load_walk(const char *root, const char *relative, loaded_tree *tree)
{
    char dir_path[4096];
    snprintf(dir_path, sizeof dir_path, "%s%s%s", root, *relative ? "/" : "", relative);
    DIR *dir = opendir(dir_path);
    if (!dir)
        return;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char rel[4096], full[8192];
        snprintf(rel, sizeof rel, "%s%s%s", relative, *relative ? "/" : "", entry->d_name);
        snprintf(full, sizeof full, "%s/%s", root, rel);
        struct stat st;
        if (lstat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            load_walk(root, rel, tree);
            continue;
        }
        if (tree->count == tree->capacity) {
            tree->capacity = tree->capacity ? 2 * tree->capacity : 256;
            tree->items = realloc(tree->items, tree->capacity * sizeof *tree->items);
            if (!tree->items)
                abort();
        }
        loaded_file *file = &tree->items[tree->count++];
        file->path = strdup(rel);
        file->content = slurp(full, &file->length);
        if (!file->path || !file->content)
            abort();
        tree->bytes += file->length;
    }
    closedir(dir);
}

static void load_release(loaded_tree *tree)
{
    for (size_t i = 0; i < tree->count; i++) {
        free(tree->items[i].path);
        free(tree->items[i].content);
    }
    free(tree->items);
    memset(tree, 0, sizeof *tree);
}

/* --- The three modes (each runs in a child) ------------------------------------ */

static int parse_only(char **files, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        size_t size;
        char *data = slurp(files[i], &size);
        if (!data)
            return 1;
        yaml_parser_t parser;
        yaml_parser_initialize(&parser);
        yaml_parser_set_input_string(&parser, (unsigned char *)data, size);
        yaml_event_t event;
        int done = 0;
        while (!done && yaml_parser_parse(&parser, &event)) {
            done = event.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&event);
        }
        yaml_parser_delete(&parser);
        free(data);
        if (!done)
            return 1;
    }
    return 0;
}

static int make_parents(char *path, size_t skip)
{
    for (char *p = strchr(path + skip, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int rc = mkdir(path, 0777);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return 1;
    }
    return 0;
}

static int write_only(const loaded_tree *tree, const char *outdir)
{
    char temp[4096];
    snprintf(temp, sizeof temp, "%s.new-XXXXXX", outdir);
    if (!mkdtemp(temp))
        return 1;
    size_t skip = strlen(temp) + 1;
    for (size_t i = 0; i < tree->count; i++) {
        const loaded_file *file = &tree->items[i];
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", temp, file->path);
        if (make_parents(path, skip) != 0)
            return 1;
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0)
            return 1;
        if (write(fd, file->content, file->length) != (ssize_t)file->length) {
            close(fd);
            return 1;
        }
        if (close(fd) != 0)
            return 1;
    }
    return rename(temp, outdir) == 0 ? 0 : 1;
}

static void exec_convert(const char *kube2ecs, const char *mapping, const char *manifests,
                         const char *outdir, const char *stderr_path)
{
    int devnull = open("/dev/null", O_WRONLY);
    int err = open(stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (devnull < 0 || err < 0 || dup2(devnull, 1) < 0 || dup2(err, 2) < 0)
        _exit(125);
    setenv("NO_COLOR", "1", 1);
    if (mapping)
        execl(kube2ecs, kube2ecs, "convert", "--keep-going", "-m", mapping, "-o", outdir,
              manifests, (char *)NULL);
    else
        execl(kube2ecs, kube2ecs, "convert", "--keep-going", "-o", outdir, manifests,
              (char *)NULL);
    _exit(126);
}

/* --- Measuring ---------------------------------------------------------------- */

typedef struct {
    double wall, user, sys;
    double rss_mib;
    int status;       /* exit status of the (last) run; -1 killed at the cap */
    bool over_cap;
    bool valid;
} measurement;

typedef enum { MODE_PARSE, MODE_CONVERT, MODE_WRITE } mode_kind;

typedef struct {
    const char *kube2ecs;
    const char *mapping;     /* may be NULL */
    const char *manifests;   /* PATH given to convert */
    char **files;            /* the manifest files, for parse-only */
    size_t file_count;
    const char *outdir;      /* convert's output */
    const char *write_dir;   /* write-only's output */
    const char *stderr_path;
    loaded_tree output;      /* convert's output, for write-only */
    double cap;
} bench_run;

/* One child: fork, run the mode, wait with the cap. */
static measurement run_once(bench_run *run, mode_kind mode)
{
    measurement m = {0};
    if (mode == MODE_CONVERT)
        remove_tree(run->outdir);
    if (mode == MODE_WRITE)
        remove_tree(run->write_dir);
    double start = now();
    pid_t pid = fork();
    if (pid < 0)
        return m;
    if (pid == 0) {
        if (mode == MODE_PARSE)
            _exit(parse_only(run->files, run->file_count));
        if (mode == MODE_WRITE)
            _exit(write_only(&run->output, run->write_dir));
        exec_convert(run->kube2ecs, run->mapping, run->manifests, run->outdir,
                     run->stderr_path);
    }
    int status = 0;
    struct rusage usage;
    for (;;) {
        pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid)
            break;
        if (done < 0 && errno != EINTR)
            return m;
        if (now() - start > run->cap) {
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &usage);
            m.over_cap = true;
            break;
        }
        struct timespec nap = {0, 2000000};
        nanosleep(&nap, NULL);
    }
    m.wall = now() - start;
    m.user = seconds_of(usage.ru_utime);
    m.sys = seconds_of(usage.ru_stime);
    m.rss_mib = (double)usage.ru_maxrss / 1024;
    m.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.valid = !m.over_cap;
    return m;
}

static double min2(double a, double b)
{
    return a < b ? a : b;
}

static measurement measure(bench_run *run, mode_kind mode)
{
    measurement best = run_once(run, mode);
    if (!best.valid || best.wall >= QUICK_SECONDS)
        return best;
    for (int round = 1; round < QUICK_ROUNDS; round++) {
        measurement m = run_once(run, mode);
        if (!m.valid)
            return m;
        best.wall = min2(best.wall, m.wall);
        best.user = min2(best.user, m.user);
        best.sys = min2(best.sys, m.sys);
        best.rss_mib = best.rss_mib > m.rss_mib ? best.rss_mib : m.rss_mib;
        best.status = m.status;
    }
    return best;
}

static size_t count_lines(const char *path)
{
    size_t size, lines = 0;
    char *data = slurp(path, &size);
    for (size_t i = 0; data && i < size; i++)
        lines += data[i] == '\n';
    free(data);
    return lines;
}

/* --- Reporting ------------------------------------------------------------------ */

typedef struct {
    measurement parse, convert, write;
    size_t input_bytes;
    size_t workloads;
    size_t stderr_lines;
    size_t outputs;
} tree_result;

static bool all_ok = true;

static const char *verdict(bool ok)
{
    if (!ok)
        all_ok = false;
    return ok ? "PASS" : "FAIL";
}

static void print_mode(const char *name, const measurement *m, const tree_result *r)
{
    if (m->over_cap) {
        printf("  %-11s over the cap (killed after %.1f s)\n", name, m->wall);
        return;
    }
    if (!m->valid) {
        printf("  %-11s not measured\n", name);
        return;
    }
    printf("  %-11s %8.3f %8.3f %8.3f", name, m->wall, m->user, m->sys);
    if (r->workloads)
        printf(" %12.0f", (double)r->workloads / m->wall);
    else
        printf(" %12s", "-");
    printf(" %8.1f %9.1f", (double)r->input_bytes / 1e6 / m->wall, m->rss_mib);
    if (m->status != 0)
        printf("   (exit status %d)", m->status);
    putchar('\n');
}

static void print_ratios(const tree_result *r)
{
    if (!r->parse.valid || !r->convert.valid || !r->write.valid)
        return;
    double cpu_floor = r->parse.user + r->write.user + r->write.sys;
    double wall_floor = r->parse.wall + r->write.wall;
    double cpu = r->convert.user / cpu_floor;
    double wall = r->convert.wall / wall_floor;
    double rss_limit = 4 * (double)r->input_bytes / MIB + 64;
    printf("  convert user CPU / (parse user + write user+sys) = %.3f / %.3f = %5.2f"
           "   target <= 4  %s\n",
           r->convert.user, cpu_floor, cpu, verdict(cpu <= 4));
    printf("  convert wall / (parse wall + write wall)         = %.3f / %.3f = %5.2f"
           "   target <= 2  %s\n",
           r->convert.wall, wall_floor, wall, verdict(wall <= 2));
    printf("  convert peak RSS %.1f MiB = %.1fx input           target <= 4x input + 64 MiB"
           " = %.1f MiB  %s\n",
           r->convert.rss_mib, r->convert.rss_mib * MIB / (double)r->input_bytes, rss_limit,
           verdict(r->convert.rss_mib <= rss_limit));
}

static char *path_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (!s)
        abort();
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

/* Measures the three modes on one tree (dir/manifests + dir/mapping.yaml, or
 * a user's PATH when mapping is NULL). */
static tree_result measure_tree(const char *kube2ecs, const char *dir, const char *manifests,
                                const char *mapping, size_t workloads, double cap,
                                bool print)
{
    tree_result r = {.workloads = workloads};
    bench_run run = {.kube2ecs = kube2ecs, .mapping = mapping, .manifests = manifests,
                     .cap = cap};
    char *outdir = path_join(dir, "out"), *write_dir = path_join(dir, "out-write");
    char *stderr_path = path_join(dir, "stderr.txt");
    run.outdir = outdir;
    run.write_dir = write_dir;
    run.stderr_path = stderr_path;
    k2e_diags diags;
    k2e_diags_init(&diags);
    const char *paths[] = {manifests};
    k2e_collect_inputs(paths, 1, &run.files, &run.file_count, &diags);
    k2e_diags_release(&diags);
    for (size_t i = 0; i < run.file_count; i++) {
        struct stat st;
        if (stat(run.files[i], &st) == 0)
            r.input_bytes += (size_t)st.st_size;
    }
    r.parse = measure(&run, MODE_PARSE);
    r.convert = measure(&run, MODE_CONVERT);
    if (r.convert.valid) {
        r.stderr_lines = count_lines(stderr_path);
        load_walk(outdir, "", &run.output);
        r.outputs = run.output.count;
        r.write = measure(&run, MODE_WRITE);
    }
    if (print) {
        printf("  input %.2f MB in %zu files", (double)r.input_bytes / 1e6, run.file_count);
        if (r.convert.valid)
            printf("; output %zu files, %.2f MB; %zu lines on stderr", r.outputs,
                   (double)run.output.bytes / 1e6, r.stderr_lines);
        printf("\n  %-11s %8s %8s %8s %12s %8s %9s\n", "mode", "wall s", "user s", "sys s",
               "workloads/s", "MB/s", "RSS MiB");
        print_mode("parse-only", &r.parse, &r);
        print_mode("write-only", &r.write, &r);
        print_mode("convert", &r.convert, &r);
        print_ratios(&r);
    }
    load_release(&run.output);
    remove_tree(outdir);
    remove_tree(write_dir);
    for (size_t i = 0; i < run.file_count; i++)
        free(run.files[i]);
    free(run.files);
    free(outdir);
    free(write_dir);
    free(stderr_path);
    return r;
}

typedef struct {
    const char *work;
    const char *kube2ecs;
    double cap;
    double pathology_cap;
} report_options;

static bool generate(const report_options *o, const char *shape, size_t n, char **dir,
                     k2e_gen_stats *stats)
{
    char name[128];
    snprintf(name, sizeof name, "%s-%zu", shape, n);
    *dir = path_join(o->work, name);
    if (!k2e_gen(shape, n, *dir, stats)) {
        fprintf(stderr, "k2e_bench: generating %s %zu in %s: %s\n", shape, n, *dir,
                strerror(errno));
        return false;
    }
    return true;
}

static void tree_sizes(const report_options *o)
{
    static const size_t sizes[] = {1000, 5000, 20000};
    tree_result results[3] = {0};
    bool skip = false;
    for (size_t s = 0; s < 3; s++) {
        printf("\n== tree: %zu workloads (70%% Deployment+Service+HPA+ConfigMap+Secret, "
               "20%% CronJob, 10%% Job; 50 objects a file)\n", sizes[s]);
        if (skip) {
            printf("  convert over the cap at a smaller size: skipped\n");
            all_ok = false;
            continue;
        }
        char *dir;
        k2e_gen_stats stats;
        if (!generate(o, "tree", sizes[s], &dir, &stats)) {
            all_ok = false;
            return;
        }
        char *manifests = path_join(dir, "manifests"), *mapping = path_join(dir, "mapping.yaml");
        results[s] = measure_tree(o->kube2ecs, dir, manifests, mapping, stats.workloads, o->cap,
                                  true);
        skip = !results[s].convert.valid;
        if (skip)
            all_ok = false;
        remove_tree(dir);
        free(manifests);
        free(mapping);
        free(dir);
    }
    const tree_result *a = &results[1], *b = &results[2];
    printf("\n== growth: 5000 -> 20000 workloads (input x%.2f)\n",
           a->input_bytes ? (double)b->input_bytes / (double)a->input_bytes : 0);
    if (!a->convert.valid || !b->convert.valid) {
        printf("  convert over the cap: growth not measured  FAIL\n");
        all_ok = false;
        return;
    }
    double growth = b->convert.user / a->convert.user;
    printf("  convert user CPU %.3f s -> %.3f s = x%.2f   target <= 4.4  %s\n", a->convert.user,
           b->convert.user, growth, verdict(growth <= 4.4));
    printf("  convert wall     %.3f s -> %.3f s = x%.2f\n", a->convert.wall, b->convert.wall,
           b->convert.wall / a->convert.wall);
}

typedef struct {
    const char *shape;
    size_t small;
    const char *unit;
} pathology;

static const pathology pathologies[] = {
    {"configmap", 25000, "keys in one ConfigMap (envFrom)"},
    {"env", 10000, "env entries"},
    {"envfrom", 2500, "envFrom entries (one ConfigMap each)"},
    {"ports", 2000, "container and Service ports"},
    {"labels", 4000, "labels on the object and its pods"},
    {"document", 2500, "workloads in one List document"},
};

static void pathology_growth(const report_options *o)
{
    printf("\n== single-object pathologies: convert user CPU at n and 4n (target growth <= 4.4;"
           " cap %.0f s a run)\n", o->pathology_cap);
    for (size_t p = 0; p < sizeof pathologies / sizeof pathologies[0]; p++) {
        const pathology *shape = &pathologies[p];
        tree_result r[2] = {0};
        size_t n[2] = {shape->small, 4 * shape->small};
        for (int s = 0; s < 2; s++) {
            if (s == 1 && !r[0].convert.valid)
                break;
            char *dir;
            k2e_gen_stats stats;
            if (!generate(o, shape->shape, n[s], &dir, &stats)) {
                all_ok = false;
                return;
            }
            char *manifests = path_join(dir, "manifests");
            char *mapping = path_join(dir, "mapping.yaml");
            r[s] = measure_tree(o->kube2ecs, dir, manifests, mapping, 0, o->pathology_cap,
                                false);
            remove_tree(dir);
            free(manifests);
            free(mapping);
            free(dir);
        }
        printf("  %-9s %6zu -> %6zu %-38s", shape->shape, n[0], n[1], shape->unit);
        if (!r[0].convert.valid || !r[1].convert.valid) {
            printf(" over the cap at %zu  %s\n", r[0].convert.valid ? n[1] : n[0],
                   verdict(false));
            continue;
        }
        double growth = r[1].convert.user / r[0].convert.user;
        printf(" %6.3f s -> %6.3f s x%5.2f (input x%.2f, %5.1f MiB RSS)  %s\n",
               r[0].convert.user, r[1].convert.user, growth,
               (double)r[1].input_bytes / (double)r[0].input_bytes, r[1].convert.rss_mib,
               verdict(growth <= 4.4));
    }
}

static int report(const report_options *o)
{
    printf("kube2ecs benchmark (issue 11): %s build of %s\n", K2E_BENCH_BUILD_TYPE, o->kube2ecs);
    printf("work and output in %s; cap %.0f s a run (pathologies %.0f s); "
           "quick runs best of %d\n",
           o->work, o->cap, o->pathology_cap, QUICK_ROUNDS);
    tree_sizes(o);
    pathology_growth(o);
    printf("\n%s\n", all_ok ? "all targets met" : "some targets missed");
    return all_ok ? 0 : 1;
}

static int usage(void)
{
    fprintf(stderr,
            "usage: k2e_bench --report [--cap SECONDS] [--work DIR] [--kube2ecs PATH]\n"
            "       k2e_bench [--kube2ecs PATH] PATH    (one real tree, no mapping)\n");
    return 2;
}

int main(int argc, char **argv)
{
    report_options o = {.kube2ecs = K2E_BENCH_KUBE2ECS, .cap = 40, .pathology_cap = 8};
    bool want_report = false;
    const char *path = NULL;
    const char *work = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--report") == 0)
            want_report = true;
        else if (strcmp(argv[i], "--cap") == 0 && i + 1 < argc)
            o.cap = atof(argv[++i]);
        else if (strcmp(argv[i], "--work") == 0 && i + 1 < argc)
            work = argv[++i];
        else if (strcmp(argv[i], "--kube2ecs") == 0 && i + 1 < argc)
            o.kube2ecs = argv[++i];
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else
            return usage();
    }
    if (want_report == (path != NULL))
        return usage();
    char made[4096];
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp";
    snprintf(made, sizeof made, "%s/k2e-bench-XXXXXX", work ? work : base);
    if (!mkdtemp(made)) {
        fprintf(stderr, "k2e_bench: cannot create %s: %s\n", made, strerror(errno));
        return 2;
    }
    o.work = made;
    int status = 0;
    if (want_report) {
        status = report(&o);
    } else {
        printf("%s\n", path);
        measure_tree(o.kube2ecs, made, path, NULL, 0, o.cap, true);
    }
    remove_tree(made);
    return status;
}
