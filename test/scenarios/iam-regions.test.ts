/**
 * IAM is global, stacks and bootstraps are regional. Two regions of one simulated account share one IAM:
 * the same stack name in both has two sets of roles, and deleting one region's stack, or destroying one
 * region's bootstrap, leaves the other's roles and policies alone. A stack made before role names carried
 * the region is migrated by the normal reconcile: the new role, the function moved to it; the old role,
 * shared with the regions not yet moved, is left in place.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import {
  CreateRoleCommand,
  AttachRolePolicyCommand,
  GetRoleCommand,
  ListRolesCommand,
} from '@aws-sdk/client-iam';
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { systemRoleNames } from '../../reconciler/bootstrap/names';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { runBootstrap, type BootstrapOptions } from '../../reconciler/bootstrap/run';
import { ownershipTagList } from '../../spec/names';
import { CallRecorder } from '../../aws-sim/core/call-recorder';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { stubPointInTimeRecovery } from '../reconciler/bootstrap/pitr-stub';
import { STACK, scenario, specInput, type Scenario } from './harness';

/** The stack's spec in a scenario's region: Lambda runs images from the region's own ECR only. */
const specIn = (s: Scenario) =>
  specInput({
    mode: 'lambda',
    image: `123456789012.dkr.ecr.${s.account.region}.amazonaws.com/orders-api:1.4.2`,
  });

const roleNames = async (s: ReturnType<typeof scenario>) =>
  ((await s.clients.iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName!).sort();

describe('IAM across regions of one account', () => {
  it('gives the same stack in two regions its own roles, and deleting one leaves the other', async () => {
    const east = scenario({ region: 'us-east-1' });
    const west = scenario({ region: 'eu-west-1', sameAccountAs: east.account });
    for (const s of [east, west]) {
      await s.apply(specIn(s));
      expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda' });
    }
    expect(await roleNames(east)).toEqual([
      `lf-${STACK}-lambda-role-eu-west-1`,
      `lf-${STACK}-lambda-role-us-east-1`,
    ]);

    await east.store.requestDelete(STACK);
    expect((await east.settle()).at(-1)).toMatchObject({ outcome: 'deleted' });
    expect(await roleNames(west)).toEqual([`lf-${STACK}-lambda-role-eu-west-1`]);
    // The west function still has its role, and the west stack plans nothing.
    const fn = await west.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: `lf-${STACK}-function` }),
    );
    await expect(
      west.clients.iam.send(new GetRoleCommand({ RoleName: fn.Configuration!.Role!.split('/').pop()! })),
    ).resolves.toBeDefined();
    await west.expectPlansNothing();
  });

  it('moves a stack off the account-wide role of before: new role, function moved, the old one left in place', async () => {
    const s = scenario({ region: 'us-east-1' });
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    // As code from before left it: the function runs with `lf-<stack>-lambda-role` at `/`.
    const legacy = `lf-${STACK}-lambda-role`;
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
      ],
    });
    const { Role } = await s.clients.iam.send(
      new CreateRoleCommand({
        RoleName: legacy,
        AssumeRolePolicyDocument: trust,
        Tags: ownershipTagList(STACK, 'lambda-role'),
      }),
    );
    await s.clients.iam.send(
      new AttachRolePolicyCommand({
        RoleName: legacy,
        PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      }),
    );
    s.account.advance(60_000);
    await s.clients.lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: `lf-${STACK}-function`, Role: Role!.Arn }),
    );
    // New code runs with a full observation (the snapshot of before knows nothing of the old role).
    s.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);

    s.account.recorder = new CallRecorder();
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const calls = s.account.recorder.calls.filter((c) => !c.error);
    const moved = calls.findIndex(
      (c) =>
        c.operation === 'UpdateFunctionConfiguration' &&
        String(c.input['Role']).endsWith(`lambda-role-us-east-1`),
    );
    expect(moved).toBeGreaterThanOrEqual(0);
    const touchedLegacy = calls.filter(
      (c) => c.input['RoleName'] === legacy && /^(Delete|Detach|Put|Update|Attach)/.test(c.operation),
    );
    expect(touchedLegacy).toEqual([]);
    expect(await roleNames(s)).toEqual([legacy, `lf-${STACK}-lambda-role-us-east-1`].sort());
  });

  it('never takes the role of before from a region that has not moved yet', async () => {
    const east = scenario({ region: 'us-east-1' });
    const west = scenario({ region: 'eu-west-1', sameAccountAs: east.account });
    for (const s of [east, west]) {
      await s.apply(specIn(s));
      await s.settle();
    }
    const legacy = `lf-${STACK}-lambda-role`;
    const { Role } = await east.clients.iam.send(
      new CreateRoleCommand({
        RoleName: legacy,
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
          ],
        }),
        Tags: ownershipTagList(STACK, 'lambda-role'),
      }),
    );
    east.account.advance(60_000);
    // The regions' clocks are the accounts' own: the west one too a minute past the role's creation, so
    // that Lambda there can assume it (IAM is eventually consistent; the simulator's delay is counted on
    // the clock of the region asking).
    west.account.advance(Math.max(0, east.account.now() - west.account.now()));
    // As code from before left them: both regions' functions run with the one account-wide role, and
    // only the east reconciler runs the new code (the west one has not run since, nor has its function).
    for (const s of [east, west]) {
      await s.clients.lambda.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: `lf-${STACK}-function`, Role: Role!.Arn }),
      );
    }
    east.account.advance(DEFAULT_FULL_OBSERVE_EVERY_MS);
    expect((await east.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    await east.store.requestDelete(STACK);
    expect((await east.settle()).at(-1)).toMatchObject({ outcome: 'deleted' });

    const westFunction = await west.clients.lambda.send(
      new GetFunctionCommand({ FunctionName: `lf-${STACK}-function` }),
    );
    expect(westFunction.Configuration!.Role).toBe(Role!.Arn);
    await expect(west.clients.iam.send(new GetRoleCommand({ RoleName: legacy }))).resolves.toBeDefined();
  });
});

describe('bootstrap in two regions of one account', () => {
  let east: TestDynamo;
  let west: TestDynamo;
  beforeAll(async () => {
    [east, west] = await Promise.all([startTestDynamo(), startTestDynamo()]);
    stubPointInTimeRecovery(east.client);
    stubPointInTimeRecovery(west.client);
  });
  afterAll(async () => {
    await east.stop();
    await west.stop();
  });

  it('keeps each region its own roles and policies, and --destroy in one leaves the other', async () => {
    const a = scenario({ region: 'us-east-1' });
    const b = scenario({ region: 'eu-west-1', sameAccountAs: a.account });
    const options = (
      s: ReturnType<typeof scenario>,
      db: TestDynamo,
      extra: Partial<BootstrapOptions> = {},
    ) => ({
      clients: s.clients,
      dynamodb: db.client,
      region: s.account.region,
      tableName: 'lambdaflex',
      zip: new Uint8Array(Buffer.from('PK')),
      now: () => s.account.now(),
      wait: async (ms: number) => s.account.advance(Math.max(ms, 1_000)),
      ...extra,
    });
    await runBootstrap(options(a, east));
    await runBootstrap(options(b, west));
    const system = () =>
      a.account
        .inventory()
        .filter((i) => i.type.startsWith('AWS::IAM::') && i.tags['lambdaflex:stack'] === 'lambdaflex-system');
    const ofRegion = (region: string) =>
      system()
        .filter((i) => i.name?.endsWith(region))
        .map((i) => i.name);
    const eastBefore = ofRegion('us-east-1');
    expect(eastBefore).toContain(systemRoleNames('us-east-1').reconcilerRole);
    expect(ofRegion('eu-west-1')).toContain(systemRoleNames('eu-west-1').reconcilerRole);

    // A second bootstrap of the east region changes nothing in the west, and vice versa.
    expect((await runBootstrap(options(a, east))).calls.mutating).toBe(0);

    await runBootstrap(options(b, west, { destroy: true }));
    expect(ofRegion('eu-west-1')).toEqual([]);
    expect(ofRegion('us-east-1')).toEqual(eastBefore);
    expect((await runBootstrap(options(a, east))).calls.mutating).toBe(0);
  });
});
