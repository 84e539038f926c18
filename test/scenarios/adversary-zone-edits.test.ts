/**
 * Adversary scenarios: the hosted zone edited by someone else while all traffic is on Fargate, then the
 * stack scaled down. The name's ownership TXT deleted (the stack remembers writing the name: its records
 * are still its own), or rewritten to name another stack (the name is no longer the stack's to write,
 * safety rule 7), or the fargate record's weight raised by hand mid-drain. Measured in AWS's time (the
 * simulated account's clock): nothing that serves the Fargate tier's requests goes while Route 53's
 * answers may still name it, nor before they stopped + TTL × 2 + the deregistration delay.
 */
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { clientsFor } from '../../aws-sim';
import { ownerTxtName, ownerTxtValue } from '../../reconciler/resources/route53/dns-ownership';
import { watchDrain } from './drain-watch';
import {
  byType,
  DRAIN_WAIT_MS,
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  recordWeights,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

async function recordSet(s: Scenario, zone: string, name: string, type: string, setIdentifier?: string) {
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
  return answer.ResourceRecordSets?.find(
    (r) => r.Name === `${name}.` && r.Type === type && r.SetIdentifier === setIdentifier,
  );
}

type Edit = 'TXT deleted' | 'TXT names another stack';

/** Someone else's change to the zone, made through clients the reconciler does not use. */
async function edit(s: Scenario, zone: string, what: Edit): Promise<void> {
  const txtName = ownerTxtName(EXAMPLE_RECORD).replace(/\.$/, '');
  const txt = (await recordSet(s, zone, txtName, 'TXT'))!;
  const change =
    what === 'TXT deleted'
      ? { Action: 'DELETE' as const, ResourceRecordSet: txt }
      : {
          Action: 'UPSERT' as const,
          ResourceRecordSet: {
            ...txt,
            ResourceRecords: [{ Value: ownerTxtValue({ stack: 'someone-else', region: 'us-east-1' }) }],
          },
        };
  await clientsFor(s.account).route53.send(
    new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [change] } }),
  );
}

async function passes(s: Scenario, count: number) {
  let last;
  for (let i = 0; i < count; i++) {
    const result = await s.pass();
    if (result !== 'crashed') last = result;
    if (last?.settled) break;
    s.account.advance(
      result === 'crashed' ? 5_000 : Math.max(5_000, Math.min(result.requeueAfterMs ?? 15_000, 60_000)),
    );
  }
  return last;
}

describe('adversary: the hosted zone edited by someone else, then a scale-down', () => {
  it.each<Edit>(['TXT deleted', 'TXT names another stack'])(
    '%s while Fargate serves: nothing serving the Fargate tier goes while Route 53 may name it',
    async (what) => {
      const s = scenario({ seed: 71 });
      const zone = await exampleZoneId(s);
      const dns = exampleDns(zone, EXAMPLE_RECORD);
      await s.apply(specInput({ mode: 'fargate', dns }));
      expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
      expect(await recordWeights(s, zone, EXAMPLE_RECORD)).toEqual({ lambda: 0, fargate: 100 });

      await edit(s, zone, what);
      s.account.advance(90_000);
      const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
      await s.apply(specInput({ mode: 'lambda', dns }));
      const last = await passes(s, 60);
      if (what === 'TXT deleted') {
        // The stack remembers writing the name: the records are still its own, and it scales down.
        expect(last).toMatchObject({ phase: 'Lambda', settled: true });
        expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
      } else {
        // The name is not the stack's to write: its fargate record keeps sending lookups to the ALB,
        // which stays, and the status says why.
        expect(byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBe(1);
        expect((await s.store.get(STACK))?.status?.reason).toMatch(/keeping the Fargate tier/);
      }

      const early = watch.calls
        .filter((c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS)
        .map(
          (c) =>
            `${c.operation} ${c.drainedSince === undefined ? 'while Route 53 names the ALB' : `${c.at - c.drainedSince} ms after INSYNC`}`,
        );
      expect(early).toEqual([]);
    },
  );

  it('the fargate weight raised by hand mid-drain: the wait starts again from that change being undone', async () => {
    const s = scenario({ seed: 73 });
    const zone = await exampleZoneId(s);
    const dns = exampleDns(zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
    await s.apply(specInput({ mode: 'lambda', dns }));
    // Until Route 53 has the weights on Lambda in sync, and the drain has begun.
    for (let i = 0; i < 40 && watch.drainedSince() === undefined; i++) await passes(s, 1);
    expect(watch.drainedSince()).toBeDefined();
    await passes(s, 2);
    const fargate = (await recordSet(s, zone, EXAMPLE_RECORD, 'A', 'fargate'))!;
    await clientsFor(s.account).route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [{ Action: 'UPSERT', ResourceRecordSet: { ...fargate, Weight: 50 } }] },
      }),
    );
    const last = await passes(s, 80);
    expect(last).toMatchObject({ phase: 'Lambda', settled: true });
    expect(watch.calls.map((c) => c.operation)).toContain('DeleteLoadBalancer');
    const early = watch.calls
      .filter((c) => c.drainedSince === undefined || c.at - c.drainedSince < DRAIN_WAIT_MS)
      .map((c) => `${c.operation} ${c.at - (c.drainedSince ?? c.at)} ms after INSYNC`);
    expect(early).toEqual([]);
  });
});
