/* libFuzzer target: the reader, the index and the unconsumed walk on
 * arbitrary bytes.  Whatever the input, they must return (an error
 * diagnostic is fine) without a crash, a leak or undefined behaviour.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DK2E_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_reader
 *   ./build-fuzz/fuzz_reader -max_total_time=60 -max_len=65536 tests/cases
 */
#include <stddef.h>
#include <stdint.h>

#include "read/index.h"
#include "read/yaml_tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    k2e_limits limits = k2e_limits_default();
    limits.max_expanded = 100000; /* keep each run fast */
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_file file;
    k2e_index index;
    k2e_index_init(&index, "default");
    k2e_read_buffer("fuzz.yaml", (const char *)data, size, &limits, &file, &diags);
    k2e_index_add_file(&index, &file, &diags);
    k2e_index_finish(&index, &diags);
    for (size_t i = 0; i < index.count; i++)
        k2e_report_unconsumed(index.items[i].root, &diags, NULL, NULL);
    k2e_index_release(&index);
    k2e_file_free(&file);
    k2e_diags_release(&diags);
    return 0;
}
