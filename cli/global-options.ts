/**
 * The global options' own rules, checked before any command runs: a bad `--table`, or a bad region
 * (given with `--region` or by the environment), is refused with the option or variable and the rule
 * named, before anything is opened, called or written.
 */
import { DEFAULT_TABLE_NAME } from '../reconciler/state/types';
import type { GlobalOptions } from './context';
import { CliError } from './io';

/** DynamoDB's rule for a table name (CreateTable, TableName): 3–255 of these characters. */
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/;

/**
 * The shape of every AWS region name: an area of 2–4 letters, one or more words, a number (`us-east-1`,
 * `us-gov-west-1`, `eu-isoe-west-1`, `eusc-de-east-1`). It is the shape the SDK's partitions match regions
 * by (their `regionRegex`), not a list of today's regions: a region opened after this release still
 * passes, and a typo such as `mars-1` or `us-east1` does not.
 */
const REGION_NAME = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

/** Where a region can come from, first found first: the option, then the variables (as the AWS CLI reads them). */
export type RegionSource = '--region' | 'AWS_REGION' | 'AWS_DEFAULT_REGION';

/**
 * The region the CLI talks to AWS in, and where it was given: `--region`, else `AWS_REGION`, else
 * `AWS_DEFAULT_REGION` (which the SDK itself does not read); undefined when none is, and the profile
 * decides. With `--local` the simulated account has its own region: the environment is not read (a
 * `--region` given is still checked, as every option is).
 */
export function chosenRegion(
  options: Pick<GlobalOptions, 'region' | 'local'>,
  env: NodeJS.ProcessEnv = process.env,
): { region: string; from: RegionSource } | undefined {
  if (options.region !== undefined) return { region: options.region, from: '--region' };
  if (options.local) return undefined;
  for (const from of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
    const region = env[from];
    if (region !== undefined) return { region, from };
  }
  return undefined;
}

/** Each broken rule as a line naming the option (or variable), its rule and the value given. */
export function globalOptionErrors(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): string[] {
  const errors: string[] = [];
  if (options.table !== undefined && !TABLE_NAME.test(options.table)) {
    errors.push(
      `--table: a DynamoDB table name is 3–255 characters, each a letter, a digit, '_', '-' or '.' (got "${options.table}")`,
    );
  }
  const region = chosenRegion(options, env);
  if (region !== undefined && !REGION_NAME.test(region.region)) {
    errors.push(
      `${region.from}: an AWS region name reads area-direction-number in lower case, such as us-east-1, ` +
        `eu-west-3 or us-gov-west-1 (got "${region.region}")`,
    );
  }
  return errors;
}

/** Throws a CliError listing every broken rule; nothing else has run yet. */
export function assertGlobalOptions(options: GlobalOptions): void {
  const errors = globalOptionErrors(options);
  if (errors.length > 0) {
    throw new CliError(errors, {
      nextStep:
        'fix the option (or the environment variable) named and run the command again; ' +
        '`lambdaflex --help` lists the global options',
    });
  }
}

/**
 * `lambdaflex` with the global options this run was given, then `rest`: a command the CLI suggests must
 * reach the same table (a `--local` user told `lambdaflex list` would read AWS's instead). The region only
 * when given as an option: one from the environment is there for the next command too. Both values passed
 * the rules above, so they need no quoting.
 *
 * @example
 * commandLine({ local: true, table: 'staging' }, 'list') // 'lambdaflex --local --table staging list'
 */
export function commandLine(options: GlobalOptions, rest: string): string {
  const words = ['lambdaflex'];
  if (options.local) words.push('--local');
  if (options.table !== undefined && options.table !== DEFAULT_TABLE_NAME)
    words.push('--table', options.table);
  if (options.region !== undefined) words.push('--region', options.region);
  return [...words, rest].join(' ');
}
