/**
 * A rollout that failed stays failed. ECS's deployment circuit breaker fails a deployment whose tasks keep
 * failing and rolls the service back to its last COMPLETED deployment; the FAILED deployment is listed
 * only until the rollback completes. Without memory the next pass would see the service on the old task
 * definition, the new one wanted, and start the same failing rollout again, for ever.
 *
 * So the stack's bookkeeping remembers the failed task definition, and while the spec still wants exactly
 * that revision the service is marked `failed`: the plan makes it a terminal conflict (nothing retried
 * until the spec changes), and traffic stays where it is (a terminal error holds the weights, and rolls
 * back to Lambda only if the Fargate targets turn unhealthy). A spec change makes a new revision, which
 * is rolled out afresh.
 */
import type { Observation, Plan } from '../../engine/types';
import type { FailedRollout } from './service';
import { RESOURCE_KEYS } from '../keys';

const SERVICE_KEY = RESOURCE_KEYS.service;
const TASK_DEFINITION_KEY = RESOURCE_KEYS.taskDefinition;

/** `arn:…:task-definition/lf-a-task:3` → `lf-a-task:3`. */
function revisionName(arn: string | undefined): string {
  return arn ? arn.slice(arn.lastIndexOf('/') + 1) : 'none';
}

/**
 * Whether the plan registers a new task definition revision (the spec changed the task): the failed one is
 * then no longer wanted, and the new one is rolled out afresh. Deregistering old revisions is no change.
 */
export function registersTaskDefinition(plan: Plan): boolean {
  return plan.steps.some(
    (step) =>
      step.key === TASK_DEFINITION_KEY &&
      (step.action === 'create' ||
        (step.action === 'update' && (step.changes ?? []).some((c) => c.path !== 'supersededRevisions'))),
  );
}

/**
 * Marks the observed service `failed` when the wanted task definition's rollout failed, now (listed FAILED)
 * or before (`recorded`), and answers what to remember for the next pass. Nothing is marked when the plan
 * registers a new revision anyway (`newRevision`).
 */
export function markFailedRollout(
  observation: Observation,
  recorded: FailedRollout | undefined,
  newRevision: boolean,
): FailedRollout | undefined {
  if (newRevision) return undefined;
  const service = observation.resources[SERVICE_KEY];
  const wanted = observation.resources[TASK_DEFINITION_KEY]?.arn;
  if (!service || service.foreign || !wanted)
    return recorded?.taskDefinition === wanted ? recorded : undefined;
  const extra = service.extra;
  const failed =
    extra?.failedRollouts?.find((f) => f.taskDefinition === wanted) ??
    (recorded?.taskDefinition === wanted ? recorded : undefined);
  if (!failed) return undefined;
  const running = extra?.rollout?.taskDefinition ?? (service.attributes.taskDefinition as string | undefined);
  const back =
    running && running !== wanted
      ? `ECS rolled the service back to ${revisionName(running)}`
      : 'ECS launches no more of its tasks';
  observation.resources[SERVICE_KEY] = {
    ...service,
    failed:
      `the rollout of ${revisionName(wanted)} failed: ${failed.reason} (${back}); ` +
      'fix the image or the settings and apply the spec again',
  };
  return failed;
}
