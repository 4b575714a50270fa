/* Unit tests for emit/yaml.c: the ecschedule.yaml writer.
 *
 * What must hold (ecschedule.md sections 2, 7 and 8):
 *  - every string is a single-quoted scalar, so goccy's YAML 1.2 resolver
 *    can never turn 1.10, 010, yes or null into something else;
 *  - integers and booleans are plain; `command` lists are flow style;
 *  - any `{{` survives ecschedule's two Go template passes.  The passes are
 *    simulated by template_pass() below: Go's text/template restricted to
 *    actions that hold one string literal, which is all the escape form
 *    uses; anything else in an action fails the test instead of being
 *    guessed at.  Random strings over an alphabet of braces, quotes,
 *    backquotes, spaces and line breaks go through escape -> YAML -> two
 *    passes -> libyaml's parser and must come back unchanged.
 */
#include "k2e_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <yaml.h>

#include "emit/yaml.h"
#include "base/util.h"

#define ESC K2E_ECSCHEDULE_BRACE_ESCAPE

/* --- A Go text/template pass, restricted to string-literal actions ------- */

static bool lex_literal(const char **pp, k2e_buf *out)
{
    const char *p = *pp;
    if (*p == '`') {
        const char *end = strchr(p + 1, '`');
        if (!end)
            return false;
        k2e_buf_append(out, p + 1, (size_t)(end - p - 1));
        *pp = end + 1;
        return true;
    }
    if (*p != '"')
        return false;
    for (p++; *p && *p != '"'; p++) {
        if (*p == '\\' || *p == '\n')
            return false; /* not needed by the escape form: refuse */
        k2e_buf_append(out, p, 1);
    }
    if (*p != '"')
        return false;
    *pp = p + 1;
    return true;
}

/* NULL when the text holds an action this subset does not evaluate. */
static char *template_pass(const char *text)
{
    k2e_buf out;
    k2e_buf_init(&out);
    k2e_buf_append(&out, "", 0);
    for (const char *p = text; *p;) {
        if (!(p[0] == '{' && p[1] == '{')) {
            k2e_buf_append(&out, p++, 1);
            continue;
        }
        p += 2;
        if (p[0] == '-' && p[1] == ' ')
            goto fail; /* a trim marker would eat text */
        while (*p == ' ')
            p++;
        if (!lex_literal(&p, &out))
            goto fail;
        while (*p == ' ')
            p++;
        if (!(p[0] == '}' && p[1] == '}'))
            goto fail;
        p += 2;
    }
    return k2e_buf_detach(&out);
fail:
    k2e_buf_release(&out);
    return NULL;
}

static char *two_passes(const char *text)
{
    char *once = template_pass(text);
    char *twice = once ? template_pass(once) : NULL;
    free(once);
    return twice;
}

/* --- Reading the YAML back with libyaml's parser --------------------------- */

typedef struct {
    char *value;
    yaml_scalar_style_t style;
    bool is_key;
} scalar_seen;

typedef struct {
    scalar_seen items[256];
    size_t count;
    yaml_sequence_style_t sequence_styles[32];
    size_t sequences;
    int documents;
    bool ok;
} parsed;

/* Records every scalar (and whether it is a mapping key) and sequence style. */
static void parse_yaml(const char *text, parsed *out)
{
    memset(out, 0, sizeof *out);
    yaml_parser_t parser;
    REQUIRE(yaml_parser_initialize(&parser), "yaml_parser_initialize");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    /* per nesting level: is it a mapping, and is the next scalar a key */
    bool in_map[64] = {false}, expect_key[64] = {false};
    int depth = 0;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event))
            break;
        yaml_event_type_t type = event.type;
        bool key = depth > 0 && in_map[depth] && expect_key[depth];
        if (depth > 0 && in_map[depth] &&
            (type == YAML_SCALAR_EVENT || type == YAML_MAPPING_START_EVENT ||
             type == YAML_SEQUENCE_START_EVENT))
            expect_key[depth] = !expect_key[depth];
        if (type == YAML_SCALAR_EVENT && out->count < 256) {
            out->items[out->count++] = (scalar_seen){
                k2e_strndup((const char *)event.data.scalar.value, event.data.scalar.length),
                event.data.scalar.style, key};
        } else if (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT) {
            depth++;
            in_map[depth] = type == YAML_MAPPING_START_EVENT;
            expect_key[depth] = true;
            if (type == YAML_SEQUENCE_START_EVENT && out->sequences < 32)
                out->sequence_styles[out->sequences++] = event.data.sequence_start.style;
        } else if (type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT) {
            depth--;
        } else if (type == YAML_DOCUMENT_START_EVENT) {
            out->documents++;
        }
        yaml_event_delete(&event);
        if (type == YAML_STREAM_END_EVENT) {
            out->ok = true;
            break;
        }
    }
    yaml_parser_delete(&parser);
}

static void parsed_free(parsed *p)
{
    for (size_t i = 0; i < p->count; i++)
        free(p->items[i].value);
}

static const scalar_seen *value_after_key(const parsed *p, const char *key)
{
    for (size_t i = 0; i + 1 < p->count; i++) {
        if (p->items[i].is_key && strcmp(p->items[i].value, key) == 0)
            return &p->items[i + 1];
    }
    return NULL;
}

/* {"v": value} written, both template passes run, parsed back. */
static char *round_trip(const char *value, yaml_scalar_style_t *style)
{
    json_t *config = json_pack("{s:s}", "v", value);
    const char *error = NULL;
    char *text = k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, &error);
    json_decref(config);
    REQUIRE(text != NULL, "refused %s: %s", value, error ? error : "?");
    char *passed = two_passes(text);
    REQUIRE(passed != NULL, "template passes failed on:\n%s", text);
    parsed p;
    parse_yaml(passed, &p);
    REQUIRE(p.ok, "not YAML after the passes:\n%s", passed);
    const scalar_seen *v = value_after_key(&p, "v");
    REQUIRE(v != NULL, "no value after the key in:\n%s", passed);
    char *result = k2e_strdup(v->value);
    *style = v->style;
    parsed_free(&p);
    free(passed);
    free(text);
    return result;
}

/* --- Escaping ------------------------------------------------------------------ */

START_TEST(escape_replaces_each_pair_left_to_right)
{
    static const struct { const char *in, *out; } cases[] = {
        {"", ""},
        {"plain", "plain"},
        {"{{", ESC},
        {"{", "{"},
        {"}}", "}}"},
        {"{{{", ESC "{"},
        {"{{{{", ESC ESC},
        {"a{{.Name}}b", "a" ESC ".Name}}b"},
        {"{{ env \"X\" }}", ESC " env \"X\" }}"},
        {ESC, ESC "`" ESC "\"" ESC "\"}}`}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = k2e_ecschedule_escape(cases[i].in);
        ck_assert_msg(out && strcmp(out, cases[i].out) == 0, "escape('%s') = '%s', expected '%s'",
                      cases[i].in, out ? out : "(null)", cases[i].out);
        free(out);
    }
}
END_TEST

START_TEST(escape_form_is_the_documented_one)
{
    /* ecschedule.md section 8, verified against ecschedule v0.20.0. */
    ck_assert_str_eq(ESC, "{{`{{\"{{\"}}`}}");
    char *back = two_passes(ESC);
    ck_assert_str_eq(back, "{{");
    free(back);
}
END_TEST

START_TEST(documented_example_survives_both_passes)
{
    /* ecschedule.md: 'echo {{`{{"{{"}}`}}.Name}} it''s }}' -> echo {{.Name}} it's }} */
    yaml_scalar_style_t style;
    char *value = round_trip("echo {{.Name}} it's }}", &style);
    ck_assert_str_eq(value, "echo {{.Name}} it's }}");
    ck_assert_int_eq(style, YAML_SINGLE_QUOTED_SCALAR_STYLE);
    free(value);
}
END_TEST

START_TEST(tricky_strings_survive_yaml_and_both_passes)
{
    static const char *const values[] = {
        "{{", "}}", "{{}}", "{{{", "{{{{{", "}}{{", "{{`}}", "{{\"{{\"}}", "{{ .Values.x }}",
        "{{- trim -}}", "'{{'", "it''s", "`{{`", "a{b}c", "{ {", "{{\n}}", "line1\nline2",
        "{{ env \"HOME\" }}", ESC, "{{" ESC "}}", "\\{{", "--{{--", "# not a comment {{",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        yaml_scalar_style_t style;
        char *value = round_trip(values[i], &style);
        ck_assert_msg(strcmp(value, values[i]) == 0, "'%s' came back as '%s'", values[i], value);
        ck_assert_msg(style == YAML_SINGLE_QUOTED_SCALAR_STYLE, "'%s' not single-quoted",
                      values[i]);
        free(value);
    }
}
END_TEST

START_TEST(random_strings_survive_or_are_refused)
{
    static const char alphabet[] = "{{}}{`\"' a-\n.\\#:";
    unsigned seed = 12345;
    char value[24];
    size_t written = 0, refused = 0;
    for (int n = 0; n < 3000; n++) {
        size_t length = (size_t)(rand_r(&seed) % 20);
        for (size_t i = 0; i < length; i++)
            value[i] = alphabet[(size_t)rand_r(&seed) % (sizeof alphabet - 1)];
        value[length] = '\0';
        json_t *config = json_pack("{s:s}", "v", value);
        const char *error = NULL;
        char *text = k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, &error);
        json_decref(config);
        if (!text) {
            /* Only `{{` next to a line break with a space may be refused. */
            REQUIRE(strstr(value, "{{") && strchr(value, '\n'), "refused '%s': %s", value, error);
            refused++;
            continue;
        }
        free(text);
        yaml_scalar_style_t style;
        char *back = round_trip(value, &style);
        if (strcmp(back, value) != 0)
            ck_abort_msg("'%s' came back as '%s'", value, back);
        free(back);
        written++;
    }
    ck_assert_uint_gt(written, 2500);
    ck_assert_uint_gt(refused, 0);
}
END_TEST

/* --- Types and styles ------------------------------------------------------------- */

START_TEST(coercible_strings_are_single_quoted)
{
    static const char *const values[] = {
        "1.10", "010", "0x1F", "1_000", "1e3", "09", "yes", "no", "on", "off", "y", "n",
        "true", "False", "null", "~", "", ".inf", "-", "@daily", ": x", "#x", "'q'",
        "2027-01-01", "? x", "*", "&a", "!tag", "%x", "|", ">",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        yaml_scalar_style_t style;
        char *value = round_trip(values[i], &style);
        ck_assert_str_eq(value, values[i]);
        ck_assert_msg(style == YAML_SINGLE_QUOTED_SCALAR_STYLE, "'%s' not single-quoted",
                      values[i]);
        free(value);
    }
}
END_TEST

START_TEST(integers_and_booleans_are_plain)
{
    json_t *config = json_pack("{s:i, s:b, s:b, s:s}", "taskCount", 3, "disabled", 1,
                               "other", 0, "name", "3");
    char *text = k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, NULL);
    json_decref(config);
    ck_assert_str_eq(text, "taskCount: 3\ndisabled: true\nother: false\nname: '3'\n");
    free(text);
}
END_TEST

START_TEST(command_is_flow_style_everything_else_block)
{
    json_t *config = json_pack(
        "{s:[{s:s, s:[{s:s, s:[s,s], s:{s:s}}], s:{s:{s:[s]}}}]}", "rules", "name", "r",
        "containerOverrides", "name", "c", "command", "run", "--x=1", "environment", "A", "1",
        "network_configuration", "aws_vpc_configuration", "subnets", "subnet-1");
    char *text = k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, NULL);
    json_decref(config);
    ck_assert_str_eq(text,
                     "rules:\n"
                     "- name: 'r'\n"
                     "  containerOverrides:\n"
                     "  - name: 'c'\n"
                     "    command: ['run', '--x=1']\n"
                     "    environment:\n"
                     "      A: '1'\n"
                     "  network_configuration:\n"
                     "    aws_vpc_configuration:\n"
                     "      subnets:\n"
                     "      - 'subnet-1'\n");
    parsed p;
    parse_yaml(text, &p);
    ck_assert(p.ok);
    ck_assert_uint_eq(p.sequences, 4);
    ck_assert_int_eq(p.sequence_styles[2], YAML_FLOW_SEQUENCE_STYLE);
    ck_assert_int_eq(p.sequence_styles[3], YAML_BLOCK_SEQUENCE_STYLE);
    parsed_free(&p);
    free(text);
}
END_TEST

START_TEST(keys_are_plain_only_when_safe)
{
    json_t *config = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "launch_type", "a",
                               "HOGE_ENV", "b", "true", "c", "Y", "d", "010", "e",
                               "a-b", "f", "{{x", "g");
    char *text = k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, NULL);
    json_decref(config);
    ck_assert_str_eq(text, "launch_type: 'a'\nHOGE_ENV: 'b'\n'true': 'c'\n'Y': 'd'\n"
                           "'010': 'e'\n'a-b': 'f'\n'" ESC "x': 'g'\n");
    free(text);
}
END_TEST

START_TEST(key_order_is_insertion_order)
{
    json_t *config = json_object();
    json_object_set_new(config, "role", json_string("ecsEventsRole"));
    json_object_set_new(config, "region", json_string("us-east-1"));
    json_object_set_new(config, "cluster", json_string("api"));
    json_object_set_new(config, "trackingId", json_string("t"));
    char *text = k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, NULL);
    json_decref(config);
    ck_assert_str_eq(text, "role: 'ecsEventsRole'\nregion: 'us-east-1'\ncluster: 'api'\n"
                           "trackingId: 't'\n");
    free(text);
}
END_TEST

START_TEST(header_first_no_document_markers_no_folding)
{
    char long_value[400];
    memset(long_value, 'w', sizeof long_value - 1);
    for (size_t i = 5; i < sizeof long_value - 1; i += 6)
        long_value[i] = ' ';
    long_value[sizeof long_value - 1] = '\0';
    json_t *config = json_pack("{s:s, s:s}", "description", long_value, "u", "日本語 {{");
    char *text = k2e_yaml_text(config, "# one\n# two\n", K2E_YAML_ECSCHEDULE, NULL);
    json_decref(config);
    ck_assert(k2e_str_has_prefix(text, "# one\n# two\ndescription: '"));
    ck_assert_ptr_null(strstr(text, "---"));
    ck_assert_ptr_null(strstr(text, "..."));
    ck_assert_ptr_nonnull(strstr(text, "u: '日本語 " ESC "'\n")); /* UTF-8 kept as is */
    size_t lines = 0;
    for (const char *p = text; *p; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, 4); /* the long value stayed on one line */
    free(text);
}
END_TEST

/* --- Refusals ----------------------------------------------------------------------- */

START_TEST(null_real_and_non_objects_are_refused)
{
    const char *error = NULL;
    json_t *config = json_pack("{s:n}", "role");
    ck_assert_ptr_null(k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, &error));
    ck_assert_ptr_nonnull(error);
    json_decref(config);
    config = json_pack("{s:f}", "taskCount", 1.5);
    error = NULL;
    ck_assert_ptr_null(k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, &error));
    ck_assert_ptr_nonnull(error);
    json_decref(config);
    config = json_pack("[s]", "x");
    error = NULL;
    ck_assert_ptr_null(k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, &error));
    ck_assert_ptr_nonnull(error);
    json_decref(config);
}
END_TEST

START_TEST(braces_with_control_characters_are_refused_not_double_quoted)
{
    const char *error = NULL;
    json_t *config = json_pack("{s:s}", "v", "{{\tx");
    ck_assert_ptr_null(k2e_yaml_text(config, NULL, K2E_YAML_ECSCHEDULE, &error));
    ck_assert_ptr_nonnull(strstr(error, "single-quoted"));
    json_decref(config);
    /* Without braces libyaml may double-quote: nothing for the templates
     * to break, and the value still comes back exactly. */
    yaml_scalar_style_t style;
    char *value = round_trip("a\tb", &style);
    ck_assert_str_eq(value, "a\tb");
    free(value);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("ecschedule_yaml");
    TCase *t = tcase_create("templates");
    tcase_add_test(t, escape_replaces_each_pair_left_to_right);
    tcase_add_test(t, escape_form_is_the_documented_one);
    tcase_add_test(t, documented_example_survives_both_passes);
    tcase_add_test(t, tricky_strings_survive_yaml_and_both_passes);
    tcase_add_test(t, random_strings_survive_or_are_refused);
    suite_add_tcase(s, t);

    t = tcase_create("styles");
    tcase_add_test(t, coercible_strings_are_single_quoted);
    tcase_add_test(t, integers_and_booleans_are_plain);
    tcase_add_test(t, command_is_flow_style_everything_else_block);
    tcase_add_test(t, keys_are_plain_only_when_safe);
    tcase_add_test(t, key_order_is_insertion_order);
    tcase_add_test(t, header_first_no_document_markers_no_folding);
    suite_add_tcase(s, t);

    t = tcase_create("refusals");
    tcase_add_test(t, null_real_and_non_objects_are_refused);
    tcase_add_test(t, braces_with_control_characters_are_refused_not_double_quoted);
    suite_add_tcase(s, t);
    return s;
}
