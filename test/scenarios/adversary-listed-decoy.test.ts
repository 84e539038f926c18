/**
 * Adversary scenario: only the stack's own forgotten pairs may keep it unsettled (docs/ownership.md,
 * "Forgotten, then seen again"). The Tagging API never lists IAM roles ("GetResources does not currently
 * support IAM users and roles"), and a role's id is its name. Someone deletes the stack's Lambda role by
 * hand (the stack forgets it, keeping its pair) and tags any resource of their own whose ARN ends in that
 * name (an ECS cluster named like it) with the stack's tag: the stack's deletion must still finish, not
 * wait for the hour a listed forgotten resource holds it. Nor a resource named after the id of an API
 * the stack forgot (deleted by hand, made again): its ARN ends in the id, but it is no API.
 */
import { DeleteApiCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateClusterCommand } from '@aws-sdk/client-ecs';
import { clientsFor } from '../../aws-sim';
import { names } from '../../spec/names';
import { scenario, specInput, STACK } from './harness';
import { deleteRoleByHand } from './iam-by-hand';

describe('adversary: a decoy listed with the stack’s tag, its ARN ending in a forgotten role’s name', () => {
  it('does not keep the stack’s deletion from finishing', async () => {
    const s = scenario({ seed: 911 });
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    // The role's name, as the stack made it (its region appended).
    const role = s.account.inventory().find((item) => item.type === 'AWS::IAM::Role')!.id;
    expect(role.startsWith(names(STACK).lambdaRole)).toBe(true);

    await deleteRoleByHand(clientsFor(s.account).iam, role);
    await clientsFor(s.account).ecs.send(
      new CreateClusterCommand({
        clusterName: role,
        tags: [
          { key: 'lambdaflex:stack', value: STACK },
          { key: 'lambdaflex:managed-by', value: 'lambdaflex' },
        ],
      }),
    );
    await s.store.requestDelete(STACK);

    const start = s.account.now();
    let passes = 0;
    while ((await s.store.get(STACK)) !== undefined && s.account.now() - start < 30 * 60_000) {
      const result = await s.pass();
      passes += 1;
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    // Deleted well before the hour a listed forgotten resource holds a stack, the decoy left alone.
    expect(await s.store.get(STACK)).toBeUndefined();
    expect(passes).toBeGreaterThan(1);
    expect(
      s.account.inventory().filter((item) => item.id.endsWith(role) || item.arn?.endsWith(role)),
    ).not.toEqual([]);
  });

  it('named after a forgotten API id, does not keep the stack’s deletion from finishing', async () => {
    const s = scenario({ seed: 915 });
    await s.apply(specInput({ mode: 'lambda' }));
    expect((await s.settle()).at(-1)).toMatchObject({ phase: 'Lambda', settled: true });
    const api = (await s.store.get(STACK))!.bookkeeping.owned!['http-api']!.id;

    // Deleted by hand: missed, forgotten (its pair kept) and made again.
    await clientsFor(s.account).apigatewayv2.send(new DeleteApiCommand({ ApiId: api }));
    for (let i = 0; i < 100; i++) {
      const record = (await s.store.get(STACK))!;
      const remade = record.bookkeeping.owned?.['http-api']?.id;
      if (remade && remade !== api && record.bookkeeping.forgotten?.['http-api']) break;
      const result = await s.pass();
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect((await s.store.get(STACK))!.bookkeeping.forgotten?.['http-api']?.map((p) => p.id)).toContain(api);

    await clientsFor(s.account).ecs.send(
      new CreateClusterCommand({ clusterName: api, tags: [{ key: 'lambdaflex:stack', value: STACK }] }),
    );
    await s.store.requestDelete(STACK);
    const start = s.account.now();
    while ((await s.store.get(STACK)) !== undefined && s.account.now() - start < 30 * 60_000) {
      const result = await s.pass();
      s.account.advance(result === 'crashed' ? 5_000 : Math.max(5_000, result.requeueAfterMs ?? 15_000));
    }
    expect(await s.store.get(STACK)).toBeUndefined();
    expect(s.owned().map((item) => item.id)).toEqual([api]);
  });
});
