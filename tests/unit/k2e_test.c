/* main() for every unit-test executable: runs the file's suite and prints
 * Check's summary line ("100%: Checks: N, Failures: 0, Errors: 0"); and the
 * scratch directories of k2e_test.h. */
#include "k2e_test.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The executable's name without its directory and "test_" (see main),
 * reduced to [A-Za-z0-9_-] as it goes into a shell command. */
static char suite_name[64] = "unit";

static char base_dir[256];
static char scratch_dir[288];

static void remove_tree(const char *path)
{
    char command[320];
    ck_assert_int_lt(snprintf(command, sizeof command, "rm -rf '%s'", path),
                     (int)sizeof command);
    ck_assert_int_eq(system(command), 0);
}

void k2e_scratch_base_make(void)
{
    /* TMPDIR as mktemp(1) honours it: tests/run.sh points it at a tmpfs. */
    const char *tmp = getenv("TMPDIR");
    if (!tmp || tmp[0] != '/' || strlen(tmp) > 160)
        tmp = "/tmp";
    snprintf(base_dir, sizeof base_dir, "%s/k2e-%s-XXXXXX", tmp, suite_name);
    ck_assert_ptr_nonnull(mkdtemp(base_dir));
}

void k2e_scratch_base_remove(void)
{
    if (base_dir[0] == '\0')
        return;
    remove_tree(base_dir);
    base_dir[0] = '\0';
}

void k2e_scratch_begin(void)
{
    ck_assert_msg(base_dir[0] != '\0', "k2e_scratch_begin without k2e_scratch_base_make");
    snprintf(scratch_dir, sizeof scratch_dir, "%s/t-XXXXXX", base_dir);
    ck_assert_ptr_nonnull(mkdtemp(scratch_dir));
}

void k2e_scratch_end(void)
{
    if (scratch_dir[0] == '\0')
        return;
    remove_tree(scratch_dir);
    scratch_dir[0] = '\0';
}

const char *k2e_scratch_dir(void)
{
    ck_assert_msg(scratch_dir[0] != '\0', "no scratch directory: k2e_scratch_begin not called");
    return scratch_dir;
}

const char *k2e_scratch_path(const char *rel)
{
    static char buffers[K2E_SCRATCH_PATHS][512];
    static unsigned next;
    char *path = buffers[next++ % K2E_SCRATCH_PATHS];
    int n = snprintf(path, sizeof buffers[0], "%s/%s", k2e_scratch_dir(), rel);
    ck_assert_int_lt(n, (int)sizeof buffers[0]);
    return path;
}

void k2e_scratch_write_bytes(const char *rel, const void *data, size_t size)
{
    FILE *f = fopen(k2e_scratch_path(rel), "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, size, f), size);
    ck_assert_int_eq(fclose(f), 0);
}

void k2e_scratch_write(const char *rel, const char *text)
{
    k2e_scratch_write_bytes(rel, text, strlen(text));
}

void k2e_test_need_dir(const char *path, const char *what)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return;
    printf("skipped: no %s at %s\n", what, path);
    exit(77);
}

int main(int argc, char **argv)
{
    if (argc > 0 && argv[0]) {
        const char *slash = strrchr(argv[0], '/');
        const char *name = slash ? slash + 1 : argv[0];
        if (strncmp(name, "test_", 5) == 0)
            name += 5;
        size_t n = 0;
        for (; *name && n + 1 < sizeof suite_name; name++) {
            if (isalnum((unsigned char)*name) || *name == '_' || *name == '-')
                suite_name[n++] = *name;
        }
        if (n > 0)
            suite_name[n] = '\0';
    }
    /* Check's own default is 4 s per test, which a busy machine exceeds;
     * read by tcase_create, so before the suite is made (k2e_test.h). */
    setenv("CK_DEFAULT_TIMEOUT", "30", 0);
    SRunner *runner = srunner_create(k2e_test_suite());
    srunner_run_all(runner, CK_ENV);
    int failed = srunner_ntests_failed(runner);
    srunner_free(runner);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
