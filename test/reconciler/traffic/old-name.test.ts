/**
 * decideTraffic on the way up (or staying on Fargate) with records of the stack left at a name the spec
 * dropped (traffic/old-name.ts): the old name drains as the way down drains the records (its records
 * removed, in sync by a change this reconciler knows, then TTL × 2 and the deregistration delay on both
 * clocks), and until then the decision says so (`oldNameDrains`), which keeps the TXT and the HTTPS
 * listener (safety rule 2). A failed look-up of the leftovers holds what was kept (safety rule 6).
 */
import type { ObservedResource } from '../../../reconciler/resources/types';
import type { DnsLeftoversExtra } from '../../../reconciler/resources/route53/dns-leftovers';
import {
  decideTraffic,
  DEREGISTRATION_DELAY_MS,
  type ShiftState,
  type TrafficInput,
} from '../../../reconciler/traffic/shift';
import { NOW } from '../resources/fixtures';
import { awsAt, input, STEP_MS, type World, withLeftovers } from './world';

const healthy: World = { alb: 'active', healthy: 1 };
const WAIT_MS = 2 * 60_000 + DEREGISTRATION_DELAY_MS;
const serving: ShiftState = { fargateWeight: 100, inEffectSince: NOW - 20 * STEP_MS };

/** The leftovers as their kind reports them: records still there or not, a removal PENDING or not. */
function leftovers(records: number, pending = false): ObservedResource<DnsLeftoversExtra> {
  const sets = Array.from({ length: records }, (_, i) => ({
    Name: 'old.example.com.',
    Type: 'A' as const,
    SetIdentifier: i === 0 ? 'fargate' : 'lambda',
    Weight: i === 0 ? 100 : 0,
  }));
  return {
    key: 'dns-leftovers',
    type: 'AWS::Route53::RecordSet',
    id: 'Z0LD/old.example.com.',
    tags: {},
    attributes: { names: ['old.example.com.'], fargatePercent: records > 0 ? 100 : 0 },
    state: pending ? 'PENDING' : 'INSYNC',
    ready: !pending,
    extra: { leftovers: [{ hostedZoneId: 'Z0LD', recordName: 'old.example.com.', records: sets }] },
  };
}

/** Staying on Fargate without dns, with the leftovers as given (or their look-up failed). */
function up(
  left: ObservedResource<DnsLeftoversExtra> | 'unknown' | undefined,
  previous: ShiftState,
  at = NOW,
): TrafficInput {
  const base = input('fargate', healthy, previous, { now: at, awsTime: awsAt(at) });
  return withLeftovers(base, left);
}

describe('decideTraffic staying on Fargate with records left at a name the spec dropped', () => {
  it('records still there: the old name drains (TXT and HTTPS listener kept), nothing vouched for yet', () => {
    const decision = decideTraffic(up(leftovers(2), serving));
    expect(decision).toMatchObject({ phase: 'Fargate', planResources: 'all', oldNameDrains: true });
    expect(decision.shift.oldName).toEqual({});
    expect(decision.rewriteWeights).toBeUndefined();
  });

  it('records back after a drain was under way or over: it starts again', () => {
    const waited = {
      ...serving,
      oldName: { knownChange: true as const, since: NOW - WAIT_MS, waited: true as const },
    };
    const decision = decideTraffic(up(leftovers(1), waited));
    expect(decision.oldNameDrains).toBe(true);
    expect(decision.shift.oldName).toEqual({});
  });

  it('the removal PENDING: keeps draining, the known change kept, no wait started', () => {
    const known = { ...serving, oldName: { knownChange: true as const } };
    const decision = decideTraffic(up(leftovers(0, true), known));
    expect(decision.oldNameDrains).toBe(true);
    expect(decision.shift.oldName).toEqual({ knownChange: true });
  });

  it('gone and in sync by a known change: the wait starts at the latest AWS time, then runs out on both clocks', () => {
    const known = { ...serving, oldName: { knownChange: true as const } };
    const started = decideTraffic(up(leftovers(0), known));
    expect(started.oldNameDrains).toBe(true);
    const since = awsAt(NOW).latest;
    expect(started.shift.oldName).toEqual({ knownChange: true, since, localSince: NOW });
    expect(started.awaiting).toMatch(/s more of the old name’s drain/);

    const early = decideTraffic(up(leftovers(0), started.shift, NOW + WAIT_MS - 1_000));
    expect(early.oldNameDrains).toBe(true);
    expect(early.shift.oldName).toEqual({ knownChange: true, since, localSince: NOW });

    const over = decideTraffic(up(leftovers(0), started.shift, since + WAIT_MS + 2_000));
    expect(over.oldNameDrains).toBeUndefined();
    expect(over.shift.oldName).toEqual({ knownChange: true, since, localSince: NOW, waited: true });
  });

  it('the wait is not over while our own clock says otherwise (a clock stepped back)', () => {
    const drain = { ...serving, oldName: { knownChange: true as const, since: NOW, localSince: NOW } };
    const base = up(leftovers(0), drain, NOW + WAIT_MS + 2_000);
    const decision = decideTraffic({ ...base, now: NOW + 1_000 });
    expect(decision.oldNameDrains).toBe(true);
  });

  it('gone and in sync by no change it knows (the id lost with a pass): the TXT is written again to wait on', () => {
    const decision = decideTraffic(up(leftovers(0), { ...serving, oldName: {} }));
    expect(decision).toMatchObject({ oldNameDrains: true, rewriteWeights: true });
    expect(decision.shift.oldName).toEqual({});
    // A record from before the drain was kept (no oldName at all) is written again all the same.
    expect(decideTraffic(up(leftovers(0), serving)).rewriteWeights).toBe(true);
  });

  it('no AWS answer dated this pass: no wait starts', () => {
    const known = { ...serving, oldName: { knownChange: true as const } };
    const decision = decideTraffic({ ...up(leftovers(0), known), awsTime: undefined });
    expect(decision.oldNameDrains).toBe(true);
    expect(decision.shift.oldName).toEqual({ knownChange: true });
  });

  it('a failed look-up holds what was kept: draining while it drained, over once over', () => {
    const draining = { ...serving, oldName: { knownChange: true as const, since: NOW } };
    const held = decideTraffic(up('unknown', draining));
    expect(held.oldNameDrains).toBe(true);
    expect(held.shift.oldName).toEqual(draining.oldName);
    const waited = { ...serving, oldName: { since: NOW - WAIT_MS, waited: true as const } };
    expect(decideTraffic(up('unknown', waited)).oldNameDrains).toBeUndefined();
    // Nothing known of an old name: the pass holds, and keeps no drain it never saw.
    const unseen = decideTraffic(up('unknown', serving));
    expect(unseen.oldNameDrains).toBe(true);
    expect(unseen.shift.oldName).toBeUndefined();
  });

  it('once waited out, the TXT’s own removal (PENDING) does not start it again, and nothing left ends it', () => {
    const waited = {
      ...serving,
      oldName: { knownChange: true as const, since: NOW - WAIT_MS, waited: true as const },
    };
    const removing = decideTraffic(up(leftovers(0, true), waited));
    expect(removing.oldNameDrains).toBeUndefined();
    expect(removing.shift.oldName).toEqual(waited.oldName);
    const done = decideTraffic(up(undefined, removing.shift));
    expect(done.oldNameDrains).toBeUndefined();
    expect(done.shift.oldName).toBeUndefined();
  });

  it('nothing left and a drain under way: it runs out from its start', () => {
    const draining = { ...serving, oldName: { knownChange: true as const, since: NOW, localSince: NOW } };
    expect(decideTraffic(up(undefined, draining, NOW + 1_000)).oldNameDrains).toBe(true);
    expect(decideTraffic(up(undefined, draining, NOW + WAIT_MS + 2_000)).oldNameDrains).toBeUndefined();
  });

  it('no old name ever: nothing of it in the decision', () => {
    const decision = decideTraffic(up(undefined, serving));
    expect(decision.oldNameDrains).toBeUndefined();
    expect(decision.shift.oldName).toBeUndefined();
  });

  it('on the way down the old name drains with the records: its drain is not carried there', () => {
    const draining = { ...serving, oldName: { knownChange: true as const, since: NOW } };
    const base = up(leftovers(0), draining);
    const decision = decideTraffic({ ...base, target: 'lambda' });
    expect(decision.oldNameDrains).toBeUndefined();
    expect(decision.shift.oldName).toBeUndefined();
    expect(decision).toMatchObject({ planResources: 'lambda-tier-and-records', rewriteWeights: true });
  });
});

describe('decideTraffic serving on Lambda with records left at a name the spec dropped', () => {
  /** On Lambda with no Fargate tier, without dns, the leftovers as given. */
  const onLambda = (left: ObservedResource<DnsLeftoversExtra>, previous: ShiftState, at = NOW) =>
    withLeftovers(
      input('lambda', { lambdaWeight: undefined }, previous, { now: at, awsTime: awsAt(at) }),
      left,
    );
  const lambda: ShiftState = { fargateWeight: 0 };

  it('the old name drains on its own, as on Fargate: what only it served stays until the wait is over', () => {
    const removing = decideTraffic(onLambda(leftovers(1), lambda));
    expect(removing).toMatchObject({ phase: 'Lambda', planResources: 'all', oldNameDrains: true });
    const known = { ...lambda, oldName: { knownChange: true as const } };
    const started = decideTraffic(onLambda(leftovers(0), known));
    expect(started.oldNameDrains).toBe(true);
    expect(started.shift.oldName).toMatchObject({ knownChange: true, since: NOW + 1000 });
    const over = decideTraffic(onLambda(leftovers(0), started.shift, NOW + 1000 + WAIT_MS + 2_000));
    expect(over.oldNameDrains).toBeUndefined();
    expect(over.shift.oldName).toMatchObject({ waited: true });
  });

  it('its removal by a change not known (a pass died): the TXT is written again to wait on', () => {
    const decision = decideTraffic(onLambda(leftovers(0), lambda));
    expect(decision).toMatchObject({ oldNameDrains: true, rewriteWeights: true });
  });
});

describe('the old name’s wait and the TTL its records were written with', () => {
  it('is TTL × 2 of the longer TTL dns-leftovers reports, not the 60 s a spec without dns implies', () => {
    const longTtl = { ...leftovers(0), attributes: { ...leftovers(0).attributes, ttlSeconds: 300 } };
    const drain = { ...serving, oldName: { knownChange: true as const, since: NOW, localSince: NOW } };
    const at = NOW + WAIT_MS + 2_000;
    expect(decideTraffic(up(leftovers(0), drain, at)).oldNameDrains).toBeUndefined();
    expect(decideTraffic(up(longTtl, drain, at)).oldNameDrains).toBe(true);
    const longWait = 2 * 300_000 + DEREGISTRATION_DELAY_MS;
    expect(decideTraffic(up(longTtl, drain, NOW + longWait + 2_000)).oldNameDrains).toBeUndefined();
  });
});
