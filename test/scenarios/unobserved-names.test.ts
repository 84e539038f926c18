/**
 * What "could not observe" names: only the resources the stack's spec has. A VPC create whose answer a
 * crash lost leaves the VPC unknown, and with it every kind found through it; a stack without a custom
 * domain has no DNS record, and the message must not name one.
 */
import { exampleDns, exampleZoneId, scenario, specInput, STACK } from './harness';

async function afterLostVpcCreate(dns: boolean): Promise<string> {
  const s = scenario({ seed: 41, faults: { crashAfterOperation: 'CreateVpc' }, afterCrashMs: 0 });
  await s.apply(specInput({ mode: 'fargate', ...(dns ? { dns: exampleDns(await exampleZoneId(s)) } : {}) }));
  expect(await s.pass()).toBe('crashed');
  await s.pass();
  const conditions = (await s.store.get(STACK))!.status!.conditions;
  return conditions.find((c) => c.type === 'TrafficOnFargate')!.message;
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
});
