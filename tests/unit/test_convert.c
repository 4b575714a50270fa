/* Unit tests for convert.c: the whole pipeline on small inputs written to a
 * temporary directory.  Exit statuses, when OUTDIR is (not) written, the
 * report, determinism, and the promise that a Secret's values never reach
 * any output or diagnostic. */
#include "k2e_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kube2ecs/convert.h"
#include "emit/emit.h"
#include "emit/write.h"

/* Each test works in a fresh scratch directory (k2e_test.h). */
static k2e_convert_result result;

static void setup(void)
{
    k2e_scratch_begin();
    k2e_convert_result_init(&result);
}

static void teardown(void)
{
    k2e_convert_result_release(&result);
    k2e_scratch_end();
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, out);
    fclose(f);
    fclose(out);
    return text;
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static const k2e_diag *find_diag(const k2e_convert_result *r, k2e_diag_code code)
{
    for (size_t i = 0; i < r->diags.count; i++) {
        if (r->diags.items[i].code == code)
            return &r->diags.items[i];
    }
    return NULL;
}

/* A mapping table without placeholders (so a clean input has no warnings). */
static const char mapping_text[] =
    "region: eu-west-1\n"
    "accountId: \"123456789012\"\n"
    "cluster: prod\n"
    "executionRoleArn: arn:aws:iam::123456789012:role/exec\n"
    "network:\n"
    "  subnets: [subnet-1]\n"
    "  securityGroups: [sg-1]\n"
    "logging: {createGroup: true}\n";

/* Converts nothing but a Pod: no warning with the mapping above. */
static const char clean_pod[] =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: p\n"
    "spec:\n"
    "  containers:\n"
    "  - name: c\n"
    "    image: nginx:1.25\n"
    "    resources:\n"
    "      requests: {cpu: 250m, memory: 512Mi}\n"
    "      limits: {memory: 512Mi}\n";

/* Converts, with a "not converted" warning for a field no mapper knows. */
static const char warning_pod[] =
    "apiVersion: v1\n"
    "kind: Pod\n"
    "metadata:\n"
    "  name: w\n"
    "spec:\n"
    "  madeUpField: box\n"
    "  containers:\n"
    "  - name: c\n"
    "    image: nginx:1.25\n"
    "    resources:\n"
    "      requests: {cpu: 250m, memory: 512Mi}\n"
    "      limits: {memory: 512Mi}\n";

static const char broken[] = "apiVersion: v1\nkind: [unclosed\n";

static int convert(const k2e_convert_options *options, const char *const *paths, size_t count)
{
    k2e_convert_result_release(&result);
    k2e_convert_result_init(&result);
    return k2e_convert(options, paths, count, &result);
}

static k2e_convert_options options_for(const char *outdir)
{
    k2e_scratch_write("mapping.yaml", mapping_text);
    static char mapping[256];
    snprintf(mapping, sizeof mapping, "%s", k2e_scratch_path("mapping.yaml"));
    return (k2e_convert_options){.mapping_path = mapping, .outdir = outdir};
}

/* A previous run's output in <temp>/out. */
static void make_previous_output(void)
{
    ck_assert_int_eq(mkdir(k2e_scratch_path("out"), 0755), 0);
    k2e_scratch_write("out/report.json", "{\"previous\": true}\n");
    k2e_scratch_write("out/old.json", "{}\n");
    k2e_scratch_write("out/" K2E_OUTPUT_MARKER, K2E_OUTPUT_MARKER_LINE);
}

/* --- Exit statuses ------------------------------------------------------------------ */

START_TEST(clean_input_exits_0_and_writes_outdir)
{
    k2e_scratch_write("pod.yaml", clean_pod);
    char out[256];
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = options_for(out);
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_OK);
    ck_assert(result.written);
    ck_assert_uint_eq(k2e_diags_count(&result.diags, K2E_SEV_ERROR), 0);
    ck_assert_uint_eq(k2e_diags_count(&result.diags, K2E_SEV_WARNING), 0);
    ck_assert_uint_eq(result.files_read, 1);
    ck_assert_uint_eq(result.objects_read, 1);
    ck_assert_uint_eq(result.objects_converted, 1);
    ck_assert(k2e_outputs_has(&result.outputs, "report.json"));
    ck_assert(k2e_outputs_has(&result.outputs, "task-definitions/p.json"));
    ck_assert(exists(k2e_scratch_path("out/report.json")));
    ck_assert(exists(k2e_scratch_path("out/task-definitions/p.json")));
    /* the file on disk is the output in memory */
    char *disk = read_file(k2e_scratch_path("out/task-definitions/p.json"));
    ck_assert_str_eq(disk, k2e_outputs_get(&result.outputs, "task-definitions/p.json")->content);
    free(disk);
}
END_TEST

START_TEST(no_outdir_writes_nothing)
{
    k2e_scratch_write("pod.yaml", clean_pod);
    k2e_convert_options options = options_for(NULL);
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_OK);
    ck_assert(!result.written);
    ck_assert(k2e_outputs_has(&result.outputs, "report.json"));
    ck_assert_uint_eq(entries(k2e_scratch_dir()), 2); /* mapping.yaml, pod.yaml */
}
END_TEST

START_TEST(input_error_exits_2_and_leaves_outdir_untouched)
{
    k2e_scratch_write("pod.yaml", clean_pod);
    k2e_scratch_write("broken.yaml", broken);
    make_previous_output();
    char out[256];
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = options_for(out);
    const char *paths[] = {k2e_scratch_path("pod.yaml"), k2e_scratch_path("broken.yaml")};
    ck_assert_int_eq(convert(&options, paths, 2), K2E_EXIT_INPUT);
    ck_assert(!result.written);
    const k2e_diag *d = find_diag(&result, K2E_E_SYNTAX);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->file, "broken.yaml"); /* named relative to its PATH argument */
    ck_assert_uint_eq(d->line, 3); /* the unclosed '[' is found at the end */
    char *report = read_file(k2e_scratch_path("out/report.json"));
    ck_assert_str_eq(report, "{\"previous\": true}\n");
    free(report);
    ck_assert(exists(k2e_scratch_path("out/old.json")));
    ck_assert_uint_eq(entries(k2e_scratch_path("out")), 3); /* with the marker */
    ck_assert_uint_eq(entries(k2e_scratch_dir()), 4); /* mapping, pod, broken, out: no temporaries */
}
END_TEST

START_TEST(input_error_does_not_create_outdir)
{
    k2e_scratch_write("broken.yaml", broken);
    char out[256];
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = options_for(out);
    const char *paths[] = {k2e_scratch_path("broken.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_INPUT);
    ck_assert(!exists(k2e_scratch_path("out")));
}
END_TEST

START_TEST(keep_going_writes_and_still_exits_2)
{
    k2e_scratch_write("pod.yaml", clean_pod);
    k2e_scratch_write("broken.yaml", broken);
    make_previous_output();
    char out[256];
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = options_for(out);
    options.keep_going = true;
    const char *paths[] = {k2e_scratch_path("pod.yaml"), k2e_scratch_path("broken.yaml")};
    ck_assert_int_eq(convert(&options, paths, 2), K2E_EXIT_INPUT);
    ck_assert(result.written);
    ck_assert(exists(k2e_scratch_path("out/task-definitions/p.json")));
    ck_assert(!exists(k2e_scratch_path("out/old.json")));
    char *report = read_file(k2e_scratch_path("out/report.json"));
    json_error_t error;
    json_t *j = json_loads(report, 0, &error);
    ck_assert_msg(j != NULL, "report.json: %s", error.text);
    ck_assert_int_ge(json_integer_value(json_object_get(json_object_get(j, "summary"), "errors")), 1);
    json_decref(j);
    free(report);
    ck_assert_uint_eq(entries(k2e_scratch_dir()), 4);
}
END_TEST

START_TEST(missing_input_exits_2_with_e001)
{
    k2e_convert_options options = options_for(NULL);
    const char *paths[] = {k2e_scratch_path("nope.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_INPUT);
    const k2e_diag *d = find_diag(&result, K2E_E_READ);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->file, k2e_scratch_path("nope.yaml"));
}
END_TEST

START_TEST(invalid_mapping_exits_2_and_writes_nothing_even_with_keep_going)
{
    k2e_scratch_write("pod.yaml", clean_pod);
    k2e_scratch_write("bad-mapping.yaml", "regoin: eu-west-1\n");
    char mapping[256], out[256];
    snprintf(mapping, sizeof mapping, "%s", k2e_scratch_path("bad-mapping.yaml"));
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = {.mapping_path = mapping, .outdir = out, .keep_going = true};
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_INPUT);
    ck_assert_ptr_nonnull(find_diag(&result, K2E_E_MAPPING));
    ck_assert(!result.written);
    ck_assert(!exists(k2e_scratch_path("out")));
}
END_TEST

START_TEST(strict_exits_1_when_warnings_exist)
{
    k2e_scratch_write("pod.yaml", warning_pod);
    k2e_convert_options options = options_for(NULL);
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_OK);
    const k2e_diag *d = find_diag(&result, K2E_W_NOT_CONVERTED);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->path, "spec.madeUpField");
    ck_assert_uint_eq(d->line, 6);
    options.strict = true;
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_DIFFERENCES);
}
END_TEST

START_TEST(strict_exits_0_without_warnings)
{
    k2e_scratch_write("pod.yaml", clean_pod);
    k2e_convert_options options = options_for(NULL);
    options.strict = true;
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_OK);
    ck_assert_uint_gt(result.diags.count, 0); /* infos do not count */
    ck_assert_uint_eq(k2e_diags_count(&result.diags, K2E_SEV_WARNING), 0);
}
END_TEST

START_TEST(strict_with_outdir_writes_nothing_on_warnings)
{
    k2e_scratch_write("pod.yaml", warning_pod);
    char out[256];
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = options_for(out);
    options.strict = true;
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    int status = convert(&options, paths, 1);
    ck_assert_int_eq(status, K2E_EXIT_DIFFERENCES);
    /* whatever the policy, the two must agree */
    ck_assert_int_eq(result.written, exists(k2e_scratch_path("out")));
}
END_TEST

START_TEST(errors_win_over_strict)
{
    k2e_scratch_write("pod.yaml", warning_pod);
    k2e_scratch_write("broken.yaml", broken);
    k2e_convert_options options = options_for(NULL);
    options.strict = true;
    const char *paths[] = {k2e_scratch_path("pod.yaml"), k2e_scratch_path("broken.yaml")};
    ck_assert_int_eq(convert(&options, paths, 2), K2E_EXIT_INPUT);
}
END_TEST

START_TEST(placeholders_warn_without_a_mapping_file)
{
    k2e_scratch_write("pod.yaml", clean_pod);
    k2e_convert_options options = {0};
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_OK);
    ck_assert_ptr_nonnull(find_diag(&result, K2E_W_PLACEHOLDER));
    options.strict = true;
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_DIFFERENCES);
}
END_TEST

/* --- Report -------------------------------------------------------------------------- */

START_TEST(report_json_is_parseable_and_matches_the_diagnostics)
{
    k2e_scratch_write("pod.yaml", warning_pod);
    char out[256];
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = options_for(out);
    const char *paths[] = {k2e_scratch_path("pod.yaml")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_OK);
    char *text = read_file(k2e_scratch_path("out/report.json"));
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, k2e_outputs_get(&result.outputs, "report.json")->content);
    ck_assert_int_eq(text[strlen(text) - 1], '\n');
    json_error_t error;
    json_t *report = json_loads(text, 0, &error);
    ck_assert_msg(report != NULL, "report.json does not parse: %s", error.text);
    json_t *list = json_object_get(report, "diagnostics");
    ck_assert(json_is_array(list));
    ck_assert_uint_eq(json_array_size(list), result.diags.count);
    for (size_t i = 0; i < result.diags.count; i++) {
        json_t *d = json_array_get(list, i);
        ck_assert_str_eq(json_string_value(json_object_get(d, "code")),
                         k2e_diag_code_string(result.diags.items[i].code));
        ck_assert_str_eq(json_string_value(json_object_get(d, "message")),
                         result.diags.items[i].message);
    }
    json_t *summary = json_object_get(report, "summary");
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "filesRead")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "objectsRead")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "objectsConverted")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "errors")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "warnings")),
                     (json_int_t)k2e_diags_count(&result.diags, K2E_SEV_WARNING));
    json_t *outputs = json_object_get(summary, "outputs");
    ck_assert(json_is_array(outputs));
    bool listed = false;
    for (size_t i = 0; i < json_array_size(outputs); i++)
        listed = listed || strcmp(json_string_value(json_array_get(outputs, i)),
                                  "task-definitions/w.json") == 0;
    ck_assert(listed);
    json_decref(report);
    free(text);
}
END_TEST

START_TEST(diagnostics_come_sorted)
{
    k2e_scratch_write("a.yaml", warning_pod);
    k2e_scratch_write("b.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {}\n");
    k2e_convert_options options = options_for(NULL);
    const char *paths[] = {k2e_scratch_path("b.yaml"), k2e_scratch_path("a.yaml")};
    convert(&options, paths, 2);
    for (size_t i = 1; i < result.diags.count; i++) {
        const k2e_diag *p = &result.diags.items[i - 1], *d = &result.diags.items[i];
        int c = strcmp(p->file, d->file);
        ck_assert_msg(c < 0 || (c == 0 && p->line <= d->line), "diagnostic %zu out of order", i);
    }
}
END_TEST

START_TEST(directory_input_reads_manifests_only)
{
    ck_assert_int_eq(mkdir(k2e_scratch_path("k8s"), 0755), 0);
    ck_assert_int_eq(mkdir(k2e_scratch_path("k8s/sub"), 0755), 0);
    k2e_scratch_write("k8s/pod.yaml", clean_pod);
    k2e_scratch_write("k8s/sub/cm.yml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
    k2e_scratch_write("k8s/sub/svc.json",
               "{\"apiVersion\": \"v1\", \"kind\": \"Service\", \"metadata\": {\"name\": \"s\"}}\n");
    k2e_scratch_write("k8s/README.md", "# not a manifest: [\n");
    k2e_scratch_write("k8s/.hidden.yaml", broken);
    k2e_convert_options options = options_for(NULL);
    const char *paths[] = {k2e_scratch_path("k8s")};
    ck_assert_int_eq(convert(&options, paths, 1), K2E_EXIT_OK);
    ck_assert_uint_eq(result.files_read, 3);
    ck_assert_uint_eq(result.objects_read, 3);
    ck_assert_uint_eq(result.objects_converted, 1);
}
END_TEST

/* --- Determinism ------------------------------------------------------------------------ */

static const char app_a[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: web\n"
    "  labels: {app: web, tier: front}\n"
    "spec:\n"
    "  replicas: 2\n"
    "  selector: {matchLabels: {app: web}}\n"
    "  template:\n"
    "    metadata: {labels: {app: web}}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: nginx:1.25\n"
    "        env:\n"
    "        - {name: MODE, value: prod}\n"
    "        - {name: URL, value: \"http://$(MODE).example\"}\n"
    "        envFrom:\n"
    "        - configMapRef: {name: settings}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: ConfigMap\n"
    "metadata: {name: settings}\n"
    "data: {B: \"2\", A: \"1\"}\n";

static const char app_b[] =
    "apiVersion: batch/v1\n"
    "kind: Job\n"
    "metadata: {name: migrate}\n"
    "spec:\n"
    "  template:\n"
    "    spec:\n"
    "      restartPolicy: Never\n"
    "      containers:\n"
    "      - {name: m, image: \"migrate:1\", args: [\"--to=$(MODE)\"]}\n"
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: api}\n"
    "spec:\n"
    "  selector: {matchLabels: {app: api}}\n"
    "  template:\n"
    "    metadata: {labels: {app: api}}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: api\n"
    "        image: api:2\n"
    "        resources: {limits: {cpu: \"1\", memory: 2Gi}}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: api}\n"
    "spec: {ports: [{port: 80}]}\n";

START_TEST(either_file_order_gives_identical_outputs)
{
    k2e_scratch_write("a.yaml", app_a);
    k2e_scratch_write("b.yaml", app_b);
    char out1[256], out2[256];
    snprintf(out1, sizeof out1, "%s", k2e_scratch_path("out1"));
    snprintf(out2, sizeof out2, "%s", k2e_scratch_path("out2"));
    k2e_convert_options options = options_for(out1);
    const char *forward[] = {k2e_scratch_path("a.yaml"), k2e_scratch_path("b.yaml")};
    int status1 = convert(&options, forward, 2);
    k2e_convert_result first = result;
    k2e_convert_result_init(&result);
    options.outdir = out2;
    const char *backward[] = {k2e_scratch_path("b.yaml"), k2e_scratch_path("a.yaml")};
    int status2 = k2e_convert(&options, backward, 2, &result);
    ck_assert_int_eq(status1, status2);
    ck_assert(first.written && result.written);
    ck_assert_uint_ge(first.outputs.count, 4); /* report + web, api, migrate */
    ck_assert_uint_eq(first.outputs.count, result.outputs.count);
    for (size_t i = 0; i < first.outputs.count; i++) {
        const k2e_output *a = &first.outputs.items[i], *b = &result.outputs.items[i];
        ck_assert_str_eq(a->path, b->path);
        ck_assert_msg(a->length == b->length && memcmp(a->content, b->content, a->length) == 0,
                      "%s differs between file orders", a->path);
        char p1[512], p2[512];
        snprintf(p1, sizeof p1, "%s/%s", out1, a->path);
        snprintf(p2, sizeof p2, "%s/%s", out2, a->path);
        char *t1 = read_file(p1), *t2 = read_file(p2);
        ck_assert_ptr_nonnull(t1);
        ck_assert_ptr_nonnull(t2);
        ck_assert_str_eq(t1, t2);
        free(t1);
        free(t2);
    }
    ck_assert_uint_eq(first.diags.count, result.diags.count);
    k2e_convert_result_release(&first);
}
END_TEST

START_TEST(same_input_twice_gives_identical_report)
{
    k2e_scratch_write("a.yaml", app_a);
    k2e_scratch_write("b.yaml", app_b);
    k2e_convert_options options = options_for(NULL);
    const char *paths[] = {k2e_scratch_path("a.yaml"), k2e_scratch_path("b.yaml")};
    convert(&options, paths, 2);
    char *first = strdup(k2e_outputs_get(&result.outputs, "report.json")->content);
    convert(&options, paths, 2);
    ck_assert_str_eq(first, k2e_outputs_get(&result.outputs, "report.json")->content);
    free(first);
}
END_TEST

/* --- Secrets ------------------------------------------------------------------------------ */

/* base64 "hunter2-s3cr3t-Pa55" and a stringData token, plus a key that is
 * not a valid variable name (so a warning names the key). */
#define SECRET_B64 "aHVudGVyMi1zM2NyM3QtUGE1NQ=="
#define SECRET_PLAIN "hunter2-s3cr3t-Pa55"
#define TOKEN_PLAIN "tok-9f8e7d6c5b4a"
#define TOKEN_B64 "dG9rLTlmOGU3ZDZjNWI0YQ=="
#define ODD_PLAIN "odd-value-1234"
#define ODD_B64 "b2RkLXZhbHVlLTEyMzQ="

static const char secret_app[] =
    "apiVersion: v1\n"
    "kind: Secret\n"
    "metadata: {name: db}\n"
    "type: Opaque\n"
    "data:\n"
    "  password: " SECRET_B64 "\n"
    "  bad.key!: " ODD_B64 "\n"
    "  password: " SECRET_B64 "\n"
    "stringData:\n"
    "  token: " TOKEN_PLAIN "\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Secret\n"
    "metadata: {name: unused}\n"
    "data: {other: " TOKEN_B64 "}\n"
    "stringData: {x: " SECRET_PLAIN "}\n"
    "---\n"
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: app}\n"
    "spec:\n"
    "  selector: {matchLabels: {app: app}}\n"
    "  template:\n"
    "    metadata: {labels: {app: app}}\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: app\n"
    "        image: app:1\n"
    "        command: [\"run\", \"--password=$(PASSWORD)\"]\n"
    "        env:\n"
    "        - name: PASSWORD\n"
    "          valueFrom: {secretKeyRef: {name: db, key: password}}\n"
    "        - name: MISSING\n"
    "          valueFrom: {secretKeyRef: {name: db, key: nope}}\n"
    "        - name: DSN\n"
    "          value: \"postgres://u:$(PASSWORD)@db\"\n"
    "        envFrom:\n"
    "        - secretRef: {name: db}\n"
    "          prefix: DB_\n";

static void assert_no_secret(const char *what, const char *text)
{
    static const char *const values[] = {SECRET_B64, SECRET_PLAIN, TOKEN_PLAIN, TOKEN_B64,
                                         ODD_PLAIN, ODD_B64};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        ck_assert_msg(strstr(text, values[i]) == NULL, "%s contains the secret value %s", what,
                      values[i]);
}

START_TEST(secret_values_never_reach_outputs_or_diagnostics)
{
    k2e_scratch_write("app.yaml", secret_app);
    char out[256];
    snprintf(out, sizeof out, "%s", k2e_scratch_path("out"));
    k2e_convert_options options = options_for(out);
    options.keep_going = true;
    const char *paths[] = {k2e_scratch_path("app.yaml")};
    convert(&options, paths, 1);
    ck_assert(result.written);
    ck_assert_uint_gt(result.objects_converted, 0);
    /* the run did look at the Secret: some diagnostic names it */
    bool named = false;
    for (size_t i = 0; i < result.diags.count; i++) {
        const k2e_diag *d = &result.diags.items[i];
        named = named || strstr(d->message, "db") != NULL;
        assert_no_secret("a diagnostic message", d->message);
        assert_no_secret("a diagnostic hint", d->hint);
        assert_no_secret("a diagnostic path", d->path);
    }
    ck_assert(named);
    for (size_t i = 0; i < result.outputs.count; i++) {
        const k2e_output *o = &result.outputs.items[i];
        assert_no_secret(o->path, o->content);
        char path[512];
        snprintf(path, sizeof path, "%s/%s", out, o->path);
        char *disk = read_file(path);
        ck_assert_ptr_nonnull(disk);
        assert_no_secret(path, disk);
        free(disk);
    }
    /* and the references are there instead */
    const k2e_output *td = k2e_outputs_get(&result.outputs, "task-definitions/app.json");
    ck_assert_ptr_nonnull(td);
    ck_assert_ptr_nonnull(strstr(td->content, "\"PASSWORD\""));
    ck_assert_ptr_nonnull(strstr(td->content, "valueFrom"));
    ck_assert_ptr_nonnull(strstr(td->content, "DB_token"));
}
END_TEST

START_TEST(secret_values_stay_out_of_printed_diagnostics)
{
    k2e_scratch_write("app.yaml", secret_app);
    k2e_convert_options options = options_for(NULL);
    const char *paths[] = {k2e_scratch_path("app.yaml")};
    convert(&options, paths, 1);
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    for (size_t i = 0; i < result.diags.count; i++) {
        k2e_diag_print(out, &result.diags.items[i], false);
        json_t *j = k2e_diag_to_json(&result.diags.items[i]);
        char *dumped = json_dumps(j, 0);
        fputs(dumped, out);
        free(dumped);
        json_decref(j);
    }
    fclose(out);
    ck_assert_uint_gt(size, 0);
    assert_no_secret("printed diagnostics", text);
    free(text);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("convert");
    TCase *t = tcase_create("exit_status");
    tcase_set_timeout(t, 30);
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, clean_input_exits_0_and_writes_outdir);
    tcase_add_test(t, no_outdir_writes_nothing);
    tcase_add_test(t, input_error_exits_2_and_leaves_outdir_untouched);
    tcase_add_test(t, input_error_does_not_create_outdir);
    tcase_add_test(t, keep_going_writes_and_still_exits_2);
    tcase_add_test(t, missing_input_exits_2_with_e001);
    tcase_add_test(t, invalid_mapping_exits_2_and_writes_nothing_even_with_keep_going);
    tcase_add_test(t, strict_exits_1_when_warnings_exist);
    tcase_add_test(t, strict_exits_0_without_warnings);
    tcase_add_test(t, strict_with_outdir_writes_nothing_on_warnings);
    tcase_add_test(t, errors_win_over_strict);
    tcase_add_test(t, placeholders_warn_without_a_mapping_file);
    suite_add_tcase(s, t);

    t = tcase_create("report");
    tcase_set_timeout(t, 30);
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, report_json_is_parseable_and_matches_the_diagnostics);
    tcase_add_test(t, diagnostics_come_sorted);
    tcase_add_test(t, directory_input_reads_manifests_only);
    suite_add_tcase(s, t);

    t = tcase_create("determinism");
    tcase_set_timeout(t, 30);
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, either_file_order_gives_identical_outputs);
    tcase_add_test(t, same_input_twice_gives_identical_report);
    suite_add_tcase(s, t);

    t = tcase_create("secrets");
    tcase_set_timeout(t, 30);
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, secret_values_never_reach_outputs_or_diagnostics);
    tcase_add_test(t, secret_values_stay_out_of_printed_diagnostics);
    suite_add_tcase(s, t);
    return s;
}
