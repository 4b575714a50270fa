/* The diagnostic codes: one row per code, (enum id, stable code, severity,
 * title).  Included as an X-macro by diag.h and diag.c; MAPPING.md documents
 * every row (a unit test checks that it does).  Never renumber a code: users
 * grep for them and CI pipelines allow or deny them by name. */

/* Reading input */
K2E_DIAG_CODE(K2E_E_READ, "K2E-E001", K2E_SEV_ERROR, "cannot read input")
K2E_DIAG_CODE(K2E_E_SYNTAX, "K2E-E002", K2E_SEV_ERROR, "malformed YAML or JSON")
K2E_DIAG_CODE(K2E_E_ENCODING, "K2E-E003", K2E_SEV_ERROR, "not UTF-8 text")
K2E_DIAG_CODE(K2E_E_LIMIT, "K2E-E004", K2E_SEV_ERROR, "input limit exceeded")
K2E_DIAG_CODE(K2E_E_NOT_OBJECT, "K2E-E005", K2E_SEV_ERROR, "not a Kubernetes object")
K2E_DIAG_CODE(K2E_E_TYPE, "K2E-E006", K2E_SEV_ERROR, "wrong type or invalid value")
K2E_DIAG_CODE(K2E_E_DUPLICATE_OBJECT, "K2E-E007", K2E_SEV_ERROR, "object defined twice")
K2E_DIAG_CODE(K2E_E_OUTPUT, "K2E-E009", K2E_SEV_ERROR, "cannot write output")
/* Mapping table */
K2E_DIAG_CODE(K2E_E_MAPPING, "K2E-E020", K2E_SEV_ERROR, "invalid mapping table")
K2E_DIAG_CODE(K2E_W_PLACEHOLDER, "K2E-W020", K2E_SEV_WARNING, "placeholder in output")
/* Generic mapping outcomes */
K2E_DIAG_CODE(K2E_W_DUPLICATE_KEY, "K2E-W011", K2E_SEV_WARNING, "key defined twice")
K2E_DIAG_CODE(K2E_I_GENERATED_NAME, "K2E-I012", K2E_SEV_INFO, "name taken from generateName")
K2E_DIAG_CODE(K2E_W_NOT_CONVERTED, "K2E-W010", K2E_SEV_WARNING, "field not converted")
K2E_DIAG_CODE(K2E_I_KIND_IGNORED, "K2E-I010", K2E_SEV_INFO, "kind has no ECS counterpart")
K2E_DIAG_CODE(K2E_I_KIND_UNKNOWN, "K2E-I011", K2E_SEV_INFO, "kind not supported")
/* Task definitions */
K2E_DIAG_CODE(K2E_E_FAMILY_CLASH, "K2E-E030", K2E_SEV_ERROR, "two workloads share a task family")
K2E_DIAG_CODE(K2E_E_TOO_LARGE, "K2E-E031", K2E_SEV_ERROR, "too large for Fargate")
K2E_DIAG_CODE(K2E_E_QUANTITY, "K2E-E032", K2E_SEV_ERROR, "invalid resource quantity")
K2E_DIAG_CODE(K2E_E_NO_CONTAINERS, "K2E-E033", K2E_SEV_ERROR, "pod template without containers")
K2E_DIAG_CODE(K2E_W_SECRET_DEFAULT, "K2E-W030", K2E_SEV_WARNING, "Secret without mapping entry")
K2E_DIAG_CODE(K2E_W_REF_MISSING, "K2E-W031", K2E_SEV_WARNING, "referenced ConfigMap or key not in input")
K2E_DIAG_CODE(K2E_W_FIELD_REF, "K2E-W032", K2E_SEV_WARNING, "downward API value not static")
K2E_DIAG_CODE(K2E_W_SECRET_KEYS, "K2E-W033", K2E_SEV_WARNING, "Secret keys unknown")
K2E_DIAG_CODE(K2E_W_LIMIT_BELOW_REQUEST, "K2E-W034", K2E_SEV_WARNING, "limit below request")
K2E_DIAG_CODE(K2E_I_DEFAULT_RESOURCES, "K2E-I030", K2E_SEV_INFO, "no resources: mapping defaults used")
K2E_DIAG_CODE(K2E_I_TASK_SIZE, "K2E-I031", K2E_SEV_INFO, "Fargate task size chosen")
K2E_DIAG_CODE(K2E_I_OPTIONAL_REF, "K2E-I032", K2E_SEV_INFO, "optional reference absent")
/* Health checks (probe.c) */
K2E_DIAG_CODE(K2E_W_PROBE_CLAMPED, "K2E-W040", K2E_SEV_WARNING, "health check value clamped to ECS range")
K2E_DIAG_CODE(K2E_W_PROBE_NOT_CONVERTED, "K2E-W041", K2E_SEV_WARNING, "probe not converted")
K2E_DIAG_CODE(K2E_I_PROBE_LOAD_BALANCER, "K2E-I040", K2E_SEV_INFO, "probe feeds the load balancer health check")
K2E_DIAG_CODE(K2E_I_READINESS, "K2E-I041", K2E_SEV_INFO, "readiness probe: target group settings")
/* Security (security.c) */
K2E_DIAG_CODE(K2E_E_FARGATE_FORBIDDEN, "K2E-E050", K2E_SEV_ERROR, "not allowed on Fargate")
K2E_DIAG_CODE(K2E_W_SECURITY, "K2E-W050", K2E_SEV_WARNING, "security setting has no ECS equivalent")
/* Volumes and storage (volumes.c) */
K2E_DIAG_CODE(K2E_E_VOLUME, "K2E-E060", K2E_SEV_ERROR, "volume cannot be used on Fargate")
K2E_DIAG_CODE(K2E_E_CLAIM_UNMAPPED, "K2E-E061", K2E_SEV_ERROR, "PersistentVolumeClaim without EFS mapping")
K2E_DIAG_CODE(K2E_E_EPHEMERAL_TOO_LARGE, "K2E-E062", K2E_SEV_ERROR, "ephemeral storage above 200 GiB")
K2E_DIAG_CODE(K2E_W_VOLUME_NOT_CONVERTED, "K2E-W060", K2E_SEV_WARNING, "volume type not converted")
K2E_DIAG_CODE(K2E_W_SUBPATH, "K2E-W061", K2E_SEV_WARNING, "subPath not supported")
/* Pod level (taskdef.c, pod.c) */
K2E_DIAG_CODE(K2E_E_PATCH, "K2E-E070", K2E_SEV_ERROR, "mapping patch cannot be applied")
K2E_DIAG_CODE(K2E_W_SCHEDULING, "K2E-W070", K2E_SEV_WARNING, "scheduling setting has no meaning on Fargate")
K2E_DIAG_CODE(K2E_W_CLAMPED, "K2E-W071", K2E_SEV_WARNING, "value clamped to the Fargate maximum")
K2E_DIAG_CODE(K2E_W_IRSA_TRUST, "K2E-W072", K2E_SEV_WARNING, "IRSA role needs an ECS trust policy")
K2E_DIAG_CODE(K2E_W_POD_FEATURE, "K2E-W073", K2E_SEV_WARNING, "pod feature has no ECS equivalent")
K2E_DIAG_CODE(K2E_W_PULL_SECRET, "K2E-W074", K2E_SEV_WARNING, "image pull secret without mapping entry")
K2E_DIAG_CODE(K2E_I_PULL_SECRET_ECR, "K2E-I070", K2E_SEV_INFO, "ECR images need no pull secret")
K2E_DIAG_CODE(K2E_W_NO_TASK_ROLE, "K2E-W075", K2E_SEV_WARNING, "service account without IAM role")
