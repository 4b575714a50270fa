/* Unit tests for volumes.c: pod volumes -> task volumes, volumeMounts ->
 * mountPoints, ephemeral-storage -> ephemeralStorage.
 *
 * Every case is a row: a YAML snippet placed under spec.template.spec of a
 * Deployment (so its first line is line 7 of the document and paths read
 * spec.template.spec...), the expected JSON (json_dumps with sorted keys,
 * compact; "null" for NULL), whether *ok stays true, the expected
 * diagnostics as "CODE line path" lines, and the scalars under the pod spec
 * that must stay unconsumed afterwards (paths relative to the pod spec), so
 * the generic "not converted" walk still sees what the module does not know.
 *
 * The EFS cases use a mapping table loaded from a temporary file with
 * k2e_mapping_load, exactly as the CLI loads the user's file.
 */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "read/mapping_table.h"
#include "map/volumes.h"
#include "read/yaml_tree.h"
#include "base/util.h"

/* 6 lines: the case body starts at line 7, indented under the pod spec. */
#define PREFIX                  \
    "apiVersion: apps/v1\n"     \
    "kind: Deployment\n"        \
    "metadata: {name: web}\n"   \
    "spec:\n"                   \
    "  template:\n"             \
    "    spec:\n"
#define BODY_INDENT "      "

static const char mapping_yaml[] =
    "volumes:\n"
    "  - {claim: data, fileSystemId: fs-data}\n"
    "  - {claim: data, namespace: prod, fileSystemId: fs-prod}\n"
    "  - {claim: ap, fileSystemId: fs-ap, accessPointId: fsap-1}\n"
    "  - {claim: ap-off, fileSystemId: fs-x, accessPointId: fsap-2, transitEncryption: DISABLED}\n"
    "  - {claim: iam, fileSystemId: fs-iam, iam: ENABLED}\n"
    "  - {claim: iam-off, fileSystemId: fs-io, iam: ENABLED, transitEncryption: DISABLED}\n"
    "  - {claim: iam-disabled, fileSystemId: fs-id, iam: DISABLED}\n"
    "  - {claim: plain, fileSystemId: fs-p, rootDirectory: /exports, transitEncryption: DISABLED}\n"
    "  - {claim: ap-root, fileSystemId: fs-r, accessPointId: fsap-3, rootDirectory: /data}\n"
    "  - {claim: ap-slash, fileSystemId: fs-s, accessPointId: fsap-4, rootDirectory: /,\n"
    "     transitEncryption: ENABLED, iam: ENABLED}\n";

/* --- Scaffolding ------------------------------------------------------------ */

typedef struct {
    k2e_file file;
    k2e_node *root;
    k2e_node *pod_spec;
} doc;

static void doc_read(doc *d, const char *body)
{
    k2e_buf text;
    k2e_buf_init(&text);
    k2e_buf_puts(&text, PREFIX);
    for (const char *line = body; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        k2e_buf_puts(&text, BODY_INDENT);
        k2e_buf_append(&text, line, n);
        k2e_buf_puts(&text, "\n");
        line += n + (end != NULL);
    }
    ck_assert(!text.failed);
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_limits limits = k2e_limits_default();
    memset(&d->file, 0, sizeof d->file);
    bool read = k2e_read_buffer("test.yaml", text.data, text.length, &limits, &d->file, &diags);
    ck_assert_msg(read && diags.count == 0, "cannot read:\n%s", text.data);
    k2e_buf_release(&text);
    k2e_diags_release(&diags);
    d->root = d->file.documents[0].root;
    d->pod_spec = k2e_get(k2e_get(k2e_get(d->root, "spec"), "template"), "spec");
    ck_assert_ptr_nonnull(d->pod_spec);
}

static void doc_free(doc *d)
{
    k2e_file_free(&d->file);
}

/* "CODE line path\n" per diagnostic, in the order added. */
static char *diag_summary(const k2e_diags *diags)
{
    k2e_buf out;
    k2e_buf_init(&out);
    k2e_buf_puts(&out, "");
    for (size_t i = 0; i < diags->count; i++) {
        const k2e_diag *d = &diags->items[i];
        k2e_buf_printf(&out, "%s %u %s\n", k2e_diag_code_string(d->code), d->line, d->path);
    }
    return k2e_buf_detach(&out);
}

static void unconsumed_walk(const k2e_node *node, const k2e_node *base, k2e_buf *out)
{
    if (node->kind == K2E_NODE_SCALAR && !node->consumed) {
        char *path = k2e_node_path(node, base);
        k2e_buf_printf(out, "%s\n", path);
        free(path);
    }
    for (size_t i = 0; i < node->count; i++)
        unconsumed_walk(node->items[i], base, out);
}

/* Every unconsumed scalar under the pod spec, one path a line. */
static char *unconsumed_summary(const k2e_node *pod_spec)
{
    k2e_buf out;
    k2e_buf_init(&out);
    k2e_buf_puts(&out, "");
    unconsumed_walk(pod_spec, pod_spec, &out);
    return k2e_buf_detach(&out);
}

static char *dump(const json_t *json)
{
    return json ? json_dumps(json, JSON_SORT_KEYS | JSON_COMPACT) : strdup("null");
}

static void load_mapping(k2e_mapping *mapping)
{
    char path[] = "/tmp/k2e-test-volumes-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    size_t n = strlen(mapping_yaml);
    ck_assert_int_eq(write(fd, mapping_yaml, n), (ssize_t)n);
    close(fd);
    k2e_diags diags;
    k2e_diags_init(&diags);
    bool loaded = k2e_mapping_load(mapping, path, &diags);
    unlink(path);
    char *summary = diag_summary(&diags);
    ck_assert_msg(loaded && diags.count == 0, "mapping: %s", summary);
    free(summary);
    k2e_diags_release(&diags);
}

static void check_hint(const k2e_diags *diags, const char *needle)
{
    if (!needle)
        return;
    for (size_t i = 0; i < diags->count; i++) {
        if (strstr(diags->items[i].hint, needle))
            return;
    }
    ck_abort_msg("no hint contains '%s'", needle);
}

static void check_all_hinted(const k2e_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++)
        ck_assert_msg(diags->items[i].hint[0] != '\0', "diagnostic without hint: %s",
                      diags->items[i].message);
}

/* --- k2e_volumes_build ------------------------------------------------------- */

typedef struct {
    const char *what;
    const char *namespace_; /* NULL: "default" */
    const char *body;
    const char *json;
    bool ok;
    const char *diags;
    const char *unconsumed;
    const char *hint; /* a substring some hint must contain, or NULL */
} volume_case;

#define V "spec.template.spec.volumes"

static const volume_case volume_cases[] = {
    {"emptyDir, sizeLimit left for ephemeral storage, name-only volume",
     NULL,
     "volumes:\n"
     "- name: scratch\n"
     "  emptyDir: {}\n"
     "- name: cache\n"
     "  emptyDir:\n"
     "    sizeLimit: 1Gi\n"
     "- name: bare\n"
     "- name: nulled\n"
     "  emptyDir:\n",
     "[{\"name\":\"scratch\"},{\"name\":\"cache\"},{\"name\":\"bare\"},{\"name\":\"nulled\"}]",
     true, "", "volumes[1].emptyDir.sizeLimit\n", NULL},
    {"emptyDir medium Memory",
     NULL,
     "volumes:\n"
     "- name: shm\n"
     "  emptyDir:\n"
     "    medium: Memory\n"
     "- name: fine\n"
     "  emptyDir: {}\n",
     "[{\"name\":\"fine\"}]", false, "K2E-E060 10 " V "[0].emptyDir.medium\n", "", "drop `medium`"},
    {"emptyDir medium empty string is the default",
     NULL,
     "volumes:\n"
     "- name: x\n"
     "  emptyDir: {medium: \"\"}\n",
     "[{\"name\":\"x\"}]", true, "", "", NULL},
    {"emptyDir medium HugePages",
     NULL,
     "volumes:\n"
     "- name: huge\n"
     "  emptyDir: {medium: HugePages-2Mi}\n",
     "[]", false, "K2E-E060 9 " V "[0].emptyDir.medium\n", "", NULL},
    {"emptyDir unknown field stays unconsumed",
     NULL,
     "volumes:\n"
     "- name: x\n"
     "  emptyDir: {fancy: yes}\n",
     "[{\"name\":\"x\"}]", true, "", "volumes[0].emptyDir.fancy\n", NULL},
    {"claim in the default namespace",
     NULL,
     "volumes:\n"
     "- name: data\n"
     "  persistentVolumeClaim:\n"
     "    claimName: data\n"
     "    readOnly: true\n",
     "[{\"efsVolumeConfiguration\":{\"fileSystemId\":\"fs-data\"},\"name\":\"data\"}]", true, "",
     "", NULL},
    {"claim matched by namespace",
     "prod",
     "volumes:\n"
     "- name: data\n"
     "  persistentVolumeClaim: {claimName: data}\n",
     "[{\"efsVolumeConfiguration\":{\"fileSystemId\":\"fs-prod\"},\"name\":\"data\"}]", true, "",
     "", NULL},
    {"claim in a namespace without entry",
     "staging",
     "volumes:\n"
     "- name: data\n"
     "  persistentVolumeClaim: {claimName: data}\n",
     "[]", false, "K2E-E061 9 " V "[0].persistentVolumeClaim\n", "",
     "{claim: data, namespace: staging, fileSystemId: fs-...}"},
    {"claim without entry",
     NULL,
     "volumes:\n"
     "- name: logs\n"
     "  persistentVolumeClaim: {claimName: logs}\n",
     "[]", false, "K2E-E061 9 " V "[0].persistentVolumeClaim\n", "",
     "`volumes: [{claim: logs, fileSystemId: fs-...}]`"},
    {"access point: transit encryption filled in",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: ap}\n",
     "[{\"efsVolumeConfiguration\":{\"authorizationConfig\":{\"accessPointId\":\"fsap-1\"},"
     "\"fileSystemId\":\"fs-ap\",\"transitEncryption\":\"ENABLED\"},\"name\":\"v\"}]",
     true, "", "", NULL},
    {"access point with transit encryption DISABLED",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: ap-off}\n",
     "[]", false, "K2E-E060 9 " V "[0].persistentVolumeClaim\n", "", "transitEncryption: ENABLED"},
    {"IAM: transit encryption filled in",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: iam}\n",
     "[{\"efsVolumeConfiguration\":{\"authorizationConfig\":{\"iam\":\"ENABLED\"},"
     "\"fileSystemId\":\"fs-iam\",\"transitEncryption\":\"ENABLED\"},\"name\":\"v\"}]",
     true, "", "", NULL},
    {"IAM with transit encryption DISABLED",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: iam-off}\n",
     "[]", false, "K2E-E060 9 " V "[0].persistentVolumeClaim\n", "", NULL},
    {"IAM DISABLED needs no transit encryption",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: iam-disabled}\n",
     "[{\"efsVolumeConfiguration\":{\"authorizationConfig\":{\"iam\":\"DISABLED\"},"
     "\"fileSystemId\":\"fs-id\"},\"name\":\"v\"}]",
     true, "", "", NULL},
    {"rootDirectory and explicit DISABLED without access point",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: plain}\n",
     "[{\"efsVolumeConfiguration\":{\"fileSystemId\":\"fs-p\",\"rootDirectory\":\"/exports\","
     "\"transitEncryption\":\"DISABLED\"},\"name\":\"v\"}]",
     true, "", "", NULL},
    {"access point with a rootDirectory",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: ap-root}\n",
     "[]", false, "K2E-E060 9 " V "[0].persistentVolumeClaim\n", "", NULL},
    {"access point, rootDirectory /, IAM",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: ap-slash}\n",
     "[{\"efsVolumeConfiguration\":{\"authorizationConfig\":{\"accessPointId\":\"fsap-4\","
     "\"iam\":\"ENABLED\"},\"fileSystemId\":\"fs-s\",\"rootDirectory\":\"/\","
     "\"transitEncryption\":\"ENABLED\"},\"name\":\"v\"}]",
     true, "", "", NULL},
    {"claim: missing claimName, unknown field stays",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {readOnly: false, storage: 1Gi}\n",
     "[]", false, "K2E-E006 9 " V "[0].persistentVolumeClaim\n",
     "volumes[0].persistentVolumeClaim.storage\n", NULL},
    {"claim: readOnly not a boolean",
     NULL,
     "volumes:\n"
     "- name: v\n"
     "  persistentVolumeClaim: {claimName: data, readOnly: sure}\n",
     "[]", false, "K2E-E006 9 " V "[0].persistentVolumeClaim.readOnly\n", "", NULL},
    {"hostPath",
     NULL,
     "volumes:\n"
     "- name: docker\n"
     "  hostPath:\n"
     "    path: /var/run/docker.sock\n"
     "    type: Socket\n"
     "- name: ok\n",
     "[{\"name\":\"ok\"}]", false, "K2E-E050 9 " V "[0].hostPath\n", "", "emptyDir"},
    {"configMap, secret, projected, downwardAPI: reported, not added",
     NULL,
     "volumes:\n"
     "- name: config\n"
     "  configMap:\n"
     "    name: app\n"
     "    items: [{key: a, path: a.conf}]\n"
     "- name: creds\n"
     "  secret: {secretName: creds, defaultMode: 0400}\n"
     "- name: bundle\n"
     "  projected:\n"
     "    sources: [{configMap: {name: app}}]\n"
     "- name: info\n"
     "  downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}\n",
     "[]", true,
     "K2E-W060 9 " V "[0].configMap\n"
     "K2E-W060 13 " V "[1].secret\n"
     "K2E-W060 15 " V "[2].projected\n"
     "K2E-W060 18 " V "[3].downwardAPI\n",
     "", "init container"},
    {"the service-account token volume",
     NULL,
     "volumes:\n"
     "- name: kube-api-access-x7k2p\n"
     "  projected:\n"
     "    sources:\n"
     "    - serviceAccountToken: {expirationSeconds: 3607, path: token}\n"
     "    - configMap: {name: kube-root-ca.crt}\n",
     "[]", true, "K2E-W060 9 " V "[0].projected\n", "", "task role"},
    {"other volume types",
     NULL,
     "volumes:\n"
     "- name: a\n"
     "  nfs: {server: nfs.local, path: /}\n"
     "- name: b\n"
     "  awsElasticBlockStore: {volumeID: vol-1}\n"
     "- name: c\n"
     "  csi: {driver: efs.csi.aws.com}\n"
     "- name: d\n"
     "  ephemeral: {volumeClaimTemplate: {spec: {}}}\n",
     "[]", true,
     "K2E-W060 9 " V "[0].nfs\n"
     "K2E-W060 11 " V "[1].awsElasticBlockStore\n"
     "K2E-W060 13 " V "[2].csi\n"
     "K2E-W060 15 " V "[3].ephemeral\n",
     "", "emptyDir (with sizeLimit)"},
    {"two volume types",
     NULL,
     "volumes:\n"
     "- name: x\n"
     "  emptyDir: {}\n"
     "  emtpyDir: {}\n",
     "[]", false, "K2E-E006 8 " V "[0]\n", "", NULL},
    {"invalid and duplicate names",
     NULL,
     "volumes:\n"
     "- name: my.vol\n"
     "  emptyDir: {}\n"
     "- name: twice\n"
     "- name: twice\n"
     "- emptyDir: {}\n",
     "[{\"name\":\"twice\"}]", false,
     "K2E-E060 8 " V "[0].name\n"
     "K2E-E006 11 " V "[2].name\n"
     "K2E-E006 12 " V "[3]\n",
     "", NULL},
    {"emptyDir not a mapping, hostPath written as a path",
     NULL,
     "volumes:\n"
     "- name: a\n"
     "  emptyDir: yes\n"
     "- name: b\n"
     "  hostPath: /data\n",
     "[]", false,
     "K2E-E006 9 " V "[0].emptyDir\n"
     "K2E-E050 11 " V "[1].hostPath\n",
     "", NULL},
    {"volumes: null", NULL, "volumes:\n", "[]", true, "", "", NULL},
    {"no volumes", NULL, "containers: []\n", "[]", true, "", "", NULL},
    {"volumes not a list", NULL, "volumes: {name: x}\n", "[]", false, "K2E-E006 7 " V "\n",
     "volumes.name\n", NULL},
    {"volume not a mapping", NULL, "volumes:\n- scratch\n", "[]", false,
     "K2E-E006 8 " V "[0]\n", "volumes[0]\n", NULL},
};

START_TEST(test_volumes_build)
{
    const volume_case *c = &volume_cases[_i];
    k2e_mapping mapping;
    load_mapping(&mapping);
    doc d;
    doc_read(&d, c->body);
    k2e_diags diags;
    k2e_diags_init(&diags);
    json_t *volumes = NULL;
    bool ok = k2e_volumes_build(d.pod_spec, d.root, &mapping,
                                c->namespace_ ? c->namespace_ : "default", "default", &volumes,
                                &diags);
    ck_assert_ptr_nonnull(volumes);
    char *json = dump(volumes), *found = diag_summary(&diags);
    char *left = unconsumed_summary(d.pod_spec);
    ck_assert_msg(strcmp(json, c->json) == 0, "%s: json\n  got  %s\n  want %s", c->what, json,
                  c->json);
    ck_assert_msg(ok == c->ok, "%s: ok %d", c->what, ok);
    ck_assert_msg(strcmp(found, c->diags) == 0, "%s: diagnostics\ngot:\n%swant:\n%s", c->what,
                  found, c->diags);
    ck_assert_msg(strcmp(left, c->unconsumed) == 0, "%s: unconsumed\ngot:\n%swant:\n%s",
                  c->what, left, c->unconsumed);
    check_all_hinted(&diags);
    check_hint(&diags, c->hint);
    free(json);
    free(found);
    free(left);
    json_decref(volumes);
    k2e_diags_release(&diags);
    doc_free(&d);
    k2e_mapping_release(&mapping);
}
END_TEST

/* The message of an unusable mapping entry names where the entry is. */
START_TEST(test_volumes_message_names_mapping_entry)
{
    k2e_mapping mapping;
    load_mapping(&mapping);
    doc d;
    doc_read(&d, "volumes:\n- name: v\n  persistentVolumeClaim: {claimName: ap-off}\n");
    k2e_diags diags;
    k2e_diags_init(&diags);
    json_t *volumes = NULL;
    ck_assert(!k2e_volumes_build(d.pod_spec, d.root, &mapping, "default", "default", &volumes,
                                 &diags));
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, ":5)"));
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "access point"));
    json_decref(volumes);
    k2e_diags_release(&diags);
    doc_free(&d);
    k2e_mapping_release(&mapping);
}
END_TEST

/* A clean pod: both builders succeed; no storage beyond the default. */
START_TEST(test_volumes_ok_when_clean)
{
    k2e_mapping mapping;
    load_mapping(&mapping);
    doc d;
    doc_read(&d, "volumes:\n- name: v\n  emptyDir: {}\n");
    k2e_diags diags;
    k2e_diags_init(&diags);
    json_t *volumes = NULL, *size = NULL;
    ck_assert(k2e_volumes_build(d.pod_spec, d.root, &mapping, "default", "default", &volumes,
                                &diags));
    ck_assert_uint_eq(json_array_size(volumes), 1);
    json_decref(volumes);
    ck_assert(k2e_ephemeral_storage_build(d.pod_spec, d.root, &size, &diags));
    ck_assert_ptr_null(size);
    ck_assert_uint_eq(diags.count, 0);
    k2e_diags_release(&diags);
    doc_free(&d);
    k2e_mapping_release(&mapping);
}
END_TEST

/* --- k2e_mount_points_build ------------------------------------------------------ */

/* Lines 7-18; containers[0].volumeMounts starts at line 20. */
#define MOUNT_VOLUMES                                            \
    "volumes:\n"                                                 \
    "- name: scratch\n"                                          \
    "  emptyDir: {}\n"                                           \
    "- name: data\n"                                             \
    "  persistentVolumeClaim: {claimName: data, readOnly: true}\n" \
    "- name: config\n"                                           \
    "  configMap: {name: app}\n"                                 \
    "- name: logs\n"                                             \
    "  persistentVolumeClaim: {claimName: logs}\n"               \
    "- name: shared\n"                                           \
    "  persistentVolumeClaim: {claimName: data}\n"               \
    "containers:\n"                                              \
    "- name: app\n"

typedef struct {
    const char *what;
    const char *mounts; /* the container's keys after its name, from line 20 */
    const char *json;
    bool ok;
    const char *diags;
    const char *unconsumed;
} mount_case;

#define M "spec.template.spec.containers[0].volumeMounts"

static const mount_case mount_cases[] = {
    {"mounts, readOnly from the mount and from the claim, reported volume dropped",
     "  volumeMounts:\n"
     "  - {name: scratch, mountPath: /tmp}\n"
     "  - {name: data, mountPath: /data}\n"
     "  - {name: config, mountPath: /etc/app}\n"
     "  - {name: scratch, mountPath: /var/cache, readOnly: true}\n"
     "  - {name: shared, mountPath: /shared, readOnly: false}\n"
     "  - {name: logs, mountPath: /logs}\n",
     "[{\"containerPath\":\"/tmp\",\"readOnly\":false,\"sourceVolume\":\"scratch\"},"
     "{\"containerPath\":\"/data\",\"readOnly\":true,\"sourceVolume\":\"data\"},"
     "{\"containerPath\":\"/var/cache\",\"readOnly\":true,\"sourceVolume\":\"scratch\"},"
     "{\"containerPath\":\"/shared\",\"readOnly\":false,\"sourceVolume\":\"shared\"}]",
     true, "", ""},
    {"unknown volume",
     "  volumeMounts:\n"
     "  - name: nope\n"
     "    mountPath: /x\n"
     "  - {name: scratch, mountPath: /tmp}\n",
     "[{\"containerPath\":\"/tmp\",\"readOnly\":false,\"sourceVolume\":\"scratch\"}]", false,
     "K2E-E060 21 " M "[0].name\n", ""},
    {"subPath and subPathExpr: warned, whole volume mounted",
     "  volumeMounts:\n"
     "  - name: scratch\n"
     "    mountPath: /etc/app.conf\n"
     "    subPath: app.conf\n"
     "  - {name: data, mountPath: /home, subPathExpr: $(POD_NAME)}\n"
     "  - {name: scratch, mountPath: /x, subPath: \"\"}\n",
     "[{\"containerPath\":\"/etc/app.conf\",\"readOnly\":false,\"sourceVolume\":\"scratch\"},"
     "{\"containerPath\":\"/home\",\"readOnly\":true,\"sourceVolume\":\"data\"},"
     "{\"containerPath\":\"/x\",\"readOnly\":false,\"sourceVolume\":\"scratch\"}]",
     true,
     "K2E-W061 23 " M "[0].subPath\n"
     "K2E-W061 24 " M "[1].subPathExpr\n",
     ""},
    {"options of a mount left out with its volume: no second diagnostic",
     "  volumeMounts:\n"
     "  - {name: config, mountPath: /etc/app.conf, subPath: app.conf, readOnly: true}\n"
     "  - {name: logs, mountPath: /logs, mountPropagation: Bidirectional, other: 1}\n",
     "null", true, "", "containers[0].volumeMounts[1].other\n"},
    {"mountPropagation and recursiveReadOnly",
     "  volumeMounts:\n"
     "  - {name: scratch, mountPath: /a, mountPropagation: HostToContainer}\n"
     "  - {name: scratch, mountPath: /b, mountPropagation: None}\n"
     "  - {name: scratch, mountPath: /c, readOnly: true, recursiveReadOnly: Enabled}\n"
     "  - {name: scratch, mountPath: /d, readOnly: true, recursiveReadOnly: IfPossible}\n",
     "[{\"containerPath\":\"/a\",\"readOnly\":false,\"sourceVolume\":\"scratch\"},"
     "{\"containerPath\":\"/b\",\"readOnly\":false,\"sourceVolume\":\"scratch\"},"
     "{\"containerPath\":\"/c\",\"readOnly\":true,\"sourceVolume\":\"scratch\"},"
     "{\"containerPath\":\"/d\",\"readOnly\":true,\"sourceVolume\":\"scratch\"}]",
     true,
     "K2E-W060 21 " M "[0].mountPropagation\n"
     "K2E-W060 23 " M "[2].recursiveReadOnly\n",
     ""},
    {"missing mountPath, unknown field stays unconsumed",
     "  volumeMounts:\n"
     "  - {name: scratch}\n"
     "  - {name: scratch, mountPath: /t, mountOptions: [noatime]}\n",
     "[{\"containerPath\":\"/t\",\"readOnly\":false,\"sourceVolume\":\"scratch\"}]", false,
     "K2E-E006 21 " M "[0]\n", "containers[0].volumeMounts[1].mountOptions[0]\n"},
    {"readOnly not a boolean",
     "  volumeMounts:\n"
     "  - {name: scratch, mountPath: /t, readOnly: maybe}\n",
     "null", false, "K2E-E006 21 " M "[0].readOnly\n", ""},
    {"only reported volumes", "  volumeMounts:\n  - {name: config, mountPath: /c}\n", "null",
     true, "", ""},
    {"no volumeMounts", "  image: nginx\n", "null", true, "", "containers[0].image\n"},
    {"volumeMounts: null", "  volumeMounts:\n", "null", true, "", ""},
    {"volumeMounts not a list", "  volumeMounts: {name: scratch}\n", "null", false,
     "K2E-E006 20 " M "\n", "containers[0].volumeMounts.name\n"},
};

START_TEST(test_mount_points_build)
{
    const mount_case *c = &mount_cases[_i];
    k2e_mapping mapping;
    load_mapping(&mapping);
    char *body = k2e_asprintf("%s%s", MOUNT_VOLUMES, c->mounts);
    doc d;
    doc_read(&d, body);
    k2e_diags volume_diags, diags;
    k2e_diags_init(&volume_diags);
    k2e_diags_init(&diags);
    json_t *volumes = NULL, *points = NULL;
    k2e_volumes_build(d.pod_spec, d.root, &mapping, "default", "default", &volumes,
                      &volume_diags);
    ck_assert_uint_eq(json_array_size(volumes), 3); /* scratch, data, shared */
    k2e_node *container = k2e_get(d.pod_spec, "containers")->items[0];
    k2e_consume(k2e_take(container, "name"));
    bool ok = k2e_mount_points_build(container, d.pod_spec, d.root, volumes, &points, &diags);
    char *json = dump(points), *found = diag_summary(&diags);
    char *left = unconsumed_summary(d.pod_spec);
    ck_assert_msg(strcmp(json, c->json) == 0, "%s: json\n  got  %s\n  want %s", c->what, json,
                  c->json);
    ck_assert_msg(ok == c->ok, "%s: ok %d", c->what, ok);
    ck_assert_msg(strcmp(found, c->diags) == 0, "%s: diagnostics\ngot:\n%swant:\n%s", c->what,
                  found, c->diags);
    ck_assert_msg(strcmp(left, c->unconsumed) == 0, "%s: unconsumed\ngot:\n%swant:\n%s",
                  c->what, left, c->unconsumed);
    check_all_hinted(&diags);
    free(json);
    free(found);
    free(left);
    free(body);
    json_decref(points);
    json_decref(volumes);
    k2e_diags_release(&volume_diags);
    k2e_diags_release(&diags);
    doc_free(&d);
    k2e_mapping_release(&mapping);
}
END_TEST

/* --- k2e_ephemeral_storage_build --------------------------------------------------- */

typedef struct {
    const char *what;
    const char *body;
    const char *json;
    bool ok;
    const char *diags;
    const char *unconsumed;
} storage_case;

/* One app container asking for `q` as its ephemeral-storage request. */
#define ONE_REQUEST(q)                         \
    "containers:\n"                            \
    "- name: app\n"                            \
    "  resources:\n"                           \
    "    requests: {ephemeral-storage: " q "}\n"

#define C "spec.template.spec.containers"

static const storage_case storage_cases[] = {
    {"no resources", "containers:\n- name: app\n", "null", true, "", "containers[0].name\n"},
    {"20Gi fits the default", ONE_REQUEST("20Gi"), "null", true, "", "containers[0].name\n"},
    {"21Gi", ONE_REQUEST("21Gi"), "{\"sizeInGiB\":21}", true, "", "containers[0].name\n"},
    {"200Gi", ONE_REQUEST("200Gi"), "{\"sizeInGiB\":200}", true, "", "containers[0].name\n"},
    {"201Gi is too much", ONE_REQUEST("201Gi"), "null", false, "K2E-E062 6 spec.template.spec\n",
     "containers[0].name\n"},
    {"1.5Gi rounds up to 2 GiB: fits", ONE_REQUEST("1.5Gi"), "null", true, "",
     "containers[0].name\n"},
    {"20.5Gi rounds up to 21", ONE_REQUEST("20.5Gi"), "{\"sizeInGiB\":21}", true, "",
     "containers[0].name\n"},
    {"one byte over 20 GiB", ONE_REQUEST("21474836481"), "{\"sizeInGiB\":21}", true, "",
     "containers[0].name\n"},
    {"22G is 20.5 GiB", ONE_REQUEST("22G"), "{\"sizeInGiB\":21}", true, "",
     "containers[0].name\n"},
    {"21G is 19.6 GiB", ONE_REQUEST("21G"), "null", true, "", "containers[0].name\n"},
    {"invalid quantity", ONE_REQUEST("10GB"), "null", false,
     "K2E-E032 10 " C "[0].resources.requests.ephemeral-storage\n", "containers[0].name\n"},
    {"negative quantity", ONE_REQUEST("-1Gi"), "null", false,
     "K2E-E032 10 " C "[0].resources.requests.ephemeral-storage\n", "containers[0].name\n"},
    {"two containers summed exactly: 10.5Gi + 10.5Gi = 21 GiB",
     "containers:\n"
     "- resources: {requests: {ephemeral-storage: 10.5Gi}}\n"
     "- resources: {requests: {ephemeral-storage: 10.5Gi}}\n",
     "{\"sizeInGiB\":21}", true, "", ""},
    {"the larger of request and limit; cpu stays unconsumed",
     "containers:\n"
     "- resources:\n"
     "    requests: {ephemeral-storage: 5Gi, cpu: 250m}\n"
     "    limits: {ephemeral-storage: 25Gi}\n",
     "{\"sizeInGiB\":25}", true, "", "containers[0].resources.requests.cpu\n"},
    {"init container larger than the app containers",
     "initContainers:\n"
     "- resources: {limits: {ephemeral-storage: 30Gi}}\n"
     "containers:\n"
     "- resources: {requests: {ephemeral-storage: 10Gi}}\n",
     "{\"sizeInGiB\":30}", true, "", ""},
    {"app containers larger than the init container",
     "initContainers:\n"
     "- resources: {limits: {ephemeral-storage: 25Gi}}\n"
     "containers:\n"
     "- resources: {requests: {ephemeral-storage: 15Gi}}\n"
     "- resources: {requests: {ephemeral-storage: 15Gi}}\n",
     "{\"sizeInGiB\":30}", true, "", ""},
    {"sidecar runs during later init containers and beside the app",
     "initContainers:\n"
     "- restartPolicy: Always\n"
     "  resources: {requests: {ephemeral-storage: 10Gi}}\n"
     "- resources: {requests: {ephemeral-storage: 15Gi}}\n"
     "containers:\n"
     "- resources: {requests: {ephemeral-storage: 5Gi}}\n",
     "{\"sizeInGiB\":25}", true, "", "initContainers[0].restartPolicy\n"},
    {"sidecar plus app containers",
     "initContainers:\n"
     "- restartPolicy: Always\n"
     "  resources: {requests: {ephemeral-storage: 10Gi}}\n"
     "containers:\n"
     "- resources: {requests: {ephemeral-storage: 12Gi}}\n",
     "{\"sizeInGiB\":22}", true, "", "initContainers[0].restartPolicy\n"},
    {"emptyDir sizeLimits add to the containers; Memory ones do not",
     "volumes:\n"
     "- name: cache\n"
     "  emptyDir: {sizeLimit: 15Gi}\n"
     "- name: shm\n"
     "  emptyDir: {medium: Memory, sizeLimit: 50Gi}\n"
     "containers:\n"
     "- resources: {requests: {ephemeral-storage: 10Gi}}\n",
     "{\"sizeInGiB\":25}", true, "",
     "volumes[0].name\nvolumes[1].name\nvolumes[1].emptyDir.medium\n"},
    {"emptyDir sizeLimits alone above 200 GiB",
     "volumes:\n"
     "- {name: a, emptyDir: {sizeLimit: 150Gi}}\n"
     "- {name: b, emptyDir: {sizeLimit: 51Gi}}\n",
     "null", false, "K2E-E062 6 spec.template.spec\n", "volumes[0].name\nvolumes[1].name\n"},
    {"quantity written as a number", ONE_REQUEST("22548578304"), "{\"sizeInGiB\":21}", true, "",
     "containers[0].name\n"},
    {"8Ei is far above 200 GiB", ONE_REQUEST("8Ei"), "null", false,
     "K2E-E062 6 spec.template.spec\n", "containers[0].name\n"},
};

START_TEST(test_ephemeral_storage_build)
{
    const storage_case *c = &storage_cases[_i];
    doc d;
    doc_read(&d, c->body);
    k2e_diags diags;
    k2e_diags_init(&diags);
    json_t *size = NULL;
    bool ok = k2e_ephemeral_storage_build(d.pod_spec, d.root, &size, &diags);
    char *json = dump(size), *found = diag_summary(&diags);
    char *left = unconsumed_summary(d.pod_spec);
    ck_assert_msg(strcmp(json, c->json) == 0, "%s: json\n  got  %s\n  want %s", c->what, json,
                  c->json);
    ck_assert_msg(ok == c->ok, "%s: ok %d", c->what, ok);
    ck_assert_msg(strcmp(found, c->diags) == 0, "%s: diagnostics\ngot:\n%swant:\n%s", c->what,
                  found, c->diags);
    ck_assert_msg(strcmp(left, c->unconsumed) == 0, "%s: unconsumed\ngot:\n%swant:\n%s",
                  c->what, left, c->unconsumed);
    check_all_hinted(&diags);
    free(json);
    free(found);
    free(left);
    json_decref(size);
    k2e_diags_release(&diags);
    doc_free(&d);
}
END_TEST

/* The E062 message names the need and its parts. */
START_TEST(test_ephemeral_message_names_need)
{
    doc d;
    doc_read(&d, "volumes:\n- {name: a, emptyDir: {sizeLimit: 1Gi}}\n" ONE_REQUEST("200.5Gi"));
    k2e_diags diags;
    k2e_diags_init(&diags);
    json_t *size = NULL;
    ck_assert(!k2e_ephemeral_storage_build(d.pod_spec, d.root, &size, &diags));
    ck_assert_ptr_null(size);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_str_eq(diags.items[0].message,
                     "the pod needs 202 GiB of ephemeral storage (containers 201 GiB, emptyDir "
                     "sizeLimits 1 GiB); Fargate tasks get at most 200 GiB");
    k2e_diags_release(&diags);
    doc_free(&d);
}
END_TEST

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("volumes");
    TCase *t = tcase_create("volumes");
    tcase_add_loop_test(t, test_volumes_build, 0, COUNT(volume_cases));
    tcase_add_test(t, test_volumes_message_names_mapping_entry);
    tcase_add_test(t, test_volumes_ok_when_clean);
    suite_add_tcase(s, t);
    t = tcase_create("mount points");
    tcase_add_loop_test(t, test_mount_points_build, 0, COUNT(mount_cases));
    suite_add_tcase(s, t);
    t = tcase_create("ephemeral storage");
    tcase_add_loop_test(t, test_ephemeral_storage_build, 0, COUNT(storage_cases));
    tcase_add_test(t, test_ephemeral_message_names_need);
    suite_add_tcase(s, t);
    return s;
}
