import { existsSync, rmSync } from 'node:fs';
import type { Command } from 'commander';
import { createSimulatedAws } from '../../aws-sim';
import { simulatedAccountFile } from '../aws';
import type { CliContext } from '../context';
import { parseDuration } from '../duration';
import { CliError } from '../io';
import { renderTable } from '../render';
import { clock } from '../stack-view';
import { helpAfter } from '../help-text';
import { LOCAL_REGION } from '../local';

/** The longest `sim advance`: the account steps minute by minute, and 31 days take about a second. */
const MAX_ADVANCE_MS = 744 * 3_600_000;

export function register(program: Command, ctx: CliContext): void {
  const sim = program
    .command('sim')
    .description('Inspect or reset the simulated AWS account of the local sandbox (needs --local).')
    .addHelpText(
      'after',
      helpAfter(`
The simulated account lives in .lambdaflex/sim.json and is shared by every --local command.

Examples:
  $ lambdaflex --local sim resources
  $ lambdaflex --local sim calls --json
  $ lambdaflex --local sim advance 10m
  $ lambdaflex --local sim reset`),
    );

  /** `readOnly`: the command only looks, so the account is not saved (nor created) after it. */
  const account = (access: { readOnly?: boolean } = {}) => {
    if (!ctx.options.local) throw new CliError(['sim commands work on the local sandbox only: add --local']);
    return ctx.openAws(access).account!;
  };

  sim
    .command('resources')
    .description(
      'List every resource in the simulated account, one row each: stack (its lambdaflex:stack tag), type, state, name and id.',
    )
    .option('--json', 'an array of { type, id, name, arn, state, tags }, every tag included')
    .action((options: { json?: boolean }) => {
      const items = account({ readOnly: true }).inventory();
      if (options.json) {
        ctx.out(
          JSON.stringify(
            items.map(({ type, id, name, arn, state, tags }) => ({ type, id, name, arn, state, tags })),
            null,
            2,
          ),
        );
        return;
      }
      if (items.length === 0) {
        ctx.out(
          `the simulated account holds no resources; \`${ctx.command('reconcile STACK')}\` builds some`,
        );
        return;
      }
      const rows = items.map((item) => [
        item.tags['lambdaflex:stack'] ?? '-',
        item.type,
        item.state ?? '-',
        item.name ?? '-',
        item.id,
      ]);
      ctx.out(renderTable(['STACK', 'TYPE', 'STATE', 'NAME', 'ID'], rows));
    });

  sim
    .command('calls')
    .description('Count the API calls the simulated account answered, by service and operation.')
    .option('--json', 'an array of { service, operation, mutating, count }')
    .action((options: { json?: boolean }) => {
      const counts = account({ readOnly: true })
        .callCounts()
        .sort((a, b) => b.count - a.count);
      if (options.json) {
        ctx.out(JSON.stringify(counts, null, 2));
        return;
      }
      const total = counts.reduce((sum, c) => sum + c.count, 0);
      const mutating = counts.filter((c) => c.mutating).reduce((sum, c) => sum + c.count, 0);
      ctx.out(`${total} calls, ${mutating} mutating`);
      for (const c of counts)
        ctx.out(
          `  ${String(c.count).padStart(6)}  ${c.service}:${c.operation}${c.mutating ? ' (mutating)' : ''}`,
        );
    });

  sim
    .command('advance')
    .description('Move the simulated clock forward (resources provision, tasks start, metrics appear).')
    .argument('<duration>', 'e.g. 90s, 10m, 2h; at most 744h (31 days)')
    // `-5m` is a duration typed backwards, not an option: read as one, commander answered "unknown option".
    .allowUnknownOption()
    .action((duration: string) => {
      if (duration.trim().startsWith('-')) {
        throw new CliError([
          `sim advance: the simulated time only moves forward, got '${duration}': give how far forward, such as ${duration.trim().slice(1) || '5m'}`,
        ]);
      }
      const ms = parseDuration(duration, 0, 'sim advance');
      if (ms > MAX_ADVANCE_MS) {
        throw new CliError([
          `sim advance: at most 744h (31 days) at once, got '${duration}': the simulated account moves minute by minute, so a longer jump can run for minutes`,
          'advance in steps of at most 744h',
        ]);
      }
      const a = account();
      a.advance(ms);
      ctx.out(`simulated time is now ${clock(a.now())}`);
    });

  sim
    .command('reset')
    .description(
      'Start over with a new, empty simulated account (the stacks in DynamoDB are kept, and so is the simulated time).',
    )
    .action(() => {
      if (!ctx.options.local) throw new CliError(['sim reset works on the local sandbox only: add --local']);
      const file = simulatedAccountFile(ctx.io.cwd);
      if (!existsSync(file)) {
        ctx.out('nothing to reset: this folder has no simulated account yet');
        return;
      }
      // The stacks' records are kept, with their events, leases and the times their waits count from:
      // the new account starts where the old one's clock was (rounded up to a whole minute, as metrics
      // count minutes), so that time never goes back under them. An account that cannot be read starts
      // at the simulator's default time.
      let startTime: number | undefined;
      try {
        startTime = Math.ceil(account({ readOnly: true }).now() / 60_000) * 60_000;
      } catch {
        startTime = undefined;
      }
      rmSync(file, { force: true });
      const fresh = createSimulatedAws({
        region: LOCAL_REGION,
        ...(startTime === undefined ? {} : { startTime }),
      }).account;
      fresh.save(file);
      ctx.out(`the simulated account was reset; simulated time is ${clock(fresh.now())}`);
    });
}
