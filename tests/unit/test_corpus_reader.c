/* The reader and the index on every file of ../shared/corpus, one file at a
 * time: real manifests must read without any error diagnostic (duplicate
 * keys are warnings; unsupported kinds are reported later, by the map
 * stage, as info; placeholder names of templates are the one exception).
 * Skipped (exit 77) when the corpus is absent, a failure under CI=true. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k2e_test.h"
#include "kube2ecs/convert.h"
#include "read/inputs.h"
#include "read/index.h"
#include "read/yaml_tree.h"

/* K2E_CORPUS_DIR in the environment overrides the build's corpus path
 * (tests/tools/check-skips.sh points it at nothing to see the skip). */
static const char *corpus_dir(void)
{
    const char *dir = getenv("K2E_CORPUS_DIR");
    return dir && *dir ? dir : K2E_CORPUS_DIR;
}

static size_t read_one(const char *path, size_t *objects)
{
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_limits limits = k2e_limits_default();
    k2e_file file;
    k2e_index index;
    k2e_index_init(&index, "default");
    k2e_read_path(path, &limits, &file, &diags);
    k2e_index_add_file(&index, &file, &diags);
    k2e_index_finish(&index, &diags);
    size_t errors = k2e_diags_count(&diags, K2E_SEV_ERROR);
    for (size_t i = 0; i < diags.count; i++) {
        const k2e_diag *d = &diags.items[i];
        if (d->severity != K2E_SEV_ERROR)
            continue;
        /* Documentation templates name objects "<ingress-name>": Kubernetes
         * rejects those names, and so does the index (K2E-E010). */
        if (d->code == K2E_E_NAME && strstr(d->message, " '<")) {
            errors--;
            continue;
        }
        k2e_diag_print(stderr, d, false);
    }
    *objects += index.count;
    k2e_index_release(&index);
    k2e_file_free(&file);
    k2e_diags_release(&diags);
    return errors;
}

START_TEST(every_corpus_file_reads_without_error)
{
    const char *paths[] = {corpus_dir()};
    char **files;
    size_t count;
    k2e_diags diags;
    k2e_diags_init(&diags);
    ck_assert(k2e_collect_inputs(paths, 1, &files, &count, &diags));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_uint_gt(count, 800);
    size_t errors = 0, objects = 0;
    for (size_t i = 0; i < count; i++) {
        errors += read_one(files[i], &objects);
        free(files[i]);
    }
    free(files);
    k2e_diags_release(&diags);
    fprintf(stderr, "corpus: %zu files, %zu objects, %zu errors\n", count, objects, errors);
    ck_assert_uint_gt(objects, 1500);
    ck_assert_uint_eq(errors, 0);
}
END_TEST

Suite *k2e_test_suite(void)
{
    k2e_test_need_dir(corpus_dir(), "corpus");
    Suite *s = suite_create("corpus_reader");
    TCase *tc = tcase_create("corpus");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_corpus_file_reads_without_error);
    suite_add_tcase(s, tc);
    return s;
}
