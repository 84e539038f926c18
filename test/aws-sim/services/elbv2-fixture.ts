/** An ALB, an `ip` target group and an HTTP listener forwarding to it, through the real ELBv2 commands. */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { SimulatedAws } from '../../../aws-sim';
import type { Network } from './network-fixture';

export interface LoadBalancing {
  loadBalancerArn: string;
  targetGroupArn: string;
  listenerArn: string;
}

export async function createTargetGroup(sim: SimulatedAws, network: Network, name = 'tg-web', extra = {}) {
  const out = await sim.clients.elbv2.send(
    new CreateTargetGroupCommand({
      Name: name,
      Protocol: 'HTTP',
      Port: 8080,
      VpcId: network.vpcId,
      TargetType: 'ip',
      HealthCheckPath: '/health',
      ...extra,
    }),
  );
  return out.TargetGroups![0].TargetGroupArn!;
}

export async function createLoadBalancer(sim: SimulatedAws, network: Network, name = 'alb-web') {
  const out = await sim.clients.elbv2.send(
    new CreateLoadBalancerCommand({
      Name: name,
      Subnets: network.subnetIds,
      SecurityGroups: [network.albGroupId],
      Tags: [{ Key: 'lambdaflex:stack', Value: 'web' }],
    }),
  );
  return out.LoadBalancers![0].LoadBalancerArn!;
}

export async function createLoadBalancing(
  sim: SimulatedAws,
  network: Network,
  targetGroupExtra: Record<string, unknown> = {},
): Promise<LoadBalancing> {
  const loadBalancerArn = await createLoadBalancer(sim, network);
  const targetGroupArn = await createTargetGroup(sim, network, 'tg-web', targetGroupExtra);
  const listener = await sim.clients.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: loadBalancerArn,
      Protocol: 'HTTP',
      Port: 80,
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    }),
  );
  return { loadBalancerArn, targetGroupArn, listenerArn: listener.Listeners![0].ListenerArn! };
}
