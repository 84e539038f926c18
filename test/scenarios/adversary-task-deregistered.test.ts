/**
 * Adversary scenario: someone deregisters by hand the task definition revision the stack's service runs
 * (a clean-up script, a console click). The revision is INACTIVE: the running tasks go on, but no service
 * can be updated to it and no new task started from it (DeregisterTaskDefinition, ECS API reference), and
 * an INACTIVE revision stays in the account for ever unless deleted (DeleteTaskDefinitions takes only
 * INACTIVE ones). The stack registers a new revision and rolls out to it; the one deregistered is still
 * the stack's (its record proves it), so it is deleted with the rest rather than left INACTIVE for ever.
 */
import { DeregisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { scenario, specInput, STACK, type Scenario } from './harness';
import { revisionStatus, serviceRevision } from './task-definitions';

/** The family read around the seeded faults: the test's reads use none of them up. */
const READ = { withoutFaults: true };
const statusOf = (s: Scenario, arn: string) => revisionStatus(s, arn, READ);

describe('adversary: the revision the stack’s service runs is deregistered by hand', () => {
  it('the stack rolls out a new revision, and the deregistered one is deleted, not left INACTIVE for ever', async () => {
    const s = scenario({ seed: 53 });
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const first = (await serviceRevision(s))!;
    expect(await statusOf(s, first)).toBe('ACTIVE');

    await s.account.withoutFaults(() =>
      s.clients.ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: first })),
    );
    expect(await statusOf(s, first)).toBe('INACTIVE');
    s.account.advance(60_000);
    const passes = await s.settle();
    expect(passes.at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const status = (await s.store.get(STACK))!.status!;
    expect(status.conflicts ?? []).toEqual([]);

    // A new revision, ACTIVE, that the service runs.
    const now = (await serviceRevision(s))!;
    expect(now).not.toBe(first);
    expect(await statusOf(s, now)).toBe('ACTIVE');
    // The one deregistered is the stack's, proven by its record: deleted once its tasks are gone.
    s.account.advance(10 * 60_000);
    await s.settle();
    expect(await statusOf(s, first)).toBeUndefined();
  });
});
