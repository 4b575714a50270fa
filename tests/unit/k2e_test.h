/* Shared scaffolding for the Check unit suites: each tests/unit/test_X.c
 * defines k2e_test_suite() and links with k2e_test.c, which provides main(). */
#ifndef K2E_TEST_H
#define K2E_TEST_H
#include <check.h>

Suite *k2e_test_suite(void);

#endif
