/**
 * Adversary scenario: ECS's ListTaskDefinitions lags (a stale replica, a page lost) and leaves out the
 * revision the stack's service runs for longer than the not-found window. The stack forgets it, registers
 * a new revision and rolls out to it; then the list shows the old one again, still ACTIVE. It is the
 * stack's (its record proves it): it must end up retired with the stack's other earlier revisions, never
 * left ACTIVE and unrecorded in the family, nor taken for someone else's.
 */
import { CONSISTENCY_WINDOW_MS } from '../../reconciler/engine/ownership';
import type { HookClient } from './call-hooks';
import { passFor, scenario, type Scenario, specInput, STACK } from './harness';
import { listedRevisions, serviceRevision, type RevisionStatus } from './task-definitions';

const listed = (s: Scenario, status: RevisionStatus) => listedRevisions(s, status, { withoutFaults: true });

describe('adversary: the family’s listing leaves out the revision in use past the not-found window', () => {
  it('seen again, it is retired as one of the stack’s, not left ACTIVE and unrecorded', async () => {
    const s = scenario({ seed: 57 });
    let hidden: string | undefined;
    let missed = 0;
    (s.clients.ecs as unknown as HookClient).middlewareStack.add(
      (next, context) => async (args) => {
        const result = (await next(args)) as { output: { taskDefinitionArns?: string[] } };
        if (hidden && context.commandName === 'ListTaskDefinitionsCommand') {
          const arns = result.output.taskDefinitionArns ?? [];
          if (arns.includes(hidden)) missed++;
          result.output.taskDefinitionArns = arns.filter((arn) => arn !== hidden);
        }
        return result;
      },
      { step: 'initialize', name: 'staleListing', priority: 'high' },
    );
    await s.apply(specInput({ mode: 'fargate' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const first = (await serviceRevision(s))!;

    hidden = first;
    await s.apply(specInput({ mode: 'fargate', fargate: { ...specInput().fargate!, maxTasks: 5 } }));
    await passFor(s, 2 * CONSISTENCY_WINDOW_MS);
    hidden = undefined;
    expect(missed).toBeGreaterThan(2);

    s.account.advance(60_000);
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Fargate', settled: true });
    const record = (await s.store.get(STACK))!;
    expect(record.status?.conflicts ?? []).toEqual([]);
    const inUse = (await serviceRevision(s))!;
    expect(record.bookkeeping.owned?.['task-definition']?.id).toBe(inUse);
    // Every ACTIVE revision of the family is the stack's recorded one: in use, or an earlier one kept for
    // a rollback and retired in turn. The one the listing hid is among them if still ACTIVE.
    const recorded = [inUse, ...(record.bookkeeping.earlier?.['task-definition'] ?? [])];
    const active = await listed(s, 'ACTIVE');
    expect(active.filter((arn) => !recorded.includes(arn))).toEqual([]);
    if (active.includes(first)) expect(recorded).toContain(first);
    // The stack deleted: nothing of the family left ACTIVE or INACTIVE.
    await s.store.requestDelete(STACK);
    expect((await s.settle()).at(-1)?.outcome).toBe('deleted');
    s.account.advance(10 * 60_000);
    expect(await listed(s, 'ACTIVE')).toEqual([]);
    expect(await listed(s, 'INACTIVE')).toEqual([]);
  });
});
