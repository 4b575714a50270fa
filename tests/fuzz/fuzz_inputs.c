/* libFuzzer target: what the input side runs on untrusted bytes before and
 * after parsing: the template-action scanner, the document classifier, the
 * .kube2ecsignore parser and the glob matcher (the first line is a pattern,
 * the second a path).  Whatever the bytes: no crash, leak or undefined
 * behaviour, and no pattern that makes matching slow.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DK2E_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_inputs
 *   ./build-fuzz/fuzz_inputs -max_total_time=60 -max_len=4096 samples
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "read/classify.h"
#include "read/ignore.h"
#include "read/yaml_tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *line(const char *text, size_t size, size_t *used)
{
    const char *nl = memchr(text, '\n', size);
    size_t n = nl ? (size_t)(nl - text) : size;
    *used = nl ? n + 1 : n;
    char *copy = malloc(n + 1);
    if (copy) {
        memcpy(copy, text, n);
        copy[n] = '\0';
        for (size_t i = 0; i < n; i++)
            copy[i] = copy[i] ? copy[i] : 'x';
    }
    return copy;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    unsigned l, c;
    k2e_find_template_action(text, size, &l, &c);

    size_t first, second;
    char *pattern = line(text, size, &first);
    char *path = line(text + first, size - first, &second);
    if (pattern && path) {
        k2e_glob_match(pattern, path);
        k2e_ignore ignore;
        k2e_ignore_init(&ignore);
        k2e_ignore_add_text(&ignore, text, size, ".kube2ecsignore");
        k2e_ignore_match(&ignore, path, false);
        k2e_ignore_match(&ignore, path, true);
        k2e_ignore_release(&ignore);
    }
    free(pattern);
    free(path);

    k2e_limits limits = k2e_limits_default();
    limits.max_expanded = 100000;
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_file file;
    if (k2e_read_buffer("fuzz.yaml", text, size, &limits, &file, &diags))
        k2e_classify_documents(&file, "values.yaml");
    k2e_file_free(&file);
    k2e_diags_release(&diags);
    return 0;
}
