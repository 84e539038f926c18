/**
 * What "could not observe" names: only the resources the stack's spec has. A VPC create whose answer a
 * crash lost leaves the VPC unknown, and with it every kind found through it; a stack without a custom
 * domain has no DNS record, and the message must not name one.
 */
import { exampleDns, exampleZoneId, scenario, specInput, STACK } from './harness';

async function lostVpcCreate(dns: boolean) {
  const s = scenario({ seed: 41, faults: { crashAfterOperation: 'CreateVpc' }, afterCrashMs: 0 });
  await s.apply(specInput({ mode: 'fargate', ...(dns ? { dns: exampleDns(await exampleZoneId(s)) } : {}) }));
  expect(await s.pass()).toBe('crashed');
  const result = await s.pass();
  if (result === 'crashed') throw new Error('crashed again');
  const conditions = (await s.store.get(STACK))!.status!.conditions;
  return { message: conditions.find((c) => c.type === 'TrafficOnFargate')!.message, plan: result.plan! };
}

async function afterLostVpcCreate(dns: boolean): Promise<string> {
  return (await lostVpcCreate(dns)).message;
}

describe('a crash-lost VPC create, then the next pass at once', () => {
  it('on a stack without a custom domain: names the ALB, target group and service, no DNS record', async () => {
    expect(await afterLostVpcCreate(false)).toBe(
      'holding traffic at Fargate 0 %: could not observe alb, tg, service',
    );
  });

  it('on a stack with a custom domain: names its Fargate record too', async () => {
    expect(await afterLostVpcCreate(true)).toBe(
      'holding traffic at Fargate 0 %: could not observe alb, tg, service, dns-fargate',
    );
  });

  it('says of a resource the spec does not have, looked for in case one is left, that the spec does not want it', async () => {
    const { plan } = await lostVpcCreate(false);
    const reasons = Object.fromEntries(plan.steps.map((step) => [step.id, step.reason]));
    const unwanted =
      'could not be observed; not wanted by the spec, so waiting for a clean look-up in case one is left';
    expect(reasons['wait:dns-fargate']).toBe(unwanted);
    expect(reasons['wait:listener-https']).toBe(unwanted);
    // The spec's own resources say only that.
    expect(reasons['wait:alb']).toBe('could not be observed');
  });
});
