/**
 * Someone else's hands on the stack's ALB, against the simulated account: the ALB deleted, and one of
 * theirs, untagged, made at its name (ALB names are unique in an account and region).
 */
import {
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  type LoadBalancer,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { clientsFor } from '../../aws-sim';
import type { Scenario } from './harness';

export const ALB_TYPE = 'AWS::ElasticLoadBalancingV2::LoadBalancer';

/** Deletes the stack's ALB as someone else's hands would, and returns it as it was (its name, its subnets). */
export async function deleteOurAlb(s: Scenario): Promise<LoadBalancer> {
  const elbv2 = clientsFor(s.account).elbv2;
  const ours = s.owned().find((i) => i.type === ALB_TYPE)!;
  const old = (await elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [ours.id] })))
    .LoadBalancers![0]!;
  await elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: ours.id }));
  return old;
}

/**
 * Makes someone else's ALB, untagged, at `old`'s name in its subnets (in its security groups too when
 * `withItsGroups`), and returns it.
 */
export async function takeItsName(
  s: Scenario,
  old: LoadBalancer,
  withItsGroups = false,
): Promise<LoadBalancer> {
  const made = await clientsFor(s.account).elbv2.send(
    new CreateLoadBalancerCommand({
      Name: old.LoadBalancerName!,
      Subnets: old.AvailabilityZones!.map((z) => z.SubnetId!),
      ...(withItsGroups ? { SecurityGroups: old.SecurityGroups! } : {}),
      Scheme: 'internet-facing',
      Type: 'application',
    }),
  );
  return made.LoadBalancers![0]!;
}
