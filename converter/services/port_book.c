/* A task definition's port mappings by name, number and (container,
 * number): see port_book.h.  Keys are composite (k2e_compose_key) with a
 * leading tag, so a port named "80" and port number 80 never meet. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "services/port_book.h"

static const char *container_name(const json_t *container)
{
    const char *name = json_string_value(json_object_get(container, "name"));
    return name ? name : "";
}

/* Records key -> ref unless an earlier mapping has the key already. */
static bool record_key(k2e_port_book *book, k2e_port_ref *ref, const char *key, size_t length)
{
    bool added = false;
    k2e_strmap_entry *entry = k2e_strmap_upsert(&book->by_key, key, length, &added);
    if (!entry)
        return false;
    if (added)
        entry->value = ref;
    return true;
}

static bool record_name(k2e_port_book *book, k2e_port_ref *ref)
{
    const char *name = json_string_value(json_object_get(ref->mapping, "name"));
    if (!name)
        return true;
    size_t length = 0;
    const char *key = k2e_compose_key(&book->key, &length, "name", name, (const char *)NULL);
    return key && record_key(book, ref, key, length);
}

const char *k2e_port_protocol(const json_t *mapping)
{
    const char *protocol = json_string_value(json_object_get(mapping, "protocol"));
    return protocol ? protocol : "tcp";
}

static bool record_numbers(k2e_port_book *book, k2e_port_ref *ref)
{
    char number[32];
    snprintf(number, sizeof number, "%" PRId64,
             (int64_t)json_integer_value(json_object_get(ref->mapping, "containerPort")));
    const char *protocol = k2e_port_protocol(ref->mapping);
    size_t length = 0;
    const char *key = k2e_compose_key(&book->key, &length, "port", number, protocol,
                                      (const char *)NULL);
    if (!key || !record_key(book, ref, key, length))
        return false;
    key = k2e_compose_key(&book->key, &length, "in", container_name(ref->container), number,
                          protocol, (const char *)NULL);
    return key && record_key(book, ref, key, length);
}

static k2e_port_ref *new_ref(k2e_port_book *book, json_t *container, json_t *mapping)
{
    if (book->count == book->capacity) {
        size_t capacity = book->capacity ? 2 * book->capacity : 8;
        k2e_port_ref **refs = k2e_realloc(book->refs, capacity * sizeof *refs);
        if (!refs)
            return NULL;
        book->refs = refs;
        book->capacity = capacity;
    }
    k2e_port_ref *ref = k2e_malloc(sizeof *ref);
    if (!ref)
        return NULL;
    *ref = (k2e_port_ref){container, mapping};
    book->refs[book->count++] = ref;
    return ref;
}

bool k2e_port_book_add(k2e_port_book *book, json_t *container, json_t *mapping)
{
    k2e_port_ref *ref = new_ref(book, container, mapping);
    return ref && record_name(book, ref) && record_numbers(book, ref);
}

bool k2e_port_book_named(k2e_port_book *book, json_t *container, json_t *mapping)
{
    k2e_port_ref *ref = new_ref(book, container, mapping);
    return ref && record_name(book, ref);
}

bool k2e_port_book_open(k2e_port_book *book, json_t *task_definition)
{
    *book = (k2e_port_book){0};
    k2e_strmap_init(&book->by_key);
    k2e_buf_init(&book->key);
    size_t i, j;
    json_t *container, *mapping;
    json_array_foreach(json_object_get(task_definition, "containerDefinitions"), i, container) {
        json_array_foreach(json_object_get(container, "portMappings"), j, mapping) {
            if (!k2e_port_book_add(book, container, mapping))
                return false;
        }
    }
    return true;
}

void k2e_port_book_close(k2e_port_book *book)
{
    for (size_t i = 0; i < book->count; i++)
        free(book->refs[i]);
    free(book->refs);
    k2e_strmap_release(&book->by_key);
    k2e_buf_release(&book->key);
    *book = (k2e_port_book){0};
}

/* Looks up the key of two to four parts (the unused ones NULL). */
static const k2e_port_ref *lookup(k2e_port_book *book, const char *tag, const char *second,
                                  const char *third, const char *fourth)
{
    size_t length = 0;
    const char *key = k2e_compose_key(&book->key, &length, tag, second, third, fourth,
                                      (const char *)NULL);
    return key ? k2e_strmap_get(&book->by_key, key, length) : NULL;
}

const k2e_port_ref *k2e_port_book_by_name(k2e_port_book *book, const char *name)
{
    return lookup(book, "name", name, NULL, NULL);
}

const k2e_port_ref *k2e_port_book_by_number(k2e_port_book *book, int64_t number,
                                            const char *protocol)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, number);
    return lookup(book, "port", text, protocol, NULL);
}

const k2e_port_ref *k2e_port_book_in_container(k2e_port_book *book, const char *container,
                                               int64_t number, const char *protocol)
{
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, number);
    return lookup(book, "in", container, text, protocol);
}
