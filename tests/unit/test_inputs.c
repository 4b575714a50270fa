/* Unit tests for the input side of a run: gitignore-style exclusion
 * (ignore.c), recognising kustomize/Helm/tool files and unrendered
 * templates (classify.c), and reading PATH arguments (inputs.c): names
 * relative to the root, walks that visit each directory once, the output
 * directory never read back. */
#include "k2e_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/classify.h"
#include "read/ignore.h"
#include "read/inputs.h"
#include "base/util.h"

/* --- Globs ----------------------------------------------------------------- */

static const struct {
    const char *glob, *text;
    bool match;
} globs[] = {
    {"*.yaml", "a.yaml", true},
    {"*.yaml", "a.yml", false},
    {"a?c", "abc", true},
    {"a?c", "a/c", false},
    {"[a-c]x", "bx", true},
    {"[!a-c]x", "bx", false},
    {"[!a-c]x", "dx", true},
    {"[^a]x", "bx", true},
    {"\\*x", "*x", true},
    {"\\*x", "ax", false},
    {"k8s/*.yaml", "k8s/a.yaml", true},
    {"k8s/*.yaml", "k8s/sub/a.yaml", false},
    {"**/a.yaml", "a.yaml", true},
    {"**/a.yaml", "x/y/a.yaml", true},
    {"k8s/**/a.yaml", "k8s/a.yaml", true},
    {"k8s/**/a.yaml", "k8s/x/y/a.yaml", true},
    {"k8s/**/a.yaml", "other/x/a.yaml", false},
    {"k8s/**", "k8s/a.yaml", true},
    {"k8s/**", "k8s/x/a.yaml", true},
    {"k8s/**", "k8s", false},             /* the directory itself stays walked */
    {"a**b", "axxb", true},               /* not a whole component: a plain star */
    {"a**b", "ax/xb", false},
    {"[", "[", true},                     /* unterminated class: a literal */
    {"*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
};

START_TEST(glob_matches_like_gitignore)
{
    ck_assert_msg(k2e_glob_match(globs[_i].glob, globs[_i].text) == globs[_i].match,
                  "'%s' vs '%s' should %smatch", globs[_i].glob, globs[_i].text,
                  globs[_i].match ? "" : "not ");
}
END_TEST

START_TEST(ignore_rules_follow_gitignore)
{
    k2e_ignore ig;
    k2e_ignore_init(&ig);
    const char text[] = "# comment\n"
                        "\n"
                        "*.json\n"
                        "!keep.json\n"
                        "legacy/\n"
                        "/top.yaml\n"
                        "charts/*/values.yaml   \n"
                        "\\#hash.yaml\n";
    ck_assert(k2e_ignore_add_text(&ig, text, sizeof text - 1, ".kube2ecsignore"));
    ck_assert_uint_eq(ig.count, 6);
    const k2e_ignore_rule *r = k2e_ignore_match(&ig, "a/b/c.json", false);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->origin, ".kube2ecsignore:3");
    ck_assert_ptr_null(k2e_ignore_match(&ig, "a/keep.json", false));     /* negated */
    ck_assert_ptr_nonnull(k2e_ignore_match(&ig, "x/legacy", true));       /* any depth */
    ck_assert_ptr_null(k2e_ignore_match(&ig, "x/legacy", false));         /* dirs only */
    ck_assert_ptr_nonnull(k2e_ignore_match(&ig, "top.yaml", false));
    ck_assert_ptr_null(k2e_ignore_match(&ig, "sub/top.yaml", false));     /* anchored */
    ck_assert_ptr_nonnull(k2e_ignore_match(&ig, "charts/web/values.yaml", false));
    ck_assert_ptr_nonnull(k2e_ignore_match(&ig, "#hash.yaml", false));
    ck_assert_ptr_null(k2e_ignore_match(&ig, "deploy.yaml", false));
    ck_assert(k2e_ignore_add(&ig, "!*.json", "--exclude '!*.json'"));
    ck_assert_ptr_null(k2e_ignore_match(&ig, "a/b/c.json", false));      /* last wins */
    k2e_ignore_release(&ig);
}
END_TEST

/* --- Template actions -------------------------------------------------------- */

static const struct {
    const char *text;
    unsigned line, column;   /* 0: none */
} templates[] = {
    {"metadata:\n  name: {{ .Release.Name }}\n", 2, 9},
    {"{{- if .Values.enabled }}\nkind: Service\n", 1, 1},
    {"spec:\n  {{- toYaml .Values.spec | nindent 2 }}\n", 2, 3},
    {"items:\n- {{ .Values.x }}\n", 2, 3},
    {"a: [{{ .Values.x }}]\n", 1, 5},
    {"a: \"{{ quoted }}\"\n", 0, 0},
    {"a: '{{ quoted }}'\nb: it's {{ fine }}\n", 0, 0},
    {"summary: Instance {{ $labels.instance }} down\n", 0, 0},
    {"# {{ comment }}\na: b # {{ also }}\n", 0, 0},
    {"data:\n  rules: |\n    {{ in a block }}\n    more\n  next: {{ x }}\n", 5, 9},
    {"- key: >-\n    {{ folded }}\n  other: {{ y }}\n", 3, 10},
    {"a: \"multi\n  {{ line }} string\"\nb: {{ z }}\n", 3, 4},
    {"{\"a\": {\"b\": \"{{x}}\"}}\n", 0, 0},
    {"url: http://x/{{y}}\n", 0, 0},
    {"a: &anchor {{ x }}\n", 1, 12},
};

START_TEST(template_actions_are_found_outside_strings)
{
    unsigned line = 0, column = 0;
    bool found = k2e_find_template_action(templates[_i].text, strlen(templates[_i].text),
                                          &line, &column);
    ck_assert_msg(found == (templates[_i].line != 0), "case %d: found %d", _i, found);
    if (found) {
        ck_assert_uint_eq(line, templates[_i].line);
        ck_assert_uint_eq(column, templates[_i].column);
    }
}
END_TEST

/* --- Classification ------------------------------------------------------------ */

static k2e_input_class classify(const char *name, const char *text)
{
    k2e_limits limits = k2e_limits_default();
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_file file;
    ck_assert(k2e_read_buffer(name, text, strlen(text), &limits, &file, &diags));
    k2e_input_class c = k2e_classify_documents(&file, name);
    k2e_file_free(&file);
    k2e_diags_release(&diags);
    return c;
}

START_TEST(documents_decide_what_a_file_is)
{
    k2e_input_class c;
    ck_assert(k2e_classify_name("kustomization.yaml", &c) && c.kind == K2E_INPUT_KUSTOMIZE);
    ck_assert(k2e_classify_name("Kustomization", &c) && c.kind == K2E_INPUT_KUSTOMIZE);
    ck_assert(k2e_classify_name("Chart.yaml", &c) && c.kind == K2E_INPUT_HELM_CHART);
    ck_assert(!k2e_classify_name("values.yaml", &c));   /* decided by content */
    ck_assert(!k2e_classify_name("deploy.yaml", &c));
    ck_assert_int_eq(classify("values.yaml", "replicaCount: 2\n").kind, K2E_INPUT_HELM_CHART);
    ck_assert_int_eq(classify("values-cm.yaml", "apiVersion: v1\nkind: ConfigMap\n").kind,
                     K2E_INPUT_MANIFEST);
    ck_assert_int_eq(classify("package.json", "{\"name\": \"x\"}").kind, K2E_INPUT_TOOL_CONFIG);
    ck_assert_int_eq(classify("x.yaml", "a: 1\n").kind, K2E_INPUT_NO_OBJECT);
    c = classify("x.yaml", "# only a comment\n");
    ck_assert_int_eq(c.kind, K2E_INPUT_NO_OBJECT);
    ck_assert_str_eq(c.what, "empty");
    ck_assert_int_eq(classify("k.yaml", "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                                        "kind: Kustomization\n").kind,
                     K2E_INPUT_KUSTOMIZE);
    ck_assert_int_eq(classify("skaffold.yaml", "apiVersion: skaffold/v4beta6\nkind: Config\n").kind,
                     K2E_INPUT_TOOL_CONFIG);
    /* One object among other documents makes it a manifest. */
    ck_assert_int_eq(classify("x.yaml", "a: 1\n---\nkind: Pod\n").kind, K2E_INPUT_MANIFEST);
    /* A kind alone (apiVersion forgotten) is still a manifest: the index
     * reports what is missing. */
    ck_assert_int_eq(classify("x.yaml", "kind: Pod\n").kind, K2E_INPUT_MANIFEST);
}
END_TEST

/* --- Reading PATHs ---------------------------------------------------------------- */

static const char pod[] = "apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\n"
                          "spec: {containers: [{name: c, image: nginx}]}\n";

static void write_pod(const char *rel, const char *name)
{
    char *text = k2e_asprintf(pod, name);
    k2e_scratch_write(rel, text);
    free(text);
}

static void mkdir_scratch(const char *rel)
{
    ck_assert_int_eq(mkdir(k2e_scratch_path(rel), 0700), 0);
}

static k2e_input_set set;
static k2e_diags diags;

static void read_paths(const char *outdir, const char *const *paths, size_t count,
                       const char *const *excludes, size_t exclude_count)
{
    k2e_input_options options = {.excludes = excludes, .exclude_count = exclude_count,
                                 .outdir = outdir, .limits = k2e_limits_default()};
    ck_assert(k2e_inputs_read(&options, paths, count, &set, &diags));
}

static size_t count_code(k2e_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < diags.count; i++)
        n += diags.items[i].code == code;
    return n;
}

static const k2e_diag *diag_for(const char *file)
{
    for (size_t i = 0; i < diags.count; i++) {
        if (strcmp(diags.items[i].file, file) == 0)
            return &diags.items[i];
    }
    return NULL;
}

static void setup(void)
{
    k2e_scratch_begin();
    k2e_diags_init(&diags);
    memset(&set, 0, sizeof set);
}

static void teardown(void)
{
    k2e_inputs_release(&set);
    k2e_diags_release(&diags);
    k2e_scratch_end();
}

START_TEST(files_are_named_relative_to_their_root)
{
    mkdir_scratch("k8s");
    mkdir_scratch("k8s/apps");
    write_pod("k8s/apps/web.yaml", "web");
    write_pod("k8s/a.yaml", "a");
    const char *paths[] = {k2e_scratch_path("k8s")};
    read_paths(NULL, paths, 1, NULL, 0);
    ck_assert_uint_eq(set.count, 2);
    ck_assert_str_eq(set.files[0].name, "a.yaml");          /* byte-wise order */
    ck_assert_str_eq(set.files[1].name, "apps/web.yaml");
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(several_roots_get_the_fewest_distinguishing_components)
{
    mkdir_scratch("a");
    mkdir_scratch("a/k8s");
    mkdir_scratch("b");
    mkdir_scratch("b/k8s");
    write_pod("a/k8s/web.yaml", "a");
    write_pod("b/k8s/web.yaml", "b");
    write_pod("extra.yaml", "extra");
    const char *paths[] = {k2e_scratch_path("a/k8s"), k2e_scratch_path("b/k8s"),
                           k2e_scratch_path("extra.yaml")};
    read_paths(NULL, paths, 3, NULL, 0);
    ck_assert_uint_eq(set.count, 3);
    ck_assert_str_eq(set.files[0].name, "a/k8s/web.yaml");
    ck_assert_str_eq(set.files[1].name, "b/k8s/web.yaml");
    ck_assert_str_eq(set.files[2].name, "extra.yaml");
}
END_TEST

START_TEST(symbolic_link_loops_end_at_once)
{
    mkdir_scratch("d");
    mkdir_scratch("d/sub");
    write_pod("d/p.yaml", "p");
    write_pod("d/sub/q.yaml", "q");
    ck_assert_int_eq(symlink(".", k2e_scratch_path("d/a")), 0);
    ck_assert_int_eq(symlink(".", k2e_scratch_path("d/b")), 0);
    ck_assert_int_eq(symlink("..", k2e_scratch_path("d/sub/up")), 0);
    ck_assert_int_eq(symlink("p.yaml", k2e_scratch_path("d/same.yaml")), 0);
    const char *paths[] = {k2e_scratch_path("d")};
    read_paths(NULL, paths, 1, NULL, 0);
    ck_assert_uint_eq(set.count, 2);        /* p.yaml and sub/q.yaml, once each */
    ck_assert_uint_eq(count_code(K2E_I_INPUT_NOT_READ), 4);
    const k2e_diag *d = diag_for("same.yaml");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->message, "the same file as p.yaml, already read: not read again");
    ck_assert_ptr_nonnull(diag_for("sub/up"));
}
END_TEST

START_TEST(output_directory_and_its_temporaries_are_not_read)
{
    mkdir_scratch("k8s");
    mkdir_scratch("k8s/out");
    mkdir_scratch("k8s/out.new-AbC123");
    write_pod("k8s/web.yaml", "web");
    k2e_scratch_write("k8s/out/report.json", "{}\n");
    write_pod("k8s/out/task.yaml", "copy");
    write_pod("k8s/out.new-AbC123/x.yaml", "temp");
    const char *paths[] = {k2e_scratch_path("k8s")};
    read_paths(k2e_scratch_path("k8s/out/"), paths, 1, NULL, 0);
    ck_assert_uint_eq(set.count, 1);
    ck_assert_ptr_null(diag_for("out"));       /* our own output: quietly */
    ck_assert_ptr_nonnull(diag_for("out.new-AbC123"));
}
END_TEST

START_TEST(excludes_and_ignore_file_leave_paths_out)
{
    mkdir_scratch("k8s");
    mkdir_scratch("k8s/legacy");
    mkdir_scratch("k8s/apps");
    write_pod("k8s/legacy/old.yaml", "old");
    write_pod("k8s/apps/web.yaml", "web");
    write_pod("k8s/apps/test-web.yaml", "test");
    write_pod("k8s/apps/keep-test.yaml", "keep");
    k2e_scratch_write("k8s/.kube2ecsignore", "legacy/\n*test*.yaml\n");
    const char *excludes[] = {"!keep-*.yaml"};
    const char *paths[] = {k2e_scratch_path("k8s")};
    read_paths(NULL, paths, 1, excludes, 1);
    ck_assert_uint_eq(set.count, 2);
    ck_assert_str_eq(set.files[0].name, "apps/keep-test.yaml");
    ck_assert_str_eq(set.files[1].name, "apps/web.yaml");
    const k2e_diag *d = diag_for("legacy");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->message, "directory excluded by .kube2ecsignore:1: not read");
    d = diag_for("apps/test-web.yaml");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->message, "excluded by .kube2ecsignore:2: not read");
}
END_TEST

START_TEST(skipped_in_a_walk_error_when_named)
{
    mkdir_scratch("k8s");
    k2e_scratch_write("k8s/values.yaml", "replicaCount: 2\n");
    write_pod("k8s/web.yaml", "web");
    const char *walk[] = {k2e_scratch_path("k8s")};
    read_paths(NULL, walk, 1, NULL, 0);
    ck_assert_uint_eq(set.count, 1);
    ck_assert_uint_eq(set.skipped, 1);
    ck_assert(set.saw_helm);
    const k2e_diag *d = diag_for("values.yaml");
    ck_assert_int_eq(d->code, K2E_I_INPUT_SKIPPED);
    k2e_inputs_release(&set);
    k2e_diags_release(&diags);
    k2e_diags_init(&diags);
    const char *named[] = {k2e_scratch_path("k8s/values.yaml")};
    read_paths(NULL, named, 1, NULL, 0);
    ck_assert_uint_eq(set.count, 0);
    d = diag_for("values.yaml");
    ck_assert_int_eq(d->code, K2E_E_NOT_OBJECT);
    ck_assert_ptr_nonnull(strstr(d->hint, "helm template"));
}
END_TEST

START_TEST(chart_templates_are_skipped_by_place)
{
    mkdir_scratch("chart");
    mkdir_scratch("chart/templates");
    k2e_scratch_write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n");
    write_pod("chart/templates/plain.yaml", "no-actions-at-all");
    const char *paths[] = {k2e_scratch_path("chart")};
    read_paths(NULL, paths, 1, NULL, 0);
    ck_assert_uint_eq(set.count, 0);
    ck_assert_uint_eq(set.skipped, 2);
    const k2e_diag *d = diag_for("templates/plain.yaml");
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "Helm chart template"));
    k2e_inputs_report_empty(&set, &diags);
    ck_assert_uint_eq(count_code(K2E_E_NO_OBJECTS), 1);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("inputs");
    TCase *t = tcase_create("ignore");
    tcase_add_loop_test(t, glob_matches_like_gitignore, 0, (int)(sizeof globs / sizeof globs[0]));
    tcase_add_test(t, ignore_rules_follow_gitignore);
    suite_add_tcase(s, t);

    t = tcase_create("classify");
    tcase_add_loop_test(t, template_actions_are_found_outside_strings, 0,
                        (int)(sizeof templates / sizeof templates[0]));
    tcase_add_test(t, documents_decide_what_a_file_is);
    suite_add_tcase(s, t);

    t = tcase_create("paths");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, files_are_named_relative_to_their_root);
    tcase_add_test(t, several_roots_get_the_fewest_distinguishing_components);
    tcase_add_test(t, symbolic_link_loops_end_at_once);
    tcase_add_test(t, output_directory_and_its_temporaries_are_not_read);
    tcase_add_test(t, excludes_and_ignore_file_leave_paths_out);
    tcase_add_test(t, skipped_in_a_walk_error_when_named);
    tcase_add_test(t, chart_templates_are_skipped_by_place);
    suite_add_tcase(s, t);
    return s;
}
