/* Emit: canonical JSON text and the atomic writing of an output tree.
 *
 * The map stage fills a k2e_outputs set (relative path -> bytes) in memory;
 * nothing touches the file system until every object is converted.  Then
 * k2e_outputs_write puts the whole tree into a fresh temporary directory
 * beside OUTDIR and swaps it into place with renames, so an interrupted or
 * failed run never leaves a half-written OUTDIR, and an existing OUTDIR is
 * replaced only by a complete new one.
 */
#ifndef KUBE2ECS_EMIT_H
#define KUBE2ECS_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "kube2ecs/convert.h"
#include "kube2ecs/diag.h"


void k2e_outputs_init(k2e_outputs *outputs);
void k2e_outputs_release(k2e_outputs *outputs);

/* Takes ownership of content (malloc'd, NUL-terminated); false (content
 * freed) on out of memory.  Appending is O(1): a path added twice is caught
 * by k2e_outputs_sort, since mappers are expected to prevent it (family
 * clashes are diagnosed before anything is added). */
bool k2e_outputs_add(k2e_outputs *outputs, const char *path, char *content);
bool k2e_outputs_has(const k2e_outputs *outputs, const char *path);
const k2e_output *k2e_outputs_get(const k2e_outputs *outputs, const char *path);

/* Sorts by path (byte-wise); false when two outputs have the same path. */
bool k2e_outputs_sort(k2e_outputs *outputs);

/* Canonical JSON: two-space indent, keys in insertion order (the converter
 * inserts them in a fixed documented order), trailing newline.  Takes a
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
