/* Normalisation: a document as convert writes it, or in a shape users keep
 * (describe output, ecspresso's and ecs-deploy's files, ecschedule dump),
 * made canonical so that two documents that mean the same are json_equal.
 *
 * The rules follow what `ecspresso diff` and `ecschedule diff` treat as "no
 * change" (sorted sets, unit spellings, hostPort under awsvpc, read-only
 * describe fields dropped, values that mean the default removed), so that
 * a difference here is a difference ECS would act on. */
#ifndef K2E_DIFF_NORMALISE_H
#define K2E_DIFF_NORMALISE_H

#include <jansson.h>

typedef enum {
    K2E_NORM_TASK_DEFINITION,  /* register input, describe output, ecs-deploy, ecspresso */
    K2E_NORM_SERVICE,          /* create-service input or describe-services output */
    K2E_NORM_ECSPRESSO_SERVICE,/* ecspresso's service definition: no name, cluster, task */
    K2E_NORM_AUTOSCALING,      /* {scalableTarget, scalingPolicies} */
    K2E_NORM_TARGET_GROUP,     /* modify-target-group input or describe-target-groups */
    K2E_NORM_RUN_TASK,         /* run-task input */
    K2E_NORM_ECSCHEDULE,       /* ecschedule configuration, ecschedule dump */
    K2E_NORM_YAML_FLAT,        /* ecspresso.yml: scalars compared as text */
    K2E_NORM_PLAIN,            /* anything else: nulls and empty collections only */
} k2e_norm_kind;

/* `doc` (stolen: pass a copy to keep the original) normalised, or NULL
 * with *error set (a static message) when the document is not of the kind
 * (or memory ran out: *error NULL).  `expected` is the other side's normalised document or
 * NULL; rules that ignore what the converted side leaves open (a remote
 * desiredCount, a task definition's revision) read it. */
json_t *k2e_normalise(json_t *doc, k2e_norm_kind kind, const json_t *expected,
                      const char **error);

#endif
