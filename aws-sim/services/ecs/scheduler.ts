/**
 * The ECS service scheduler: keeps `desiredCount` tasks of the PRIMARY deployment, and replaces the tasks
 * of older deployments as new ones become ready (healthy in every target group, or RUNNING without a load
 * balancer), as a rolling update with minimumHealthyPercent 100 and maximumPercent 200 does. A DRAINING
 * service stops everything and turns INACTIVE once its last task has STOPPED.
 */
import type { SimAccount } from '../../core/account';
import { targetHealthySince } from '../elbv2/api';
import { servicesChanged, tasksChanged, tasksOfService } from './lookup';
import type { EcsState, ServiceRecord, TaskRecord } from './state';
import { checkCircuitBreaker } from './deployments';
import { failTaskIfDue, isLive, launchTask, settleTask, stopTask } from './task-lifecycle';
import { isQuiet, mayForget, noteNextChange } from './next-change';

/** When the task became ready to serve, or undefined if it is not ready now. */
export function readySince(account: SimAccount, task: TaskRecord, now: number): number | undefined {
  if (!isLive(task) || now < task.runningAt) return undefined;
  let ready = task.runningAt;
  for (const target of task.targets) {
    const since = targetHealthySince(
      account,
      target.targetGroupArn,
      task.network.privateIpAddress,
      target.port,
    );
    if (since === undefined) return undefined;
    ready = Math.max(ready, since);
  }
  return ready;
}

/** Not yet running first, then the newest: the cheapest to lose when scaling in. */
function scaleInOrder(a: TaskRecord, b: TaskRecord, now: number): number {
  const aRunning = now >= a.runningAt ? 1 : 0;
  const bRunning = now >= b.runningAt ? 1 : 0;
  return aRunning - bRunning || b.createdAt - a.createdAt;
}

/** Runs the scheduler on `service` at `now`, and notes when it next has work for it (next-change.ts). */
export function reconcileService(
  account: SimAccount,
  state: EcsState,
  service: ServiceRecord,
  now: number,
): void {
  scheduleService(account, state, service, now);
  noteNextChange(state, service);
}

function scheduleService(account: SimAccount, state: EcsState, service: ServiceRecord, now: number): void {
  if (service.status === 'INACTIVE') return;
  const tasks = tasksOfService(state, service);
  for (const task of tasks) {
    if (failTaskIfDue(task, now)) {
      const deployment = service.deployments.find((d) => d.id === task.deploymentId);
      if (deployment) deployment.failedTasks = (deployment.failedTasks ?? 0) + 1;
    }
    settleTask(account, task, now);
  }
  checkCircuitBreaker(account, service, now);

  const primary = service.deployments[0];
  const desired = service.status === 'DRAINING' ? 0 : service.desiredCount;
  const primaryLive = tasks.filter((t) => isLive(t) && t.deploymentId === primary.id);
  // A deployment the circuit breaker failed launches nothing more.
  if (primaryLive.length < desired && primary.failedAt === undefined) {
    const taskDefinition = state.taskDefinitions[primary.taskDefinitionArn];
    for (let i = primaryLive.length; i < desired; i++) {
      primaryLive.push(launchTask(account, state, service, taskDefinition, primary.id, now));
    }
  } else if (primaryLive.length > desired) {
    const surplus = [...primaryLive]
      .sort((a, b) => scaleInOrder(a, b, now))
      .slice(0, primaryLive.length - desired);
    for (const task of surplus) {
      stopTask(account, state, task, now, `Scaling activity initiated by (deployment ${primary.id})`);
      primaryLive.splice(primaryLive.indexOf(task), 1);
    }
  }

  const oldLive = tasks
    .filter((t) => isLive(t) && t.deploymentId !== primary.id)
    .sort((a, b) => a.createdAt - b.createdAt);
  // Readiness (target health) matters only while old tasks wait for replacements or the deployment has not
  // completed; a settled service, the usual case at every refresh, skips it.
  const readyTimes =
    oldLive.length > 0 || primary.completedAt === undefined
      ? primaryLive
          .map((t) => readySince(account, t, now))
          .filter((t): t is number => t !== undefined)
          .sort((a, b) => a - b)
      : [];
  const toStop = oldLive.length - Math.max(0, desired - readyTimes.length);
  for (let i = 0; i < toStop; i++) {
    // Each old task goes at the moment the new task that replaces it became ready.
    const at = readyTimes[readyTimes.length - toStop + i] ?? now;
    stopTask(
      account,
      state,
      oldLive[i],
      Math.min(at, now),
      `Scaling activity initiated by (deployment ${primary.id})`,
    );
  }

  // An older deployment stays listed (ACTIVE) until its last task has stopped.
  const stillOld = new Set(
    tasks
      .filter((t) => t.deploymentId !== primary.id && (t.stoppedAt === undefined || t.stoppedAt > now))
      .map((t) => t.deploymentId),
  );
  // A failed deployment stays listed, FAILED, until the one that replaced it completes.
  service.deployments = service.deployments.filter(
    (d, index) =>
      index === 0 || stillOld.has(d.id) || (d.failedAt !== undefined && primary.completedAt === undefined),
  );
  if (
    primary.completedAt === undefined &&
    primary.failedAt === undefined &&
    stillOld.size === 0 &&
    readyTimes.length === desired &&
    primaryLive.length === desired
  ) {
    primary.completedAt = readyTimes.length ? readyTimes[readyTimes.length - 1] : now;
    primary.updatedAt = primary.completedAt;
    service.deployments = [primary];
    service.lastCompleted = { id: primary.id, taskDefinitionArn: primary.taskDefinitionArn };
  }

  if (service.status === 'DRAINING' && tasks.every((t) => t.stoppedAt !== undefined && t.stoppedAt <= now)) {
    service.status = 'INACTIVE';
    service.inactiveAt = Math.max(service.deletedAt ?? now, ...tasks.map((t) => t.stoppedAt ?? now));
  }
}

/** Drops the service's stopped tasks, and the service once INACTIVE, past AWS's retention. */
function forgetOld(state: EcsState, service: ServiceRecord, now: number): void {
  const retention = state.config.retentionMs;
  const expired = service.taskArns.filter((arn) => {
    const stoppedAt = state.tasks[arn]?.stoppedAt;
    return stoppedAt === undefined ? false : stoppedAt + retention <= now && state.tasks[arn].networkReleased;
  });
  if (expired.length) {
    for (const arn of expired) delete state.tasks[arn];
    service.taskArns = service.taskArns.filter((arn) => state.tasks[arn]);
    tasksChanged(state);
  }
  if (service.status === 'INACTIVE' && (service.inactiveAt ?? now) + retention <= now) {
    for (const arn of service.taskArns) delete state.tasks[arn];
    if (service.clientToken) delete state.clientTokens[service.clientToken];
    delete state.services[service.arn];
    tasksChanged(state);
    servicesChanged(state);
  }
}

/**
 * Brings every service up to now: the scheduler runs on the services whose next change has come (the
 * others would change nothing, next-change.ts), in the account's order of services as before, then what
 * is past retention is forgotten.
 */
export function refreshEcs(state: EcsState, account: SimAccount): void {
  const now = account.now();
  for (const arn in state.services) {
    const service = state.services[arn];
    if (!isQuiet(service, now)) reconcileService(account, state, service, now);
  }
  for (const arn in state.services) {
    const service = state.services[arn];
    if (!mayForget(state, service, now)) continue;
    forgetOld(state, service, now);
    if (state.services[service.arn] === service) noteNextChange(state, service);
  }
}
