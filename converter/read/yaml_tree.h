/* The reader: YAML/JSON bytes -> a tree of nodes that remember where they
 * came from and whether the converter used them.
 *
 * Every node carries its file, 1-based line and column, its parent, and a
 * `consumed` mark.  Mapping code marks what it reads; afterwards one walk
 * (k2e_report_unconsumed) turns every node nobody read into a diagnostic, so
 * no field can vanish silently.
 *
 * Memory: all nodes and strings of one file live in one arena owned by the
 * k2e_file; k2e_file_free releases everything at once.  Aliases are not
 * copied: an alias node is the anchored node itself (shared), and the cost of
 * its expansion is charged against a limit, so an alias bomb is rejected in
 * microseconds instead of being expanded.
 */
#ifndef KUBE2ECS_YAML_TREE_H
#define KUBE2ECS_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/diags.h"

typedef enum {
    K2E_NODE_SCALAR,
    K2E_NODE_SEQUENCE,
    K2E_NODE_MAPPING,
} k2e_node_kind;

/* How a scalar resolves, with the YAML 1.1 rules Kubernetes' decoder uses
 * (sigs.k8s.io/yaml on go-yaml v2): quoted scalars are always strings. */
typedef enum {
    K2E_SCALAR_STRING,
    K2E_SCALAR_INT,
    K2E_SCALAR_FLOAT,
    K2E_SCALAR_BOOL,
    K2E_SCALAR_NULL,
} k2e_scalar_type;

/* 72 bytes on 64-bit systems: with its text and its place in its parent's
 * arrays, a node costs 80-90 bytes (tests/unit/test_yaml_tree.c measures
 * it).  Lengths and counts are 32-bit: a document is at most 16 MiB. */
typedef struct k2e_node k2e_node;
struct k2e_node {
    k2e_node *parent;      /* NULL for a document root */
    const char *file;
    const char *key;       /* the key naming this node in its parent mapping */
    char *value;           /* scalars: NUL-terminated text */
    k2e_node **items;      /* sequences: items; mappings: values (NULL when empty) */
    k2e_node **keys;       /* mappings: key scalars, same order as items */
    uint32_t line;         /* 1-based */
    uint32_t column;       /* 1-based, in characters */
    uint32_t index;        /* position in the parent sequence (mapping: pair) */
    uint32_t length;       /* scalars: byte length (may hold no NUL) */
    uint32_t count;        /* sequences: items; mappings: pairs */
    uint8_t kind;          /* a k2e_node_kind */
    bool plain;            /* scalar written without quotes or tag */
    bool tagged_str;       /* explicit !!str */
    bool consumed;
};

typedef struct {
    size_t max_file_bytes;      /* whole input file */
    size_t max_document_bytes;  /* one YAML document */
    unsigned max_depth;         /* nesting of collections */
    size_t max_nodes;           /* nodes built per file */
    uint64_t max_expanded;      /* nodes that aliases add to one document */
} k2e_limits;

/* 64 MiB files, 16 MiB documents, depth 100, 4M nodes, 1M expanded. */
k2e_limits k2e_limits_default(void);

typedef struct k2e_arena k2e_arena;

typedef struct {
    k2e_node *root;
    unsigned line;
    unsigned column;
} k2e_document;

typedef struct {
    char *name;          /* as given on the command line ("<stdin>" for -) */
    k2e_arena *arena;
    k2e_document *documents;
    size_t count;
    size_t capacity;
} k2e_file;

/* Reads `size` bytes of YAML or JSON.  Adds an error diagnostic and returns
 * false on any problem; documents read before the problem are kept in *out
 * (still to be freed with k2e_file_free).  `name` is used in diagnostics. */
bool k2e_read_buffer(const char *name, const char *data, size_t size,
                     const k2e_limits *limits, k2e_file *out, k2e_diags *diags);

/* Reads a path ("-" = standard input). */
bool k2e_read_path(const char *path, const k2e_limits *limits, k2e_file *out,
                   k2e_diags *diags);

void k2e_file_free(k2e_file *file);

/* Bytes the file's nodes and text take (its arena). */
size_t k2e_file_memory(const k2e_file *file);

/* --- Node access ------------------------------------------------------ */

/* The value for `key` in a mapping, or NULL (also when `map` is NULL or not
 * a mapping).  k2e_get does not mark; k2e_take marks the value consumed.
 * Constant time on large mappings (they carry a hash table), so a loop that
 * looks every key of a mapping up is linear. */
k2e_node *k2e_get(const k2e_node *map, const char *key);
k2e_node *k2e_take(k2e_node *map, const char *key);

/* Marks a node (not its children) or a whole subtree consumed. */
void k2e_consume(k2e_node *node);
void k2e_consume_all(k2e_node *node);

k2e_scalar_type k2e_scalar_type_of(const k2e_node *node);
bool k2e_is_scalar(const k2e_node *node);
bool k2e_is_null(const k2e_node *node);   /* NULL pointer or a null scalar */

/* Typed reads.  On success they return true; on a wrong type they add a
 * K2E-E006 diagnostic at the node (path relative to `root`) and return
 * false.  They do not mark the node consumed. */
bool k2e_as_string(const k2e_node *node, const k2e_node *root,
                   const char **out, k2e_diags *diags);
bool k2e_as_int(const k2e_node *node, const k2e_node *root, int64_t *out,
                k2e_diags *diags);
bool k2e_as_bool(const k2e_node *node, const k2e_node *root, bool *out,
                 k2e_diags *diags);
/* A scalar of any type as text (quantities may be written as numbers). */
bool k2e_as_text(const k2e_node *node, const k2e_node *root, const char **out,
                 k2e_diags *diags);
bool k2e_expect_kind(const k2e_node *node, const k2e_node *root,
                     k2e_node_kind kind, k2e_diags *diags);

/* "spec.template.spec.containers[0].image" relative to root; keys that are
 * not plain identifiers are written ["like.this/one"].  Caller frees. */
char *k2e_node_path(const k2e_node *node, const k2e_node *root);

/* Where a diagnostic about `node` points: the key of a mapping value (a
 * field is reported where a reader looks for it, as the not-converted walk
 * does), the node itself otherwise (sequence items, roots, keys).  A value
 * merged in from elsewhere or shared by an alias is located where it was
 * written.  NULL for NULL. */
const k2e_node *k2e_node_locus(const k2e_node *node);

/* A diagnostic about `node`, located at k2e_node_locus(node), with its path
 * relative to `root`. */
bool k2e_diag_at(k2e_diags *diags, k2e_diag_code code, const k2e_node *node,
                 const k2e_node *root, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Reports every node under root that was never consumed as K2E-W010 "not
 * converted" (only the outermost unconsumed node of a subtree).  hint_for
 * may give a hint per path (NULL for the generic one). */
typedef const char *(*k2e_hint_fn)(const char *path, void *context);
void k2e_report_unconsumed(k2e_node *root, k2e_diags *diags,
                           k2e_hint_fn hint_for, void *context);

#endif
