/**
 * Adversary (faults): the Lambda tier behind a DNS name the spec dropped. The old name's `lambda` record is
 * an alias to the API's custom domain (its regional name); resolvers hold that answer until its removal is
 * INSYNC and TTL × 2 have passed, as they hold the `fargate` record's, whose ALB HTTPS listener is kept that
 * long (traffic/old-name.ts). The custom domain (or its API mapping) going before then sends every client
 * of the old name to an endpoint that no longer serves it: the Lambda tier down for them (safety rule 4).
 * Measured on the simulated account's clock.
 */
import type { AnswerEntry, Route53State } from '../../aws-sim/services/route53/state';
import type { HookClient } from './call-hooks';
import { EXAMPLE_RECORD, exampleDns, exampleZoneId, scenario, specInput, type Scenario } from './harness';

/** 2 × the alias records' 60 s (resolvers hold an alias answer for its fixed TTL). */
const RESOLVERS_MS = 2 * 60_000;

function namesLambda(entries: AnswerEntry[]): boolean {
  const total = entries.reduce((sum, e) => sum + (e.weight ?? 1), 0);
  return entries.some((e) => e.setIdentifier === 'lambda' && (total === 0 || (e.weight ?? 1) > 0));
}

/** Watches the old name's answers and the calls that take the custom domain or its mapping away. */
function watchLambdaAtOldName(s: Scenario, zoneId: string) {
  const key = `${EXAMPLE_RECORD}.|A`;
  const answers = new Map<number, boolean>();
  const remember = () => {
    const zone = s.account.stateOf<Route53State>('route53').zones[zoneId];
    for (const epoch of zone?.answers[key] ?? []) answers.set(epoch.effectiveAt, namesLambda(epoch.entries));
  };
  const drainedSince = (at: number): number | undefined => {
    remember();
    const inEffect = [...answers.entries()].filter(([from]) => from <= at).sort(([a], [b]) => a - b);
    let last = -1;
    inEffect.forEach(([, naming], i) => (last = naming ? i : last));
    if (last === -1) return inEffect.length === 0 ? undefined : Number.NEGATIVE_INFINITY;
    return inEffect[last + 1]?.[0];
  };
  const calls: string[] = [];
  const seen: string[] = [];
  for (const client of Object.values(s.clients) as HookClient[]) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        remember();
        if (operation === 'DeleteDomainName' || operation === 'DeleteApiMapping') {
          seen.push(operation);
          const since = drainedSince(s.account.now());
          if (since === undefined || s.account.now() - since < RESOLVERS_MS)
            calls.push(
              since === undefined
                ? `${operation} while the old name still names the custom domain`
                : `${operation} ${s.account.now() - since} ms after the old name drained`,
            );
        }
        return next(args);
      },
      { step: 'initialize', name: 'lambdaOldNameWatch', priority: 'low' },
    );
  }
  return { early: calls, seen };
}

// Found by this file (fixed by 75abd7b): the old name's custom domain and its API mapping go 60 s after the removal of the
// name's records is INSYNC, whatever the pass timing (every 5 s here), where the ALB's HTTPS listener
// behind the same name is kept TTL × 2 + the deregistration delay (traffic/old-name.ts): old-name.ts's
// drain is computed on the way up and staying on Fargate only, and dns-leftovers' delete is followed by
// api-domain-leftovers' as soon as the removal is gone. In fix-drain's area (traffic, apigateway, route53).
describe('adversary: the custom domain behind a name the spec dropped, on the Lambda tier', () => {
  it.each([
    ['dns removed', (_zone: string) => specInput({ mode: 'lambda' })],
    [
      'the record name moved',
      (zone: string) => specInput({ mode: 'lambda', dns: exampleDns(zone, 'shop.example.test') }),
    ],
  ] as const)(
    '%s on Lambda: the old name’s custom domain waits for TTL × 2 after its records’ removal is INSYNC (was a DEFECT, fixed in 75abd7b)',
    async (_case, edit) => {
      const s = scenario({ seed: 95 });
      const zone = await exampleZoneId(s);
      await s.apply(specInput({ mode: 'lambda', dns: exampleDns(zone) }));
      expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
      const watch = watchLambdaAtOldName(s, zone);
      await s.apply(edit(zone));
      // A pass every 5 s, as edits, the schedule and the requeues of a busy table may bring them.
      for (let i = 0; i < 200; i++) {
        const result = await s.pass();
        if (result !== 'crashed' && result.settled) break;
        s.account.advance(5_000);
      }
      expect(await s.pass()).toMatchObject({ phase: 'Lambda', settled: true });
      expect(watch.seen).toContain('DeleteDomainName');
      expect(watch.early).toEqual([]);
    },
  );
});
