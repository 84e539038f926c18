/**
 * Adversary scenarios: someone else takes a name the stack needs at the worst moment, between the stack's
 * look-up and its create, with copies of the stack's tags. Copied tags are not ownership (docs/design.md,
 * safety rule 3): whatever the stack's create answered, the copy is never modified or deleted.
 */
import { CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { clientsFor } from '../../aws-sim';
import { stackRoleName } from '../../reconciler/iam/arns';
import { ownershipTagList } from '../../spec';
import { READ, type HookClient } from './call-hooks';
import { passes, scenario, specInput, STACK } from './harness';

/**
 * Right before the stack's first call of `operation` naming `name` in `field`, `plant` runs (someone else
 * creating the same name); every later change the stack's clients make naming it is recorded.
 */
function raceOn(
  client: unknown,
  operation: string,
  field: string,
  name: string,
  plant: () => Promise<void>,
): { planted: () => boolean; changes: string[] } {
  let planted = false;
  const changes: string[] = [];
  (client as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? '').replace(/Command$/, '');
      if (args.input[field] === name) {
        if (!planted && command === operation) {
          planted = true;
          await plant();
        } else if (planted && !READ.test(command)) {
          changes.push(command);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'adversaryRace', priority: 'high' },
  );
  return { planted: () => planted, changes };
}

describe('adversary: a copy with the stack’s tags takes a unique name between look-up and create', () => {
  it('an execution role made by someone else just before the stack’s CreateRole is never changed nor deleted', async () => {
    const s = scenario({ seed: 23 });
    await s.apply(specInput({ mode: 'lambda' }));
    await s.settle();

    const someoneElse = clientsFor(s.account);
    const roleName = stackRoleName(STACK, 'execution-role', s.account.region);
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
      ],
    });
    const race = raceOn(s.clients.iam, 'CreateRole', 'RoleName', roleName, async () => {
      await someoneElse.iam.send(
        new CreateRoleCommand({
          RoleName: roleName,
          AssumeRolePolicyDocument: trust,
          Description: 'made by hand, with copies of the stack tags',
          Tags: ownershipTagList(STACK, 'execution-role'),
        }),
      );
    });

    // The switch to Fargate, mid-way through which the name is taken.
    await s.apply(specInput({ mode: 'fargate' }));
    await passes(s, 40);
    expect(race.planted()).toBe(true);
    // Back to Lambda, then deleted: the Fargate tier's removal and the delete both pass by the copy.
    await s.apply(specInput({ mode: 'lambda' }));
    await passes(s, 60);
    await s.store.requestDelete(STACK);
    await passes(s, 80);

    expect(race.changes).toEqual([]);
    const kept = await someoneElse.iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(kept.Role?.Description).toBe('made by hand, with copies of the stack tags');
    const attached = await someoneElse.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
    expect(attached.AttachedPolicies ?? []).toEqual([]);
  });
});
