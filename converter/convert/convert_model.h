/* The pipeline without emit, for the stages above convert (diff/): the
 * converted documents as values, before any text is made. */
#ifndef K2E_CONVERT_MODEL_H
#define K2E_CONVERT_MODEL_H

#include <stddef.h>

#include "kube2ecs/convert.h"
#include "map/model.h"

/* k2e_convert up to (not including) emit: `model` receives every document
 * (sorted by path, report.json not among them, sources detached) and
 * r->outputs stays empty; nothing is written whatever options->outdir says.
 * The model is the caller's to release, also after an input error (it then
 * holds what converted). */
int k2e_convert_model(const k2e_convert_options *options, const char *const *paths,
                      size_t count, k2e_convert_result *r, k2e_model *model);

#endif
