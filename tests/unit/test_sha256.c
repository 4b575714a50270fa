/* SHA-256 (base/sha256.c) against FIPS 180-4's vectors and across block
 * boundaries fed in pieces. */
#include <string.h>

#include "k2e_test.h"
#include "base/sha256.h"

static void digest_of(const char *text, size_t size, char out[65])
{
    k2e_sha256 ctx;
    k2e_sha256_init(&ctx);
    k2e_sha256_update(&ctx, text, size);
    k2e_sha256_hex(&ctx, out);
}

START_TEST(standard_vectors)
{
    char hex[65];
    digest_of("", 0, hex);
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    digest_of("abc", 3, hex);
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    digest_of(two, strlen(two), hex);
    ck_assert_str_eq(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(pieces_and_a_million_a)
{
    char a[1001];
    memset(a, 'a', sizeof a);
    k2e_sha256 ctx;
    k2e_sha256_init(&ctx);
    for (int i = 0; i < 1000; i++)
        k2e_sha256_update(&ctx, a, (size_t)(i % 2 ? 999 : 1001)); /* odd piece sizes */
    char hex[65];
    k2e_sha256_hex(&ctx, hex);
    ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* 55, 56 and 64 bytes: padding that fits, just does not, and a full block */
    digest_of(a, 55, hex);
    ck_assert_str_eq(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
    digest_of(a, 56, hex);
    ck_assert_str_eq(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
    digest_of(a, 64, hex);
    ck_assert_str_eq(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("sha256");
    TCase *t = tcase_create("sha256");
    tcase_add_test(t, standard_vectors);
    tcase_add_test(t, pieces_and_a_million_a);
    suite_add_tcase(s, t);
    return s;
}
