/* Unit tests for diag.c: diagnostics as values, the code table, the text
 * and JSON renderings, report order, and MAPPING.md's coverage of every
 * code. */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/diags.h"

static k2e_diags diags;

static void setup(void)
{
    k2e_diags_init(&diags);
}

static void teardown(void)
{
    k2e_diags_release(&diags);
}

static const k2e_diag *add(k2e_diag_code code, const char *file, unsigned line,
                           unsigned column, const char *path, const char *hint,
                           const char *message)
{
    k2e_where where = {file, line, column, path};
    ck_assert(k2e_diag_add(&diags, code, where, hint, "%s", message));
    return &diags.items[diags.count - 1];
}

/* k2e_diag_print's output as a string (caller frees). */
static char *printed(const k2e_diag *d, bool colour)
{
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    ck_assert_ptr_nonnull(out);
    k2e_diag_print(out, d, colour);
    ck_assert_int_eq(fclose(out), 0);
    return text;
}

/* Removes ANSI "ESC [ ... m" sequences in place. */
static void strip_ansi(char *s)
{
    char *w = s;
    for (const char *r = s; *r;) {
        if (r[0] == '\033' && r[1] == '[') {
            r += 2;
            while (*r && *r != 'm')
                r++;
            if (*r)
                r++;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
}

/* --- Adding ------------------------------------------------------------------ */

START_TEST(add_uses_the_code_severity_and_copies_strings)
{
    char file[] = "a.yaml", path[] = "spec.x", hint[] = "do this";
    k2e_where where = {file, 3, 9, path};
    ck_assert(k2e_diag_add(&diags, K2E_W_NOT_CONVERTED, where, hint, "value %d of %s", 7, "x"));
    file[0] = path[0] = hint[0] = '#';
    ck_assert_uint_eq(diags.count, 1);
    const k2e_diag *d = &diags.items[0];
    ck_assert_int_eq(d->code, K2E_W_NOT_CONVERTED);
    ck_assert_int_eq(d->severity, K2E_SEV_WARNING);
    ck_assert_str_eq(d->file, "a.yaml");
    ck_assert_uint_eq(d->line, 3);
    ck_assert_uint_eq(d->column, 9);
    ck_assert_str_eq(d->path, "spec.x");
    ck_assert_str_eq(d->hint, "do this");
    ck_assert_str_eq(d->message, "value 7 of x");
}
END_TEST

START_TEST(add_with_null_strings_gives_empty_strings)
{
    k2e_where where = {NULL, 0, 0, NULL};
    ck_assert(k2e_diag_add(&diags, K2E_E_READ, where, NULL, "plain"));
    const k2e_diag *d = &diags.items[0];
    ck_assert_str_eq(d->file, "");
    ck_assert_str_eq(d->path, "");
    ck_assert_str_eq(d->hint, "");
    ck_assert_int_eq(d->severity, K2E_SEV_ERROR);
}
END_TEST

START_TEST(count_by_severity)
{
    add(K2E_E_READ, "a", 1, 1, "", NULL, "e1");
    add(K2E_W_NOT_CONVERTED, "a", 1, 1, "", NULL, "w1");
    add(K2E_W_DUPLICATE_KEY, "a", 1, 1, "", NULL, "w2");
    add(K2E_I_KIND_IGNORED, "a", 1, 1, "", NULL, "i1");
    add(K2E_E_TYPE, "a", 1, 1, "", NULL, "e2");
    add(K2E_W_PLACEHOLDER, "a", 1, 1, "", NULL, "w3");
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_ERROR), 2);
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_WARNING), 3);
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_INFO), 1);
}
END_TEST

START_TEST(release_leaves_an_empty_reusable_list)
{
    for (int i = 0; i < 100; i++)
        add(K2E_I_TASK_SIZE, "f", (unsigned)i, 1, "p", "h", "m");
    ck_assert_uint_eq(diags.count, 100);
    k2e_diags_release(&diags);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_ptr_null(diags.items);
    add(K2E_E_READ, "f", 1, 1, "", NULL, "again");
    ck_assert_uint_eq(diags.count, 1);
}
END_TEST

/* --- The code table ---------------------------------------------------------------- */

START_TEST(code_parse_round_trips_every_code)
{
    for (int i = 0; i < K2E_DIAG_CODE_COUNT; i++) {
        const char *text = k2e_diag_code_string((k2e_diag_code)i);
        k2e_diag_code parsed = K2E_DIAG_CODE_COUNT;
        ck_assert_msg(k2e_diag_code_parse(text, &parsed), "%s does not parse", text);
        ck_assert_int_eq(parsed, i);
    }
}
END_TEST

START_TEST(code_parse_rejects_unknown_text)
{
    k2e_diag_code parsed = K2E_E_READ;
    const char *bad[] = {"", "K2E-E999", "K2E-W01", "k2e-w010", "K2E-W010 ", "W010", "K2E-????"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(!k2e_diag_code_parse(bad[i], &parsed), "'%s' parsed", bad[i]);
    ck_assert_int_eq(parsed, K2E_E_READ); /* untouched */
}
END_TEST

START_TEST(codes_are_well_formed_and_unique)
{
    for (int i = 0; i < K2E_DIAG_CODE_COUNT; i++) {
        const char *code = k2e_diag_code_string((k2e_diag_code)i);
        ck_assert_msg(strlen(code) == 8 && strncmp(code, "K2E-", 4) == 0 &&
                          strspn(code + 5, "0123456789") == 3,
                      "malformed code '%s'", code);
        ck_assert_msg(k2e_diag_code_title((k2e_diag_code)i)[0] != '\0', "%s has no title", code);
        for (int j = 0; j < i; j++)
            ck_assert_str_ne(code, k2e_diag_code_string((k2e_diag_code)j));
    }
}
END_TEST

START_TEST(severity_matches_the_code_letter)
{
    for (int i = 0; i < K2E_DIAG_CODE_COUNT; i++) {
        const char *code = k2e_diag_code_string((k2e_diag_code)i);
        k2e_severity expected;
        switch (code[4]) {
        case 'E': expected = K2E_SEV_ERROR; break;
        case 'W': expected = K2E_SEV_WARNING; break;
        case 'I': expected = K2E_SEV_INFO; break;
        default: ck_abort_msg("code %s has no E/W/I letter", code); return;
        }
        ck_assert_msg(k2e_diag_code_severity((k2e_diag_code)i) == expected,
                      "%s has severity %s", code,
                      k2e_severity_name(k2e_diag_code_severity((k2e_diag_code)i)));
    }
}
END_TEST

START_TEST(known_codes_have_their_documented_strings)
{
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_READ), "K2E-E001");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_SYNTAX), "K2E-E002");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_ENCODING), "K2E-E003");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_LIMIT), "K2E-E004");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_NOT_OBJECT), "K2E-E005");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_TYPE), "K2E-E006");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_DUPLICATE_OBJECT), "K2E-E007");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_OUTPUT), "K2E-E009");
    ck_assert_str_eq(k2e_diag_code_string(K2E_W_NOT_CONVERTED), "K2E-W010");
    ck_assert_str_eq(k2e_diag_code_string(K2E_W_DUPLICATE_KEY), "K2E-W011");
    ck_assert_str_eq(k2e_diag_code_string(K2E_I_GENERATED_NAME), "K2E-I012");
    ck_assert_str_eq(k2e_diag_code_string(K2E_E_MAPPING), "K2E-E020");
    ck_assert_str_eq(k2e_diag_code_title(K2E_W_NOT_CONVERTED), "field not converted");
    ck_assert_str_eq(k2e_diag_code_string(K2E_DIAG_CODE_COUNT), "K2E-????");
}
END_TEST

START_TEST(severity_names)
{
    ck_assert_str_eq(k2e_severity_name(K2E_SEV_ERROR), "error");
    ck_assert_str_eq(k2e_severity_name(K2E_SEV_WARNING), "warning");
    ck_assert_str_eq(k2e_severity_name(K2E_SEV_INFO), "info");
}
END_TEST

/* Every code is documented in MAPPING.md (once that file exists). */
START_TEST(every_code_appears_in_mapping_md)
{
    FILE *f = fopen(K2E_SOURCE_DIR "/MAPPING.md", "rb");
    if (!f)
        return; /* not written yet: nothing to check */
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    ck_assert_ptr_nonnull(out);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, out);
    fclose(f);
    fclose(out);
    char missing[1024] = "";
    size_t count = 0;
    for (int i = 0; i < K2E_DIAG_CODE_COUNT; i++) {
        const char *code = k2e_diag_code_string((k2e_diag_code)i);
        if (strstr(text, code))
            continue;
        count++;
        if (strlen(missing) + 10 < sizeof missing) {
            strcat(missing, " ");
            strcat(missing, code);
        }
    }
    free(text);
    ck_assert_msg(count == 0, "%zu codes not documented in MAPPING.md:%s", count, missing);
}
END_TEST

/* --- Text rendering ------------------------------------------------------------------- */

START_TEST(print_without_colour_exact_text)
{
    const k2e_diag *d = add(K2E_W_NOT_CONVERTED, "deploy.yaml", 12, 7,
                            "spec.template.spec.affinity", "use placement constraints",
                            "not converted");
    char *text = printed(d, false);
    ck_assert_str_eq(text, "deploy.yaml:12:7: warning: not converted: "
                           "spec.template.spec.affinity [K2E-W010]\n"
                           "  hint: use placement constraints\n");
    ck_assert_ptr_null(strchr(text, '\033'));
    free(text);
}
END_TEST

START_TEST(print_without_path_or_hint)
{
    const k2e_diag *d = add(K2E_E_SYNTAX, "x.yaml", 2, 1, "", NULL, "bad YAML");
    char *text = printed(d, false);
    ck_assert_str_eq(text, "x.yaml:2:1: error: bad YAML [K2E-E002]\n");
    free(text);
}
END_TEST

START_TEST(print_file_without_position)
{
    const k2e_diag *d = add(K2E_E_READ, "gone.yaml", 0, 0, "", NULL, "cannot open: nope");
    char *text = printed(d, false);
    ck_assert_str_eq(text, "gone.yaml: error: cannot open: nope [K2E-E001]\n");
    free(text);
}
END_TEST

START_TEST(print_without_file)
{
    const k2e_diag *d = add(K2E_I_KIND_IGNORED, "", 0, 0, "", "h", "run-wide");
    char *text = printed(d, false);
    ck_assert_str_eq(text, "info: run-wide [K2E-I010]\n  hint: h\n");
    free(text);
}
END_TEST

START_TEST(print_with_colour_adds_only_escape_sequences)
{
    const k2e_diag *d = add(K2E_E_TYPE, "a.yaml", 3, 4, "spec.replicas", "a number",
                            "expected an integer");
    char *plain = printed(d, false);
    char *coloured = printed(d, true);
    ck_assert_ptr_nonnull(strstr(coloured, "\033["));
    ck_assert_ptr_nonnull(strstr(coloured, "\033[0m")); /* colour is reset */
    ck_assert_ptr_null(strchr(plain, '\033'));
    ck_assert_str_ne(plain, coloured);
    strip_ansi(coloured);
    ck_assert_str_eq(coloured, plain);
    free(plain);
    free(coloured);
}
END_TEST

START_TEST(print_colours_differ_by_severity)
{
    const k2e_diag *e = add(K2E_E_TYPE, "a", 1, 1, "", NULL, "m");
    char *error = printed(e, true);
    const k2e_diag *w = add(K2E_W_NOT_CONVERTED, "a", 1, 1, "", NULL, "m");
    char *warning = printed(w, true);
    const k2e_diag *i = add(K2E_I_TASK_SIZE, "a", 1, 1, "", NULL, "m");
    char *info = printed(i, true);
    char *error_sev = strstr(error, "error"), *warning_sev = strstr(warning, "warning");
    char *info_sev = strstr(info, "info");
    ck_assert_ptr_nonnull(error_sev);
    ck_assert_ptr_nonnull(warning_sev);
    ck_assert_ptr_nonnull(info_sev);
    /* the escape right before each severity word differs */
    ck_assert(strncmp(error_sev - 7, warning_sev - 7, 7) != 0);
    ck_assert(strncmp(error_sev - 7, info_sev - 7, 7) != 0);
    free(error);
    free(warning);
    free(info);
}
END_TEST

/* --- JSON rendering --------------------------------------------------------------------- */

/* Issue 10: a manifest must not forge diagnostic lines or drive the
 * terminal.  Names, paths, messages and file names with newlines, ESC, other
 * C0 and C1 controls, DEL or bytes that are no UTF-8 are printed escaped;
 * ordinary UTF-8 is kept. */
START_TEST(print_escapes_control_characters_everywhere)
{
    const k2e_diag *d = add(K2E_W_NOT_CONVERTED, "dir/evil\nname\x1b[2J.yaml", 3, 4,
                            "metadata.annotations[\"a\rb\"]",
                            "hint\n/x.yaml:1:1: error: forged [K2E-E001]",
                            "name 'x\ny: error: forged\t\x7f\xc2\x85\xc2\x9b\xff\xe2\x80' "
                            "caf\xc3\xa9 \xe2\x82\xac");
    char *text = printed(d, false);
    ck_assert_str_eq(text,
                     "dir/evil\\nname\\x1B[2J.yaml:3:4: warning: name 'x\\ny: error: forged"
                     "\\t\\x7F\\u0085\\u009B\\xFF\\xE2\\x80' caf\xc3\xa9 \xe2\x82\xac: "
                     "metadata.annotations[\"a\\rb\"] [K2E-W010]\n"
                     "  hint: hint\\n/x.yaml:1:1: error: forged [K2E-E001]\n");
    size_t lines = 0;
    for (const char *p = text; *p; p++) {
        lines += *p == '\n';
        ck_assert_msg(*p == '\n' || (unsigned char)*p >= 0x20, "raw control byte");
    }
    ck_assert_uint_eq(lines, 2);
    free(text);
}
END_TEST

/* Issue 10: at most K2E_DIAG_KEEP_PER_CODE of a code are stored, the rest
 * counted; the counts include them and a K2E-I001 note says how many. */
START_TEST(diagnostics_are_capped_per_code_and_counted)
{
    size_t total = K2E_DIAG_KEEP_PER_CODE + 500;
    for (size_t i = 0; i < total; i++) {
        k2e_where where = {"flood.yaml", (unsigned)i + 1, 1, ""};
        ck_assert(k2e_diag_add(&diags, K2E_E_NOT_OBJECT, where, NULL, "document %zu", i));
    }
    add(K2E_W_NOT_CONVERTED, "a.yaml", 1, 1, "spec.x", NULL, "not converted");
    ck_assert_uint_eq(diags.count, K2E_DIAG_KEEP_PER_CODE + 1);
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_ERROR), total);
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_WARNING), 1);
    k2e_diags_sort(&diags);
    k2e_diags_sort(&diags); /* twice: still one note */
    size_t notes = 0;
    const k2e_diag *note = NULL;
    for (size_t i = 0; i < diags.count; i++) {
        if (diags.items[i].code == K2E_I_DIAGS_DROPPED) {
            notes++;
            note = &diags.items[i];
        }
    }
    ck_assert_uint_eq(notes, 1);
    ck_assert_ptr_nonnull(strstr(note->message, "500 more K2E-E005 diagnostics"));
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_ERROR), total);
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_INFO), 1);
    /* The first ones are kept: documents 0..999. */
    ck_assert_str_eq(diags.items[diags.count - 1].message, "document 999");
    /* More after a sort: the note follows at the next sort. */
    k2e_where where = {"late.yaml", 1, 1, ""};
    ck_assert(k2e_diag_add(&diags, K2E_E_NOT_OBJECT, where, NULL, "late"));
    k2e_diags_sort(&diags);
    for (size_t i = 0; i < diags.count; i++) {
        if (diags.items[i].code == K2E_I_DIAGS_DROPPED)
            ck_assert_ptr_nonnull(strstr(diags.items[i].message, "501 more"));
    }
    k2e_diags_release(&diags);
    ck_assert_uint_eq(k2e_diags_count(&diags, K2E_SEV_ERROR), 0);
}
END_TEST

START_TEST(to_json_has_every_field_in_order)
{
    const k2e_diag *d = add(K2E_W_DUPLICATE_KEY, "a.yaml", 5, 3, "metadata.name",
                            "remove one", "key \"name\" defined twice");
    json_t *j = k2e_diag_to_json(d);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "severity")), "warning");
    ck_assert_str_eq(json_string_value(json_object_get(j, "code")), "K2E-W011");
    ck_assert_str_eq(json_string_value(json_object_get(j, "file")), "a.yaml");
    ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 5);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "column")), 3);
    ck_assert_str_eq(json_string_value(json_object_get(j, "path")), "metadata.name");
    ck_assert_str_eq(json_string_value(json_object_get(j, "message")), "key \"name\" defined twice");
    ck_assert_str_eq(json_string_value(json_object_get(j, "hint")), "remove one");
    ck_assert_uint_eq(json_object_size(j), 8);
    char *text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    ck_assert_str_eq(text, "{\"severity\":\"warning\",\"code\":\"K2E-W011\",\"file\":\"a.yaml\","
                           "\"line\":5,\"column\":3,\"path\":\"metadata.name\","
                           "\"message\":\"key \\\"name\\\" defined twice\",\"hint\":\"remove one\"}");
    free(text);
    json_decref(j);
}
END_TEST

START_TEST(to_json_without_position_has_zero_line)
{
    const k2e_diag *d = add(K2E_E_READ, "", 0, 0, "", NULL, "m");
    json_t *j = k2e_diag_to_json(d);
    ck_assert_int_eq(json_integer_value(json_object_get(j, "line")), 0);
    ck_assert_str_eq(json_string_value(json_object_get(j, "file")), "");
    ck_assert_str_eq(json_string_value(json_object_get(j, "hint")), "");
    ck_assert_str_eq(json_string_value(json_object_get(j, "severity")), "error");
    json_decref(j);
}
END_TEST

/* --- Sorting --------------------------------------------------------------------------- */

START_TEST(sort_orders_by_file_line_column_code_path_message)
{
    /* added in a scrambled order; the comment is the expected position */
    add(K2E_W_NOT_CONVERTED, "b.yaml", 1, 1, "", NULL, "m");      /* 7 */
    add(K2E_W_NOT_CONVERTED, "a.yaml", 10, 1, "", NULL, "m");     /* 6 */
    add(K2E_W_NOT_CONVERTED, "a.yaml", 2, 5, "", NULL, "m");      /* 5 */
    add(K2E_W_NOT_CONVERTED, "a.yaml", 2, 1, "z", NULL, "m");     /* 4 */
    add(K2E_W_NOT_CONVERTED, "a.yaml", 2, 1, "a", NULL, "n");     /* 3 */
    add(K2E_W_NOT_CONVERTED, "a.yaml", 2, 1, "a", NULL, "m");     /* 2 */
    add(K2E_E_TYPE, "a.yaml", 2, 1, "z", NULL, "m");              /* 1 */
    add(K2E_E_READ, "", 0, 0, "", NULL, "run-wide");              /* 0 */
    k2e_diags_sort(&diags);
    ck_assert_uint_eq(diags.count, 8);
    ck_assert_str_eq(diags.items[0].file, "");
    ck_assert_int_eq(diags.items[1].code, K2E_E_TYPE);
    ck_assert_str_eq(diags.items[2].path, "a");
    ck_assert_str_eq(diags.items[2].message, "m");
    ck_assert_str_eq(diags.items[3].message, "n");
    ck_assert_str_eq(diags.items[4].path, "z");
    ck_assert_int_eq(diags.items[4].code, K2E_W_NOT_CONVERTED);
    ck_assert_uint_eq(diags.items[5].column, 5);
    ck_assert_uint_eq(diags.items[6].line, 10); /* numeric, not text, order */
    ck_assert_str_eq(diags.items[7].file, "b.yaml");
}
END_TEST

START_TEST(sort_of_empty_and_single_lists)
{
    k2e_diags_sort(&diags);
    ck_assert_uint_eq(diags.count, 0);
    add(K2E_E_READ, "x", 1, 1, "", NULL, "m");
    k2e_diags_sort(&diags);
    ck_assert_str_eq(diags.items[0].file, "x");
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("diag");
    TCase *t = tcase_create("values");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, add_uses_the_code_severity_and_copies_strings);
    tcase_add_test(t, add_with_null_strings_gives_empty_strings);
    tcase_add_test(t, count_by_severity);
    tcase_add_test(t, release_leaves_an_empty_reusable_list);
    suite_add_tcase(s, t);

    t = tcase_create("codes");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, code_parse_round_trips_every_code);
    tcase_add_test(t, code_parse_rejects_unknown_text);
    tcase_add_test(t, codes_are_well_formed_and_unique);
    tcase_add_test(t, severity_matches_the_code_letter);
    tcase_add_test(t, known_codes_have_their_documented_strings);
    tcase_add_test(t, severity_names);
    tcase_add_test(t, every_code_appears_in_mapping_md);
    suite_add_tcase(s, t);

    t = tcase_create("rendering");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, print_without_colour_exact_text);
    tcase_add_test(t, print_without_path_or_hint);
    tcase_add_test(t, print_file_without_position);
    tcase_add_test(t, print_without_file);
    tcase_add_test(t, print_with_colour_adds_only_escape_sequences);
    tcase_add_test(t, print_colours_differ_by_severity);
    tcase_add_test(t, print_escapes_control_characters_everywhere);
    tcase_add_test(t, diagnostics_are_capped_per_code_and_counted);
    tcase_add_test(t, to_json_has_every_field_in_order);
    tcase_add_test(t, to_json_without_position_has_zero_line);
    suite_add_tcase(s, t);

    t = tcase_create("sorting");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, sort_orders_by_file_line_column_code_path_message);
    tcase_add_test(t, sort_of_empty_and_single_lists);
    suite_add_tcase(s, t);
    return s;
}
