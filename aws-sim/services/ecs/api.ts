/**
 * What other simulated services use from ECS: Application Auto Scaling sets a service's desired count;
 * the traffic and cost models read its running tasks.
 */
import type { SimAccount } from '../../core/account';
import { clusterArn, serviceArn } from './lookup';
import { reconcileService } from './scheduler';
import type { EcsState, ServiceRecord, TaskRecord } from './state';
import { taskStatus } from './task-lifecycle';

function ecs(account: SimAccount): EcsState {
  return account.stateOf<EcsState>('ecs');
}

export function findEcsService(
  account: SimAccount,
  clusterName: string,
  serviceName: string,
): ServiceRecord | undefined {
  return ecs(account).services[serviceArn(account, clusterName, serviceName)];
}

/** Tasks of the service whose last status is RUNNING now (DEACTIVATING ones no longer count). */
export function runningTasksOf(account: SimAccount, clusterName: string, serviceName: string): TaskRecord[] {
  const state = ecs(account);
  const service = findEcsService(account, clusterName, serviceName);
  if (!service) return [];
  const now = account.now();
  return service.taskArns
    .map((arn) => state.tasks[arn])
    .filter((task): task is TaskRecord => task !== undefined && taskStatus(task, now) === 'RUNNING');
}

/**
 * Tasks Fargate bills now: from the start of the image pull (PENDING) until STOPPED, with their size,
 * for the cost model (AWS Fargate pricing: billed from image pull until the task terminates).
 */
export function billableTasks(
  account: SimAccount,
): { arn: string; vcpu: number; memoryGb: number; publicIp: boolean }[] {
  const now = account.now();
  return Object.values(ecs(account).tasks)
    .filter((task) => now >= task.pendingAt && (task.stoppedAt === undefined || now < task.stoppedAt))
    .map((task) => ({
      arn: task.arn,
      vcpu: Number(task.cpu ?? 0) / 1024,
      memoryGb: Number(task.memory ?? 0) / 1024,
      publicIp: task.network.publicIp !== undefined,
    }));
}

/** Sets an ACTIVE service's desired count (as Application Auto Scaling does) and starts or stops tasks now. */
export function setServiceDesiredCount(
  account: SimAccount,
  clusterName: string,
  serviceName: string,
  count: number,
): boolean {
  const state = ecs(account);
  const service = findEcsService(account, clusterName, serviceName);
  if (
    !service ||
    service.status !== 'ACTIVE' ||
    state.clusters[clusterArn(account, clusterName)]?.status !== 'ACTIVE'
  )
    return false;
  service.desiredCount = count;
  reconcileService(account, state, service, account.now());
  return true;
}
