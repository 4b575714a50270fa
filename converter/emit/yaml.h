/* The YAML writer: a JSON tree -> YAML text through libyaml's emitter, the
 * one place that quotes YAML scalars.  Two dialects:
 *
 * K2E_YAML_ECSCHEDULE, for OUTDIR/ecschedule.yaml (a tree in ecschedule's
 * key order):
 *
 * ecschedule (Songmu/ecschedule) reads its file with goccy/go-yaml (YAML 1.2)
 * after running the whole raw text through Go's text/template twice
 * (its config.go and the text/template passes of its loader).  Two consequences
 * shape this writer:
 *
 *  - Coercion.  A plain `1.10`, `010` or `yes` would reach ecschedule as
 *    "1.1", "8" or a load error, so every string is a single-quoted scalar,
 *    quoted by libyaml's emitter (never by hand), and only integers and
 *    booleans are plain.
 *  - Templates.  Any `{{` in a value (a manifest may carry Helm or Go
 *    template text) is replaced by K2E_ECSCHEDULE_BRACE_ESCAPE, which both
 *    template passes turn back into `{{`.  The form contains `"`, so it only
 *    survives inside single-quoted (or plain) scalars; a value that libyaml
 *    could only write double-quoted (control characters, spaces next to a
 *    line break) and that contains `{{` is refused instead of written wrong.
 *
 * The writer knows nothing about CronJobs: schedule.c builds the tree.
 * K2E_YAML_PLAIN_WHEN_SAFE: see the enum.
 */
#ifndef K2E_EMIT_YAML_H
#define K2E_EMIT_YAML_H

#include <jansson.h>

typedef enum {
    K2E_YAML_ECSCHEDULE,
    /* ecspresso.yml (a flat mapping of names, ARNs and durations): strings
     * plain when nothing but a string can be read from them, otherwise
     * single-quoted.  No `{{` escaping: ecspresso renders its config with
     * Go templates on purpose ({{ must_env `X` }}), so a mapping value that
     * holds one passes through as the user wrote it. */
    K2E_YAML_PLAIN_WHEN_SAFE,
} k2e_yaml_dialect;

/* `{{` written so that it survives ecschedule's two Go template passes
 * (verified in ecschedule.md section 8). */
#define K2E_ECSCHEDULE_BRACE_ESCAPE "{{`{{\"{{\"}}`}}"

/* `text` with every "{{" (scanned left to right, non-overlapping) replaced
 * by K2E_ECSCHEDULE_BRACE_ESCAPE.  Caller frees; NULL when out of memory. */
char *k2e_ecschedule_escape(const char *text);

/* YAML text for `config`, a JSON object tree (not stolen), in the
 * ecschedule dialect:
 *   string  -> single-quoted scalar, `{{` escaped;
 *   integer -> plain decimal; true/false -> plain booleans;
 *   array   -> block sequence, or flow (`[a, b]`) under a key named "command";
 *   object  -> block mapping in insertion order; keys are plain when they are
 *              identifiers that YAML cannot read as anything but a string,
 *              otherwise single-quoted.
 * `header` (may be NULL) is written first verbatim: comment lines, each
 * starting with '#' and ending with '\n'.  Returns malloc'd text, or NULL
 * with *error set to a static message (null or real values, a value that
 * cannot be quoted safely, out of memory). */
char *k2e_yaml_text(const json_t *config, const char *header, k2e_yaml_dialect dialect,
                    const char **error);

#endif
