/**
 * Adversary: the scale-down asked for in the same edit that moves or removes the stack's DNS name (safety
 * rule 2). The records at the old name send resolvers to the ALB until the change that takes them away
 * is INSYNC, and resolvers hold that answer TTL × 2 (docs/design.md "How traffic moves"); the records at
 * the new name never had a Fargate weight, and without `dns` there is no record at all. Whatever the
 * spec now says, the Fargate tier's serving path (the ECS service scaled to 0 or deleted, a listener, the
 * target group, the ALB) may go only once no answer for the old name has named the Fargate tier for the
 * whole wait, measured on the simulated account's clock.
 */
import type { PriorRequestModel } from '../../aws-sim/services/route53';
import type { DesiredStateInput } from '../../spec/types';
import { callsBeforeDrained, settledOnFargateWithDns } from './drain-watch';
import { exampleDns, passFor, ROUTE53_MODELS, specInput, STACK, type Scenario } from './harness';
import { ChangeResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { addHostedZone } from '../../aws-sim/services/route53';
import { ownerTxtName, ownerTxtValue } from '../../reconciler/resources/route53/dns-ownership';

/** The serving path's calls made before the old name had drained for the whole wait, in words. */
async function earlyCalls(
  route53: PriorRequestModel,
  edit: (zone: string, s: Scenario) => DesiredStateInput | Promise<DesiredStateInput> | undefined,
  { deleted = false }: { deleted?: boolean } = {},
) {
  const { s, zone, watch } = await settledOnFargateWithDns({ seed: 81, route53 });
  expect(watch.drainedSince()).toBeUndefined();
  const spec = await edit(zone, s);
  if (spec) await s.apply(spec);
  if (deleted) {
    await s.store.requestDelete(STACK);
    for (let i = 0; i < 100 && (await s.store.get(STACK)); i++) {
      const result = await s.pass();
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(await s.store.get(STACK)).toBeUndefined();
  } else {
    // Ten minutes of passes: a stack kept from a name another stack owns never settles (it says so).
    await passFor(s, 10 * 60_000);
  }
  expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
  return callsBeforeDrained(watch);
}

describe('adversary: a scale-down in the same edit as a DNS name moved or removed', () => {
  it.each(ROUTE53_MODELS)(
    'the record name moved (Route 53 refusing a change %s): nothing of the serving path goes before the old name has drained',
    async (route53) => {
      const moved = (zone: string) =>
        specInput({ mode: 'lambda', dns: exampleDns(zone, 'shop.example.test') });
      expect(await earlyCalls(route53, moved)).toEqual([]);
    },
  );

  it.each(ROUTE53_MODELS)(
    'the hosted zone moved to another of the same domain (Route 53 refusing a change %s): nothing of the serving path goes before the old zone has drained',
    async (route53) => {
      const moved = (_zone: string, s: Scenario) =>
        specInput({ mode: 'lambda', dns: exampleDns(addHostedZone(s.account, 'example.test')) });
      expect(await earlyCalls(route53, moved)).toEqual([]);
    },
  );

  it.each(ROUTE53_MODELS)(
    'the stack deleted from Fargate with dns (Route 53 refusing a change %s): nothing of the serving path goes before its name has drained',
    async (route53) => {
      expect(await earlyCalls(route53, () => undefined, { deleted: true })).toEqual([]);
    },
  );

  // Found by this file first: the record name moved, in the edit that asks for Lambda, to a name another
  // stack's ownership TXT claims. Finding the new name all someone else's and never written by the stack,
  // the first pass started the wait at once with no change of its own, while the old name's deletion
  // (dns-leftovers) was not INSYNC yet: the Fargate tier went 60 to 120 s after the old name drained, not
  // 150 s. The records left at the old name now count as the stack's own (traffic/foreign-name.ts
  // nothingOfOursAtTheName): the drain waits on the change that removed them.
  it.each(ROUTE53_MODELS)(
    'the record name moved to one another stack owns (Route 53 refusing a change %s): nothing of the serving path goes before the old name has drained',
    async (route53) => {
      const taken = 'shop.example.test';
      const moved = async (zone: string, s: Scenario) => {
        // Another stack's ownership TXT at the new name, and its records there (safety rule 7).
        await s.account.withoutFaults(() =>
          s.clients.route53.send(
            new ChangeResourceRecordSetsCommand({
              HostedZoneId: zone,
              ChangeBatch: {
                Changes: [
                  {
                    Action: 'CREATE',
                    ResourceRecordSet: {
                      Name: ownerTxtName(taken),
                      Type: 'TXT',
                      TTL: 300,
                      ResourceRecords: [{ Value: ownerTxtValue({ stack: 'shop', region: 'us-east-1' }) }],
                    },
                  },
                  {
                    Action: 'CREATE',
                    ResourceRecordSet: {
                      Name: taken,
                      Type: 'A',
                      TTL: 60,
                      ResourceRecords: [{ Value: '192.0.2.10' }],
                    },
                  },
                ],
              },
            }),
          ),
        );
        return specInput({ mode: 'lambda', dns: exampleDns(zone, taken) });
      };
      expect(await earlyCalls(route53, moved)).toEqual([]);
    },
  );

  // Found by this file first (the Fargate tier went while the old name's records still sent resolvers to
  // the ALB): the traffic engine judged the stack `weightless` from the `dns-lambda` and `dns-fargate`
  // kinds alone, which find nothing without `dns`. The records left at the old name (the `dns-leftovers`
  // kind) now count as the two records do (reconciler/traffic/records.ts): their removal is the move back
  // to Lambda, its change id is kept, and the drain starts from its INSYNC.
  it.each(ROUTE53_MODELS)(
    'dns removed (Route 53 refusing a change %s): nothing of the serving path goes before the old name has drained',
    async (route53) => {
      expect(await earlyCalls(route53, () => specInput({ mode: 'lambda' }))).toEqual([]);
    },
  );

  // The same, `dns` taken out and the stack deleted right after (the deletion drains as the way down does,
  // above, with `dns`): found first here with both tiers gone while the old name still sent the Fargate tier
  // traffic, for the same reason.
  it.each(ROUTE53_MODELS)(
    'dns removed, then the stack deleted (Route 53 refusing a change %s): nothing of the serving path goes before the old name has drained',
    async (route53) => {
      const removed = () => specInput({ mode: 'fargate' });
      expect(await earlyCalls(route53, removed, { deleted: true })).toEqual([]);
    },
  );
});
