/**
 * Adversary scenarios: safety rule 2's wait is measured on the `Date` headers of AWS's answers
 * (reconciler/aws/aws-time.ts). Here the answers lie about the time, or say nothing, while the stack
 * scales down with `dns`: no answer carries a Date (an endpoint that sends none); answers come from a
 * cache, stale by ten minutes (with an `Age` header, as a cache must add, or, from a broken one, without);
 * one service's servers are a day ahead of or behind the others, for the whole drain. Measured in AWS's
 * time (the simulated account's clock), nothing that serves the Fargate tier's requests goes before
 * Route 53's answers stopped naming it + TTL × 2 + the deregistration delay, and, once the answers tell
 * the time again, the stack reaches Lambda with the Fargate tier gone.
 */
import { instrumentAwsTime } from '../../reconciler/aws/aws-time';
import type { ServiceName } from '../../aws-sim';
import type { HookClient } from './call-hooks';
import { watchDrain } from './drain-watch';
import {
  byType,
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  type Scenario,
} from './harness';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** What happens to an answer's headers: left as they are, or rewritten (undefined: the Date is removed). */
type Rewrite = (service: string, headers: Record<string, string>) => Record<string, string>;

interface HttpAnswer {
  response?: { headers?: Record<string, string> };
}

/**
 * Rewrites the headers of every answer `clients` get, between the simulated AWS and the reconciler's
 * sampling of AWS's time (which is made to sit outside this, as a proxy between a client and AWS would).
 */
function rewriteAnswers(s: Scenario, rewrite: { current?: Rewrite }): void {
  instrumentAwsTime(s.clients);
  for (const [service, client] of Object.entries(s.clients) as [string, HookClient][]) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const answer = (await next(args)) as HttpAnswer;
        const headers = answer.response?.headers;
        if (!rewrite.current || !headers) return answer;
        return {
          ...answer,
          response: { ...answer.response, headers: rewrite.current(service, { ...headers }) },
        };
      },
      { step: 'initialize', name: 'rewriteAnswers', priority: 'low' },
    );
  }
}

const shifted = (headers: Record<string, string>, byMs: number): Record<string, string> => ({
  ...headers,
  date: new Date(Date.parse(headers.date!) + byMs).toUTCString(),
});

/** Every other answer rewritten: the rest come from AWS, so that the time can still be told. */
function everyOther(rewrite: (headers: Record<string, string>) => Record<string, string>): Rewrite {
  let n = 0;
  return (_service, headers) => (n++ % 2 === 0 ? rewrite(headers) : headers);
}

async function fargateWithDns(seed: number) {
  const s = scenario({ seed });
  const rewrite: { current?: Rewrite } = {};
  rewriteAnswers(s, rewrite);
  const zone = await exampleZoneId(s);
  const dns = exampleDns(zone, EXAMPLE_RECORD);
  await s.apply(specInput({ mode: 'fargate', dns }));
  expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
  const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
  await s.apply(specInput({ mode: 'lambda', dns }));
  return { s, rewrite, watch };
}

/** Passes, spaced as the stack asks, for `forMs` of AWS's time or until settled. */
async function passesFor(s: Scenario, forMs: number, beforePass?: (pass: number) => void) {
  const until = s.account.now() + forMs;
  let last;
  for (let pass = 0; s.account.now() < until; pass++) {
    beforePass?.(pass);
    const result = await s.pass();
    if (result !== 'crashed') {
      last = result;
      if (result.settled) break;
    }
    s.account.advance(
      Math.max(5_000, Math.min(result === 'crashed' ? 5_000 : (result.requeueAfterMs ?? 15_000), 60_000)),
    );
  }
  return last;
}

function early(watch: ReturnType<typeof watchDrain>): string[] {
  return watch.calls
    .filter((c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS)
    .map((c) => `${c.operation} ${c.at - (c.drainedSince ?? c.at)} ms after INSYNC`);
}

function fargateTierGone(s: Scenario): boolean {
  return byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer'] === undefined;
}

describe('adversary: AWS’s answers lie about the time, or say nothing, during the drain', () => {
  it('no answer carries a Date: nothing of the Fargate tier goes, and the wait is counted once they do', async () => {
    const { s, rewrite, watch } = await fargateWithDns(41);
    rewrite.current = (_service, { date: _date, ...rest }) => rest;
    const undated = await passesFor(s, 20 * MINUTE_MS);
    expect(undated?.settled).toBe(false);
    expect(watch.drainedSince()).toBeDefined();
    expect(watch.calls).toEqual([]);
    expect(fargateTierGone(s)).toBe(false);
    // Twenty minutes drained by then: a wait counted from the Route 53 change, not from the first dated
    // answer, would delete at once. It may not: no pass found the records in sync with a time to start at.
    const datedAgainAt = s.account.now();
    rewrite.current = undefined;
    expect(await passesFor(s, 30 * MINUTE_MS)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(fargateTierGone(s)).toBe(true);
    expect(early(watch)).toEqual([]);
    expect(Math.min(...watch.calls.map((c) => c.at))).toBeGreaterThanOrEqual(datedAgainAt + DRAIN_WAIT_MS);
  });

  it.each<[string, Rewrite]>([
    ['a cache, with Age', everyOther((h) => ({ ...shifted(h, -10 * MINUTE_MS), age: '600' }))],
    ['a broken cache, without Age', everyOther((h) => shifted(h, -10 * MINUTE_MS))],
  ])('every other answer ten minutes stale from %s: the wait is not shortened', async (_how, stale) => {
    const { s, rewrite, watch } = await fargateWithDns(43);
    rewrite.current = stale;
    expect(await passesFor(s, 60 * MINUTE_MS)).toMatchObject({ phase: 'Lambda', settled: true });
    expect(fargateTierGone(s)).toBe(true);
    expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    expect(early(watch)).toEqual([]);
  });

  it('every answer of every other pass ten minutes stale from a cache, with Age: those passes tell no time', async () => {
    const { s, rewrite, watch } = await fargateWithDns(43);
    const stale: Rewrite = (_service, h) => ({ ...shifted(h, -10 * MINUTE_MS), age: '600' });
    const last = await passesFor(
      s,
      60 * MINUTE_MS,
      (pass) => (rewrite.current = pass % 2 === 0 ? stale : undefined),
    );
    expect(last).toMatchObject({ phase: 'Lambda', settled: true });
    expect(fargateTierGone(s)).toBe(true);
    expect(early(watch)).toEqual([]);
  });

  // A cache that serves stale answers without the Age header HTTP requires of it, for every call of the
  // pass that starts the drain, starts it ten minutes early in AWS's time, and a later pass with fresh
  // answers would end it ten minutes early: nothing compares the Dates of two passes. The wait must also be
  // over on the reconciler's own clock, which the cache does not move.
  it('every answer of every other pass ten minutes stale from a broken cache, without Age', async () => {
    const { s, rewrite, watch } = await fargateWithDns(43);
    const stale: Rewrite = (_service, h) => shifted(h, -10 * MINUTE_MS);
    await passesFor(s, 60 * MINUTE_MS, (pass) => (rewrite.current = pass % 2 === 0 ? stale : undefined));
    expect(early(watch)).toEqual([]);
  });

  const services: ServiceName[] = ['route53', 'elbv2', 'ecs', 'lambda', 'apigatewayv2', 'ec2', 'tagging'];
  const offsets = [DAY_MS, -DAY_MS, 20_000, -20_000];
  it.each(services.flatMap((service) => offsets.map((offMs) => [service, offMs] as const)))(
    '%s’s servers %d ms off the others’ for the whole drain: the wait is not shortened',
    async (service, offMs) => {
      const { s, rewrite, watch } = await fargateWithDns(47);
      rewrite.current = (from, h) => (from === service ? shifted(h, offMs) : h);
      const last = await passesFor(s, 30 * MINUTE_MS);
      expect(early(watch)).toEqual([]);
      // Answers that disagree are taken at their loosest: a wait longer by the disagreement, so seconds
      // apart still end it (a day apart may hold it for that day: safe, if slow).
      if (Math.abs(offMs) < MINUTE_MS) {
        expect(last).toMatchObject({ phase: 'Lambda', settled: true });
        expect(fargateTierGone(s)).toBe(true);
      }
    },
  );
});
