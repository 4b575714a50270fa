/* Kubernetes labels -> ECS tags, under ECS's tag rules (at most 50 tags,
 * keys 1-128 and values up to 256 characters of letters, digits, spaces and
 * _ . : / = + - @, the aws: prefix reserved in any case).  One place for
 * task definitions, services and run-task inputs. */
#ifndef KUBE2ECS_TAGS_H
#define KUBE2ECS_TAGS_H

#include <stdbool.h>

#include <jansson.h>

#include "report/diags.h"
#include "read/yaml_tree.h"

/* A key and value ECS accepts as a tag. */
bool k2e_valid_tag(const char *key, const char *value);

/* [{key, value}] sorted by key (a label map has no order), or NULL when
 * there are no labels.  Consumes what it reads; each label that cannot be a
 * tag is K2E-W010 "label not converted to a <what>". */
json_t *k2e_labels_to_tags(k2e_node *labels, const k2e_node *root, const char *what,
                           k2e_diags *diags);

#endif
