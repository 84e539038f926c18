/**
 * The global options' own rules, checked before any command runs: a bad `--table` or `--region` is
 * refused with the option and the rule named, before anything is opened, called or written.
 */
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

/** Each broken rule as a line naming the option, its rule and the value given. */
export function globalOptionErrors(options: GlobalOptions): string[] {
  const errors: string[] = [];
  if (options.table !== undefined && !TABLE_NAME.test(options.table)) {
    errors.push(
      `--table: a DynamoDB table name is 3–255 characters, each a letter, a digit, '_', '-' or '.' (got "${options.table}")`,
    );
  }
  if (options.region !== undefined && !REGION_NAME.test(options.region)) {
    errors.push(
      `--region: an AWS region name reads area-direction-number in lower case, such as us-east-1, ` +
        `eu-west-3 or us-gov-west-1 (got "${options.region}")`,
    );
  }
  return errors;
}

/** Throws a CliError listing every broken rule; nothing else has run yet. */
export function assertGlobalOptions(options: GlobalOptions): void {
  const errors = globalOptionErrors(options);
  if (errors.length > 0) {
    throw new CliError(errors, {
      nextStep: 'fix the option and run the command again; `lambdaflex --help` lists the global options',
    });
  }
}
