/* Check mode; see check.h. */
#include "convert/check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "base/util.h"
#include "report/diags.h"

#ifndef K2E_VERSION
#define K2E_VERSION "unknown"
#endif

static bool add_list(k2e_gate *gate, const char *const *codes, size_t count, bool deny,
                     const char *option, k2e_diags *diags)
{
    bool ok = true;
    for (size_t i = 0; i < count; i++)
        ok = k2e_gate_allow(gate, codes[i], deny, (k2e_where){option, 0, 0, ""}, diags) && ok;
    return ok;
}

/* The mapping table's lists: their codes were checked when it was read. */
static void add_mapping_list(k2e_gate *gate, const k2e_string_list *list, bool deny,
                             k2e_diags *diags)
{
    for (size_t i = 0; i < list->count; i++) {
        const k2e_node *at = list->origin->items[i];
        k2e_gate_allow(gate, list->items[i], deny,
                       (k2e_where){at->file, at->line, at->column, ""}, diags);
    }
}

bool k2e_check_setup(const k2e_convert_options *options, const k2e_mapping *mapping,
                     k2e_gate *gate, k2e_diags *diags)
{
    bool ok = add_list(gate, options->allow, options->allow_count, false, "--allow", diags);
    ok = add_list(gate, options->deny, options->deny_count, true, "--deny", diags) && ok;
    if (mapping) {
        add_mapping_list(gate, &mapping->strict_allow, false, diags);
        add_mapping_list(gate, &mapping->strict_deny, true, diags);
    }
    if (options->baseline_path)
        ok = k2e_gate_read_baseline(gate, options->baseline_path, diags) && ok;
    return ok;
}

bool k2e_check_apply(k2e_gate *gate, k2e_convert_result *r)
{
    free(r->failing);
    r->failing = k2e_calloc(r->diags.count ? r->diags.count : 1, sizeof *r->failing);
    if (!r->failing)
        return false;
    r->failures = k2e_gate_apply(gate, &r->diags, r->failing);
    return true;
}

static int by_name(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The inputs sorted: the same files named in another order make the same
 * bytes (the determinism promise covers report.json). */
json_t *k2e_check_provenance(const k2e_convert_options *options, const k2e_file *files,
                             size_t count)
{
    const char **sorted = k2e_calloc(count ? count : 1, sizeof *sorted);
    json_t *inputs = sorted ? json_array() : NULL;
    for (size_t i = 0; sorted && i < count; i++)
        sorted[i] = files[i].name ? files[i].name : ""; /* NULL: its name ran out of memory */
    if (sorted && count > 1)
        qsort(sorted, count, sizeof *sorted, by_name);
    for (size_t i = 0; sorted && i < count; i++)
        json_array_append_new(inputs, json_string(sorted[i]));
    free(sorted);
    json_t *mapping = json_null();
    char digest[65];
    if (options->mapping_path && k2e_sha256_file(options->mapping_path, digest)) {
        /* the base name, as diagnostics name it: the report must not depend
         * on the working directory */
        const char *slash = strrchr(options->mapping_path, '/');
        json_decref(mapping);
        mapping = json_pack("{s:s, s:s}", "file", slash ? slash + 1 : options->mapping_path,
                            "sha256", digest);
    } else if (options->mapping_path) {
        k2e_note_errno(errno);
    }
    return json_pack("{s:{s:s, s:s}, s:o, s:o}", "tool", "name", "kube2ecs", "version",
                     K2E_VERSION, "mapping", mapping, "inputs", inputs);
}

json_t *k2e_check_summary(const k2e_convert_options *options, const k2e_convert_result *r)
{
    if (!options->strict)
        return NULL;
    return json_pack("{s:b, s:I, s:s?}", "strict", 1, "failures", (json_int_t)r->failures,
                     "baseline", options->baseline_path);
}
