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
K2E_DIAG_CODE(K2E_I_WORKLOAD_LATER, "K2E-I033", K2E_SEV_INFO, "workload settings converted elsewhere")
