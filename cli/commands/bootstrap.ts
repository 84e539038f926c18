/**
 * `lambdaflex bootstrap [--destroy]`: installs (or removes) the reconciler in the account: the state
 * table, the reconciler's role with its generated least-privilege policy, the scheduler's role, the
 * reconciler Lambda from dist/reconciler-lambda.zip (`npm run bundle`) and its every-minute schedule.
 * A thin shell over reconciler/bootstrap/run.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Command } from 'commander';
import { BootstrapError, runBootstrap } from '../../reconciler/bootstrap/run';
import { DEFAULT_TABLE_NAME, DynamoStateStore } from '../../reconciler/state';
import type { CliContext } from '../context';
import { CliError } from '../io';
import { startLocalDynamo } from '../local';

const SYMBOL = { create: '+', update: '~', delete: '-', wait: '…', conflict: '!' } as const;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('bootstrap')
    .description('Install the reconciler in the account (table, roles, Lambda, schedule), or remove it.')
    .option('--destroy', 'delete what bootstrap created, in reverse order (the table only when empty)')
    .option('--zip <file>', 'the reconciler bundle', 'dist/reconciler-lambda.zip')
    .addHelpText(
      'after',
      `
Idempotent: run it again after \`npm run bundle\` to deploy new reconciler code; nothing else changes.

Examples:
  $ npm run bundle && lambdaflex bootstrap --region eu-west-1
  $ lambdaflex --local bootstrap
  $ lambdaflex bootstrap --destroy`,
    )
    .action(async (options: { destroy?: boolean; zip: string }) => {
      const zipPath = join(ctx.io.cwd, options.zip);
      if (!options.destroy && !existsSync(zipPath)) {
        throw new CliError([`${options.zip} not found; build it with \`npm run bundle\``]);
      }
      const zip = options.destroy ? new Uint8Array() : new Uint8Array(readFileSync(zipPath));
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
