/* A task definition's port mappings, found by name, by number or by
 * (container, number) without scanning: a Service with K ports over a task
 * definition with K port mappings costs K lookups, not K^2 comparisons.
 *
 * The book answers as the scans it replaces did: the first mapping in
 * container order, then in portMappings order, wins.  Mappings added or
 * named after the book is opened are recorded with k2e_port_book_add and
 * k2e_port_book_named.  The book borrows the task definition's values: it
 * must not outlive them.
 */
#ifndef K2E_PORT_BOOK_H
#define K2E_PORT_BOOK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/hash.h"
#include "base/util.h"

typedef struct {
    json_t *container;          /* the container definition */
    json_t *mapping;            /* one of its portMappings */
} k2e_port_ref;

typedef struct {
    k2e_strmap by_key;          /* composite key -> k2e_port_ref* (first wins) */
    k2e_port_ref **refs;        /* owned, one allocation each */
    size_t count, capacity;
    k2e_buf key;
} k2e_port_book;

/* Opens a book over every port mapping of the task definition; false when
 * out of memory (counted by the allocator). */
bool k2e_port_book_open(k2e_port_book *book, json_t *task_definition);
void k2e_port_book_close(k2e_port_book *book);

/* Records a mapping appended to a container after the book was opened. */
bool k2e_port_book_add(k2e_port_book *book, json_t *container, json_t *mapping);
/* Records that a mapping was given a name. */
bool k2e_port_book_named(k2e_port_book *book, json_t *container, json_t *mapping);

/* The first mapping with this name, or NULL. */
const k2e_port_ref *k2e_port_book_by_name(k2e_port_book *book, const char *name);
/* Numbers are looked up with their protocol, "tcp" or "udp" (a mapping
 * without one is tcp, as in ECS): Kubernetes matches a Service port to a
 * container port by number and protocol, so a TCP Service never lands on a
 * UDP mapping of the same number. */
/* The first mapping with this containerPort and protocol, or NULL. */
const k2e_port_ref *k2e_port_book_by_number(k2e_port_book *book, int64_t number,
                                            const char *protocol);
/* The first mapping of the named container with this containerPort and
 * protocol, or NULL. */
const k2e_port_ref *k2e_port_book_in_container(k2e_port_book *book, const char *container,
                                               int64_t number, const char *protocol);

/* A mapping's protocol: its "protocol", or "tcp" when it has none. */
const char *k2e_port_protocol(const json_t *mapping);

#endif
