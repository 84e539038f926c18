/**
 * The public planning API: the plan LambdaFlex would make for a spec against the AWS that `clients`
 * reach, with no state store. Users unit-test their own spec with it against aws-sdk-client-mock
 * (see examples/plan-my-spec.test.ts).
 *
 * The plan is made as a first pass would make it: with nothing remembered and the default intent
 * (resources/intent.ts: every request on the Lambda tier, the spec's own `minTasks`, the default state
 * table), from one full observation.
 *
 * @example
 *   const plan = await planSpec({ spec: { stack: 'orders-api', image: '…', mode: 'fargate' }, clients, region: 'us-east-1' });
 *   console.log(formatPlan(plan));
 */
import { validateSpec } from '../spec';
import type { AwsClients } from './aws/clients';
import { pinnedTier } from './decide/pinned';
import { observe } from './engine/observe';
import { plan, type TargetTier } from './engine/plan';
import type { Plan } from './engine/types';
import { ALL_RESOURCES } from './resources';
import type { ManagedResource } from './resources/types';
import { SpecValidationError } from './state/types';

export { formatPlan } from './engine/format';
export { planChangesSomething, planSummary } from './engine/plan';

export interface PlanSpecInput {
  /** A desired-state document; validated first (SpecValidationError when invalid). */
  spec: unknown;
  clients: AwsClients;
  region: string;
  /** The tier to plan for; by default the one the spec's mode pins (auto: where the stack is). */
  tier?: TargetTier;
  now?: number;
  kinds?: readonly ManagedResource[];
}

export async function planSpec(input: PlanSpecInput): Promise<Plan> {
  const validation = validateSpec(input.spec);
  if (!validation.ok) throw new SpecValidationError(validation.errors);
  const spec = validation.spec;
  const kinds = input.kinds ?? ALL_RESOURCES;
  const now = input.now ?? Date.now();
  const observation = await observe(
    { clients: input.clients, spec, region: input.region, now: () => now },
    kinds,
  );
  const tier = input.tier ?? pinnedTier(spec, { deletionRequested: false, observation, kinds }).tier;
  return plan(spec, tier, observation, now, kinds);
}
