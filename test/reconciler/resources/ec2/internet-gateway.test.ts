import {
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  DeleteInternetGatewayCommand,
  DescribeInternetGatewaysCommand,
  DetachInternetGatewayCommand,
  EC2Client,
  type InternetGatewayAttachment,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { classify } from '../../../../reconciler/aws/classify';
import { internetGatewayResource as kind } from '../../../../reconciler/resources/ec2/internet-gateway';
import { awsError, observed, testContext, testSpec } from '../fixtures';
import { DEFAULT_INTENT } from '../../../../reconciler/resources/intent';

const ec2 = mockClient(EC2Client);
beforeEach(() => ec2.reset());

const refs = { vpc: observed('vpc', 'AWS::EC2::VPC', 'vpc-1') };
const OWN_TAGS = [
  { Key: 'lambdaflex:stack', Value: 'orders-api' },
  { Key: 'lambdaflex:component', Value: 'igw' },
  { Key: 'lambdaflex:managed-by', Value: 'lambdaflex' },
];

function describesGateway(attachments: InternetGatewayAttachment[]): void {
  ec2.on(DescribeInternetGatewaysCommand).resolves({
    InternetGateways: [{ InternetGatewayId: 'igw-1', Attachments: attachments, Tags: OWN_TAGS }],
  });
}

function gateway(attachedVpcId: string | undefined) {
  return observed('igw', 'AWS::EC2::InternetGateway', 'igw-1', { attachedVpcId });
}

describe('internetGatewayResource', () => {
  it('depends on the VPC and wants to be attached to it', () => {
    expect(kind.key).toBe('igw');
    expect(kind.dependsOn).toEqual(['vpc']);
    expect(kind.desiredAttributes(testSpec(), refs, DEFAULT_INTENT)).toEqual({ attachedVpcId: 'vpc-1' });
  });

  describe('find', () => {
    it('filters by the stack and component tags', async () => {
      ec2.on(DescribeInternetGatewaysCommand).resolves({ InternetGateways: [] });
      expect(await kind.find(testContext({ refs }))).toBeUndefined();
      expect(ec2).toHaveReceivedCommandWith(DescribeInternetGatewaysCommand, {
        Filters: [
          { Name: 'tag:lambdaflex:stack', Values: ['orders-api'] },
          { Name: 'tag:lambdaflex:component', Values: ['igw'] },
        ],
      });
    });

    it('returns undefined on InvalidInternetGatewayID.NotFound', async () => {
      ec2.on(DescribeInternetGatewaysCommand).rejects(awsError('InvalidInternetGatewayID.NotFound'));
      expect(await kind.find(testContext({ refs }))).toBeUndefined();
    });

    it('is ready when attached (Describe says "available") to the stack VPC', async () => {
      describesGateway([{ VpcId: 'vpc-1', State: 'available' as InternetGatewayAttachment['State'] }]);
      const found = await kind.find(testContext({ refs }));
      expect(found).toMatchObject({ id: 'igw-1', ready: true, attributes: { attachedVpcId: 'vpc-1' } });
      expect(found?.attributes).toEqual(kind.desiredAttributes(testSpec(), refs, DEFAULT_INTENT));
    });

    it('reports a detached gateway (crash between create and attach) as not ready', async () => {
      describesGateway([]);
      const found = await kind.find(testContext({ refs }));
      expect(found).toMatchObject({ ready: false, attributes: { attachedVpcId: undefined } });
    });

    it('does not count a detaching attachment', async () => {
      describesGateway([{ VpcId: 'vpc-1', State: 'detaching' }]);
      expect((await kind.find(testContext({ refs })))?.attributes).toEqual({ attachedVpcId: undefined });
    });
  });

  describe('create', () => {
    it('creates the gateway tagged at creation, then attaches it to the VPC', async () => {
      ec2.on(CreateInternetGatewayCommand).resolves({ InternetGateway: { InternetGatewayId: 'igw-9' } });
      ec2.on(AttachInternetGatewayCommand).resolves({});
      const created = await kind.create(testContext({ refs }));
      expect(ec2).toHaveReceivedCommandWith(CreateInternetGatewayCommand, {
        TagSpecifications: [
          {
            ResourceType: 'internet-gateway',
            Tags: [...OWN_TAGS, { Key: 'Name', Value: 'lf-orders-api-igw' }],
          },
        ],
      });
      expect(ec2).toHaveReceivedCommandWith(AttachInternetGatewayCommand, {
        InternetGatewayId: 'igw-9',
        VpcId: 'vpc-1',
      });
      expect(created).toMatchObject({ id: 'igw-9', ready: true, attributes: { attachedVpcId: 'vpc-1' } });
    });

    it('leaves the attach to update when the new gateway is not visible yet', async () => {
      ec2.on(CreateInternetGatewayCommand).resolves({ InternetGateway: { InternetGatewayId: 'igw-9' } });
      ec2.on(AttachInternetGatewayCommand).rejects(awsError('InvalidInternetGatewayID.NotFound'));
      const created = await kind.create(testContext({ refs }));
      expect(created).toMatchObject({ ready: false, attributes: { attachedVpcId: undefined } });
    });

    it("lets a just-created VPC's NotFound through, classified retryable", async () => {
      const error = awsError('InvalidVpcID.NotFound');
      ec2.on(CreateInternetGatewayCommand).resolves({ InternetGateway: { InternetGatewayId: 'igw-9' } });
      ec2.on(AttachInternetGatewayCommand).rejects(error);
      await expect(kind.create(testContext({ refs }))).rejects.toBe(error);
      expect(classify(error, kind.errors)).toBe('retryable');
    });
  });

  describe('update', () => {
    it('attaches a detached gateway', async () => {
      ec2.on(AttachInternetGatewayCommand).resolves({});
      const updated = await kind.update!(testContext({ refs }), gateway(undefined), []);
      expect(ec2).toHaveReceivedCommandWith(AttachInternetGatewayCommand, {
        InternetGatewayId: 'igw-1',
        VpcId: 'vpc-1',
      });
      expect(ec2).not.toHaveReceivedCommand(DetachInternetGatewayCommand);
      expect(updated).toMatchObject({ ready: true, attributes: { attachedVpcId: 'vpc-1' } });
    });

    it('moves a gateway attached elsewhere to the stack VPC', async () => {
      ec2.on(DetachInternetGatewayCommand).resolves({});
      ec2.on(AttachInternetGatewayCommand).resolves({});
      await kind.update!(testContext({ refs }), gateway('vpc-old'), []);
      expect(ec2).toHaveReceivedNthCommandWith(1, DetachInternetGatewayCommand, {
        InternetGatewayId: 'igw-1',
        VpcId: 'vpc-old',
      });
      expect(ec2).toHaveReceivedNthCommandWith(2, AttachInternetGatewayCommand, {
        InternetGatewayId: 'igw-1',
        VpcId: 'vpc-1',
      });
    });

    it('makes no call when attached to the stack VPC', async () => {
      await kind.update!(testContext({ refs }), gateway('vpc-1'), []);
      expect(ec2.calls()).toHaveLength(0);
    });
  });

  describe('delete', () => {
    it('detaches, then deletes', async () => {
      ec2.on(DetachInternetGatewayCommand).resolves({});
      ec2.on(DeleteInternetGatewayCommand).resolves({});
      await kind.delete(testContext({ refs }), gateway('vpc-1'));
      expect(ec2).toHaveReceivedNthCommandWith(1, DetachInternetGatewayCommand, {
        InternetGatewayId: 'igw-1',
        VpcId: 'vpc-1',
      });
      expect(ec2).toHaveReceivedNthCommandWith(2, DeleteInternetGatewayCommand, {
        InternetGatewayId: 'igw-1',
      });
    });

    it('skips the detach of a detached gateway', async () => {
      ec2.on(DeleteInternetGatewayCommand).resolves({});
      await kind.delete(testContext({ refs }), gateway(undefined));
      expect(ec2).not.toHaveReceivedCommand(DetachInternetGatewayCommand);
      expect(ec2).toHaveReceivedCommandTimes(DeleteInternetGatewayCommand, 1);
    });

    it('treats Gateway.NotAttached and InvalidInternetGatewayID.NotFound as done', async () => {
      ec2.on(DetachInternetGatewayCommand).rejects(awsError('Gateway.NotAttached'));
      ec2.on(DeleteInternetGatewayCommand).rejects(awsError('InvalidInternetGatewayID.NotFound'));
      await expect(kind.delete(testContext({ refs }), gateway('vpc-1'))).resolves.toBeUndefined();
    });

    it("rethrows the detach's DependencyViolation while public IPs are mapped, classified retryable", async () => {
      const error = awsError(
        'DependencyViolation',
        'Network vpc-1 has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.',
      );
      ec2.on(DetachInternetGatewayCommand).rejects(error);
      await expect(kind.delete(testContext({ refs }), gateway('vpc-1'))).rejects.toBe(error);
      expect(ec2).not.toHaveReceivedCommand(DeleteInternetGatewayCommand);
      expect(classify(error, kind.errors)).toBe('retryable');
    });
  });

  it.each([
    ['InvalidInternetGatewayID.NotFound', 'notFound'],
    ['Gateway.NotAttached', 'notFound'],
    ['DependencyViolation', 'retryable'],
    ['InvalidVpcID.NotFound', 'retryable'],
    ['Resource.AlreadyAssociated', 'retryable'],
    ['InternetGatewayLimitExceeded', 'terminal'],
  ])('classifies %s as %s', (code, verdict) => {
    expect(classify(awsError(code), kind.errors)).toBe(verdict);
  });
});
