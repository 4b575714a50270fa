/* AWS partitions and ARNs; see arn.h. */
#include "base/arn.h"

#include <string.h>

#include "base/util.h"

/* Region name prefixes of the partitions other than "aws", from each
 * partition's regionRegex (botocore data/partitions.json):
 * ^cn\-\w+\-\d+$, ^us\-gov\-\w+\-\d+$, ^us\-iso\-\w+\-\d+$, ... */
static const struct {
    const char *prefix;
    const char *partition;
} partitions[] = {
    {"cn-", "aws-cn"},
    {"us-gov-", "aws-us-gov"},
    {"us-iso-", "aws-iso"},
    {"us-isob-", "aws-iso-b"},
    {"eu-isoe-", "aws-iso-e"},
    {"us-isof-", "aws-iso-f"},
    {"eusc-", "aws-eusc"},
};

const char *k2e_aws_partition(const char *region)
{
    for (size_t i = 0; region && i < sizeof partitions / sizeof partitions[0]; i++) {
        if (strncmp(region, partitions[i].prefix, strlen(partitions[i].prefix)) == 0)
            return partitions[i].partition;
    }
    return "aws";
}

char *k2e_arn_new(const char *region, const char *service, const char *account,
                  const char *resource)
{
    return k2e_asprintf("arn:%s:%s:%s:%s:%s", k2e_aws_partition(region), service,
                        region ? region : "", account ? account : "", resource);
}

char *k2e_arn_in_region(const char *arn, const char *region)
{
    const char *rest = strncmp(arn, "arn:", 4) == 0 ? strchr(arn + 4, ':') : NULL;
    if (!rest)
        return k2e_strdup(arn);
    return k2e_asprintf("arn:%s%s", k2e_aws_partition(region), rest);
}
