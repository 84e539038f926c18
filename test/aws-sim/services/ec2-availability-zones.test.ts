/**
 * The simulated EC2's zones, as AWS documents them: per-region lists (Tokyo has no 1b), names mapped to
 * ids per account, Local Zones listed by opt-in status, and subnets only in the account's zones.
 */
import {
  CreateSubnetCommand,
  DescribeAvailabilityZonesCommand,
  DescribeSubnetsCommand,
} from '@aws-sdk/client-ec2';
import { setAvailabilityZoneState, zonesOf } from '../../../aws-sim/services/ec2';
import { createVpc, simulatedEc2 } from './ec2-fixture';

describe('simulated EC2: Availability Zones', () => {
  it("lists us-east-1's six zones and the Local Zone opted in to, all of them with AllAvailabilityZones", async () => {
    const { ec2 } = simulatedEc2();
    const listed = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(listed.AvailabilityZones?.map((z) => [z.ZoneName, z.ZoneType, z.OptInStatus])).toEqual([
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((l) => [
        `us-east-1${l}`,
        'availability-zone',
        'opt-in-not-required',
      ]),
      ['us-east-1-atl-1a', 'local-zone', 'opted-in'],
    ]);
    const all = await ec2.send(new DescribeAvailabilityZonesCommand({ AllAvailabilityZones: true }));
    expect(all.AvailabilityZones?.at(-1)).toMatchObject({
      ZoneName: 'us-east-1-bos-1a',
      OptInStatus: 'not-opted-in',
      ZoneType: 'local-zone',
    });
  });

  it('filters by name, type and state; a zone may be impaired', async () => {
    const { account, ec2 } = simulatedEc2();
    const [first] = zonesOf(account);
    setAvailabilityZoneState(account, first!.id, 'impaired');
    const one = await ec2.send(
      new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: [first!.name] }] }),
    );
    expect(one.AvailabilityZones).toEqual([
      expect.objectContaining({ ZoneName: first!.name, ZoneId: first!.id, State: 'impaired' }),
    ]);
    const available = await ec2.send(
      new DescribeAvailabilityZonesCommand({
        Filters: [
          { Name: 'state', Values: ['available'] },
          { Name: 'zone-type', Values: ['availability-zone'] },
        ],
      }),
    );
    expect(available.AvailabilityZones?.map((z) => z.ZoneName)).toHaveLength(5);
  });

  it('offers ap-northeast-1a, 1c and 1d, and no 1b: a subnet there fails as on AWS', async () => {
    const { ec2 } = simulatedEc2({ region: 'ap-northeast-1' });
    const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(AvailabilityZones?.map((z) => z.ZoneName)).toEqual([
      'ap-northeast-1a',
      'ap-northeast-1c',
      'ap-northeast-1d',
    ]);
    expect(AvailabilityZones?.map((z) => z.ZoneId).sort()).toEqual(['apne1-az1', 'apne1-az2', 'apne1-az4']);
    const vpcId = await createVpc(ec2);
    await expect(
      ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: '10.0.0.0/24',
          AvailabilityZone: 'ap-northeast-1b',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: expect.stringContaining(
        'Value (ap-northeast-1b) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ap-northeast-1a, ap-northeast-1c, ap-northeast-1d.',
      ),
    });
  });

  it('maps zone names to ids per account: the id, not the name, is the same place everywhere', () => {
    const mappings = ['111111111111', '222222222222', '333333333333', '444444444444'].map((accountId) =>
      zonesOf({ region: 'ap-northeast-1', accountId })
        .map((z) => `${z.name}=${z.id}`)
        .join(' '),
    );
    expect(new Set(mappings).size).toBeGreaterThan(1);
    for (const mapping of mappings) expect(mapping.split(' ')).toHaveLength(3);
  });

  it('creates a subnet by zone id and answers with both name and id', async () => {
    const { account, ec2 } = simulatedEc2({ region: 'eu-west-1', accountId: '210987654321' });
    const zone = zonesOf(account).find((z) => z.id === 'euw1-az2')!;
    const vpcId = await createVpc(ec2);
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/24', AvailabilityZoneId: 'euw1-az2' }),
    );
    expect(Subnet).toMatchObject({ AvailabilityZone: zone.name, AvailabilityZoneId: 'euw1-az2' });
    const described = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'availability-zone-id', Values: ['euw1-az2'] }] }),
    );
    expect(described.Subnets?.map((s) => s.SubnetId)).toEqual([Subnet!.SubnetId]);
    await expect(
      ec2.send(
        new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZoneId: 'euw1-az9' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('refuses a subnet in a Local Zone the account did not opt in to', async () => {
    const { ec2 } = simulatedEc2();
    const vpcId = await createVpc(ec2);
    await expect(
      ec2.send(
        new CreateSubnetCommand({
          VpcId: vpcId,
          CidrBlock: '10.0.0.0/24',
          AvailabilityZone: 'us-east-1-bos-1a',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterValue' });
  });
});
