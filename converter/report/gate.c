/* The strict gate; see gate.h. */
#include "report/gate.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/util.h"
#include "report/diags.h"

struct k2e_baseline_entry {
    k2e_diag_code code;
    char *file;
    char *path;  /* NULL: every finding of the code in the file */
    bool used;
};

/* Findings that count under --strict whatever their severity: an object
 * kube2ecs does not know is input it did not convert at all (K2E-W012
 * today, the info K2E-I011 before it; the gate does not depend on which). */
static const k2e_diag_code always_counted[] = {K2E_W_KIND_UNKNOWN, K2E_I_KIND_UNKNOWN};

void k2e_gate_init(k2e_gate *gate)
{
    memset(gate, 0, sizeof *gate);
}

void k2e_gate_release(k2e_gate *gate)
{
    for (size_t i = 0; i < gate->entry_count; i++) {
        free(gate->entries[i].file);
        free(gate->entries[i].path);
    }
    free(gate->entries);
    k2e_gate_init(gate);
}

bool k2e_gate_allow(k2e_gate *gate, const char *code, bool deny, k2e_where origin,
                    k2e_diags *diags)
{
    k2e_diag_code parsed;
    if (!k2e_diag_code_parse(code, &parsed)) {
        k2e_diag_add(diags, K2E_E_BASELINE, origin,
                     "codes are written like K2E-W010; MAPPING.md lists them",
                     "unknown diagnostic code '%s' in %s", code, deny ? "deny" : "allow");
        return false;
    }
    (deny ? gate->deny : gate->allow)[parsed] = true;
    return true;
}

static bool add_entry(k2e_gate *gate, k2e_diag_code code, const char *file, const char *path)
{
    char *f = k2e_strdup(file);
    char *p = path ? k2e_strdup(path) : NULL;
    if (!f || (path && !p) ||
        !k2e_grow((void **)&gate->entries, &gate->entry_capacity, gate->entry_count + 1,
                  sizeof *gate->entries)) {
        free(f);
        free(p);
        return false;
    }
    gate->entries[gate->entry_count++] = (k2e_baseline_entry){code, f, p, false};
    return true;
}

static bool baseline_error(k2e_diags *diags, const char *path, unsigned line,
                           const char *message)
{
    k2e_diag_add(diags, K2E_E_BASELINE, (k2e_where){path, line, 0, ""},
                 "a baseline is the report.json of an accepted run, or lines \"CODE FILE "
                 "[PATH]\" (# starts a comment)",
                 "%s", message);
    return false;
}

static bool read_report(k2e_gate *gate, const char *path, k2e_diags *diags)
{
    json_error_t error;
    json_t *report = json_load_file(path, 0, &error);
    if (!report)
        return baseline_error(diags, path, (unsigned)(error.line > 0 ? error.line : 0),
                              error.text);
    json_t *list = json_object_get(report, "diagnostics");
    bool ok = json_is_array(list);
    if (!ok)
        baseline_error(diags, path, 0, "a report.json without a \"diagnostics\" list");
    size_t i;
    json_t *d;
    json_array_foreach(list, i, d) {
        const char *code = json_string_value(json_object_get(d, "code"));
        const char *file = json_string_value(json_object_get(d, "file"));
        const char *where = json_string_value(json_object_get(d, "path"));
        k2e_diag_code parsed;
        if (!code || !file || !where || !k2e_diag_code_parse(code, &parsed)) {
            ok = baseline_error(diags, path, 0,
                                "a diagnostic without code, file and path, or with an "
                                "unknown code");
            break;
        }
        if (!add_entry(gate, parsed, file, where)) {
            ok = false;
            break;
        }
    }
    json_decref(report);
    return ok;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static bool read_lines(k2e_gate *gate, FILE *in, const char *path, k2e_diags *diags)
{
    char *line = NULL;
    size_t size = 0;
    unsigned number = 0;
    bool ok = true;
    while (ok && getline(&line, &size, in) >= 0) {
        number++;
        char *text = trim(line);
        if (!text[0] || text[0] == '#')
            continue;
        char *file = text + strcspn(text, " \t");
        if (*file)
            *file++ = '\0';
        file = trim(file);
        char *rest = file + strcspn(file, " \t");
        if (*rest)
            *rest++ = '\0';
        rest = trim(rest);
        k2e_diag_code code;
        if (!k2e_diag_code_parse(text, &code) || !file[0]) {
            ok = baseline_error(diags, path, number,
                                "expected \"CODE FILE [PATH]\" with a known code");
            break;
        }
        /* "-": a finding of the whole run (no file), as convert prints it */
        ok = add_entry(gate, code, strcmp(file, "-") == 0 ? "" : file, rest[0] ? rest : NULL);
    }
    if (errno == ENOMEM)
        k2e_note_errno(errno);
    free(line);
    return ok;
}

bool k2e_gate_read_baseline(k2e_gate *gate, const char *path, k2e_diags *diags)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        k2e_note_errno(errno);
        return baseline_error(diags, path, 0, "cannot open the baseline file");
    }
    int first;
    while ((first = fgetc(in)) != EOF && isspace(first))
        ;
    bool ok;
    if (first == '{') {
        fclose(in);
        ok = read_report(gate, path, diags);
    } else {
        rewind(in);
        ok = read_lines(gate, in, path, diags);
        fclose(in);
    }
    return ok;
}

bool k2e_gate_counts(const k2e_gate *gate, const k2e_diag *diag)
{
    if (diag->severity == K2E_SEV_ERROR || gate->allow[diag->code])
        return false;
    if (diag->severity == K2E_SEV_WARNING || gate->deny[diag->code])
        return true;
    for (size_t i = 0; i < sizeof always_counted / sizeof always_counted[0]; i++) {
        if (always_counted[i] == diag->code)
            return true;
    }
    return false;
}

/* Entries in (code, file, path) order, a whole-file entry (no path) first
 * among its file's: lookups are binary searches (a baseline of a large
 * tree has as many entries as the run has findings). */
static int key_order(k2e_diag_code code, const char *file, const char *path,
                     const k2e_baseline_entry *e)
{
    if (code != e->code)
        return code < e->code ? -1 : 1;
    int c = strcmp(file, e->file);
    if (c)
        return c;
    if (!path || !e->path)
        return (path != NULL) - (e->path != NULL);
    return strcmp(path, e->path);
}

static int entry_order(const void *pa, const void *pb)
{
    const k2e_baseline_entry *a = pa, *b = pb;
    int c = key_order(a->code, a->file, a->path, b);
    return c ? c : (a < b ? -1 : a > b);
}

/* The first entry not below the key. */
static size_t lower_bound(const k2e_gate *gate, k2e_diag_code code, const char *file,
                          const char *path)
{
    size_t lo = 0, hi = gate->entry_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_order(code, file, path, &gate->entries[mid]) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The baseline entry that accepts `diag`: an unused exact one first, else
 * a whole-file one. */
static k2e_baseline_entry *accepting(k2e_gate *gate, const k2e_diag *diag)
{
    for (size_t i = lower_bound(gate, diag->code, diag->file, diag->path);
         i < gate->entry_count &&
         key_order(diag->code, diag->file, diag->path, &gate->entries[i]) == 0;
         i++) {
        if (!gate->entries[i].used)
            return &gate->entries[i];
    }
    size_t i = lower_bound(gate, diag->code, diag->file, NULL);
    if (i < gate->entry_count && key_order(diag->code, diag->file, NULL, &gate->entries[i]) == 0)
        return &gate->entries[i];
    return NULL;
}

size_t k2e_gate_apply(k2e_gate *gate, const k2e_diags *diags, bool *failing)
{
    if (gate->entry_count > 1)
        qsort(gate->entries, gate->entry_count, sizeof *gate->entries, entry_order);
    size_t failures = 0;
    for (size_t i = 0; i < diags->count; i++) {
        const k2e_diag *d = &diags->items[i];
        failing[i] = false;
        if (!k2e_gate_counts(gate, d))
            continue;
        k2e_baseline_entry *e = accepting(gate, d);
        if (e && e->path) {
            e->used = true;
            continue;
        }
        if (e)
            continue;
        failing[i] = true;
        failures++;
    }
    return failures;
}
