/**
 * The shift a pass leaves once its Route 53 writes answered, or did not: the mark that a change of ours,
 * whose id is kept, stands behind the records' Fargate 0 (safety rule 2's drain starts from its INSYNC).
 */
import type { ApplyResult, Plan, PlanStep, StepOutcome } from '../../../reconciler/engine/types';
import type { ObservedResource } from '../../../reconciler/resources/types';
import { shiftAfterApply, shiftBeforeWrites } from '../../../reconciler/traffic/known-change';
import { DNS_KEYS, type ShiftState } from '../../../reconciler/traffic/shift';
import { NOW } from '../resources/fixtures';

function step(action: PlanStep['action'], key: string): PlanStep {
  return {
    id: `${action}:${key}`,
    action,
    key,
    type: 'AWS::Route53::RecordSet',
    reason: 'test',
    dependsOn: [],
  };
}

function record(key: string, attributes: Record<string, unknown> = {}): ObservedResource {
  return { key, type: 'AWS::Route53::RecordSet', id: key, tags: {}, attributes, ready: false };
}

function applied(
  steps: PlanStep[],
  outcomes: Record<string, StepOutcome>,
  resources: Record<string, ObservedResource | undefined>,
): [Plan, Pick<ApplyResult, 'outcomes' | 'observation'>] {
  return [
    { stack: 'orders-api', at: NOW, steps },
    { outcomes, observation: { resources, unknown: {} } },
  ];
}

const updateLambda = step('update', DNS_KEYS.lambda);
const updateFargate = step('update', DNS_KEYS.fargate);
const waiting: StepOutcome = { status: 'waiting', reason: 'Route 53 change /change/C2 is PENDING' };
const rewritten = record(DNS_KEYS.lambda, { weight: 100, rewritten: true });

describe('shiftAfterApply', () => {
  it('marks Fargate 0 known once the lambda record’s step has written the weights again and been answered', () => {
    const [plan, result] = applied(
      [updateLambda],
      { [updateLambda.id]: waiting },
      { [DNS_KEYS.lambda]: rewritten },
    );
    const shift = shiftAfterApply({ shift: { fargateWeight: 0 }, rewriteWeights: true }, plan, result);
    expect(shift).toEqual({ fargateWeight: 0, knownChange: true });
  });

  it.each<[string, StepOutcome | undefined, ObservedResource]>([
    [
      'its write failed (a 5xx or timeout Route 53 may have taken)',
      { status: 'retryable', message: 'InternalError' },
      record(DNS_KEYS.lambda, { weight: 100 }),
    ],
    [
      'it was refused for good',
      { status: 'terminal', message: 'InvalidChangeBatch' },
      record(DNS_KEYS.lambda, { weight: 100 }),
    ],
    [
      'it waited on a dependency and wrote nothing',
      { status: 'blocked', reason: 'http-api' },
      record(DNS_KEYS.lambda, { weight: 100 }),
    ],
    [
      'it is in backoff',
      { status: 'backoff', reason: 'PriorRequestNotComplete', retryAt: NOW + 5_000 },
      record(DNS_KEYS.lambda, { weight: 100 }),
    ],
  ])('leaves Fargate 0 not known when %s', (_why, outcome, after) => {
    const [plan, result] = applied([updateLambda], outcome ? { [updateLambda.id]: outcome } : {}, {
      [DNS_KEYS.lambda]: after,
    });
    const shift = shiftAfterApply({ shift: { fargateWeight: 0 }, rewriteWeights: true }, plan, result);
    expect(shift).toEqual({ fargateWeight: 0 });
  });

  it('drops the mark when a write of the records failed after the lambda one answered: that later change is not known', () => {
    const [plan, result] = applied(
      [updateLambda, updateFargate],
      { [updateLambda.id]: waiting, [updateFargate.id]: { status: 'retryable', message: 'timed out' } },
      { [DNS_KEYS.lambda]: rewritten },
    );
    expect(shiftAfterApply({ shift: { fargateWeight: 0 }, rewriteWeights: true }, plan, result)).toEqual({
      fargateWeight: 0,
    });
    const known: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW } };
    expect(shiftAfterApply({ shift: known }, plan, result)).toEqual({
      fargateWeight: 0,
      drain: { since: NOW },
    });
  });

  it('keeps a known mark through a pass that writes nothing, and never marks a pass that was not asked to rewrite', () => {
    const known: ShiftState = { fargateWeight: 0, knownChange: true };
    const [idle, nothing] = applied(
      [step('wait', DNS_KEYS.lambda)],
      {},
      { [DNS_KEYS.lambda]: record(DNS_KEYS.lambda) },
    );
    expect(shiftAfterApply({ shift: known }, idle, nothing)).toEqual(known);
    // A write not asked to rewrite (a rollback, a terminal error's hold) vouches for nothing.
    const [plan, result] = applied(
      [updateLambda],
      { [updateLambda.id]: waiting },
      { [DNS_KEYS.lambda]: record(DNS_KEYS.lambda) },
    );
    expect(shiftAfterApply({ shift: { fargateWeight: 0 } }, plan, result)).toEqual({ fargateWeight: 0 });
    // Nor a rewrite of weights other than Fargate 0.
    const [up, upResult] = applied(
      [updateLambda],
      { [updateLambda.id]: waiting },
      { [DNS_KEYS.lambda]: rewritten },
    );
    expect(shiftAfterApply({ shift: { fargateWeight: 10 }, rewriteWeights: true }, up, upResult)).toEqual({
      fargateWeight: 10,
    });
  });
});

describe('shiftBeforeWrites', () => {
  const plan = (...steps: PlanStep[]): Plan => ({ stack: 'orders-api', at: NOW, steps });
  const draining: ShiftState = {
    fargateWeight: 0,
    knownChange: true,
    drain: { since: NOW - 60_000, waited: true },
    weightless: true,
  };

  it.each([
    ['updates the lambda record', [updateLambda]],
    ['updates the fargate record', [step('delete', 'load-balancer'), updateFargate]],
    ['creates the fargate record', [step('create', DNS_KEYS.fargate)]],
  ])('drops the mark and the drain when the plan %s, keeping the rest', (_what, steps) => {
    expect(shiftBeforeWrites(draining, plan(...steps))).toEqual({ fargateWeight: 0, weightless: true });
  });

  it.each([
    ['the plan writes no record', draining, plan(step('update', 'lambda-function'))],
    ['the plan only deletes a record', draining, plan(step('delete', DNS_KEYS.fargate))],
    ['the shift has no mark to drop', { fargateWeight: 10, inEffectSince: NOW }, plan(updateLambda)],
    ['there is no shift yet', undefined, plan(updateLambda)],
  ])('asks for no write when %s', (_why, shift, p) => {
    expect(shiftBeforeWrites(shift, p)).toBeUndefined();
  });
});

describe('the records left at a name the spec dropped (dns-leftovers)', () => {
  const removeLeftovers = step('delete', 'dns-leftovers');
  const left = (attributes: Record<string, unknown>) => record('dns-leftovers', attributes);

  it('their removal, answered, vouches for Fargate 0 as a rewrite of the pair does', () => {
    const [plan, result] = applied(
      [removeLeftovers],
      {
        [removeLeftovers.id]: { status: 'waiting', reason: 'dns-leftovers is still being deleted (PENDING)' },
      },
      { 'dns-leftovers': left({ names: ['old.example.com.'], rewritten: true }) },
    );
    expect(shiftAfterApply({ shift: { fargateWeight: 0 }, rewriteWeights: true }, plan, result)).toEqual({
      fargateWeight: 0,
      knownChange: true,
    });
  });

  it('vouches only when every name has a change of this pass: the pair’s and the leftovers’', () => {
    const [plan, result] = applied(
      [updateLambda, removeLeftovers],
      { [updateLambda.id]: waiting, [removeLeftovers.id]: { status: 'done' } },
      { [DNS_KEYS.lambda]: rewritten, 'dns-leftovers': undefined },
    );
    expect(shiftAfterApply({ shift: { fargateWeight: 0 }, rewriteWeights: true }, plan, result)).toEqual({
      fargateWeight: 0,
    });
  });

  it('a removal that failed may have been taken: no mark', () => {
    const [plan, result] = applied(
      [removeLeftovers],
      { [removeLeftovers.id]: { status: 'retryable', message: 'InternalError' } },
      { 'dns-leftovers': left({ rewritten: true }) },
    );
    const shift = shiftAfterApply(
      { shift: { fargateWeight: 0, knownChange: true }, rewriteWeights: true },
      plan,
      result,
    );
    expect(shift).toEqual({ fargateWeight: 0 });
  });

  it('drops the mark before the plan removes them: a pass dying after the change leaves none', () => {
    const shift: ShiftState = { fargateWeight: 0, knownChange: true, drain: { since: NOW - 60_000 } };
    const plan: Plan = { stack: 'orders-api', at: NOW, steps: [removeLeftovers] };
    expect(shiftBeforeWrites(shift, plan)).toEqual({ fargateWeight: 0 });
    const waitOnly: Plan = { stack: 'orders-api', at: NOW, steps: [step('wait', 'dns-leftovers')] };
    expect(shiftBeforeWrites(shift, waitOnly)).toBeUndefined();
  });
});

describe('the old name’s drain on the way up (ShiftState.oldName, traffic/old-name.ts)', () => {
  const removeLeftovers = step('delete', 'dns-leftovers');
  const onFargate: ShiftState = { fargateWeight: 100, inEffectSince: NOW - 60_000 };
  const left = (attributes: Record<string, unknown>) => record('dns-leftovers', attributes);

  it('vouched for once the removal’s step answered (its change id is kept with the same write)', () => {
    const [plan, result] = applied(
      [removeLeftovers],
      {
        [removeLeftovers.id]: { status: 'waiting', reason: 'dns-leftovers is still being deleted (PENDING)' },
      },
      { 'dns-leftovers': left({ names: ['old.example.com.'] }) },
    );
    expect(shiftAfterApply({ shift: { ...onFargate, oldName: {} } }, plan, result)).toEqual({
      ...onFargate,
      oldName: { knownChange: true },
    });
  });

  it('asked to write the TXT again: vouched for only when the step answered with its change', () => {
    const [plan, unwritten] = applied(
      [removeLeftovers],
      { [removeLeftovers.id]: { status: 'waiting', reason: 'kept' } },
      { 'dns-leftovers': left({}) },
    );
    const traffic = { shift: { ...onFargate, oldName: {} }, rewriteWeights: true as const };
    expect(shiftAfterApply(traffic, plan, unwritten).oldName).toEqual({});
    const [, written] = applied(
      [removeLeftovers],
      { [removeLeftovers.id]: { status: 'waiting', reason: 'PENDING' } },
      { 'dns-leftovers': left({ rewritten: true }) },
    );
    expect(shiftAfterApply(traffic, plan, written).oldName).toEqual({ knownChange: true });
  });

  it('asked to write again in the spec’s zone: vouched for only with the pair’s change answered too', () => {
    const traffic = { shift: { ...onFargate, oldName: {} }, rewriteWeights: true as const };
    const leftRewritten = left({ rewritten: true });
    const [plan, failed] = applied(
      [updateLambda, removeLeftovers],
      {
        [updateLambda.id]: { status: 'retryable', message: 'Throttling' },
        [removeLeftovers.id]: { status: 'waiting', reason: 'kept' },
      },
      { 'dns-leftovers': leftRewritten },
    );
    expect(shiftAfterApply(traffic, plan, failed).oldName).toEqual({});
    const [, unwritten] = applied(
      [updateLambda, removeLeftovers],
      { [updateLambda.id]: waiting, [removeLeftovers.id]: { status: 'waiting', reason: 'kept' } },
      { [DNS_KEYS.lambda]: record(DNS_KEYS.lambda, { weight: 0 }), 'dns-leftovers': leftRewritten },
    );
    expect(shiftAfterApply(traffic, plan, unwritten).oldName).toEqual({});
    const [, written] = applied(
      [updateLambda, removeLeftovers],
      { [updateLambda.id]: waiting, [removeLeftovers.id]: { status: 'waiting', reason: 'kept' } },
      { [DNS_KEYS.lambda]: rewritten, 'dns-leftovers': leftRewritten },
    );
    expect(shiftAfterApply(traffic, plan, written).oldName).toEqual({ knownChange: true });
  });

  it('a removal that failed may have been taken: not vouched for', () => {
    const [plan, result] = applied(
      [removeLeftovers],
      { [removeLeftovers.id]: { status: 'retryable', message: 'InternalError' } },
      { 'dns-leftovers': left({}) },
    );
    const shift = shiftAfterApply({ shift: { ...onFargate, oldName: { knownChange: true } } }, plan, result);
    expect(shift).toEqual({ ...onFargate, oldName: {} });
  });

  it('a pass that writes nothing there keeps the drain as decided; one waited out stays so', () => {
    const [plan, result] = applied([step('wait', 'dns-leftovers')], {}, {});
    const draining = { ...onFargate, oldName: { knownChange: true as const, since: NOW } };
    expect(shiftAfterApply({ shift: draining }, plan, result)).toEqual(draining);
    const waited = { ...onFargate, oldName: { since: NOW - 200_000, waited: true as const } };
    const [removal, removed] = applied([removeLeftovers], { [removeLeftovers.id]: { status: 'done' } }, {});
    expect(shiftAfterApply({ shift: waited }, removal, removed)).toEqual(waited);
  });

  it('drops its mark and its start before a pass writes there: a pass dying after the change leaves none', () => {
    const plan: Plan = { stack: 'orders-api', at: NOW, steps: [removeLeftovers] };
    const marked = { ...onFargate, oldName: { knownChange: true as const, since: NOW, localSince: NOW } };
    expect(shiftBeforeWrites(marked, plan)).toEqual({ ...onFargate, oldName: {} });
    // Waited out, the TXT's removal takes nothing from the ALB: nothing to drop, no write for it.
    const waited = { ...onFargate, oldName: { since: NOW, waited: true as const } };
    expect(shiftBeforeWrites(waited, plan)).toBeUndefined();
    expect(shiftBeforeWrites({ ...onFargate, oldName: {} }, plan)).toBeUndefined();
  });
});
