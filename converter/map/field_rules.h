/* The one rule engine for fields that are reported, not converted.
 *
 * Most Kubernetes fields around a pod have no ECS counterpart, or one that
 * behaves differently.  Each is a row: the field, the value that means
 * "what ECS does anyway" (consumed quietly), Kubernetes' default for an
 * absent field, and the diagnostic (code, message, hint) otherwise.  Pod,
 * container, security, service, job and CronJob fields all go through
 * k2e_field_rules_apply, so adding a field is one row and one test, and
 * every table reports in the same words:
 *
 *     "<field> <value>: <message>"            (value only for scalars)
 *     "<field> <default> (Kubernetes' default): <message>"   (absent field)
 *
 * Defaults count as if written: a row with a `k8s_default` reports an
 * absent field exactly as the explicit value would be reported (pointing at
 * the mapping that lacks it), because the behaviour is the same.
 */
#ifndef K2E_MAP_FIELD_RULES_H
#define K2E_MAP_FIELD_RULES_H

#include <stdbool.h>

#include "report/diags.h"
#include "read/yaml_tree.h"

/* A `quiet` value matching any value. */
#define K2E_ANY "*"

typedef struct {
    const char *kind;         /* only for objects of this kind; NULL: any */
    const char *field;        /* NULL ends a table */
    const char *quiet;        /* consumed silently with this value ("a|b": either;
                               * K2E_ANY: any value); NULL: never quiet */
    const char *k8s_default;  /* Kubernetes' value for an absent field; NULL: none to report */
    k2e_diag_code code;
    const char *message;      /* what ECS does instead */
    const char *scheduled;    /* the message for EventBridge starts; NULL: `message` */
    const char *hint;
} k2e_field_rule;

typedef enum {
    K2E_RULES_PLAIN,          /* messages as written */
    K2E_RULES_SCHEDULED,      /* the `scheduled` variant where a row has one */
} k2e_rules_variant;

/* Applies a table to the fields of `map` (may be NULL: then only defaults
 * are judged, at `at`) of an object of kind `kind`.  Every field a row names
 * is consumed.  Returns true when an error diagnostic was added. */
bool k2e_field_rules_apply(k2e_diags *diags, const k2e_node *root, k2e_node *map,
                           const k2e_node *at, const char *kind, const k2e_field_rule *rules,
                           k2e_rules_variant variant);

#endif
