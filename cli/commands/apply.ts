import type { Command } from 'commander';
import { isTableMissing } from '../../reconciler/state/errors';
import { ceilingRefusals } from '../../reconciler/state/ceilings';
import { dnsRefusal, type SystemRecord } from '../../reconciler/state/system-record';
import {
  StackDeletingError,
  UnreadableDeletionMarkError,
  VersionConflictError,
  type StackRecord,
  type StateStore,
} from '../../reconciler/state/types';
import { LocalTableMissingError, type CliContext } from '../context';
import { parseDuration } from '../duration';
import { CliError } from '../io';
import { diffSpecs, formatSpecChanges, hidesValues } from '../spec-diff';
import { runPasses } from './reconcile';
import { readValidSpec } from './validate';
import { helpAfter } from '../help-text';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('apply')
    .description(
      "Create or update a stack's desired state, printing what changes first; the reconciler then makes AWS match it.",
    )
    .requiredOption('-f, --file <file>', 'JSON or YAML document; "-" reads stdin')
    .option('--dry-run', 'print what would change in the spec, and write nothing')
    .option(
      '--wait',
      'then run reconciler passes here until the stack settles (like reconcile --until-settled)',
    )
    .option(
      '--timeout <duration>',
      'bound on --wait (default: 2h of simulated time with --local, 15m against AWS)',
    )
    .addHelpText(
      'after',
      helpAfter(`
Prints the spec's changes against the stored one, field by field ("+" added, "-" removed, "~" changed,
defaults filled in; the values of environment as ***, which get -o yaml shows), then writes it. The
write is conditional on the generation and the record it compared with: the reconciler's status writes
meanwhile do not fail it; another spec write does, and so does the stack deleted and created again.

Creates the table when it is missing (--dry-run creates nothing: a missing table reads as empty). An
invalid document is reported, one line per problem, and nothing is written; so is a spec the table's
system record refuses (dns outside the zones, lambda.reservedConcurrency above the ceiling given to
bootstrap, or a Fargate tier above its vCPU ceiling, which counts a rollout's 2 × fargate.maxTasks tasks of
fargate.cpu). A stack whose deletion was requested takes no new spec until it is gone.

Examples:
  $ lambdaflex apply -f examples/orders-api.json
  $ lambdaflex apply -f examples/orders-api.json --dry-run
  $ lambdaflex --local apply -f examples/orders-api.json --wait`),
    )
    .action(async (options: { file: string; dryRun?: boolean; wait?: boolean; timeout?: string }) => {
      if (options.dryRun && options.wait) {
        throw new CliError(['--dry-run writes nothing, so there is nothing to --wait for; choose one']);
      }
      if (options.timeout !== undefined && !options.wait) {
        throw new CliError(['--timeout bounds --wait: add --wait, or leave --timeout out']);
      }
      const timeoutMs = parseDuration(options.timeout, ctx.options.local ? 2 * 3600_000 : 15 * 60_000);
      // Validated before the store is opened: a bad file needs no AWS and writes nothing.
      const spec = await readValidSpec(options.file, ctx);
      const stored = await readStored(ctx, spec.stack, !options.dryRun);
      // DNS only in the zones bootstrap was given: the reconciler's policy allows no other. No more
      // reserved concurrency or Fargate vCPUs than bootstrap's ceilings: the pass would refuse the spec.
      const command = (rest: string) => ctx.command(rest);
      const refusals = [
        ...ceilingRefusals(spec, stored.system, command),
        dnsRefusal(spec.dns, stored.system, command),
      ].filter((refusal) => refusal !== undefined);
      if (refusals.length > 0) throw new CliError([...refusals, 'nothing written']);
      const current = stored.current;
      if (current?.deletionRequestedAt !== undefined) {
        throw deletingError(ctx, new StackDeletingError(spec.stack, current.deletionRequestedAt));
      }
      // A deletion mark that is no time (edited by hand): whether the stack is to go is unknown.
      if (current?.unreadableDeletionMark !== undefined) {
        throw markError(ctx, new UnreadableDeletionMarkError(spec.stack, current.unreadableDeletionMark));
      }
      const changes = diffSpecs(current?.spec ?? {}, spec);
      if (!current) ctx.out(`stack ${spec.stack} is new:`);
      else if (changes.length > 0) ctx.out(`stack ${spec.stack} (generation ${current.generation}) changes:`);
      const shown = current ? changes : diffSpecs({}, spec);
      for (const line of formatSpecChanges(shown)) ctx.out(line);
      if (shown.some(hidesValues)) {
        const get = ctx.command(`get ${spec.stack} -o yaml`);
        ctx.out(`  (environment values are not printed: \`${get}\` shows them)`);
      }
      if (options.dryRun || !stored.store) {
        ctx.out(changes.length === 0 ? `stack ${spec.stack}: no changes` : 'dry run: nothing written');
        return;
      }
      // The revision compared with, incarnation included: a stack deleted and created again meanwhile
      // starts again at generation 1, and must not take a spec diffed against the record that was.
      const record = await stored.store
        .putSpec(spec, {
          expectedGeneration: current?.generation ?? 0,
          expectedIncarnation: current?.incarnation,
        })
        .catch((error: unknown) => {
          // A record whose incarnation was edited by hand: no run of apply passes, and the message says why.
          if (error instanceof VersionConflictError && error.unreadable) {
            throw new CliError([error.message], { cause: error });
          }
          if (error instanceof VersionConflictError) {
            throw new CliError(
              [
                error.message,
                'someone changed the stack meanwhile: run apply again to see the changes against it',
              ],
              { cause: error },
            );
          }
          if (error instanceof UnreadableDeletionMarkError) throw markError(ctx, error);
          if (!(error instanceof StackDeletingError)) throw error;
          throw deletingError(ctx, error);
        });
      ctx.out(`stack ${record.stack} ${record.change} (generation ${record.generation})`);
      if (options.wait) await runPasses(ctx, record.stack, { untilSettled: true, timeoutMs });
      else if (record.change !== 'unchanged' && ctx.options.local) {
        ctx.out(`next: \`${ctx.command(`reconcile ${record.stack} --until-settled`)}\` makes it so`);
      }
    });
}

/**
 * The stored record and the table's system record. To write, the table is created when missing; for a dry
 * run nothing is created, and a table that does not exist yet reads as one without stacks or zones.
 */
async function readStored(
  ctx: CliContext,
  stack: string,
  write: boolean,
): Promise<{ store?: StateStore; current?: StackRecord; system?: SystemRecord }> {
  try {
    const store = await ctx.store({ create: write });
    if (write) await store.ensureTable();
    const system = await store.getSystemRecord();
    const current = await store.get(stack);
    return { store, ...(system ? { system } : {}), ...(current ? { current } : {}) };
  } catch (error) {
    const missing =
      error instanceof LocalTableMissingError || isTableMissing((error as { cause?: unknown }).cause);
    if (write || !missing) throw error;
    return {};
  }
}

function deletingError(ctx: CliContext, error: StackDeletingError): CliError {
  return new CliError(
    [
      error.message,
      `the reconciler is deleting it; apply again once \`${ctx.command(`get ${error.stackName}`)}\` finds no such stack`,
    ],
    { cause: error },
  );
}

/**
 * The refusal of a record held by a deletion mark that is no time, found by apply's read or by the write
 * (edited in between), told with the command that requests deletion in this run's global options.
 */
function markError(ctx: CliContext, error: UnreadableDeletionMarkError): CliError {
  const told = new UnreadableDeletionMarkError(error.stackName, error.found, {
    command: (rest) => ctx.command(rest),
    cause: error,
  });
  return new CliError([told.message], { cause: told });
}
