/* Failure injection, in the spirit of jansson's test_chaos: the whole
 * pipeline is run on golden cases with the Nth allocation failing, for
 * every N up to the number of allocations a clean run makes.  Every run must
 * end one of two ways:
 *
 *   - exit 0 with exactly the clean run's output tree in OUTDIR, or
 *   - exit 3 (internal error) with OUTDIR exactly as it was before the run
 *     (a previous kube2ecs output) and no temporary directory left beside it.
 *
 * Never a crash, never exit 2 (an input error the input does not have),
 * never a different output.  malloc, calloc and realloc are replaced in
 * this executable (glibc lets a program interpose them; __libc_* reach the
 * real allocator), and fail only inside the window around k2e_convert, so
 * Check and the comparisons allocate normally.  Not built with the
 * sanitizers, whose own allocator this would bypass.
 *
 * Debugging a finding: K2E_ALLOC_ONLY=N runs only the Nth failure and
 * K2E_ALLOC_TRACE=1 prints the failing call's stack (resolve it with
 * addr2line -f -e build/tests/test_alloc_failure ADDRESS). */
#include "k2e_test.h"

#include <dirent.h>
#include <errno.h>
#include <execinfo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kube2ecs/convert.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *old, size_t size);

static bool armed;          /* counting inside the window */
static unsigned long calls; /* allocations seen in the window */
static unsigned long fail_at; /* 1-based; 0: none fails */

static bool trace; /* K2E_ALLOC_TRACE set: print where the failing call came from */

static bool injected_failure(void)
{
    if (!armed)
        return false;
    calls++;
    if (calls != fail_at)
        return false;
    if (trace) {
        void *frames[32];
        armed = false;
        backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
        armed = true;
    }
    errno = ENOMEM;
    return true;
}

void *malloc(size_t size)
{
    return injected_failure() ? NULL : __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    return injected_failure() ? NULL : __libc_calloc(count, size);
}

void *realloc(void *old, size_t size)
{
    return injected_failure() ? NULL : __libc_realloc(old, size);
}

/* --- Directory snapshots ---------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends "relative-path\n<bytes>\n" for every file under dir, in sorted
 * order, so two snapshots compare with strcmp. */
static void snapshot_into(FILE *out, const char *dir, const char *rel)
{
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot open %s", dir);
    char *names[4096];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        ck_assert(n < 4096);
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        char path[4096], child[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        snprintf(child, sizeof child, "%s%s%s", rel, *rel ? "/" : "", names[i]);
        struct stat st;
        ck_assert(lstat(path, &st) == 0);
        if (S_ISDIR(st.st_mode)) {
            snapshot_into(out, path, child);
        } else {
            fprintf(out, "%s\n", child);
            FILE *f = fopen(path, "rb");
            ck_assert(f != NULL);
            char buf[8192];
            size_t got;
            while ((got = fread(buf, 1, sizeof buf, f)) > 0)
                fwrite(buf, 1, got, out);
            fclose(f);
            fputc('\n', out);
        }
        free(names[i]);
    }
}

static char *snapshot(const char *dir)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    snapshot_into(out, dir, "");
    fclose(out);
    return text;
}

/* Entries of `parent` whose names start with "out." (OUTDIR's siblings). */
static size_t leftovers(const char *parent)
{
    DIR *d = opendir(parent);
    ck_assert(d != NULL);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strncmp(e->d_name, "out.", 4) == 0;
    closedir(d);
    return n;
}

/* --- Runs ----------------------------------------------------------------------- */

typedef struct {
    const char *name;          /* tests/cases/<name> */
    const char *formats[2];    /* -f values */
    bool consolidate;          /* --consolidate --layout ytt */
} golden_case;

static int run(const golden_case *gc, const char *outdir, unsigned long fail)
{
    char input[1024], mapping[1024];
    snprintf(input, sizeof input, "%s/tests/cases/%s/input", K2E_SOURCE_DIR, gc->name);
    snprintf(mapping, sizeof mapping, "%s/tests/cases/%s/mapping.yaml", K2E_SOURCE_DIR,
             gc->name);
    k2e_convert_options options = {.mapping_path = access(mapping, F_OK) == 0 ? mapping : NULL,
                                   .outdir = outdir, .consolidate = gc->consolidate,
                                   .layouts = gc->consolidate ? K2E_LAYOUT_YTT : 0};
    for (size_t i = 0; i < 2 && gc->formats[i]; i++)
        options.formats |= strcmp(gc->formats[i], "ecspresso") == 0 ? K2E_FORMAT_ECSPRESSO
                                                                    : K2E_FORMAT_ECS_DEPLOY;
    const char *paths[] = {input};
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    calls = 0;
    fail_at = fail;
    armed = true;
    int status = k2e_convert(&options, paths, 1, &result);
    armed = false;
    k2e_convert_result_release(&result);
    return status;
}

/* The previous output: a real kube2ecs output of a different input. */
static void make_previous(const char *outdir)
{
    char input[1024];
    snprintf(input, sizeof input, "%s/tests/cases/ports/input", K2E_SOURCE_DIR);
    const char *paths[] = {input};
    k2e_convert_options options = {.outdir = outdir};
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    ck_assert_int_eq(k2e_convert(&options, paths, 1, &result), K2E_EXIT_OK);
    k2e_convert_result_release(&result);
}

static void inject_every_allocation(const golden_case *gc)
{
    const char *dir = k2e_scratch_dir();
    char clean[4096], outdir[4096];
    snprintf(clean, sizeof clean, "%s/clean", dir);
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    ck_assert_int_eq(run(gc, clean, 0), K2E_EXIT_OK);
    unsigned long total = calls;
    char *expected = snapshot(clean);
    make_previous(outdir);
    char *previous = snapshot(outdir);
    unsigned long ok = 0, internal = 0, first = 1;
    const char *only = getenv("K2E_ALLOC_ONLY"); /* debugging: one N only */
    if (only) {
        first = strtoul(only, NULL, 10);
        total = first;
    }
    for (unsigned long n = first; n <= total; n++) {
        int status = run(gc, outdir, n);
        char *now = snapshot(outdir);
        if (status == K2E_EXIT_OK) {
            ck_assert_msg(strcmp(now, expected) == 0,
                          "%s: allocation %lu of %lu failed, exit 0, but the output differs",
                          gc->name, n, total);
            ok++;
            make_previous(outdir);
        } else {
            ck_assert_msg(status == K2E_EXIT_INTERNAL,
                          "%s: allocation %lu of %lu failed: exit %d, expected 0 or 3",
                          gc->name, n, total, status);
            ck_assert_msg(strcmp(now, previous) == 0,
                          "%s: allocation %lu of %lu failed: exit 3 but OUTDIR changed",
                          gc->name, n, total);
            internal++;
        }
        ck_assert_msg(leftovers(dir) == 0, "%s: allocation %lu: temporary directory left",
                      gc->name, n);
        free(now);
    }
    fprintf(stderr, "%s: %lu allocations; failing each: %lu runs exit 0 with the same "
                    "output, %lu exit 3 with OUTDIR untouched\n",
            gc->name, total, ok, internal);
    ck_assert_uint_gt(internal + (only != NULL), 0);
    free(expected);
    free(previous);
}

START_TEST(services_and_formats)
{
    golden_case gc = {"service-formats", {"ecspresso", "ecs-deploy"}, false};
    inject_every_allocation(&gc);
}
END_TEST

START_TEST(schedules_and_jobs)
{
    golden_case gc = {"cronjob-schedules", {NULL, NULL}, false};
    inject_every_allocation(&gc);
}
END_TEST

START_TEST(batch_consolidation)
{
    golden_case gc = {"batch-ytt-layout", {"ecs-deploy", NULL}, true};
    inject_every_allocation(&gc);
}
END_TEST

Suite *k2e_test_suite(void)
{
    trace = getenv("K2E_ALLOC_TRACE") != NULL;
    void *prime[1];
    backtrace(prime, 1); /* loads libgcc now, not inside the window */
    Suite *s = suite_create("alloc_failure");
    TCase *t = tcase_create("every allocation");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, k2e_scratch_begin, k2e_scratch_end);
    /* Thousands of whole runs each: minutes on a busy machine, not 4 s. */
    tcase_set_timeout(t, 480);
    tcase_add_test(t, services_and_formats);
    tcase_add_test(t, schedules_and_jobs);
    tcase_add_test(t, batch_consolidation);
    suite_add_tcase(s, t);
    return s;
}
