import { DEFAULT_TABLE_NAME } from '../../reconciler/state/types';

/** What the service reads from its environment, resolved once at start so that tests can pass their own. */
export interface ServiceConfig {
  /** This stack's name (`LAMBDAFLEX_STACK`); undefined when the image runs outside a LambdaFlex stack. */
  stack?: string;
  /** DynamoDB table of the state store (`LAMBDAFLEX_TABLE`). */
  tableName: string;
  /**
   * Hex SHA-256 of the API token allowed to write (`LAMBDAFLEX_API_TOKEN_SHA256`). Only the hash is kept,
   * so the image's environment never holds a usable secret; undefined means writes are disabled.
   */
  apiTokenSha256?: string;
  /** The region the service runs in (`AWS_REGION`, which Lambda and ECS set): the stack's region. */
  region?: string;
}

/** Reads the service's settings from `env`; empty strings count as unset. */
export function readServiceConfig(env: NodeJS.ProcessEnv): ServiceConfig {
  const nonEmpty = (value: string | undefined): string | undefined =>
    value !== undefined && value.trim() !== '' ? value.trim() : undefined;
  return {
    stack: nonEmpty(env.LAMBDAFLEX_STACK),
    tableName: nonEmpty(env.LAMBDAFLEX_TABLE) ?? DEFAULT_TABLE_NAME,
    apiTokenSha256: nonEmpty(env.LAMBDAFLEX_API_TOKEN_SHA256)?.toLowerCase(),
    region: nonEmpty(env.AWS_REGION),
  };
}
