/**
 * The load balancer's security group opens the ports of the listeners that exist: 80 always, 443 only
 * while `dns` with its certificate gives the HTTPS listener; taking `dns` away closes 443 again.
 */
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { DescribeListenersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EXAMPLE_RECORD, exampleZoneId, scenario, specInput, STACK, type Scenario } from './harness';

async function openPorts(s: Scenario): Promise<number[]> {
  const { resources } = (await s.store.get(STACK))!.status!;
  const answer = await s.clients.ec2.send(
    new DescribeSecurityGroupsCommand({ GroupIds: [resources['sg-alb']!.id] }),
  );
  return (answer.SecurityGroups?.[0]?.IpPermissions ?? []).map((p) => p.FromPort!).sort((a, b) => a - b);
}

async function listenerPorts(s: Scenario): Promise<number[]> {
  const { resources } = (await s.store.get(STACK))!.status!;
  const answer = await s.clients.elbv2.send(
    new DescribeListenersCommand({ LoadBalancerArn: resources.alb!.arn ?? resources.alb!.id }),
  );
  return (answer.Listeners ?? []).map((l) => l.Port!).sort((a, b) => a - b);
}

describe('scenario: security group ports follow the listeners', () => {
  it('opens 80 only without a certificate, 443 with one, and closes 443 when it goes', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    expect(await listenerPorts(s)).toEqual([80]);
    expect(await openPorts(s)).toEqual([80]);

    const zone = await exampleZoneId(s);
    const certificateArn = s.account.arn('acm', 'certificate/00000000-0000-4000-8000-000000000000');
    const dns = { hostedZoneId: zone, recordName: EXAMPLE_RECORD, ttlSeconds: 60, certificateArn };
    await s.apply(specInput({ mode: 'fargate', dns }));
    await s.settle();
    expect(await listenerPorts(s)).toEqual([80, 443]);
    expect(await openPorts(s)).toEqual([80, 443]);

    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    expect(await listenerPorts(s)).toEqual([80]);
    expect(await openPorts(s)).toEqual([80]);
  });
});
