/* Unit tests for emit.c: the output set, canonical JSON text, and the
 * atomic writing of an output tree (fresh, replacing a previous kube2ecs
 * output, refusing anything else, and never leaving temporaries behind). */
#include "k2e_test.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit/emit.h"
#include "emit/write.h"

/* Each test works in a fresh scratch directory (k2e_test.h). */
static char outdir[128];
static k2e_outputs outputs;
static k2e_diags diags;

static void setup(void)
{
    k2e_scratch_begin();
    snprintf(outdir, sizeof outdir, "%s/out", k2e_scratch_dir());
    k2e_outputs_init(&outputs);
    k2e_diags_init(&diags);
}

static void teardown(void)
{
    k2e_outputs_release(&outputs);
    k2e_diags_release(&diags);
    k2e_scratch_end();
}

static char *dup_text(const char *s)
{
    char *copy = strdup(s);
    ck_assert_ptr_nonnull(copy);
    return copy;
}

static void add(const char *path, const char *content)
{
    ck_assert(k2e_outputs_add(&outputs, path, dup_text(content)));
}

/* "<dir>/<rel>" in a static buffer. */
static const char *under(const char *dir, const char *rel)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    return path;
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

/* Whole file as a string, or NULL when it cannot be opened. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    ck_assert_ptr_nonnull(out);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, out);
    fclose(f);
    fclose(out);
    return text;
}

static void assert_file(const char *path, const char *expected)
{
    char *text = read_text(path);
    ck_assert_msg(text != NULL, "%s missing", path);
    ck_assert_str_eq(text, expected);
    free(text);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Entries of a directory (without . and ..), sorted, joined by spaces. */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    char *names[64];
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        ck_assert_uint_lt(count, 64);
        names[count++] = dup_text(e->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < count; i++) {
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    }
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    for (size_t i = 0; i < count; i++) {
        fprintf(out, "%s%s", i ? " " : "", names[i]);
        free(names[i]);
    }
    fclose(out);
    return text;
}

static void assert_listing(const char *dir, const char *expected)
{
    char *text = listing(dir);
    ck_assert_str_eq(text, expected);
    free(text);
}

static const k2e_diag *find_diag(k2e_diag_code code)
{
    for (size_t i = 0; i < diags.count; i++) {
        if (diags.items[i].code == code)
            return &diags.items[i];
    }
    return NULL;
}

/* A previous kube2ecs run's output: report.json, a stale file, a subdir. */
static void make_previous_output(void)
{
    ck_assert_int_eq(mkdir(outdir, 0755), 0);
    ck_assert_int_eq(mkdir(under(outdir, "task-definitions"), 0755), 0);
    write_text(under(outdir, "report.json"), "{\"old\": true}\n");
    write_text(under(outdir, "task-definitions/stale.json"), "{}\n");
    write_text(under(outdir, "stale-top.json"), "{}\n");
    write_text(under(outdir, K2E_OUTPUT_MARKER), K2E_OUTPUT_MARKER_LINE);
}

/* --- JSON text ----------------------------------------------------------------------- */

START_TEST(json_text_two_space_indent_order_kept_trailing_newline)
{
    json_t *v = json_object();
    json_object_set_new(v, "zeta", json_integer(1));
    json_object_set_new(v, "alpha", json_pack("[i, s]", 2, "x"));
    json_object_set_new(v, "mid", json_pack("{s:b, s:n}", "on", 1, "none"));
    json_object_set_new(v, "empty", json_array());
    char *text = k2e_json_text_new(v);
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, "{\n"
                           "  \"zeta\": 1,\n"
                           "  \"alpha\": [\n"
                           "    2,\n"
                           "    \"x\"\n"
                           "  ],\n"
                           "  \"mid\": {\n"
                           "    \"on\": true,\n"
                           "    \"none\": null\n"
                           "  },\n"
                           "  \"empty\": []\n"
                           "}\n");
    free(text);
}
END_TEST

START_TEST(json_text_steals_the_reference)
{
    json_t *v = json_pack("{s:s}", "a", "b");
    json_incref(v);
    ck_assert_uint_eq(v->refcount, 2);
    char *text = k2e_json_text_new(v);
    ck_assert_uint_eq(v->refcount, 1);
    ck_assert_str_eq(text, "{\n  \"a\": \"b\"\n}\n");
    free(text);
    json_decref(v);
}
END_TEST

START_TEST(json_text_of_null_is_null)
{
    ck_assert_ptr_null(k2e_json_text_new(NULL));
}
END_TEST

START_TEST(json_text_keeps_unicode_and_escapes_quotes)
{
    char *text = k2e_json_text_new(json_pack("{s:s}", "k", "é \"q\""));
    ck_assert_str_eq(text, "{\n  \"k\": \"é \\\"q\\\"\"\n}\n");
    free(text);
}
END_TEST

/* --- Output set ----------------------------------------------------------------------- */

START_TEST(outputs_add_get_has)
{
    add("task-definitions/api.json", "{}\n");
    ck_assert(k2e_outputs_has(&outputs, "task-definitions/api.json"));
    ck_assert(!k2e_outputs_has(&outputs, "task-definitions/web.json"));
    const k2e_output *o = k2e_outputs_get(&outputs, "task-definitions/api.json");
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(o->content, "{}\n");
    ck_assert_uint_eq(o->length, 3);
    ck_assert_ptr_null(k2e_outputs_get(&outputs, "nope"));
}
END_TEST

START_TEST(outputs_add_null_content_is_refused)
{
    ck_assert(!k2e_outputs_add(&outputs, "b.json", NULL));
    ck_assert_uint_eq(outputs.count, 0);
}
END_TEST

/* Appending does not check paths; sorting finds a path added twice. */
START_TEST(outputs_sort_reports_a_path_added_twice)
{
    add("b.json", "1");
    add("a.json", "first");
    ck_assert(k2e_outputs_sort(&outputs));
    add("a.json", "second");
    ck_assert_uint_eq(outputs.count, 3);
    ck_assert(!k2e_outputs_sort(&outputs));
    ck_assert_str_eq(outputs.items[0].path, "a.json");
    ck_assert_str_eq(outputs.items[1].path, "a.json");
    ck_assert_str_eq(outputs.items[2].path, "b.json");
}
END_TEST

START_TEST(outputs_sort_is_bytewise)
{
    add("b", "1");
    add("a/z", "2");
    add("a.json", "3");
    add("A", "4");
    add("a-b", "5");
    ck_assert(k2e_outputs_sort(&outputs));
    const char *expected[] = {"A", "a-b", "a.json", "a/z", "b"};
    for (size_t i = 0; i < 5; i++)
        ck_assert_str_eq(outputs.items[i].path, expected[i]);
}
END_TEST

/* --- Writing ---------------------------------------------------------------------------- */

START_TEST(write_into_new_directory_creates_the_tree)
{
    add("report.json", "{\"r\": 1}\n");
    add("task-definitions/api.json", "{\"family\": \"api\"}\n");
    add("schedules/nightly/rule.json", "{}\n");
    ck_assert(k2e_outputs_write(&outputs, outdir, &diags));
    ck_assert_uint_eq(diags.count, 0);
    assert_file(under(outdir, "report.json"), "{\"r\": 1}\n");
    assert_file(under(outdir, "task-definitions/api.json"), "{\"family\": \"api\"}\n");
    assert_file(under(outdir, "schedules/nightly/rule.json"), "{}\n");
    assert_listing(outdir, ".kube2ecs-output report.json schedules task-definitions");
    assert_listing(k2e_scratch_dir(), "out"); /* no temporary left beside it */
}
END_TEST

START_TEST(write_gives_the_directory_the_usual_mode)
{
    mode_t old = umask(022);
    add("report.json", "{}\n");
    bool ok = k2e_outputs_write(&outputs, outdir, &diags);
    umask(old);
    ck_assert(ok);
    struct stat st;
    ck_assert_int_eq(stat(outdir, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0755);
    ck_assert_int_eq(stat(under(outdir, "report.json"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0644);
}
END_TEST

START_TEST(write_with_trailing_slash)
{
    add("report.json", "{}\n");
    char slashed[160];
    snprintf(slashed, sizeof slashed, "%s/", outdir);
    ck_assert(k2e_outputs_write(&outputs, slashed, &diags));
    assert_file(under(outdir, "report.json"), "{}\n");
    assert_listing(k2e_scratch_dir(), "out");
}
END_TEST

START_TEST(write_replaces_previous_output_and_drops_stale_files)
{
    make_previous_output();
    add("report.json", "{\"new\": true}\n");
    add("task-definitions/api.json", "{}\n");
    ck_assert(k2e_outputs_write(&outputs, outdir, &diags));
    ck_assert_uint_eq(diags.count, 0);
    assert_file(under(outdir, "report.json"), "{\"new\": true}\n");
    assert_listing(outdir, ".kube2ecs-output report.json task-definitions");
    assert_listing(under(outdir, "task-definitions"), "api.json");
    ck_assert(!exists(under(outdir, "stale-top.json")));
    assert_listing(k2e_scratch_dir(), "out");
}
END_TEST

START_TEST(write_twice_in_a_row)
{
    add("report.json", "{\"n\": 1}\n");
    ck_assert(k2e_outputs_write(&outputs, outdir, &diags));
    k2e_outputs_release(&outputs);
    add("report.json", "{\"n\": 2}\n");
    ck_assert(k2e_outputs_write(&outputs, outdir, &diags));
    assert_file(under(outdir, "report.json"), "{\"n\": 2}\n");
    assert_listing(k2e_scratch_dir(), "out");
}
END_TEST

START_TEST(write_accepts_an_existing_empty_directory)
{
    ck_assert_int_eq(mkdir(outdir, 0700), 0);
    add("report.json", "{}\n");
    ck_assert(k2e_outputs_write(&outputs, outdir, &diags));
    assert_listing(outdir, ".kube2ecs-output report.json");
    assert_listing(k2e_scratch_dir(), "out");
}
END_TEST

START_TEST(write_refuses_foreign_directory_and_leaves_it_identical)
{
    ck_assert_int_eq(mkdir(outdir, 0755), 0);
    write_text(under(outdir, "notes.txt"), "my precious notes\n");
    ck_assert_int_eq(mkdir(under(outdir, "src"), 0755), 0);
    write_text(under(outdir, "src/main.c"), "int main(void) { return 0; }\n");
    add("report.json", "{}\n");
    add("task-definitions/api.json", "{}\n");
    ck_assert(!k2e_outputs_write(&outputs, outdir, &diags));
    const k2e_diag *d = find_diag(K2E_E_OUTDIR);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->severity, K2E_SEV_ERROR);
    ck_assert_str_eq(d->file, outdir);
    ck_assert_str_ne(d->hint, "");
    assert_listing(outdir, "notes.txt src");
    assert_listing(under(outdir, "src"), "main.c");
    assert_file(under(outdir, "notes.txt"), "my precious notes\n");
    assert_file(under(outdir, "src/main.c"), "int main(void) { return 0; }\n");
    assert_listing(k2e_scratch_dir(), "out");
}
END_TEST

START_TEST(write_refuses_a_regular_file)
{
    write_text(outdir, "not a directory\n");
    add("report.json", "{}\n");
    ck_assert(!k2e_outputs_write(&outputs, outdir, &diags));
    ck_assert_ptr_nonnull(find_diag(K2E_E_OUTDIR));
    assert_file(outdir, "not a directory\n");
    assert_listing(k2e_scratch_dir(), "out");
}
END_TEST

START_TEST(write_failure_midway_keeps_previous_output_and_no_temporaries)
{
    make_previous_output();
    add("report.json", "{\"new\": true}\n");
    add("a", "a file\n");
    add("a/b.json", "{}\n"); /* needs "a" to be a directory: fails */
    ck_assert(!k2e_outputs_write(&outputs, outdir, &diags));
    ck_assert_ptr_nonnull(find_diag(K2E_E_OUTPUT));
    assert_file(under(outdir, "report.json"), "{\"old\": true}\n");
    assert_listing(outdir, ".kube2ecs-output report.json stale-top.json task-definitions");
    assert_listing(under(outdir, "task-definitions"), "stale.json");
    assert_listing(k2e_scratch_dir(), "out");
}
END_TEST

START_TEST(write_failure_into_new_directory_creates_nothing)
{
    add("a", "a file\n");
    add("a/b.json", "{}\n");
    ck_assert(!k2e_outputs_write(&outputs, outdir, &diags));
    ck_assert_ptr_nonnull(find_diag(K2E_E_OUTPUT));
    assert_listing(k2e_scratch_dir(), "");
}
END_TEST

/* -o a/b/c creates a and a/b, like mkdir -p (issue 10). */
START_TEST(write_under_missing_parents_creates_them)
{
    char deep[160];
    snprintf(deep, sizeof deep, "%s/no/such/parent", k2e_scratch_dir());
    add("report.json", "{}\n");
    ck_assert(k2e_outputs_write(&outputs, deep, &diags));
    ck_assert_uint_eq(diags.count, 0);
    assert_file(under(deep, "report.json"), "{}\n");
    assert_listing(k2e_scratch_dir(), "no");
    assert_listing(under(k2e_scratch_dir(), "no/such"), "parent");
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("emit");
    TCase *t = tcase_create("json");
    tcase_add_test(t, json_text_two_space_indent_order_kept_trailing_newline);
    tcase_add_test(t, json_text_steals_the_reference);
    tcase_add_test(t, json_text_of_null_is_null);
    tcase_add_test(t, json_text_keeps_unicode_and_escapes_quotes);
    suite_add_tcase(s, t);

    t = tcase_create("outputs");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, outputs_add_get_has);
    tcase_add_test(t, outputs_add_null_content_is_refused);
    tcase_add_test(t, outputs_sort_reports_a_path_added_twice);
    tcase_add_test(t, outputs_sort_is_bytewise);
    suite_add_tcase(s, t);

    t = tcase_create("write");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, write_into_new_directory_creates_the_tree);
    tcase_add_test(t, write_gives_the_directory_the_usual_mode);
    tcase_add_test(t, write_with_trailing_slash);
    tcase_add_test(t, write_replaces_previous_output_and_drops_stale_files);
    tcase_add_test(t, write_twice_in_a_row);
    tcase_add_test(t, write_accepts_an_existing_empty_directory);
    tcase_add_test(t, write_refuses_foreign_directory_and_leaves_it_identical);
    tcase_add_test(t, write_refuses_a_regular_file);
    tcase_add_test(t, write_failure_midway_keeps_previous_output_and_no_temporaries);
    tcase_add_test(t, write_failure_into_new_directory_creates_nothing);
    tcase_add_test(t, write_under_missing_parents_creates_them);
    suite_add_tcase(s, t);
    return s;
}
