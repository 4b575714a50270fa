/* Diagnostics and their two renderings (compiler-style text, JSON).
 *
 * The list is a plain growable array of values that own their strings; the
 * code table (diag_codes.h) is the single place where codes, severities and
 * titles live, so a code can never be printed with the wrong severity.
 */
#include "report/diags.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

typedef struct {
    const char *code;
    k2e_severity severity;
    const char *title;
} diag_code_info;

static const diag_code_info code_table[K2E_DIAG_CODE_COUNT] = {
#define K2E_DIAG_CODE(id, code, sev, title) [id] = {code, sev, title},
#include "kube2ecs/diag_codes.h"
#undef K2E_DIAG_CODE
};

void k2e_diags_init(k2e_diags *diags)
{
    memset(diags, 0, sizeof *diags);
}

static void diag_release(k2e_diag *diag)
{
    free(diag->file);
    free(diag->path);
    free(diag->message);
    free(diag->hint);
}

void k2e_diags_release(k2e_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++)
        diag_release(&diags->items[i]);
    free(diags->items);
    k2e_diags_init(diags);
}

const char *k2e_diag_code_string(k2e_diag_code code)
{
    return code < K2E_DIAG_CODE_COUNT ? code_table[code].code : "K2E-????";
}

const char *k2e_diag_code_title(k2e_diag_code code)
{
    return code < K2E_DIAG_CODE_COUNT ? code_table[code].title : "";
}

k2e_severity k2e_diag_code_severity(k2e_diag_code code)
{
    return code < K2E_DIAG_CODE_COUNT ? code_table[code].severity : K2E_SEV_ERROR;
}

bool k2e_diag_code_parse(const char *text, k2e_diag_code *out)
{
    for (int i = 0; i < K2E_DIAG_CODE_COUNT; i++) {
        if (strcmp(code_table[i].code, text) == 0) {
            *out = (k2e_diag_code)i;
            return true;
        }
    }
    return false;
}

const char *k2e_severity_name(k2e_severity severity)
{
    switch (severity) {
    case K2E_SEV_ERROR: return "error";
    case K2E_SEV_WARNING: return "warning";
    default: return "info";
    }
}

bool k2e_diag_addv(k2e_diags *diags, k2e_diag_code code, k2e_where where,
                   const char *hint, const char *fmt, va_list ap)
{
    if (code < K2E_DIAG_CODE_COUNT && code != K2E_I_DIAGS_DROPPED &&
        diags->stored[code] >= K2E_DIAG_KEEP_PER_CODE) {
        diags->dropped[code]++;
        return true;
    }
    if (!k2e_grow((void **)&diags->items, &diags->capacity, diags->count + 1,
                  sizeof *diags->items))
        return false;
    k2e_diag *diag = &diags->items[diags->count];
    memset(diag, 0, sizeof *diag);
    diag->severity = k2e_diag_code_severity(code);
    diag->code = code;
    diag->line = where.line;
    diag->column = where.column;
    diag->file = k2e_strdup(where.file ? where.file : "");
    diag->path = k2e_strdup(where.path ? where.path : "");
    diag->hint = k2e_strdup(hint ? hint : "");
    diag->message = k2e_vasprintf(fmt, ap);
    if (!diag->file || !diag->path || !diag->hint || !diag->message) {
        diag_release(diag);
        return false;
    }
    diags->count++;
    if (code == K2E_I_DIAGS_DROPPED)
        diags->notes++;
    else if (code < K2E_DIAG_CODE_COUNT)
        diags->stored[code]++;
    return true;
}

bool k2e_diag_add(k2e_diags *diags, k2e_diag_code code, k2e_where where,
                  const char *hint, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = k2e_diag_addv(diags, code, where, hint, fmt, ap);
    va_end(ap);
    return ok;
}

/* From the per-code counters, not the items: the pipeline asks after every
 * object, and a walk over every diagnostic made each ask cost the run so far
 * (quadratic on a large tree).  A diagnostic's severity is its code's. */
size_t k2e_diags_count(const k2e_diags *diags, k2e_severity severity)
{
    size_t n = severity == k2e_diag_code_severity(K2E_I_DIAGS_DROPPED) ? diags->notes : 0;
    for (int c = 0; c < K2E_DIAG_CODE_COUNT; c++) {
        if (code_table[c].severity == severity)
            n += diags->stored[c] + diags->dropped[c];
    }
    return n;
}

/* Drops the notes of an earlier sort, then writes one per capped code with
 * the count as it is now. */
static void write_drop_notes(k2e_diags *diags)
{
    size_t kept = 0;
    for (size_t i = 0; i < diags->count; i++) {
        if (diags->items[i].code == K2E_I_DIAGS_DROPPED)
            diag_release(&diags->items[i]);
        else
            diags->items[kept++] = diags->items[i];
    }
    diags->count = kept;
    diags->notes = 0;
    for (int c = 0; c < K2E_DIAG_CODE_COUNT; c++) {
        if (!diags->dropped[c])
            continue;
        k2e_diag_add(diags, K2E_I_DIAGS_DROPPED, (k2e_where){"", 0, 0, ""},
                     "fix the first ones and run again; a flood of one finding usually has "
                     "one cause",
                     "%zu more %s diagnostics (%s) were counted but not stored: only the "
                     "first %d of each code are kept", diags->dropped[c], code_table[c].code,
                     code_table[c].title, K2E_DIAG_KEEP_PER_CODE);
    }
}

static int compare_unsigned(unsigned a, unsigned b)
{
    return (a > b) - (a < b);
}

static int diag_compare(const void *pa, const void *pb)
{
    const k2e_diag *a = pa, *b = pb;
    int c = strcmp(a->file, b->file);
    if (c == 0) c = compare_unsigned(a->line, b->line);
    if (c == 0) c = compare_unsigned(a->column, b->column);
    if (c == 0) c = strcmp(k2e_diag_code_string(a->code), k2e_diag_code_string(b->code));
    if (c == 0) c = strcmp(a->path, b->path);
    if (c == 0) c = strcmp(a->message, b->message);
    if (c == 0) c = strcmp(a->hint, b->hint);
    return c;
}

void k2e_diags_sort(k2e_diags *diags)
{
    write_drop_notes(diags);
    if (diags->count > 1)
        qsort(diags->items, diags->count, sizeof *diags->items, diag_compare);
}

static const char *severity_colour(k2e_severity severity)
{
    switch (severity) {
    case K2E_SEV_ERROR: return "\033[1;31m";
    case K2E_SEV_WARNING: return "\033[1;35m";
    default: return "\033[1;36m";
    }
}

/* Length of the well-formed UTF-8 sequence at p (2..4), or 0. */
static size_t utf8_length(const unsigned char *p)
{
    size_t n = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (p[0] >= 0xF5)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    }
    return n;
}

/* report.json escapes through JSON; the terminal gets the same guarantee
 * here: no byte of `s` reaches `out` as a control character. */
static void put_escaped(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        size_t n = *p >= 0x80 ? utf8_length(p) : 1;
        if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\r')
            fputs("\\r", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p < 0x20 || *p == 0x7F || n == 0)
            fprintf(out, "\\x%02X", *p);
        else if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) /* C1: U+0080..U+009F */
            fprintf(out, "\\u%04X", p[1]);
        else
            fwrite(p, 1, n, out);
        p += n ? n - 1 : 0;
    }
}

void k2e_diag_print(FILE *out, const k2e_diag *diag, bool colour)
{
    const char *bold = colour ? "\033[1m" : "";
    const char *reset = colour ? "\033[0m" : "";
    const char *sev = colour ? severity_colour(diag->severity) : "";
    if (diag->file[0]) {
        fputs(bold, out);
        put_escaped(out, diag->file);
        if (diag->line)
            fprintf(out, ":%u:%u", diag->line, diag->column);
        fprintf(out, ":%s ", reset);
    }
    fprintf(out, "%s%s:%s ", sev, k2e_severity_name(diag->severity), reset);
    put_escaped(out, diag->message);
    if (diag->path[0]) {
        fputs(": ", out);
        put_escaped(out, diag->path);
    }
    fprintf(out, " [%s]\n", k2e_diag_code_string(diag->code));
    if (diag->hint[0]) {
        fputs("  hint: ", out);
        put_escaped(out, diag->hint);
        fputc('\n', out);
    }
}

json_t *k2e_diag_to_json(const k2e_diag *diag)
{
    return json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s}",
                     "severity", k2e_severity_name(diag->severity),
                     "code", k2e_diag_code_string(diag->code),
                     "file", diag->file,
                     "line", (json_int_t)diag->line,
                     "column", (json_int_t)diag->column,
                     "path", diag->path,
                     "message", diag->message,
                     "hint", diag->hint);
}
