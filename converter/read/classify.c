/* What an input file is; see classify.h.
 *
 * The tables below are the whole knowledge: adding a tool is one row.  A
 * name only ever refines a file that holds no Kubernetes object (a
 * values-ingress.yaml that does hold a ConfigMap is read like any other),
 * except the few names no manifest can have (kustomization.yaml,
 * Chart.yaml, values.schema.json).
 */
#include "read/classify.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

typedef struct {
    const char *pattern;   /* fnmatch() on the base name */
    k2e_input_kind kind;
    const char *what;
} name_rule;

/* Decided by the name alone. */
static const name_rule fixed_names[] = {
    {"kustomization.yaml", K2E_INPUT_KUSTOMIZE, "a kustomization file"},
    {"kustomization.yml", K2E_INPUT_KUSTOMIZE, "a kustomization file"},
    {"Kustomization", K2E_INPUT_KUSTOMIZE, "a kustomization file"},
    {"Chart.yaml", K2E_INPUT_HELM_CHART, "a Helm chart's Chart.yaml"},
    {"values.schema.json", K2E_INPUT_HELM_CHART, "a Helm chart's values schema"},
};

/* What a file without Kubernetes objects is, by its name. */
static const name_rule objectless_names[] = {
    {"values*.yaml", K2E_INPUT_HELM_CHART, "a Helm values file"},
    {"values*.yml", K2E_INPUT_HELM_CHART, "a Helm values file"},
    {"package.json", K2E_INPUT_TOOL_CONFIG, "a Node.js package manifest"},
    {"package-lock.json", K2E_INPUT_TOOL_CONFIG, "an npm lock file"},
    {"tsconfig*.json", K2E_INPUT_TOOL_CONFIG, "a TypeScript configuration"},
    {"composer.json", K2E_INPUT_TOOL_CONFIG, "a PHP Composer manifest"},
    {"renovate.json", K2E_INPUT_TOOL_CONFIG, "a Renovate configuration"},
    {"docker-compose*.y*ml", K2E_INPUT_TOOL_CONFIG, "a Docker Compose file"},
    {"compose.y*ml", K2E_INPUT_TOOL_CONFIG, "a Docker Compose file"},
    {"mkdocs.y*ml", K2E_INPUT_TOOL_CONFIG, "an MkDocs configuration"},
};

/* apiVersion groups of tools that borrowed the Kubernetes object shape for
 * their own configuration: nothing a cluster would ever run. */
static const struct {
    const char *prefix;
    k2e_input_kind kind;
    const char *what;
} tool_groups[] = {
    {"kustomize.config.k8s.io/", K2E_INPUT_KUSTOMIZE, "a kustomization file"},
    {"skaffold/", K2E_INPUT_TOOL_CONFIG, "a Skaffold configuration"},
    {"kpt.dev/", K2E_INPUT_TOOL_CONFIG, "a kpt package file"},
    {"backstage.io/", K2E_INPUT_TOOL_CONFIG, "a Backstage catalog entry"},
    {"kind.x-k8s.io/", K2E_INPUT_TOOL_CONFIG, "a kind cluster configuration"},
    {"k3d.io/", K2E_INPUT_TOOL_CONFIG, "a k3d cluster configuration"},
    {"ctlptl.dev/", K2E_INPUT_TOOL_CONFIG, "a ctlptl cluster configuration"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const name_rule *match_name(const name_rule *rules, size_t n, const char *base)
{
    for (size_t i = 0; i < n; i++) {
        if (fnmatch(rules[i].pattern, base, 0) == 0)
            return &rules[i];
    }
    return NULL;
}

bool k2e_classify_name(const char *base, k2e_input_class *out)
{
    const name_rule *rule = match_name(fixed_names, COUNT(fixed_names), base);
    if (!rule)
        return false;
    *out = (k2e_input_class){rule->kind, rule->what, 0, 0};
    return true;
}

/* --- Template actions in raw text -------------------------------------- */

typedef struct {
    const char *p, *end;    /* the line, without its '\n' */
    size_t indent;
} text_line;

/* Scanner state carried from line to line. */
typedef struct {
    long block_indent;      /* >= 0: in a block scalar below this column */
    char quote;             /* in a multi-line quoted scalar */
} scan_state;

static bool blank_line(const text_line *l)
{
    for (const char *q = l->p; q < l->end; q++) {
        if (*q != ' ' && *q != '\t' && *q != '\r')
            return false;
    }
    return true;
}

/* Skips a quoted scalar's body from q; returns where it ends (after the
 * closing quote) and clears *quote, or returns end with *quote still set. */
static const char *skip_quoted(const char *q, const char *end, char *quote)
{
    while (q < end) {
        if (*quote == '"' && *q == '\\') {
            q += 2;
            continue;
        }
        if (*q == *quote) {
            if (*quote == '\'' && q + 1 < end && q[1] == '\'') {
                q += 2;
                continue;
            }
            *quote = 0;
            return q + 1;
        }
        q++;
    }
    return end;
}

static bool space_or_end(const char *q, const char *end)
{
    return q >= end || *q == ' ' || *q == '\t' || *q == '\r';
}

/* Scans one line; returns the column (1-based) of a template action, or 0. */
static size_t scan_line(const text_line *l, scan_state *s)
{
    const char *q = l->p + l->indent, *end = l->end;
    if (s->quote)
        q = skip_quoted(l->p, end, &s->quote);
    bool value_start = !s->quote && q == l->p + l->indent;
    size_t anchor = l->indent;   /* column of the node a block scalar belongs to */
    size_t token = l->indent;
    while (q < end && !s->quote) {
        char c = *q;
        size_t col = (size_t)(q - l->p);
        if (c == ' ' || c == '\t' || c == '\r') {
            q++;
            continue;
        }
        if (c == '#' && (q == l->p || q[-1] == ' ' || q[-1] == '\t'))
            return 0;
        if (value_start && c == '{' && q + 1 < end && q[1] == '{')
            return col + 1;
        if (value_start && (c == '"' || c == '\'')) {
            s->quote = c;
            q = skip_quoted(q + 1, end, &s->quote);
            value_start = false;
            continue;
        }
        if (value_start && (c == '|' || c == '>')) {
            s->block_indent = (long)anchor;
            return 0;
        }
        if (value_start && (c == '-' || c == '?') && space_or_end(q + 1, end)) {
            anchor = col;
            q++;
            continue;
        }
        if (value_start && (c == '&' || c == '!' || c == '*')) {
            while (q < end && !space_or_end(q, end))
                q++;
            continue;
        }
        if (c == ':' && space_or_end(q + 1, end)) {
            anchor = token;
            value_start = true;
            q++;
            continue;
        }
        if (c == '[' || c == '{' || c == ',') {
            value_start = true;
            q++;
            continue;
        }
        if (value_start)
            token = col;
        value_start = false;
        q++;
    }
    return 0;
}

bool k2e_find_template_action(const char *data, size_t size, unsigned *line,
                              unsigned *column)
{
    scan_state s = {-1, 0};
    unsigned number = 1;
    for (size_t start = 0; start < size; number++) {
        const char *nl = memchr(data + start, '\n', size - start);
        text_line l = {data + start, nl ? nl : data + size, 0};
        while (l.p + l.indent < l.end && l.p[l.indent] == ' ')
            l.indent++;
        start = (size_t)(l.end - data) + 1;
        if (s.block_indent >= 0 && !s.quote) {
            if (blank_line(&l) || (long)l.indent > s.block_indent)
                continue;
            s.block_indent = -1;
        }
        size_t col = scan_line(&l, &s);
        if (col) {
            *line = number;
            *column = (unsigned)col;
            return true;
        }
    }
    return false;
}

/* --- Parsed documents ----------------------------------------------------- */

static bool object_like(const k2e_node *root)
{
    return k2e_get(root, "apiVersion") || k2e_get(root, "kind");
}

k2e_input_class k2e_classify_documents(const k2e_file *file, const char *base)
{
    k2e_input_class tool = {K2E_INPUT_NO_OBJECT, NULL, 0, 0};
    for (size_t i = 0; i < file->count; i++) {
        const k2e_node *root = file->documents[i].root;
        if (!object_like(root))
            continue;
        const k2e_node *api = k2e_get(root, "apiVersion");
        size_t t = 0;
        while (t < COUNT(tool_groups) &&
               !(k2e_is_scalar(api) && k2e_str_has_prefix(api->value, tool_groups[t].prefix)))
            t++;
        if (t == COUNT(tool_groups))
            return (k2e_input_class){K2E_INPUT_MANIFEST, NULL, 0, 0};
        tool = (k2e_input_class){tool_groups[t].kind, tool_groups[t].what, root->line,
                                 root->column};
    }
    if (tool.kind != K2E_INPUT_NO_OBJECT)
        return tool;
    const name_rule *rule = match_name(objectless_names, COUNT(objectless_names), base);
    if (rule)
        return (k2e_input_class){rule->kind, rule->what, 0, 0};
    return (k2e_input_class){K2E_INPUT_NO_OBJECT, file->count ? NULL : "empty", 0, 0};
}

/* --- Messages --------------------------------------------------------------- */

static char *hint_for(const k2e_input_class *c, const char *dir)
{
    const char *d = dir && dir[0] ? dir : "DIR";
    switch (c->kind) {
    case K2E_INPUT_KUSTOMIZE:
        return k2e_asprintf("kube2ecs reads rendered manifests: run `kubectl kustomize %s | "
                            "kube2ecs convert -` (or `kustomize build %s | kube2ecs convert -`)",
                            d, d);
    case K2E_INPUT_HELM_CHART:
    case K2E_INPUT_HELM_TEMPLATE:
        return k2e_asprintf("kube2ecs reads rendered manifests: run `helm template RELEASE %s "
                            "[-f VALUES.yaml] | kube2ecs convert -`", d);
    case K2E_INPUT_TOOL_CONFIG:
    case K2E_INPUT_NO_OBJECT:
    default:
        return k2e_strdup("a Kubernetes manifest has apiVersion, kind and metadata at the top "
                          "of each document; leave other files out with --exclude GLOB or a "
                          ".kube2ecsignore line");
    }
}

static char *message_for(const k2e_input_class *c, const char *name)
{
    switch (c->kind) {
    case K2E_INPUT_HELM_TEMPLATE:
        if (!c->line)
            return k2e_strdup("a Helm chart template (in templates/ beside Chart.yaml), "
                              "not rendered");
        return k2e_strdup("unrendered Helm template (a template action '{{' outside strings)");
    case K2E_INPUT_NO_OBJECT:
        if (c->what && strcmp(name, "<stdin>") == 0)
            return k2e_strdup("standard input is empty: no Kubernetes object");
        if (c->what)
            return k2e_strdup("empty file: no Kubernetes object");
        return k2e_strdup("no Kubernetes object (no document has apiVersion or kind)");
    default:
        return k2e_asprintf("%s, not a Kubernetes object", c->what ? c->what : "a tool's file");
    }
}

void k2e_input_report(const k2e_input_class *c, const char *name, const char *dir,
                      bool named, k2e_diags *diags)
{
    char *message = message_for(c, name);
    char *hint = hint_for(c, dir);
    bool stdin_empty = c->kind == K2E_INPUT_NO_OBJECT && c->what && strcmp(name, "<stdin>") == 0;
    if (stdin_empty) {
        free(hint);
        hint = k2e_strdup("did the command before `|` fail? kube2ecs reads what it prints, "
                          "e.g. `kubectl kustomize DIR | kube2ecs convert -`");
    }
    k2e_where where = {name, c->line, c->column, ""};
    if (named)
        k2e_diag_add(diags, K2E_E_NOT_OBJECT, where, hint, "%s", message ? message : "");
    else
        k2e_diag_add(diags, K2E_I_INPUT_SKIPPED, where, hint, "%s: skipped",
                     message ? message : "");
    free(message);
    free(hint);
}
