/* The output model: what a conversion produces, as values.
 *
 * Mapping builds documents (a relative path, a jansson value and the kind
 * of document it is); later steps enrich them in place (the services step
 * names and adds port mappings of a task definition, the user's patches
 * apply last); emit is the one place that turns a document into bytes,
 * ordering keys and choosing JSON or YAML by its kind.  Nobody parses text
 * back: whoever needs a value reads it from here or from the typed fields
 * the mappers keep beside it (k2e_workload's sizes).
 *
 * Ownership: the model owns one reference to every value and a copy of
 * every path.  Two documents may share one value (an ecs-deploy file is a
 * view of the task definition), so a patch applied to the task definition
 * shows in every view of it.
 */
#ifndef K2E_MAP_MODEL_H
#define K2E_MAP_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "read/index.h"

/* What a document is, which decides how emit writes it. */
typedef enum {
    K2E_DOC_TASK_DEFINITION,  /* RegisterTaskDefinition input, keys in API order */
    K2E_DOC_SERVICE,          /* CreateService input */
    K2E_DOC_AUTOSCALING,      /* {scalableTarget, scalingPolicies} */
    K2E_DOC_TARGET_GROUP,     /* ModifyTargetGroup input */
    K2E_DOC_RUN_TASK,         /* RunTask input */
    K2E_DOC_ECSCHEDULE,       /* ecschedule configuration (YAML) */
    K2E_DOC_ECSPRESSO_CONFIG, /* ecspresso.yml (YAML, flat mapping of strings) */
    K2E_DOC_ECSPRESSO_JSON,   /* a definition file for ecspresso: keys sorted */
    K2E_DOC_ECS_DEPLOY,       /* value: a task definition; written {"taskDefinition": ...} */
    K2E_DOC_REPORT,           /* report.json */
    K2E_DOC_TEXT,             /* value: a string, written as it is (ytt template, Starlark) */
    K2E_DOC_YTT_SCHEMA,       /* ytt data-values schema: ecschedule's YAML dialect */
    K2E_DOC_YTT_VALUES,       /* ytt data values: ecschedule's YAML dialect */
    K2E_DOC_BATCH_PLAN,       /* batch-plan.json: the consolidation plan */
    K2E_DOC_BATCH_PLAN_TEXT,  /* value: the same plan, written for people */
} k2e_doc_kind;

typedef struct {
    char *path;               /* relative, '/'-separated */
    json_t *value;            /* one reference owned by the model */
    k2e_doc_kind kind;
    const k2e_object *source; /* the object it was made from; NULL: the whole run */
} k2e_doc;

typedef struct {
    k2e_doc *items;
    size_t count, capacity;
} k2e_model;

void k2e_model_init(k2e_model *model);
void k2e_model_release(k2e_model *model);

/* Adds a document; steals `value`.  NULL (value released) when value is
 * NULL or memory runs out: the allocation failure fails the run. */
k2e_doc *k2e_model_add(k2e_model *model, const char *path, json_t *value, k2e_doc_kind kind,
                       const k2e_object *source);

/* Removes (and releases) every document for which drop(doc, context) is
 * true, keeping the others in order: one pass.  Batch consolidation uses it
 * to take back the task definitions of jobs that share one. */
void k2e_model_remove_if(k2e_model *model, bool (*drop)(const k2e_doc *doc, void *context),
                         void *context);

/* Sorts by path (byte-wise), so that emit and the report list files in a
 * stable order; equal paths end up next to each other (clashes). */
void k2e_model_sort(k2e_model *model);

#endif
