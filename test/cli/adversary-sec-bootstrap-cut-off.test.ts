/**
 * Adversary (security): a bootstrap that takes a zone away from records a stack still holds there, not
 * told. Bootstrap refuses to cut a stack off unasked (docs/security.md, "A zone taken away from a live
 * stack": before it writes anything it reads the stacks and stops when the zones it would grant no longer
 * allow one's dns), because records the policy then installed no longer lets the reconciler write stay in
 * the zone for good, and the stack is held: nothing created, changed or deleted, nothing watching its
 * traffic. Its check reads each stack's current spec only (cli/commands/bootstrap-stacks.ts), so two
 * stacks holding records in the zone pass it unseen:
 *
 * - one whose deletion was asked for: it is deleted from the spec it was last reconciled with, which names
 *   the zone (docs/design.md "A stack being deleted"); the check skips every stack being deleted. Its
 *   records, then its deletion, are held until the zone is given back;
 * - one whose spec no longer has the `dns` its records were written for (a spec written since, by `apply`
 *   or by the token holder's PUT, and not reconciled yet): its records are left at the old name, which the
 *   reconciler then may not remove (the status names them).
 *
 * Either way a `bootstrap` that no longer gives the name (here the zone kept for another name only)
 * should stop, name the stack and change nothing, as it does for a stack whose current spec names it
 * (the first test, and bootstrap-cut-off). Found: it bootstrapped without a word (exit 0). Fixed: the check
 * reads every name the stack's pass checks (reconciler/pass/load.ts `heldDnsNames`).
 */
import { folderWithDnsStack, IMAGE, runCli, writeFile } from './run-cli';

jest.setTimeout(180_000);

/** A folder whose stack orders-api is built with its dns records in the zone bootstrap granted. */
async function builtWithDns(): Promise<{ cwd: string; narrowed: string }> {
  const { cwd, zone } = await folderWithDnsStack();
  const granted = await runCli(cwd, ['--local', 'bootstrap', '--hosted-zone', zone]);
  if (granted.code !== 0) throw new Error(`bootstrap with the zone failed: ${granted.stderr}`);
  const built = await runCli(cwd, ['--local', 'reconcile', 'orders-api', '--until-settled']);
  if (built.code !== 0) throw new Error(`the stack did not settle: ${built.stderr}`);
  const records = await runCli(cwd, ['--local', 'sim', 'resources', '--json']);
  // Its weighted record is in the zone (and its ownership TXT beside it).
  expect(records.stdout).toContain('orders-api.example.test');
  // The bootstrap that takes the stack's name away: the zone kept, for another name only.
  return { cwd, narrowed: `${zone}=other.example.test` };
}

/** `bootstrap` granting `narrowed` only: refused, naming the stack, with nothing changed. */
async function expectRefused(cwd: string, narrowed: string): Promise<void> {
  const cut = await runCli(cwd, ['--local', 'bootstrap', '--hosted-zone', narrowed]);
  expect(cut.code).toBe(1);
  expect(cut.stderr).toContain('stack orders-api');
  // The name taken away, as its pass would refuse it, and the bootstrap that gives it back.
  expect(cut.stderr).toContain('orders-api.example.test is not a name the reconciler may write in');
  expect(cut.stderr).toContain("orders-api.example.test'` adds it");
  expect(cut.stderr).toContain('nothing changed');
}

describe('adversary (security): bootstrap taking a zone from records a stack still holds', () => {
  it('refuses for a live stack whose spec names the name (the check as it is)', async () => {
    const { cwd, narrowed } = await builtWithDns();
    await expectRefused(cwd, narrowed);
  });

  it('refuses for a stack whose deletion was asked for, deleted from a spec naming the zone (was: cut off without a word)', async () => {
    const { cwd, narrowed } = await builtWithDns();
    const deleted = await runCli(cwd, ['--local', 'delete', 'orders-api']);
    expect(deleted.code).toBe(0);
    // Found: exit 0, and the deletion's next pass is refused (`dns.recordName: orders-api.example.test is
    // not a name the reconciler may write in …`): the records, the API, the function and the record stay.
    await expectRefused(cwd, narrowed);
  });

  it('refuses for a stack whose spec dropped dns, its records still at the old name (was: cut off without a word)', async () => {
    const { cwd, narrowed } = await builtWithDns();
    const withoutDns = writeFile(cwd, 'orders-api-no-dns.json', {
      stack: 'orders-api',
      image: IMAGE,
      mode: 'lambda',
    });
    const applied = await runCli(cwd, ['--local', 'apply', '-f', withoutDns]);
    expect(applied.code).toBe(0);
    await expectRefused(cwd, narrowed);
  });
});
