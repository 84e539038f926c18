import {
  CreateSubnetCommand,
  DeleteSubnetCommand,
  DescribeSubnetsCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { subnetResource } from '../../../../reconciler/resources/ec2/subnet';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT, withIntent } from '../../../../reconciler/resources/intent';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

const vpcRef = observed('vpc', 'AWS::EC2::VPC', 'vpc-1', { cidr: '10.42.0.0/16' });
/** The zones the pass chose (or recorded), as its intent carries them. */
const intent = withIntent({ zones: { a: 'euw3-az2', b: 'euw3-az3' } });
const refs = { vpc: vpcRef };

function ownTags(component: string) {
  return [
    { Key: 'lambdaflex:stack', Value: 'orders-api' },
    { Key: 'lambdaflex:component', Value: component },
    { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
  ];
}

describe('subnetResource', () => {
  it('makes one kind per zone, the same value on every call', () => {
    expect(subnetResource('a').key).toBe('subnet-a');
    expect(subnetResource('b').key).toBe('subnet-b');
    expect(subnetResource('a')).toBe(subnetResource('a'));
    expect(subnetResource('b').dependsOn).toEqual(['vpc']);
    expect(subnetResource('a').immutable).toEqual(['vpcId', 'cidr', 'zoneId']);
  });

  describe('desired', () => {
    it('carves the first two /18 blocks of a /16 in the chosen zones and maps public IPs', () => {
      expect(subnetResource('a').desiredAttributes(testSpec(), refs, intent)).toEqual({
        vpcId: 'vpc-1',
        cidr: '10.42.0.0/18',
        zoneId: 'euw3-az2',
        mapPublicIpOnLaunch: true,
      });
      expect(subnetResource('b').desiredAttributes(testSpec(), refs, intent)).toMatchObject({
        cidr: '10.42.64.0/18',
        zoneId: 'euw3-az3',
      });
    });

    it('wants no zone in particular while none is chosen (no made-up zone that would read as drift)', () => {
      expect(
        subnetResource('a').desiredAttributes(testSpec(), { vpc: vpcRef }, DEFAULT_INTENT).zoneId,
      ).toBeUndefined();
    });

    it('fits a /24 VPC', () => {
      const spec = testSpec({ network: { cidr: '192.168.7.0/24' } });
      expect(subnetResource('b').desiredAttributes(spec, refs, intent)).toMatchObject({
        cidr: '192.168.7.64/26',
      });
    });
  });

  describe('find', () => {
    it('filters by the stack and the zone component tags', async () => {
      ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
      await subnetResource('b').find(testContext({ refs, intent }));
      expect(ec2).toHaveReceivedCommandWith(DescribeSubnetsCommand, {
        Filters: [
          { Name: 'tag:lambdaflex:stack', Values: ['orders-api'] },
          { Name: 'tag:lambdaflex:component', Values: ['subnet-b'] },
        ],
      });
    });

    it('returns undefined on an empty answer and on InvalidSubnetID.NotFound', async () => {
      ec2
        .on(DescribeSubnetsCommand)
        .resolvesOnce({ Subnets: [] })
        .rejectsOnce(awsError('InvalidSubnetID.NotFound'));
      expect(await subnetResource('a').find(testContext({ refs, intent }))).toBeUndefined();
      expect(await subnetResource('a').find(testContext({ refs, intent }))).toBeUndefined();
    });

    it('compares the zone by id, not by name, so that an unchanged subnet equals desired', async () => {
      ec2.on(DescribeSubnetsCommand).resolves({
        Subnets: [
          {
            SubnetId: 'subnet-1',
            VpcId: 'vpc-1',
            CidrBlock: '10.42.0.0/18',
            AvailabilityZone: 'eu-west-3c',
            AvailabilityZoneId: 'euw3-az2',
            MapPublicIpOnLaunch: true,
            State: 'available',
            Tags: ownTags('subnet-a'),
          },
        ],
      });
      const found = await subnetResource('a').find(testContext({ refs, intent }));
      expect(found).toMatchObject({ id: 'subnet-1', type: 'AWS::EC2::Subnet', ready: true });
      expect(found?.attributes).toEqual(subnetResource('a').desiredAttributes(testSpec(), refs, intent));
      expect(found?.extra).toEqual({ availabilityZone: 'eu-west-3c' });
    });

    it('is not ready while pending, from its declared states', async () => {
      expect(subnetResource('b').waiters).toEqual({ ready: { pending: ['pending'], target: ['available'] } });
      ec2.on(DescribeSubnetsCommand).resolves({
        Subnets: [
          {
            SubnetId: 'subnet-1',
            VpcId: 'vpc-1',
            CidrBlock: '10.42.0.0/18',
            AvailabilityZone: 'us-east-1a',
            MapPublicIpOnLaunch: true,
            State: 'pending',
            Tags: ownTags('subnet-a'),
          },
        ],
      });
      const found = await subnetResource('a').find(testContext({ refs, intent }));
      expect(found).toMatchObject({ ready: false, notReadyReason: 'subnet is pending' });
    });

    it('reports a subnet without public IP mapping as not ready, for update to finish', async () => {
      ec2.on(DescribeSubnetsCommand).resolves({
        Subnets: [
          {
            SubnetId: 'subnet-1',
            VpcId: 'vpc-1',
            CidrBlock: '10.42.0.0/18',
            AvailabilityZone: 'us-east-1a',
            MapPublicIpOnLaunch: false,
            State: 'available',
            Tags: ownTags('subnet-a'),
          },
        ],
      });
      const found = await subnetResource('a').find(testContext({ refs, intent }));
      expect(found?.ready).toBe(false);
      expect(found?.attributes).toMatchObject({ mapPublicIpOnLaunch: false });
    });
  });

  describe('create', () => {
    it('creates the subnet by the id of its chosen zone with its CIDR and tags, then maps public IPs', async () => {
      ec2.on(CreateSubnetCommand).resolves({
        Subnet: {
          SubnetId: 'subnet-9',
          CidrBlock: '10.42.64.0/18',
          AvailabilityZone: 'eu-west-3a',
          AvailabilityZoneId: 'euw3-az3',
          State: 'pending',
        },
      });
      ec2.on(ModifySubnetAttributeCommand).resolves({});
      const created = await subnetResource('b').create(testContext({ refs, intent, region: 'eu-west-3' }));
      expect(ec2).toHaveReceivedCommandWith(CreateSubnetCommand, {
        VpcId: 'vpc-1',
        CidrBlock: '10.42.64.0/18',
        AvailabilityZoneId: 'euw3-az3',
        TagSpecifications: [
          {
            ResourceType: 'subnet',
            Tags: [...ownTags('subnet-b'), { Key: 'Name', Value: 'lf-orders-api-subnet-b' }],
          },
        ],
      });
      expect(ec2).toHaveReceivedCommandWith(ModifySubnetAttributeCommand, {
        SubnetId: 'subnet-9',
        MapPublicIpOnLaunch: { Value: true },
      });
      expect(created.attributes).toEqual(subnetResource('b').desiredAttributes(testSpec(), refs, intent));
      expect(created.state).toBe('pending');
    });

    it('leaves public IP mapping to update when the new subnet is not visible yet', async () => {
      ec2.on(CreateSubnetCommand).resolves({ Subnet: { SubnetId: 'subnet-9', State: 'available' } });
      ec2.on(ModifySubnetAttributeCommand).rejects(awsError('InvalidSubnetID.NotFound'));
      const created = await subnetResource('a').create(testContext({ refs, intent }));
      expect(created.attributes).toMatchObject({
        mapPublicIpOnLaunch: false,
        cidr: '10.42.0.0/18',
        zoneId: 'euw3-az2',
      });
      expect(created.ready).toBe(false);
    });

    it('refuses, terminally and with the reason, when no zone could be chosen', async () => {
      const short = withIntent({
        zones: { a: 'x' },
        zonesShortOf: 'the Fargate tier needs two Availability Zones …; xx-1 has 1 (x)',
      });
      const error = await subnetResource('b')
        .create(testContext({ refs: { vpc: vpcRef }, intent: short }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ message: expect.stringContaining('xx-1 has 1 (x)') });
      expect(classify(error, subnetResource('b').errors)).toBe('terminal');
      expect(ec2).not.toHaveReceivedCommand(CreateSubnetCommand);
    });

    it('refuses to run without the VPC in refs', async () => {
      await expect(subnetResource('a').create(testContext())).rejects.toThrow('subnet-a needs vpc');
      expect(ec2).not.toHaveReceivedCommand(CreateSubnetCommand);
    });

    it.each([
      ['InvalidSubnet.Conflict', 'terminal'],
      ['InvalidSubnet.Range', 'terminal'],
      ['InvalidVpcID.NotFound', 'retryable'],
    ])('lets %s through, classified %s', async (code, verdict) => {
      const error = awsError(code);
      ec2.on(CreateSubnetCommand).rejects(error);
      await expect(subnetResource('a').create(testContext({ refs, intent }))).rejects.toBe(error);
      expect(classify(error, subnetResource('a').errors)).toBe(verdict);
    });
  });

  describe('update', () => {
    it('maps public IPs when that was left off', async () => {
      ec2.on(ModifySubnetAttributeCommand).resolves({});
      const current = observed(
        'subnet-a',
        'AWS::EC2::Subnet',
        'subnet-1',
        {
          ...subnetResource('a').desiredAttributes(testSpec(), refs, intent),
          mapPublicIpOnLaunch: false,
        },
        { state: 'available' },
      );
      const updated = await subnetResource('a').update!(testContext({ refs, intent }), current, []);
      expect(ec2).toHaveReceivedCommandWith(ModifySubnetAttributeCommand, {
        SubnetId: 'subnet-1',
        MapPublicIpOnLaunch: { Value: true },
      });
      expect(updated).toMatchObject({ ready: true, attributes: { mapPublicIpOnLaunch: true } });
    });

    it('makes no call when nothing drifted', async () => {
      const current = observed(
        'subnet-a',
        'AWS::EC2::Subnet',
        'subnet-1',
        subnetResource('a').desiredAttributes(testSpec(), refs, intent),
      );
      await subnetResource('a').update!(testContext({ refs, intent }), current, []);
      expect(ec2).not.toHaveReceivedCommand(ModifySubnetAttributeCommand);
    });
  });

  describe('delete', () => {
    const current = observed('subnet-a', 'AWS::EC2::Subnet', 'subnet-1');

    it('deletes by id and counts InvalidSubnetID.NotFound as done', async () => {
      ec2.on(DeleteSubnetCommand).resolvesOnce({}).rejectsOnce(awsError('InvalidSubnetID.NotFound'));
      await subnetResource('a').delete(testContext({ refs, intent }), current);
      await subnetResource('a').delete(testContext({ refs, intent }), current);
      expect(ec2).toHaveReceivedCommandWith(DeleteSubnetCommand, { SubnetId: 'subnet-1' });
      expect(ec2).toHaveReceivedCommandTimes(DeleteSubnetCommand, 2);
    });

    it('rethrows DependencyViolation from lingering ENIs, classified retryable', async () => {
      const error = awsError(
        'DependencyViolation',
        "The subnet 'subnet-1' has dependencies and cannot be deleted.",
      );
      ec2.on(DeleteSubnetCommand).rejects(error);
      await expect(subnetResource('a').delete(testContext({ refs, intent }), current)).rejects.toBe(error);
      expect(classify(error, subnetResource('a').errors)).toBe('retryable');
    });
  });
});
