/* Unit tests for mapping_table.c: the embedded default, a user file merged
 * over it (scalars replaced, nested mappings merged key by key, lists
 * replaced whole), K2E-E020 for unknown keys and wrong types, placeholders,
 * and the lookups the mappers use (images, secrets, templates). */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "read/mapping_table.h"

/* Each test works in a fresh scratch directory (k2e_test.h). */
static char mapping_path[128];
static k2e_mapping mapping;
static k2e_diags diags;

static void setup(void)
{
    k2e_scratch_begin();
    snprintf(mapping_path, sizeof mapping_path, "%s/mapping.yaml", k2e_scratch_dir());
    memset(&mapping, 0, sizeof mapping);
    k2e_diags_init(&diags);
}

/* The test's directory must hold nothing but the mapping file. */
static void teardown(void)
{
    k2e_mapping_release(&mapping);
    k2e_diags_release(&diags);
    unlink(mapping_path);
    ck_assert_int_eq(rmdir(k2e_scratch_dir()), 0);
    k2e_scratch_end();
}

/* Writes the user mapping file and loads it over the default. */
static bool load(const char *text)
{
    FILE *f = fopen(mapping_path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
    return k2e_mapping_load(&mapping, mapping_path, &diags);
}

static const k2e_diag *find_diag(k2e_diag_code code)
{
    for (size_t i = 0; i < diags.count; i++) {
        if (diags.items[i].code == code)
            return &diags.items[i];
    }
    return NULL;
}

static size_t count_code(k2e_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < diags.count; i++)
        n += diags.items[i].code == code;
    return n;
}

/* A failed load with one E020 in the user file at `line`. */
static const k2e_diag *assert_mapping_error(const char *text, unsigned line)
{
    ck_assert_msg(!load(text), "'%s' loaded", text);
    ck_assert_msg(count_code(K2E_E_MAPPING) >= 1, "no E020 for '%s' (%zu diagnostics, first %s)",
                  text, diags.count, diags.count ? diags.items[0].message : "-");
    const k2e_diag *d = find_diag(K2E_E_MAPPING);
    ck_assert_int_eq(d->severity, K2E_SEV_ERROR);
    ck_assert_str_eq(d->file, "mapping.yaml"); /* named by its base name */
    ck_assert_msg(d->line == line, "'%s': E020 at line %u, expected %u (%s)", text, d->line,
                  line, d->message);
    return d;
}

/* The 1-based line of the embedded default on which `needle` starts a line. */
static unsigned default_line_of(const char *needle)
{
    const char *text = k2e_mapping_default_text();
    size_t n = strlen(needle);
    unsigned line = 1;
    for (const char *p = text; *p; p++) {
        if ((p == text || p[-1] == '\n') && strncmp(p, needle, n) == 0)
            return line;
        if (*p == '\n')
            line++;
    }
    ck_abort_msg("'%s' not in the default mapping", needle);
    return 0;
}

/* --- Defaults ------------------------------------------------------------------ */

START_TEST(default_text_is_the_embedded_yaml)
{
    const char *text = k2e_mapping_default_text();
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(strstr(text, "region:"));
    ck_assert_ptr_nonnull(strstr(text, "PLACEHOLDER"));
}
END_TEST

START_TEST(defaults_load_without_user_file)
{
    ck_assert(k2e_mapping_load(&mapping, NULL, &diags));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(!mapping.has_user_file);
    ck_assert_str_eq(mapping.region.value, "us-east-1");
    ck_assert_str_eq(mapping.account_id.value, "000000000000");
    ck_assert_str_eq(mapping.cluster.value, "default");
    ck_assert_str_eq(mapping.platform_version.value, "LATEST");
    ck_assert_str_eq(mapping.family.value, "{name}");
    ck_assert_int_eq(mapping.sizing, K2E_SIZING_MAX);
    ck_assert_str_eq(mapping.default_cpu.value, "250m");
    ck_assert_str_eq(mapping.default_memory.value, "512Mi");
    ck_assert_uint_eq(mapping.subnets.count, 1);
    ck_assert_uint_eq(mapping.security_groups.count, 1);
    ck_assert_str_eq(mapping.assign_public_ip.value, "DISABLED");
    ck_assert_str_eq(mapping.log_driver.value, "awslogs");
    ck_assert_str_eq(mapping.log_group.value, "/ecs/{family}");
    ck_assert_str_eq(mapping.log_stream_prefix.value, "ecs");
    ck_assert(mapping.log_create_group.value);
    ck_assert_str_eq(mapping.default_ssm_prefix.value, "/{namespace}/{name}/");
    ck_assert_uint_eq(mapping.image_count, 0);
    ck_assert_uint_eq(mapping.secret_count, 0);
    ck_assert_str_eq(mapping.region.origin->file, "<embedded default mapping>");
    ck_assert_uint_eq(mapping.region.origin->line, default_line_of("region:"));
}
END_TEST

START_TEST(defaults_flag_every_placeholder)
{
    ck_assert(k2e_mapping_load(&mapping, NULL, &diags));
    for (int key = 0; key < K2E_KEY_PLACEHOLDER_COUNT; key++)
        ck_assert_msg(mapping.placeholder[key], "%s not flagged",
                      k2e_placeholder_key_name((k2e_placeholder_key)key));
}
END_TEST

START_TEST(placeholder_key_names)
{
    ck_assert_str_eq(k2e_placeholder_key_name(K2E_KEY_REGION), "region");
    ck_assert_str_eq(k2e_placeholder_key_name(K2E_KEY_ACCOUNT_ID), "accountId");
    ck_assert_str_eq(k2e_placeholder_key_name(K2E_KEY_EXECUTION_ROLE), "executionRoleArn");
    ck_assert_str_eq(k2e_placeholder_key_name(K2E_KEY_SUBNETS), "network.subnets");
    ck_assert_str_eq(k2e_placeholder_key_name(K2E_KEY_SECURITY_GROUPS), "network.securityGroups");
}
END_TEST

START_TEST(used_placeholders_are_reported_at_the_default_line)
{
    ck_assert(k2e_mapping_load(&mapping, NULL, &diags));
    bool used[K2E_KEY_PLACEHOLDER_COUNT] = {false};
    used[K2E_KEY_REGION] = true;
    used[K2E_KEY_SUBNETS] = true;
    k2e_mapping_report_placeholders(&mapping, used, &diags);
    ck_assert_uint_eq(diags.count, 2);
    const k2e_diag *d = &diags.items[0];
    ck_assert_int_eq(d->code, K2E_W_PLACEHOLDER);
    ck_assert_int_eq(d->severity, K2E_SEV_WARNING);
    ck_assert_str_eq(d->file, "<embedded default mapping>");
    ck_assert_uint_eq(d->line, default_line_of("region:"));
    ck_assert_str_eq(d->path, "region");
    ck_assert_str_eq(d->message, "placeholder value 'us-east-1' written to the output");
    ck_assert_ptr_nonnull(strstr(d->hint, "'region'"));
    d = &diags.items[1];
    ck_assert_uint_eq(d->line, default_line_of("  subnets:"));
    ck_assert_str_eq(d->path, "network.subnets");
    ck_assert_ptr_nonnull(strstr(d->message, "'subnet-00000000000000000'"));
}
END_TEST

START_TEST(unused_placeholders_are_not_reported)
{
    ck_assert(k2e_mapping_load(&mapping, NULL, &diags));
    bool used[K2E_KEY_PLACEHOLDER_COUNT] = {false};
    k2e_mapping_report_placeholders(&mapping, used, &diags);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

/* --- User file ------------------------------------------------------------------- */

START_TEST(user_file_overrides_and_merges_nested_maps)
{
    ck_assert(load("region: eu-west-1\n"
                   "accountId: \"123456789012\"\n"
                   "network:\n"
                   "  subnets: [subnet-a, subnet-b]\n"
                   "logging:\n"
                   "  group: /custom/{family}\n"
                   "sizing: requests\n"));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(mapping.has_user_file);
    ck_assert_str_eq(mapping.region.value, "eu-west-1");
    ck_assert_str_eq(mapping.region.origin->file, "mapping.yaml");
    ck_assert_uint_eq(mapping.region.origin->line, 1);
    ck_assert_str_eq(mapping.account_id.value, "123456789012");
    ck_assert_int_eq(mapping.sizing, K2E_SIZING_REQUESTS);
    /* network: subnets replaced, the rest kept from the default */
    ck_assert_uint_eq(mapping.subnets.count, 2);
    ck_assert_str_eq(mapping.subnets.items[0], "subnet-a");
    ck_assert_str_eq(mapping.subnets.items[1], "subnet-b");
    ck_assert_uint_eq(mapping.security_groups.count, 1);
    ck_assert_str_eq(mapping.security_groups.items[0], "sg-00000000000000000");
    ck_assert_str_eq(mapping.assign_public_ip.value, "DISABLED");
    /* logging: group replaced, driver and prefix kept */
    ck_assert_str_eq(mapping.log_group.value, "/custom/{family}");
    ck_assert_str_eq(mapping.log_driver.value, "awslogs");
    ck_assert_str_eq(mapping.log_stream_prefix.value, "ecs");
    ck_assert(mapping.log_create_group.value);
    /* untouched top-level keys keep their defaults */
    ck_assert_str_eq(mapping.cluster.value, "default");
    ck_assert_str_eq(mapping.family.value, "{name}");
}
END_TEST

START_TEST(user_values_clear_their_placeholder_flags)
{
    ck_assert(load("region: eu-west-1\nnetwork:\n  subnets: [subnet-a]\n"));
    ck_assert(!mapping.placeholder[K2E_KEY_REGION]);
    ck_assert(!mapping.placeholder[K2E_KEY_SUBNETS]);
    ck_assert(mapping.placeholder[K2E_KEY_ACCOUNT_ID]);
    ck_assert(mapping.placeholder[K2E_KEY_CLUSTER]);
    ck_assert(mapping.placeholder[K2E_KEY_EXECUTION_ROLE]);
    ck_assert(mapping.placeholder[K2E_KEY_SECURITY_GROUPS]);
    bool used[K2E_KEY_PLACEHOLDER_COUNT];
    for (int i = 0; i < K2E_KEY_PLACEHOLDER_COUNT; i++)
        used[i] = true;
    k2e_mapping_report_placeholders(&mapping, used, &diags);
    ck_assert_uint_eq(count_code(K2E_W_PLACEHOLDER), K2E_KEY_PLACEHOLDER_COUNT - 2);
    for (size_t i = 0; i < diags.count; i++) {
        ck_assert_str_ne(diags.items[i].path, "region");
        ck_assert_str_ne(diags.items[i].path, "network.subnets");
    }
}
END_TEST

START_TEST(user_lists_replace_whole)
{
    ck_assert(load("images:\n"
                   "- {from: a/, to: b/}\n"));
    ck_assert_uint_eq(mapping.image_count, 1);
    ck_assert_str_eq(mapping.images[0].from, "a/");
    ck_assert_str_eq(mapping.images[0].to, "b/");
}
END_TEST

START_TEST(empty_user_file_changes_nothing)
{
    ck_assert(load("# nothing yet\n"));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_str_eq(mapping.region.value, "us-east-1");
    ck_assert(mapping.placeholder[K2E_KEY_REGION]);
}
END_TEST

START_TEST(missing_user_file_is_e001)
{
    char path[160];
    snprintf(path, sizeof path, "%s/absent.yaml", k2e_scratch_dir());
    ck_assert(!k2e_mapping_load(&mapping, path, &diags));
    const k2e_diag *d = find_diag(K2E_E_READ);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->file, path);
}
END_TEST

START_TEST(user_file_syntax_error_is_e002)
{
    ck_assert(!load("region: [eu-west-1\n"));
    ck_assert_ptr_nonnull(find_diag(K2E_E_SYNTAX));
}
END_TEST

/* --- Errors ------------------------------------------------------------------------- */

START_TEST(unknown_top_level_key_is_e020_at_its_line)
{
    const k2e_diag *d = assert_mapping_error("region: eu-west-1\n"
                                             "regoin: eu-west-2\n", 2);
    ck_assert_str_eq(d->path, "regoin");
    ck_assert_str_eq(d->message, "unknown key in mapping table");
    ck_assert_ptr_nonnull(strstr(d->hint, "region"));
}
END_TEST

START_TEST(unknown_nested_key_is_e020_with_its_path)
{
    const k2e_diag *d = assert_mapping_error("network:\n"
                                             "  subnets: [subnet-a]\n"
                                             "  subnetz: [subnet-b]\n", 3);
    ck_assert_str_eq(d->path, "network.subnetz");
    /* the known keys of the same file are still applied */
    ck_assert_str_eq(mapping.subnets.items[0], "subnet-a");
}
END_TEST

START_TEST(unknown_key_in_a_secrets_entry_is_e020)
{
    const k2e_diag *d = assert_mapping_error("secrets:\n"
                                             "- name: db\n"
                                             "  ssmPrefix: /prod/db/\n"
                                             "  region: eu-west-1\n", 4);
    ck_assert_str_eq(d->path, "secrets[0].region");
}
END_TEST

START_TEST(unknown_key_with_mapping_value_points_at_the_key)
{
    /* "file:line of the key": the key is on line 2, its value on line 3 */
    const k2e_diag *d = assert_mapping_error("region: eu-west-1\n"
                                             "extras:\n"
                                             "  anything: 1\n", 2);
    ck_assert_str_eq(d->path, "extras");
}
END_TEST

typedef struct {
    const char *name;
    const char *text;
    unsigned line;
} type_error_case;

static const type_error_case type_errors[] = {
    {"number for a string", "region: eu-west-1\naccountId: 123456789012\n", 2},
    {"bool for a string", "cluster: yes\n", 1},
    {"null for a string", "cluster:\n", 1},
    {"list for a string", "region: [a]\n", 1},
    {"string for a bool", "logging:\n  createGroup: maybe\n", 2},
    {"list for a nested mapping", "network: [subnet-a]\n", 1},
    {"scalar for a list", "network:\n  subnets: subnet-a\n", 2},
    {"number in a list of strings", "network:\n  securityGroups: [sg-1, 2]\n", 2},
    {"unknown sizing policy", "sizing: biggest\n", 1},
    {"invalid assignPublicIp", "network:\n  assignPublicIp: yes-please\n", 2},
    {"mapping for images", "images: {from: a}\n", 1},
    {"image rewrite without to", "images:\n- {from: a/}\n", 2},
    {"mapping for secrets", "secrets: {name: db}\n", 1},
    {"secrets entry without name", "secrets:\n- {ssmPrefix: /x/}\n", 2},
    {"top level is a list", "- region: eu-west-1\n", 1},
};

START_TEST(wrong_types_are_e020)
{
    const type_error_case *c = &type_errors[_i];
    ck_assert_msg(!load(c->text), "%s: loaded", c->name);
    const k2e_diag *d = find_diag(K2E_E_MAPPING);
    ck_assert_msg(d != NULL, "%s: no E020", c->name);
    ck_assert_str_eq(d->file, "mapping.yaml"); /* named by its base name */
    ck_assert_msg(d->line == c->line, "%s: line %u", c->name, d->line);
}
END_TEST

START_TEST(number_for_account_id_hints_at_quoting)
{
    const k2e_diag *d = assert_mapping_error("accountId: 123456789012\n", 1);
    ck_assert_ptr_nonnull(strstr(d->hint, "quote"));
}
END_TEST

START_TEST(boolean_where_a_string_is_expected_hints_at_quoting_that_value)
{
    const k2e_diag *d = assert_mapping_error("schedules: {role: yes}\n", 1);
    ck_assert_str_eq(d->hint, "YAML 1.1 reads an unquoted yes as a boolean: quote the value, "
                              "role: \"yes\"");
    k2e_mapping_release(&mapping);
    k2e_diags_release(&diags);
    k2e_diags_init(&diags);
    d = assert_mapping_error("network: {assignPublicIp: yes}\n", 1);
    ck_assert_ptr_nonnull(strstr(d->hint, "ENABLED or DISABLED"));
    ck_assert_ptr_null(strstr(d->hint, "accountId"));
}
END_TEST

/* Unknown keys get the nearest valid key of the same mapping, at any depth. */
static const struct {
    const char *text;
    const char *path, *hint;
} misspelt[] = {
    {"network: {securityGroup: [sg-1]}\n", "network.securityGroup",
     "did you mean 'network.securityGroups'? (MAPPING.md lists every key)"},
    {"logging: {grup: /ecs/x}\n", "logging.grup",
     "did you mean 'logging.group'? (MAPPING.md lists every key)"},
    {"regoin: eu-west-1\n", "regoin", "did you mean 'region'? (MAPPING.md lists every key)"},
    {"secrets: [{name: db, secretsManagerARN: arn}]\n", "secrets[0].secretsManagerARN",
     "did you mean 'secrets[0].secretsManagerArn'? (MAPPING.md lists every key)"},
    {"containerDefaults: {ulimits: [{nme: nofile, softLimit: 1, hardLimit: 1}]}\n",
     "containerDefaults.ulimits[0].nme",
     "did you mean 'containerDefaults.ulimits[0].name'? (MAPPING.md lists every key)"},
    {"patches: [{match: {kidn: Pod}, path: /x, value: 1}]\n", "patches[0].match.kidn",
     "did you mean 'patches[0].match.kind'? (MAPPING.md lists every key)"},
    {"targetGroups: [{service: s, prot: 80, arn: a}]\n", "targetGroups[0].prot",
     "did you mean 'targetGroups[0].port'? (MAPPING.md lists every key)"},
    {"network: {colour: blue}\n", "network.colour",
     "MAPPING.md lists every key; `kube2ecs mapping --defaults` shows them with their defaults"},
};

START_TEST(misspelt_nested_keys_get_did_you_mean)
{
    const k2e_diag *d = assert_mapping_error(misspelt[_i].text, 1);
    ck_assert_uint_eq(count_code(K2E_E_MAPPING), 1); /* the typo only, no "missing" */
    ck_assert_str_eq(d->path, misspelt[_i].path);
    ck_assert_str_eq(d->message, "unknown key in mapping table");
    ck_assert_str_eq(d->hint, misspelt[_i].hint);
}
END_TEST

/* A bad list item is one error: its valid keys and the items after it are
 * read as usual. */
START_TEST(bad_list_item_does_not_blame_its_siblings)
{
    ck_assert(!load("images:\n"
                    "  - {frm: \"gcr.io/\", to: \"ecr/\"}\n"
                    "  - {from: \"docker.io/\", to: \"ecr2/\"}\n"
                    "containerDefaults:\n"
                    "  ulimits:\n"
                    "    - {name: nofile, softLimit: 1}\n"
                    "    - {name: nproc, softLimit: 1, hardLimit: 2}\n"
                    "taskRoles:\n"
                    "  - {serviceAcount: api, roleArn: arn:aws:iam::1:role/x}\n"
                    "  - {serviceAccount: web, roleArn: arn:aws:iam::1:role/y}\n"));
    ck_assert_uint_eq(count_code(K2E_E_MAPPING), 3);
    const char *expected[][2] = {
        {"images[0].frm", "unknown key in mapping table"},
        {"containerDefaults.ulimits[0]", "missing 'hardLimit'"},
        {"taskRoles[0].serviceAcount", "unknown key in mapping table"},
    };
    for (size_t i = 0; i < 3; i++) {
        bool found = false;
        for (size_t j = 0; j < diags.count && !found; j++)
            found = strcmp(diags.items[j].path, expected[i][0]) == 0 &&
                    strcmp(diags.items[j].message, expected[i][1]) == 0;
        ck_assert_msg(found, "no '%s' at %s", expected[i][1], expected[i][0]);
    }
}
END_TEST

/* `kube2ecs mapping --defaults` shows a commented example above each list;
 * each example, uncommented, is a valid mapping file with that many
 * entries, so a user can copy it as it stands. */
static const struct {
    const char *key;
    size_t entries;
} examples[] = {
    {"images", 2}, {"secrets", 2}, {"volumes", 2}, {"taskRoles", 1},
    {"imagePullSecrets", 1}, {"patches", 1}, {"targetGroups", 1},
    {"capacityProviderStrategy", 2},
};

START_TEST(commented_examples_in_the_default_parse)
{
    const char *text = k2e_mapping_default_text();
    char *key_line = k2e_asprintf("\n%s: []\n", examples[_i].key);
    const char *at = strstr(text, key_line);
    ck_assert_msg(at != NULL, "no '%s: []' in the default", examples[_i].key);
    /* The example: the comment lines "#   ..." right above the key. */
    const char *start = at;
    while (start > text) {
        const char *line = start - 1;
        while (line > text && line[-1] != '\n')
            line--;
        if (strncmp(line, "#   ", 4) != 0)
            break;
        start = line;
    }
    k2e_buf buf;
    k2e_buf_init(&buf);
    k2e_buf_printf(&buf, "%s:\n", examples[_i].key);
    size_t items = 0;
    for (const char *p = start; p < at + 1; p = strchr(p, '\n') + 1) {
        const char *end = strchr(p, '\n');
        k2e_buf_append(&buf, p + 1, (size_t)(end - p));   /* drop the '#' */
        items += strncmp(p, "#   - ", 6) == 0;
    }
    free(key_line);
    char *example = k2e_buf_detach(&buf);
    ck_assert_msg(items == examples[_i].entries, "%s: %zu example entries:\n%s",
                  examples[_i].key, items, example);
    bool ok = load(example);
    ck_assert_msg(ok, "the %s example does not load (%s):\n%s", examples[_i].key,
                  diags.count ? diags.items[0].message : "-", example);
    free(example);
}
END_TEST

START_TEST(two_documents_are_e020)
{
    assert_mapping_error("region: eu-west-1\n---\ncluster: c\n", 3);
}
END_TEST

/* --- Secrets ------------------------------------------------------------------------- */

START_TEST(secrets_entry_needs_exactly_one_source)
{
    const k2e_diag *d = assert_mapping_error("secrets:\n"
                                             "- name: db\n"
                                             "  secretsManagerArn: arn:aws:secretsmanager:r:1:secret:db\n"
                                             "  ssmPrefix: /prod/db/\n", 2);
    ck_assert_ptr_nonnull(strstr(d->message, "exactly one"));
}
END_TEST

START_TEST(secrets_entry_with_neither_source_is_e020)
{
    const k2e_diag *d = assert_mapping_error("secrets:\n"
                                             "- {name: db}\n", 2);
    ck_assert_ptr_nonnull(strstr(d->message, "exactly one"));
}
END_TEST

static const char secrets_text[] =
    "secrets:\n"
    "- name: db\n"
    "  ssmPrefix: /prod/db/\n"
    "- name: db\n"
    "  namespace: payments\n"
    "  secretsManagerArn: arn:aws:secretsmanager:eu-west-1:123456789012:secret:pay-db\n"
    "- name: api-keys\n"
    "  ssmPrefix: /keys/\n"
    "  keys: [STRIPE, SENTRY]\n";

START_TEST(secrets_entries_load)
{
    ck_assert(load(secrets_text));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert_uint_eq(mapping.secret_count, 3);
    ck_assert_str_eq(mapping.secrets[0].name, "db");
    ck_assert_ptr_null(mapping.secrets[0].namespace_);
    ck_assert_str_eq(mapping.secrets[0].ssm_prefix, "/prod/db/");
    ck_assert_ptr_null(mapping.secrets[0].secrets_manager_arn);
    ck_assert_uint_eq(mapping.secrets[0].origin->line, 2);
    ck_assert_uint_eq(mapping.secrets[2].keys.count, 2);
    ck_assert_str_eq(mapping.secrets[2].keys.items[1], "SENTRY");
}
END_TEST

START_TEST(secret_lookup_matches_namespace)
{
    ck_assert(load(secrets_text));
    const k2e_secret_entry *s = k2e_mapping_secret(&mapping, "db", "default", "default");
    ck_assert_ptr_eq(s, &mapping.secrets[0]);
    s = k2e_mapping_secret(&mapping, "db", "payments", "default");
    ck_assert_ptr_eq(s, &mapping.secrets[1]);
    ck_assert_str_eq(s->secrets_manager_arn,
                     "arn:aws:secretsmanager:eu-west-1:123456789012:secret:pay-db");
    ck_assert_ptr_null(k2e_mapping_secret(&mapping, "db", "qa", "default"));
    ck_assert_ptr_null(k2e_mapping_secret(&mapping, "dbx", "default", "default"));
    /* an entry without namespace applies to the run's default namespace */
    s = k2e_mapping_secret(&mapping, "db", "qa", "qa");
    ck_assert_ptr_eq(s, &mapping.secrets[0]);
    s = k2e_mapping_secret(&mapping, "api-keys", "default", "default");
    ck_assert_ptr_eq(s, &mapping.secrets[2]);
}
END_TEST

START_TEST(secret_lookup_without_entries)
{
    ck_assert(k2e_mapping_load(&mapping, NULL, &diags));
    ck_assert_ptr_null(k2e_mapping_secret(&mapping, "db", "default", "default"));
}
END_TEST

/* --- Images ---------------------------------------------------------------------------- */

START_TEST(rewrite_image_first_match_wins)
{
    ck_assert(load("images:\n"
                   "- {from: \"gcr.io/acme/\", to: \"123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/\"}\n"
                   "- {from: \"gcr.io/\", to: \"mirror.example.com/gcr/\"}\n"
                   "- {from: \"gcr.io/acme/special\", to: \"never/\"}\n"));
    char *out = k2e_mapping_rewrite_image(&mapping, "gcr.io/acme/api:1.2");
    ck_assert_str_eq(out, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/api:1.2");
    free(out);
    out = k2e_mapping_rewrite_image(&mapping, "gcr.io/acme/special:1");
    ck_assert_str_eq(out, "123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/special:1");
    free(out);
    out = k2e_mapping_rewrite_image(&mapping, "gcr.io/other/x@sha256:abc");
    ck_assert_str_eq(out, "mirror.example.com/gcr/other/x@sha256:abc");
    free(out);
    out = k2e_mapping_rewrite_image(&mapping, "nginx:1.25");
    ck_assert_str_eq(out, "nginx:1.25");
    free(out);
}
END_TEST

START_TEST(rewrite_image_order_matters_not_length)
{
    ck_assert(load("images:\n"
                   "- {from: \"gcr.io/\", to: \"m/\"}\n"
                   "- {from: \"gcr.io/acme/\", to: \"e/\"}\n"));
    char *out = k2e_mapping_rewrite_image(&mapping, "gcr.io/acme/api");
    ck_assert_str_eq(out, "m/acme/api");
    free(out);
}
END_TEST

START_TEST(rewrite_image_without_rules_copies)
{
    ck_assert(k2e_mapping_load(&mapping, NULL, &diags));
    char *out = k2e_mapping_rewrite_image(&mapping, "busybox");
    ck_assert_str_eq(out, "busybox");
    free(out);
}
END_TEST

/* --- Templates ----------------------------------------------------------------------------- */

START_TEST(expand_template_replaces_every_token)
{
    char *out = k2e_expand_template("/{namespace}/{name}/{kind}/{family}/{name}", "api", "web",
                                    "Deployment", "web-api");
    ck_assert_str_eq(out, "/web/api/Deployment/web-api/api");
    free(out);
}
END_TEST

START_TEST(expand_template_null_value_leaves_token)
{
    char *out = k2e_expand_template("{namespace}-{name}-{family}", "api", NULL, NULL, NULL);
    ck_assert_str_eq(out, "{namespace}-api-{family}");
    free(out);
}
END_TEST

START_TEST(expand_template_unknown_tokens_and_braces_stay)
{
    char *out = k2e_expand_template("{{name}} {nam} {other} {", "x", "y", "z", "f");
    ck_assert_str_eq(out, "{x} {nam} {other} {");
    free(out);
    out = k2e_expand_template("", "x", "y", "z", "f");
    ck_assert_str_eq(out, "");
    free(out);
}
END_TEST

START_TEST(expand_template_values_are_not_reexpanded)
{
    char *out = k2e_expand_template("{name}", "{namespace}", "ns", NULL, NULL);
    ck_assert_str_eq(out, "{namespace}");
    free(out);
}
END_TEST

/* --- Indexed lookups (issue 11) -------------------------------------------------- */

/* Many entries of every looked-up list, names repeated across namespaces
 * and entries without a namespace mixed in: every lookup gives the entry a
 * scan in file order gives. */
START_TEST(lookups_with_many_entries_agree_with_a_scan)
{
    k2e_buf text;
    k2e_buf_init(&text);
    static const char *const lists[] = {"secrets", "volumes", "taskRoles", "targetGroups"};
    for (int l = 0; l < 4; l++) {
        k2e_buf_printf(&text, "%s:\n", lists[l]);
        for (int i = 0; i < 300; i++) {
            char ns[32] = "";
            if (i % 3)
                snprintf(ns, sizeof ns, ", namespace: ns%d", i % 5);
            const char *name = l == 0 ? "name" : l == 1 ? "claim" : l == 2 ? "serviceAccount"
                                                                              : "service";
            const char *rest = l == 0 ? "ssmPrefix: /p/" : l == 1 ? "fileSystemId: fs-1"
                             : l == 2 ? "roleArn: arn:aws:iam::123456789012:role/r"
                                      : "port: 80, arn: arn:aws:elasticloadbalancing:x";
            k2e_buf_printf(&text, "  - {%s: n%d%s, %s}\n", name, i % 40, ns, rest);
        }
    }
    k2e_buf_puts(&text, "imagePullSecrets:\n");
    for (int i = 0; i < 300; i++)
        k2e_buf_printf(&text, "  - {name: n%d, credentialsParameter: arn:x:%d}\n", i % 40, i);
    k2e_buf_puts(&text, "serviceDiscovery:\n  mode: cloudMap\n  registries:\n");
    for (int i = 0; i < 300; i++)
        k2e_buf_printf(&text, "    - {service: n%d%s, arn: arn:r:%d}\n", i % 40,
                       i % 3 ? ", namespace: ns1" : "", i);
    ck_assert_msg(load(text.data), "%s", diags.count ? diags.items[0].message : "");
    static const char *const namespaces[] = {"ns0", "ns1", "ns2", "ns3", "ns4", "other"};
    for (int n = 0; n < 42; n++) {
        char name[16];
        snprintf(name, sizeof name, "n%d", n);
        for (size_t s = 0; s < 6; s++) {
            for (size_t d = 0; d < 2; d++) {
                const char *ns = namespaces[s], *def = d ? "ns1" : "default";
                const void *want = NULL;
                for (size_t i = 0; i < mapping.secret_count && !want; i++) {
                    const k2e_secret_entry *e = &mapping.secrets[i];
                    if (strcmp(e->name, name) == 0 &&
                        strcmp(e->namespace_ ? e->namespace_ : def, ns) == 0)
                        want = e;
                }
                ck_assert_ptr_eq(k2e_mapping_secret(&mapping, name, ns, def), want);
                want = NULL;
                for (size_t i = 0; i < mapping.efs_volume_count && !want; i++) {
                    const k2e_efs_volume *e = &mapping.efs_volumes[i];
                    if (strcmp(e->claim, name) == 0 &&
                        strcmp(e->namespace_ ? e->namespace_ : def, ns) == 0)
                        want = e;
                }
                ck_assert_ptr_eq(k2e_mapping_efs_volume(&mapping, name, ns, def), want);
                want = NULL;
                for (size_t i = 0; i < mapping.task_role_count && !want; i++) {
                    const k2e_task_role *e = &mapping.task_roles[i];
                    if (strcmp(e->service_account, name) == 0 &&
                        strcmp(e->namespace_ ? e->namespace_ : def, ns) == 0)
                        want = e;
                }
                ck_assert_ptr_eq(k2e_mapping_task_role(&mapping, name, ns, def), want);
                want = NULL;
                for (size_t i = 0; i < mapping.target_group_count && !want; i++) {
                    const k2e_target_group *e = &mapping.target_groups[i];
                    if (strcmp(e->service, name) == 0 &&
                        strcmp(e->namespace_ ? e->namespace_ : def, ns) == 0)
                        want = e;
                }
                ck_assert_ptr_eq(k2e_mapping_target_group(&mapping, name, ns, def, "80", NULL),
                                 want);
                ck_assert_ptr_null(k2e_mapping_target_group(&mapping, name, ns, def, "81", "x"));
                want = NULL;
                for (size_t i = 0; i < mapping.registry_count && !want; i++) {
                    const k2e_registry *e = &mapping.registries[i];
                    if (strcmp(e->service, name) == 0 &&
                        strcmp(e->namespace_ ? e->namespace_ : def, ns) == 0)
                        want = e;
                }
                ck_assert_ptr_eq(k2e_mapping_registry(&mapping, name, ns, def), want);
            }
        }
        const k2e_pull_secret *p = k2e_mapping_pull_secret(&mapping, name);
        if (n < 40)
            ck_assert_ptr_eq(p, &mapping.pull_secrets[n]);
        else
            ck_assert_ptr_null(p);
    }
    k2e_buf_release(&text);
}
END_TEST

/* Entries in the default namespace written both ways: the first in file
 * order wins, whichever way it is written. */
START_TEST(first_entry_wins_between_explicit_and_implicit_namespace)
{
    ck_assert(load("secrets:\n"
                   "  - {name: db, namespace: default, ssmPrefix: /a/}\n"
                   "  - {name: db, ssmPrefix: /b/}\n"
                   "  - {name: api, ssmPrefix: /c/}\n"
                   "  - {name: api, namespace: default, ssmPrefix: /d/}\n"));
    ck_assert_str_eq(k2e_mapping_secret(&mapping, "db", "default", "default")->ssm_prefix, "/a/");
    ck_assert_str_eq(k2e_mapping_secret(&mapping, "api", "default", "default")->ssm_prefix,
                     "/c/");
    ck_assert_str_eq(k2e_mapping_secret(&mapping, "db", "qa", "qa")->ssm_prefix, "/b/");
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("mapping_table");
    TCase *t = tcase_create("defaults");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, default_text_is_the_embedded_yaml);
    tcase_add_test(t, defaults_load_without_user_file);
    tcase_add_test(t, defaults_flag_every_placeholder);
    tcase_add_test(t, placeholder_key_names);
    tcase_add_test(t, used_placeholders_are_reported_at_the_default_line);
    tcase_add_test(t, unused_placeholders_are_not_reported);
    suite_add_tcase(s, t);

    t = tcase_create("user_file");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, user_file_overrides_and_merges_nested_maps);
    tcase_add_test(t, user_values_clear_their_placeholder_flags);
    tcase_add_test(t, user_lists_replace_whole);
    tcase_add_test(t, empty_user_file_changes_nothing);
    tcase_add_test(t, missing_user_file_is_e001);
    tcase_add_test(t, user_file_syntax_error_is_e002);
    suite_add_tcase(s, t);

    t = tcase_create("errors");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, unknown_top_level_key_is_e020_at_its_line);
    tcase_add_test(t, unknown_nested_key_is_e020_with_its_path);
    tcase_add_test(t, unknown_key_in_a_secrets_entry_is_e020);
    tcase_add_test(t, unknown_key_with_mapping_value_points_at_the_key);
    tcase_add_loop_test(t, wrong_types_are_e020, 0,
                        (int)(sizeof type_errors / sizeof type_errors[0]));
    tcase_add_test(t, number_for_account_id_hints_at_quoting);
    tcase_add_test(t, two_documents_are_e020);
    tcase_add_test(t, boolean_where_a_string_is_expected_hints_at_quoting_that_value);
    tcase_add_loop_test(t, misspelt_nested_keys_get_did_you_mean, 0,
                        (int)(sizeof misspelt / sizeof misspelt[0]));
    tcase_add_test(t, bad_list_item_does_not_blame_its_siblings);
    tcase_add_loop_test(t, commented_examples_in_the_default_parse, 0,
                        (int)(sizeof examples / sizeof examples[0]));
    suite_add_tcase(s, t);

    t = tcase_create("secrets");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, secrets_entry_needs_exactly_one_source);
    tcase_add_test(t, secrets_entry_with_neither_source_is_e020);
    tcase_add_test(t, secrets_entries_load);
    tcase_add_test(t, secret_lookup_matches_namespace);
    tcase_add_test(t, secret_lookup_without_entries);
    suite_add_tcase(s, t);

    t = tcase_create("indexed_lookups");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, lookups_with_many_entries_agree_with_a_scan);
    tcase_add_test(t, first_entry_wins_between_explicit_and_implicit_namespace);
    suite_add_tcase(s, t);

    t = tcase_create("images_and_templates");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, rewrite_image_first_match_wins);
    tcase_add_test(t, rewrite_image_order_matters_not_length);
    tcase_add_test(t, rewrite_image_without_rules_copies);
    tcase_add_test(t, expand_template_replaces_every_token);
    tcase_add_test(t, expand_template_null_value_leaves_token);
    tcase_add_test(t, expand_template_unknown_tokens_and_braces_stay);
    tcase_add_test(t, expand_template_values_are_not_reexpanded);
    suite_add_tcase(s, t);
    return s;
}
