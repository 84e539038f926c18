/**
 * `lambdaflex bootstrap [--destroy]`: installs (or removes) the reconciler in the account: the state
 * table, the reconciler's role with its generated least-privilege policy, the scheduler's role, the
 * reconciler Lambda from the package's bundle (bootstrap-bundle.ts) and its every-minute schedule.
 * A thin shell over reconciler/bootstrap/run.ts.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { Command } from 'commander';
import {
  hostedZonesAsGiven,
  resolveHostedZones,
  type ConfiguredZones,
} from '../../reconciler/bootstrap/hosted-zones';
import { systemRoleNames } from '../../reconciler/bootstrap/names';
import { parseCeilingOption } from '../../reconciler/bootstrap/ceiling-options';
import { partitionOf, POLICY_NAMES, whereOf } from '../../reconciler/iam/arns';
import { MANAGED_POLICY_LIMIT, policySize, reconcilerPolicies } from '../../reconciler/iam/policy';
import { BootstrapError, runBootstrap } from '../../reconciler/bootstrap/run';
import { DEFAULT_TABLE_NAME, DynamoStateStore } from '../../reconciler/state';
import {
  allCeilings,
  CEILINGS,
  ceilingOf,
  type CeilingAttribute,
  type CeilingHolder,
} from '../../reconciler/state/ceilings';
import type { SystemRecord } from '../../reconciler/state/system-record';
import type { CliContext } from '../context';
import { CliError } from '../io';
import { startLocalDynamo } from '../local';
import { reconcilerBundle } from './bootstrap-bundle';
import { isNoTableYet, stacksCutOffByZones, stacksLeftOut } from './bootstrap-stacks';
import { helpAfter } from '../help-text';

const SYMBOL = { create: '+', update: '~', delete: '-', wait: '…', conflict: '!' } as const;

const { reservedConcurrency, fargateVcpus } = CEILINGS;

/**
 * The options as commander gives them: each ceiling's under its attribute, the camel case of its option
 * (`--max-fargate-vcpus`: maxFargateVcpus).
 */
interface BootstrapOptionsCli extends Partial<Record<CeilingAttribute, string>> {
  destroy?: boolean;
  zip?: string;
  hostedZone?: string[];
  printPolicy?: boolean;
  account?: string;
  cutOffStacks?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function register(program: Command, ctx: CliContext): void {
  program
    .command('bootstrap')
    .description('Install the reconciler in the account (table, roles, Lambda, schedule), or remove it.')
    .option(
      '--destroy',
      'delete what bootstrap created in this region, in reverse order; refused, before any change, while the table holds a stack',
    )
    .option(
      '--zip <file>',
      "a reconciler bundle of your own (default: the package's dist/reconciler-lambda.zip, built when missing or out of date)",
    )
    .option(
      '--hosted-zone <id[=names]>',
      'a Route 53 zone the reconciler may write records in (repeatable; kept until given again); names default to *.<zone>',
      collect,
    )
    .option(
      `${reservedConcurrency.option} <n>`,
      `the most one stack's lambda.reservedConcurrency may reserve of the region's Lambda concurrency (kept until given again; default ${reservedConcurrency.defaultValue})`,
    )
    .option(
      `${fargateVcpus.option} <n>`,
      `the most vCPUs one stack's Fargate tier may run while it rolls out (2 × fargate.maxTasks tasks of fargate.cpu), of the region's Fargate vCPU quota (kept until given again; default ${fargateVcpus.defaultValue})`,
    )
    .option(
      '--cut-off-stacks',
      'bootstrap even though stacks have dns in a zone or name it no longer allows (refused otherwise, before any change); their passes change nothing of them until a bootstrap allows it',
    )
    .option(
      '--print-policy',
      "print the reconciler's IAM policy for this region, with its size, and change nothing",
    )
    .option(
      '--account <id>',
      'with --print-policy: the account the policy is for; with --region too, no AWS call is made (zones from --hosted-zone only, each with its names)',
    )
    .addHelpText(
      'after',
      helpAfter(`
Idempotent: run it again to deploy new reconciler code (the bundle is rebuilt when a source is newer);
nothing else changes. Everything bootstrap makes is per region: run it once in each region that has
stacks; --destroy in one region leaves the others alone.

The reconciler may change DNS records only in the hosted zones given with --hosted-zone (A and TXT
records, names below the zone's apex unless names are given). The zones are kept in the table: run
bootstrap again with every --hosted-zone to change the list. \`apply\` refuses a spec naming another zone.

A stack's lambda.reservedConcurrency takes from the region's one pool of Lambda concurrency (1,000 by
default), which the reconciler's own function shares: one stack may reserve at most
--max-reserved-concurrency (${reservedConcurrency.defaultValue} unless given; kept in the table like the zones). \`apply\` refuses a spec
asking more, and the reconciler changes nothing of a stack whose spec asks more (a ceiling lowered under
a live stack leaves its reservation as it is, and its status says so).

A stack's Fargate tier takes its tasks' vCPUs from the account's Fargate On-Demand vCPU quota, one per
region for every stack: one stack's tier may run at most --max-fargate-vcpus vCPUs, counted as it rolls out
a change (ECS starts the new tasks beside the old: 2 × fargate.maxTasks tasks of fargate.cpu;
${fargateVcpus.defaultValue} unless given; kept in the table like the zones). \`apply\` refuses a spec
asking more, and the reconciler changes nothing of a stack whose spec asks more (its tier is left as it is).

Examples:
  $ lambdaflex bootstrap --region eu-west-1 --hosted-zone Z0123456789ABCDEFGHIJ
  $ lambdaflex bootstrap --region eu-west-1 --hosted-zone Z0123456789ABCDEFGHIJ='*.api.example.com'
  $ lambdaflex bootstrap --region eu-west-1 --max-reserved-concurrency 200
  $ lambdaflex bootstrap --region eu-west-1 --max-fargate-vcpus 128
  $ lambdaflex bootstrap --region eu-west-1 --print-policy
  $ lambdaflex bootstrap --print-policy --account 123456789012 --region eu-west-1 --hosted-zone Z0123456789ABCDEFGHIJ='*.api.example.com'
  $ lambdaflex bootstrap --region eu-west-1 --zip /tmp/reconciler-lambda.zip
  $ lambdaflex --local bootstrap
  $ lambdaflex bootstrap --region eu-west-1 --destroy`),
    )
    .action(async (options: BootstrapOptionsCli) => {
      // Checked before anything is read or written: a bad value changes nothing.
      if (options.account !== undefined && !options.printPolicy) {
        // Taken and ignored, it let a whole bootstrap run where the user asked for a policy.
        throw new CliError([
          '--account names the account of --print-policy: add --print-policy, or leave --account out',
        ]);
      }
      if (options.account !== undefined) assertAccountId(options.account);
      const ceilings = givenCeilings(options);
      if (options.printPolicy && options.account && ctx.options.region && !ctx.options.local) {
        printPolicyOffline(ctx, options, ctx.options.region);
        return;
      }
      const aws = ctx.openAws();
      const tableName = ctx.options.table ?? DEFAULT_TABLE_NAME;
      const local = ctx.options.local ? await startLocalDynamo(ctx.io.cwd) : undefined;
      const dynamodb =
        local?.client ?? new DynamoDBClient(ctx.options.region ? { region: ctx.options.region } : {});
      try {
        // Locally the table is dynalite's, made like `apply` makes it (see externalTableResource).
        if (local) await new DynamoStateStore({ client: dynamodb, tableName }).ensureTable();
        const kept = await keptSystemRecord(dynamodb, tableName);
        const zones = await configuredZones(options, aws.clients.route53, kept);
        // Given now, or kept from the last bootstrap (a record from before a ceiling: its default).
        const keptCeilings = ceilingsToKeep(ceilings, kept);
        if (options.printPolicy) {
          const account = await accountOf(options, dynamodb, tableName, aws.account?.accountId);
          printPolicy(ctx, { ...zones, region: aws.region, account, tableName });
          return;
        }
        if (!options.destroy) {
          const next = { ...zones, ...keptCeilings };
          const cutOff = await stacksCutOffByZones(dynamodb, tableName, kept, next, (rest) =>
            ctx.command(rest),
          );
          if (cutOff.length > 0 && !options.cutOffStacks) {
            throw new CliError([
              `bootstrap would leave ${cutOff.length === 1 ? 'a stack' : `${cutOff.length} stacks`} with dns unreconciled (the hosted zones it grants are only those given with --hosted-zone, or kept from the last bootstrap):`,
              ...cutOff.map((line) => `  ${line}`),
              'nothing changed: give each zone to keep with --hosted-zone, or add --cut-off-stacks to leave these stacks as they are until a bootstrap allows their zone',
            ]);
          }
        }
        const zip = options.destroy
          ? new Uint8Array()
          : reconcilerBundle({ zip: options.zip, cwd: ctx.io.cwd, say: (line) => ctx.out(line) }).zip;
        const result = await runBootstrap({
          clients: aws.clients,
          region: aws.region,
          dynamodb,
          tableName,
          zip,
          ...zones,
          ...keptCeilings,
          manageTable: !local,
          destroy: options.destroy,
          now: () => aws.now(),
          wait: (ms) => aws.wait(ms),
          command: (rest) => ctx.command(rest),
          onStep: (step, outcome) => {
            if (outcome.status === 'done') ctx.out(`  ${SYMBOL[step.action]} ${step.key} (${step.type})`);
            else if (outcome.status !== 'started') {
              ctx.out(
                `  ${SYMBOL[step.action]} ${step.key}: ${'reason' in outcome ? outcome.reason : outcome.message}`,
              );
            }
          },
        });
        const verb = options.destroy ? `removed from ${aws.region}` : `in place in ${aws.region}`;
        ctx.out(
          `reconciler ${verb} after ${result.passes} pass(es): ${result.calls.total} API calls, ${result.calls.mutating} mutating`,
        );
        for (const [key, id] of Object.entries(result.resources)) if (id) ctx.out(`  ${key}: ${id}`);
        if (!options.destroy) {
          const list = zones.hostedZones.map((z) => `${z.id} (${z.recordNames.join(', ')})`).join('; ');
          ctx.out(`  hosted zones the reconciler may write in: ${list || 'none (stacks cannot have dns)'}`);
          ctx.out(
            `  Lambda concurrency one stack may reserve: at most ${ceilingOf(reservedConcurrency, keptCeilings)} (${reservedConcurrency.option})`,
          );
          ctx.out(
            `  Fargate vCPUs one stack's tier may run: at most ${ceilingOf(fargateVcpus, keptCeilings)} (${fargateVcpus.option})`,
          );
          for (const line of await stacksLeftOut(dynamodb, tableName, (rest) => ctx.command(rest)))
            ctx.out(`  warning: ${line}`);
        }
      } catch (error) {
        if (error instanceof BootstrapError) throw new CliError(error.message.split('\n'));
        throw error;
      } finally {
        if (local) await local.stop();
        else dynamodb.destroy();
      }
    });
}

/** The ceilings given (none when not given); a bad value is refused, and nothing changes. */
function givenCeilings(options: BootstrapOptionsCli): CeilingHolder {
  const given: CeilingHolder = {};
  for (const ceiling of allCeilings()) {
    const value = options[ceiling.attribute];
    if (value === undefined) continue;
    try {
      given[ceiling.attribute] = parseCeilingOption(ceiling, value);
    } catch (error) {
      throw new CliError([(error as Error).message, 'nothing changed']);
    }
  }
  return given;
}

/** Every ceiling, each set: the one given, else the one kept in the table (its default when none is). */
function ceilingsToKeep(given: CeilingHolder, kept: SystemRecord | undefined): CeilingHolder {
  const all: CeilingHolder = {};
  for (const ceiling of allCeilings())
    all[ceiling.attribute] = given[ceiling.attribute] ?? ceilingOf(ceiling, kept);
  return all;
}

/** The table's system record from the last bootstrap, if any. */
async function keptSystemRecord(
  dynamodb: DynamoDBClient,
  tableName: string,
): Promise<SystemRecord | undefined> {
  return new DynamoStateStore({ client: dynamodb, tableName }).getSystemRecord().catch((error) => {
    if (isNoTableYet(error)) return undefined; // nothing was kept
    throw error;
  });
}

/** The zones given now, or else the ones kept in the table's system record from the last bootstrap. */
async function configuredZones(
  options: BootstrapOptionsCli,
  route53: Route53Client,
  kept: SystemRecord | undefined,
): Promise<ConfiguredZones> {
  if (options.hostedZone?.length) {
    try {
      return await resolveHostedZones(route53, options.hostedZone);
    } catch (error) {
      throw new CliError([(error as Error).message]);
    }
  }
  return { hostedZones: kept?.hostedZones ?? [], zoneNames: kept?.zoneNames ?? {} };
}

/**
 * `--print-policy` with `--account` and `--region`: everything the policy names is given, so no AWS call
 * is made (no credentials needed). The zones kept in the table are not read: only --hosted-zone counts.
 */
function printPolicyOffline(ctx: CliContext, options: BootstrapOptionsCli, region: string): void {
  const account = options.account!;
  let zones: ConfiguredZones;
  try {
    zones = hostedZonesAsGiven(options.hostedZone ?? []);
  } catch (error) {
    throw new CliError([(error as Error).message]);
  }
  const tableName = ctx.options.table ?? DEFAULT_TABLE_NAME;
  ctx.out(
    '// no AWS call made (--account and --region given): hosted zones from --hosted-zone only, not the ones kept in the table',
  );
  printPolicy(ctx, { ...zones, region, account, tableName });
}

function assertAccountId(account: string): void {
  if (!/^\d{12}$/.test(account))
    throw new CliError([
      `--account: an AWS account id is 12 digits, such as 123456789012 (got "${account}")`,
    ]);
}

/** The account the policy names: the table's (its ARN), the simulated one, or --account. */
async function accountOf(
  options: BootstrapOptionsCli,
  dynamodb: DynamoDBClient,
  tableName: string,
  simulated: string | undefined,
): Promise<string> {
  if (options.account) {
    return options.account;
  }
  if (simulated) return simulated;
  try {
    const table = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    return whereOf(table.Table!.TableArn!).account;
  } catch {
    throw new CliError([
      `the policy names the account, and table ${tableName} (whose ARN would say which) was not found;`,
      'give it with --account 123456789012',
    ]);
  }
}

function printPolicy(
  ctx: CliContext,
  where: ConfiguredZones & { region: string; account: string; tableName: string },
): void {
  const parts = reconcilerPolicies({
    partition: partitionOf(where.region),
    region: where.region,
    account: where.account,
    tableName: where.tableName,
    hostedZones: where.hostedZones,
  });
  let total = 0;
  for (const part of parts) {
    const size = policySize(part.document);
    total += size;
    const name = POLICY_NAMES.reconciler(where.region, part.part);
    ctx.out(
      `// ${name}: ${size.toLocaleString('en-US')} of ${MANAGED_POLICY_LIMIT.toLocaleString('en-US')} characters (IAM's managed-policy limit, whitespace not counted)`,
    );
    ctx.out(JSON.stringify(part.document, null, 2));
  }
  ctx.out(
    `// ${parts.length} managed policies, ${total.toLocaleString('en-US')} characters in all, attached to ${systemRoleNames(where.region).reconcilerRole} with AWSLambdaBasicExecutionRole`,
  );
}
