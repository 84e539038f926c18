/**
 * A service's deployments and the deployment circuit breaker, as the ECS Developer Guide and API reference
 * describe them ("Rolling update", "How the Amazon ECS deployment circuit breaker detects failures",
 * DeploymentCircuitBreaker, Deployment):
 *
 * - Every deployment has a `rolloutState`: IN_PROGRESS, COMPLETED once its tasks are ready and the older
 *   deployments' tasks gone, or FAILED.
 * - With the circuit breaker on, a deployment fails once as many of its tasks failed as the threshold,
 *   0.5 × the service's desired count, at least 3 and at most 200 (the default threshold); a failed
 *   deployment launches no more tasks.
 * - With rollback on, the service goes back to its last COMPLETED deployment: a new deployment of that
 *   task definition, whose rolloutStateReason says so. With no COMPLETED deployment there is nothing to go
 *   back to, and the failed deployment stays PRIMARY.
 * - Without the circuit breaker (the API's default), failing tasks are replaced forever and the rollout
 *   stays IN_PROGRESS.
 *
 * What makes a task fail here is a test's knob: an image marked broken (`setImageBroken`), whose
 * essential container exits as the task starts. Tasks failing load balancer health checks are not
 * counted (the simulated ELB's `unhealthy` fault does not stop tasks).
 */
import type { SimAccount } from '../../core/account';
import type {
  DeploymentConfigurationRecord,
  DeploymentRecord,
  EcsState,
  ServiceRecord,
  TaskDefinitionRecord,
} from './state';

/** What CreateService gives a service that asks for nothing: no circuit breaker, 100 % / 200 %. */
export const DEFAULT_DEPLOYMENT_CONFIGURATION: DeploymentConfigurationRecord = {
  circuitBreaker: { enable: false, rollback: false },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
};

export const CIRCUIT_BREAKER_FAILED = 'ECS deployment circuit breaker: tasks failed to start.';

export function newDeployment(
  account: SimAccount,
  taskDefinitionArn: string,
  now: number,
  rolloutStateReason?: string,
): DeploymentRecord {
  let digits = '';
  while (digits.length < 19) digits += Math.floor(account.random() * 10).toString();
  return {
    id: `ecs-svc/${digits}`,
    taskDefinitionArn,
    status: 'PRIMARY',
    createdAt: now,
    updatedAt: now,
    failedTasks: 0,
    ...(rolloutStateReason ? { rolloutStateReason } : {}),
  };
}

export function rolloutStateOf(deployment: DeploymentRecord): 'IN_PROGRESS' | 'COMPLETED' | 'FAILED' {
  if (deployment.failedAt !== undefined) return 'FAILED';
  return deployment.completedAt !== undefined ? 'COMPLETED' : 'IN_PROGRESS';
}

export function rolloutStateReasonOf(deployment: DeploymentRecord): string {
  switch (rolloutStateOf(deployment)) {
    case 'FAILED':
      return deployment.rolloutStateReason ?? CIRCUIT_BREAKER_FAILED;
    case 'COMPLETED':
      return `ECS deployment ${deployment.id} completed.`;
    case 'IN_PROGRESS':
      return deployment.rolloutStateReason ?? `ECS deployment ${deployment.id} in progress.`;
  }
}

/** How many failed tasks fail a deployment: 0.5 × desired count, within [3, 200]. */
export function failureThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

/**
 * Fails the PRIMARY deployment when the circuit breaker is on and enough of its tasks failed, and rolls
 * the service back to its last COMPLETED deployment when rollback is on.
 */
export function checkCircuitBreaker(account: SimAccount, service: ServiceRecord, now: number): void {
  const config = service.deploymentConfiguration ?? DEFAULT_DEPLOYMENT_CONFIGURATION;
  const primary = service.deployments[0];
  if (!config.circuitBreaker.enable || !primary || rolloutStateOf(primary) !== 'IN_PROGRESS') return;
  if ((primary.failedTasks ?? 0) < failureThreshold(service.desiredCount)) return;
  primary.failedAt = now;
  primary.updatedAt = now;
  primary.rolloutStateReason = CIRCUIT_BREAKER_FAILED;
  const back = service.lastCompleted;
  if (!config.circuitBreaker.rollback || !back) return;
  primary.status = 'ACTIVE';
  service.deployments.unshift(
    newDeployment(
      account,
      back.taskDefinitionArn,
      now,
      `ECS deployment circuit breaker: rolling back to deploymentId ${back.id}.`,
    ),
  );
  service.taskDefinitionArn = back.taskDefinitionArn;
}

/** Marks a container image as one whose tasks exit as they start (or as fine again). */
export function setImageBroken(account: SimAccount, image: string, broken = true): void {
  const state = account.stateOf<EcsState>('ecs');
  const others = (state.brokenImages ?? []).filter((i) => i !== image);
  state.brokenImages = broken ? [...others, image] : others;
}

export function runsBrokenImage(state: EcsState, taskDefinition: TaskDefinitionRecord): boolean {
  const broken = state.brokenImages ?? [];
  return taskDefinition.containerDefinitions.some((c) => c.image !== undefined && broken.includes(c.image));
}
