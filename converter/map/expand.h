/* Kubernetes' $(VAR) expansion, byte for byte as
 * k8s.io/kubernetes/third_party/forked/golang/expansion does it:
 *   $(NAME) -> the value of NAME when known, else left as "$(NAME)";
 *   $$      -> "$";  "$" before anything else, and a trailing "$", stay;
 *   "$(" with no closing ")" stays literally.
 * ECS never expands $(VAR), so the converter must do it at conversion time.
 */
#ifndef KUBE2ECS_EXPAND_H
#define KUBE2ECS_EXPAND_H

#include <stdbool.h>

typedef enum {
    K2E_VAR_UNKNOWN,  /* not defined: stays "$(NAME)", as in Kubernetes */
    K2E_VAR_FOUND,    /* *value is the replacement */
    K2E_VAR_DYNAMIC,  /* defined but only known at run time (a Secret, the pod IP) */
} k2e_var_lookup;

typedef k2e_var_lookup (*k2e_var_fn)(const char *name, const char **value, void *context);

/* Returns the expanded string (caller frees), NULL when out of memory.
 * *dynamic is set when a reference to a run-time-only variable was left
 * unexpanded (the caller must tell the user: ECS will not expand it). */
char *k2e_expand_vars(const char *input, k2e_var_fn lookup, void *context,
                      const char **dynamic_name_out, bool *dynamic);

#endif
