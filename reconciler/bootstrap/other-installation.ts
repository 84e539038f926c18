/**
 * One installation per region: bootstrap's function, queues, roles and policies have fixed names that
 * carry the region, not the table (reconciler/bootstrap/names.ts). A bootstrap for another table
 * (`--table`) in a region that already has one would take them over: the function pointed at the new
 * table, the policies rewritten to grant it alone, and the first table's stacks left with no reconciler;
 * its `--destroy` would delete the first table's reconciler. Both are refused before any change, naming
 * the table the region's reconciler serves.
 */
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { isOwnedBy } from '../../spec/names';
import type { AwsClients } from '../aws/clients';
import { awsMessage } from '../aws/classify';
import { orUndefinedIfGone } from '../resources/common/not-found';
import type { ErrorCodes } from '../resources/types';
import { HANDLER_ENV, SYSTEM_NAMES, SYSTEM_STACK } from './names';

const NO_FUNCTION: ErrorCodes = { notFound: ['ResourceNotFoundException'], retryable: [], terminal: [] };

/** The table the region's reconciler (bootstrap's function, tagged as ours) serves, if there is one. */
export async function servedTable(clients: AwsClients): Promise<string | undefined> {
  const answer = await orUndefinedIfGone(
    () => clients.lambda.send(new GetFunctionCommand({ FunctionName: SYSTEM_NAMES.function })),
    NO_FUNCTION,
  ).catch((error: unknown) => {
    // Unknown is not absent: a failed read (throttled past the SDK's retries) stops the run, said so.
    throw new Error(`reading AWS::Lambda::Function (${SYSTEM_NAMES.function}): ${awsMessage(error)}`, {
      cause: error,
    });
  });
  if (!answer || !isOwnedBy(answer.Tags ?? {}, SYSTEM_STACK)) return undefined;
  return answer.Configuration?.Environment?.Variables?.[HANDLER_ENV.table] || undefined;
}

/** Why a bootstrap for `tableName` stops before its first change, or undefined. */
export function otherInstallationRefusal(
  region: string,
  tableName: string,
  served: string | undefined,
  destroy: boolean,
): string | undefined {
  if (served === undefined || served === tableName) return undefined;
  return (
    `the reconciler in ${region} serves table ${served}, not ${tableName}: there is one installation per ` +
    `region, and ${destroy ? 'destroying' : 'bootstrapping'} it for ${tableName} would ` +
    `${destroy ? 'delete' : 'take over'} ${served}'s; run it with --table ${served}` +
    (destroy ? '' : `, or move ${served}'s stacks first and destroy its installation`) +
    '; nothing was changed'
  );
}
