/**
 * Adversary scenario: another installation of LambdaFlex in the same account and region (another team's
 * table) has a stack of the same name. Its task definitions go to the same family (`lf-<stack>-task`: a
 * family is the account's and region's, not a table's) with the same tags, each under a nonce of its own.
 * A deregistered revision is INACTIVE: no service can be created or updated to it any more (ECS API
 * reference, DeregisterTaskDefinition), so retiring the other installation's revisions would break its
 * next rollout or rollback. The stack retires its own revisions, the ones its record proves, and only
 * those: while it edits its image again and again, and when it is deleted.
 *
 * The other installation's revisions are registered here directly, as its LambdaFlex would: through
 * LambdaFlex itself its same-named stack could not get that far in this region, since the role and cluster
 * names are the region's and it stops at a Conflict before it registers anything. Its revisions are checked
 * to stay ACTIVE (what lets a service roll out or back to them); no service of theirs is run.
 */
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { TASK_DEFINITION_REVISIONS_KEPT } from '../../reconciler/resources/ecs/task-definition';
import { ecsTags } from '../../reconciler/resources/ecs/tags';
import { RESOURCE_KEYS } from '../../reconciler/resources/keys';
import { names } from '../../spec';
import { scenario, specInput, STACK, type Scenario } from './harness';
import { listedRevisions, revisionStatus, serviceRevision } from './task-definitions';

const FAMILY = names(STACK).taskFamily;

/**
 * A revision the other installation's stack registers: the family, container and tags its LambdaFlex
 * gives it, and a nonce its own ledger journaled.
 */
async function registerTheirs(s: Scenario, n: number): Promise<string> {
  const answer = await s.account.withoutFaults(() =>
    s.clients.ecs.send(
      new RegisterTaskDefinitionCommand({
        family: FAMILY,
        cpu: '256',
        memory: '512',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        containerDefinitions: [
          {
            name: 'app',
            image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/other-team:${n}`,
            essential: true,
            portMappings: [{ containerPort: 8080, protocol: 'tcp' }],
          },
        ],
        tags: ecsTags(STACK, RESOURCE_KEYS.taskDefinition, `other-installation-${n}`),
      }),
    ),
  );
  return answer.taskDefinition!.taskDefinitionArn!;
}

/** The family read as the passes read it, meeting the seeded faults (as the test always has). */
const READ = { withoutFaults: false };
const active = (s: Scenario) => listedRevisions(s, 'ACTIVE', READ);
const statusOf = (s: Scenario, arn: string) => revisionStatus(s, arn, READ);

describe('adversary: another installation’s stack of the same name registers into the same family', () => {
  it('the stack retires only its own revisions, editing its image five times and deleted, never the other’s', async () => {
    const s = scenario({ seed: 43 });
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    const ours = [await serviceRevision(s)];
    const theirs = [await registerTheirs(s, 1)];

    for (let edit = 2; edit <= 6; edit++) {
      const image = `123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:2.0.${edit}`;
      await s.apply(specInput({ mode: 'fargate', image }));
      s.account.advance(60_000);
      await s.settle();
      ours.push(await serviceRevision(s));
      // The other team edits too: its newest revision is then the family's latest.
      theirs.push(await registerTheirs(s, edit));
    }
    s.account.advance(60_000);
    await s.settle();

    const status = (await s.store.get(STACK))!.status!;
    expect(status.conflicts ?? []).toEqual([]);
    // One revision per edit of the stack's, the service on its newest.
    expect(new Set(ours).size).toBe(6);
    expect(await serviceRevision(s)).toBe(ours.at(-1));
    // The stack keeps its newest revisions and retired its older ones; all of the other's are ACTIVE.
    const kept = ours.slice(-TASK_DEFINITION_REVISIONS_KEPT) as string[];
    expect((await active(s)).sort()).toEqual([...kept, ...theirs].sort());
    // Deregistered, then deleted (nothing runs them): gone, not left INACTIVE for ever.
    for (const arn of ours.slice(0, -TASK_DEFINITION_REVISIONS_KEPT)) {
      expect(await statusOf(s, arn!)).toBeUndefined();
    }

    await s.store.requestDelete(STACK);
    const deleting = await s.settle();
    expect(deleting.at(-1)?.outcome).toBe('deleted');
    // Every revision of the stack's is deleted (once its tasks have stopped); every one of the other's is
    // ACTIVE, as it registered it.
    s.account.advance(10 * 60_000);
    for (const arn of ours) expect(await statusOf(s, arn!)).toBeUndefined();
    expect((await active(s)).sort()).toEqual([...theirs].sort());
  });

  it('a pass dies right after registering a revision, and the other installation registers before the next: the stack’s is found by its nonce, the other’s left alone', async () => {
    const s = scenario({ seed: 47 });
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    const first = await serviceRevision(s);
    const older = await registerTheirs(s, 1);

    s.account.setFaults({ crashAfterOperation: 'RegisterTaskDefinition' });
    await s.apply(
      specInput({ mode: 'fargate', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:3' }),
    );
    let crashed = false;
    for (let i = 0; i < 20 && !crashed; i++) {
      crashed = (await s.pass()) === 'crashed';
      if (!crashed) s.account.advance(15_000);
    }
    expect(crashed).toBe(true);
    // The dead pass's revision is the family's latest for a moment; the other team's is then.
    const [ours] = (await active(s)).filter((arn) => arn !== first && arn !== older);
    const newer = await registerTheirs(s, 2);
    await s.settle();

    const status = (await s.store.get(STACK))!.status!;
    expect(status.conflicts ?? []).toEqual([]);
    // The dead pass's registration rolled out, not a second one nor the other team's.
    expect(await serviceRevision(s)).toBe(ours);
    expect((await active(s)).sort()).toEqual([first, ours, older, newer].sort());
    expect(await statusOf(s, older)).toBe('ACTIVE');

    await s.store.requestDelete(STACK);
    expect((await s.settle()).at(-1)?.outcome).toBe('deleted');
    // Both of the stack's retired and deleted, the one the dead pass registered too; neither of the other's.
    expect((await active(s)).sort()).toEqual([older, newer].sort());
    s.account.advance(10 * 60_000);
    expect(await statusOf(s, first!)).toBeUndefined();
    expect(await statusOf(s, ours!)).toBeUndefined();
  });

  it('two registrations whose answers are both lost, the first hidden from the next pass by ten of the other installation’s: both are the stack’s, and both retired with it', async () => {
    const s = scenario({ seed: 48 });
    await s.apply(specInput({ mode: 'fargate' }));
    await s.settle();
    const first = await serviceRevision(s);

    /** Passes (moving the clock) until one dies right after RegisterTaskDefinition; the revision it made. */
    const lostRegistration = async (image: string): Promise<string> => {
      const before = new Set(await active(s));
      s.account.setFaults({ crashAfterOperation: 'RegisterTaskDefinition' });
      await s.apply(specInput({ mode: 'fargate', image }));
      let crashed = false;
      for (let i = 0; i < 20 && !crashed; i++) {
        crashed = (await s.pass()) === 'crashed';
        if (!crashed) s.account.advance(15_000);
      }
      expect(crashed).toBe(true);
      const [made] = (await active(s)).filter((arn) => !before.has(arn));
      return made!;
    };

    const lostFirst = await lostRegistration('123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:3');
    // The other team registers ten before the next pass: the dead pass's revision is past the newest ones.
    const theirs: string[] = [];
    for (let n = 1; n <= 10; n++) theirs.push(await registerTheirs(s, n));
    const lostSecond = await lostRegistration('123456789012.dkr.ecr.us-east-1.amazonaws.com/orders-api:4');
    expect(lostSecond).not.toBe(lostFirst);
    await s.settle();

    const status = (await s.store.get(STACK))!.status!;
    expect(status.conflicts ?? []).toEqual([]);
    expect(await serviceRevision(s)).toBe(lostSecond);
    // Both lost registrations are the stack's in its record: the first among the earlier ones.
    const record = await s.store.get(STACK);
    expect(record?.bookkeeping?.earlier?.[RESOURCE_KEYS.taskDefinition]).toEqual(
      expect.arrayContaining([first, lostFirst]),
    );

    await s.store.requestDelete(STACK);
    expect((await s.settle()).at(-1)?.outcome).toBe('deleted');
    s.account.advance(10 * 60_000);
    // Every revision the stack registered is gone, the first lost one too; every one of the other's ACTIVE.
    for (const arn of [first, lostFirst, lostSecond]) expect(await statusOf(s, arn!)).toBeUndefined();
    expect((await active(s)).sort()).toEqual([...theirs].sort());
  });
});
