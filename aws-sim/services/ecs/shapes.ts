/** ECS records as the SDK's output shapes (Service, Deployment, Task). */
import type { SimAccount } from '../../core/account';
import { toLowerKeyValueList } from '../../core/tags';
import type { EcsState, ServiceRecord, TaskRecord } from './state';
import { DEFAULT_DEPLOYMENT_CONFIGURATION, rolloutStateOf, rolloutStateReasonOf } from './deployments';
import { taskStatus } from './task-lifecycle';

function deploymentConfigurationOf(service: ServiceRecord) {
  const config = service.deploymentConfiguration ?? DEFAULT_DEPLOYMENT_CONFIGURATION;
  return {
    deploymentCircuitBreaker: { ...config.circuitBreaker },
    maximumPercent: config.maximumPercent,
    minimumHealthyPercent: config.minimumHealthyPercent,
  };
}

function countsOf(tasks: TaskRecord[], now: number): { running: number; pending: number } {
  let running = 0;
  let pending = 0;
  for (const task of tasks) {
    const status = taskStatus(task, now);
    if (status === 'RUNNING') running += 1;
    else if (status === 'PROVISIONING' || status === 'PENDING') pending += 1;
  }
  return { running, pending };
}

export function describeService(
  state: EcsState,
  account: SimAccount,
  service: ServiceRecord,
  includeTags: boolean,
) {
  const now = account.now();
  const tasks = service.taskArns
    .map((arn) => state.tasks[arn])
    .filter((t): t is TaskRecord => t !== undefined);
  const network = {
    awsvpcConfiguration: {
      subnets: [...service.network.subnets],
      securityGroups: [...service.network.securityGroups],
      assignPublicIp: service.network.assignPublicIp,
    },
  };
  const deployments = service.deployments.map((deployment, index) => {
    const own = tasks.filter((t) => t.deploymentId === deployment.id);
    const counts = countsOf(own, now);
    const desired = index === 0 ? (service.status === 'ACTIVE' ? service.desiredCount : 0) : 0;
    return {
      id: deployment.id,
      status: deployment.status === 'PRIMARY' && index === 0 ? 'PRIMARY' : 'ACTIVE',
      taskDefinition: deployment.taskDefinitionArn,
      desiredCount: desired,
      pendingCount: counts.pending,
      runningCount: counts.running,
      failedTasks: deployment.failedTasks ?? 0,
      createdAt: new Date(deployment.createdAt),
      updatedAt: new Date(deployment.updatedAt),
      launchType: service.launchType,
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      networkConfiguration: network,
      rolloutState: rolloutStateOf(deployment),
      rolloutStateReason: rolloutStateReasonOf(deployment),
    };
  });
  const counts = countsOf(tasks, now);
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    loadBalancers: service.loadBalancers.map((lb) => ({ ...lb })),
    serviceRegistries: [],
    status: service.status,
    desiredCount: service.desiredCount,
    runningCount: counts.running,
    pendingCount: counts.pending,
    launchType: service.launchType,
    platformVersion: 'LATEST',
    platformFamily: 'Linux',
    taskDefinition: service.taskDefinitionArn,
    deploymentConfiguration: deploymentConfigurationOf(service),
    deployments,
    events: [],
    createdAt: new Date(service.createdAt),
    placementConstraints: [],
    placementStrategy: [],
    networkConfiguration: network,
    healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
    schedulingStrategy: 'REPLICA',
    deploymentController: { type: 'ECS' },
    enableECSManagedTags: service.enableECSManagedTags,
    propagateTags: service.propagateTags ?? 'NONE',
    enableExecuteCommand: false,
    tags: includeTags ? toLowerKeyValueList(service.tags) : undefined,
  };
}

export function describeTask(state: EcsState, task: TaskRecord, now: number, includeTags: boolean) {
  const status = taskStatus(task, now);
  const containerStatus =
    status === 'RUNNING' || status === 'DEACTIVATING'
      ? 'RUNNING'
      : status === 'STOPPED'
        ? 'STOPPED'
        : 'PENDING';
  const attached = status !== 'PROVISIONING' && status !== 'STOPPED';
  const at = (time: number | undefined) => (time !== undefined && time <= now ? new Date(time) : undefined);
  const { network } = task;
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    lastStatus: status,
    desiredStatus: task.stoppingAt === undefined ? 'RUNNING' : 'STOPPED',
    launchType: 'FARGATE',
    platformVersion: '1.4.0',
    platformFamily: 'Linux',
    cpu: task.cpu,
    memory: task.memory,
    group: task.group,
    startedBy: task.startedBy,
    availabilityZone: network.availabilityZone,
    connectivity: attached ? 'CONNECTED' : undefined,
    connectivityAt: attached ? new Date(task.pendingAt) : undefined,
    createdAt: new Date(task.createdAt),
    pullStartedAt: at(task.pendingAt),
    pullStoppedAt: at(task.runningAt),
    startedAt:
      task.stoppingAt !== undefined && task.stoppingAt < task.runningAt ? undefined : at(task.runningAt),
    stoppingAt: at(task.stoppingAt),
    stoppedAt: at(task.stoppedAt),
    stoppedReason: task.stoppedReason,
    stopCode:
      task.failsAt !== undefined && task.failsAt <= now
        ? 'EssentialContainerExited'
        : task.stoppingAt === undefined
          ? undefined
          : 'ServiceSchedulerInitiated',
    // Container health checks are not modelled; target group health is ELBv2's business.
    healthStatus: 'UNKNOWN',
    attachments: [
      {
        id: network.attachmentId,
        type: 'ElasticNetworkInterface',
        status: status === 'STOPPED' ? 'DELETED' : attached ? 'ATTACHED' : 'PRECREATED',
        details: [
          { name: 'subnetId', value: network.subnetId },
          { name: 'networkInterfaceId', value: network.networkInterfaceId },
          { name: 'privateIPv4Address', value: network.privateIpAddress },
        ],
      },
    ],
    containers: (state.taskDefinitions[task.taskDefinitionArn]?.containerDefinitions ?? []).map(
      (container) => ({
        taskArn: task.arn,
        name: container.name,
        image: container.image,
        lastStatus: containerStatus,
        networkInterfaces: [
          { attachmentId: network.attachmentId, privateIpv4Address: network.privateIpAddress },
        ],
        healthStatus: 'UNKNOWN',
      }),
    ),
    tags: includeTags ? toLowerKeyValueList(task.tags) : undefined,
  };
}
