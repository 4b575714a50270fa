/* The limits of ECS, Fargate, Elastic Load Balancing and EventBridge that the
 * converter clamps or checks against, each cited to the API reference or
 * developer guide page it comes from.  MAPPING.md quotes the same numbers. */
#ifndef K2E_MAP_ECS_LIMITS_H
#define K2E_MAP_ECS_LIMITS_H

/* ECS API Reference, HealthCheck (container health checks). */
#define K2E_HEALTH_INTERVAL_MIN 5
#define K2E_HEALTH_INTERVAL_MAX 300
#define K2E_HEALTH_TIMEOUT_MIN 2
#define K2E_HEALTH_TIMEOUT_MAX 60
#define K2E_HEALTH_RETRIES_MIN 1
#define K2E_HEALTH_RETRIES_MAX 10
#define K2E_HEALTH_START_PERIOD_MIN 0
#define K2E_HEALTH_START_PERIOD_MAX 300

/* ELBv2 API Reference, ModifyTargetGroup (target group health checks). */
#define K2E_ELB_INTERVAL_MIN 5
#define K2E_ELB_INTERVAL_MAX 300
#define K2E_ELB_TIMEOUT_MIN 2
#define K2E_ELB_TIMEOUT_MAX 120
#define K2E_ELB_THRESHOLD_MIN 2
#define K2E_ELB_THRESHOLD_MAX 10

/* ECS Developer Guide, Service Connect components ("Service Connect proxy"):
 * add 256 CPU units and at least 64 MiB of memory to the task size for the
 * proxy container ECS adds to every task of a Service Connect service. */
#define K2E_SC_PROXY_CPU 256
#define K2E_SC_PROXY_MEMORY 64

/* ECS API Reference, ServiceConnectService: discoveryName and portName are
 * up to 64 lowercase letters, digits, '_' and '-', not starting with '-'. */
#define K2E_SC_NAME_MAX 64

/* ECS API Reference, ContainerDefinition stopTimeout: Fargate waits at most
 * 120 s between SIGTERM and SIGKILL; 2 s is the minimum. */
#define K2E_STOP_TIMEOUT_MIN 2
#define K2E_STOP_TIMEOUT_MAX 120

/* ECS Developer Guide, task definition parameters: a container's memory
 * (hard or soft) must be at least 6 MiB (the Docker daemon's minimum). */
#define K2E_CONTAINER_MEMORY_MIN_MIB 6

/* ECS API Reference, RunTask count and EventBridge EcsParameters TaskCount. */
#define K2E_RUN_TASK_MAX_COUNT 10

/* ECS API Reference, Tag: 50 tags per resource. */
#define K2E_MAX_TAGS 50

/* Fargate task storage (EphemeralStorage): 20 GiB included, 21-200 GiB. */
#define K2E_FARGATE_EPHEMERAL_DEFAULT_GIB 20
#define K2E_FARGATE_EPHEMERAL_MIN_GIB 21
#define K2E_FARGATE_EPHEMERAL_MAX_GIB 200

/* EventBridge API Reference, PutRule Name (64) and Description (512), and
 * PutTargets Target Input (8192 characters). */
#define K2E_RULE_NAME_MAX 64
#define K2E_RULE_DESCRIPTION_MAX 512
#define K2E_EVENTBRIDGE_INPUT_MAX 8192

#endif
