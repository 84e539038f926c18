/**
 * DNS records are owned the way external-dns owns them: beside each name it writes, LambdaFlex keeps a TXT
 * ownership record naming the stack, never touches a name that another stack's TXT claims or that held
 * records before it came, and removes what it wrote when the spec no longer wants it (dns removed, a
 * renamed record, a moved zone, a deleted stack), the TXT last. A custom domain and its API mapping go
 * with the records, the mapping before the domain and the API.
 */
import {
  ChangeResourceRecordSetsCommand,
  ListResourceRecordSetsCommand,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { GetApiMappingsCommand, GetDomainNamesCommand } from '@aws-sdk/client-apigatewayv2';
import { planStack, reconcileStack, type PassResult } from '../../reconciler/reconcile';
import type { StackStatus } from '../../reconciler/state/types';
import type { DesiredStateInput } from '../../spec/types';
import { addHostedZone } from '../../aws-sim/services/route53';
import {
  EXAMPLE_RECORD,
  exampleDns,
  exampleZoneId,
  scenario,
  specInput,
  STACK,
  type Scenario,
} from './harness';

const OTHER = 'billing-api';
/** The TXT value LambdaFlex writes for the harness's stack, in external-dns's heritage format. */
const OWNER_VALUE = `"heritage=lambdaflex,lambdaflex/region=us-east-1,lambdaflex/stack=${STACK}"`;

/** Every record set of the zone, all pages. */
async function zoneRecords(s: Scenario, zoneId: string): Promise<ResourceRecordSet[]> {
  const sets: ResourceRecordSet[] = [];
  let start: { StartRecordName?: string; StartRecordType?: string; StartRecordIdentifier?: string } = {};
  for (;;) {
    const page = await s.clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start } as never),
    );
    sets.push(...(page.ResourceRecordSets ?? []));
    if (!page.IsTruncated) return sets;
    start = {
      StartRecordName: page.NextRecordName,
      StartRecordType: page.NextRecordType,
      ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
    };
  }
}

/** The record sets of the zone other than its apex NS and SOA: what stacks and people added. */
async function addedRecords(s: Scenario, zoneId: string): Promise<ResourceRecordSet[]> {
  return (await zoneRecords(s, zoneId)).filter((r) => r.Type !== 'NS' && r.Type !== 'SOA');
}

const named = (sets: ResourceRecordSet[], name: string) => sets.filter((r) => r.Name === `${name}.`);

async function statusOf(s: Scenario, stack = STACK): Promise<StackStatus> {
  return (await s.store.get(stack))!.status!;
}

async function passOf(s: Scenario, stack: string): Promise<PassResult> {
  return reconcileStack(s.reconciler, stack);
}

/** Passes until the stack settles (or is deleted), advancing the clock as each pass asks. */
async function settleStack(s: Scenario, stack: string, maxPasses = 200): Promise<PassResult[]> {
  const passes: PassResult[] = [];
  for (let i = 0; i < maxPasses; i++) {
    const result = await passOf(s, stack);
    passes.push(result);
    if (result.settled || result.outcome !== 'reconciled') return passes;
    s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  throw new Error(
    `${stack} not settled after ${maxPasses} passes: ${JSON.stringify(passes.at(-1)?.plan?.steps.map((x) => x.id))}`,
  );
}

/**
 * Passes until the stack is quiet: a pass that changes nothing in AWS and plans nothing but conflicts (a
 * stack kept from a name it does not own never settles, and must not keep trying).
 */
async function quiesce(s: Scenario, stack: string, maxPasses = 200): Promise<PassResult> {
  for (let i = 0; i < maxPasses; i++) {
    const result = await passOf(s, stack);
    const steps = result.plan?.steps ?? [];
    if (result.calls.mutating === 0 && steps.length > 0 && steps.every((x) => x.action === 'conflict'))
      return result;
    if (result.settled) return result;
    s.account.advance(Math.max(5_000, result.requeueAfterMs ?? 15_000));
  }
  throw new Error(`${stack} not quiet after ${maxPasses} passes`);
}

async function deleteStack(s: Scenario, stack: string): Promise<PassResult[]> {
  await s.store.requestDelete(stack);
  const passes = await settleStack(s, stack, 300);
  expect(passes.at(-1)).toMatchObject({ outcome: 'deleted' });
  return passes;
}

/** A spec with `dns` (and so a custom domain: validation wants the certificate) in mode lambda. */
function dnsSpec(zoneId: string, recordName: string, extra: Partial<DesiredStateInput> = {}) {
  return specInput({ mode: 'lambda', dns: exampleDns(zoneId, recordName), ...extra });
}

async function domains(s: Scenario): Promise<string[]> {
  const answer = await s.clients.apigatewayv2.send(new GetDomainNamesCommand({}));
  return (answer.Items ?? []).map((d) => d.DomainName!).sort();
}

async function writeByHand(s: Scenario, zoneId: string, set: ResourceRecordSet): Promise<void> {
  await s.clients.route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: set }] },
    }),
  );
  // Route 53 takes one change per zone at a time: let this one reach INSYNC first.
  s.account.advance(61_000);
}

describe('scenario: DNS ownership (TXT registry)', () => {
  it('writes a TXT ownership record naming the stack beside its weighted record', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();

    const records = await addedRecords(s, zone);
    expect(named(records, EXAMPLE_RECORD)).toEqual([
      expect.objectContaining({ Type: 'A', SetIdentifier: 'lambda', Weight: 100 }),
    ]);
    // external-dns's TXT registry with the prefix `lambdaflex-%{record_type}.`: a TXT per name and type.
    expect(named(records, 'lambdaflex-a.api.example.test')).toEqual([
      {
        Name: 'lambdaflex-a.api.example.test.',
        Type: 'TXT',
        TTL: 300,
        ResourceRecords: [{ Value: OWNER_VALUE }],
      },
    ]);
  });

  it('two stacks with one record name: the second gets a Conflict and writes nothing; deleting it leaves the first’s records', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();
    const before = await addedRecords(s, zone);
    expect(named(before, EXAMPLE_RECORD)).toHaveLength(1);

    await s.apply(dnsSpec(zone, EXAMPLE_RECORD, { stack: OTHER, mode: 'fargate' }));
    const quiet = await quiesce(s, OTHER, 300);
    expect(quiet.plan?.steps.map((x) => x.id)).toEqual(expect.arrayContaining(['conflict:dns-lambda']));
    expect(await addedRecords(s, zone)).toEqual(before);

    const other = await statusOf(s, OTHER);
    const conflict = other.conditions.find((c) => c.type === 'Conflict');
    expect(conflict).toMatchObject({ status: 'True' });
    expect(conflict!.message).toContain(EXAMPLE_RECORD);
    expect(conflict!.message).toContain(STACK);
    // The rest of the stack is built; only the name it does not own is left alone, and no traffic moves.
    expect(other.phase).not.toBe('Error');
    expect(Object.keys(other.resources)).toEqual(expect.arrayContaining(['lambda-function', 'http-api']));
    expect(other.traffic).toEqual({ lambda: 100, fargate: 0 });

    await deleteStack(s, OTHER);
    expect(await addedRecords(s, zone)).toEqual(before);
    // The first stack is untouched and still settled.
    const first = await passOf(s, STACK);
    expect(first).toMatchObject({ settled: true, calls: { mutating: 0 } });
  });

  it('never overwrites a record that existed before LambdaFlex (someone’s www), and reports it', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    const www: ResourceRecordSet = {
      Name: 'www.example.test.',
      Type: 'A',
      TTL: 300,
      ResourceRecords: [{ Value: '192.0.2.10' }],
    };
    await writeByHand(s, zone, www);
    await s.apply(dnsSpec(zone, 'www.example.test'));
    await quiesce(s, STACK);

    expect(await addedRecords(s, zone)).toEqual([www]);
    const conflict = (await statusOf(s)).conditions.find((c) => c.type === 'Conflict');
    expect(conflict?.message).toContain('www.example.test');
    expect(conflict?.message).toMatch(/without .*ownership TXT/);

    await deleteStack(s, STACK);
    expect(await addedRecords(s, zone)).toEqual([www]);
  });

  it('never overwrites a weighted record of the same set identifier that some other tool wrote', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    const theirs: ResourceRecordSet = {
      Name: 'shop.example.test.',
      Type: 'A',
      SetIdentifier: 'lambda',
      Weight: 10,
      AliasTarget: {
        HostedZoneId: 'Z35SXDOTRQ7X7K',
        DNSName: 'theirs-123.us-east-1.elb.amazonaws.com.',
        EvaluateTargetHealth: false,
      },
    };
    await writeByHand(s, zone, theirs);
    await s.apply(dnsSpec(zone, 'shop.example.test'));
    await quiesce(s, STACK);
    expect(await addedRecords(s, zone)).toEqual([theirs]);
    await deleteStack(s, STACK);
    expect(await addedRecords(s, zone)).toEqual([theirs]);
  });

  it('adopts the records a stack wrote before the TXT registry (its status names them), then removes them on a rename', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();
    // The state an earlier LambdaFlex left: weighted records without a TXT, no remembered names.
    const [txt] = named(await addedRecords(s, zone), 'lambdaflex-a.api.example.test');
    await s.clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone,
        ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: txt! }] },
      }),
    );
    s.account.advance(61_000);
    await s.store.writeReconcilerState(STACK, (current) => {
      const { dnsNames: _forgotten, ...bookkeeping } = current.bookkeeping;
      return { bookkeeping: { ...bookkeeping, observationSnapshot: undefined } };
    });

    await s.settle();
    expect(named(await addedRecords(s, zone), 'lambdaflex-a.api.example.test')).toEqual([txt]);
    expect((await statusOf(s)).conditions.some((c) => c.type === 'Conflict')).toBe(false);

    await s.apply(dnsSpec(zone, 'api2.example.test'));
    await s.settle();
    expect((await addedRecords(s, zone)).map((r) => r.Name).sort()).toEqual([
      'api2.example.test.',
      'lambdaflex-a.api2.example.test.',
    ]);
  });

  it('removes the records, then the TXT, when dns goes from the spec; delete leaves nothing', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();
    expect(await addedRecords(s, zone)).toHaveLength(2);

    await s.apply(specInput({ mode: 'lambda' }));
    const { plan } = await planStack(s.reconciler, STACK);
    expect(plan.steps.filter((x) => x.action === 'delete').map((x) => x.id)).not.toEqual([]);
    await s.settle();
    expect(await addedRecords(s, zone)).toEqual([]);

    await deleteStack(s, STACK);
    expect(await addedRecords(s, zone)).toEqual([]);
    expect(s.owned()).toEqual([]);
  });

  it('delete removes the record that pointed at the deleted API, TXT included', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();
    expect(named(await addedRecords(s, zone), 'lambdaflex-a.api.example.test')).toHaveLength(1);
    await deleteStack(s, STACK);
    expect(await addedRecords(s, zone)).toEqual([]);
    expect(await domains(s)).toEqual([]);
  });

  it('a renamed record and a moved zone remove the old records and TXT, also after delete', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();

    await s.apply(dnsSpec(zone, 'api2.example.test'));
    await s.settle();
    const renamed = await addedRecords(s, zone);
    expect(renamed.map((r) => r.Name).sort()).toEqual([
      'api2.example.test.',
      'lambdaflex-a.api2.example.test.',
    ]);

    const other = addHostedZone(s.account, 'other.test');
    await s.apply(dnsSpec(other, 'api.other.test'));
    await s.settle();
    expect(await addedRecords(s, zone)).toEqual([]);
    expect((await addedRecords(s, other)).map((r) => r.Name).sort()).toEqual([
      'api.other.test.',
      'lambdaflex-a.api.other.test.',
    ]);

    await deleteStack(s, STACK);
    expect(await addedRecords(s, zone)).toEqual([]);
    expect(await addedRecords(s, other)).toEqual([]);
  });

  it('a custom domain and its mapping go when dns goes, and the delete then settles', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();
    expect(await domains(s)).toEqual([EXAMPLE_RECORD]);
    const mappings = await s.clients.apigatewayv2.send(
      new GetApiMappingsCommand({ DomainName: EXAMPLE_RECORD }),
    );
    expect(mappings.Items).toHaveLength(1);

    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    expect(await domains(s)).toEqual([]);
    expect(await addedRecords(s, zone)).toEqual([]);

    await deleteStack(s, STACK);
    expect(s.owned()).toEqual([]);
  });

  it('a renamed custom domain replaces the old one; a delete with a custom domain settles with nothing left', async () => {
    const s = scenario();
    const zone = await exampleZoneId(s);
    await s.apply(dnsSpec(zone, EXAMPLE_RECORD));
    await s.settle();
    await s.apply(dnsSpec(zone, 'api2.example.test'));
    await s.settle();
    expect(await domains(s)).toEqual(['api2.example.test']);
    expect((await addedRecords(s, zone)).map((r) => r.Name).sort()).toEqual([
      'api2.example.test.',
      'lambdaflex-a.api2.example.test.',
    ]);

    await deleteStack(s, STACK);
    expect(await domains(s)).toEqual([]);
    expect(await addedRecords(s, zone)).toEqual([]);
    expect(s.account.inventory().filter((i) => i.type.startsWith('AWS::ApiGatewayV2::'))).toEqual([]);
  });
});
