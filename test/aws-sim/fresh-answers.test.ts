/**
 * Services marked `freshAnswers` are answered without a copy by the account, so their answers must share no
 * object with the account's state (a caller changing one would change the account) nor with each other (a
 * shared constant would carry one caller's change into another's answer). The whole reconciler builds a
 * stack's Fargate tier, with DNS, then moves it to Lambda, while every answer of those services is checked.
 */
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { SERVICE_NAMES, type ServiceName } from '../../reconciler/aws/clients';
import type { SimAccount } from '../../aws-sim';
import { ALL_SERVICES } from '../../aws-sim/services';
import { exampleDns, exampleZoneId, scenario, specInput, STACK } from '../scenarios/harness';

const FRESH = new Set(ALL_SERVICES.filter((service) => service.freshAnswers).map((service) => service.name));

/** Every object reachable from `root`. */
function objectsOf(root: unknown, into = new Set<object>()): Set<object> {
  if (root === null || typeof root !== 'object' || into.has(root)) return into;
  into.add(root);
  for (const value of Object.values(root)) objectsOf(value, into);
  return into;
}

/** Paths in `answer` to objects that are also in `elsewhere`. */
function sharedPaths(answer: unknown, elsewhere: Set<object>, path: string, found: string[] = []): string[] {
  if (answer === null || typeof answer !== 'object') return found;
  if (elsewhere.has(answer)) found.push(path);
  else
    for (const [key, value] of Object.entries(answer)) sharedPaths(value, elsewhere, `${path}.${key}`, found);
  return found;
}

/** Records, for every answer of a fresh-answers service, what it shares with the state or earlier answers. */
function watchAnswers(account: SimAccount): { checked: Set<ServiceName>; shared: string[] } {
  const checked = new Set<ServiceName>();
  const shared: string[] = [];
  const answered = new Set<object>();
  const callNow = account.callNow.bind(account);
  account.callNow = (service, operation, input) => {
    const answer = callNow(service, operation, input);
    if (FRESH.has(service)) {
      checked.add(service);
      const state = new Set<object>();
      for (const name of SERVICE_NAMES) objectsOf(account.stateOf(name), state);
      shared.push(...sharedPaths(answer, state, `${service}:${operation} (state)`));
      shared.push(...sharedPaths(answer, answered, `${service}:${operation} (earlier answer)`));
      objectsOf(answer, answered);
    }
    return answer;
  };
  return { checked, shared };
}

describe('fresh answers', () => {
  it('share no object with the account or with one another, from Fargate with DNS to Lambda', async () => {
    const zone = await exampleZoneId(scenario());
    const s = scenario();
    const watched = watchAnswers(s.account);
    const dns = exampleDns(zone);
    await s.apply(specInput({ mode: 'fargate', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ settled: true });
    await s.apply(specInput({ mode: 'lambda', dns }));
    expect((await s.settle()).at(-1)).toMatchObject({ settled: true });
    expect(watched.shared).toEqual([]);
    // Every service marked fresh was asked something (a new one needs this scenario to reach it).
    expect([...watched.checked].sort()).toEqual([...FRESH].sort());
  });

  it('an answer changed by its caller leaves the account as it was', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    const resources = (await s.store.get(STACK))!.status!.resources;
    const [cluster, service] = [resources.cluster, resources.service].map((r) => r!.arn ?? r!.id);
    const ask = () => s.clients.ecs.send(new DescribeServicesCommand({ cluster, services: [service!] }));
    const first = await ask();
    const before = JSON.stringify(first.services);
    const answer = first.services![0]!;
    answer.desiredCount = 99;
    answer.loadBalancers!.push({ containerName: 'x', containerPort: 1 });
    answer.networkConfiguration!.awsvpcConfiguration!.subnets!.length = 0;
    answer.deployments![0]!.status = 'changed';
    const again = await ask();
    expect(JSON.stringify(again.services)).toBe(before);
  });
});
