/**
 * Every error the CLI prints ends with what to do next. Errors raised by the CLI itself mostly say it in
 * their own last line; this adds the next step to the others (the state store's, the SDK's, the input
 * reader's), by class or by the words of their message.
 */
import {
  LeaseLostError,
  SpecValidationError,
  StackNotFoundError,
  VersionConflictError,
} from '../reconciler/state/types';
import { CliError } from './io';

const BY_MESSAGE: [RegExp, string][] = [
  [
    /Region is missing/,
    'name a region: --region eu-west-1, the AWS_REGION variable, or a profile that has one (AWS_PROFILE); --local needs none',
  ],
  [
    /Could not load credentials|CredentialsProviderError|ExpiredToken|security token included in the request is (invalid|expired)/,
    'configure AWS credentials (AWS_PROFILE, `aws sso login`, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); --local needs none',
  ],
  [
    /ResourceNotFoundException|Requested resource not found|Cannot do operations on a non-existent table/,
    'install the table with `lambdaflex bootstrap`, or name the one you use with --table and --region',
  ],
  [
    /table \S+ does not exist/,
    'install the table in this region with `lambdaflex bootstrap`, or name the one you use with --table and --region',
  ],
  [
    /AccessDenied|not authorized to perform/,
    'use credentials allowed to do this (`lambdaflex bootstrap --print-policy` lists what the reconciler needs)',
  ],
  [
    /ENOTFOUND|ECONNREFUSED|getaddrinfo|socket hang up/,
    'check the network and any AWS_ENDPOINT_URL setting, then run the command again',
  ],
  [
    /cannot read the file/,
    'check the path (relative to the current folder), or give the document on stdin with -f -',
  ],
  [/the document is empty/, 'write the desired state into it: examples/orders-api.json is one'],
  [/malformed (JSON|YAML)/, 'fix the document at the line and column given, then run the command again'],
  [
    /LAMBDAFLEX_SIM_FAULTS/,
    'fix LAMBDAFLEX_SIM_FAULTS (for example throttle=0.2,crashAfterCalls=60) or unset it',
  ],
  [
    /in use by another lambdaflex process/,
    'another lambdaflex command is using this folder’s local state: wait for it to end, then run again',
  ],
  [/is not a duration|has no unit: write/, 'write a number and its unit: ms, s, m or h'],
  [/^--seed/, 'give a whole number, for example --seed 7'],
  [/^\S+\.csv:\d+: /, 'fix that line of the trace: the format is in examples/traces/README.md'],
];

/**
 * The next step for an error, or undefined when its own lines already say it. `command` renders a command
 * to suggest with the run's global options (CliContext.command), so that it reaches the same table.
 */
export function nextStepFor(
  error: unknown,
  lines: string[],
  command: (rest: string) => string = (rest) => `lambdaflex ${rest}`,
): string | undefined {
  if (error instanceof CliError && error.nextStep) return error.nextStep;
  if (error instanceof StackNotFoundError)
    return `\`${command('list')}\` shows the stacks in the table; \`${command('apply -f FILE')}\` records a new one`;
  if (error instanceof SpecValidationError) return FIX_FIELDS;
  if (error instanceof VersionConflictError) return 'run the command again: it reads the record afresh';
  if (error instanceof LeaseLostError)
    return 'another reconciler holds the stack; run the command again in a minute';
  // A message of several lines from the CLI itself already ends with what to do.
  if (error instanceof CliError && lines.length > 1) return undefined;
  const text = lines.join('\n');
  return BY_MESSAGE.find(([pattern]) => pattern.test(text))?.[1];
}

export const FIX_FIELDS =
  'fix the fields named above and run the command again (`lambdaflex validate -f FILE` checks a file and writes nothing)';
