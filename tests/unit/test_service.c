/* Unit tests for the service modules (service.c, service_net.c,
 * autoscaling.c, deploy_formats.c) and their mapping-table keys:
 *
 *  - label selectors as Services (plain maps) and PodDisruptionBudgets
 *    (matchLabels + matchExpressions, empty selectors per API version) use
 *    them;
 *  - the mapping keys targetGroups, serviceDiscovery, capacityProviderStrategy,
 *    deploymentCircuitBreaker, enableExecuteCommand, propagateTags: defaults,
 *    lookups, and K2E-E020 for every malformed entry;
 *  - whole conversions through k2e_convert (no files written): the values
 *    that tie the output files together (the load balancer's container port
 *    exists in the task definition that was rewritten with it, desiredCount
 *    is the autoscaler's minimum, the autoscaling target is rescaled, the
 *    ecs-deploy file keeps `image` off the last line of its object).
 * The golden cases tests/cases/service-* cover the full output text.
 */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "kube2ecs/convert.h"
#include "map/map_context.h"
#include "read/mapping_table.h"
#include "read/yaml_tree.h"
#include "services/service_internal.h"

/* --- helpers -------------------------------------------------------------- */

static k2e_file parsed[8];
static size_t parsed_count;
static k2e_diags diags;

static void setup(void)
{
    memset(parsed, 0, sizeof parsed);
    parsed_count = 0;
    k2e_diags_init(&diags);
}

static void teardown(void)
{
    for (size_t i = 0; i < parsed_count; i++)
        k2e_file_free(&parsed[i]);
    k2e_diags_release(&diags);
}

static k2e_node *yaml(const char *text)
{
    ck_assert_uint_lt(parsed_count, 8);
    k2e_limits limits = k2e_limits_default();
    k2e_file *file = &parsed[parsed_count++];
    ck_assert(k2e_read_buffer("test.yaml", text, strlen(text), &limits, file, &diags));
    return file->documents[0].root;
}

static size_t count_code(const k2e_diags *list, k2e_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < list->count; i++)
        n += list->items[i].code == code;
    return n;
}

/* --- selectors -------------------------------------------------------------- */

START_TEST(test_service_selector)
{
    k2e_node *labels = yaml("{app: web, tier: frontend, version: \"1.0\"}");
    ck_assert(k2e_selector_matches(yaml("{app: web}"), labels));
    ck_assert(k2e_selector_matches(yaml("{app: web, version: \"1.0\"}"), labels));
    ck_assert(!k2e_selector_matches(yaml("{app: web, tier: backend}"), labels));
    /* An empty selector selects nothing (Endpoints are then managed by hand). */
    ck_assert(!k2e_selector_matches(k2e_get(yaml("{selector: {}}"), "selector"), labels));
    ck_assert(!k2e_selector_matches(NULL, labels));
}
END_TEST

START_TEST(test_label_selector)
{
    k2e_node *labels = yaml("{app: ledger, tier: db}");
    k2e_node *in = yaml("{matchExpressions: [{key: app, operator: In, values: [ledger, x]}],"
                        " matchLabels: {tier: db}}");
    ck_assert(k2e_label_selector_matches(in, labels, true));
    k2e_node *not_in = yaml("{matchExpressions: [{key: app, operator: NotIn, values: [ledger]}]}");
    ck_assert(!k2e_label_selector_matches(not_in, labels, true));
    labels = yaml("{app: ledger}");
    ck_assert(k2e_label_selector_matches(
        yaml("{matchExpressions: [{key: app, operator: Exists}, {key: zone, operator: "
             "DoesNotExist}]}"), labels, false));
    /* (Nested: an empty flow mapping as a whole document trips a UBSan
     * finding in the reader, reported separately.) */
    k2e_node *empty = k2e_get(yaml("{selector: {}}"), "selector");
    ck_assert(k2e_label_selector_matches(empty, labels, true));   /* policy/v1 */
    ck_assert(!k2e_label_selector_matches(empty, labels, false)); /* policy/v1beta1 */
    ck_assert(!k2e_label_selector_matches(NULL, labels, true));
}
END_TEST

/* --- mapping keys ------------------------------------------------------------ */

static char dir[64];
static char mapping_path[128];

static void make_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/k2e-service-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(mapping_path, sizeof mapping_path, "%s/mapping.yaml", dir);
}

static void remove_dir(void)
{
    char command[160];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(command), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

static bool load_mapping(k2e_mapping *m, const char *text)
{
    make_dir();
    write_file(mapping_path, text);
    bool ok = k2e_mapping_load(m, mapping_path, &diags);
    remove_dir();
    return ok;
}

START_TEST(test_mapping_defaults)
{
    k2e_mapping m;
    ck_assert(k2e_mapping_load(&m, NULL, &diags));
    /* Service Connect is opt-in (issue 13). */
    ck_assert_int_eq(m.discovery, K2E_DISCOVERY_NONE);
    ck_assert_str_eq(m.service_connect_namespace.value, "");
    ck_assert(m.circuit_breaker_enable && m.circuit_breaker_rollback);
    ck_assert(!m.enable_execute_command);
    ck_assert_str_eq(m.propagate_tags.value, "SERVICE");
    ck_assert_uint_eq(m.target_group_count, 0);
    ck_assert_uint_eq(m.capacity_provider_count, 0);
    ck_assert_uint_eq(m.registry_count, 0);
    k2e_mapping_release(&m);
}
END_TEST

/* A namespace without a mode asks for Service Connect; a mode wins. */
START_TEST(test_mapping_service_connect_opt_in)
{
    k2e_mapping m;
    ck_assert(load_mapping(&m, "serviceDiscovery: {namespace: shop.local}\n"));
    ck_assert_int_eq(m.discovery, K2E_DISCOVERY_SERVICE_CONNECT);
    ck_assert_str_eq(m.service_connect_namespace.value, "shop.local");
    k2e_mapping_release(&m);
    ck_assert(load_mapping(&m, "serviceDiscovery: {mode: none, namespace: shop.local}\n"));
    ck_assert_int_eq(m.discovery, K2E_DISCOVERY_NONE);
    k2e_mapping_release(&m);
    ck_assert(load_mapping(&m, "serviceDiscovery: {mode: serviceConnect}\n"));
    ck_assert_int_eq(m.discovery, K2E_DISCOVERY_SERVICE_CONNECT);
    ck_assert_str_eq(m.service_connect_namespace.value, "");
    k2e_mapping_release(&m);
}
END_TEST

START_TEST(test_mapping_service_keys)
{
    k2e_mapping m;
    ck_assert(load_mapping(&m,
        "targetGroups:\n"
        "  - {service: web, port: 80, arn: arn:tg/web-80}\n"
        "  - {service: web, namespace: shop, port: http, arn: arn:tg/web-http}\n"
        "serviceDiscovery: {mode: cloudMap, registries: [{service: web, arn: arn:srv/web}]}\n"
        "capacityProviderStrategy:\n"
        "  - {capacityProvider: FARGATE_SPOT, weight: 3}\n"
        "  - {capacityProvider: FARGATE, weight: 1, base: 2}\n"
        "deploymentCircuitBreaker: {rollback: false}\n"
        "enableExecuteCommand: true\n"
        "propagateTags: NONE\n"));
    ck_assert_uint_eq(diags.count, 0);
    /* Port matched as the number's text or as the name; namespace defaults. */
    const k2e_target_group *tg = k2e_mapping_target_group(&m, "web", "default", "default", "80",
                                                          NULL);
    ck_assert_ptr_nonnull(tg);
    ck_assert_str_eq(tg->arn, "arn:tg/web-80");
    ck_assert_ptr_null(k2e_mapping_target_group(&m, "web", "shop", "default", "80", NULL));
    tg = k2e_mapping_target_group(&m, "web", "shop", "default", "8080", "http");
    ck_assert_ptr_nonnull(tg);
    ck_assert_str_eq(tg->arn, "arn:tg/web-http");
    ck_assert_int_eq(m.discovery, K2E_DISCOVERY_CLOUD_MAP);
    ck_assert_ptr_nonnull(k2e_mapping_registry(&m, "web", "default", "default"));
    ck_assert_ptr_null(k2e_mapping_registry(&m, "web", "shop", "default"));
    ck_assert_uint_eq(m.capacity_provider_count, 2);
    ck_assert_int_eq(m.capacity_providers[0].base, -1);
    ck_assert_int_eq(m.capacity_providers[1].base, 2);
    /* Nested mappings merge key by key: enable keeps its default. */
    ck_assert(m.circuit_breaker_enable && !m.circuit_breaker_rollback);
    ck_assert(m.enable_execute_command);
    ck_assert_str_eq(m.propagate_tags.value, "NONE");
    k2e_mapping_release(&m);
}
END_TEST

static const char *const bad_mappings[] = {
    "targetGroups: [{service: web, arn: arn:tg/x}]\n",              /* no port */
    "targetGroups: [{service: web, port: 80}]\n",                   /* no arn */
    "targetGroups: [{service: web, port: [80], arn: x}]\n",         /* port not a scalar */
    "targetGroups: {service: web}\n",                               /* not a list */
    "serviceDiscovery: {mode: consul}\n",
    "serviceDiscovery: {registries: [{service: web}]}\n",
    "capacityProviderStrategy: [{capacityProvider: EC2, weight: 1}]\n",
    "capacityProviderStrategy: [{capacityProvider: FARGATE, weight: 2000}]\n",
    "capacityProviderStrategy: [{weight: 1}]\n",
    "deploymentCircuitBreaker: {enable: maybe}\n",
    "deploymentCircuitBreaker: {enabled: true}\n",                  /* misspelt */
    "enableExecuteCommand: \"yes\"\n",
    "propagateTags: ALL\n",
};

START_TEST(test_mapping_errors)
{
    k2e_mapping m;
    ck_assert_msg(!load_mapping(&m, bad_mappings[_i]), "accepted: %s", bad_mappings[_i]);
    ck_assert_msg(count_code(&diags, K2E_E_MAPPING) >= 1, "no K2E-E020 for %s",
                  bad_mappings[_i]);
    for (size_t i = 0; i < diags.count; i++)
        ck_assert_uint_gt(diags.items[i].line, 0);
    k2e_mapping_release(&m);
}
END_TEST

/* --- whole conversions ------------------------------------------------------- */

typedef struct {
    k2e_convert_result result;
    int status;
} run;

static void convert(run *r, const char *mapping, const char *manifests, unsigned formats)
{
    make_dir();
    char input[160];
    snprintf(input, sizeof input, "%s/input.yaml", dir);
    write_file(input, manifests);
    write_file(mapping_path, mapping);
    k2e_convert_result_init(&r->result);
    k2e_convert_options options = {.mapping_path = mapping_path, .formats = formats};
    const char *paths[] = {input};
    r->status = k2e_convert(&options, paths, 1, &r->result);
    remove_dir();
}

static json_t *output_json(run *r, const char *path)
{
    const k2e_output *out = k2e_outputs_get(&r->result.outputs, path);
    ck_assert_msg(out != NULL, "no %s", path);
    json_error_t error;
    json_t *value = json_loads(out->content, 0, &error);
    ck_assert_msg(value != NULL, "%s: %s", path, error.text);
    return value;
}

static const char *const shop_mapping =
    "cluster: arn:aws:ecs:ap-northeast-1:111111111111:cluster/prod\n"
    "targetGroups: [{service: api, port: 80, arn: "
    "\"arn:aws:elasticloadbalancing:ap-northeast-1:111111111111:targetgroup/api/0123\"}]\n";

static const char *const shop =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata: {name: api}\n"
    "spec:\n"
    "  replicas: 7\n"
    "  selector: {matchLabels: {app: api}}\n"
    "  template:\n"
    "    metadata: {labels: {app: api}}\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: api\n"
    "          image: node:20\n"
    "          resources: {requests: {cpu: 500m, memory: 1Gi}}\n"
    "          readinessProbe: {httpGet: {path: /ready, port: 3000}, initialDelaySeconds: 20}\n"
    "---\n"
    "apiVersion: v1\n"
    "kind: Service\n"
    "metadata: {name: api}\n"
    "spec:\n"
    "  type: LoadBalancer\n"
    "  selector: {app: api}\n"
    "  ports: [{port: 80, targetPort: 3000}]\n"
    "---\n"
    "apiVersion: autoscaling/v2\n"
    "kind: HorizontalPodAutoscaler\n"
    "metadata: {name: api}\n"
    "spec:\n"
    "  scaleTargetRef: {kind: Deployment, name: api}\n"
    "  minReplicas: 3\n"
    "  maxReplicas: 9\n"
    "  metrics: [{type: Resource, resource: {name: cpu, target: {type: Utilization, "
    "averageUtilization: 50}}}]\n";

START_TEST(test_convert_ties_files_together)
{
    run r;
    convert(&r, shop_mapping, shop, K2E_FORMAT_ECS_DEPLOY);
    ck_assert_int_eq(r.status, K2E_EXIT_OK);
    json_t *svc = output_json(&r, "services/api.json");
    json_t *td = output_json(&r, "task-definitions/api.json");
    json_t *as = output_json(&r, "autoscaling/api.json");
    /* desiredCount is the autoscaler's minimum, not replicas. */
    ck_assert_int_eq(json_integer_value(json_object_get(svc, "desiredCount")), 3);
    /* The load balancer's port exists in the (rewritten) task definition. */
    json_t *lb = json_array_get(json_object_get(svc, "loadBalancers"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(lb, "containerPort")), 3000);
    ck_assert_str_eq(json_string_value(json_object_get(lb, "containerName")), "api");
    json_t *c = json_array_get(json_object_get(td, "containerDefinitions"), 0);
    json_t *pm = json_array_get(json_object_get(c, "portMappings"), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(pm, "containerPort")), 3000);
    /* Without Service Connect (the default) the port keeps no name. */
    ck_assert_ptr_null(json_object_get(pm, "name"));
    /* ...and portMappings sits in its documented place, after the sizes. */
    const char *keys[8];
    size_t n = 0;
    const char *key;
    json_t *value;
    json_object_foreach(c, key, value) {
        if (n < 8)
            keys[n++] = key;
    }
    ck_assert_str_eq(keys[0], "name");
    ck_assert_str_eq(keys[1], "image");
    ck_assert_str_eq(keys[4], "portMappings");
    /* The ecs-deploy copy was made from the rewritten definition. */
    json_t *deploy = output_json(&r, "ecs-deploy/api.json");
    ck_assert(json_equal(json_object_get(json_array_get(json_object_get(
                             json_object_get(deploy, "taskDefinition"), "containerDefinitions"),
                             0), "portMappings"),
                         json_object_get(c, "portMappings")));
    ck_assert_int_eq(json_integer_value(json_object_get(svc, "healthCheckGracePeriodSeconds")),
                     20);
    /* 50% of 500m (512 CPU units) of requests in a 512-unit task stays 50. */
    json_t *policy = json_array_get(json_object_get(as, "scalingPolicies"), 0);
    json_t *target = json_object_get(
        json_object_get(policy, "TargetTrackingScalingPolicyConfiguration"), "TargetValue");
    ck_assert(json_number_value(target) == 50.0);
    ck_assert_str_eq(json_string_value(json_object_get(policy, "ResourceId")),
                     "service/prod/api");
    ck_assert_str_eq(json_string_value(json_object_get(svc, "cluster")),
                     "arn:aws:ecs:ap-northeast-1:111111111111:cluster/prod");
    ck_assert_ptr_nonnull(k2e_outputs_get(&r.result.outputs, "target-groups/api-api-80.json"));
    json_decref(svc);
    json_decref(td);
    json_decref(as);
    json_decref(deploy);
    k2e_convert_result_release(&r.result);
}
END_TEST

/* The ecs-deploy sed needs a comma after the image: never the last line of
 * its object, whatever else the container has. */
START_TEST(test_ecs_deploy_image_not_last)
{
    run r;
    convert(&r, "cluster: c\n",
            "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "    - {name: a, image: \"busybox:1.36\"}\n    - {name: b, image: \"redis:7\"}\n",
            K2E_FORMAT_ECS_DEPLOY);
    const k2e_output *out = k2e_outputs_get(&r.result.outputs, "ecs-deploy/p.json");
    ck_assert_ptr_nonnull(out);
    const char *text = out->content;
    for (const char *line = strstr(text, "\"image\":"); line;
         line = strstr(line + 1, "\"image\":")) {
        const char *end = strchr(line, '\n');
        ck_assert_msg(end && end[-1] == ',', "image line without a trailing comma");
    }
    ck_assert_ptr_nonnull(strstr(text, "\"volumes\": []"));
    ck_assert_ptr_nonnull(strstr(text, "\"placementConstraints\": []"));
    k2e_convert_result_release(&r.result);
}
END_TEST

/* Nothing outside the index is touched, and the objects used are consumed:
 * a Service's unknown field is still reported, once, by the service code. */
START_TEST(test_leftovers_reported_once)
{
    run r;
    convert(&r, "cluster: c\n",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n"
            "  selector: {matchLabels: {app: x}}\n  template:\n"
            "    metadata: {labels: {app: x}}\n"
            "    spec: {containers: [{name: a, image: \"nginx:1\",\n"
            "                         ports: [{containerPort: 80}]}]}\n"
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b}\nspec:\n"
            "  selector: {matchLabels: {app: x}}\n  template:\n"
            "    metadata: {labels: {app: x}}\n"
            "    spec: {containers: [{name: b, image: \"nginx:1\",\n"
            "                         ports: [{containerPort: 80}]}]}\n"
            "---\napiVersion: v1\nkind: Service\nmetadata: {name: x}\n"
            "spec: {selector: {app: x}, ports: [{port: 80}], sessionAffinity: ClientIP, "
            "frobnicate: 1}\n",
            0);
    size_t unknown = 0;
    for (size_t i = 0; i < r.result.diags.count; i++) {
        const k2e_diag *d = &r.result.diags.items[i];
        unknown += d->code == K2E_W_NOT_CONVERTED && strcmp(d->path, "spec.frobnicate") == 0;
    }
    ck_assert_uint_eq(unknown, 1);
    ck_assert_uint_eq(count_code(&r.result.diags, K2E_W_SERVICE_SETTING), 1);
    /* Both Deployments are behind the Service: two Service Connect entries. */
    ck_assert_ptr_nonnull(k2e_outputs_get(&r.result.outputs, "services/a.json"));
    ck_assert_ptr_nonnull(k2e_outputs_get(&r.result.outputs, "services/b.json"));
    k2e_convert_result_release(&r.result);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("service");
    TCase *selectors = tcase_create("selectors");
    tcase_add_checked_fixture(selectors, setup, teardown);
    tcase_add_test(selectors, test_service_selector);
    tcase_add_test(selectors, test_label_selector);
    suite_add_tcase(s, selectors);
    TCase *mapping = tcase_create("mapping");
    tcase_add_checked_fixture(mapping, setup, teardown);
    tcase_add_test(mapping, test_mapping_defaults);
    tcase_add_test(mapping, test_mapping_service_connect_opt_in);
    tcase_add_test(mapping, test_mapping_service_keys);
    tcase_add_loop_test(mapping, test_mapping_errors, 0,
                        (int)(sizeof bad_mappings / sizeof bad_mappings[0]));
    suite_add_tcase(s, mapping);
    TCase *whole = tcase_create("convert");
    tcase_add_checked_fixture(whole, setup, teardown);
    tcase_add_test(whole, test_convert_ties_files_together);
    tcase_add_test(whole, test_ecs_deploy_image_not_last);
    tcase_add_test(whole, test_leftovers_reported_once);
    suite_add_tcase(s, whole);
    return s;
}
