/* Kubernetes' behavioural defaults: what an omitted field means.  Each
 * group names the defaulting code it comes from (kubernetes/kubernetes
 * pkg/apis/<group>/<version>/defaults.go unless said otherwise); the
 * per-kind audit in MAPPING.md (section 13) says how each is converted or
 * reported.  K2E_TEXT turns one into the string the rule tables compare. */
#ifndef K2E_MAP_K8S_DEFAULTS_H
#define K2E_MAP_K8S_DEFAULTS_H

#define K2E_TEXT_(x) #x
#define K2E_TEXT(x) K2E_TEXT_(x)

/* core/v1 SetDefaults_Probe */
#define K2E_K8S_PROBE_INITIAL_DELAY 0
#define K2E_K8S_PROBE_PERIOD 10
#define K2E_K8S_PROBE_TIMEOUT 1
#define K2E_K8S_PROBE_SUCCESS 1
#define K2E_K8S_PROBE_FAILURE 3

/* core/v1 SetDefaults_PodSpec */
#define K2E_K8S_TERMINATION_GRACE_SECONDS 30

/* apps/v1 SetDefaults_Deployment: RollingUpdate with 25% / 25% */
#define K2E_K8S_DEPLOYMENT_SURGE_PERCENT 25
#define K2E_K8S_DEPLOYMENT_UNAVAILABLE_PERCENT 25
#define K2E_K8S_REVISION_HISTORY_LIMIT 10
#define K2E_K8S_PROGRESS_DEADLINE_SECONDS 600
#define K2E_K8S_REPLICAS 1

/* apps/v1 SetDefaults_StatefulSet */
#define K2E_K8S_STATEFULSET_POD_MANAGEMENT "OrderedReady"

/* batch/v1 SetDefaults_Job */
#define K2E_K8S_JOB_BACKOFF_LIMIT 6
#define K2E_K8S_JOB_PARALLELISM 1

/* batch/v1 SetDefaults_CronJob */
#define K2E_K8S_CRONJOB_SUCCESSFUL_HISTORY 3
#define K2E_K8S_CRONJOB_FAILED_HISTORY 1

/* autoscaling/v2 SetDefaults_HorizontalPodAutoscaler and
 * GenerateHPAScaleDownRules / GenerateHPAScaleUpRules */
#define K2E_K8S_HPA_MIN_REPLICAS 1
#define K2E_K8S_HPA_CPU_UTILIZATION 80
#define K2E_K8S_HPA_SCALE_DOWN_WINDOW 300
#define K2E_K8S_HPA_SCALE_UP_WINDOW 0
/* The default scale-up policies: +100 % or +4 pods per 15 s, whichever
 * adds more (scale-down's default, -100 % per 15 s, limits nothing). */
#define K2E_K8S_HPA_SCALE_UP_PERCENT 100
#define K2E_K8S_HPA_SCALE_UP_PODS 4
#define K2E_K8S_HPA_SCALE_UP_PERIOD 15

#endif
