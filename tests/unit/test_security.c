/* Unit tests for security.c: securityContext and host namespaces.
 *
 * Each case is a pod spec body placed under a fixed Deployment head (the
 * case's first line is line 5; paths read spec.template.spec...).  The
 * runner calls k2e_security_container for every container (starting from
 * the case's initial container JSON, to test merging), then
 * k2e_security_pod, and compares: each container's JSON and the task
 * definition (sorted keys, compact), both return values, every diagnostic in
 * order (code, line, path, message substring or '='-prefixed whole
 * message), and what a later generic walk would still report.
 *
 * Expected values come from the rules in security.h and the ECS API
 * reference (KernelCapabilities: only SYS_PTRACE may be added on Fargate,
 * "ALL" is a valid drop value; SystemControl: the IPC and net.* sysctls
 * Fargate supports), worked out by hand.
 */
#include "k2e_test.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/security.h"

#define HEAD                 \
    "kind: Deployment\n"     \
    "spec:\n"                \
    "  template:\n"          \
    "    spec:\n"
#define P "spec.template.spec."
#define C0 "spec.template.spec.containers[0]."
#define C1 "spec.template.spec.containers[1]."
#define W050 "K2E-W050"
#define E050 "K2E-E050"
#define E006 "K2E-E006"
#define MAX_DIAGS 8
#define MAX_CONTAINERS 2

typedef struct {
    const char *code;
    unsigned line;
    const char *path;
    const char *text; /* substring of the message; "=..." for the whole message */
} want_diag;

typedef struct {
    const char *name;
    const char *yaml;
    const char *initial;                    /* every container's JSON before, NULL: {} */
    const char *containers[MAX_CONTAINERS]; /* expected container JSON */
    bool containers_ok;                     /* all container calls returned true */
    const char *task;                       /* expected task definition JSON */
    bool pod_ok;
    want_diag diags[MAX_DIAGS];
    const char *left[3]; /* paths still unconsumed */
} security_case;

static const security_case cases[] = {
    {"runAsUser, runAsGroup, readOnlyRootFilesystem",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsUser: 1000\n"
     "          runAsGroup: 3000\n"
     "          readOnlyRootFilesystem: true\n",
     NULL,
     {"{\"readonlyRootFilesystem\":true,\"user\":\"1000:3000\"}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"readOnlyRootFilesystem false is written; runAsUser 0 too",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsUser: 0\n"
     "          readOnlyRootFilesystem: false\n",
     NULL,
     {"{\"readonlyRootFilesystem\":false,\"user\":\"0\"}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"the container's settings win over the pod's",
     "      securityContext:\n"
     "        runAsUser: 1000\n"
     "        runAsGroup: 2000\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsUser: 1001\n"
     "      - name: side\n"
     "        image: busybox\n"
     "        securityContext:\n"
     "          runAsGroup: 2001\n",
     NULL,
     {"{\"user\":\"1001:2000\"}", "{\"user\":\"1000:2001\"}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"runAsGroup without runAsUser",
     "      securityContext:\n"
     "        runAsGroup: 2000\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n",
     NULL,
     {"{}"},
     true, "{}", true,
     {{W050, 6, P "securityContext.runAsGroup",
       "=runAsGroup 2000 for container api without runAsUser: not converted (ECS `user` "
       "cannot name a group without the user, so the image's user keeps its own primary "
       "group)"}},
     {NULL}},
    {"runAsNonRoot: satisfied, unenforced, contradicted",
     "      securityContext:\n"
     "        runAsNonRoot: true\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsUser: 1000\n"
     "      - name: side\n"
     "        image: busybox\n",
     NULL,
     {"{\"user\":\"1000\"}", "{}"},
     true, "{}", true,
     {{W050, 6, P "securityContext.runAsNonRoot",
       "=runAsNonRoot: true for container side is not enforced: ECS does not check the user "
       "an image runs as, so the container runs as the image's USER even if that is root"}},
     {NULL}},
    {"runAsNonRoot contradicting runAsUser 0",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsUser: 0\n"
     "          runAsNonRoot: true\n",
     NULL,
     {"{\"user\":\"0\"}"},
     true, "{}", true,
     {{W050, 10, C0 "securityContext.runAsNonRoot",
       "=runAsNonRoot: true contradicts runAsUser 0 for container api: Kubernetes would "
       "refuse to start it, ECS runs it as root"}},
     {NULL}},
    {"runAsNonRoot false asks for nothing",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsNonRoot: false\n",
     NULL,
     {"{}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"capabilities with CAP_ prefixes, SYS_PTRACE, ALL, merged into linuxParameters",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          capabilities:\n"
     "            add: [SYS_PTRACE, CAP_SYS_PTRACE]\n"
     "            drop: [ALL, cap_net_raw, NET_BIND_SERVICE]\n",
     "{\"linuxParameters\":{\"initProcessEnabled\":true}}",
     {"{\"linuxParameters\":{\"capabilities\":{\"add\":[\"SYS_PTRACE\"],\"drop\":[\"ALL\","
      "\"NET_RAW\",\"NET_BIND_SERVICE\"]},\"initProcessEnabled\":true}}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"merging into existing capabilities",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          capabilities:\n"
     "            drop: [NET_RAW, MKNOD]\n",
     "{\"linuxParameters\":{\"capabilities\":{\"drop\":[\"NET_RAW\"]}}}",
     {"{\"linuxParameters\":{\"capabilities\":{\"drop\":[\"NET_RAW\",\"MKNOD\"]}}}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"NET_ADMIN and ALL cannot be added; unknown drop names are left out",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          capabilities:\n"
     "            add: [NET_ADMIN, SYS_PTRACE, ALL]\n"
     "            drop: [BOGUS]\n",
     NULL,
     {"{\"linuxParameters\":{\"capabilities\":{\"add\":[\"SYS_PTRACE\"]}}}"},
     false, "{}", true,
     {{E050, 10, C0 "securityContext.capabilities.add[0]",
       "=capability NET_ADMIN cannot be added to container api: Fargate only allows adding "
       "SYS_PTRACE"},
      {E050, 10, C0 "securityContext.capabilities.add[2]", "capability ALL cannot be added"},
      {W050, 11, C0 "securityContext.capabilities.drop[0]",
       "=capability BOGUS is not a name ECS accepts: not dropped from container api"}},
     {NULL}},
    {"privileged true is forbidden, false is fine",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          privileged: true\n"
     "      - name: side\n"
     "        image: busybox\n"
     "        securityContext:\n"
     "          privileged: false\n",
     NULL,
     {"{}", "{}"},
     false, "{}", true,
     {{E050, 9, C0 "securityContext.privileged",
       "=privileged container api: privileged containers are not available on Fargate"}},
     {NULL}},
    {"allowPrivilegeEscalation and procMount",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          allowPrivilegeEscalation: false\n"
     "          procMount: Unmasked\n"
     "      - name: side\n"
     "        image: busybox\n"
     "        securityContext:\n"
     "          allowPrivilegeEscalation: true\n"
     "          procMount: Default\n",
     NULL,
     {"{}", "{}"},
     true, "{}", true,
     {{W050, 9, C0 "securityContext.allowPrivilegeEscalation",
       "=allowPrivilegeEscalation: false for container api cannot be expressed: the "
       "no-new-privileges option belongs in dockerSecurityOptions, which is not valid on "
       "Fargate, so the guarantee is lost"},
      {W050, 10, C0 "securityContext.procMount",
       "=procMount Unmasked for container api: ECS has no setting for the /proc mount; the "
       "container gets the runtime's default"}},
     {NULL}},
    {"seccomp, SELinux, AppArmor, Windows options of a container",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          seccompProfile:\n"
     "            type: RuntimeDefault\n"
     "          seLinuxOptions: {level: \"s0:c123,c456\"}\n"
     "          appArmorProfile: {type: Localhost, localhostProfile: k8s-nginx}\n"
     "          windowsOptions: {runAsUserName: ContainerUser}\n",
     NULL,
     {"{}"},
     true, "{}", true,
     {{W050, 9, C0 "securityContext.seccompProfile",
       "=seccompProfile RuntimeDefault of container api is not converted: an ECS task "
       "definition has no seccomp setting on Fargate (dockerSecurityOptions is not valid "
       "there), so the profile is not guaranteed"},
      {W050, 11, C0 "securityContext.seLinuxOptions",
       "=seLinuxOptions of container api are not converted: SELinux labels are not available "
       "on Fargate"},
      {W050, 12, C0 "securityContext.appArmorProfile",
       "=appArmorProfile Localhost of container api is not converted: AppArmor profiles are "
       "not available on Fargate"},
      {W050, 13, C0 "securityContext.windowsOptions",
       "=windowsOptions of container api are not converted"}},
     {NULL}},
    {"host namespaces are forbidden; shareProcessNamespace is pidMode task",
     "      hostNetwork: true\n"
     "      hostPID: true\n"
     "      hostIPC: true\n"
     "      shareProcessNamespace: true\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n",
     NULL,
     {"{}"},
     true, "{\"pidMode\":\"task\"}", false,
     {{E050, 5, P "hostNetwork",
       "=hostNetwork true: Fargate tasks always use awsvpc networking with their own network "
       "interface, never the host's"},
      {E050, 6, P "hostPID",
       "=hostPID true: Fargate supports only pidMode task, never the host's process "
       "namespace"},
      {E050, 7, P "hostIPC",
       "=hostIPC true: ipcMode is not valid on Fargate, so the host's IPC namespace cannot be "
       "shared"}},
     {NULL}},
    {"false host namespaces are consumed silently",
     "      hostNetwork: false\n"
     "      hostPID: false\n"
     "      hostIPC: false\n"
     "      shareProcessNamespace: false\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n",
     NULL,
     {"{}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
    {"pod-only fields and sysctls",
     "      securityContext:\n"
     "        fsGroup: 2000\n"
     "        fsGroupChangePolicy: OnRootMismatch\n"
     "        supplementalGroups: [4000, 5000]\n"
     "        supplementalGroupsPolicy: Strict\n"
     "        seLinuxChangePolicy: Recursive\n"
     "        seccompProfile: {type: RuntimeDefault}\n"
     "        sysctls:\n"
     "        - {name: net.ipv4.tcp_keepalive_time, value: \"600\"}\n"
     "        - {name: kernel/shm_rmid_forced, value: \"1\"}\n"
     "        - {name: vm.swappiness, value: \"10\"}\n"
     "        - {name: kernel.domainname, value: example.com}\n"
     "        - {name: fs.mqueue.msg_max, value: \"20\"}\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n",
     NULL,
     {"{\"systemControls\":[{\"namespace\":\"net.ipv4.tcp_keepalive_time\",\"value\":\"600\"},"
      "{\"namespace\":\"kernel.shm_rmid_forced\",\"value\":\"1\"},"
      "{\"namespace\":\"fs.mqueue.msg_max\",\"value\":\"20\"}]}"},
     true, "{}", true,
     {{W050, 15, P "securityContext.sysctls[2]",
       "=sysctl vm.swappiness of the pod cannot be set on Fargate: systemControls accept only "
       "the namespaced IPC sysctls (kernel.msg*, kernel.sem, kernel.shm*, fs.mqueue.*) and "
       "net.*; left out"},
      {W050, 16, P "securityContext.sysctls[3]", "sysctl kernel.domainname of the pod"},
      {W050, 6, P "securityContext.fsGroup",
       "=fsGroup 2000: not converted: ECS has no equivalent; volumes keep their owners and the "
       "containers' processes get no supplementary group"},
      {W050, 7, P "securityContext.fsGroupChangePolicy",
       "=fsGroupChangePolicy OnRootMismatch: not converted: ECS never changes volume "
       "ownership"},
      {W050, 9, P "securityContext.supplementalGroupsPolicy",
       "supplementalGroupsPolicy Strict: not converted"},
      {W050, 10, P "securityContext.seLinuxChangePolicy", "seLinuxChangePolicy Recursive"},
      {W050, 8, P "securityContext.supplementalGroups",
       "=supplementalGroups [4000, 5000] of the pod are not converted: ECS has no setting for "
       "supplementary groups"},
      {W050, 11, P "securityContext.seccompProfile",
       "seccompProfile RuntimeDefault of the pod is not converted"}},
     {NULL}},
    {"wrong types: the pod's are reported once",
     "      securityContext:\n"
     "        runAsUser: abc\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsGroup: \"10\"\n"
     "          privileged: yes please\n"
     "      - name: side\n"
     "        image: busybox\n",
     NULL,
     {"{}", "{}"},
     false, "{}", false,
     {{E006, 11, C0 "securityContext.runAsGroup", "expected an integer"},
      {E006, 12, C0 "securityContext.privileged", "expected true or false"},
      {E006, 6, P "securityContext.runAsUser", "expected an integer"}},
     {NULL}},
    {"out-of-range ids",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          runAsUser: -1\n",
     NULL,
     {"{}"},
     false, "{}", true,
     {{E006, 9, C0 "securityContext.runAsUser", "=runAsUser -1 out of range"}},
     {NULL}},
    {"unknown keys stay for the generic walk",
     "      securityContext:\n"
     "        runAsUsr: 5\n"
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n"
     "        securityContext:\n"
     "          capabilities: {ad: [NET_ADMIN]}\n"
     "          seccompProfile: {type: Localhost, localhostProfile: p.json, extra: 1}\n",
     NULL,
     {"{}"},
     true, "{}", true,
     {{W050, 12, C0 "securityContext.seccompProfile", "seccompProfile Localhost"}},
     {P "securityContext.runAsUsr", C0 "securityContext.capabilities.ad",
      C0 "securityContext.seccompProfile.extra"}},
    {"nothing to do",
     "      containers:\n"
     "      - name: api\n"
     "        image: nginx\n",
     NULL,
     {"{}"},
     true, "{}", true,
     {{NULL, 0, NULL, NULL}},
     {NULL}},
};

#define CASE_COUNT (sizeof cases / sizeof cases[0])

/* --- scaffolding ------------------------------------------------------------ */

typedef struct {
    k2e_file file;
    k2e_diags diags;
    k2e_node *root;
    k2e_node *pod;
    k2e_node *containers;
} fixture;

static void fixture_load(fixture *f, const char *yaml)
{
    size_t n = strlen(HEAD) + strlen(yaml) + 1;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n, "%s%s", HEAD, yaml);
    k2e_limits limits = k2e_limits_default();
    k2e_diags_init(&f->diags);
    ck_assert_msg(k2e_read_buffer("case.yaml", text, strlen(text), &limits, &f->file, &f->diags),
                  "YAML of the case does not parse");
    free(text);
    f->root = f->file.documents[0].root;
    f->pod = k2e_get(k2e_get(k2e_get(f->root, "spec"), "template"), "spec");
    f->containers = k2e_get(f->pod, "containers");
    ck_assert_ptr_nonnull(f->containers);
}

static void fixture_release(fixture *f)
{
    k2e_file_free(&f->file);
    k2e_diags_release(&f->diags);
}

static void consume_scaffold(fixture *f)
{
    k2e_consume(f->root);
    k2e_consume(k2e_take(f->root, "kind"));
    k2e_consume(k2e_take(k2e_take(f->root, "spec"), "template"));
    k2e_consume(f->pod);
    k2e_take(f->pod, "containers");
    for (size_t i = 0; i < f->containers->count; i++) {
        k2e_node *c = f->containers->items[i];
        k2e_consume(c);
        k2e_take(c, "name");
        k2e_take(c, "image");
    }
}

static void check_diag(const k2e_diag *d, const want_diag *w, size_t i)
{
    ck_assert_msg(strcmp(k2e_diag_code_string(d->code), w->code) == 0,
                  "diagnostic %zu: code %s, expected %s (%s)", i, k2e_diag_code_string(d->code),
                  w->code, d->message);
    ck_assert_msg(d->line == w->line, "diagnostic %zu: line %u, expected %u (%s)", i, d->line,
                  w->line, d->message);
    ck_assert_msg(strcmp(d->path, w->path) == 0, "diagnostic %zu: path %s, expected %s", i,
                  d->path, w->path);
    if (w->text[0] == '=')
        ck_assert_msg(strcmp(d->message, w->text + 1) == 0,
                      "diagnostic %zu:\n  message  %s\n  expected %s", i, d->message,
                      w->text + 1);
    else
        ck_assert_msg(strstr(d->message, w->text) != NULL,
                      "diagnostic %zu:\n  message %s\n  lacks   %s", i, d->message, w->text);
    ck_assert_msg(d->hint && d->hint[0], "diagnostic %zu has no hint", i);
}

static void check_diags(const k2e_diags *diags, const want_diag *want)
{
    size_t expected = 0;
    while (expected < MAX_DIAGS && want[expected].code)
        expected++;
    for (size_t i = 0; i < diags->count && i < expected; i++)
        check_diag(&diags->items[i], &want[i], i);
    ck_assert_msg(diags->count == expected, "%zu diagnostics, expected %zu (first extra: %s)",
                  diags->count, expected,
                  diags->count > expected ? diags->items[expected].message : "-");
}

static void check_left(fixture *f, const char *const *left)
{
    consume_scaffold(f);
    k2e_diags walk;
    k2e_diags_init(&walk);
    k2e_report_unconsumed(f->root, &walk, NULL, NULL);
    size_t expected = 0;
    while (expected < 3 && left[expected])
        expected++;
    for (size_t i = 0; i < walk.count; i++)
        ck_assert_msg(i < expected && strcmp(walk.items[i].path, left[i]) == 0,
                      "left unconsumed: %s", walk.items[i].path);
    ck_assert_uint_eq(walk.count, expected);
    k2e_diags_release(&walk);
}

static void check_json(json_t *json, const char *expected)
{
    char *got = json_dumps(json, JSON_SORT_KEYS | JSON_COMPACT);
    ck_assert_str_eq(got, expected);
    free(got);
}

START_TEST(test_security_case)
{
    const security_case *sc = &cases[_i];
    fixture f;
    fixture_load(&f, sc->yaml);
    ck_assert_uint_le(f.containers->count, MAX_CONTAINERS);
    bool containers_ok = true;
    for (size_t i = 0; i < f.containers->count; i++) {
        json_error_t error;
        json_t *cj = sc->initial ? json_loads(sc->initial, 0, &error) : json_object();
        ck_assert_ptr_nonnull(cj);
        if (!k2e_security_container(f.pod, f.containers->items[i], f.root, cj, &f.diags))
            containers_ok = false;
        ck_assert_ptr_nonnull(sc->containers[i]);
        check_json(cj, sc->containers[i]);
        json_decref(cj);
    }
    json_t *task = json_object();
    bool pod_ok = k2e_security_pod(f.pod, f.root, task, &f.diags);
    check_json(task, sc->task);
    json_decref(task);
    ck_assert_msg(containers_ok == sc->containers_ok, "container result %d", containers_ok);
    ck_assert_msg(pod_ok == sc->pod_ok, "pod result %d", pod_ok);
    check_diags(&f.diags, sc->diags);
    check_left(&f, sc->left);
    fixture_release(&f);
}
END_TEST

/* The sysctl names Fargate accepts, by the SystemControl API reference. */
START_TEST(test_sysctl_supported)
{
    static const char *const yes[] = {
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",          "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni",          "kernel.shm_rmid_forced",
        "fs.mqueue.queues_max", "net.core.somaxconn", "net.ipv4.ip_local_port_range",
    };
    static const char *const no[] = {
        "kernel.msgmax2", "kernel.shm", "kernel.domainname", "vm.swappiness", "fs.mqueue",
        "fs.file-max",    "net",        "netx.y",            "",
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_msg(k2e_sysctl_supported(yes[i]), "%s", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_msg(!k2e_sysctl_supported(no[i]), "%s", no[i]);
}
END_TEST

/* A NULL pod spec (a container on its own) is allowed. */
START_TEST(test_null_pod_spec)
{
    fixture f;
    fixture_load(&f, "      containers:\n"
                     "      - name: api\n"
                     "        image: nginx\n"
                     "        securityContext:\n"
                     "          runAsUser: 7\n");
    json_t *cj = json_object();
    ck_assert(k2e_security_container(NULL, f.containers->items[0], f.root, cj, &f.diags));
    check_json(cj, "{\"user\":\"7\"}");
    json_decref(cj);
    ck_assert_uint_eq(f.diags.count, 0);
    fixture_release(&f);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("security");
    TCase *tc = tcase_create("cases");
    tcase_add_loop_test(tc, test_security_case, 0, (int)CASE_COUNT);
    tcase_add_test(tc, test_sysctl_supported);
    tcase_add_test(tc, test_null_pod_spec);
    suite_add_tcase(s, tc);
    return s;
}
