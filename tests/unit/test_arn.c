/* Unit tests for base/arn.c: the partition of each documented region
 * family (botocore data/partitions.json) and the ARNs built from it. */
#include "k2e_test.h"

#include <stdlib.h>

#include "base/arn.h"

static const struct {
    const char *region;
    const char *partition;
} regions[] = {
    {"us-east-1", "aws"},         {"eu-west-3", "aws"},          {"il-central-1", "aws"},
    {"cn-north-1", "aws-cn"},     {"cn-northwest-1", "aws-cn"},  {"us-gov-west-1", "aws-us-gov"},
    {"us-gov-east-1", "aws-us-gov"}, {"us-iso-east-1", "aws-iso"}, {"us-isob-east-1", "aws-iso-b"},
    {"eu-isoe-west-1", "aws-iso-e"}, {"us-isof-south-1", "aws-iso-f"},
    {"eusc-de-east-1", "aws-eusc"}, {"", "aws"},
};

START_TEST(partition_of_each_region_family)
{
    ck_assert_str_eq(k2e_aws_partition(regions[_i].region), regions[_i].partition);
}
END_TEST

START_TEST(null_region_is_aws)
{
    ck_assert_str_eq(k2e_aws_partition(NULL), "aws");
}
END_TEST

START_TEST(arn_new_uses_the_partition)
{
    char *arn = k2e_arn_new("cn-north-1", "ssm", "123456789012", "parameter/db/password");
    ck_assert_str_eq(arn, "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/db/password");
    free(arn);
    arn = k2e_arn_new("us-gov-west-1", "sqs", "123456789012", "dlq");
    ck_assert_str_eq(arn, "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:dlq");
    free(arn);
    arn = k2e_arn_new("us-east-1", "ssm", "1", "parameter/x");
    ck_assert_str_eq(arn, "arn:aws:ssm:us-east-1:1:parameter/x");
    free(arn);
}
END_TEST

START_TEST(arn_in_region_swaps_the_partition)
{
    char *arn = k2e_arn_in_region("arn:aws:iam::000000000000:role/ecsTaskExecutionRole",
                                  "cn-northwest-1");
    ck_assert_str_eq(arn, "arn:aws-cn:iam::000000000000:role/ecsTaskExecutionRole");
    free(arn);
    arn = k2e_arn_in_region("arn:aws-cn:iam::1:role/x", "eu-west-1");
    ck_assert_str_eq(arn, "arn:aws:iam::1:role/x");
    free(arn);
    arn = k2e_arn_in_region("ecsTaskExecutionRole", "cn-north-1");
    ck_assert_str_eq(arn, "ecsTaskExecutionRole");
    free(arn);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *suite = suite_create("arn");
    TCase *tc = tcase_create("arn");
    tcase_add_loop_test(tc, partition_of_each_region_family, 0,
                        (int)(sizeof regions / sizeof regions[0]));
    tcase_add_test(tc, null_region_is_aws);
    tcase_add_test(tc, arn_new_uses_the_partition);
    tcase_add_test(tc, arn_in_region_swaps_the_partition);
    suite_add_tcase(suite, tc);
    return suite;
}
