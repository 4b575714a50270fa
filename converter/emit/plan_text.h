/* The batch plan (schedules/batch.h) for people: what `kube2ecs plan-batch`
 * prints, readable in a minute.  The same plan as data is batch-plan.json
 * (`plan-batch --json`). */
#ifndef K2E_EMIT_PLAN_TEXT_H
#define K2E_EMIT_PLAN_TEXT_H

#include <jansson.h>

/* Text for a plan document (not stolen); caller frees, NULL when out of
 * memory. */
char *k2e_batch_plan_text(const json_t *plan);

#endif
