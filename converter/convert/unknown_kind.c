/* Unknown kinds; see unknown_kind.h.
 *
 * Only kinds of the built-in API groups get a did-you-mean: an OpenShift
 * Route is a custom resource, not a misspelt Role.  The distance allowed
 * grows with the name (1 up to 4 letters, 2 up to 8, else 3), and a
 * case-only difference always counts (configmap -> ConfigMap).
 */
#include "convert/unknown_kind.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"
#include "read/yaml_tree.h"

/* Custom resources users meet most in EKS repositories, and what to do. */
static const struct {
    const char *group;
    const char *kind;   /* NULL: any kind of the group */
    const char *hint;
} custom_hints[] = {
    {"argoproj.io", "Rollout",
     "an Argo Rollout's spec.template is a pod template: write it as an apps/v1 Deployment "
     "(same selector and template) to get a task definition and an ECS service"},
    {"external-secrets.io", NULL,
     "point the Secret it produces at the same AWS secret under `secrets` in the mapping "
     "table: ECS reads Secrets Manager and SSM directly"},
    {"serving.knative.dev", "Service",
     "a Knative Service's spec.template is a pod template: write it as a Deployment and a "
     "Service to get a task definition and an ECS service"},
};

/* A kind of a built-in API group (core, apps, batch, *.k8s.io...) that kube2ecs
 * does not know is most likely a typo; one of another group is a custom
 * resource. */
static bool builtin_group(const char *group)
{
    return !strchr(group, '.') || k2e_str_has_suffix(group, ".k8s.io");
}

static const char *closest_kind(const char *kind, const void *kinds, size_t count,
                                size_t stride)
{
    size_t n = strlen(kind), most = n < 5 ? 1 : n < 9 ? 2 : 3, best = most + 1;
    const char *guess = NULL;
    for (size_t i = 0; i < count; i++) {
        const char *known = *(const char *const *)((const char *)kinds + i * stride);
        size_t d = k2e_edit_distance(kind, known, true);
        if (d < best && (d <= most || strcasecmp(kind, known) == 0)) {
            best = d;
            guess = known;
        }
    }
    return guess;
}

void k2e_report_unknown_kind(k2e_diags *diags, const k2e_object *object, const void *kinds,
                             size_t count, size_t stride)
{
    const char *hint = "kube2ecs converts workloads (Deployment, StatefulSet, ReplicaSet, Pod, "
                       "Job, CronJob) and what they use; if this object runs containers, "
                       "convert the workload it creates instead";
    char *own = NULL;
    for (size_t i = 0; i < sizeof custom_hints / sizeof custom_hints[0]; i++) {
        if (strcmp(object->group, custom_hints[i].group) == 0 &&
            (!custom_hints[i].kind || strcmp(object->kind, custom_hints[i].kind) == 0))
            hint = custom_hints[i].hint;
    }
    const char *guess =
        builtin_group(object->group) ? closest_kind(object->kind, kinds, count, stride) : NULL;
    if (guess)
        hint = own = k2e_asprintf("did you mean %s?%s", guess,
                                  strcmp(guess, object->kind) != 0 &&
                                          strcasecmp(guess, object->kind) == 0
                                      ? " (kinds are case-sensitive)"
                                      : "");
    k2e_diag_at(diags, K2E_W_KIND_UNKNOWN, object->root, object->root, hint,
                builtin_group(object->group) ? "%s %s (%s): unknown kind, not converted"
                                             : "%s %s (%s): custom resource, not converted",
                object->kind, object->name, object->api_version);
    free(own);
}
