import { DescribeAvailabilityZonesCommand, EC2Client, type AvailabilityZone } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { Observation } from '../../../../reconciler/engine/types';
import {
  chooseZones,
  eligibleZoneIds,
  resolveAvailabilityZones,
} from '../../../../reconciler/resources/ec2/availability-zones';
import { awsError, observed } from '../fixtures';

const ec2Mock = mockClient(EC2Client);
beforeEach(() => ec2Mock.reset());
const ec2 = new EC2Client({ region: 'ap-northeast-1' });

function az(id: string, overrides: Partial<AvailabilityZone> = {}): AvailabilityZone {
  return {
    ZoneId: id,
    ZoneName: `zone-of-${id}`,
    State: 'available',
    OptInStatus: 'opt-in-not-required',
    ZoneType: 'availability-zone',
    ...overrides,
  };
}

function emptyObservation(resources: Observation['resources'] = {}): Observation {
  return { resources, unknown: {} };
}

describe('eligibleZoneIds', () => {
  it('keeps available Availability Zones that need no opt-in, sorted by id', () => {
    const zones = [
      az('use1-az4'),
      az('use1-atl1-az1', { ZoneType: 'local-zone', OptInStatus: 'opted-in' }),
      az('use1-az2', { State: 'impaired' }),
      az('use1-az1'),
      az('use1-az6', { State: 'constrained' }),
    ];
    expect(eligibleZoneIds(zones, 'us-east-1')).toEqual(['use1-az1', 'use1-az4']);
  });

  it.each([
    [
      'ap-northeast-1',
      ['apne1-az1', 'apne1-az2', 'apne1-az3', 'apne1-az4'],
      ['apne1-az1', 'apne1-az2', 'apne1-az4'],
    ],
    ['us-west-1', ['usw1-az1', 'usw1-az2', 'usw1-az3'], ['usw1-az1', 'usw1-az3']],
    ['cn-north-1', ['cnn1-az1', 'cnn1-az2', 'cnn1-az4'], ['cnn1-az1', 'cnn1-az2']],
    ['eu-west-1', ['euw1-az1', 'euw1-az2', 'euw1-az3'], ['euw1-az1', 'euw1-az2', 'euw1-az3']],
  ])('in %s keeps only the zones that offer Fargate', (region, ids, expected) => {
    expect(
      eligibleZoneIds(
        ids.map((id) => az(id)),
        region,
      ),
    ).toEqual(expected);
  });
});

describe('chooseZones', () => {
  it('takes the first two eligible zones for a new stack', () => {
    expect(chooseZones({}, ['a1', 'a2', 'a3'])).toEqual({ zones: { a: 'a1', b: 'a2' }, missing: [] });
  });

  it('keeps a known zone, even one no longer eligible, and never puts both subnets in one zone', () => {
    expect(chooseZones({ b: 'a1' }, ['a1', 'a2'])).toEqual({ zones: { a: 'a2', b: 'a1' }, missing: [] });
    expect(chooseZones({ a: 'gone' }, ['a1'])).toEqual({ zones: { a: 'gone', b: 'a1' }, missing: [] });
  });

  it('says which subnet is left without a zone', () => {
    expect(chooseZones({}, ['a1'])).toEqual({ zones: { a: 'a1' }, missing: ['b'] });
  });
});

describe('resolveAvailabilityZones', () => {
  const input = { ec2, region: 'ap-northeast-1', needed: true };

  it('asks DescribeAvailabilityZones once and adds the chosen zones for the subnets to read', async () => {
    ec2Mock.on(DescribeAvailabilityZonesCommand).resolves({
      AvailabilityZones: [az('apne1-az4'), az('apne1-az1'), az('apne1-az2')],
    });
    const observation = emptyObservation();
    const resolved = await resolveAvailabilityZones(observation, { ...input, recorded: undefined });
    expect(resolved).toEqual({ zones: { a: 'apne1-az1', b: 'apne1-az2' } });
    expect(ec2Mock).toHaveReceivedCommandTimes(DescribeAvailabilityZonesCommand, 1);
    expect(ec2Mock).toHaveReceivedCommandWith(DescribeAvailabilityZonesCommand, {});
  });

  it('makes no call when both zones are recorded', async () => {
    const observation = emptyObservation();
    const recorded = { a: 'apne1-az4', b: 'apne1-az2' };
    await expect(resolveAvailabilityZones(observation, { ...input, recorded })).resolves.toEqual({
      zones: recorded,
    });
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });

  it('makes no call while the Fargate tier is not wanted, and keeps what is recorded', async () => {
    const observation = emptyObservation();
    const resolved = await resolveAvailabilityZones(observation, {
      ...input,
      needed: false,
      recorded: { a: 'x' },
    });
    expect(resolved).toEqual({ zones: { a: 'x' } });
    expect(ec2Mock).not.toHaveReceivedAnyCommand();
  });

  it("takes an existing subnet's zone (a pass died before recording it) and chooses only the other", async () => {
    ec2Mock.on(DescribeAvailabilityZonesCommand).resolves({
      AvailabilityZones: [az('apne1-az1'), az('apne1-az2'), az('apne1-az4')],
    });
    const subnetA = observed('subnet-a', 'AWS::EC2::Subnet', 'subnet-1', { zoneId: 'apne1-az1' });
    const observation = emptyObservation({ 'subnet-a': subnetA });
    const resolved = await resolveAvailabilityZones(observation, { ...input, recorded: undefined });
    expect(resolved.zones).toEqual({ a: 'apne1-az1', b: 'apne1-az2' });
  });

  it('marks the missing subnets as not observable when the call fails (unknown is not absent)', async () => {
    ec2Mock.on(DescribeAvailabilityZonesCommand).rejects(awsError('RequestLimitExceeded'));
    const observation = emptyObservation();
    await expect(resolveAvailabilityZones(observation, { ...input, recorded: undefined })).resolves.toEqual({
      zones: {},
    });
    expect(observation.unknown).toEqual({
      'subnet-a': expect.stringContaining('RequestLimitExceeded'),
      'subnet-b': expect.stringContaining('RequestLimitExceeded'),
    });
  });

  it('says why when fewer than two zones qualify', async () => {
    ec2Mock.on(DescribeAvailabilityZonesCommand).resolves({
      AvailabilityZones: [az('apne1-az1'), az('apne1-az2', { State: 'unavailable' })],
    });
    const observation = emptyObservation();
    const resolved = await resolveAvailabilityZones(observation, { ...input, recorded: undefined });
    expect(resolved).toEqual({
      zones: { a: 'apne1-az1' },
      shortOf: expect.stringContaining('ap-northeast-1 has 1 (apne1-az1)'),
    });
  });
});
