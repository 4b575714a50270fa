/* Diagnostics: every finding of the converter as a value.
 *
 * A diagnostic is (severity, stable code, file:line:column, k8s path, message,
 * hint).  Codes are stable strings ("K2E-W010") listed once in diag_codes.h,
 * documented in MAPPING.md, so that users can grep them and CI can act on
 * them.  A k2e_diags list owns copies of every string it is given.
 *
 * Secrets: no function here ever sees a Secret's value; callers pass names and
 * paths only (the mapping code never formats a Secret value into a message).
 */
#ifndef KUBE2ECS_DIAG_H
#define KUBE2ECS_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kube2ecs/api.h"

typedef enum {
    K2E_SEV_INFO = 0,
    K2E_SEV_WARNING = 1,
    K2E_SEV_ERROR = 2,
} k2e_severity;

typedef enum {
#define K2E_DIAG_CODE(id, code, sev, title) id,
#include "kube2ecs/diag_codes.h"
#undef K2E_DIAG_CODE
    K2E_DIAG_CODE_COUNT
} k2e_diag_code;

typedef struct {
    k2e_severity severity;
    k2e_diag_code code;
    char *file;     /* may be "" for whole-run findings */
    unsigned line;  /* 1-based; 0 = no position */
    unsigned column;
    char *path;     /* k8s path inside the object, "" when none */
    char *message;
    char *hint;     /* "" when none */
} k2e_diag;

/* At most this many diagnostics of one code are stored; the rest are only
 * counted, so that a hostile input (700,000 one-line documents) cannot turn
 * into gigabytes of messages.  Counts, exit statuses and the summary include
 * the dropped ones, and k2e_diags_sort adds one K2E-I001 note per capped
 * code saying how many were dropped. */
#define K2E_DIAG_KEEP_PER_CODE 1000

typedef struct {
    k2e_diag *items;
    size_t count;
    size_t capacity;
    size_t stored[K2E_DIAG_CODE_COUNT];   /* per code, notes excluded */
    size_t dropped[K2E_DIAG_CODE_COUNT];  /* per code, past the cap */
    size_t notes;                         /* K2E-I001 notes among items */
} k2e_diags;

/* Where a diagnostic points: a file position plus the k8s path. */
typedef struct {
    const char *file;
    unsigned line;
    unsigned column;
    const char *path;
} k2e_where;

K2E_API const char *k2e_diag_code_string(k2e_diag_code code);   /* "K2E-W010" */
K2E_API const char *k2e_diag_code_title(k2e_diag_code code);    /* short title */
K2E_API k2e_severity k2e_diag_code_severity(k2e_diag_code code);
K2E_API const char *k2e_severity_name(k2e_severity severity);   /* "warning" */
/* Looks up "K2E-W010"; returns false when unknown. */
K2E_API bool k2e_diag_code_parse(const char *text, k2e_diag_code *out);

/* Diagnostics of a severity, the dropped ones included. */
K2E_API size_t k2e_diags_count(const k2e_diags *diags, k2e_severity severity);

/* Compiler-style text: "file:line:col: warning: message: path [K2E-W010]"
 * then a "  hint: ..." line.  colour adds ANSI colours.  Control characters
 * (C0, DEL, C1) and bytes that are not UTF-8 are written escaped (\n, \x1B,
 * \u0085), so text from a manifest or a file name can never start a line or
 * drive the terminal: one diagnostic is always exactly one or two lines. */
K2E_API void k2e_diag_print(FILE *out, const k2e_diag *diag, bool colour);


#endif
