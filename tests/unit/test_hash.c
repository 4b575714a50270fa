/* Unit tests for base/hash.c: the hash, the position table (growth, equal
 * hashes in insertion order, borrowed memory), k2e_strmap, k2e_multimap and
 * composite keys. */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

START_TEST(hash_is_stable_and_spreads)
{
    ck_assert_uint_eq(k2e_hash_string("app"), k2e_hash_bytes("app", 3));
    ck_assert_uint_ne(k2e_hash_string("app"), k2e_hash_string("apq"));
    ck_assert_uint_ne(k2e_hash_string(""), k2e_hash_string("a"));
    /* Lengths are hashed: trailing NULs are not lost. */
    ck_assert_uint_ne(k2e_hash_bytes("a\0", 2), k2e_hash_bytes("a", 1));
    /* Parts are delimited. */
    uint64_t ab_c = k2e_hash_more(k2e_hash_bytes("ab", 2), "c", 1);
    uint64_t a_bc = k2e_hash_more(k2e_hash_bytes("a", 1), "bc", 2);
    ck_assert_uint_ne(ab_c, a_bc);
    /* Keys longer than a word, differing only in the tail or the middle. */
    ck_assert_uint_ne(k2e_hash_string("app.kubernetes.io/name-1"),
                      k2e_hash_string("app.kubernetes.io/name-2"));
    ck_assert_uint_ne(k2e_hash_string("app.kubernetes.io/name"),
                      k2e_hash_string("app.kubernetes.io/nbme"));
}
END_TEST

START_TEST(hash_low_bits_differ_for_similar_keys)
{
    /* 4096 keys "key-N" into 8192 buckets by the low 13 bits: a hash that
     * kept the low bits of similar keys equal would pile them up. */
    enum { N = 4096, BUCKETS = 8192 };
    unsigned char *used = calloc(BUCKETS, 1);
    size_t distinct = 0;
    for (int i = 0; i < N; i++) {
        char key[32];
        snprintf(key, sizeof key, "key-%d", i);
        size_t b = k2e_hash_string(key) & (BUCKETS - 1);
        distinct += !used[b];
        used[b] = 1;
    }
    free(used);
    /* A random function fills about 8192 (1 - e^-0.5) = 3223 buckets. */
    ck_assert_uint_gt(distinct, 3000);
}
END_TEST

START_TEST(empty_table_finds_nothing)
{
    k2e_table t;
    k2e_table_init(&t);
    size_t cursor = 0;
    ck_assert_uint_eq(k2e_table_next(&t, 42, &cursor), K2E_ABSENT);
    k2e_table_release(&t);
}
END_TEST

START_TEST(table_grows_and_keeps_every_position)
{
    enum { N = 20000 };
    k2e_table t;
    k2e_table_init(&t);
    for (size_t i = 0; i < N; i++)
        ck_assert(k2e_table_add(&t, k2e_hash_bytes(&i, sizeof i), i));
    ck_assert_uint_eq(t.count, N);
    ck_assert_uint_ge(t.mask + 1, 2 * N); /* at most half full */
    for (size_t i = 0; i < N; i++) {
        uint64_t h = k2e_hash_bytes(&i, sizeof i);
        size_t cursor = 0, p, found = K2E_ABSENT;
        while ((p = k2e_table_next(&t, h, &cursor)) != K2E_ABSENT) {
            if (p == i)
                found = p;
        }
        ck_assert_uint_eq(found, i);
    }
    k2e_table_release(&t);
}
END_TEST

START_TEST(equal_hashes_come_back_in_insertion_order_across_growth)
{
    /* Many positions under one hash, interleaved with others that collide
     * with their slots, and a hash near the end of the table so that the
     * run wraps round: the order must survive every resize. */
    k2e_table t;
    k2e_table_init(&t);
    for (size_t i = 0; i < 300; i++) {
        ck_assert(k2e_table_add(&t, 7, 2 * i));
        ck_assert(k2e_table_add(&t, 0xFFFFFFFFu, 2 * i + 1));
    }
    size_t cursor = 0, p, expect = 0;
    while ((p = k2e_table_next(&t, 7, &cursor)) != K2E_ABSENT) {
        ck_assert_uint_eq(p, expect);
        expect += 2;
    }
    ck_assert_uint_eq(expect, 600);
    cursor = 0;
    expect = 1;
    while ((p = k2e_table_next(&t, 0xFFFFFFFFu, &cursor)) != K2E_ABSENT) {
        ck_assert_uint_eq(p, expect);
        expect += 2;
    }
    ck_assert_uint_eq(expect, 601);
    k2e_table_release(&t);
}
END_TEST

START_TEST(clear_keeps_memory_and_forgets)
{
    k2e_table t;
    k2e_table_init(&t);
    for (size_t i = 0; i < 100; i++)
        ck_assert(k2e_table_add(&t, i, i));
    k2e_slot *slots = t.slots;
    k2e_table_clear(&t);
    ck_assert_ptr_eq(t.slots, slots);
    ck_assert_uint_eq(t.count, 0);
    size_t cursor = 0;
    ck_assert_uint_eq(k2e_table_next(&t, 5, &cursor), K2E_ABSENT);
    ck_assert(k2e_table_add(&t, 5, 9));
    cursor = 0;
    ck_assert_uint_eq(k2e_table_next(&t, 5, &cursor), 9);
    k2e_table_release(&t);
}
END_TEST

START_TEST(borrowed_table_never_grows)
{
    size_t capacity = k2e_table_capacity_for(10);
    ck_assert_uint_ge(capacity, 20);
    ck_assert_uint_eq(capacity & (capacity - 1), 0);
    k2e_slot *slots = calloc(capacity, sizeof *slots);
    k2e_table t = k2e_table_over(slots, capacity);
    for (size_t i = 0; i < capacity / 2; i++)
        ck_assert(k2e_table_add(&t, i * 31, i));
    ck_assert(!k2e_table_add(&t, 1, 999)); /* would be more than half full */
    ck_assert_ptr_eq(t.slots, slots);
    size_t cursor = 0;
    ck_assert_uint_eq(k2e_table_next(&t, 3 * 31, &cursor), 3);
    k2e_table_release(&t); /* leaves borrowed memory alone */
    free(slots);
}
END_TEST

START_TEST(position_limit_is_refused)
{
    k2e_table t;
    k2e_table_init(&t);
    ck_assert(!k2e_table_add(&t, 1, (size_t)UINT32_MAX));
    ck_assert(k2e_table_add(&t, 1, (size_t)UINT32_MAX - 1));
    k2e_table_release(&t);
}
END_TEST

START_TEST(strmap_finds_every_key_and_no_other)
{
    enum { N = 5000 };
    k2e_strmap m;
    k2e_strmap_init(&m);
    static char keys[N][24];
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "ns-%d/name-%d", i % 13, i);
        ck_assert(k2e_strmap_put(&m, keys[i], strlen(keys[i]), keys[i]));
    }
    ck_assert_uint_eq(m.count, N);
    for (int i = 0; i < N; i++) {
        ck_assert_ptr_eq(k2e_strmap_get(&m, keys[i], strlen(keys[i])), keys[i]);
        ck_assert_str_eq(m.entries[i].key, keys[i]); /* insertion order */
    }
    ck_assert_ptr_null(k2e_strmap_get(&m, "ns-0/name-1", 11));
    ck_assert_ptr_null(k2e_strmap_get(&m, "ns-1/name-1x", 12));
    /* A prefix of a key is another key. */
    ck_assert_ptr_null(k2e_strmap_get(&m, keys[10], strlen(keys[10]) - 1));
    k2e_strmap_release(&m);
}
END_TEST

START_TEST(strmap_put_replaces_and_upsert_reports)
{
    k2e_strmap m;
    k2e_strmap_init(&m);
    int a, b;
    ck_assert(k2e_strmap_put(&m, "x", 1, &a));
    ck_assert(k2e_strmap_put(&m, "x", 1, &b));
    ck_assert_uint_eq(m.count, 1);
    ck_assert_ptr_eq(k2e_strmap_get(&m, "x", 1), &b);
    bool added;
    k2e_strmap_entry *e = k2e_strmap_upsert(&m, "y", 1, &added);
    ck_assert(added);
    ck_assert_ptr_null(e->value);
    e = k2e_strmap_upsert(&m, "x", 1, &added);
    ck_assert(!added);
    ck_assert_ptr_eq(e->value, &b);
    /* Keys with NULs inside are whole keys. */
    ck_assert(k2e_strmap_put(&m, "a\0b", 3, &a));
    ck_assert_ptr_null(k2e_strmap_get(&m, "a", 1));
    ck_assert_ptr_eq(k2e_strmap_get(&m, "a\0b", 3), &a);
    k2e_strmap_release(&m);
}
END_TEST

START_TEST(multimap_keeps_ids_in_order)
{
    k2e_multimap m;
    k2e_multimap_init(&m);
    for (size_t i = 0; i < 1000; i++) {
        char key[16];
        int n = snprintf(key, sizeof key, "k%zu", i % 7);
        ck_assert(k2e_multimap_add(&m, key, (size_t)n, i));
    }
    size_t count;
    const size_t *ids = k2e_multimap_get(&m, "k3", 2, &count);
    ck_assert_uint_eq(count, 143); /* 3, 10, ..., 997 */
    for (size_t i = 0; i < count; i++)
        ck_assert_uint_eq(ids[i], 3 + 7 * i);
    ck_assert_ptr_null(k2e_multimap_get(&m, "k7", 2, &count));
    ck_assert_uint_eq(count, 0);
    k2e_multimap_release(&m);
}
END_TEST

START_TEST(composite_keys_are_unambiguous)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    size_t n1, n2;
    const char *k = k2e_compose_key(&buf, &n1, "Service", "default", "web", NULL);
    ck_assert_uint_eq(n1, strlen("Service") + strlen("default") + strlen("web") + 3);
    ck_assert_mem_eq(k, "Service\0default\0web\0", n1);
    char *first = k2e_strndup(k, n1);
    k = k2e_compose_key(&buf, &n2, "Service", "defaultweb", "", NULL);
    ck_assert(n1 != n2 || memcmp(first, k, n1) != 0);
    k = k2e_compose_key(&buf, &n2, "", NULL);
    ck_assert_uint_eq(n2, 1);
    free(first);
    k2e_buf_release(&buf);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("hash");
    TCase *t = tcase_create("hash");
    tcase_add_test(t, hash_is_stable_and_spreads);
    tcase_add_test(t, hash_low_bits_differ_for_similar_keys);
    suite_add_tcase(s, t);

    t = tcase_create("table");
    tcase_add_test(t, empty_table_finds_nothing);
    tcase_add_test(t, table_grows_and_keeps_every_position);
    tcase_add_test(t, equal_hashes_come_back_in_insertion_order_across_growth);
    tcase_add_test(t, clear_keeps_memory_and_forgets);
    tcase_add_test(t, borrowed_table_never_grows);
    tcase_add_test(t, position_limit_is_refused);
    suite_add_tcase(s, t);

    t = tcase_create("maps");
    tcase_add_test(t, strmap_finds_every_key_and_no_other);
    tcase_add_test(t, strmap_put_replaces_and_upsert_reports);
    tcase_add_test(t, multimap_keeps_ids_in_order);
    tcase_add_test(t, composite_keys_are_unambiguous);
    suite_add_tcase(s, t);
    return s;
}
