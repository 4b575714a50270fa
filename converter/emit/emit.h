/* Emit: the output model -> bytes -> files.  The only code that orders
 * keys, serialises JSON, writes YAML and touches the file system.
 *
 * The map stage fills a k2e_model with values (map/model.h); k2e_emit_model
 * turns each document into text by its kind (emit.c: key order of the AWS
 * API reference for task definitions, sorted keys for ecspresso, the
 * {"taskDefinition": ...} wrapper and line constraints of ecs-deploy, YAML
 * through yaml.c), giving a k2e_outputs set (relative path -> bytes).
 * Nothing touches the file system until every object is converted.  Then
 * k2e_outputs_write (write.c) puts the whole tree into a fresh temporary
 * directory beside OUTDIR and swaps it into place, so an interrupted or
 * failed run never leaves a half-written OUTDIR, and an existing OUTDIR is
 * replaced only by a complete new one.
 */
#ifndef KUBE2ECS_EMIT_H
#define KUBE2ECS_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "kube2ecs/convert.h"
#include "report/diags.h"
#include "map/model.h"


void k2e_outputs_init(k2e_outputs *outputs);
void k2e_outputs_release(k2e_outputs *outputs);

/* Takes ownership of content (malloc'd, NUL-terminated); false (content
 * freed) on out of memory.  Appending is O(1): a path added twice is caught
 * by k2e_outputs_sort, since mappers are expected to prevent it (family
 * clashes are diagnosed before anything is added). */
bool k2e_outputs_add(k2e_outputs *outputs, const char *path, char *content);

/* Sorts by path (byte-wise); false when two outputs have the same path. */
bool k2e_outputs_sort(k2e_outputs *outputs);

/* Text for every document of `model` (which must be sorted by path) added
 * to `outputs` in the same order; each document's value is released once
 * written (its path stays), so that a large run never holds all its values
 * and all its text at once.  False after an error diagnostic (a document
 * that cannot be written: a bug or out of memory). */
bool k2e_emit_model(k2e_model *model, k2e_outputs *outputs, k2e_diags *diags);

/* Canonical JSON: two-space indent, keys in insertion order, reals as short
 * as they are exact (15 significant digits: TargetValue 17.5), trailing
 * newline.  Takes a
 * reference to `value` (the _new convention: the value is released). */
char *k2e_json_text_new(json_t *value);

/* Writes every output under `outdir` atomically (see above; write.c has the
 * steps).  Replaces only an absent, empty or kube2ecs-marked directory
 * (nothing of the user's is ever clobbered), creates missing parents, and
 * refuses any output path that could leave `outdir`. */
bool k2e_outputs_write(const k2e_outputs *outputs, const char *outdir, k2e_diags *diags);

/* The exit status after k2e_outputs_write failed: K2E_EXIT_INPUT when the
 * output directory was refused (a usage error), K2E_EXIT_INTERNAL when the
 * file system failed (no space, read-only, no permission, name too long). */
int k2e_outputs_write_status(const k2e_diags *diags);

#endif
