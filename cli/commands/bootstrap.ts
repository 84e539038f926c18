/**
 * `lambdaflex bootstrap [--destroy]`: installs (or removes) the reconciler in the account: the state
 * table, the reconciler's role with its generated least-privilege policy, the scheduler's role, the
 * reconciler Lambda from the package's bundle (bootstrap-bundle.ts) and its every-minute schedule.
 * A thin shell over reconciler/bootstrap/run.ts.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import { BootstrapError, runBootstrap } from '../../reconciler/bootstrap/run';
import { DEFAULT_TABLE_NAME, DynamoStateStore } from '../../reconciler/state';
import type { CliContext } from '../context';
import { CliError } from '../io';
import { startLocalDynamo } from '../local';
import { reconcilerBundle } from './bootstrap-bundle';

const SYMBOL = { create: '+', update: '~', delete: '-', wait: '…', conflict: '!' } as const;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('bootstrap')
    .description('Install the reconciler in the account (table, roles, Lambda, schedule), or remove it.')
    .option('--destroy', 'delete what bootstrap created, in reverse order (the table only when empty)')
    .option(
      '--zip <file>',
      "a reconciler bundle of your own (default: the package's dist/reconciler-lambda.zip, built when missing or out of date)",
    )
    .addHelpText(
      'after',
      `
Idempotent: run it again to deploy new reconciler code (the bundle is rebuilt when a source is newer);
nothing else changes.

Examples:
  $ lambdaflex bootstrap --region eu-west-1
  $ lambdaflex bootstrap --region eu-west-1 --zip /tmp/reconciler-lambda.zip
  $ lambdaflex --local bootstrap
  $ lambdaflex bootstrap --destroy`,
    )
    .action(async (options: { destroy?: boolean; zip?: string }) => {
      const zip = options.destroy
        ? new Uint8Array()
        : reconcilerBundle({ zip: options.zip, cwd: ctx.io.cwd, say: (line) => ctx.out(line) }).zip;
      const aws = ctx.openAws();
      const tableName = ctx.options.table ?? DEFAULT_TABLE_NAME;
      const local = ctx.options.local ? await startLocalDynamo(ctx.io.cwd) : undefined;
      const dynamodb =
        local?.client ?? new DynamoDBClient(ctx.options.region ? { region: ctx.options.region } : {});
      try {
        // Locally the table is dynalite's, made like `apply` makes it (see externalTableKind).
        if (local) await new DynamoStateStore({ client: dynamodb, tableName }).ensureTable();
        const result = await runBootstrap({
          clients: aws.clients,
          region: aws.region,
          dynamodb,
          tableName,
          zip,
          manageTable: !local,
          destroy: options.destroy,
          now: () => aws.now(),
          wait: (ms) => aws.wait(ms),
          onStep: (step, outcome) => {
            if (outcome.status === 'done') ctx.out(`  ${SYMBOL[step.action]} ${step.key} (${step.type})`);
            else if (outcome.status !== 'started') {
              ctx.out(
                `  ${SYMBOL[step.action]} ${step.key}: ${'reason' in outcome ? outcome.reason : outcome.message}`,
              );
            }
          },
        });
        const verb = options.destroy ? 'removed' : 'in place';
        ctx.out(
          `reconciler ${verb} after ${result.passes} pass(es): ${result.calls.total} API calls, ${result.calls.mutating} mutating`,
        );
        for (const [key, id] of Object.entries(result.resources)) if (id) ctx.out(`  ${key}: ${id}`);
      } catch (error) {
        if (error instanceof BootstrapError) throw new CliError(error.message.split('\n'));
        throw error;
      } finally {
        if (local) await local.stop();
        else dynamodb.destroy();
      }
    });
}
