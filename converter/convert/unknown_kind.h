/* The warning for an object whose kind kube2ecs does not convert and does
 * not know (K2E-W012): a did-you-mean for near misses of known kinds in the
 * built-in API groups, what to do for the custom resources met most often. */
#ifndef KUBE2ECS_UNKNOWN_KIND_H
#define KUBE2ECS_UNKNOWN_KIND_H

#include <stddef.h>

#include "kube2ecs/diag.h"
#include "read/index.h"

/* `kinds` is the converter's kind table: `count` elements of `stride`
 * bytes, each starting with its kind name (`const char *`). */
void k2e_report_unknown_kind(k2e_diags *diags, const k2e_object *object, const void *kinds,
                             size_t count, size_t stride);

#endif
