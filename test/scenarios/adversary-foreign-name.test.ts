/**
 * Adversary scenarios on a name the stack finds held by another stack (its records all foreign, none
 * pointing at its ALB: the drain then needs no change of the stack's own to start from). Someone who
 * controls the zone rewrites the ownership TXT to another stack and points the fargate set at another
 * ALB, in one change that Route 53 is slow to propagate, while resolvers may still hold the stack's own
 * alias. Measured in AWS's time (the simulated account's clock): nothing serving the Fargate tier goes
 * before the last authoritative answer naming the stack's ALB stopped + TTL × 2 + the deregistration delay.
 * The edit lands before the scale-down, or one pass into it while the stack's own change is PENDING.
 */
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { clientsFor } from '../../aws-sim';
import { setRoute53Config } from '../../aws-sim/services/route53';
import type { Route53State } from '../../aws-sim/services/route53/state';
import { ownerTxtName, ownerTxtValue } from '../../reconciler/resources/route53/dns-ownership';
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

/** Route 53 promises 60 s only "under normal conditions": this change takes ten minutes to be INSYNC. */
const SLOW_PROPAGATION_MS = 10 * 60_000;

async function recordSet(s: Scenario, zone: string, name: string, type: string, setIdentifier?: string) {
  const answer = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
  return answer.ResourceRecordSets?.find(
    (r) => r.Name === `${name}.` && r.Type === type && r.SetIdentifier === setIdentifier,
  );
}

const host = (name: string | undefined) =>
  (name ?? '')
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^dualstack\./, '');

/** Since when (AWS's time) no authoritative answer in effect sends lookups to `albName`; undefined while one does. */
function albAnswers(s: Scenario, zone: string, albName: string) {
  const key = `${EXAMPLE_RECORD}.|A`;
  const seen = new Map<number, boolean>();
  const remember = () => {
    const epochs = s.account.stateOf<Route53State>('route53').zones[zone]?.answers[key] ?? [];
    for (const epoch of epochs) {
      const total = epoch.entries.reduce((sum, e) => sum + (e.weight ?? 1), 0);
      const names = epoch.entries.some(
        (e) => host(e.target) === host(albName) && (total === 0 || (e.weight ?? 1) > 0),
      );
      seen.set(epoch.effectiveAt, names);
    }
  };
  return {
    remember,
    freeSince: (at: number): number | undefined => {
      remember();
      const inEffect = [...seen.entries()].filter(([from]) => from <= at).sort(([a], [b]) => a - b);
      let last = -1;
      inEffect.forEach(([, names], i) => (last = names ? i : last));
      if (last === -1) return Number.NEGATIVE_INFINITY;
      return inEffect[last + 1]?.[0];
    },
  };
}

async function passes(s: Scenario, count: number, each?: () => void) {
  let last;
  for (let i = 0; i < count; i++) {
    const result = await s.pass();
    each?.();
    if (result !== 'crashed') last = result;
    if (last?.settled) break;
    s.account.advance(
      result === 'crashed' ? 5_000 : Math.max(5_000, Math.min(result.requeueAfterMs ?? 15_000, 60_000)),
    );
  }
  return last;
}

type When = 'before the scale-down' | 'once the scale-down began';

async function editThenScaleDown(when: When): Promise<void> {
  const s = scenario({ seed: 83 });
  const zone = await exampleZoneId(s);
  const dns = exampleDns(zone, EXAMPLE_RECORD);
  await s.apply(specInput({ mode: 'fargate', dns }));
  expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
  const ours = (await recordSet(s, zone, EXAMPLE_RECORD, 'A', 'fargate'))!;
  const albName = ours.AliasTarget!.DNSName!;
  const answers = albAnswers(s, zone, albName);
  answers.remember();

  const attack = async () => {
    setRoute53Config(s.account, { insyncDelayMs: SLOW_PROPAGATION_MS });
    const txtName = ownerTxtName(EXAMPLE_RECORD).replace(/\.$/, '');
    const txt = (await recordSet(s, zone, txtName, 'TXT'))!;
    const fargate = (await recordSet(s, zone, EXAMPLE_RECORD, 'A', 'fargate'))!;
    await clientsFor(s.account).route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: {
          Changes: [
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                ...txt,
                ResourceRecords: [{ Value: ownerTxtValue({ stack: 'someone-else', region: 'us-east-1' }) }],
              },
            },
            {
              Action: 'UPSERT',
              ResourceRecordSet: {
                ...fargate,
                AliasTarget: {
                  ...fargate.AliasTarget!,
                  DNSName: 'someone-else-alb-1.us-east-1.elb.amazonaws.com',
                },
              },
            },
          ],
        },
      }),
    );
  };

  const watch = watchDrain(s.account, s.clients, zone, EXAMPLE_RECORD);
  if (when === 'before the scale-down') await attack();
  await s.apply(specInput({ mode: 'lambda', dns }));
  if (when === 'once the scale-down began') {
    // One pass: the stack's own change to Fargate 0 is submitted, then the zone is taken.
    await passes(s, 1);
    await attack();
  }
  await passes(s, 120, answers.remember);
  // The cost: with no change of its own to wait on, the stack keeps its Fargate tier until the name is
  // given back (deleting nothing is how it stays safe).
  expect(byType(s.owned())['AWS::ElasticLoadBalancingV2::LoadBalancer']).toBe(1);

  const early = watch.calls
    .map((c) => ({ operation: c.operation, at: c.at, freeSince: answers.freeSince(c.at) }))
    .filter((c) => c.freeSince === undefined || c.at - c.freeSince < DRAIN_WAIT_MS)
    .map(
      (c) =>
        `${c.operation} ${c.freeSince === undefined ? 'while Route 53 names the ALB' : `${c.at - c.freeSince} ms after it stopped`}`,
    );
  expect(early).toEqual([]);
}

describe('adversary: the name handed to another stack and the fargate set re-pointed, slowly', () => {
  const title = 'nothing serving the Fargate tier goes while Route 53 may still name the stack’s ALB';
  it(`the edit before the scale-down: ${title}`, () => editThenScaleDown('before the scale-down'));

  // One pass into the scale-down the stack's own change to Fargate 0 is PENDING: a name found foreign is
  // not taken as in sync (the ready a foreign record reads with says nothing of the stack's change).
  it(`the edit once the scale-down began: ${title}`, () => editThenScaleDown('once the scale-down began'));
});
