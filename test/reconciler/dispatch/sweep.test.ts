/**
 * Batched discovery (reconciler/dispatch/sweep.ts) with mocked clients: one paged Tagging API sweep for
 * the fleet, DescribeServices ten a call per cluster, and a failed look-up that makes nobody due.
 */
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  GetResourcesCommand,
  ResourceGroupsTaggingAPIClient,
} from '@aws-sdk/client-resource-groups-tagging-api';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { lastResyncAt, resyncPeriod, sweep } from '../../../reconciler/dispatch/sweep';
import { ALL_RESOURCES } from '../../../reconciler/resources';
import { emptyBookkeeping } from '../../../reconciler/state/bookkeeping';
import type { StackRecord } from '../../../reconciler/state/types';
import type { SystemRecord } from '../../../reconciler/state/system-record';
import { problemsMessage, refusedDns, systemRecordProblems } from '../../../reconciler/pass/load';
import { validateSpec } from '../../../spec';
import type { DesiredState } from '../../../spec/types';

function validSpec(record: StackRecord): DesiredState {
  const validation = validateSpec(record.spec);
  if (!validation.ok) throw new Error(JSON.stringify(validation.errors));
  return validation.spec;
}

const NOW = Date.UTC(2026, 0, 1, 12);
const arn = (stack: string, what: string) =>
  `arn:aws:lambda:us-east-1:123456789012:function:lf-${stack}-${what}`;
const cluster = (stack: string) => `arn:aws:ecs:us-east-1:123456789012:cluster/lf-${stack}`;
const service = (stack: string) => `arn:aws:ecs:us-east-1:123456789012:service/lf-${stack}/lf-${stack}`;

function settled(stack: string, options: { fargate?: boolean; snapshotAge?: number } = {}): StackRecord {
  const resources: Record<string, unknown> = {
    'lambda-function': {
      key: 'lambda-function',
      type: 'AWS::Lambda::Function',
      id: arn(stack, 'fn'),
      arn: arn(stack, 'fn'),
      tags: {},
      attributes: {},
      ready: true,
    },
  };
  if (options.fargate) {
    resources.cluster = {
      key: 'cluster',
      type: 'AWS::ECS::Cluster',
      id: cluster(stack),
      arn: cluster(stack),
      tags: {},
      attributes: {},
      ready: true,
    };
    resources.service = {
      key: 'service',
      type: 'AWS::ECS::Service',
      id: service(stack),
      arn: service(stack),
      tags: {},
      attributes: {},
      ready: true,
    };
  }
  return {
    stack,
    spec: {
      stack,
      image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1',
      mode: options.fargate ? 'fargate' : 'lambda',
    },
    generation: 1,
    version: 3,
    events: [],
    status: {
      observedGeneration: 1,
      phase: options.fargate ? 'Fargate' : 'Lambda',
      conditions: [],
      resources: {},
    },
    bookkeeping: {
      ...emptyBookkeeping(),
      observationSnapshot: {
        at: NOW - (options.snapshotAge ?? 60_000),
        generation: 1,
        inventory: [arn(stack, 'fn')],
        resources: resources as never,
      },
    },
  };
}

/** `r` with its last pass's refusal of the spec (SpecValid False) saying `message`. */
function refusedSaying(r: StackRecord, message: string): StackRecord {
  r.status!.conditions = [
    { type: 'SpecValid', status: 'False', reason: 'Invalid', message, lastTransitionTime: NOW },
  ];
  return r;
}

const tagged = (stack: string, resourceArn: string) => ({
  ResourceARN: resourceArn,
  Tags: [
    { Key: 'lambdaflex:stack', Value: stack },
    { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
  ],
});

function clients() {
  const tagging = mockClient(ResourceGroupsTaggingAPIClient);
  const ecs = mockClient(ECSClient);
  const route53 = mockClient(Route53Client);
  return {
    tagging,
    ecs,
    route53,
    options: {
      clients: {
        tagging: new ResourceGroupsTaggingAPIClient({}),
        ecs: new ECSClient({}),
        route53: new Route53Client({}),
      },
      now: () => NOW,
      kinds: ALL_RESOURCES,
    },
  };
}

describe('sweep', () => {
  it('lists the fleet in one paged sweep by the managed-by tag and names the stacks whose inventory changed', async () => {
    const c = clients();
    c.tagging
      .on(GetResourcesCommand)
      .resolvesOnce({ ResourceTagMappingList: [tagged('aaa', arn('aaa', 'fn'))], PaginationToken: 'next' })
      .resolvesOnce({ ResourceTagMappingList: [tagged('bbb', arn('bbb', 'other'))], PaginationToken: '' });
    const report = await sweep(c.options, [settled('aaa'), settled('bbb')], 2);
    expect(c.tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 2);
    expect(c.tagging).toHaveReceivedNthCommandWith(1, GetResourcesCommand, {
      TagFilters: [{ Key: 'lambdaflex:managed-by', Values: ['lambdaflex'] }],
      ResourcesPerPage: 100,
    });
    expect(c.tagging).toHaveReceivedNthCommandWith(2, GetResourcesCommand, {
      TagFilters: [{ Key: 'lambdaflex:managed-by', Values: ['lambdaflex'] }],
      ResourcesPerPage: 100,
      PaginationToken: 'next',
    });
    expect(report.verdicts.get('aaa')).toBeUndefined();
    expect(report.verdicts.has('aaa')).toBe(true);
    expect(report.verdicts.get('bbb')).toMatch(/^the stack's tagged resources changed: \+.*other, −.*fn$/);
    expect(c.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
  });

  it('describes Fargate services per cluster and names a service short of tasks', async () => {
    const c = clients();
    c.tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [tagged('aaa', arn('aaa', 'fn')), tagged('bbb', arn('bbb', 'fn'))],
      PaginationToken: '',
    });
    c.ecs.on(DescribeServicesCommand, { cluster: cluster('aaa') }).resolves({
      services: [
        { serviceArn: service('aaa'), status: 'ACTIVE', runningCount: 1, desiredCount: 1, deployments: [{}] },
      ],
    });
    c.ecs.on(DescribeServicesCommand, { cluster: cluster('bbb') }).resolves({
      services: [
        { serviceArn: service('bbb'), status: 'ACTIVE', runningCount: 0, desiredCount: 1, deployments: [{}] },
      ],
    });
    const report = await sweep(
      c.options,
      [settled('aaa', { fargate: true }), settled('bbb', { fargate: true })],
      2,
    );
    expect(c.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, {
      cluster: cluster('aaa'),
      services: [service('aaa')],
    });
    expect(report.verdicts.get('aaa')).toBeUndefined();
    expect(report.verdicts.get('bbb')).toBe('health in question: 0 of 1 tasks running');
  });

  it('reads each hosted zone once for all its stacks and names a stack whose weights moved', async () => {
    const c = clients();
    c.tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [tagged('aaa', arn('aaa', 'fn')), tagged('bbb', arn('bbb', 'fn'))],
      PaginationToken: '',
    });
    const withDns = (stack: string): StackRecord => {
      const r = settled(stack);
      r.spec = {
        ...(r.spec as object),
        dns: {
          hostedZoneId: 'Z123',
          recordName: `${stack}.example.test`,
          ttlSeconds: 60,
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      };
      r.status!.traffic = { lambda: 100, fargate: 0 };
      r.bookkeeping.observationSnapshot!.resources['dns-lambda'] = {
        key: 'dns-lambda',
        type: 'AWS::Route53::RecordSet',
        id: 'x',
        tags: {},
        attributes: {},
        ready: true,
      };
      return r;
    };
    const set = (stack: string, weight: number) => ({
      Name: `${stack}.example.test.`,
      Type: 'A' as const,
      SetIdentifier: 'lambda',
      Weight: weight,
    });
    c.route53
      .on(ListResourceRecordSetsCommand)
      .resolvesOnce({
        ResourceRecordSets: [set('aaa', 100)],
        IsTruncated: true,
        NextRecordName: 'bbb.example.test.',
        NextRecordType: 'A',
        MaxItems: 300,
      })
      .resolvesOnce({ ResourceRecordSets: [set('bbb', 40)], IsTruncated: false, MaxItems: 300 });
    const report = await sweep(c.options, [withDns('aaa'), withDns('bbb')], 2);
    expect(c.route53).toHaveReceivedCommandTimes(ListResourceRecordSetsCommand, 2);
    expect(c.route53).toHaveReceivedNthCommandWith(1, ListResourceRecordSetsCommand, {
      HostedZoneId: 'Z123',
      MaxItems: 300,
    });
    expect(c.route53).toHaveReceivedNthCommandWith(2, ListResourceRecordSetsCommand, {
      HostedZoneId: 'Z123',
      MaxItems: 300,
      StartRecordName: 'bbb.example.test.',
      StartRecordType: 'A',
    });
    expect(report.verdicts.get('aaa')).toBeUndefined();
    expect(report.verdicts.get('bbb')).toBe('its lambda record at bbb.example.test. weighs 40, not 100');
  });

  describe('the hosted zones the system record allows', () => {
    const dnsStack = (stack: string, specValid?: string): StackRecord => {
      const r = settled(stack);
      r.spec = {
        ...(r.spec as object),
        dns: {
          hostedZoneId: 'Z123',
          recordName: `${stack}.example.test`,
          ttlSeconds: 60,
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      };
      return specValid === undefined ? r : refusedSaying(r, specValid);
    };
    const allowing = (names: string[]): SystemRecord => ({
      hostedZones: [{ id: 'Z123', recordNames: names }],
      zoneNames: { Z123: 'example.test' },
    });
    const listed = (c: ReturnType<typeof clients>, stacks: string[]) => {
      c.tagging.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: stacks.map((s) => tagged(s, arn(s, 'fn'))),
      });
      c.route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: false });
    };

    it('reads the system record once for all the stacks, and makes due those whose dns it refuses or allows again', async () => {
      const c = clients();
      listed(c, ['aaa', 'bbb', 'ccc', 'ddd', 'eee']);
      const system = allowing(['aaa.example.test', 'ddd.example.test', 'eee.example.test']);
      const reported = refusedDns(validSpec(dnsStack('ccc')), system)!;
      const systemRecord = jest.fn().mockResolvedValue(system);
      const stacks = [
        dnsStack('aaa'),
        dnsStack('bbb'),
        dnsStack('ccc', reported),
        dnsStack('ddd', 'dns.hostedZoneId: Z123 is not a hosted zone the reconciler may write in'),
        dnsStack('eee'),
      ];
      const report = await sweep({ ...c.options, systemRecord }, stacks, stacks.length);
      expect(systemRecord).toHaveBeenCalledTimes(1);
      expect(Object.fromEntries(report.verdicts)).toEqual({
        aaa: undefined,
        bbb: 'the system record does not allow its dns (bbb.example.test in Z123): its pass stops changes',
        ccc: undefined,
        ddd: 'the system record allows its dns again',
        eee: undefined,
      });
      expect(report.problems).toEqual([]);
    });

    it('does not read it for stacks without dns, and makes nobody due when it cannot be read', async () => {
      const c = clients();
      listed(c, ['aaa', 'bbb']);
      const unread = jest.fn();
      await sweep({ ...c.options, systemRecord: unread }, [settled('aaa'), settled('bbb')], 2);
      expect(unread).not.toHaveBeenCalled();

      const failing = jest.fn().mockRejectedValue(new Error('table unreachable'));
      const report = await sweep(
        { ...c.options, systemRecord: failing },
        [dnsStack('aaa'), dnsStack('bbb')],
        2,
      );
      expect(Object.fromEntries(report.verdicts)).toEqual({ aaa: undefined, bbb: undefined });
      expect(report.problems).toEqual(['reading the system record failed: table unreachable']);
    });
  });

  describe("the system record's ceiling on reserved concurrency", () => {
    const reserving = (stack: string, reservedConcurrency: number, specValid?: string): StackRecord => {
      const r = settled(stack);
      const spec = r.spec as { lambda?: object };
      r.spec = { ...spec, lambda: { ...spec.lambda, reservedConcurrency } };
      return specValid === undefined ? r : refusedSaying(r, specValid);
    };

    it('makes due a stack the ceiling refuses, not yet said so, and one it allows again', async () => {
      const c = clients();
      c.tagging.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: ['aaa', 'bbb', 'ccc', 'ddd'].map((s) => tagged(s, arn(s, 'fn'))),
      });
      const system = { hostedZones: [], zoneNames: {}, maxReservedConcurrency: 50 };
      const refused = problemsMessage(systemRecordProblems(validSpec(reserving('ccc', 80)), system));
      const systemRecord = jest.fn().mockResolvedValue(system);
      const stacks = [
        reserving('aaa', 50),
        reserving('bbb', 80),
        reserving('ccc', 80, refused),
        reserving('ddd', 40, 'lambda.reservedConcurrency: 40 is more than one stack may reserve'),
      ];
      const report = await sweep({ ...c.options, systemRecord }, stacks, stacks.length);
      expect(systemRecord).toHaveBeenCalledTimes(1);
      expect(Object.fromEntries(report.verdicts)).toEqual({
        aaa: undefined,
        bbb: 'the system record does not allow its lambda.reservedConcurrency (80): its pass stops changes',
        ccc: undefined,
        ddd: 'the system record allows its lambda.reservedConcurrency again',
      });
    });

    it('names both fields when the zones and the ceiling refuse a spec, and both when they allow it again', async () => {
      const c = clients();
      c.tagging.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: ['aaa', 'bbb', 'ccc'].map((s) => tagged(s, arn(s, 'fn'))),
      });
      c.route53.on(ListResourceRecordSetsCommand).resolves({ ResourceRecordSets: [], IsTruncated: false });
      const withDns = (r: StackRecord, allowed: boolean): StackRecord => {
        r.spec = {
          ...(r.spec as object),
          dns: {
            hostedZoneId: allowed ? 'Z123' : 'Z999',
            recordName: `${r.stack}.example.test`,
            ttlSeconds: 60,
            certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
          },
        };
        return r;
      };
      const system = {
        hostedZones: [{ id: 'Z123', recordNames: ['*.example.test'] }],
        zoneNames: { Z123: 'example.test' },
        maxReservedConcurrency: 50,
      };
      const bothRefused = problemsMessage(
        systemRecordProblems(validSpec(withDns(reserving('ccc', 80), false)), system),
      );
      // The message of both refusals starts with the reservation's: the dns one follows it.
      expect(bothRefused.startsWith('lambda.reservedConcurrency: ')).toBe(true);
      expect(bothRefused).toContain('; dns.hostedZoneId: Z999 ');
      const stacks = [
        withDns(reserving('aaa', 80), false),
        withDns(reserving('bbb', 40, bothRefused), true),
        withDns(reserving('ccc', 80, bothRefused), false),
      ];
      const report = await sweep({ ...c.options, systemRecord: async () => system }, stacks, stacks.length);
      expect(Object.fromEntries(report.verdicts)).toEqual({
        aaa:
          'the system record does not allow its dns (aaa.example.test in Z999) and its ' +
          'lambda.reservedConcurrency (80): its pass stops changes',
        bbb: 'the system record allows its dns and its lambda.reservedConcurrency again',
        ccc: undefined,
      });
    });

    it("makes nobody due for a refusal of its spec that is no system record's, without dns or reservation", async () => {
      const c = clients();
      c.tagging.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: ['aaa', 'bbb'].map((s) => tagged(s, arn(s, 'fn'))),
      });
      const system = { hostedZones: [], zoneNames: {}, maxReservedConcurrency: 50 };
      const systemRecord = jest.fn().mockResolvedValue(system);
      // bbb's reservation has the system record read; aaa's spec has nothing it checks.
      const stacks = [
        refusedSaying(settled('aaa'), 'stack: must be aaa, the key of the record'),
        reserving('bbb', 40),
      ];
      const report = await sweep({ ...c.options, systemRecord }, stacks, stacks.length);
      expect(systemRecord).toHaveBeenCalledTimes(1);
      expect(Object.fromEntries(report.verdicts)).toEqual({ aaa: undefined, bbb: undefined });
    });
  });

  describe("the system record's ceiling on Fargate vCPUs", () => {
    /** A stack whose Fargate tier is `maxTasks` tasks of 1 vCPU. */
    const running = (stack: string, maxTasks: number, specValid?: string): StackRecord => {
      const r = settled(stack);
      const spec = r.spec as { fargate?: object };
      r.spec = { ...spec, fargate: { ...spec.fargate, cpu: 1024, memoryMb: 2048, maxTasks } };
      return specValid === undefined ? r : refusedSaying(r, specValid);
    };

    it('makes due a stack the ceiling refuses, not yet said so, and one it allows again; reads nothing for a small tier', async () => {
      const c = clients();
      c.tagging.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: ['aaa', 'bbb', 'ccc', 'ddd'].map((s) => tagged(s, arn(s, 'fn'))),
      });
      // Rule changed: the ceiling counts the rollout's tasks, twice maxTasks (it was 16 here).
      const system = { hostedZones: [], zoneNames: {}, maxFargateVcpus: 32 };
      const refused = problemsMessage(systemRecordProblems(validSpec(running('ccc', 20)), system));
      expect(refused).toMatch(/^fargate\.maxTasks: 20 tasks of fargate\.cpu 1024 /);
      const systemRecord = jest.fn().mockResolvedValue(system);
      const stacks = [
        running('aaa', 16),
        running('bbb', 20),
        running('ccc', 20, refused),
        running(
          'ddd',
          8,
          'fargate.maxTasks: 8 tasks of fargate.cpu 1024 (1 vCPU each) are 16 while a change rolls out (ECS starts the new tasks before it stops the old), 16 vCPUs, more',
        ),
      ];
      const report = await sweep({ ...c.options, systemRecord }, stacks, stacks.length);
      expect(systemRecord).toHaveBeenCalledTimes(1);
      expect(Object.fromEntries(report.verdicts)).toEqual({
        aaa: undefined,
        bbb: 'the system record does not allow its fargate.maxTasks (20 tasks of 1 vCPU): its pass stops changes',
        ccc: undefined,
        ddd: 'the system record allows its fargate.maxTasks again',
      });

      // Tiers of 8 vCPUs or less, their rollout counted: no ceiling can refuse them, the record is not read.
      const unread = jest.fn();
      await sweep({ ...c.options, systemRecord: unread }, [running('aaa', 4), running('bbb', 2)], 2);
      expect(unread).not.toHaveBeenCalled();
    });
  });

  describe("auto mode's look at the settled auto stacks", () => {
    const auto = (stack: string): StackRecord => {
      const record = settled(stack);
      return { ...record, spec: { ...record.spec, mode: 'auto' } };
    };
    const listed = (c: ReturnType<typeof clients>) =>
      c.tagging.on(GetResourcesCommand).resolves({
        ResourceTagMappingList: [tagged('aaa', arn('aaa', 'fn')), tagged('bbb', arn('bbb', 'fn'))],
      });

    it('builds one decider for all of them and makes due only the stack whose decision leaves its tier', async () => {
      const c = clients();
      listed(c);
      const prepared: string[][] = [];
      const report = await sweep(
        {
          ...c.options,
          prepareDecide: async (records) => {
            prepared.push(records.map((r) => r.stack));
            return ({ record }) => ({
              tier: record.stack === 'aaa' ? 'fargate' : 'lambda',
              reason: `${record.stack} measured`,
            });
          },
        },
        [auto('aaa'), auto('bbb'), settled('ccc')],
        3,
      );
      expect(prepared).toEqual([['aaa', 'bbb']]);
      expect(report.verdicts.get('aaa')).toBe('auto mode wants fargate: aaa measured');
      expect(report.verdicts.has('bbb')).toBe(true);
      expect(report.verdicts.get('bbb')).toBeUndefined();
    });

    it('makes nobody due for auto mode when its metrics cannot be read, and says why', async () => {
      const c = clients();
      listed(c);
      const report = await sweep(
        {
          ...c.options,
          prepareDecide: async () => {
            throw Object.assign(new Error('Rate exceeded'), {
              name: 'ThrottlingException',
              $metadata: { httpStatusCode: 400 },
            });
          },
        },
        [auto('aaa'), auto('bbb')],
        2,
      );
      expect(report.verdicts.get('aaa')).toBeUndefined();
      expect(report.verdicts.get('bbb')).toBeUndefined();
      expect(report.problems).toEqual([expect.stringMatching(/^deciding auto mode failed: .*Rate exceeded/)]);
    });
  });

  it('makes nobody due when the sweep fails, and says why', async () => {
    const c = clients();
    c.tagging.on(GetResourcesCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'ThrottledException',
        $fault: 'client',
        $metadata: {},
      }),
    );
    const report = await sweep(c.options, [settled('aaa')], 1);
    expect(report.verdicts.get('aaa')).toBeUndefined();
    expect(report.problems).toEqual([expect.stringContaining('ThrottledException')]);
  });

  it('sends a stack for its full pass once its snapshot is older than the fleet resync, with its listing', async () => {
    const c = clients();
    c.tagging.on(GetResourcesCommand).resolves({
      ResourceTagMappingList: [
        {
          ResourceARN: arn('aaa', 'fn'),
          Tags: [
            { Key: 'lambdaflex:stack', Value: 'aaa' },
            { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
          ],
        },
      ],
      PaginationToken: '',
    });
    const report = await sweep(c.options, [settled('aaa', { snapshotAge: resyncPeriod(1) })], 1);
    expect(report.verdicts.get('aaa')).toBe('periodic resync');
    // Listed once all the same: the full pass takes the stack's ARNs from here instead of listing them.
    expect(c.tagging).toHaveReceivedCommandTimes(GetResourcesCommand, 1);
    expect(report.inventory?.get('aaa')).toEqual([arn('aaa', 'fn')]);
  });

  it('resyncs each stack once a period, at its own point of it, spread over the period', () => {
    const period = resyncPeriod(1000);
    const stacks = Array.from({ length: 1000 }, (_, i) => `fleet-${i}`);
    // Every stack's snapshot taken at once (a fleet built in one go), then a day of sweeps a minute apart.
    const passes = new Map<string, number[]>(stacks.map((s) => [s, []]));
    const taken = new Map<string, number>(stacks.map((s) => [s, 0]));
    for (let now = 60_000; now <= 24 * 3_600_000; now += 60_000) {
      for (const stack of stacks) {
        const last = lastResyncAt(stack, now, period);
        if (taken.get(stack)! < last && last - taken.get(stack)! >= period / 4) {
          passes.get(stack)!.push(now);
          taken.set(stack, now);
        }
      }
    }
    for (const at of passes.values()) {
      // 12,000,000 ms (3 h 20 min): six or seven full passes in a day, one period (to the minute) apart.
      expect(at.length).toBeGreaterThanOrEqual(6);
      expect(at.length).toBeLessThanOrEqual(8);
      for (let i = 1; i < at.length; i++) expect(Math.abs(at[i]! - at[i - 1]! - period)).toBeLessThan(60_000);
    }
    // Spread: no minute of the first period holds more than a few of the thousand first passes.
    const firsts = new Map<number, number>();
    for (const at of passes.values()) firsts.set(at[0]!, (firsts.get(at[0]!) ?? 0) + 1);
    expect(Math.max(...firsts.values())).toBeLessThanOrEqual(20);
  });

  it('grows the resync period with the fleet: a stack every 12 s, 15 min to 10 h', () => {
    expect(resyncPeriod(10)).toBe(15 * 60_000);
    expect(resyncPeriod(1000)).toBe(12_000_000);
    expect(resyncPeriod(10_000)).toBe(10 * 3_600_000);
  });
});
