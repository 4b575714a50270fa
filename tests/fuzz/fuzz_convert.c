/* libFuzzer target: the whole pipeline (read, index, map, services,
 * schedules, patches, emit, write) on arbitrary manifests, with two oracles
 * besides "no crash, leak or undefined behaviour":
 *
 *  - nothing is written outside OUTDIR: after each run the scratch
 *    directory holds only the input and OUTDIR (no sibling, no leftover),
 *    and no output path is absolute or climbs with "..";
 *  - no Secret value escapes: every input gets a planted Secret whose value
 *    is a marker made from a hash of that input (so the fuzzed bytes cannot
 *    contain it), read by a planted Deployment through env and envFrom; the
 *    marker (and its base64 form) must appear in no output file, no
 *    diagnostic (message, hint, path, file) and no report.
 *
 *   cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DK2E_FUZZ=ON
 *   cmake --build build-fuzz --target fuzz_convert
 *   ./build-fuzz/fuzz_convert -max_total_time=60 -max_len=8192 \
 *       build-fuzz/fuzz-seeds   (tests/fuzz/seeds.sh makes the seeds)
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kube2ecs/convert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char base[64];
static char input_path[128], planted_path[128], outdir[128];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *shm = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(base, sizeof base, "%s/k2e-fuzz-XXXXXX", shm);
    if (!mkdtemp(base))
        abort();
    snprintf(input_path, sizeof input_path, "%s/input.yaml", base);
    snprintf(planted_path, sizeof planted_path, "%s/planted.yaml", base);
    snprintf(outdir, sizeof outdir, "%s/out", base);
    return 0;
}

static uint64_t fnv1a64(const uint8_t *data, size_t size)
{
    uint64_t h = 14695981039346656037u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 1099511628211u;
    return h;
}

static void base64(const char *in, char *out)
{
    static const char table[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(in), j = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)(unsigned char)in[i] << 16;
        if (i + 1 < n) v |= (unsigned)(unsigned char)in[i + 1] << 8;
        if (i + 2 < n) v |= (unsigned)(unsigned char)in[i + 2];
        out[j++] = table[(v >> 18) & 63];
        out[j++] = table[(v >> 12) & 63];
        out[j++] = i + 1 < n ? table[(v >> 6) & 63] : '=';
        out[j++] = i + 2 < n ? table[v & 63] : '=';
    }
    out[j] = '\0';
}

static void write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
}

static void plant(const char *marker, const char *encoded)
{
    char text[2048];
    int n = snprintf(text, sizeof text,
        "apiVersion: v1\nkind: Secret\nmetadata: {name: planted-k2e}\n"
        "data: {token: %s}\nstringData: {password: %s}\n---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: planted-k2e}\n"
        "spec:\n  selector: {matchLabels: {app: planted-k2e}}\n  template:\n"
        "    metadata: {labels: {app: planted-k2e}}\n    spec:\n      containers:\n"
        "        - name: app\n          image: nginx:1.25\n"
        "          envFrom: [{secretRef: {name: planted-k2e}}]\n"
        "          env: [{name: T, valueFrom: {secretKeyRef: {name: planted-k2e, key: token}}},"
        " {name: E, value: \"$(T)-$(password)\"}]\n"
        "          args: [\"$(T)\", \"$(password)\"]\n",
        encoded, marker);
    write_file(planted_path, text, (size_t)n);
}

static bool contains(const char *text, size_t length, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; text && n <= length && i + n <= length; i++) {
        if (memcmp(text + i, needle, n) == 0)
            return true;
    }
    return false;
}

static void check_leaks(const k2e_convert_result *r, const char *marker, const char *encoded)
{
    for (size_t i = 0; i < r->outputs.count; i++) {
        const k2e_output *o = &r->outputs.items[i];
        if (o->path[0] == '/' || strstr(o->path, ".."))
            abort(); /* an output path that could leave OUTDIR */
        if (contains(o->content, o->length, marker) || contains(o->content, o->length, encoded))
            abort(); /* a Secret value in an output file */
    }
    for (size_t i = 0; i < r->diags.count; i++) {
        const k2e_diag *d = &r->diags.items[i];
        const char *fields[] = {d->message, d->hint, d->path, d->file};
        for (size_t f = 0; f < 4; f++) {
            if (fields[f] && (strstr(fields[f], marker) || strstr(fields[f], encoded)))
                abort(); /* a Secret value in a diagnostic */
        }
    }
}

static void remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char child[512];
        snprintf(child, sizeof child, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(child);
        else
            unlink(child);
    }
    closedir(dir);
    rmdir(path);
}

/* Only input.yaml, planted.yaml and out/ may be in the scratch directory. */
static void check_nothing_outside(void)
{
    DIR *dir = opendir(base);
    if (!dir)
        abort();
    struct dirent *e;
    while ((e = readdir(dir))) {
        const char *n = e->d_name;
        if (strcmp(n, ".") && strcmp(n, "..") && strcmp(n, "input.yaml") &&
            strcmp(n, "planted.yaml") && strcmp(n, "out"))
            abort(); /* something written beside OUTDIR */
    }
    closedir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char marker[40], encoded[64];
    snprintf(marker, sizeof marker, "k2eSECRET%016llx", (unsigned long long)fnv1a64(data, size));
    if (contains((const char *)data, size, marker))
        return 0;
    base64(marker, encoded);
    write_file(input_path, data, size);
    plant(marker, encoded);
    const char *paths[] = {input_path, planted_path};
    k2e_convert_options options = {.outdir = outdir, .keep_going = true,
                                   .formats = K2E_FORMAT_ECSPRESSO | K2E_FORMAT_ECS_DEPLOY};
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    k2e_convert(&options, paths, 2, &result);
    check_leaks(&result, marker, encoded);
    k2e_convert_result_release(&result);
    check_nothing_outside();
    remove_tree(outdir);
    return 0;
}
