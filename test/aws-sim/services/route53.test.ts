import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListHostedZonesCommand,
  ListResourceRecordSetsCommand,
  type Change,
} from '@aws-sdk/client-route-53';
import { createSimulatedAws } from '../../../aws-sim';
import {
  addHostedZone,
  resolverWeights,
  setRoute53Config,
  setRoute53InsyncDelay,
} from '../../../aws-sim/services/route53';

const ALB_ZONE = 'Z35SXDOTRQ7X7K';
const APIGW_ZONE = 'Z1UJRXOUMOOFQ8';

function weighted(
  action: Change['Action'],
  id: string,
  weight: number,
  dnsName: string,
  zone: string,
): Change {
  return {
    Action: action,
    ResourceRecordSet: {
      Name: 'api.example.test',
      Type: 'A',
      SetIdentifier: id,
      Weight: weight,
      AliasTarget: { HostedZoneId: zone, DNSName: dnsName, EvaluateTargetHealth: false },
    },
  };
}

const LAMBDA_TARGET = 'd-abc123.execute-api.us-east-1.amazonaws.com';
const ALB_TARGET = 'lf-demo-alb-123.us-east-1.elb.amazonaws.com';

async function setup() {
  const sim = createSimulatedAws({ seed: 5 });
  const zones = await sim.clients.route53.send(new ListHostedZonesByNameCommand({ DNSName: 'example.test' }));
  const zoneId = zones.HostedZones![0]!.Id!.replace('/hostedzone/', '');
  /** One change to the zone, alone in its batch. */
  const send = (change: Change) =>
    sim.clients.route53.send(
      new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: [change] } }),
    );
  return { ...sim, zoneId, send };
}

describe('simulated Route 53', () => {
  it('holds one public hosted zone example.test with an id like Z + 13–21 upper-case characters', async () => {
    const { clients, zoneId } = await setup();
    const all = await clients.route53.send(new ListHostedZonesCommand({}));
    expect(all.HostedZones).toHaveLength(1);
    expect(all.HostedZones![0]).toMatchObject({ Name: 'example.test.', Config: { PrivateZone: false } });
    expect(zoneId).toMatch(/^Z[A-Z0-9]{13,21}$/);
    const zone = await clients.route53.send(new GetHostedZoneCommand({ Id: `/hostedzone/${zoneId}` }));
    expect(zone.DelegationSet?.NameServers).toHaveLength(4);
    await expect(
      clients.route53.send(new GetHostedZoneCommand({ Id: 'ZNOPE1234567890' })),
    ).rejects.toMatchObject({
      name: 'NoSuchHostedZone',
    });
  });

  it('reports a change PENDING, then INSYNC after 60 s (GetChange API reference, Route 53 FAQ)', async () => {
    const { account, clients, zoneId } = await setup();
    const out = await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE)] },
      }),
    );
    expect(out.ChangeInfo).toMatchObject({ Status: 'PENDING', Id: expect.stringMatching(/^\/change\/C/) });
    expect(out.ChangeInfo?.SubmittedAt?.getTime()).toBe(account.now());
    account.advance(59_000);
    expect(
      (await clients.route53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id }))).ChangeInfo?.Status,
    ).toBe('PENDING');
    account.advance(1_000);
    expect(
      (await clients.route53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id }))).ChangeInfo?.Status,
    ).toBe('INSYNC');
  });

  it('refuses the next change on the zone with PriorRequestNotComplete only while the prior one is processed, not until INSYNC (PriorRequestNotComplete API reference)', async () => {
    const { account, clients, send } = await setup();
    const status = async (id: string) =>
      (await clients.route53.send(new GetChangeCommand({ Id: id }))).ChangeInfo?.Status;
    const first = await send(weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE));
    // At the same instant, Route 53 is still processing the first request.
    await expect(send(weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE))).rejects.toMatchObject({
      name: 'PriorRequestNotComplete',
      message: 'The request was rejected because Route 53 was still processing a prior request.',
    });
    account.advance(2_000);
    // Processed, still propagating: the next change is taken, and both are PENDING at once.
    const second = await send(weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE));
    expect(await status(first.ChangeInfo!.Id!)).toBe('PENDING');
    expect(second.ChangeInfo?.Status).toBe('PENDING');
    account.advance(58_000);
    expect(await status(first.ChangeInfo!.Id!)).toBe('INSYNC');
    expect(await status(second.ChangeInfo!.Id!)).toBe('PENDING');
    account.advance(2_000);
    expect(await status(second.ChangeInfo!.Id!)).toBe('INSYNC');
  });

  it('takes a change of another zone at the same instant: the refusal is per hosted zone', async () => {
    const { account, clients, zoneId } = await setup();
    const otherZone = addHostedZone(account, 'other.test');
    const change = (name: string): Change => ({
      Action: 'CREATE',
      ResourceRecordSet: { Name: name, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"x"' }] },
    });
    const send = (zone: string, name: string) =>
      clients.route53.send(
        new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: [change(name)] } }),
      );
    await send(zoneId, 'a.example.test');
    await expect(send(otherZone, 'a.other.test')).resolves.toBeDefined();
    await expect(send(zoneId, 'b.example.test')).rejects.toMatchObject({ name: 'PriorRequestNotComplete' });
  });

  it('as the adversary (until-insync), refuses the next change until the prior one is INSYNC', async () => {
    const { account, send } = await setup();
    setRoute53Config(account, { priorRequestNotComplete: 'until-insync', insyncDelayMs: 30_000 });
    await send(weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE));
    account.advance(29_999);
    await expect(send(weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE))).rejects.toMatchObject({
      name: 'PriorRequestNotComplete',
    });
    account.advance(1);
    await expect(send(weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE))).resolves.toBeDefined();
  });

  it('keeps processing and propagation apart as settings: a longer processing time holds the zone longer', async () => {
    const { account, clients, send } = await setup();
    setRoute53Config(account, { processingMs: 10_000, insyncDelayMs: 5_000 });
    const first = await send(weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE));
    account.advance(5_000);
    expect(
      (await clients.route53.send(new GetChangeCommand({ Id: first.ChangeInfo!.Id }))).ChangeInfo?.Status,
    ).toBe('INSYNC');
    await expect(send(weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE))).rejects.toMatchObject({
      name: 'PriorRequestNotComplete',
    });
    account.advance(5_000);
    await expect(send(weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE))).resolves.toBeDefined();
  });

  it('never has a later change of a zone INSYNC before an earlier one, even with a shorter delay', async () => {
    const { account, clients, send } = await setup();
    const first = await send(weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE));
    account.advance(5_000);
    setRoute53InsyncDelay(account, 1_000);
    const second = await send(weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE));
    account.advance(50_000);
    const status = async (id: string) =>
      (await clients.route53.send(new GetChangeCommand({ Id: id }))).ChangeInfo?.Status;
    expect(await status(second.ChangeInfo!.Id!)).toBe('PENDING');
    account.advance(5_000);
    expect(await status(first.ChangeInfo!.Id!)).toBe('INSYNC');
    expect(await status(second.ChangeInfo!.Id!)).toBe('INSYNC');
  });

  it('as the adversary getChangeLagMs, answers NoSuchChange for a change until that long after it was accepted', async () => {
    const { account, clients, zoneId } = await setup();
    setRoute53Config(account, { getChangeLagMs: 10_000 });
    expect(() => setRoute53Config(account, { getChangeLagMs: -1 })).toThrow(
      'Route 53 setting getChangeLagMs: must be a number of milliseconds ≥ 0, got -1',
    );
    const out = await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE)] },
      }),
    );
    account.advance(9_999);
    await expect(
      clients.route53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id })),
    ).rejects.toMatchObject({
      name: 'NoSuchChange',
    });
    account.advance(1);
    expect(
      (await clients.route53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id }))).ChangeInfo?.Status,
    ).toBe('PENDING');
  });

  it('refuses settings that are not durations or models, and changes nothing', async () => {
    const { account, clients, zoneId } = await setup();
    expect(() => setRoute53Config(account, { processingMs: -1 })).toThrow(
      'Route 53 setting processingMs: must be a number of milliseconds ≥ 0, got -1',
    );
    expect(() =>
      setRoute53Config(account, { priorRequestNotComplete: 'sometimes' as never, insyncDelayMs: 1 }),
    ).toThrow(
      'Route 53 setting priorRequestNotComplete: must be one of while-processing, until-insync, got sometimes',
    );
    const out = await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Changes: [weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE)] },
      }),
    );
    account.advance(59_999);
    expect(
      (await clients.route53.send(new GetChangeCommand({ Id: out.ChangeInfo!.Id }))).ChangeInfo?.Status,
    ).toBe('PENDING');
  });

  it('applies a batch all or nothing: one invalid change rejects every change (InvalidChangeBatch)', async () => {
    const { clients, zoneId } = await setup();
    const batch = [
      weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE),
      weighted('DELETE', 'fargate', 0, ALB_TARGET, ALB_ZONE),
    ];
    await expect(
      clients.route53.send(
        new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: batch } }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining(
        "Tried to delete resource record set [name='api.example.test.', type='A', set-identifier='fargate'] but it was not found",
      ),
    });
    const list = await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    expect(list.ResourceRecordSets?.map((r) => r.Type)).toEqual(['NS', 'SOA']);
  });

  it('refuses a batch over 1,000 ResourceRecord elements or 32,000 Value characters, an UPSERT counting twice (Route 53 quotas)', async () => {
    const { account, clients, zoneId } = await setup();
    const txt = (action: Change['Action'], name: string, values: string[]): Change => ({
      Action: action,
      ResourceRecordSet: {
        Name: `${name}.example.test`,
        Type: 'TXT',
        TTL: 60,
        ResourceRecords: values.map((value) => ({ Value: `"${value}"` })),
      },
    });
    // Each request a while after the last, so that the zone is not busy with it (PriorRequestNotComplete).
    const send = (changes: Change[]) => {
      account.advance(5_000);
      return clients.route53.send(
        new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }),
      );
    };
    const values = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    // 500 values: 500 elements as a CREATE, 1,000 as an UPSERT (at the limit), 1,002 with one more.
    await expect(send([txt('UPSERT', 'a', values(500, 'v'))])).resolves.toBeDefined();
    await expect(
      send([txt('UPSERT', 'b', values(500, 'v')), txt('CREATE', 'c', ['x'])]),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: 'Number of records limit of 1000 exceeded.',
    });
    await expect(send([txt('CREATE', 'd', values(1_000, 'v'))])).resolves.toBeDefined();
    await expect(send([txt('CREATE', 'e', values(1_001, 'v'))])).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
    });
    // 100 values of 200 characters (with their quotes, 202): 20,200 characters as a CREATE, 40,400 as an UPSERT.
    const long = values(100, 'x'.repeat(195)).map((v) => v.padEnd(200, 'y'));
    await expect(send([txt('CREATE', 'f', long)])).resolves.toBeDefined();
    await expect(send([txt('UPSERT', 'g', long)])).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('32000'),
    });
    // Nothing of a refused batch was written.
    const names = (
      await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))
    ).ResourceRecordSets!.map((r) => r.Name);
    expect(names).toEqual(expect.arrayContaining(['a.example.test.', 'd.example.test.', 'f.example.test.']));
    expect(names).not.toEqual(expect.arrayContaining(['b.example.test.']));
    expect(names.some((n) => /^[bceg]\./.test(n!))).toBe(false);
  });

  it('rejects CREATE of an existing record, a DELETE whose values differ, and names outside the zone', async () => {
    const { account, clients, zoneId } = await setup();
    const send = (...changes: Change[]) =>
      clients.route53.send(
        new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }),
      );
    await send(weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE));
    account.advance(60_000);
    await expect(send(weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE))).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('but it already exists'),
    });
    await expect(send(weighted('DELETE', 'lambda', 50, LAMBDA_TARGET, APIGW_ZONE))).rejects.toMatchObject({
      message: expect.stringContaining('do not match the current values'),
    });
    await expect(
      send({
        Action: 'UPSERT',
        ResourceRecordSet: {
          Name: 'www.other.test',
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: '1.2.3.4' }],
        },
      }),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('not permitted in zone'),
    });
    await expect(
      send({
        Action: 'UPSERT',
        ResourceRecordSet: {
          Name: 'api.example.test',
          Type: 'A',
          TTL: 60,
          ResourceRecords: [{ Value: '1.2.3.4' }],
        },
      }),
    ).rejects.toMatchObject({
      name: 'InvalidChangeBatch',
      message: expect.stringContaining('non multivalue'),
    });
    // UPSERT of the existing weighted record replaces it; DELETE then CREATE in one batch is allowed.
    await expect(send(weighted('UPSERT', 'lambda', 10, LAMBDA_TARGET, APIGW_ZONE))).resolves.toBeDefined();
  });

  describe('TXT records (Supported DNS record types: TXT record format)', () => {
    const txt = (action: Change['Action'], name: string, ...values: string[]): Change => ({
      Action: action,
      ResourceRecordSet: {
        Name: name,
        Type: 'TXT',
        TTL: 300,
        ResourceRecords: values.map((Value) => ({ Value })),
      },
    });

    it('keeps quoted values as given, several character strings in one value too', async () => {
      const { clients, zoneId } = await setup();
      const value = '"heritage=lambdaflex,lambdaflex/stack=orders-api" "a \\"quoted\\" part"';
      await clients.route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: { Changes: [txt('CREATE', 'owner.example.test', value)] },
        }),
      );
      const list = await clients.route53.send(
        new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: 'owner.example.test' }),
      );
      expect(list.ResourceRecordSets?.[0]).toEqual({
        Name: 'owner.example.test.',
        Type: 'TXT',
        TTL: 300,
        ResourceRecords: [{ Value: value }],
      });
    });

    it('rejects a value without quotation marks, and a character string over 255 characters', async () => {
      const { send } = await setup();
      await expect(send(txt('CREATE', 'owner.example.test', 'heritage=lambdaflex'))).rejects.toMatchObject({
        name: 'InvalidChangeBatch',
        message:
          "[Invalid Resource Record: 'FATAL problem: InvalidCharacterString (Value should be enclosed in quotation marks) encountered with 'heritage=lambdaflex'']",
      });
      await expect(send(txt('CREATE', 'owner.example.test', '"unterminated'))).rejects.toMatchObject({
        name: 'InvalidChangeBatch',
        message: expect.stringContaining('InvalidCharacterString'),
      });
      await expect(send(txt('CREATE', 'owner.example.test', `"${'x'.repeat(256)}"`))).rejects.toMatchObject({
        name: 'InvalidChangeBatch',
        message: expect.stringContaining('CharacterStringTooLong (Value is too long)'),
      });
      await expect(
        send(txt('CREATE', 'owner.example.test', `"${'x'.repeat(255)}" "${'y'.repeat(255)}"`)),
      ).resolves.toBeDefined();
    });

    it('DELETE and CREATE of the same TXT in one batch only pass while it holds exactly that value', async () => {
      const { account, clients, zoneId } = await setup();
      const send = (...changes: Change[]) =>
        clients.route53.send(
          new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }),
        );
      await send(txt('CREATE', 'owner.example.test', '"mine"'));
      account.advance(60_000);
      await expect(
        send(
          txt('DELETE', 'owner.example.test', '"mine"'),
          txt('CREATE', 'owner.example.test', '"mine"'),
          weighted('UPSERT', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE),
        ),
      ).resolves.toBeDefined();
      account.advance(60_000);
      await expect(
        send(
          txt('DELETE', 'owner.example.test', '"theirs"'),
          txt('CREATE', 'owner.example.test', '"theirs"'),
          weighted('UPSERT', 'lambda', 1, LAMBDA_TARGET, APIGW_ZONE),
        ),
      ).rejects.toMatchObject({
        name: 'InvalidChangeBatch',
        message: expect.stringContaining('do not match the current values'),
      });
      const list = await clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
      expect(list.ResourceRecordSets?.find((r) => r.SetIdentifier === 'lambda')?.Weight).toBe(100);
    });
  });

  it('keeps weighted alias records with SetIdentifier, Weight and AliasTarget, listed in DNS order with paging', async () => {
    const { account, clients, zoneId } = await setup();
    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE),
            weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE),
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: 'a.example.test',
                Type: 'TXT',
                TTL: 300,
                ResourceRecords: [{ Value: '"x"' }],
              },
            },
          ],
        },
      }),
    );
    account.advance(60_000);
    const first = await clients.route53.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, MaxItems: 3 }),
    );
    expect(first.ResourceRecordSets?.map((r) => `${r.Name} ${r.Type} ${r.SetIdentifier ?? ''}`)).toEqual([
      'example.test. NS ',
      'example.test. SOA ',
      'a.example.test. TXT ',
    ]);
    expect(first).toMatchObject({
      IsTruncated: true,
      NextRecordName: 'api.example.test.',
      NextRecordType: 'A',
      NextRecordIdentifier: 'fargate',
    });
    const second = await clients.route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        StartRecordName: first.NextRecordName,
        StartRecordType: first.NextRecordType,
        StartRecordIdentifier: first.NextRecordIdentifier,
      }),
    );
    expect(second.IsTruncated).toBe(false);
    expect(second.ResourceRecordSets).toEqual([
      {
        Name: 'api.example.test.',
        Type: 'A',
        SetIdentifier: 'fargate',
        Weight: 0,
        AliasTarget: { HostedZoneId: ALB_ZONE, DNSName: `${ALB_TARGET}.`, EvaluateTargetHealth: false },
      },
      {
        Name: 'api.example.test.',
        Type: 'A',
        SetIdentifier: 'lambda',
        Weight: 100,
        AliasTarget: { HostedZoneId: APIGW_ZONE, DNSName: `${LAMBDA_TARGET}.`, EvaluateTargetHealth: false },
      },
    ]);
    const types = account
      .inventory()
      .filter((i) => i.type.startsWith('AWS::Route53::'))
      .map((i) => i.type);
    expect(types.filter((t) => t === 'AWS::Route53::RecordSet')).toHaveLength(3);
    expect(types).toContain('AWS::Route53::HostedZone');
  });

  it('shows resolvers the new weights only from INSYNC, then shifts them linearly over the old TTL', async () => {
    const { account, clients, zoneId } = await setup();
    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            weighted('CREATE', 'lambda', 100, LAMBDA_TARGET, APIGW_ZONE),
            weighted('CREATE', 'fargate', 0, ALB_TARGET, ALB_ZONE),
          ],
        },
      }),
    );
    expect(resolverWeights(account, zoneId, 'api.example.test')).toEqual([]);
    account.advance(60_000);
    const shareOf = (id: string) =>
      resolverWeights(account, zoneId, 'api.example.test').find((s) => s.setIdentifier === id)?.share ?? 0;
    expect(shareOf('lambda')).toBe(1);
    // Move everything to Fargate; an alias record's answer is cached for its target's TTL, 60 s.
    await clients.route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            weighted('UPSERT', 'lambda', 0, LAMBDA_TARGET, APIGW_ZONE),
            weighted('UPSERT', 'fargate', 100, ALB_TARGET, ALB_ZONE),
          ],
        },
      }),
    );
    account.advance(30_000);
    expect(shareOf('lambda')).toBe(1); // still PENDING: the authoritative answer has not changed
    account.advance(30_000); // INSYNC now
    expect(shareOf('lambda')).toBeCloseTo(1);
    account.advance(15_000);
    expect(shareOf('lambda')).toBeCloseTo(0.75);
    expect(shareOf('fargate')).toBeCloseTo(0.25);
    account.advance(30_000);
    expect(shareOf('lambda')).toBeCloseTo(0.25);
    account.advance(15_000);
    expect(shareOf('lambda')).toBe(0);
    expect(shareOf('fargate')).toBe(1);
  });

  it('uses the simple record TTL for caching and splits equally when all weights are 0', async () => {
    const { account, clients, zoneId } = await setup();
    const rec = (action: Change['Action'], id: string, weight: number, value: string): Change => ({
      Action: action,
      ResourceRecordSet: {
        Name: 'w.example.test',
        Type: 'A',
        SetIdentifier: id,
        Weight: weight,
        TTL: 300,
        ResourceRecords: [{ Value: value }],
      },
    });
    const send = (...changes: Change[]) =>
      clients.route53.send(
        new ChangeResourceRecordSetsCommand({ HostedZoneId: zoneId, ChangeBatch: { Changes: changes } }),
      );
    await send(rec('CREATE', 'a', 0, '10.0.0.1'), rec('CREATE', 'b', 0, '10.0.0.2'));
    account.advance(60_000);
    expect(resolverWeights(account, zoneId, 'w.example.test').map((s) => s.share)).toEqual([0.5, 0.5]);
    await send(rec('UPSERT', 'a', 1, '10.0.0.1'));
    account.advance(60_000 + 150_000); // half of the 300 s TTL after INSYNC
    const shares = Object.fromEntries(
      resolverWeights(account, zoneId, 'w.example.test').map((s) => [s.setIdentifier, s.share]),
    );
    expect(shares.a).toBeCloseTo(0.5 * 1 + 0.5 * 0.5);
    expect(shares.b).toBeCloseTo(0.5 * 0.5);
  });

  it('is throttled beyond its bucket of 50 calls (docs/aws-facts.md: Route 53, every call, 50 / 10)', async () => {
    const { clients } = await setup();
    for (let i = 0; i < 49; i++) await clients.route53.send(new ListHostedZonesCommand({}));
    await expect(clients.route53.send(new ListHostedZonesCommand({}))).rejects.toMatchObject({
      // The core answers 'Throttling' with the client's modeled ThrottlingException class.
      name: expect.stringMatching(/^Throttling/),
    });
  });
});
