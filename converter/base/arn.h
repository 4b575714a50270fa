/* AWS partitions and the ARNs kube2ecs builds.
 *
 * An ARN starts with its partition: arn:aws: in the commercial regions, but
 * arn:aws-cn: in China, arn:aws-us-gov: in GovCloud and arn:aws-iso*: in the
 * isolated regions.  Every ARN the converter makes (SSM parameters, SQS
 * queues, the placeholder execution role) goes through k2e_arn_new, so the
 * region decides the partition in one place.
 *
 * The partition of a region is read from its name by the prefixes of the AWS
 * SDKs' partition metadata (botocore data/partitions.json, "regionRegex" of
 * each partition; the same file ships in every AWS SDK). */
#ifndef K2E_BASE_ARN_H
#define K2E_BASE_ARN_H

/* "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e",
 * "aws-iso-f" or "aws-eusc"; "aws" for NULL, empty and unknown names. */
const char *k2e_aws_partition(const char *region);

/* "arn:<partition of region>:<service>:<region>:<account>:<resource>";
 * region and account may be "" (IAM ARNs have neither region).  Caller
 * frees; NULL when out of memory. */
char *k2e_arn_new(const char *region, const char *service, const char *account,
                  const char *resource);

/* `arn` with its partition replaced by the region's ("arn:aws:iam::1:role/x"
 * in cn-north-1 -> "arn:aws-cn:iam::1:role/x"); a copy of `arn` when it is
 * not an ARN.  Caller frees; NULL when out of memory. */
char *k2e_arn_in_region(const char *arn, const char *region);

#endif
