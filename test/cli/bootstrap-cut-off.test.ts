/**
 * A bootstrap in a folder whose table already holds a stack with dns (the sandbox's demo, or one applied
 * before any bootstrap): the system record it writes grants only the zones given (or kept), and a stack
 * in another zone is refused by every pass from then on. Bootstrap refuses, before writing anything,
 * naming the stack and the --hosted-zone that keeps it, unless --cut-off-stacks says it is meant; it
 * never grants a zone by itself.
 */
import { folderWithDnsStack, runCli } from './run-cli';

jest.setTimeout(120_000);

describe('bootstrap over a table holding a stack with dns', () => {
  it('refuses to cut the stack off, changes nothing, and bootstraps once the zone is given', async () => {
    const { cwd, zone } = await folderWithDnsStack();

    const refused = await runCli(cwd, ['--local', 'bootstrap']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('bootstrap would leave a stack with dns unreconciled');
    expect(refused.stderr).toContain(
      `stack orders-api: dns.hostedZoneId: ${zone} is not a hosted zone the reconciler may write in`,
    );
    expect(refused.stderr).toContain(`\`lambdaflex --local bootstrap --hosted-zone ${zone}\` adds it`);
    expect(refused.stderr).toContain('nothing changed');
    expect(refused.stdout).not.toContain('reconciler in place');
    // Nothing written: the stack's passes are not refused for its zone.
    const plan = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    // Exit 2: the plan would create the stack's resources (a refused spec is an error, 1).
    expect([plan.code, plan.stderr]).toEqual([2, '']);
    expect(plan.stdout + plan.stderr).not.toContain('is not a hosted zone');

    const kept = await runCli(cwd, ['--local', 'bootstrap', '--hosted-zone', zone]);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('reconciler in place');
    expect(kept.stdout).not.toContain('warning: stack orders-api');
    const planned = await runCli(cwd, ['--local', 'plan', 'orders-api']);
    expect([planned.code, planned.stderr]).toEqual([2, '']);
    expect(planned.stdout + planned.stderr).not.toContain('is not a hosted zone');
  });
});
