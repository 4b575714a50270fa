"""Self-tests for validate_ecs.py: every rule is shown to fire on a small
invalid document and to stay silent on a valid one.

Run:  /usr/bin/python3 -m unittest discover -s tests/tools -p 'test_*.py'
  or  cd tests/tools && /usr/bin/python3 -m unittest test_validate_ecs
"""

import contextlib
import copy
import io
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import validate_ecs as V  # noqa: E402

ACCT = "111111111111"
EXEC_ROLE = "arn:aws:iam::%s:role/ecsTaskExecutionRole" % ACCT
SM_ARN = ("arn:aws:secretsmanager:ap-northeast-1:%s:secret:"
          "prod/api-server-db-AbCdEf" % ACCT)
TG_ARN = ("arn:aws:elasticloadbalancing:ap-northeast-1:%s:targetgroup/"
          "api-server/0123456789abcdef" % ACCT)
SUBNETS = ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"]
SG = ["sg-0123456789abcdef0"]

TD = {
    "family": "api-server",
    "taskRoleArn": "arn:aws:iam::%s:role/api-server" % ACCT,
    "executionRoleArn": EXEC_ROLE,
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "1024",
    "memory": "2048",
    "runtimePlatform": {"cpuArchitecture": "ARM64",
                        "operatingSystemFamily": "LINUX"},
    "volumes": [{"name": "tmp"}],
    "containerDefinitions": [
        {
            "name": "api-server",
            "image": "%s.dkr.ecr.ap-northeast-1.amazonaws.com/acme/"
                     "api-server:1.4.2" % ACCT,
            "essential": True,
            "cpu": 1024,
            "memory": 1024,
            "memoryReservation": 512,
            "entryPoint": ["/app/server"],
            "command": ["--listen=:8080"],
            "portMappings": [
                {"name": "http", "containerPort": 8080, "protocol": "tcp",
                 "appProtocol": "http"},
                {"name": "metrics", "containerPort": 9090, "hostPort": 9090,
                 "protocol": "tcp"},
            ],
            "environment": [{"name": "LOG_LEVEL", "value": "info"}],
            "secrets": [{"name": "DB_PASSWORD",
                         "valueFrom": SM_ARN + ":password::"}],
            "mountPoints": [{"sourceVolume": "tmp", "containerPath": "/tmp",
                             "readOnly": False}],
            "readonlyRootFilesystem": True,
            "user": "1000",
            "stopTimeout": 60,
            "linuxParameters": {"initProcessEnabled": True,
                                "capabilities": {"add": ["SYS_PTRACE"],
                                                 "drop": ["ALL"]}},
            "ulimits": [{"name": "nofile", "softLimit": 65536,
                         "hardLimit": 65536}],
            "healthCheck": {"command": ["CMD-SHELL", "/app/health || exit 1"],
                            "interval": 10, "timeout": 5, "retries": 3,
                            "startPeriod": 30},
            "logConfiguration": {
                "logDriver": "awslogs",
                "options": {"awslogs-group": "/ecs/api-server",
                            "awslogs-region": "ap-northeast-1",
                            "awslogs-stream-prefix": "ecs",
                            "awslogs-create-group": "true"}},
        },
    ],
    "tags": [{"key": "app.kubernetes.io/name", "value": "api-server"}],
}

SERVICE = {
    "cluster": "ecs-cluster",
    "serviceName": "api-server",
    "taskDefinition": "api-server",
    "desiredCount": 3,
    "launchType": "FARGATE",
    "platformVersion": "LATEST",
    "deploymentConfiguration": {
        "maximumPercent": 125, "minimumHealthyPercent": 100,
        "deploymentCircuitBreaker": {"enable": True, "rollback": True}},
    "networkConfiguration": {"awsvpcConfiguration": {
        "subnets": list(SUBNETS), "securityGroups": list(SG),
        "assignPublicIp": "DISABLED"}},
    "loadBalancers": [{"targetGroupArn": TG_ARN, "containerName": "api-server",
                       "containerPort": 8080}],
    "healthCheckGracePeriodSeconds": 30,
    "serviceConnectConfiguration": {
        "enabled": True, "namespace": "default",
        "services": [{"portName": "http", "discoveryName": "api-server",
                      "clientAliases": [{"port": 80}]}]},
    "enableExecuteCommand": False,
    "propagateTags": "SERVICE",
}

RUN_TASK = {
    "cluster": "ecs-cluster",
    "taskDefinition": "api-server:3",
    "count": 1,
    "launchType": "FARGATE",
    "startedBy": "kube2ecs",
    "networkConfiguration": {"awsvpcConfiguration": {
        "subnets": list(SUBNETS), "securityGroups": list(SG),
        "assignPublicIp": "DISABLED"}},
    "overrides": {"containerOverrides": [
        {"name": "api-server", "command": ["migrate", "--up"],
         "environment": [{"name": "STEP", "value": "1"}]}]},
}

AUTOSCALING = {
    "scalableTarget": {
        "ServiceNamespace": "ecs",
        "ResourceId": "service/ecs-cluster/api-server",
        "ScalableDimension": "ecs:service:DesiredCount",
        "MinCapacity": 3, "MaxCapacity": 10},
    "scalingPolicies": [{
        "PolicyName": "api-server-cpu70",
        "ServiceNamespace": "ecs",
        "ResourceId": "service/ecs-cluster/api-server",
        "ScalableDimension": "ecs:service:DesiredCount",
        "PolicyType": "TargetTrackingScaling",
        "TargetTrackingScalingPolicyConfiguration": {
            "TargetValue": 70.0,
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
            "ScaleInCooldown": 300, "ScaleOutCooldown": 60}}],
}

ECSCHEDULE = """\
region: 'ap-northeast-1'
cluster: 'ecs-cluster'
role: 'ecsEventsRole'
rules:
- name: 'report-daily'
  description: 'from CronJob default/report-daily (0 3 * * * Asia/Tokyo)'
  scheduleExpression: 'cron(0 18 * * ? *)'
  disabled: false
  taskDefinition: 'api-server'
  containerOverrides:
  - name: 'api-server'
    command: ['report', '--since', '24h', 'echo {{`{{"{{"}}`}}.Name}}']
    environment:
      REPORT_KIND: 'daily'
      RETRIES: '3'
  launch_type: 'FARGATE'
  platform_version: 'LATEST'
  network_configuration:
    aws_vpc_configuration:
      subnets:
      - 'subnet-0a1b2c3d4e5f60001'
      - 'subnet-0a1b2c3d4e5f60002'
      security_groups: ['sg-0123456789abcdef0']
      assign_public_ip: 'DISABLED'
  propagateTags: 'TASK_DEFINITION'
- name: 'sync-quarter-hourly'
  scheduleExpression: 'cron(0/15 * * * ? *)'
  taskDefinition: 'api-server:3'
  taskCount: 2
  taskOverride:
    cpu: '2048'
    memory: '4096'
  capacityProviderStrategy:
  - capacityProvider: 'FARGATE_SPOT'
    base: 0
    weight: 1
  network_configuration:
    aws_vpc_configuration:
      subnets: ['subnet-0a1b2c3d4e5f60001']
  dead_letter_config:
    sqs: 'arn:aws:sqs:ap-northeast-1:111111111111:ecschedule-dlq'
"""


def td(**changes):
    d = copy.deepcopy(TD)
    d.update(changes)
    return d


def c0(doc):
    return doc["containerDefinitions"][0]


def run(check, doc, *args):
    p = V.Problems()
    check(doc, p, *args)
    return list(p)


def taskdefs():
    return {"api-server": copy.deepcopy(TD)}


class Base(unittest.TestCase):
    def assertClean(self, problems):
        self.assertEqual(problems, [], "\n".join("%s: %s" % x
                                                 for x in problems))

    def assertFires(self, problems, path, text):
        for p, m in problems:
            if p == path and text in m:
                return
        self.fail("no problem at %r containing %r; got:\n%s"
                  % (path, text, "\n".join("  %s: %s" % x
                                           for x in problems) or "  (none)"))


class UpdateServiceTests(Base):
    def test_valid(self):
        doc = {"cluster": "c", "service": "api-server", "taskDefinition": "api-server",
               "desiredCount": 2, "networkConfiguration": SERVICE["networkConfiguration"]}
        self.assertClean(run(V.check_update_service, doc))

    def test_create_service_members_rejected(self):
        doc = {"cluster": "c", "serviceName": "api-server", "launchType": "FARGATE"}
        problems = run(V.check_update_service, doc)
        self.assertFires(problems, "service", "Missing required parameter")
        self.assertFires(problems, "serviceName", "Unknown parameter")
        self.assertFires(problems, "launchType", "Unknown parameter")


class TaskDefinitionTests(Base):
    def check(self, doc):
        return run(V.check_task_definition, doc)

    def test_valid(self):
        self.assertClean(self.check(td()))

    def test_vcpu_and_gb_units(self):
        self.assertClean(self.check(td(cpu="1 vCPU", memory="2 GB")))

    # [botocore] layer
    def test_container_cpu_string_is_type_error(self):
        d = td()
        c0(d)["cpu"] = "1024"
        self.assertFires(self.check(d), "containerDefinitions[0].cpu",
                         "Invalid type for parameter")

    def test_float_is_not_integer(self):
        d = td()
        c0(d)["memory"] = 1024.0
        self.assertFires(self.check(d), "containerDefinitions[0].memory",
                         "[botocore] Invalid type")

    def test_task_cpu_integer_is_type_error(self):
        self.assertFires(self.check(td(cpu=1024)), "cpu",
                         "[botocore] Invalid type")

    def test_null_is_type_error(self):
        self.assertFires(self.check(td(volumes=None)), "volumes",
                         "[botocore] Invalid type")

    def test_missing_required(self):
        d = td()
        del d["family"]
        self.assertFires(self.check(d), "family",
                         "Missing required parameter")

    def test_unknown_member_with_newer_model_hint(self):
        self.assertFires(self.check(td(enableFaultInjection=False)),
                         "enableFaultInjection", "newer ECS models")
        d = td()
        c0(d)["taskDefinitionArn"] = "x"
        self.assertFires(self.check(d),
                         "containerDefinitions[0].taskDefinitionArn",
                         "Unknown parameter")

    def test_env_value_must_be_string(self):
        d = td()
        c0(d)["environment"][0]["value"] = 3
        self.assertFires(self.check(d),
                         "containerDefinitions[0].environment[0].value",
                         "[botocore] Invalid type")

    def test_log_option_value_must_be_string(self):
        d = td()
        c0(d)["logConfiguration"]["options"]["awslogs-create-group"] = True
        self.assertFires(
            self.check(d), "containerDefinitions[0].logConfiguration.options."
            "awslogs-create-group", "[botocore] Invalid type")

    # [model] layer
    def test_bool_for_int(self):
        d = td()
        c0(d)["memory"] = True
        self.assertFires(self.check(d), "containerDefinitions[0].memory",
                         "[model] boolean")

    def test_enum_network_mode(self):
        self.assertFires(self.check(td(networkMode="awsvpcX")),
                         "networkMode", "[model] invalid value")

    def test_enum_protocol_and_app_protocol(self):
        d = td()
        c0(d)["portMappings"][0]["protocol"] = "sctp"
        c0(d)["portMappings"][0]["appProtocol"] = "https"
        p = self.check(d)
        self.assertFires(p, "containerDefinitions[0].portMappings[0].protocol",
                         "[model] invalid value")
        self.assertFires(p, "containerDefinitions[0].portMappings[0].protocol",
                         "must be tcp or udp")
        self.assertFires(p, "containerDefinitions[0].portMappings[0]."
                         "appProtocol", "[model] invalid value")

    def test_enum_condition_logdriver_ulimit_arch_compat(self):
        d = td(requiresCompatibilities=["FARGATE", "EC3"])
        d["runtimePlatform"]["cpuArchitecture"] = "AMD64"
        c0(d)["ulimits"][0]["name"] = "openfiles"
        c0(d)["logConfiguration"]["logDriver"] = "cloudwatch"
        d["containerDefinitions"].append({
            "name": "side", "image": "busybox:1.36", "essential": False,
            "dependsOn": [{"containerName": "api-server",
                           "condition": "READY"}]})
        p = self.check(d)
        self.assertFires(p, "requiresCompatibilities[1]", "[model]")
        self.assertFires(p, "runtimePlatform.cpuArchitecture", "[model]")
        self.assertFires(p, "containerDefinitions[0].ulimits[0].name",
                         "[model]")
        self.assertFires(p, "containerDefinitions[0].logConfiguration."
                         "logDriver", "[model]")
        self.assertFires(p, "containerDefinitions[1].dependsOn[0].condition",
                         "[model]")

    def test_tags(self):
        p = self.check(td(tags=[{"key": "k%d" % i, "value": "v"}
                                for i in range(51)]))
        self.assertFires(p, "tags", "maximum is 50")
        p = self.check(td(tags=[{"key": "k" * 129, "value": "v" * 257},
                                {"key": "bad*key", "value": "v"},
                                {"key": "aws:reserved", "value": "v"}]))
        self.assertFires(p, "tags[0].key", "maximum is 128")
        self.assertFires(p, "tags[0].value", "maximum is 256")
        self.assertFires(p, "tags[1].key", "does not match pattern")
        self.assertFires(p, "tags[2].key", "reserved")

    # [fargate]/[ecs] task-level rules
    def test_requires_fargate(self):
        self.assertFires(self.check(td(requiresCompatibilities=["EC2"])),
                         "requiresCompatibilities", "must contain FARGATE")

    def test_network_mode_awsvpc(self):
        self.assertFires(self.check(td(networkMode="bridge")), "networkMode",
                         "must be awsvpc")
        d = td()
        del d["networkMode"]
        self.assertFires(self.check(d), "networkMode", "must be awsvpc")

    def test_fargate_sizes(self):
        self.assertFires(self.check(td(cpu="256", memory="4096")), "memory",
                         "not valid with cpu 256")
        self.assertFires(self.check(td(cpu="3000", memory="4096")), "cpu",
                         "not a Fargate size")
        self.assertFires(self.check(td(cpu="8 vCPU", memory="18432")),
                         "memory", "not valid with cpu 8192")
        d = td(cpu="8192", memory="20480")
        self.assertClean(self.check(d))
        self.assertFires(self.check(td(cpu="1 core")), "cpu",
                         "neither CPU units")
        d = td()
        del d["memory"]
        self.assertFires(self.check(d), "memory", "required")

    def test_container_sizes(self):
        d = td()
        c0(d)["cpu"] = 2048
        self.assertFires(self.check(d), "containerDefinitions",
                         "sum of container cpu")
        d = td()
        c0(d)["memory"] = 4096
        c0(d)["memoryReservation"] = 1024
        self.assertFires(self.check(d), "containerDefinitions[0].memory",
                         "exceeds task memory")
        d = td()
        d["containerDefinitions"].append({
            "name": "sidecar", "image": "busybox:1.36", "essential": False,
            "memoryReservation": 1600})
        self.assertFires(self.check(d), "containerDefinitions",
                         "memoryReservation/memory (2112 MiB)")
        d = td()
        c0(d)["memoryReservation"] = 2000
        self.assertFires(self.check(d),
                         "containerDefinitions[0].memoryReservation",
                         "must be greater than memoryReservation")
        d = td()
        c0(d)["memoryReservation"] = 1024
        self.assertFires(self.check(d),
                         "containerDefinitions[0].memoryReservation",
                         "omit memoryReservation when they are equal")
        d = td()
        c0(d)["memoryReservation"] = 4
        self.assertFires(self.check(d),
                         "containerDefinitions[0].memoryReservation", ">= 6")

    def test_names(self):
        d = td(family="api.server")
        d["containerDefinitions"].append(copy.deepcopy(c0(d)))
        d["containerDefinitions"][1]["portMappings"] = []
        d["containerDefinitions"][1]["cpu"] = 0
        d["containerDefinitions"][1]["memoryReservation"] = 6
        p = self.check(d)
        self.assertFires(p, "family", "1-255 of")
        self.assertFires(p, "containerDefinitions[1].name",
                         "duplicate container name")
        d = td()
        c0(d)["name"] = "api server"
        self.assertFires(self.check(d), "containerDefinitions[0].name",
                         "1-255 of")
        d = td()
        del c0(d)["image"]
        self.assertFires(self.check(d), "containerDefinitions[0].image",
                         "required")

    def test_essential(self):
        d = td()
        c0(d)["essential"] = False
        self.assertFires(self.check(d), "containerDefinitions",
                         "must be essential")

    def test_depends_on(self):
        base = td()
        base["containerDefinitions"].insert(0, {
            "name": "init", "image": "busybox:1.36", "essential": False,
            "command": ["true"]})
        base["containerDefinitions"][1]["dependsOn"] = [
            {"containerName": "init", "condition": "SUCCESS"}]
        self.assertClean(self.check(base))

        d = copy.deepcopy(base)
        d["containerDefinitions"][1]["dependsOn"][0]["containerName"] = "nope"
        self.assertFires(self.check(d), "containerDefinitions[1].dependsOn[0]"
                         ".containerName", "does not exist")

        d = copy.deepcopy(base)
        d["containerDefinitions"][0]["essential"] = True
        self.assertFires(self.check(d), "containerDefinitions[1].dependsOn[0]"
                         ".condition", "essential container")

        d = copy.deepcopy(base)
        d["containerDefinitions"][1]["dependsOn"][0]["condition"] = "HEALTHY"
        self.assertFires(self.check(d), "containerDefinitions[1].dependsOn[0]"
                         ".condition", "needs a healthCheck")

        d = copy.deepcopy(base)
        d["containerDefinitions"][0]["dependsOn"] = [
            {"containerName": "api-server", "condition": "START"}]
        self.assertFires(self.check(d), "containerDefinitions",
                         "dependsOn cycle")

    def test_health_check(self):
        d = td()
        c0(d)["healthCheck"] = {"command": ["curl", "-f", "x"], "interval": 4,
                                "timeout": 61, "retries": 11,
                                "startPeriod": 301}
        p = self.check(d)
        hp = "containerDefinitions[0].healthCheck."
        self.assertFires(p, hp + "command", "CMD")
        self.assertFires(p, hp + "interval", "5-300")
        self.assertFires(p, hp + "timeout", "2-60")
        self.assertFires(p, hp + "retries", "1-10")
        self.assertFires(p, hp + "startPeriod", "0-300")

    def test_ports(self):
        d = td()
        c0(d)["portMappings"][0]["hostPort"] = 80
        self.assertFires(self.check(d), "containerDefinitions[0]."
                         "portMappings[0].hostPort", "equal to containerPort")
        d = td()
        c0(d)["portMappings"][1]["name"] = "http"
        self.assertFires(self.check(d), "containerDefinitions[0]."
                         "portMappings[1].name", "duplicate port name")
        d = td()
        c0(d)["portMappings"][1]["containerPort"] = 8080
        del c0(d)["portMappings"][1]["hostPort"]
        self.assertFires(self.check(d), "containerDefinitions[0]."
                         "portMappings[1]", "already mapped")

    def test_fargate_forbidden_container_members(self):
        d = td()
        c = c0(d)
        c["privileged"] = True
        c["links"] = ["db"]
        c["dnsServers"] = ["10.0.0.2"]
        c["extraHosts"] = [{"hostname": "db", "ipAddress": "10.0.0.3"}]
        c["dockerSecurityOptions"] = ["no-new-privileges"]
        c["hostname"] = "api"
        c["linuxParameters"]["capabilities"]["add"] = ["SYS_PTRACE",
                                                        "NET_ADMIN"]
        c["linuxParameters"]["sharedMemorySize"] = 64
        c["resourceRequirements"] = [{"type": "GPU", "value": "1"}]
        p = self.check(d)
        cp = "containerDefinitions[0]."
        for key in ("privileged", "links", "dnsServers", "extraHosts",
                    "dockerSecurityOptions"):
            self.assertFires(p, cp + key, "not supported on Fargate")
        self.assertFires(p, cp + "hostname", "awsvpc")
        self.assertFires(p, cp + "linuxParameters.capabilities.add[1]",
                         "only SYS_PTRACE")
        self.assertFires(p, cp + "linuxParameters.sharedMemorySize",
                         "not supported")
        self.assertFires(p, cp + "resourceRequirements[0]", "GPU")

    def test_fargate_forbidden_task_members(self):
        p = self.check(td(placementConstraints=[{"type": "memberOf",
                                                 "expression": "x"}],
                          ipcMode="task", pidMode="host"))
        self.assertFires(p, "placementConstraints", "not supported")
        self.assertFires(p, "ipcMode", "not supported")
        self.assertFires(p, "pidMode", "must be \"task\"")
        self.assertClean(self.check(td(placementConstraints=[])))

    def test_volumes(self):
        d = td(volumes=[{"name": "tmp", "host": {"sourcePath": "/var/tmp"}},
                        {"name": "docker", "dockerVolumeConfiguration": {
                            "scope": "task"}}])
        c0(d)["mountPoints"].append({"sourceVolume": "missing",
                                     "containerPath": "/data"})
        p = self.check(d)
        self.assertFires(p, "volumes[0].host.sourcePath", "not supported")
        self.assertFires(p, "volumes[1].dockerVolumeConfiguration",
                         "not supported")
        self.assertFires(p, "containerDefinitions[0].mountPoints[1]."
                         "sourceVolume", "not defined")
        self.assertClean(self.check(td(volumes=[{"name": "tmp",
                                                 "host": {}}])))

    def test_timeouts_and_ephemeral_storage(self):
        d = td(ephemeralStorage={"sizeInGiB": 20})
        c0(d)["stopTimeout"] = 121
        p = self.check(d)
        self.assertFires(p, "containerDefinitions[0].stopTimeout", "0-120")
        self.assertFires(p, "ephemeralStorage.sizeInGiB", "21-200")
        self.assertFires(self.check(td(ephemeralStorage={"sizeInGiB": 201})),
                         "ephemeralStorage.sizeInGiB", "21-200")
        self.assertClean(self.check(td(ephemeralStorage={"sizeInGiB": 21})))

    def test_restart_policy_ranges(self):
        d = td()
        c0(d)["restartPolicy"] = {"enabled": True, "restartAttemptPeriod": 59,
                                  "ignoredExitCodes": list(range(51))}
        p = self.check(d)
        self.assertFires(p, "containerDefinitions[0].restartPolicy."
                         "restartAttemptPeriod", "60-1800")
        self.assertFires(p, "containerDefinitions[0].restartPolicy."
                         "ignoredExitCodes", "at most 50")
        c0(d)["restartPolicy"] = {"enabled": True, "restartAttemptPeriod": 1801}
        self.assertFires(self.check(d), "containerDefinitions[0].restartPolicy."
                         "restartAttemptPeriod", "60-1800")
        c0(d)["restartPolicy"] = {"enabled": True, "restartAttemptPeriod": 60,
                                  "ignoredExitCodes": [0]}
        # Debian's botocore predates the member: that is its only complaint.
        self.assertEqual([m for _, m in self.check(d)
                          if "Unknown parameter" not in m], [])

    def test_awslogs_options(self):
        d = td()
        del c0(d)["logConfiguration"]["options"]["awslogs-stream-prefix"]
        c0(d)["logConfiguration"]["options"]["awslogs-group"] = "/ecs/{family}"
        p = self.check(d)
        lp = "containerDefinitions[0].logConfiguration.options."
        self.assertFires(p, lp + "awslogs-stream-prefix", "needs option")
        self.assertFires(p, lp + "awslogs-group", "not a valid log group")
        d = td()
        c0(d)["logConfiguration"]["logDriver"] = "json-file"
        self.assertFires(self.check(d), "containerDefinitions[0]."
                         "logConfiguration.logDriver", "not supported on "
                         "Fargate")

    def test_execution_role_required(self):
        d = td()
        del d["executionRoleArn"]
        p = self.check(d)
        self.assertFires(p, "executionRoleArn", "awslogs")
        self.assertFires(p, "executionRoleArn", "secrets")
        self.assertFires(p, "executionRoleArn", "private ECR image")
        d = td()
        del d["executionRoleArn"]
        c0(d)["image"] = "public.ecr.aws/docker/library/nginx:1.25"
        del c0(d)["logConfiguration"]
        del c0(d)["secrets"]
        c0(d)["repositoryCredentials"] = {"credentialsParameter": SM_ARN}
        self.assertFires(self.check(d), "executionRoleArn",
                         "repositoryCredentials")

    def test_secret_value_from(self):
        ok = ["/prod/api/db-password", "db-password",
              "arn:aws:ssm:ap-northeast-1:%s:parameter/prod/api/db" % ACCT,
              SM_ARN, SM_ARN + ":password::", SM_ARN + "::AWSCURRENT:",
              SM_ARN + ":password:AWSPREVIOUS:0123abcd"]
        bad = [SM_ARN + ":password", SM_ARN + ":a:b:c:d", "prod/api/db",
               "arn:aws:s3:::bucket/key", "awsdb", "has space",
               "arn:aws:secretsmanager:ap-northeast-1:12345:secret:x"]
        for v in ok:
            d = td()
            c0(d)["secrets"][0]["valueFrom"] = v
            self.assertClean(self.check(d))
        for v in bad:
            d = td()
            c0(d)["secrets"][0]["valueFrom"] = v
            self.assertFires(self.check(d), "containerDefinitions[0]."
                             "secrets[0].valueFrom", "")

    def test_env_and_secret_names(self):
        d = td()
        c0(d)["environment"].append({"name": "DB_PASSWORD", "value": "x"})
        c0(d)["environment"].append({"name": "LOG_LEVEL", "value": "debug"})
        p = self.check(d)
        self.assertFires(p, "containerDefinitions[0].environment[2].name",
                         "duplicate environment variable")
        self.assertFires(p, "containerDefinitions[0].secrets[0].name",
                         "also set in environment")

    def test_never_crashes_on_wrong_types(self):
        d = td(containerDefinitions=[1, "x", None, {"name": 5}],
               volumes="x", tags={"a": 1})
        p = self.check(d)
        self.assertTrue(p)
        self.assertFalse([x for x in p if "internal validator error" in x[1]],
                         p)


class EcsModelTests(Base):
    """--ecs-model: a minified model (aws-sdk layout) replaces botocore's."""

    MINIFIED = {
        "version": "2.0",
        "metadata": {"apiVersion": "2014-11-13", "endpointPrefix": "ecs",
                     "jsonVersion": "1.1", "protocol": "json",
                     "serviceId": "ECS", "signatureVersion": "v4",
                     "targetPrefix": "AmazonEC2ContainerServiceV20141113",
                     "uid": "ecs-2014-11-13"},
        "operations": {"RegisterTaskDefinition": {"input": {
            "type": "structure", "required": ["family"],
            "members": {"family": {}, "containerDefinitions": {"shape": "S1"}},
        }}},
        "shapes": {"S1": {"type": "list", "member": {
            "type": "structure",
            "members": {"name": {}, "restartPolicy": {
                "type": "structure", "required": ["enabled"],
                "members": {"enabled": {"type": "boolean"},
                            "ignoredExitCodes": {"type": "list",
                                                 "member": {"type": "integer"}},
                            "restartAttemptPeriod": {"type": "integer"}}}}}}},
    }

    def setUp(self):
        self.tmp = tempfile.NamedTemporaryFile("w", suffix=".json",
                                               delete=False)
        json.dump(self.MINIFIED, self.tmp)
        self.tmp.close()
        V._ECS_MODEL_PATH = self.tmp.name
        V._MODELS.pop("ecs", None)

    def tearDown(self):
        V._ECS_MODEL_PATH = None
        V._MODELS.pop("ecs", None)
        os.unlink(self.tmp.name)

    def check(self, params):
        p = V.Problems()
        V.botocore_check(params, "ecs", "RegisterTaskDefinition", p)
        return list(p)

    def test_known_member_passes(self):
        self.assertClean(self.check({"family": "f", "containerDefinitions": [
            {"name": "a", "restartPolicy": {"enabled": True,
                                            "ignoredExitCodes": [0],
                                            "restartAttemptPeriod": 60}}]}))

    def test_unknown_member_and_wrong_type_fire(self):
        p = self.check({"family": "f", "containerDefinitions": [
            {"name": "a", "restartPolicy": {"enabled": "yes",
                                            "maxRestarts": 3}}]})
        self.assertFires(p, "containerDefinitions[0].restartPolicy.maxRestarts",
                         "Unknown parameter")
        self.assertFires(p, "containerDefinitions[0].restartPolicy.enabled",
                         "Invalid type")
        self.assertFires(self.check({"containerDefinitions": []}), "family",
                         "Missing required parameter")


class ServiceTests(Base):
    def check(self, doc, tds=None):
        return run(V.check_service, doc, taskdefs() if tds is None else tds)

    def svc(self, **changes):
        d = copy.deepcopy(SERVICE)
        d.update(changes)
        return d

    def test_valid(self):
        self.assertClean(self.check(self.svc()))
        self.assertClean(run(V.check_service, self.svc(), None))

    def test_desired_count_string(self):
        self.assertFires(self.check(self.svc(desiredCount="3")),
                         "desiredCount", "Invalid type for parameter "
                         "desiredCount, value: 3, type: <class 'str'>")

    def test_launch_type_xor_capacity_provider(self):
        p = self.check(self.svc(capacityProviderStrategy=[
            {"capacityProvider": "FARGATE", "weight": 1}]))
        self.assertFires(p, "capacityProviderStrategy", "mutually exclusive")
        d = self.svc(capacityProviderStrategy=[
            {"capacityProvider": "FARGATE_SPOT", "weight": 1001}])
        del d["launchType"]
        p = self.check(d)
        self.assertFires(p, "capacityProviderStrategy[0].weight",
                         "above maximum 1000")
        self.assertFires(p, "capacityProviderStrategy", "ARM64")

    def test_network(self):
        d = self.svc()
        del d["networkConfiguration"]["awsvpcConfiguration"]["subnets"]
        self.assertFires(self.check(d), "networkConfiguration."
                         "awsvpcConfiguration.subnets", "Missing required")
        d = self.svc()
        del d["networkConfiguration"]
        self.assertFires(self.check(d), "networkConfiguration."
                         "awsvpcConfiguration", "awsvpc tasks need")
        avc = {"subnets": ["subnet-%017x" % i for i in range(17)],
               "securityGroups": ["sg-%017x" % i for i in range(6)]}
        p = self.check(self.svc(networkConfiguration={
            "awsvpcConfiguration": avc}))
        self.assertFires(p, "networkConfiguration.awsvpcConfiguration."
                         "subnets", "at most 16")
        self.assertFires(p, "networkConfiguration.awsvpcConfiguration."
                         "securityGroups", "at most 5")
        p = self.check(self.svc(networkConfiguration={
            "awsvpcConfiguration": {"subnets": ["${SUBNET_ID}"],
                                    "assignPublicIp": "YES"}}))
        self.assertFires(p, "networkConfiguration.awsvpcConfiguration."
                         "subnets[0]", "not a subnet id")
        self.assertFires(p, "networkConfiguration.awsvpcConfiguration."
                         "assignPublicIp", "[model]")

    def test_fargate_forbidden(self):
        p = self.check(self.svc(
            placementConstraints=[{"type": "distinctInstance"}],
            placementStrategy=[{"type": "spread", "field": "host"}],
            role="ecsServiceRole", schedulingStrategy="DAEMON"))
        self.assertFires(p, "placementConstraints", "not supported")
        self.assertFires(p, "placementStrategy", "not supported")
        self.assertFires(p, "role", "must not be set")
        self.assertFires(p, "schedulingStrategy", "DAEMON")
        d = self.svc()
        d["loadBalancers"][0]["loadBalancerName"] = "classic"
        self.assertFires(self.check(d), "loadBalancers[0].loadBalancerName",
                         "Classic")

    def test_xref(self):
        self.assertFires(self.check(self.svc(taskDefinition="other:2")),
                         "taskDefinition", "has no task-definitions/other"
                         ".json")
        self.assertFires(self.check(self.svc(), {}), "taskDefinition",
                         "has no task-definitions")
        d = self.svc()
        d["loadBalancers"][0]["containerName"] = "web"
        self.assertFires(self.check(d), "loadBalancers[0].containerName",
                         "does not exist")
        d = self.svc()
        d["loadBalancers"][0]["containerPort"] = 80
        self.assertFires(self.check(d), "loadBalancers[0].containerPort",
                         "no portMapping for containerPort 80")
        d = self.svc()
        d["serviceConnectConfiguration"]["services"][0]["portName"] = "web"
        self.assertFires(self.check(d), "serviceConnectConfiguration."
                         "services[0].portName", "matches no portMappings")
        arn = ("arn:aws:ecs:ap-northeast-1:%s:task-definition/api-server:7"
               % ACCT)
        self.assertClean(self.check(self.svc(taskDefinition=arn)))

    def test_deployment_configuration(self):
        p = self.check(self.svc(deploymentConfiguration={
            "maximumPercent": 100, "minimumHealthyPercent": 100}))
        self.assertFires(p, "deploymentConfiguration", "must exceed")


class RunTaskTests(Base):
    def check(self, doc):
        return run(V.check_run_task, doc, taskdefs())

    def rt(self, **changes):
        d = copy.deepcopy(RUN_TASK)
        d.update(changes)
        return d

    def test_valid(self):
        self.assertClean(self.check(self.rt()))

    def test_count(self):
        self.assertFires(self.check(self.rt(count=0)), "count", "1-10")
        self.assertFires(self.check(self.rt(count=11)), "count", "1-10")
        self.assertFires(self.check(self.rt(count="1")), "count",
                         "[botocore] Invalid type")

    def test_network_and_launch(self):
        d = self.rt(capacityProviderStrategy=[{"capacityProvider": "FARGATE",
                                               "weight": 1}],
                    placementStrategy=[{"type": "random"}])
        del d["networkConfiguration"]
        p = self.check(d)
        self.assertFires(p, "capacityProviderStrategy", "mutually exclusive")
        self.assertFires(p, "placementStrategy", "not supported")
        self.assertFires(p, "networkConfiguration.awsvpcConfiguration",
                         "awsvpc")

    def test_overrides(self):
        d = self.rt()
        d["overrides"]["containerOverrides"][0]["name"] = "api"
        d["overrides"]["cpu"] = "4096"
        p = self.check(d)
        self.assertFires(p, "overrides.containerOverrides[0].name",
                         "does not exist")
        self.assertFires(p, "overrides.memory", "not valid with cpu 4096")
        d = self.rt()
        d["overrides"]["memory"] = 4096
        self.assertFires(self.check(d), "overrides.memory",
                         "[botocore] Invalid type")


class AutoscalingTests(Base):
    def check(self, doc, services=None):
        return run(V.check_autoscaling, doc, services)

    def doc(self):
        return copy.deepcopy(AUTOSCALING)

    def test_valid(self):
        self.assertClean(self.check(self.doc()))
        self.assertClean(self.check(self.doc(),
                                    {"api-server": copy.deepcopy(SERVICE)}))

    def test_botocore_and_model(self):
        d = self.doc()
        d["scalableTarget"]["MinCapacity"] = "3"
        d["scalingPolicies"][0]["PolicyType"] = "TargetTracking"
        del d["scalingPolicies"][0]["PolicyName"]
        p = self.check(d)
        self.assertFires(p, "scalableTarget.MinCapacity",
                         "[botocore] Invalid type")
        self.assertFires(p, "scalingPolicies[0].PolicyType",
                         "[model] invalid value")
        self.assertFires(p, "scalingPolicies[0].PolicyName",
                         "Missing required")

    def test_rules(self):
        d = self.doc()
        d["scalableTarget"]["MinCapacity"] = 11
        d["scalableTarget"]["ResourceId"] = "ecs-cluster/api-server"
        d["scalingPolicies"][0]["ResourceId"] = "service/ecs-cluster/other"
        tt = d["scalingPolicies"][0]["TargetTrackingScalingPolicyConfiguration"]
        tt["PredefinedMetricSpecification"]["PredefinedMetricType"] = \
            "DynamoDBReadCapacityUtilization"
        d["extra"] = 1
        p = self.check(d)
        self.assertFires(p, "scalableTarget.MinCapacity", "exceeds")
        self.assertFires(p, "scalableTarget.ResourceId", "service/<cluster>")
        self.assertFires(p, "scalingPolicies[0].ResourceId", "differs")
        self.assertFires(p, "scalingPolicies[0].TargetTrackingScalingPolicy"
                         "Configuration.PredefinedMetricSpecification."
                         "PredefinedMetricType", "not a metric for ECS")
        self.assertFires(p, "extra", "unknown key")
        d = self.doc()
        del d["scalableTarget"]["MaxCapacity"]
        self.assertFires(self.check(d), "scalableTarget.MaxCapacity",
                         "required")
        self.assertFires(self.check({"scalingPolicies": []}),
                         "scalableTarget", "missing")

    def test_xref_service(self):
        p = self.check(self.doc(), {"web": copy.deepcopy(SERVICE)})
        self.assertFires(p, "scalableTarget.ResourceId", "no services/*.json")


class WrapperTests(Base):
    def test_ecs_deploy(self):
        self.assertClean(run(V.check_ecs_deploy,
                             {"taskDefinition": td(placementConstraints=[])}))
        p = run(V.check_ecs_deploy, td())
        self.assertFires(p, "taskDefinition", "wrapper")
        p = run(V.check_ecs_deploy, {"taskDefinition": td(cpu="512")})
        self.assertFires(p, "taskDefinition.placementConstraints",
                         "absent becomes null")
        self.assertFires(p, "taskDefinition.containerDefinitions",
                         "sum of container cpu")


class ScheduleTests(Base):
    VALID = ["cron(0 18 * * ? *)", "cron(0/15 * * * ? *)",
             "cron(*/15 * * * ? *)", "cron(30 0 L * ? *)",
             "cron(0 9 ? * MON-FRI *)", "cron(0 0 ? * 2#1 *)",
             "cron(0 0 ? * 6L *)", "cron(0 0 LW * ? *)",
             "cron(0 0 15W * ? *)", "cron(0 0 1,15 JAN-MAR ? 2027-2030)",
             "cron(0 0 ? * L *)", "rate(1 minute)", "rate(5 minutes)",
             "rate(1 day)", "rate(12 hours)"]
    INVALID = {
        "cron(0 0 * * * *)": "exactly one",
        "cron(0 0 ? * ? *)": "exactly one",
        "cron(0 0 * * ?)": "6 fields",
        "cron(0 0 1 * ? * *)": "6 fields",
        "cron(0 0 ? * 1/2 *)": "does not allow '/'",
        "cron(0 0 ? * 3#1,6#3 *)": "only one expression",
        "cron(0 0 ? * 2#6 *)": "1-5",
        "cron(0 0 1 * ? 1969)": "out of range 1970-2199",
        "cron(0 0 1 * ? 2200)": "out of range 1970-2199",
        "cron(0 22-2 * * ? *)": "reversed range",
        "cron(*/60 * * * ? *)": "step 60",
        "cron(0/0 * * * ? *)": "step 0",
        "cron(0 24 * * ? *)": "out of range 0-23",
        "cron(0 0 ? * 0 *)": "out of range 1-7",
        "cron(0 0 L-3 * ? *)": "L-n",
        "cron(0 0 1,L * ? *)": "not allowed inside a list",
        "cron(0 0 ? * 2L,3 *)": "",
        "cron(0 0 1 * ? ?)": "'?' is only allowed",
        "cron( 0 0 1 * ? *)": "leading/trailing space",
        "cron(0  0 1 * ? *)": "single spaces",
        "CRON(0 0 1 * ? *)": "neither cron",
        "cron(0 0 1 FOO ? *)": "not a valid value",
        "cron(0 0 1,,2 * ? *)": "empty list item",
        "rate(1 hours)": "singular iff",
        "rate(5 hour)": "singular iff",
        "rate(0 minutes)": "positive integer",
        "rate(05 minutes)": "positive integer",
        "rate(5 weeks)": "rate(",
        "rate(5  minutes)": "rate(",
    }

    def test_valid(self):
        for e in self.VALID:
            self.assertEqual(V.validate_schedule(e), [], e)

    def test_invalid(self):
        for e, text in self.INVALID.items():
            errs = V.validate_schedule(e)
            self.assertTrue(errs, "%s accepted" % e)
            self.assertTrue(any(text in m for m in errs), (e, errs))


class EcscheduleTests(Base):
    def check(self, text, tds=None):
        return run(V.check_ecschedule_text, text,
                   taskdefs() if tds is None else tds)

    def edit(self, old, new):
        self.assertIn(old, ECSCHEDULE)
        return ECSCHEDULE.replace(old, new, 1)

    def test_valid(self):
        self.assertClean(self.check(ECSCHEDULE))
        self.assertClean(run(V.check_ecschedule_text, ECSCHEDULE, None))

    def test_duplicate_key(self):
        p = self.check(self.edit("      RETRIES: '3'\n",
                                 "      RETRIES: '3'\n      RETRIES: '4'\n"))
        self.assertFires(p, "rules[0].containerOverrides[0].environment."
                         "RETRIES", "duplicate key")
        p = self.check(self.edit("  disabled: false\n",
                                 "  disabled: false\n  disabled: true\n"))
        self.assertFires(p, "rules[0].disabled", "duplicate key")

    def test_unknown_keys(self):
        p = self.check(self.edit("  launch_type: 'FARGATE'\n",
                                 "  launchType: 'FARGATE'\n"))
        self.assertFires(p, "rules[0].launchType", "did you mean "
                         "'launch_type'")
        p = self.check(self.edit("      security_groups:",
                                 "      securityGroups:"))
        self.assertFires(p, "rules[0].network_configuration."
                         "aws_vpc_configuration.securityGroups", "unknown key")
        p = self.check(self.edit("  description:", "  Description:"))
        self.assertFires(p, "rules[0].Description", "unknown key")
        p = self.check(self.edit("    aws_vpc_configuration:\n      subnets:\n",
                                 "    awsvpcConfiguration:\n      subnets:\n"))
        self.assertFires(p, "rules[0].network_configuration."
                         "aws_vpc_configuration", "required key")
        p = self.check("cluster: 'c'\nrules: []\n")
        self.assertFires(p, "region", "required key")

    def test_unquoted_strings(self):
        p = self.check(self.edit("  launch_type: 'FARGATE'",
                                 "  launch_type: FARGATE"))
        self.assertFires(p, "rules[0].launch_type", "not quoted")
        p = self.check(self.edit("RETRIES: '3'", "RETRIES: 3"))
        self.assertFires(p, "rules[0].containerOverrides[0].environment."
                         "RETRIES", "not quoted")
        p = self.check(self.edit("'--since', '24h'", "'--since', 24h, 10"))
        self.assertFires(p, "rules[0].containerOverrides[0].command[2]",
                         "not quoted")
        self.assertFires(p, "rules[0].containerOverrides[0].command[3]",
                         "not quoted")
        p = self.check(self.edit("cpu: '2048'", "cpu: 2048"))
        self.assertFires(p, "rules[1].taskOverride.cpu", "not quoted")
        p = self.check(self.edit("REPORT_KIND: 'daily'", "REPORT_KIND:"))
        self.assertFires(p, "rules[0].containerOverrides[0].environment."
                         "REPORT_KIND", "null/empty")

    def test_types(self):
        p = self.check(self.edit("  taskCount: 2", "  taskCount: '2'"))
        self.assertFires(p, "rules[1].taskCount", "expected an integer")
        p = self.check(self.edit("  taskCount: 2", "  taskCount: 010"))
        self.assertFires(p, "rules[1].taskCount", "decimal integer")
        p = self.check(self.edit("  disabled: false", "  disabled: 'false'"))
        self.assertFires(p, "rules[0].disabled", "YAML boolean")
        p = self.check(self.edit("  disabled: false", "  disabled: no"))
        self.assertFires(p, "rules[0].disabled", "YAML boolean")
        p = self.check(self.edit(
            "    environment:\n      REPORT_KIND: 'daily'\n      RETRIES: '3'\n",
            "    environment:\n    - name: 'REPORT_KIND'\n      value: 'daily'\n"))
        self.assertFires(p, "rules[0].containerOverrides[0].environment",
                         "expected a mapping")
        p = self.check(self.edit(
            "    command: ['report', '--since', '24h', "
            "'echo {{`{{\"{{\"}}`}}.Name}}']",
            "    command: './report'"))
        self.assertFires(p, "rules[0].containerOverrides[0].command",
                         "expected a list")
        p = self.check(self.edit("    base: 0", "    base: 1.5"))
        self.assertFires(p, "rules[1].capacityProviderStrategy[0].base",
                         "decimal integer")

    def test_names_and_description(self):
        p = self.check(self.edit("name: 'sync-quarter-hourly'",
                                 "name: 'report-daily'"))
        self.assertFires(p, "rules[1].name", "duplicate rule name")
        p = self.check(self.edit("name: 'sync-quarter-hourly'",
                                 "name: 'sync quarter/hourly'"))
        self.assertFires(p, "rules[1].name", "1-64")
        p = self.check(self.edit("name: 'sync-quarter-hourly'",
                                 "name: '%s'" % ("x" * 65)))
        self.assertFires(p, "rules[1].name", "1-64")
        p = self.check(self.edit("  description: 'from CronJob default/"
                                 "report-daily (0 3 * * * Asia/Tokyo)'",
                                 "  description: '%s'" % ("d" * 513)))
        self.assertFires(p, "rules[0].description", "512")

    def test_task_count(self):
        p = self.check(self.edit("  taskCount: 2", "  taskCount: 1"))
        self.assertFires(p, "rules[1].taskCount", "non-canonical")
        p = self.check(self.edit("  taskCount: 2", "  taskCount: 0"))
        self.assertFires(p, "rules[1].taskCount", ">= 1")

    def test_schedule(self):
        p = self.check(self.edit("cron(0 18 * * ? *)", "cron(0 0 * * * *)"))
        self.assertFires(p, "rules[0].scheduleExpression", "exactly one")
        p = self.check(self.edit("cron(0 18 * * ? *)", "rate(1 hours)"))
        self.assertFires(p, "rules[0].scheduleExpression", "singular")
        p = self.check(self.edit("cron(0 18 * * ? *)", "0 3 * * *"))
        self.assertFires(p, "rules[0].scheduleExpression", "neither")

    def test_launch_type_and_capacity_provider(self):
        p = self.check(self.edit("  capacityProviderStrategy:\n",
                                 "  launch_type: 'FARGATE'\n"
                                 "  capacityProviderStrategy:\n"))
        self.assertFires(p, "rules[1].capacityProviderStrategy",
                         "must not both be set")

    def test_network(self):
        text = self.edit("  network_configuration:\n    aws_vpc_configuration:"
                         "\n      subnets: ['subnet-0a1b2c3d4e5f60001']\n", "")
        self.assertFires(self.check(text), "rules[1].network_configuration",
                         "need network_configuration")
        p = self.check(self.edit("assign_public_ip: 'DISABLED'",
                                 "assign_public_ip: 'NO'"))
        self.assertFires(p, "rules[0].network_configuration."
                         "aws_vpc_configuration.assign_public_ip", "ENABLED")

    def test_templates(self):
        p = self.check(self.edit("'echo {{`{{\"{{\"}}`}}.Name}}'",
                                 "'echo {{.Name}}'"))
        self.assertFires(p, "$", "unescaped '{{'")
        p = self.check(self.edit("'echo {{`{{\"{{\"}}`}}.Name}}'",
                                 "\"echo {{`{{\\\"{{\\\"}}`}}.Name}}\""))
        self.assertTrue(any("double-quoted" in m or "unescaped" in m
                            for _, m in p), p)
        p = self.check(self.edit("'24h'", "'{{ env \"SINCE\" \"24h\" }}'"))
        self.assertFires(p, "$", "line 12: unescaped")

    def test_canonical_forms(self):
        p = self.check(self.edit("taskDefinition: 'api-server'\n",
                                 "taskDefinition: 'arn:aws:ecs:ap-northeast-1:"
                                 "111111111111:task-definition/api-server'\n"))
        self.assertFires(p, "rules[0].taskDefinition", "non-canonical")
        p = self.check(self.edit("role: 'ecsEventsRole'",
                                 "role: 'arn:aws:iam::111111111111:role/"
                                 "ecsEventsRole'"))
        self.assertFires(p, "role", "non-canonical")
        p = self.check(self.edit("sqs: 'arn:aws:sqs:ap-northeast-1:"
                                 "111111111111:ecschedule-dlq'",
                                 "sqs: 'ecschedule-dlq'"))
        self.assertFires(p, "rules[1].dead_letter_config.sqs",
                         "non-canonical")

    def test_xref(self):
        p = self.check(self.edit("  - name: 'api-server'\n",
                                 "  - name: 'api'\n"))
        self.assertFires(p, "rules[0].containerOverrides[0].name",
                         "does not exist")
        p = self.check(self.edit("taskDefinition: 'api-server:3'",
                                 "taskDefinition: 'batch:3'"))
        self.assertFires(p, "rules[1].taskDefinition", "has no "
                         "task-definitions/batch.json")
        p = self.check(self.edit("    memory: '4096'", "    memory: '1024'"))
        self.assertFires(p, "rules[1].taskOverride.memory",
                         "not valid with cpu 2048")

    def test_documents_and_merge_keys(self):
        p = self.check(ECSCHEDULE + "---\nregion: 'us-east-1'\n")
        self.assertFires(p, "$", "reads only the first")
        p = self.check(self.edit("  network_configuration:\n    aws_vpc_"
                                 "configuration:\n      subnets:\n",
                                 "  network_configuration: &net\n    aws_vpc_"
                                 "configuration:\n      subnets:\n").replace(
            "  network_configuration:\n    aws_vpc_configuration:\n      "
            "subnets: ['subnet-0a1b2c3d4e5f60001']\n",
            "  network_configuration:\n    <<: *net\n"))
        self.assertFires(p, "rules[1].network_configuration.<<", "merge keys")
        p = self.check("region: 'x\n")
        self.assertFires(p, "$", "YAML parse error")


class CommandLineTests(Base):
    def make_outdir(self, root, broken=False):
        def put(rel, obj):
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                if isinstance(obj, str):
                    f.write(obj)
                else:
                    json.dump(obj, f, indent=2)
        put("task-definitions/api-server.json", TD)
        svc = copy.deepcopy(SERVICE)
        if broken:
            svc["desiredCount"] = "3"
        put("services/api-server.json", svc)
        put("run-tasks/api-server-once.json", RUN_TASK)
        put("autoscaling/api-server.json", AUTOSCALING)
        put("ecspresso/api-server/ecs-task-def.json", TD)
        put("ecs-deploy/api-server.json",
            {"taskDefinition": dict(TD, placementConstraints=[])})
        text = ECSCHEDULE
        if broken:
            text = text.replace("cron(0 18 * * ? *)", "cron(0 18 * * * *)")
        put("ecschedule.yaml", text)

    def main(self, *argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = V.main(list(argv))
            except SystemExit as e:
                rc = e.code
        return rc, out.getvalue(), err.getvalue()

    def test_valid_outdir(self):
        with tempfile.TemporaryDirectory() as d:
            self.make_outdir(d)
            rc, out, _ = self.main(d)
            self.assertEqual(out, "validate_ecs: 7 files checked, 0 problems\n")
            self.assertEqual(rc, 0)
            rc, _, _ = self.main("--expect-invalid", d)
            self.assertEqual(rc, 1)

    def test_invalid_outdir(self):
        with tempfile.TemporaryDirectory() as d:
            self.make_outdir(d, broken=True)
            with open(os.path.join(d, "run-tasks", "dup.json"), "w") as f:
                f.write('{"count": 1, "count": 2}')
            rc, out, _ = self.main(d)
            lines = out.splitlines()
            self.assertEqual(rc, 1)
            self.assertEqual(lines[-1], "validate_ecs: 8 files checked, "
                             "%d problems" % (len(lines) - 1))
            self.assertIn("services/api-server.json: desiredCount: [botocore] "
                          "Invalid type for parameter desiredCount, value: 3, "
                          "type: <class 'str'>, valid types: <class 'int'>",
                          lines)
            self.assertIn("ecschedule.yaml: rules[0].scheduleExpression: "
                          "exactly one of day-of-month and day-of-week must "
                          "be '?' (got '*' and '*')", lines)
            self.assertTrue(any(l.startswith("run-tasks/dup.json: $: invalid "
                                             "JSON: duplicate key")
                                for l in lines), lines)
            for line in lines[:-1]:
                self.assertRegex(line, r"^[^:]+\.(json|yaml): \S+: .+")
            rc, _, _ = self.main("--expect-invalid", d)
            self.assertEqual(rc, 0)

    def test_family_file_name_and_missing_taskdef(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "task-definitions"))
            with open(os.path.join(d, "task-definitions", "api.json"),
                      "w") as f:
                json.dump(TD, f)
            rc, out, _ = self.main(d)
            self.assertEqual(rc, 1)
            self.assertIn("task-definitions/api.json: family: [xref] file "
                          "should be named task-definitions/api-server.json",
                          out)

    def test_empty_outdir(self):
        with tempfile.TemporaryDirectory() as d:
            rc, out, _ = self.main(d)
            self.assertEqual((rc, out), (0, "validate_ecs: 0 files checked, "
                                            "0 problems\n"))

    def test_usage_errors(self):
        rc, _, _ = self.main()
        self.assertEqual(rc, 2)
        rc, _, err = self.main("/nonexistent/outdir")
        self.assertEqual(rc, 2)
        self.assertIn("not a directory", err)


class ShortenedNameTests(unittest.TestCase):
    """The file-name shortening kube2ecs applies beyond 255 bytes."""

    long = "a" * 63 + "-" + "b" * 63 + "-" + "c" * 63 + "-" + "d" * 61

    def test_long_family_may_be_shortened(self):
        stem = self.long[:240] + "-3233cb32"
        self.assertTrue(V.shortened_name_of(stem, self.long))

    def test_short_family_must_match_exactly(self):
        self.assertFalse(V.shortened_name_of("api-3233cb32", "api"))

    def test_prefix_must_be_the_family_beginning(self):
        stem = "x" + self.long[1:240] + "-3233cb32"
        self.assertFalse(V.shortened_name_of(stem, self.long))




class EventBridgeInputTests(Base):
    """The 8192-byte limit, computed as ecschedule's Go code serialises."""

    SAMPLE = {"taskOverride": {"cpu": "4096", "memory": "16384"},
              "containerOverrides": [{"name": "container1",
                                      "command": ["subcmd", "argument"],
                                      "environment": {"HOGE_ENV": "HOGEGE"}}]}

    def test_exact_bytes_of_ecschedule_sample(self):
        # research-fidelity.md section 11: 161 bytes, produced by Go.
        text = V.eventbridge_input(self.SAMPLE)
        self.assertEqual(text, '{"cpu":"4096","memory":"16384","containerOverrides":'
                         '[{"name":"container1","command":["subcmd","argument"],'
                         '"environment":[{"name":"HOGE_ENV","value":"HOGEGE"}]}]}')
        self.assertEqual(len(text), 161)

    def test_nothing_and_html_escaping(self):
        self.assertEqual(V.eventbridge_input({}), '{"containerOverrides":null}')
        self.assertEqual(V.go_json_string("a<b && x>y\u2028"),
                         '"a\\u003cb \\u0026\\u0026 x\\u003ey\\u2028"')

    def test_limit(self):
        def rule(value):
            return ("region: 'us-east-1'\ncluster: 'c'\nrules:\n- name: 'r'\n"
                    "  scheduleExpression: 'cron(0 0 * * ? *)'\n"
                    "  taskDefinition: 't'\n  launch_type: 'FARGATE'\n"
                    "  containerOverrides:\n  - name: 'app'\n    environment:\n"
                    "      BIG: '%s'\n  network_configuration:\n"
                    "    aws_vpc_configuration:\n      subnets: ['subnet-0a1b2c3d']\n"
                    % value)
        fixed = len(V.eventbridge_input({"containerOverrides": [
            {"name": "app", "environment": {"BIG": ""}}]}))
        ok = rule("x" * (8192 - fixed))
        self.assertClean(run(V.check_ecschedule_text, ok, None))
        # '&' is 6 bytes once Go escapes it: one over the limit
        over = rule("x" * (8192 - fixed - 1) + "&")
        self.assertFires(run(V.check_ecschedule_text, over, None),
                         "rules[0].containerOverrides", "8197 bytes")

    def test_run_task_overrides_limit(self):
        d = copy.deepcopy(RUN_TASK)
        d["overrides"] = {"containerOverrides": [
            {"name": "api-server", "environment": [{"name": "BIG", "value": "x" * 8200}]}]}
        self.assertFires(run(V.check_run_task, d, taskdefs()), "overrides",
                         "RunTask allows 8192")


if __name__ == "__main__":
    unittest.main()
