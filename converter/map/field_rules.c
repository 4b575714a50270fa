/* The field-rule engine; see field_rules.h. */
#include "map/field_rules.h"

#include <string.h>

/* Is `text` one of the '|'-separated values of `quiet`? */
static bool matches(const char *text, const char *quiet)
{
    if (!quiet || !text)
        return false;
    if (strcmp(quiet, K2E_ANY) == 0)
        return true;
    size_t n = strlen(text);
    for (const char *p = quiet; *p;) {
        size_t len = strcspn(p, "|");
        if (len == n && strncmp(p, text, n) == 0)
            return true;
        p += len + (p[len] == '|');
    }
    return false;
}

static bool applies(const k2e_field_rule *rule, const char *kind)
{
    return !rule->kind || (kind && strcmp(rule->kind, kind) == 0);
}

static const char *message_of(const k2e_field_rule *rule, k2e_rules_variant variant)
{
    return variant == K2E_RULES_SCHEDULED && rule->scheduled ? rule->scheduled : rule->message;
}

/* An absent field with a behavioural default: judged as if written. */
static bool judge_default(k2e_diags *diags, const k2e_node *root, const k2e_node *at,
                          const k2e_field_rule *rule, k2e_rules_variant variant)
{
    if (!rule->k8s_default || matches(rule->k8s_default, rule->quiet) || !at)
        return false;
    k2e_diag_at(diags, rule->code, at, root, rule->hint, "%s %s (Kubernetes' default): %s",
                rule->field, rule->k8s_default, message_of(rule, variant));
    return k2e_diag_code_severity(rule->code) == K2E_SEV_ERROR;
}

/* A scalar's text as Kubernetes reads it: YAML 1.1 booleans (yes, On...)
 * are true or false. */
static const char *value_text(const k2e_node *node)
{
    if (!k2e_is_scalar(node))
        return NULL;
    if (k2e_scalar_type_of(node) != K2E_SCALAR_BOOL)
        return node->value;
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    bool value = false;
    k2e_as_bool(node, node, &value, &scratch);
    k2e_diags_release(&scratch);
    return value ? "true" : "false";
}

static bool judge(k2e_diags *diags, const k2e_node *root, k2e_node *node,
                  const k2e_field_rule *rule, k2e_rules_variant variant)
{
    k2e_consume_all(node);
    const char *text = value_text(node);
    bool scalar = text != NULL;
    if (k2e_is_null(node) || matches(text, rule->quiet) ||
        (rule->quiet && strcmp(rule->quiet, K2E_ANY) == 0))
        return false;
    k2e_diag_at(diags, rule->code, node, root, rule->hint, "%s%s%s: %s", rule->field,
                scalar ? " " : "", scalar ? text : "", message_of(rule, variant));
    return k2e_diag_code_severity(rule->code) == K2E_SEV_ERROR;
}

bool k2e_field_rules_apply(k2e_diags *diags, const k2e_node *root, k2e_node *map,
                           const k2e_node *at, const char *kind, const k2e_field_rule *rules,
                           k2e_rules_variant variant)
{
    bool error = false;
    for (const k2e_field_rule *rule = rules; rule->field; rule++) {
        if (!applies(rule, kind))
            continue;
        k2e_node *node = k2e_get(map, rule->field);
        error |= node ? judge(diags, root, node, rule, variant)
                      : judge_default(diags, root, map ? map : at, rule, variant);
    }
    return error;
}
