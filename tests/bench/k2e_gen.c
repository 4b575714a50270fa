/* k2e_gen SHAPE N DIR: writes a synthetic manifest tree (see gen.h) into
 * DIR/manifests and its mapping table into DIR/mapping.yaml, then prints
 * "files objects workloads bytes" on one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

int main(int argc, char **argv)
{
    char *end = NULL;
    size_t n = argc == 4 ? (size_t)strtoull(argv[2], &end, 10) : 0;
    if (argc != 4 || !end || *end || n == 0) {
        fprintf(stderr, "usage: k2e_gen SHAPE N DIR\nshapes:");
        for (const char *const *s = k2e_gen_shapes; *s; s++)
            fprintf(stderr, " %s", *s);
        fputc('\n', stderr);
        return 2;
    }
    k2e_gen_stats stats;
    if (!k2e_gen(argv[1], n, argv[3], &stats)) {
        perror("k2e_gen");
        return 1;
    }
    printf("%zu %zu %zu %zu\n", stats.files, stats.objects, stats.workloads, stats.bytes);
    return 0;
}
