/**
 * Every change of the task makes a new revision; superseded ones are deregistered and deleted, keeping the
 * newest few for rollback, so a stack's family grows neither an ACTIVE nor an INACTIVE revision per edit
 * for ever.
 */
import { DescribeServicesCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { TASK_DEFINITION_REVISIONS_KEPT } from '../../reconciler/resources/ecs/task-definition';
import { names } from '../../spec';
import { scenario, specInput, STACK } from './harness';

async function revisions(
  s: ReturnType<typeof scenario>,
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS',
) {
  const answer = await s.clients.ecs.send(
    new ListTaskDefinitionsCommand({ familyPrefix: names(STACK).taskFamily, status, sort: 'ASC' }),
  );
  return (answer.taskDefinitionArns ?? []).map((arn) => Number(arn.slice(arn.lastIndexOf(':') + 1)));
}

describe('scenario: task definition revisions', () => {
  it(`keeps the newest ${TASK_DEFINITION_REVISIONS_KEPT} ACTIVE after five image edits, the service on the newest`, async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    for (let edit = 2; edit <= 6; edit++) {
      const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:2.0.${edit}`;
      await s.apply(specInput({ mode: 'fargate', image }));
      s.account.advance(60_000);
      await s.settle();
    }
    expect(await revisions(s, 'ACTIVE')).toEqual([4, 5, 6]);
    // Deregistered, then deleted: nothing runs them, so ECS has removed them (not left INACTIVE for ever).
    expect(await revisions(s, 'INACTIVE')).toEqual([]);
    expect(await revisions(s, 'DELETE_IN_PROGRESS')).toEqual([]);
    const { resources } = (await s.store.get(STACK))!.status!;
    const described = await s.clients.ecs.send(
      new DescribeServicesCommand({ cluster: resources.cluster!.id, services: [resources.service!.id] }),
    );
    expect(described.services?.[0]?.taskDefinition).toMatch(/:6$/);
  });

  it('deletes every revision with the Fargate tier', async () => {
    const s = scenario();
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    await s.apply(
      specInput({ mode: 'fargate', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:2' }),
    );
    await s.settle();
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();
    expect(await revisions(s, 'ACTIVE')).toEqual([]);
    s.account.advance(10 * 60_000);
    expect(await revisions(s, 'INACTIVE')).toEqual([]);
    expect(await revisions(s, 'DELETE_IN_PROGRESS')).toEqual([]);
  });

  it.each([0, 5_000])(
    'a crash right after an image edit registered its revision (next pass after %i ms): the revision is the stack’s, rolled out',
    async (afterCrashMs) => {
      const s = scenario({ afterCrashMs });
      await s.apply(specInput({ mode: 'fargate' }));
      await s.settle();
      s.account.setFaults({ crashAfterOperation: 'RegisterTaskDefinition' });
      const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:2.1.0';
      await s.apply(specInput({ mode: 'fargate', image }));
      const passes = await s.settle();
      expect(passes.at(-1)?.phase).toBe('Fargate');
      const status = (await s.store.get(STACK))!.status!;
      expect(status.conflicts ?? []).toEqual([]);
      // One revision for the edit: the dead pass's, not a second one.
      expect(await revisions(s, 'ACTIVE')).toEqual([1, 2]);
      const described = await s.clients.ecs.send(
        new DescribeServicesCommand({
          cluster: status.resources.cluster!.id,
          services: [status.resources.service!.id],
        }),
      );
      expect(described.services?.[0]?.taskDefinition).toMatch(/:2$/);
    },
  );
});
