/* The mapping table as the public API sees it: the embedded default, which
 * `kube2ecs mapping --defaults` prints and every run merges the user's file
 * over.  The table's contents are read by k2e_convert (convert.h). */
#ifndef KUBE2ECS_MAPPING_H
#define KUBE2ECS_MAPPING_H

#include "kube2ecs/api.h"

/* The embedded default mapping table: YAML text, NUL-terminated, static. */
K2E_API const char *k2e_mapping_default_text(void);

#endif
