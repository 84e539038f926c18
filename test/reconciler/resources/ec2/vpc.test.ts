import {
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  EC2Client,
  ModifyVpcAttributeCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { vpcResource } from '../../../../reconciler/resources/ec2/vpc';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

const OWN_TAGS = [
  { Key: 'lambdaflex:stack', Value: 'orders-api' },
  { Key: 'lambdaflex:component', Value: 'vpc' },
  { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
];

function dnsAnswers(support: boolean, hostnames: boolean): void {
  ec2
    .on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsSupport' })
    .resolves({ EnableDnsSupport: { Value: support } })
    .on(DescribeVpcAttributeCommand, { Attribute: 'enableDnsHostnames' })
    .resolves({ EnableDnsHostnames: { Value: hostnames } });
}

describe('vpcResource', () => {
  describe('desired', () => {
    it('is the spec CIDR with both DNS attributes on', () => {
      expect(
        vpcResource.desiredAttributes(testSpec({ network: { cidr: '10.7.0.0/16' } }), {}, DEFAULT_INTENT),
      ).toEqual({
        cidr: '10.7.0.0/16',
        enableDnsSupport: true,
        enableDnsHostnames: true,
      });
    });

    it('marks the CIDR immutable and has no dependencies', () => {
      expect(vpcResource.immutable).toEqual(['cidr']);
      expect(vpcResource.dependsOn).toEqual([]);
      expect(vpcResource.neededBy(testSpec())).toBe(true);
    });
  });

  describe('find', () => {
    it('filters by the stack and component tags', async () => {
      ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
      await vpcResource.find(testContext());
      expect(ec2).toHaveReceivedCommandWith(DescribeVpcsCommand, {
        Filters: [
          { Name: 'tag:lambdaflex:stack', Values: ['orders-api'] },
          { Name: 'tag:lambdaflex:component', Values: ['vpc'] },
        ],
      });
    });

    it('returns undefined on an empty answer', async () => {
      ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [] });
      expect(await vpcResource.find(testContext())).toBeUndefined();
      expect(ec2).not.toHaveReceivedCommand(DescribeVpcAttributeCommand);
    });

    it('returns undefined when the VPC disappears between the calls (InvalidVpcID.NotFound)', async () => {
      ec2
        .on(DescribeVpcsCommand)
        .resolves({ Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.42.0.0/16', Tags: OWN_TAGS }] });
      ec2.on(DescribeVpcAttributeCommand).rejects(awsError('InvalidVpcID.NotFound'));
      expect(await vpcResource.find(testContext())).toBeUndefined();
    });

    it('ignores a VPC tagged with the stack but not managed by lambdaflex', async () => {
      ec2.on(DescribeVpcsCommand).resolves({ Vpcs: [{ VpcId: 'vpc-1', Tags: OWN_TAGS.slice(0, 2) }] });
      expect(await vpcResource.find(testContext())).toBeUndefined();
    });

    it('follows NextToken', async () => {
      ec2
        .on(DescribeVpcsCommand)
        .resolvesOnce({ Vpcs: [], NextToken: 'page-2' })
        .resolvesOnce({
          Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.42.0.0/16', State: 'available', Tags: OWN_TAGS }],
        });
      dnsAnswers(true, true);
      const found = await vpcResource.find(testContext());
      expect(ec2).toHaveReceivedNthCommandWith(2, DescribeVpcsCommand, { NextToken: 'page-2' });
      expect(found?.id).toBe('vpc-1');
    });

    it('reports the normalised attributes, equal to desired when nothing drifted', async () => {
      ec2.on(DescribeVpcsCommand).resolves({
        Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.42.0.0/16', State: 'available', Tags: OWN_TAGS }],
      });
      dnsAnswers(true, true);
      const found = await vpcResource.find(testContext());
      expect(found).toMatchObject({
        key: 'vpc',
        type: 'AWS::EC2::VPC',
        id: 'vpc-1',
        state: 'available',
        ready: true,
        tags: { 'lambdaflex:stack': 'orders-api', 'lambdaflex:component': 'vpc' },
      });
      expect(found?.attributes).toEqual(vpcResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT));
    });

    it('is not ready while pending, from its declared states', async () => {
      expect(vpcResource.waiters).toEqual({ ready: { pending: ['pending'], target: ['available'] } });
      ec2.on(DescribeVpcsCommand).resolves({
        Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.42.0.0/16', State: 'pending', Tags: OWN_TAGS }],
      });
      dnsAnswers(true, true);
      const found = await vpcResource.find(testContext());
      expect(found).toMatchObject({ ready: false, state: 'pending', notReadyReason: 'VPC is pending' });
    });

    it('is not ready while DNS hostnames are off', async () => {
      ec2.on(DescribeVpcsCommand).resolves({
        Vpcs: [{ VpcId: 'vpc-1', CidrBlock: '10.42.0.0/16', State: 'available', Tags: OWN_TAGS }],
      });
      dnsAnswers(true, false);
      const found = await vpcResource.find(testContext());
      expect(found?.ready).toBe(false);
      expect(found?.attributes).toMatchObject({ enableDnsHostnames: false });
    });

    it('picks the lowest id among duplicates and reports the others', async () => {
      ec2.on(DescribeVpcsCommand).resolves({
        Vpcs: [
          { VpcId: 'vpc-2', CidrBlock: '10.42.0.0/16', State: 'available', Tags: OWN_TAGS },
          { VpcId: 'vpc-1', CidrBlock: '10.42.0.0/16', State: 'available', Tags: OWN_TAGS },
        ],
      });
      dnsAnswers(true, true);
      const found = await vpcResource.find(testContext());
      expect(found?.id).toBe('vpc-1');
      expect(found?.duplicates?.map((d) => d.id)).toEqual(['vpc-2']);
      // The DNS attributes are asked for the VPC in use only.
      expect(ec2).toHaveReceivedCommandTimes(DescribeVpcAttributeCommand, 2);
    });

    it('puts the VPC the stack recorded first, whatever its id', async () => {
      ec2.on(DescribeVpcsCommand).resolves({
        Vpcs: [
          { VpcId: 'vpc-1', CidrBlock: '10.9.0.0/16', State: 'available', Tags: OWN_TAGS },
          {
            VpcId: 'vpc-2',
            CidrBlock: '10.42.0.0/16',
            State: 'available',
            Tags: [...OWN_TAGS, { Key: 'lambdaflex:nonce', Value: 'n1' }],
          },
        ],
      });
      dnsAnswers(true, true);
      const ownership = {
        isRecorded: (key: string, _id: string, tags: Readonly<Record<string, string>>) =>
          key === 'vpc' && tags['lambdaflex:nonce'] === 'n1',
        recorded: () => undefined,
        awaits: () => true,
      };
      const found = await vpcResource.find({ ...testContext(), ownership });
      expect(found?.id).toBe('vpc-2');
      expect(found?.duplicates?.map((d) => d.id)).toEqual(['vpc-1']);
    });
  });

  describe('create', () => {
    it('creates the VPC with the spec CIDR and tags it in the same call, then enables DNS hostnames', async () => {
      ec2
        .on(CreateVpcCommand)
        .resolves({ Vpc: { VpcId: 'vpc-9', CidrBlock: '10.42.0.0/16', State: 'pending' } });
      ec2.on(ModifyVpcAttributeCommand).resolves({});
      const created = await vpcResource.create(testContext());
      expect(ec2).toHaveReceivedCommandWith(CreateVpcCommand, {
        CidrBlock: '10.42.0.0/16',
        TagSpecifications: [
          {
            ResourceType: 'vpc',
            Tags: [
              { Key: 'lambdaflex:stack', Value: 'orders-api' },
              { Key: 'lambdaflex:component', Value: 'vpc' },
              { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
              { Key: 'Name', Value: 'lf-orders-api-vpc' },
            ],
          },
        ],
      });
      expect(ec2).toHaveReceivedCommandTimes(ModifyVpcAttributeCommand, 1);
      expect(ec2).toHaveReceivedCommandWith(ModifyVpcAttributeCommand, {
        VpcId: 'vpc-9',
        EnableDnsHostnames: { Value: true },
      });
      expect(created).toMatchObject({ id: 'vpc-9', state: 'pending', ready: false });
      expect(created.attributes).toEqual(vpcResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT));
      expect(created.tags).toMatchObject({
        Name: 'lf-orders-api-vpc',
        'lambdaflex:managed-by': 'lambdaflex',
      });
    });

    it('carries the journaled nonce among the tags given at creation', async () => {
      ec2
        .on(CreateVpcCommand)
        .resolves({ Vpc: { VpcId: 'vpc-9', CidrBlock: '10.42.0.0/16', State: 'pending' } });
      ec2.on(ModifyVpcAttributeCommand).resolves({});
      const answered: string[] = [];
      const created = await vpcResource.create({
        ...testContext(),
        nonce: '0123abcd',
        answered: (id) => answered.push(id),
      });
      expect(answered).toEqual(['vpc-9']);
      expect(ec2).toHaveReceivedCommandWith(CreateVpcCommand, {
        TagSpecifications: [
          {
            ResourceType: 'vpc',
            Tags: expect.arrayContaining([{ Key: 'lambdaflex:nonce', Value: '0123abcd' }]),
          },
        ],
      });
      expect(created.tags['lambdaflex:nonce']).toBe('0123abcd');
    });

    it('leaves DNS hostnames for the next update when the new VPC is not visible yet', async () => {
      ec2
        .on(CreateVpcCommand)
        .resolves({ Vpc: { VpcId: 'vpc-9', CidrBlock: '10.42.0.0/16', State: 'pending' } });
      ec2.on(ModifyVpcAttributeCommand).rejects(awsError('InvalidVpcID.NotFound'));
      const created = await vpcResource.create(testContext());
      expect(created.attributes).toMatchObject({ enableDnsHostnames: false });
      expect(created.ready).toBe(false);
    });

    it('lets a quota error through, classified terminal', async () => {
      const error = awsError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.');
      ec2.on(CreateVpcCommand).rejects(error);
      await expect(vpcResource.create(testContext())).rejects.toBe(error);
      expect(classify(error, vpcResource.errors)).toBe('terminal');
    });
  });

  describe('update', () => {
    it('enables DNS support before DNS hostnames, one attribute per call', async () => {
      ec2.on(ModifyVpcAttributeCommand).resolves({});
      const current = observed('vpc', 'AWS::EC2::VPC', 'vpc-1', {
        cidr: '10.42.0.0/16',
        enableDnsSupport: false,
        enableDnsHostnames: false,
      });
      const updated = await vpcResource.update!(testContext(), current, []);
      expect(ec2).toHaveReceivedNthCommandWith(1, ModifyVpcAttributeCommand, {
        VpcId: 'vpc-1',
        EnableDnsSupport: { Value: true },
      });
      expect(ec2).toHaveReceivedNthCommandWith(2, ModifyVpcAttributeCommand, {
        VpcId: 'vpc-1',
        EnableDnsHostnames: { Value: true },
      });
      expect(updated.attributes).toEqual(vpcResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT));
    });

    it('makes no call when nothing drifted', async () => {
      const current = observed(
        'vpc',
        'AWS::EC2::VPC',
        'vpc-1',
        vpcResource.desiredAttributes(testSpec(), {}, DEFAULT_INTENT),
      );
      await vpcResource.update!(testContext(), current, []);
      expect(ec2).not.toHaveReceivedCommand(ModifyVpcAttributeCommand);
    });
  });

  describe('delete', () => {
    const current = observed('vpc', 'AWS::EC2::VPC', 'vpc-1');

    it('deletes by id', async () => {
      ec2.on(DeleteVpcCommand).resolves({});
      await vpcResource.delete(testContext(), current);
      expect(ec2).toHaveReceivedCommandWith(DeleteVpcCommand, { VpcId: 'vpc-1' });
    });

    it('counts an already deleted VPC as done', async () => {
      ec2.on(DeleteVpcCommand).rejects(awsError('InvalidVpcID.NotFound'));
      await expect(vpcResource.delete(testContext(), current)).resolves.toBeUndefined();
    });

    it('rethrows DependencyViolation, classified retryable', async () => {
      const error = awsError(
        'DependencyViolation',
        "The vpc 'vpc-1' has dependencies and cannot be deleted.",
      );
      ec2.on(DeleteVpcCommand).rejects(error);
      await expect(vpcResource.delete(testContext(), current)).rejects.toBe(error);
      expect(classify(error, vpcResource.errors)).toBe('retryable');
    });
  });

  it.each([
    ['InvalidVpcID.NotFound', 'notFound'],
    ['DependencyViolation', 'retryable'],
    ['RequestLimitExceeded', 'retryable'],
    ['VpcLimitExceeded', 'terminal'],
    ['InvalidVpcRange', 'terminal'],
    ['InvalidParameterValue', 'terminal'],
  ])('classifies %s as %s', (code, verdict) => {
    expect(classify(awsError(code), vpcResource.errors)).toBe(verdict);
  });
});
