/**
 * Scenario: the stack's function role deleted by hand between two passes and made again under its name
 * by someone else, every tag copied (the creation nonce too). The role's id is its name, which the copy
 * has too; IAM gave the copy another RoleId. Tags and name are not ownership (docs/design.md, safety rule
 * 3): the copy is reported, never changed nor deleted, whatever the stack does next (its delete too).
 */
import { CreateRoleCommand, GetRoleCommand, ListAttachedRolePoliciesCommand } from '@aws-sdk/client-iam';
import { clientsFor } from '../../aws-sim';
import { DEFAULT_FULL_OBSERVE_EVERY_MS } from '../../reconciler/engine/observation-snapshot';
import { stackRoleName } from '../../reconciler/iam/arns';
import { READ, type HookClient } from './call-hooks';
import { deleteRoleByHand } from './iam-by-hand';
import { passes, passFor, scenario, specInput, STACK } from './harness';

const TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Every change the stack's IAM client makes naming `roleName`. */
function changesNaming(client: unknown, roleName: string): string[] {
  const changes: string[] = [];
  (client as HookClient).middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      if (args.input['RoleName'] === roleName && !READ.test(operation)) changes.push(operation);
      return next(args);
    },
    { step: 'initialize', name: 'changesNamingRole', priority: 'high' },
  );
  return changes;
}

it('a role made again under the stack’s role name with its tags copied is reported, never changed nor deleted', async () => {
  const s = scenario({ seed: 41 });
  await s.apply(specInput({ mode: 'lambda' }));
  expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
  const roleName = stackRoleName(STACK, 'lambda-role', s.account.region);
  const recorded = (await s.store.get(STACK))!.bookkeeping.owned?.['lambda-role'];
  expect(recorded).toMatchObject({ id: roleName, uniqueId: expect.any(String) });

  // Someone deletes the stack's role and makes one of the name, every tag copied.
  const someoneElse = clientsFor(s.account).iam;
  const ours = (await someoneElse.send(new GetRoleCommand({ RoleName: roleName }))).Role!;
  await deleteRoleByHand(someoneElse, roleName);
  const copy = await someoneElse.send(
    new CreateRoleCommand({
      RoleName: roleName,
      Path: ours.Path,
      AssumeRolePolicyDocument: TRUST,
      Description: 'made by hand, with copies of the stack tags',
      Tags: ours.Tags,
    }),
  );
  expect(copy.Role?.RoleId).not.toBe(recorded!.uniqueId);
  const changes = changesNaming(s.clients.iam, roleName);

  // IAM roles are not listed by the Tagging API: a settled stack reads them again at its next full
  // observation.
  await passFor(s, DEFAULT_FULL_OBSERVE_EVERY_MS + 60_000);
  const during = await s.store.get(STACK);
  expect(during?.status?.conflicts).toContainEqual(
    expect.objectContaining({ key: 'lambda-role', id: roleName }),
  );
  await s.store.requestDelete(STACK);
  await passes(s, 80);

  expect(changes).toEqual([]);
  const kept = await someoneElse.send(new GetRoleCommand({ RoleName: roleName }));
  expect(kept.Role).toMatchObject({ RoleId: copy.Role!.RoleId, Description: copy.Role!.Description });
  expect(decodeURIComponent(kept.Role!.AssumeRolePolicyDocument!)).toBe(TRUST);
  const left = await someoneElse.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName }));
  expect(left.AttachedPolicies ?? []).toEqual([]);
});
