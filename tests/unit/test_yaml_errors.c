/* Unit tests for how the reader reports malformed YAML (yaml_tree.c's
 * error reporting): an unclosed quote is located where it opens, flow
 * collections name where they open, and every syntax error carries a hint
 * that fits the mistake. */
#include "k2e_test.h"

#include <string.h>

#include "read/yaml_tree.h"

static k2e_diags diags;

static const k2e_diag *read_error(const char *text)
{
    k2e_limits limits = k2e_limits_default();
    k2e_file file;
    k2e_diags_init(&diags);
    ck_assert_msg(!k2e_read_buffer("bad.yaml", text, strlen(text), &limits, &file, &diags),
                  "'%s' parsed", text);
    k2e_file_free(&file);
    ck_assert_uint_eq(diags.count, 1);
    return &diags.items[0];
}

static void teardown(void)
{
    k2e_diags_release(&diags);
}

START_TEST(unclosed_double_quote_is_located_where_it_opens)
{
    const k2e_diag *d = read_error("kind: Pod\nmetadata:\n  name: \"web\n  labels: {}\nspec: {}\n");
    ck_assert_int_eq(d->code, K2E_E_SYNTAX);
    ck_assert_uint_eq(d->line, 3);
    ck_assert_uint_eq(d->column, 9);
    ck_assert_str_eq(d->message, "unclosed quote: this string never ends (the input ends at line 6)");
    ck_assert_ptr_nonnull(strstr(d->hint, "close the string"));
}
END_TEST

START_TEST(unclosed_single_quote_is_located_where_it_opens)
{
    const k2e_diag *d = read_error("a: 1\nb: 'it\nc: 2\n");
    ck_assert_uint_eq(d->line, 2);
    ck_assert_uint_eq(d->column, 4);
}
END_TEST

START_TEST(unclosed_flow_list_names_where_it_opens)
{
    const k2e_diag *d = read_error("args: [a, b\nnext: 1\n");
    ck_assert_ptr_nonnull(strstr(d->message, "opened at line 1 column 7"));
    ck_assert_ptr_nonnull(strstr(d->hint, "ends with ]"));
}
END_TEST

/* Each malformed input, and a word its hint must contain. */
static const struct {
    const char *text, *hint;
} malformed[] = {
    {"a:\n\tb: 1\n", "tabs"},
    {"a: @x\n", "quote"},
    {"a: `x`\n", "quote"},
    {"a: \"\\q\"\n", "backslash"},
    {"a: b: c\n", "quoted"},
    {"a:\n  b: 1\n c: 2\n", "indentation"},
    {"a:\n  - 1\n  b: 2\n", "same column"},
    {"key\nother: 1\n", "': '"},
    {"a: {x: 1\n", "ends with }"},
    {"a: !x!y 1\n", "tag"},
    {"a: &\n", "anchor"},
    {"a: *nope\n", "alias"},
    {"{a: 1}}\n", "follows the end of the document"},
    {"a: [1, 2\n", "ends with ]"},
    {"a: |\n  x\n b: 1\n", NULL},
    {"- a\nb: 1\n", NULL},
    {"a: 1\n- b\n", NULL},
    {"? [a\n", NULL},
    {"<<: 1\n", "anchor"},
};

START_TEST(every_syntax_error_has_a_hint)
{
    const k2e_diag *d = read_error(malformed[_i].text);
    ck_assert_int_eq(d->code, K2E_E_SYNTAX);
    ck_assert_msg(d->hint[0], "no hint for '%s' (%s)", malformed[_i].text, d->message);
    if (malformed[_i].hint)
        ck_assert_msg(strstr(d->hint, malformed[_i].hint), "'%s': hint '%s' lacks '%s'",
                      malformed[_i].text, d->hint, malformed[_i].hint);
    ck_assert_uint_ge(d->line, 1);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("yaml_errors");
    TCase *t = tcase_create("syntax");
    tcase_add_checked_fixture(t, NULL, teardown);
    tcase_add_test(t, unclosed_double_quote_is_located_where_it_opens);
    tcase_add_test(t, unclosed_single_quote_is_located_where_it_opens);
    tcase_add_test(t, unclosed_flow_list_names_where_it_opens);
    tcase_add_loop_test(t, every_syntax_error_has_a_hint, 0,
                        (int)(sizeof malformed / sizeof malformed[0]));
    suite_add_tcase(s, t);
    return s;
}
