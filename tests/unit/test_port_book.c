/* The port book (services/port_book.c) answers as the scans it replaced:
 * the first mapping in container order, then portMappings order, wins. */
#include <string.h>

#include "k2e_test.h"
#include "services/port_book.h"

static json_t *task_definition(void)
{
    return json_pack("{s:[{s:s, s:[{s:i, s:s}, {s:i}]}, {s:s, s:[{s:i, s:s}, {s:i, s:s}]}]}",
                     "containerDefinitions",
                     "name", "app", "portMappings", "containerPort", 8080, "name", "http",
                     "containerPort", 9090,
                     "name", "sidecar", "portMappings", "containerPort", 8080, "name", "admin",
                     "containerPort", 9091, "name", "http");
}

static const char *container_of(const k2e_port_ref *ref)
{
    return json_string_value(json_object_get(ref->container, "name"));
}

START_TEST(first_mapping_wins)
{
    json_t *td = task_definition();
    k2e_port_book book;
    ck_assert(k2e_port_book_open(&book, td));
    const k2e_port_ref *ref = k2e_port_book_by_number(&book, 8080, "tcp");
    ck_assert_ptr_nonnull(ref);
    ck_assert_str_eq(container_of(ref), "app");
    ref = k2e_port_book_by_name(&book, "http");
    ck_assert_str_eq(container_of(ref), "app");
    ck_assert_int_eq(json_integer_value(json_object_get(ref->mapping, "containerPort")), 8080);
    ref = k2e_port_book_in_container(&book, "sidecar", 8080, "tcp");
    ck_assert_str_eq(json_string_value(json_object_get(ref->mapping, "name")), "admin");
    ck_assert_ptr_null(k2e_port_book_in_container(&book, "app", 9091, "tcp"));
    ck_assert_ptr_null(k2e_port_book_by_name(&book, "8080"));
    ck_assert_ptr_null(k2e_port_book_by_number(&book, 1, "tcp"));
    k2e_port_book_close(&book);
    json_decref(td);
}
END_TEST

START_TEST(added_and_named_mappings_are_found)
{
    json_t *td = task_definition();
    k2e_port_book book;
    ck_assert(k2e_port_book_open(&book, td));
    json_t *app = json_array_get(json_object_get(td, "containerDefinitions"), 0);
    json_t *added = json_pack("{s:i}", "containerPort", 7000);
    json_array_append_new(json_object_get(app, "portMappings"), added);
    ck_assert(k2e_port_book_add(&book, app, added));
    ck_assert_ptr_eq(k2e_port_book_by_number(&book, 7000, "tcp")->mapping, added);
    ck_assert_ptr_eq(k2e_port_book_in_container(&book, "app", 7000, "tcp")->mapping, added);
    json_t *unnamed = json_array_get(json_object_get(app, "portMappings"), 1);
    json_object_set_new(unnamed, "name", json_string("metrics"));
    ck_assert(k2e_port_book_named(&book, app, unnamed));
    ck_assert_ptr_eq(k2e_port_book_by_name(&book, "metrics")->mapping, unnamed);
    k2e_port_book_close(&book);
    json_decref(td);
}
END_TEST

/* Kubernetes matches number AND protocol: a TCP lookup never finds the
 * UDP mapping of the same number, wherever it comes in the list. */
START_TEST(numbers_match_with_their_protocol)
{
    json_t *td = json_pack("{s:[{s:s, s:[{s:i, s:s}, {s:i, s:s}, {s:i}]}]}",
                           "containerDefinitions", "name", "dns", "portMappings",
                           "containerPort", 53, "protocol", "udp",
                           "containerPort", 53, "protocol", "tcp", "containerPort", 7946);
    json_t *mappings = json_object_get(json_array_get(json_object_get(td,
                                       "containerDefinitions"), 0), "portMappings");
    k2e_port_book book;
    ck_assert(k2e_port_book_open(&book, td));
    ck_assert_ptr_eq(k2e_port_book_by_number(&book, 53, "udp")->mapping,
                     json_array_get(mappings, 0));
    ck_assert_ptr_eq(k2e_port_book_by_number(&book, 53, "tcp")->mapping,
                     json_array_get(mappings, 1));
    ck_assert_ptr_eq(k2e_port_book_in_container(&book, "dns", 53, "tcp")->mapping,
                     json_array_get(mappings, 1));
    /* no protocol written: tcp, as in ECS */
    ck_assert_ptr_nonnull(k2e_port_book_by_number(&book, 7946, "tcp"));
    ck_assert_ptr_null(k2e_port_book_by_number(&book, 7946, "udp"));
    k2e_port_book_close(&book);
    json_decref(td);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("port_book");
    TCase *t = tcase_create("port_book");
    tcase_add_test(t, first_mapping_wins);
    tcase_add_test(t, added_and_named_mappings_are_found);
    tcase_add_test(t, numbers_match_with_their_protocol);
    suite_add_tcase(s, t);
    return s;
}
