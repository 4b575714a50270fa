/* libFuzzer target: the mapping-table reader (read/mapping_table.c) on
 * arbitrary YAML, merged over the embedded default as a user's file is.
 * Whatever the file says, loading ends in a table or in located K2E-E020
 * errors, never in a crash, a leak or undefined behaviour; and a table that
 * loaded must be usable by a conversion of a small fixed input.
 *
 *   cmake --build build-fuzz --target fuzz_mapping
 *   ./build-fuzz/fuzz_mapping -max_total_time=60 -max_len=4096 build-fuzz/fuzz-seeds-mapping
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kube2ecs/convert.h"
#include "read/mapping_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char base[64], mapping_path[128], manifest_path[128];

static const char manifest[] =
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\n"
    "spec:\n  selector: {matchLabels: {app: api}}\n  template:\n"
    "    metadata: {labels: {app: api}}\n    spec:\n"
    "      serviceAccountName: api\n      imagePullSecrets: [{name: regcred}]\n"
    "      containers:\n        - name: api\n          image: docker.io/library/nginx:1.25\n"
    "          envFrom: [{secretRef: {name: db}}]\n"
    "          volumeMounts: [{name: data, mountPath: /data}]\n"
    "      volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]\n"
    "---\napiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\n"
    "spec:\n  schedule: \"0 3 * * *\"\n  jobTemplate:\n    spec:\n      template:\n"
    "        spec:\n          restartPolicy: Never\n"
    "          containers: [{name: job, image: busybox:1.36}]\n";

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *shm = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(base, sizeof base, "%s/k2e-fuzzmap-XXXXXX", shm);
    if (!mkdtemp(base))
        abort();
    snprintf(mapping_path, sizeof mapping_path, "%s/mapping.yaml", base);
    snprintf(manifest_path, sizeof manifest_path, "%s/manifest.yaml", base);
    write_file(manifest_path, manifest, sizeof manifest - 1);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    write_file(mapping_path, data, size);
    const char *paths[] = {manifest_path};
    k2e_convert_options options = {.mapping_path = mapping_path, .outdir = NULL,
                                   .formats = K2E_FORMAT_ECSPRESSO | K2E_FORMAT_ECS_DEPLOY};
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    int status = k2e_convert(&options, paths, 1, &result);
    /* A table that loaded converts this input; one that did not says why. */
    size_t errors = k2e_diags_count(&result.diags, K2E_SEV_ERROR);
    if (status == K2E_EXIT_INTERNAL || (status == K2E_EXIT_INPUT && errors == 0))
        abort();
    k2e_convert_result_release(&result);
    return 0;
}
