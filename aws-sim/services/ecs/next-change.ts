/**
 * When the scheduler next has something to do for a service, so that a refresh (every step of virtual
 * time) visits only the services whose time has come instead of every service of the account.
 *
 * A service's tasks carry their whole timed life as timestamps (task-lifecycle.ts), so a settled service
 * changes only at one of them: a task that fails as it starts (failsAt), a task to register in its target
 * groups (runningAt), a stopping task whose ENI is released (stoppedAt), and the retention after which
 * stopped tasks and an INACTIVE service are forgotten. Anything else that changes a service goes through
 * an operation that runs the scheduler on it at once (CreateService, UpdateService, DeleteService,
 * Application Auto Scaling's desired count), which notes its next change again. While the scheduler
 * weighs readiness (old tasks waiting for replacements, a deployment not completed), the answer depends on
 * the load balancer's health checks, and the service is looked at on every refresh, as before.
 *
 * What is noted lives beside the account's JSON, keyed by the record object: a restored account (new
 * objects) has nothing noted, and every service is looked at on its first refresh.
 */
import { tasksOfService } from './lookup';
import type { EcsState, ServiceRecord } from './state';

interface NextChange {
  /** The scheduler changes nothing before this time (-Infinity: look on every refresh). */
  at: number;
  /** The earliest time retention counts from (a stopped task, the service turned INACTIVE). */
  retentionFrom: number;
}

const noted = new WeakMap<ServiceRecord, NextChange>();

/** The earliest time the scheduler (reconcileService) could change `service`, given its state now. */
function nextChangeOf(state: EcsState, service: ServiceRecord): NextChange {
  const tasks = tasksOfService(state, service);
  let retentionFrom = Infinity;
  for (const task of tasks)
    if (task.stoppedAt !== undefined) retentionFrom = Math.min(retentionFrom, task.stoppedAt);
  if (service.status === 'INACTIVE') {
    // Without a time it turned INACTIVE, forgetting it is weighed on every refresh, as forgetOld does.
    if (service.inactiveAt === undefined) return { at: -Infinity, retentionFrom: -Infinity };
    return { at: Infinity, retentionFrom: Math.min(retentionFrom, service.inactiveAt) };
  }
  const primary = service.deployments[0];
  if (!primary || primary.completedAt === undefined) return { at: -Infinity, retentionFrom };
  let at = Infinity;
  for (const task of tasks) {
    const live = task.stoppingAt === undefined;
    // Readiness is weighed while an older deployment's task is live.
    if (live && task.deploymentId !== primary.id) return { at: -Infinity, retentionFrom };
    if (task.failsAt !== undefined && live) at = Math.min(at, task.failsAt);
    if (!task.registered && task.failsAt === undefined && live) at = Math.min(at, task.runningAt);
    if (task.stoppedAt !== undefined && !task.networkReleased) at = Math.min(at, task.stoppedAt);
  }
  return { at, retentionFrom };
}

/** Notes when the scheduler next has work for `service`: call after every run of it on the service. */
export function noteNextChange(state: EcsState, service: ServiceRecord): void {
  noted.set(service, nextChangeOf(state, service));
}

/** Whether the scheduler would change nothing in `service` at `now` (false when nothing is noted). */
export function isQuiet(service: ServiceRecord, now: number): boolean {
  const next = noted.get(service);
  return next !== undefined && now < next.at;
}

/** Whether forgetting old tasks or the service itself may be due at `now` (true when nothing is noted). */
export function mayForget(state: EcsState, service: ServiceRecord, now: number): boolean {
  const next = noted.get(service);
  return next === undefined || next.retentionFrom + state.config.retentionMs <= now;
}
