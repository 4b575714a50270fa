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

typedef struct {
    k2e_diag *items;
    size_t count;
    size_t capacity;
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

K2E_API size_t k2e_diags_count(const k2e_diags *diags, k2e_severity severity);

/* Compiler-style text: "file:line:col: warning: message: path [K2E-W010]"
 * then a "  hint: ..." line.  colour adds ANSI colours. */
K2E_API void k2e_diag_print(FILE *out, const k2e_diag *diag, bool colour);


#endif
