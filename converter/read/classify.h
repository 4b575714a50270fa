/* What an input file is, before and after parsing: a Kubernetes manifest to
 * read, or one of the files real repositories keep beside their manifests
 * (kustomize and Helm sources, package.json, tool configurations) that
 * kube2ecs must recognise and skip with a word on what to do instead.
 *
 * Three checks, cheapest first:
 *   1. the name alone (kustomization.yaml, Chart.yaml, ...);
 *   2. the raw text: a Go template action ("{{") where YAML would start a
 *      value, outside strings, comments and block scalars, is an unrendered
 *      Helm template (libyaml would only see a syntax error);
 *   3. the parsed documents: none with apiVersion or kind at its top means
 *      no Kubernetes object (the name then says which kind of file it is);
 *      objects of a tool's own API group (kustomize.config.k8s.io, skaffold,
 *      ...) are that tool's configuration, not cluster objects.
 */
#ifndef KUBE2ECS_CLASSIFY_H
#define KUBE2ECS_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "kube2ecs/diag.h"
#include "read/yaml_tree.h"

typedef enum {
    K2E_INPUT_MANIFEST,       /* read it */
    K2E_INPUT_KUSTOMIZE,      /* kustomization file */
    K2E_INPUT_HELM_CHART,     /* Chart.yaml, values files, values.schema.json */
    K2E_INPUT_HELM_TEMPLATE,  /* unrendered template */
    K2E_INPUT_TOOL_CONFIG,    /* another tool's file (package.json, skaffold.yaml, ...) */
    K2E_INPUT_NO_OBJECT,      /* YAML/JSON without any Kubernetes object */
} k2e_input_kind;

typedef struct {
    k2e_input_kind kind;
    const char *what;         /* "a Node.js package manifest", or NULL */
    unsigned line, column;    /* of the evidence; 0 when the whole file */
} k2e_input_class;

/* By base name alone; false when the name decides nothing. */
bool k2e_classify_name(const char *base, k2e_input_class *out);

/* The first template action outside strings, comments and block scalars;
 * false when there is none. */
bool k2e_find_template_action(const char *data, size_t size, unsigned *line,
                              unsigned *column);

/* After parsing: K2E_INPUT_MANIFEST when some document is an object of the
 * cluster, otherwise what the file is (the base name refines it). */
k2e_input_class k2e_classify_documents(const k2e_file *file, const char *base);

/* One diagnostic for a skipped file: an info when the file was met in a
 * directory walk, a K2E-E005 error when it was named on the command line.
 * `name` is the file's display name, `dir` its directory as shown in hints. */
void k2e_input_report(const k2e_input_class *c, const char *name, const char *dir,
                      bool named, k2e_diags *diags);

#endif
