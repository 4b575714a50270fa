/* Diagnostics as the library makes them: the list's life cycle, adding,
 * sorting and the report.json form.  The public half (types, codes,
 * counting, printing) is include/kube2ecs/diag.h. */
#ifndef K2E_REPORT_DIAGS_H
#define K2E_REPORT_DIAGS_H

#include <stdarg.h>

#include <jansson.h>

#include "kube2ecs/diag.h"

void k2e_diags_init(k2e_diags *diags);
void k2e_diags_release(k2e_diags *diags);

/* Adds a diagnostic with the severity registered for the code.  message is a
 * printf format; hint may be NULL.  Returns false only when out of memory. */
bool k2e_diag_add(k2e_diags *diags, k2e_diag_code code, k2e_where where,
                  const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
bool k2e_diag_addv(k2e_diags *diags, k2e_diag_code code, k2e_where where,
                   const char *hint, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Sorts into report order: file, line, column, code, path, message; first
 * (re)writes the K2E-I001 note of every code that has dropped diagnostics. */
void k2e_diags_sort(k2e_diags *diags);

/* {"severity","code","file","line","column","path","message","hint"}. */
json_t *k2e_diag_to_json(const k2e_diag *diag);

#endif
