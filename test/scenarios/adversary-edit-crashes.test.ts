/**
 * Adversary: the crash sweep of an edit. The sweeps so far build a tier, tear it down or delete the stack
 * (faults.test.ts, lambda-tier-faults.test.ts, adversary-crash-drain.test.ts); this one edits a settled
 * Fargate stack with DNS in one spec write: a new image (a new task definition revision rolled out by ECS,
 * the function's code updated, older revisions retired), a new environment, a rotated API token and
 * another record name (a new custom domain, its mapping, the records and TXT written at the new name, the
 * old name's records, TXT and domain removed). The reconciler dies right after any AWS call or record
 * write of it, and the next pass comes at the same simulated instant or later: the end state must be the
 * fault-free run's, every resource of the account by type (no duplicate, nothing left behind), every record
 * set of the zone, the function's image and variables, and the image the service runs.
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { names } from '../../spec/names';
import type { DesiredStateInput } from '../../spec/types';
import { resumeAfterCrash, snapshotEachCall } from './crash-sweep';
import { byType, exampleDns, exampleZoneId, scenario, specInput, STACK, type Scenario } from './harness';

const AFTER_CRASH_MS = [0, 5_000];
const NEW_IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:1.5.0';
const NEW_RECORD = 'orders.example.test';

async function specs(s: Scenario): Promise<{ before: DesiredStateInput; after: DesiredStateInput }> {
  const zone = await exampleZoneId(s);
  const before = specInput({
    mode: 'fargate',
    dns: exampleDns(zone),
    environment: { DATABASE_URL: 'postgres://db-1/orders' },
    api: { tokenSha256: 'a'.repeat(64) },
  });
  const after = specInput({
    image: NEW_IMAGE,
    mode: 'fargate',
    dns: exampleDns(zone, NEW_RECORD),
    environment: { DATABASE_URL: 'postgres://db-2/orders', FEATURE: 'on' },
    api: { tokenSha256: 'b'.repeat(64) },
  });
  return { before, after };
}

/** What an edit is judged by: the account by type, the zone's record sets, and what the tiers run. */
async function endState(s: Scenario) {
  const zone = await exampleZoneId(s);
  const sets = await s.clients.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zone }));
  const fn = await s.clients.lambda.send(
    new GetFunctionConfigurationCommand({ FunctionName: names(STACK).lambdaFunction }),
  );
  const [service] =
    (
      await s.clients.ecs.send(
        new DescribeServicesCommand({
          cluster: names(STACK).cluster,
          services: [names(STACK).service],
        }),
      )
    ).services ?? [];
  const taskDefinition = service?.taskDefinition
    ? (
        await s.clients.ecs.send(
          new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }),
        )
      ).taskDefinition
    : undefined;
  const container = taskDefinition?.containerDefinitions?.[0];
  return {
    types: byType(s.account.inventory()),
    records: (sets.ResourceRecordSets ?? [])
      .map(
        (set) =>
          `${set.Name} ${set.Type}${set.SetIdentifier ? ` ${set.SetIdentifier}` : ''} ${set.Weight ?? ''}`,
      )
      .sort(),
    functionVariables: fn.Environment?.Variables,
    serviceImage: container?.image,
    serviceVariables: Object.fromEntries((container?.environment ?? []).map((e) => [e.name, e.value])),
  };
}

describe('adversary: a crash right after any call of an edit of a Fargate stack with DNS', () => {
  it('ends in the fault-free run’s state: one of each, the new name only, the new image and variables', async () => {
    const s = scenario({ seed: 61 });
    const { before, after } = await specs(s);
    await s.apply(before);
    await s.settle();
    const edit = await snapshotEachCall(s, async () => {
      await s.apply(after);
      await s.settle();
    });
    const expected = await endState(s);
    expect(expected.serviceImage).toBe(NEW_IMAGE);
    expect(expected.records.filter((r) => r.includes('api.example.test'))).toEqual([]);
    expect(expected.functionVariables).toMatchObject({
      FEATURE: 'on',
      LAMBDAFLEX_API_TOKEN_SHA256: 'b'.repeat(64),
    });
    // Every change of the edit is a crash point: the sweep covers them all.
    expect(edit.map((e) => e.operation)).toEqual(
      expect.arrayContaining([
        'UpdateFunctionConfiguration',
        'RegisterTaskDefinition',
        'UpdateService',
        'UpdateFunctionCode',
        'DeleteApiMapping',
        'DeleteDomainName',
        'CreateDomainName',
        'CreateApiMapping',
        'ChangeResourceRecordSets',
      ]),
    );
    const failures: unknown[] = [];
    for (const snapshot of edit) {
      for (const afterCrashMs of AFTER_CRASH_MS) {
        const crash = { k: snapshot.index, operation: snapshot.operation, afterCrashMs };
        const r = resumeAfterCrash(snapshot, { seed: 61, afterCrashMs });
        const passes = await r.settle();
        const got = { ...(await endState(r)), phase: passes.at(-1)?.phase };
        if (JSON.stringify(got) !== JSON.stringify({ ...expected, phase: 'Fargate' })) {
          failures.push({ ...crash, got });
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
