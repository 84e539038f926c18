/**
 * One Fargate task's life, as timestamps fixed when it is launched or stopped, so that its status at any
 * moment is a pure function of time (not of how finely the clock was advanced):
 * PROVISIONING (ENI attach) → PENDING (image pull) → RUNNING at runningAt, registered in its target
 * groups at that instant; on stop, DEACTIVATING while its targets drain (the deregistration delay),
 * STOPPING for the stop timeout, STOPPED, and its ENI released to linger.
 */
import type { SimAccount } from '../../core/account';
import { deregisterIpTarget, registerIpTarget } from '../elbv2/api';
import { attachInterface, findSubnet, releaseInterface } from '../common/network-interfaces';
import { tasksChanged } from './lookup';
import { runsBrokenImage } from './deployments';
import type { EcsState, ServiceRecord, TaskDefinitionRecord, TaskRecord } from './state';

export type TaskStatus = 'PROVISIONING' | 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'STOPPED';

export function taskStatus(task: TaskRecord, now: number): TaskStatus {
  if (task.stoppedAt !== undefined && now >= task.stoppedAt) return 'STOPPED';
  if (task.failsAt !== undefined && now >= task.failsAt) return 'STOPPED';
  if (task.stoppingAt !== undefined && now >= task.stoppingAt) {
    return task.deactivatedAt !== undefined && now < task.deactivatedAt ? 'DEACTIVATING' : 'STOPPING';
  }
  if (now >= task.runningAt) return 'RUNNING';
  return now < task.pendingAt ? 'PROVISIONING' : 'PENDING';
}

/** A task that counts towards the service's desired count: launched and not asked to stop. */
export function isLive(task: TaskRecord): boolean {
  return task.stoppingAt === undefined;
}

export function launchTask(
  account: SimAccount,
  state: EcsState,
  service: ServiceRecord,
  taskDefinition: TaskDefinitionRecord,
  deploymentId: string,
  at: number,
): TaskRecord {
  const clusterName = service.clusterArn.slice(service.clusterArn.indexOf('/') + 1);
  const arn = account.arn('ecs', `task/${clusterName}/${account.newId('', 32)}`);
  const subnets = service.network.subnets;
  const subnetId = subnets[service.nextSubnetIndex % subnets.length];
  service.nextSubnetIndex = (service.nextSubnetIndex + 1) % subnets.length;
  const eni = attachInterface(account, {
    subnetId,
    securityGroupIds: service.network.securityGroups,
    description: account.arn('ecs', `attachment/${account.newId('', 32)}`),
    assignPublicIp: service.network.assignPublicIp === 'ENABLED',
    purpose: 'fargate-task',
    owner: arn,
  });
  const tags =
    service.propagateTags === 'SERVICE'
      ? { ...service.tags }
      : service.propagateTags === 'TASK_DEFINITION'
        ? { ...taskDefinition.tags }
        : {};
  const task: TaskRecord = {
    arn,
    clusterArn: service.clusterArn,
    serviceArn: service.arn,
    deploymentId,
    group: `service:${service.name}`,
    startedBy: deploymentId,
    taskDefinitionArn: taskDefinition.arn,
    cpu: taskDefinition.cpu,
    memory: taskDefinition.memory,
    createdAt: at,
    pendingAt: at + Math.min(state.config.taskProvisioningMs, state.config.taskStartMs),
    runningAt: at + state.config.taskStartMs,
    // A broken image: the essential container exits as the task starts; it is never RUNNING.
    ...(runsBrokenImage(state, taskDefinition) ? { failsAt: at + state.config.taskStartMs } : {}),
    targets: service.loadBalancers.map((lb) => ({
      targetGroupArn: lb.targetGroupArn,
      port: lb.containerPort,
    })),
    registered: false,
    networkReleased: false,
    network: {
      attachmentId: account.newId('', 32),
      networkInterfaceId: eni.networkInterfaceId,
      subnetId,
      availabilityZone: findSubnet(account, subnetId)?.availabilityZone ?? '',
      privateIpAddress: eni.privateIpAddress,
      publicIp: eni.publicIp,
    },
    tags,
  };
  state.tasks[arn] = task;
  tasksChanged(state);
  service.taskArns.push(arn);
  return task;
}

/** Registers a task that has reached runningAt (at runningAt) and releases the ENI of a stopped one. */
export function settleTask(account: SimAccount, task: TaskRecord, now: number): void {
  if (
    !task.registered &&
    task.failsAt === undefined &&
    task.stoppingAt === undefined &&
    now >= task.runningAt
  ) {
    for (const target of task.targets) {
      registerIpTarget(
        account,
        target.targetGroupArn,
        {
          ip: task.network.privateIpAddress,
          port: target.port,
          availabilityZone: task.network.availabilityZone,
        },
        task.runningAt,
      );
    }
    task.registered = true;
  }
  if (!task.networkReleased && task.stoppedAt !== undefined && now >= task.stoppedAt) {
    releaseInterface(account, task.network.networkInterfaceId, task.stoppedAt);
    task.networkReleased = true;
  }
}

/** Stops a task whose container exited at start (at `failsAt`); true when it did so now. */
export function failTaskIfDue(task: TaskRecord, now: number): boolean {
  if (task.failsAt === undefined || task.stoppingAt !== undefined || now < task.failsAt) return false;
  task.stoppingAt = task.failsAt;
  task.deactivatedAt = task.failsAt;
  task.stoppedAt = task.failsAt;
  task.stoppedReason = 'Essential container in task exited';
  return true;
}

/** Asks a task to stop at `at`: a registered task drains first, as ECS waits for the deregistration delay. */
export function stopTask(
  account: SimAccount,
  state: EcsState,
  task: TaskRecord,
  at: number,
  reason: string,
): void {
  if (task.stoppingAt !== undefined) return;
  settleTask(account, task, at);
  let drainMs = 0;
  if (task.registered) {
    for (const target of task.targets) {
      const delay = deregisterIpTarget(
        account,
        target.targetGroupArn,
        { ip: task.network.privateIpAddress, port: target.port },
        at,
      );
      drainMs = Math.max(drainMs, delay);
    }
  }
  task.stoppingAt = at;
  task.deactivatedAt = at + drainMs;
  task.stoppedAt = at + drainMs + state.config.taskStopMs;
  task.stoppedReason = reason;
}
