/* JSON-pointer patches from the mapping table; see patch.c. */
#ifndef KUBE2ECS_PATCH_H
#define KUBE2ECS_PATCH_H

#include <stdbool.h>

#include <jansson.h>

#include "report/diags.h"
#include "read/index.h"
#include "read/mapping_table.h"

/* Sets `value` (a new reference is taken) at the RFC 6901 `path` of
 * `document`; false when the path cannot be followed. */
bool k2e_json_pointer_set(json_t *document, const char *path, json_t *value);

/* Applies every patch whose match selects `object`; errors (K2E-E070) are
 * located at the patch in the mapping file. */
bool k2e_apply_patches(const k2e_mapping *mapping, const k2e_object *object, json_t *td,
                       k2e_diags *diags);

/* The first patch whose match selects `object`, or NULL. */
const k2e_patch *k2e_patch_matching(const k2e_mapping *mapping, const k2e_object *object);

#endif
