/**
 * The subnets' Availability Zones are chosen from DescribeAvailabilityZones and recorded by zone id, never
 * assumed: a stack builds in ap-northeast-1 (1a, 1c, 1d, no 1b), skips Local Zones and zones that are not
 * available, and its subnets come back in the same zones after the Fargate tier was deleted.
 */
import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import { setAvailabilityZoneState, zonesOf } from '../../aws-sim/services/ec2';
import { scenario, specInput, STACK, type Scenario } from './harness';

async function subnetZones(s: Scenario): Promise<string[]> {
  const answer = await s.clients.ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'tag:lambdaflex:stack', Values: [STACK] }] }),
  );
  return (answer.Subnets ?? []).map((subnet) => subnet.AvailabilityZoneId!).sort();
}

async function recordedZones(s: Scenario) {
  return (await s.store.get(STACK))!.bookkeeping.zones;
}

describe('scenario: Availability Zones', () => {
  it('builds a stack in ap-northeast-1, whose zones are 1a, 1c and 1d', async () => {
    const s = scenario({ region: 'ap-northeast-1' });
    const image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/orders-api:1.4.2';
    await s.apply(specInput({ mode: 'fargate', image }));
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ outcome: 'reconciled', phase: 'Fargate', settled: true });
    const zones = await subnetZones(s);
    expect(zones).toHaveLength(2);
    expect(new Set(zones).size).toBe(2);
    for (const id of zones) expect(['apne1-az1', 'apne1-az2', 'apne1-az4']).toContain(id);
    const recorded = await recordedZones(s);
    expect([recorded?.a, recorded?.b].sort()).toEqual(zones);
  });

  it('never picks a Local Zone nor a zone that is not available', async () => {
    const s = scenario();
    // us-east-1's opted-in Local Zone (use1-atl1-az1) sorts before every AZ id; make the first AZ impaired.
    const [firstAz] = zonesOf(s.account)
      .filter((z) => z.type === 'availability-zone')
      .map((z) => z.id)
      .sort();
    setAvailabilityZoneState(s.account, firstAz!, 'impaired');
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    const zones = await subnetZones(s);
    expect(zones).toHaveLength(2);
    expect(zones).not.toContain('use1-atl1-az1');
    expect(zones).not.toContain(firstAz);
  });

  it('keeps the recorded zones: the subnets come back where they were after the tier was deleted', async () => {
    const s = scenario({ region: 'ap-northeast-1' });
    const image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/orders-api:1.4.2';
    await s.apply(specInput({ mode: 'fargate', image }));
    await s.settle();
    const before = await subnetZones(s);
    await s.apply(specInput({ mode: 'lambda', image }));
    await s.settle();
    expect(await subnetZones(s)).toEqual([]);
    expect(await recordedZones(s)).toBeDefined();
    // A fresh choice would now take another zone: the recorded ones stay all the same.
    setAvailabilityZoneState(s.account, before[0]!, 'constrained');
    await s.apply(specInput({ mode: 'fargate', image }));
    await s.settle();
    expect(await subnetZones(s)).toEqual(before);
  });
});
