/**
 * What the reconciler gives the service in either tier: the function and the task get the same
 * environment, the user's variables with LAMBDAFLEX_STACK, LAMBDAFLEX_TABLE (the table the reconciler
 * read the stack from, so that a stack kept outside the default table is read from its own) and the API
 * token's hash from api.tokenSha256, and a new hash reaches both on the next passes.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { names } from '../../spec';
import { scenario, specInput, STACK, type Scenario } from './harness';

const NAMES = names(STACK);

const FIRST = 'a1'.repeat(32);
const SECOND = 'b2'.repeat(32);

async function functionEnvironment(s: Scenario): Promise<Record<string, string>> {
  const fn = await s.clients.lambda.send(new GetFunctionCommand({ FunctionName: NAMES.lambdaFunction }));
  return fn.Configuration?.Environment?.Variables ?? {};
}

/** The environment of the task definition the ECS service runs. */
async function taskEnvironment(s: Scenario): Promise<Record<string, string>> {
  const services = await s.clients.ecs.send(
    new DescribeServicesCommand({ cluster: NAMES.cluster, services: [NAMES.service] }),
  );
  const definition = await s.clients.ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: services.services?.[0]?.taskDefinition }),
  );
  const container = definition.taskDefinition?.containerDefinitions?.[0];
  return Object.fromEntries((container?.environment ?? []).map(({ name, value }) => [name, value]));
}

describe('the service settings the reconciler passes', () => {
  it('gives the function and the task the same variables, and rotates the token hash in both', async () => {
    const s = scenario();
    await s.apply(specInput({ environment: { LOG_LEVEL: 'info' }, api: { tokenSha256: FIRST } }));
    expect((await s.settle()).at(-1)).toMatchObject({ settled: true, phase: 'Fargate' });
    // The scenario's store is not the default table `lambdaflex`: the service must be told which one.
    expect(s.store.tableName).not.toBe('lambdaflex');
    const expected = {
      LOG_LEVEL: 'info',
      LAMBDAFLEX_STACK: STACK,
      LAMBDAFLEX_TABLE: s.store.tableName,
      LAMBDAFLEX_API_TOKEN_SHA256: FIRST,
    };
    expect(await functionEnvironment(s)).toEqual(expected);
    expect(await taskEnvironment(s)).toEqual(expected);

    await s.apply(specInput({ environment: { LOG_LEVEL: 'info' }, api: { tokenSha256: SECOND } }));
    expect((await s.settle()).at(-1)).toMatchObject({ settled: true, phase: 'Fargate' });
    const rotated = { ...expected, LAMBDAFLEX_API_TOKEN_SHA256: SECOND };
    expect(await functionEnvironment(s)).toEqual(rotated);
    expect(await taskEnvironment(s)).toEqual(rotated);
  });
});
