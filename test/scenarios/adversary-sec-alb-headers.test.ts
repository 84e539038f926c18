/**
 * Adversary (security): request smuggling through the Fargate tier's load balancer. An Application Load
 * Balancer forwards header fields whose names are not valid (anything outside `[-A-Za-z0-9]+`) to its
 * targets unless `routing.http.drop_invalid_header_fields.enabled` is true, and that attribute is false by
 * default (Elastic Load Balancing's load balancer attributes; AWS Config's
 * alb-http-drop-invalid-header-enabled and Security Hub's ELB.4 flag every load balancer that keeps it
 * false: such headers are what HTTP desync and header-smuggling attacks send). The reconciler makes the
 * stack's internet-facing load balancer with the defaults and never sets its attributes, so every
 * stack's tasks (the service's own API and the user's routes) get whatever an anonymous caller sends.
 * Found: the stack’s ALB, settled on Fargate, kept the attribute false. Now set after the create and
 * restored by a full observation (docs/security.md, "Headers").
 */
import { DescribeLoadBalancerAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { scenario, settledOnFargate, STACK } from './harness';

describe('adversary (security): the stack’s load balancer and invalid header fields', () => {
  it('the stack’s ALB drops header fields whose names are not valid (drop_invalid_header_fields true)', async () => {
    const s = scenario();
    await settledOnFargate(s);
    const alb = (await s.store.get(STACK))!.bookkeeping.owned?.alb?.id;
    expect(alb).toBeDefined();
    const { Attributes } = await s.clients.elbv2.send(
      new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: alb }),
    );
    const drop = Attributes?.find((a) => a.Key === 'routing.http.drop_invalid_header_fields.enabled');
    expect(drop?.Value).toBe('true');
  });
});
