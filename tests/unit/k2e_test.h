/* Shared scaffolding for the Check unit suites: each tests/unit/test_X.c
 * defines k2e_test_suite() and links with k2e_test.c, which provides main(). */
#ifndef K2E_TEST_H
#define K2E_TEST_H
#include <check.h>
#include <stddef.h>

Suite *k2e_test_suite(void);

/* --- Cheap checks for tight loops -------------------------------------------
 *
 * Check logs every passing ck_assert_* with a write(2) to its parent (the
 * fork mode), which costs more than most of the checks themselves: a loop
 * making ~80,000 of them ran past Check's default 4-second timeout on a busy
 * 2-core machine under ASan.  REQUIRE calls Check only when the condition is
 * false, with a printf-style message saying which case failed. */
#define REQUIRE(cond, ...)             \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

/* --- Timeouts ----------------------------------------------------------------
 *
 * Check's default timeout (4 s per test) is replaced by 30 s (main() in
 * k2e_test.c sets CK_DEFAULT_TIMEOUT unless the environment does) for test
 * cases that set none; long cases set their own with tcase_set_timeout().
 * CTest sets CK_TIMEOUT_MULTIPLIER (2, and 6 in the sanitizer build), which
 * multiplies both (tests/CMakeLists.txt).  Nothing may depend on the
 * machine being idle. */

/* --- Skips -------------------------------------------------------------------
 *
 * A suite that needs something outside the repository (the corpus of public
 * manifests) calls this from k2e_test_suite(): when `path` is not a
 * directory it prints why and exits 77, which CTest reports as skipped
 * (SKIP_RETURN_CODE) and tests/tools/skip-gate.sh fails under CI=true. */
void k2e_test_need_dir(const char *path, const char *what);

/* --- Scratch directories ---------------------------------------------------
 *
 * A test that needs files works in a fresh directory of its own, under one
 * base directory per test case:
 *
 *     /tmp/k2e-<suite>-XXXXXX/t-XXXXXX/...
 *
 * where <suite> is the executable's name without "test_" (test_convert makes
 * /tmp/k2e-convert-*).  Register the two levels as two fixtures:
 *
 *     tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
 *     tcase_add_checked_fixture(t, k2e_scratch_begin, k2e_scratch_end);
 *
 * or, when the suite has setup/teardown work of its own, a local setup that
 * calls k2e_scratch_begin() and a local teardown that calls k2e_scratch_end().
 *
 * Why the base is an unchecked fixture: Check forks each test, and checked
 * fixtures run in that child.  A failing assertion ends the child at once,
 * before its checked teardown, so the test's directory would be left behind.
 * The unchecked fixture runs in the parent, once around the whole test case,
 * and k2e_scratch_base_remove() deletes the base with everything under it,
 * failed tests' directories included: a run leaves nothing in /tmp. */

/* Unchecked setup: makes the per-test-case base directory. */
void k2e_scratch_base_make(void);

/* Unchecked teardown: rm -rf of the base directory. */
void k2e_scratch_base_remove(void);

/* Checked setup: makes a fresh directory for the current test under the base. */
void k2e_scratch_begin(void);

/* Checked teardown: rm -rf of the current test's directory (which may already
 * be gone). */
void k2e_scratch_end(void);

/* The current test's directory, between k2e_scratch_begin and k2e_scratch_end. */
const char *k2e_scratch_dir(void);

/* "<k2e_scratch_dir()>/<rel>" in one of K2E_SCRATCH_PATHS rotating static
 * buffers: the result stays valid until that many more calls. */
#define K2E_SCRATCH_PATHS 8
const char *k2e_scratch_path(const char *rel);

/* Writes `text` (k2e_scratch_write) or `size` bytes of `data`
 * (k2e_scratch_write_bytes) to k2e_scratch_path(rel), replacing any file
 * there; its directory must exist.  Fails the test on any error. */
void k2e_scratch_write(const char *rel, const char *text);
void k2e_scratch_write_bytes(const char *rel, const void *data, size_t size);

#endif
