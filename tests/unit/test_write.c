/* Unit tests for write.c (issue 10): output paths that could leave OUTDIR,
 * OUTDIR names that are no directory of their own, the marker that alone
 * makes a directory replaceable, leftovers of killed runs, the exit status
 * of output failures, and a real SIGKILL at every step of a write: OUTDIR
 * is always the complete previous or the complete new tree, and the next
 * run cleans up whatever the killed one left. */
#include "k2e_test.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "emit/emit.h"
#include "emit/write.h"

static char outdir[256];
static k2e_diags diags;

static void setup(void)
{
    k2e_scratch_begin();
    snprintf(outdir, sizeof outdir, "%s", k2e_scratch_path("out"));
    k2e_diags_init(&diags);
}

static void teardown(void)
{
    k2e_diags_release(&diags);
    k2e_scratch_end();
}

/* --- Helpers ----------------------------------------------------------------- */

static void add(k2e_outputs *outputs, const char *path, const char *content)
{
    char *copy = strdup(content);
    ck_assert_ptr_nonnull(copy);
    ck_assert(k2e_outputs_add(outputs, path, copy));
}

/* The previous run's outputs and the new run's: different files, different
 * contents, one file in common. */
static void old_outputs(k2e_outputs *o)
{
    k2e_outputs_init(o);
    add(o, "report.json", "{\"run\": \"old\"}\n");
    add(o, "task-definitions/gone.json", "{\"old\": 1}\n");
    add(o, "task-definitions/web.json", "{\"web\": \"old\"}\n");
    add(o, "a-first.json", "{}\n");
    add(o, "z-last.json", "{}\n");
    add(o, "run-tasks/job.json", "{}\n");
}

static void new_outputs(k2e_outputs *o)
{
    k2e_outputs_init(o);
    add(o, "report.json", "{\"run\": \"new\"}\n");
    add(o, "services/web.json", "{\"service\": \"new\"}\n");
    add(o, "task-definitions/web.json", "{\"web\": \"new\"}\n");
}

static char *slurp(const char *path)
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

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry below `dir` as "rel=content;" (directories as "rel/;"),
 * sorted: two trees are equal when their signatures are. */
static void signature_into(FILE *out, const char *dir, const char *rel)
{
    char *names[64];
    size_t count = 0;
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            ck_assert_uint_lt(count, 64);
            names[count++] = strdup(e->d_name);
        }
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
    for (size_t i = 0; i < count; i++) {
        char path[1024], sub[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(sub, sizeof sub, "%s%s", rel, names[i]);
        struct stat st;
        ck_assert_int_eq(lstat(path, &st), 0);
        if (S_ISDIR(st.st_mode)) {
            fprintf(out, "%s/;", sub);
            strcat(sub, "/");
            signature_into(out, path, sub);
        } else {
            char *text = slurp(path);
            fprintf(out, "%s=%s;", sub, text ? text : "?");
            free(text);
        }
        free(names[i]);
    }
}

static char *signature(const char *dir)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    signature_into(out, dir, "");
    fclose(out);
    return text;
}

/* The signature a complete tree written from `outputs` has. */
static char *expected_signature(const k2e_outputs *outputs)
{
    char dir[300];
    snprintf(dir, sizeof dir, "%s", k2e_scratch_path("reference"));
    k2e_diags d;
    k2e_diags_init(&d);
    ck_assert(k2e_outputs_write(outputs, dir, &d));
    k2e_diags_release(&d);
    char *sig = signature(dir);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    return sig;
}

static char *listing(const char *dir)
{
    char *names[64];
    size_t count = 0;
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            names[count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, count, sizeof *names, by_name);
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

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* --- Output paths that could leave OUTDIR --------------------------------- */

static void assert_path_refused(const char *bad)
{
    k2e_outputs o;
    k2e_outputs_init(&o);
    add(&o, "report.json", "{}\n");
    add(&o, bad, "{}\n");
    ck_assert(!k2e_outputs_write(&o, outdir, &diags));
    const k2e_diag *d = find_diag(K2E_E_OUTPUT);
    ck_assert_msg(d != NULL, "no K2E-E009 for '%s'", bad);
    ck_assert_msg(strstr(d->message, "refusing to write the output path") != NULL, "%s",
                  d->message);
    ck_assert_int_eq(k2e_outputs_write_status(&diags), K2E_EXIT_INTERNAL);
    assert_listing(k2e_scratch_dir(), ""); /* nothing created, not even OUTDIR */
    k2e_outputs_release(&o);
}

START_TEST(absolute_path_refused)
{
    assert_path_refused("/tmp/k2e-escaped.json");
}
END_TEST

START_TEST(dotdot_paths_refused)
{
    assert_path_refused("../escaped.json");
    k2e_diags_release(&diags);
    assert_path_refused("target-groups/../../escaped-80.json");
    k2e_diags_release(&diags);
    assert_path_refused("a/..");
    k2e_diags_release(&diags);
    assert_path_refused("./report2.json");
}
END_TEST

START_TEST(empty_components_refused)
{
    assert_path_refused("");
    k2e_diags_release(&diags);
    assert_path_refused("task-definitions//web.json");
    k2e_diags_release(&diags);
    assert_path_refused("task-definitions/");
}
END_TEST

START_TEST(component_longer_than_name_max_refused_with_the_path)
{
    char name[300];
    memset(name, 'a', 251);
    strcpy(name + 251, ".json"); /* 256 bytes: one more than NAME_MAX */
    char path[320];
    snprintf(path, sizeof path, "task-definitions/%s", name);
    assert_path_refused(path);
    const k2e_diag *d = find_diag(K2E_E_OUTPUT);
    ck_assert_ptr_nonnull(strstr(d->message, "NAME_MAX"));
    ck_assert_ptr_nonnull(strstr(d->message, name));
    ck_assert_ptr_null(strstr(d->message, ".new-")); /* no temporary path */
}
END_TEST

START_TEST(component_of_name_max_is_written)
{
    char name[300];
    memset(name, 'a', 250);
    strcpy(name + 250, ".json"); /* exactly 255 */
    k2e_outputs o;
    k2e_outputs_init(&o);
    add(&o, name, "{}\n");
    ck_assert(k2e_outputs_write(&o, outdir, &diags));
    ck_assert_uint_eq(diags.count, 0);
    k2e_outputs_release(&o);
}
END_TEST

/* --- OUTDIR names that are no directory of their own ------------------------ */

static void assert_outdir_refused(const char *arg)
{
    k2e_outputs o;
    new_outputs(&o);
    k2e_scratch_write("precious.txt", "mine\n");
    ck_assert(!k2e_outputs_write(&o, arg, &diags));
    const k2e_diag *d = find_diag(K2E_E_OUTDIR);
    ck_assert_msg(d != NULL, "-o '%s' not refused", arg);
    ck_assert_ptr_nonnull(strstr(d->message, "cannot be the current directory"));
    ck_assert_str_ne(d->hint, "");
    ck_assert_int_eq(k2e_outputs_write_status(&diags), K2E_EXIT_INPUT);
    assert_listing(k2e_scratch_dir(), "precious.txt");
    k2e_outputs_release(&o);
    k2e_diags_release(&diags);
}

START_TEST(dot_dotdot_root_and_empty_outdir_refused)
{
    char arg[300];
    snprintf(arg, sizeof arg, "%s/.", k2e_scratch_dir());
    assert_outdir_refused(arg);
    snprintf(arg, sizeof arg, "%s/./", k2e_scratch_dir());
    assert_outdir_refused(arg);
    snprintf(arg, sizeof arg, "%s/sub/..", k2e_scratch_dir());
    assert_outdir_refused(arg);
    assert_outdir_refused(".");
    assert_outdir_refused("..");
    assert_outdir_refused("/");
    assert_outdir_refused("//");
    assert_outdir_refused("");
}
END_TEST

/* --- The marker ------------------------------------------------------------- */

START_TEST(written_tree_carries_the_marker)
{
    k2e_outputs o;
    new_outputs(&o);
    ck_assert(k2e_outputs_write(&o, outdir, &diags));
    char *marker = slurp(k2e_scratch_path("out/" K2E_OUTPUT_MARKER));
    ck_assert_ptr_nonnull(marker);
    ck_assert(strncmp(marker, K2E_OUTPUT_MARKER_LINE, strlen(K2E_OUTPUT_MARKER_LINE)) == 0);
    free(marker);
    k2e_outputs_release(&o);
}
END_TEST

START_TEST(foreign_report_json_is_never_replaced)
{
    /* A directory with a report.json of someone else's (or of kube2ecs 0.1,
     * which wrote no marker) and a user's file. */
    ck_assert_int_eq(mkdir(outdir, 0755), 0);
    k2e_scratch_write("out/report.json", "{\"theirs\": true}\n");
    k2e_scratch_write("out/precious.txt", "do not delete\n");
    char *before = signature(outdir);
    k2e_outputs o;
    new_outputs(&o);
    ck_assert(!k2e_outputs_write(&o, outdir, &diags));
    const k2e_diag *d = find_diag(K2E_E_OUTDIR);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "no kube2ecs marker"));
    ck_assert_ptr_nonnull(strstr(d->hint, "rm -r"));
    ck_assert_int_eq(k2e_outputs_write_status(&diags), K2E_EXIT_INPUT);
    char *after = signature(outdir);
    ck_assert_str_eq(before, after);
    assert_listing(k2e_scratch_dir(), "out");
    free(before);
    free(after);
    k2e_outputs_release(&o);
}
END_TEST

START_TEST(report_json_directory_is_not_a_marker)
{
    ck_assert_int_eq(mkdir(outdir, 0755), 0);
    ck_assert_int_eq(mkdir(k2e_scratch_path("out/report.json"), 0755), 0);
    k2e_outputs o;
    new_outputs(&o);
    ck_assert(!k2e_outputs_write(&o, outdir, &diags));
    ck_assert_ptr_nonnull(find_diag(K2E_E_OUTDIR));
    ck_assert(exists(k2e_scratch_path("out/report.json")));
    k2e_outputs_release(&o);
}
END_TEST

START_TEST(marker_with_another_first_line_symlink_or_fifo_is_not_ours)
{
    k2e_outputs o;
    new_outputs(&o);
    ck_assert_int_eq(mkdir(outdir, 0755), 0);
    k2e_scratch_write("out/keep.txt", "mine\n");
    /* Another first line. */
    k2e_scratch_write("out/" K2E_OUTPUT_MARKER, "kube2ecs output directory, format 2\n");
    ck_assert(!k2e_outputs_write(&o, outdir, &diags));
    /* A symbolic link to a real marker. */
    k2e_scratch_write("real-marker", K2E_OUTPUT_MARKER_LINE);
    unlink(k2e_scratch_path("out/" K2E_OUTPUT_MARKER));
    ck_assert_int_eq(symlink(k2e_scratch_path("real-marker"),
                             k2e_scratch_path("out/" K2E_OUTPUT_MARKER)), 0);
    ck_assert(!k2e_outputs_write(&o, outdir, &diags));
    /* A FIFO: not waited for. */
    unlink(k2e_scratch_path("out/" K2E_OUTPUT_MARKER));
    ck_assert_int_eq(mkfifo(k2e_scratch_path("out/" K2E_OUTPUT_MARKER), 0644), 0);
    ck_assert(!k2e_outputs_write(&o, outdir, &diags));
    ck_assert(exists(k2e_scratch_path("out/keep.txt")));
    ck_assert_uint_eq(diags.count, 3);
    k2e_outputs_release(&o);
}
END_TEST

START_TEST(new_directory_mode_follows_the_umask)
{
    mode_t old = umask(027);
    k2e_outputs o;
    new_outputs(&o);
    bool ok = k2e_outputs_write(&o, outdir, &diags);
    mode_t during = umask(old);
    ck_assert(ok);
    ck_assert_uint_eq(during, 027); /* the process umask was never changed */
    struct stat st;
    ck_assert_int_eq(stat(outdir, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0750);
    ck_assert_int_eq(stat(k2e_scratch_path("out/services"), &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0750);
    k2e_outputs_release(&o);
}
END_TEST

/* --- Leftovers ------------------------------------------------------------------- */

/* A pid that no process has: a child that has exited and been reaped. */
static long dead_pid(void)
{
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0)
        _exit(0);
    ck_assert_int_eq(waitpid(child, NULL, 0), child);
    return (long)child;
}

START_TEST(leftovers_with_the_marker_are_removed)
{
    char name[64];
    long pid = dead_pid();
    snprintf(name, sizeof name, "out.new-%ld-0", pid);
    ck_assert_int_eq(mkdir(k2e_scratch_path(name), 0755), 0);
    snprintf(name, sizeof name, "out.new-%ld-0/" K2E_OUTPUT_MARKER, pid);
    k2e_scratch_write(name, K2E_OUTPUT_MARKER_LINE);
    snprintf(name, sizeof name, "out.new-%ld-0/big.json", pid);
    k2e_scratch_write(name, "{\"half\": \"written\"}\n");
    snprintf(name, sizeof name, "out.old-%ld-3", pid); /* emptied, marker gone */
    ck_assert_int_eq(mkdir(k2e_scratch_path(name), 0755), 0);
    k2e_outputs o;
    new_outputs(&o);
    ck_assert(k2e_outputs_write(&o, outdir, &diags));
    ck_assert_uint_eq(diags.count, 0);
    assert_listing(k2e_scratch_dir(), "out");
    k2e_outputs_release(&o);
}
END_TEST

START_TEST(unmarked_lookalikes_are_reported_and_left_alone)
{
    /* kube2ecs 0.1's mkdtemp names, a user's directory, a symbolic link. */
    ck_assert_int_eq(mkdir(k2e_scratch_path("out.new-Ab12Cd"), 0755), 0);
    k2e_scratch_write("out.new-Ab12Cd/report.json", "{}\n");
    ck_assert_int_eq(mkdir(k2e_scratch_path("out.old-1-0"), 0755), 0);
    k2e_scratch_write("out.old-1-0/precious.txt", "mine\n");
    ck_assert_int_eq(mkdir(k2e_scratch_path("target"), 0755), 0);
    k2e_scratch_write("target/" K2E_OUTPUT_MARKER, K2E_OUTPUT_MARKER_LINE);
    char link[64];
    snprintf(link, sizeof link, "out.new-%ld-0", dead_pid());
    ck_assert_int_eq(symlink(k2e_scratch_path("target"), k2e_scratch_path(link)), 0);
    k2e_outputs o;
    new_outputs(&o);
    ck_assert(k2e_outputs_write(&o, outdir, &diags));
    /* pid 1 is alive: "out.old-1-0" is a run in progress, not reported. */
    size_t reported = 0;
    for (size_t i = 0; i < diags.count; i++) {
        ck_assert_int_eq(diags.items[i].code, K2E_W_LEFTOVER);
        reported++;
    }
    ck_assert_uint_eq(reported, 2);
    char expected[200];
    snprintf(expected, sizeof expected, "out %s out.new-Ab12Cd out.old-1-0 target", link);
    assert_listing(k2e_scratch_dir(), expected);
    assert_listing(k2e_scratch_path("target"), K2E_OUTPUT_MARKER);
    assert_listing(k2e_scratch_path("out.old-1-0"), "precious.txt");
    k2e_outputs_release(&o);
}
END_TEST

/* --- Exit statuses ------------------------------------------------------------ */

START_TEST(name_too_long_is_an_output_failure_exit_3)
{
    char arg[400];
    char name[300];
    memset(name, 'o', 290);
    name[290] = '\0';
    snprintf(arg, sizeof arg, "%s/%s", k2e_scratch_dir(), name);
    k2e_outputs o;
    new_outputs(&o);
    ck_assert(!k2e_outputs_write(&o, arg, &diags));
    const k2e_diag *d = find_diag(K2E_E_OUTPUT);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, strerror(ENAMETOOLONG)));
    ck_assert_int_eq(k2e_outputs_write_status(&diags), K2E_EXIT_INTERNAL);
    k2e_outputs_release(&o);
}
END_TEST

/* --- SIGKILL at every step -------------------------------------------------------- */

typedef struct {
    unsigned calls;
    unsigned kill_at;           /* 0: never */
    bool saw_window;            /* the two-rename swap's OUTDIR-less step */
} kill_plan;

static void kill_hook(k2e_write_step s, void *context)
{
    kill_plan *plan = context;
    plan->calls++;
    plan->saw_window = plan->saw_window || s == K2E_WRITE_OLD_ASIDE;
    if (plan->calls == plan->kill_at)
        raise(SIGKILL);
}

/* Runs the write in a child that SIGKILLs itself at step `kill_at`;
 * returns whether it died that way (false: it finished first). */
static bool write_and_die(const k2e_outputs *o, unsigned kill_at, bool no_exchange)
{
    fflush(NULL);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        kill_plan plan = {.kill_at = kill_at};
        k2e_write_options options = {kill_hook, &plan, no_exchange};
        k2e_diags d;
        k2e_diags_init(&d);
        _exit(k2e_outputs_write_with(o, outdir, &d, &options) ? 0 : 1);
    }
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    if (WIFSIGNALED(status)) {
        ck_assert_int_eq(WTERMSIG(status), SIGKILL);
        return true;
    }
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return false;
}

static unsigned count_steps(const k2e_outputs *o, bool no_exchange, bool *window)
{
    kill_plan plan = {0};
    k2e_write_options options = {kill_hook, &plan, no_exchange};
    ck_assert(k2e_outputs_write_with(o, outdir, &diags, &options));
    *window = plan.saw_window;
    return plan.calls;
}

static void reset_scratch(const k2e_outputs *previous)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'/out*", k2e_scratch_dir());
    ck_assert_int_eq(system(cmd), 0);
    if (previous) {
        k2e_diags d;
        k2e_diags_init(&d);
        ck_assert(k2e_outputs_write(previous, outdir, &d));
        k2e_diags_release(&d);
    }
}

/* Every leftover a killed run leaves carries the marker or is empty: the
 * marker is the first file written and the last one removed. */
static void assert_leftovers_recognisable(unsigned k)
{
    DIR *d = opendir(k2e_scratch_dir());
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "out.", 4) != 0)
            continue;
        char path[512], marker[600];
        snprintf(path, sizeof path, "%s/%s", k2e_scratch_dir(), e->d_name);
        snprintf(marker, sizeof marker, "%s/" K2E_OUTPUT_MARKER, path);
        char *entries = listing(path);
        ck_assert_msg(exists(marker) || !*entries, "step %u: %s holds %s without a marker", k,
                      e->d_name, entries);
        free(entries);
    }
    closedir(d);
}

/* Only OUTDIR and its leftovers: names starting "out". */
static unsigned leftovers(void)
{
    unsigned n = 0;
    DIR *d = opendir(k2e_scratch_dir());
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, "out.", 4) == 0;
    closedir(d);
    return n;
}

static void kill_at_every_step(bool with_previous, bool no_exchange)
{
    k2e_outputs old, fresh;
    old_outputs(&old);
    new_outputs(&fresh);
    char *old_sig = expected_signature(&old);
    char *new_sig = expected_signature(&fresh);
    reset_scratch(with_previous ? &old : NULL);
    bool window;
    unsigned steps = count_steps(&fresh, no_exchange, &window);
    ck_assert_uint_ge(steps, 8);
    ck_assert(window == (with_previous && no_exchange));
    unsigned kills = 0, windows = 0;
    for (unsigned k = 1; k <= steps; k++) {
        reset_scratch(with_previous ? &old : NULL);
        kills += write_and_die(&fresh, k, no_exchange);
        if (!exists(outdir)) {
            /* Only before the first rename of a fresh OUTDIR, or inside the
             * documented window of the two-rename swap. */
            ck_assert_msg(!with_previous || no_exchange, "step %u: OUTDIR vanished", k);
            windows += with_previous;
        } else {
            char *sig = signature(outdir);
            ck_assert_msg(strcmp(sig, old_sig) == 0 || strcmp(sig, new_sig) == 0,
                          "step %u of %u: OUTDIR is neither tree: %s", k, steps, sig);
            ck_assert_msg(with_previous || strcmp(sig, new_sig) == 0, "step %u", k);
            free(sig);
        }
        assert_leftovers_recognisable(k);
        /* The next run: complete, and nothing left beside OUTDIR. */
        k2e_diags_release(&diags);
        ck_assert(k2e_outputs_write(&fresh, outdir, &diags));
        ck_assert_msg(diags.count == 0, "step %u: %s", k, diags.count ? diags.items[0].message : "");
        char *sig = signature(outdir);
        ck_assert_str_eq(sig, new_sig);
        free(sig);
        ck_assert_msg(leftovers() == 0, "step %u: leftovers not cleaned", k);
    }
    ck_assert_uint_eq(kills, steps);
    ck_assert_uint_eq(windows, with_previous && no_exchange ? 1 : 0);
    free(old_sig);
    free(new_sig);
    k2e_outputs_release(&old);
    k2e_outputs_release(&fresh);
}

START_TEST(sigkill_at_every_step_replacing_with_exchange)
{
    kill_at_every_step(true, false);
}
END_TEST

START_TEST(sigkill_at_every_step_replacing_with_two_renames)
{
    kill_at_every_step(true, true);
}
END_TEST

START_TEST(sigkill_at_every_step_of_a_fresh_outdir)
{
    kill_at_every_step(false, false);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("write");
    TCase *t = tcase_create("paths");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, absolute_path_refused);
    tcase_add_test(t, dotdot_paths_refused);
    tcase_add_test(t, empty_components_refused);
    tcase_add_test(t, component_longer_than_name_max_refused_with_the_path);
    tcase_add_test(t, component_of_name_max_is_written);
    tcase_add_test(t, dot_dotdot_root_and_empty_outdir_refused);
    tcase_add_test(t, name_too_long_is_an_output_failure_exit_3);
    suite_add_tcase(s, t);
    t = tcase_create("marker");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, written_tree_carries_the_marker);
    tcase_add_test(t, foreign_report_json_is_never_replaced);
    tcase_add_test(t, report_json_directory_is_not_a_marker);
    tcase_add_test(t, marker_with_another_first_line_symlink_or_fifo_is_not_ours);
    tcase_add_test(t, new_directory_mode_follows_the_umask);
    tcase_add_test(t, leftovers_with_the_marker_are_removed);
    tcase_add_test(t, unmarked_lookalikes_are_reported_and_left_alone);
    suite_add_tcase(s, t);
    t = tcase_create("crash");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_set_timeout(t, 60);
    tcase_add_test(t, sigkill_at_every_step_replacing_with_exchange);
    tcase_add_test(t, sigkill_at_every_step_replacing_with_two_renames);
    tcase_add_test(t, sigkill_at_every_step_of_a_fresh_outdir);
    suite_add_tcase(s, t);
    return s;
}
