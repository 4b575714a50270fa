/* The YAML writer (ecschedule.yaml, ecspresso.yml); see yaml.h.
 *
 * The tree is walked once and turned into libyaml emitter events.  Quoting
 * is left to libyaml (a real YAML library knows every corner of single-quote
 * folding and escaping); this file only chooses the style per scalar:
 * strings single-quoted, integers and booleans plain, `command` lists in
 * flow style as ecschedule's own `dump` prints them.  Width is unlimited so
 * that no value is folded over lines: the Go templates see each value on one
 * line, the way a person would write it.
 *
 * Why refuse, not repair, a string with `{{` that libyaml would double-quote:
 * the escape form contains `"`; inside a double-quoted scalar it would be
 * written `\"`, which the template passes do not understand.  The converter
 * never builds such strings today (rule values are names, ARNs and one-line
 * descriptions); the check keeps a future caller honest.
 */
#include "emit/yaml.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "base/util.h"

char *k2e_ecschedule_escape(const char *text)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    for (const char *p = text; *p;) {
        const char *brace = strstr(p, "{{");
        if (!brace) {
            k2e_buf_puts(&buf, p);
            break;
        }
        k2e_buf_append(&buf, p, (size_t)(brace - p));
        k2e_buf_puts(&buf, K2E_ECSCHEDULE_BRACE_ESCAPE);
        p = brace + 2;
    }
    if (!buf.data) /* empty input: an empty string, not NULL */
        k2e_buf_append(&buf, "", 0);
    return k2e_buf_detach(&buf);
}

/* Length of the line break at p (libyaml's IS_BREAK: LF, CR, NEL, LS, PS),
 * 0 when there is none. */
static size_t break_at(const unsigned char *p)
{
    if (*p == '\n' || *p == '\r')
        return 1;
    if (p[0] == 0xC2 && p[1] == 0x85)
        return 2;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
        return 3;
    return 0;
}

/* What libyaml's analyzer (emitter.c, yaml_emitter_analyze_scalar) needs to
 * allow single quotes: printable characters only (line feeds are fine, tabs
 * and other controls are not) and no space next to a line break.  Checked
 * conservatively on bytes: C1 controls and U+FEFF are refused too. */
static bool single_quotable(const char *s)
{
    const unsigned char *start = (const unsigned char *)s;
    for (const unsigned char *p = start; *p; p++) {
        size_t brk = break_at(p);
        if (brk) {
            if ((p > start && p[-1] == ' ') || p[brk] == ' ' || *p == '\r')
                return false;
            p += brk - 1;
            continue;
        }
        if (*p < 0x20 || *p == 0x7F)
            return false;
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) /* C1 controls */
            return false;
        if (p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) /* BOM */
            return false;
    }
    return true;
}

/* Keys YAML 1.1 or 1.2 could read as a boolean or null even when the rest
 * looks like an identifier. */
static bool reserved_word(const char *s)
{
    static const char *const words[] = {"true", "false", "yes", "no", "on", "off",
                                        "y", "n", "null", NULL};
    for (const char *const *w = words; *w; w++) {
        if (strcasecmp(s, *w) == 0)
            return true;
    }
    return false;
}

/* ecspresso.yml's values: plain when no YAML reader could take them for
 * anything but this string: name and ARN characters only, not a YAML 1.1
 * boolean or null, and either a letter first or a letter that no YAML 1.1
 * or 1.2 number, special float or timestamp can contain (so "10m0s", a Go
 * duration, stays plain while "1e3", "0x1F" and "2024-01-01" would not). */
static bool plain_value(const char *s)
{
    static const char safe[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:";
    static const char never_numeric[] = "ghjklmpqrsuvwyGHJKLMPQRSUVWY";
    if (!*s || strspn(s, safe) != strlen(s) || reserved_word(s))
        return false;
    bool letter_first = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z');
    return letter_first || strpbrk(s, never_numeric) != NULL;
}

static bool plain_key(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (const char *p = s; *p; p++) {
        bool ok = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                  (*p >= '0' && *p <= '9') || *p == '_';
        if (!ok)
            return false;
    }
    return !reserved_word(s);
}

typedef struct {
    yaml_emitter_t emitter;
    k2e_yaml_dialect dialect;
    const char *error;
} writer;

static bool emit(writer *w, yaml_event_t *event, bool initialized)
{
    if (!initialized) {
        w->error = "out of memory";
        return false;
    }
    if (!yaml_emitter_emit(&w->emitter, event)) {
        w->error = w->emitter.problem ? w->emitter.problem : "YAML emitter error";
        return false;
    }
    return true;
}

static bool emit_scalar(writer *w, const char *text, yaml_scalar_style_t style)
{
    yaml_event_t event;
    bool plain = style == YAML_PLAIN_SCALAR_STYLE;
    int ok = yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text,
                                          (int)strlen(text), plain, !plain, style);
    return emit(w, &event, ok);
}

static bool emit_string(writer *w, const char *value)
{
    if (w->dialect == K2E_YAML_PLAIN_WHEN_SAFE)
        return emit_scalar(w, value, plain_value(value) ? YAML_PLAIN_SCALAR_STYLE
                                                        : YAML_SINGLE_QUOTED_SCALAR_STYLE);
    char *escaped = k2e_ecschedule_escape(value);
    if (!escaped) {
        w->error = "out of memory";
        return false;
    }
    bool ok = false;
    if (strstr(value, "{{") && !single_quotable(escaped))
        w->error = "a value containing '{{' also contains control characters or a space "
                   "next to a line break, so it cannot be single-quoted";
    else
        ok = emit_scalar(w, escaped, YAML_SINGLE_QUOTED_SCALAR_STYLE);
    free(escaped);
    return ok;
}

static bool emit_key(writer *w, const char *key)
{
    if (plain_key(key))
        return emit_scalar(w, key, YAML_PLAIN_SCALAR_STYLE);
    return emit_string(w, key);
}

static bool emit_node(writer *w, const json_t *value, bool flow);

static bool emit_array(writer *w, const json_t *array, bool flow)
{
    yaml_event_t event;
    int ok = yaml_sequence_start_event_initialize(
        &event, NULL, NULL, 1, flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE);
    if (!emit(w, &event, ok))
        return false;
    size_t i;
    const json_t *item;
    json_array_foreach(array, i, item) {
        if (!emit_node(w, item, flow))
            return false;
    }
    yaml_sequence_end_event_initialize(&event);
    return emit(w, &event, true);
}

static bool emit_object(writer *w, const json_t *object, bool flow)
{
    yaml_event_t event;
    int ok = yaml_mapping_start_event_initialize(
        &event, NULL, NULL, 1, flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE);
    if (!emit(w, &event, ok))
        return false;
    const char *key;
    const json_t *item;
    json_object_foreach((json_t *)object, key, item) {
        /* ecschedule's dump prints `command` as [a, b]; so do we. */
        bool command = w->dialect == K2E_YAML_ECSCHEDULE && strcmp(key, "command") == 0;
        if (!emit_key(w, key) || !emit_node(w, item, flow || command))
            return false;
    }
    yaml_mapping_end_event_initialize(&event);
    return emit(w, &event, true);
}

static bool emit_node(writer *w, const json_t *value, bool flow)
{
    char number[32];
    switch (json_typeof(value)) {
    case JSON_STRING: return emit_string(w, json_string_value(value));
    case JSON_INTEGER:
        snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        return emit_scalar(w, number, YAML_PLAIN_SCALAR_STYLE);
    case JSON_TRUE: return emit_scalar(w, "true", YAML_PLAIN_SCALAR_STYLE);
    case JSON_FALSE: return emit_scalar(w, "false", YAML_PLAIN_SCALAR_STYLE);
    case JSON_ARRAY: return emit_array(w, value, flow);
    case JSON_OBJECT: return emit_object(w, value, flow);
    default:
        /* ecschedule reads null as "" or absent and has no real-valued key:
         * either is a bug in the caller, not something to guess about. */
        w->error = "null and real values have no ecschedule meaning";
        return false;
    }
}

static bool emit_document(writer *w, const json_t *config)
{
    yaml_event_t event;
    int ok = yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
    if (!emit(w, &event, ok))
        return false;
    ok = yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
    if (!emit(w, &event, ok) || !emit_node(w, config, false))
        return false;
    ok = yaml_document_end_event_initialize(&event, 1);
    if (!emit(w, &event, ok))
        return false;
    ok = yaml_stream_end_event_initialize(&event);
    return emit(w, &event, ok) && yaml_emitter_flush(&w->emitter);
}

static int append_output(void *data, unsigned char *buffer, size_t size)
{
    k2e_buf *buf = data;
    k2e_buf_append(buf, (const char *)buffer, size);
    return !buf->failed;
}

char *k2e_yaml_text(const json_t *config, const char *header, k2e_yaml_dialect dialect,
                    const char **error)
{
    static const char *unused;
    if (!error)
        error = &unused;
    *error = NULL;
    if (!json_is_object(config)) {
        *error = "the configuration must be a mapping";
        return NULL;
    }
    k2e_buf out;
    k2e_buf_init(&out);
    if (header)
        k2e_buf_puts(&out, header);
    writer w = {.dialect = dialect, .error = NULL};
    if (!yaml_emitter_initialize(&w.emitter)) {
        *error = "out of memory";
        k2e_buf_release(&out);
        return NULL;
    }
    yaml_emitter_set_output(&w.emitter, append_output, &out);
    yaml_emitter_set_unicode(&w.emitter, 1);
    yaml_emitter_set_width(&w.emitter, -1);
    yaml_emitter_set_indent(&w.emitter, 2);
    yaml_emitter_set_break(&w.emitter, YAML_LN_BREAK);
    bool ok = emit_document(&w, config);
    yaml_emitter_delete(&w.emitter);
    if (!ok || out.failed) {
        *error = w.error ? w.error : "out of memory";
        k2e_buf_release(&out);
        return NULL;
    }
    return k2e_buf_detach(&out);
}
