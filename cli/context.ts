/**
 * What every command shares: the global options, the I/O, and the state store they lead to. The store
 * is opened on first use only, so that `validate` and `--help` need no AWS and start no local DynamoDB.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { existsSync } from 'node:fs';
import { requestHandlerOptions } from '../reconciler/aws/clients';
import { DEFAULT_TABLE_NAME, DynamoStateStore, type StateStore } from '../reconciler/state';
import { isTableMissing } from '../reconciler/state/errors';
import { openAws, type OpenedAws } from './aws';
import { chosenRegion, commandLine } from './global-options';
import { CliError, type CliIo } from './io';
import { localPath, startLocalDynamo, type RunningDynalite } from './local';
import { terminalText } from './terminal-text';

export interface GlobalOptions {
  /** DynamoDB table of the records. Default `lambdaflex`. */
  table?: string;
  /** AWS region; when absent the SDK's own settings (AWS_REGION, the profile) decide. */
  region?: string;
  /** Use the local sandbox's DynamoDB under `<cwd>/.lambdaflex/` instead of AWS. */
  local?: boolean;
}

export interface OpenedStore {
  store: DynamoStateStore;
  /** Closes the client, and the local DynamoDB when one was started. */
  close(): Promise<void>;
}

/** What a command may do to the store: only `apply` creates the local table (on AWS, `bootstrap` does). */
export interface StoreAccess {
  /** Create the local table (and `.lambdaflex/`) when missing; otherwise a missing table is an error. */
  create?: boolean;
  /** The local store's clock (its leases and the time of a deletion request); the wall clock by default. */
  now?: () => number;
  /**
   * How long to wait for another command's short hold on the local folder before failing "in use"
   * (cli/local.ts FOLDER_WAIT_MS by default); a watch's reading, repeated anyway, waits for nothing.
   */
  folderWaitMs?: number;
}

/** A read (or anything but `apply`) against a folder without the local table: nothing is created. */
export class LocalTableMissingError extends CliError {
  constructor(cwd: string, tableName: string, cause: string) {
    super([`reading local table ${tableName} (${localPath(cwd)}): ${cause}`], {
      nextStep:
        'record a stack with `lambdaflex --local apply -f FILE` (it creates the table), or start the sandbox ' +
        'with `npm start` (it applies a demo stack)' +
        (tableName === DEFAULT_TABLE_NAME ? '' : `; without --table the table is ${DEFAULT_TABLE_NAME}`),
    });
  }
}

async function localStore(cwd: string, tableName: string, access: StoreAccess): Promise<OpenedStore> {
  // Starting the local DynamoDB makes its folder: a read in a folder without one would leave it behind.
  if (!access.create && !existsSync(localPath(cwd, 'dynamodb')))
    throw new LocalTableMissingError(cwd, tableName, 'this folder has no local state (.lambdaflex/dynamodb)');
  const local: RunningDynalite = await startLocalDynamo(
    cwd,
    access.folderWaitMs === undefined ? {} : { waitMs: access.folderWaitMs },
  );
  const store = new DynamoStateStore({
    client: local.client,
    tableName,
    ...(access.now ? { now: access.now } : {}),
  });
  try {
    if (access.create) await store.ensureTable();
    else await assertTableExists(local.client, cwd, tableName);
  } catch (err) {
    await local.stop();
    throw err;
  }
  return { store, close: () => local.stop() };
}

async function assertTableExists(client: DynamoDBClient, cwd: string, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (err) {
    if (isTableMissing(err)) throw new LocalTableMissingError(cwd, tableName, 'the table does not exist');
    throw err;
  }
}

/**
 * The state store that the global options name. Endpoint, credentials and profile come from the SDK's
 * standard settings (AWS_ENDPOINT_URL, AWS_PROFILE, ...), which the SDK reads itself. Nothing is created
 * unless `access.create` (the local table, for `apply`); the AWS table is `bootstrap`'s.
 *
 * @example
 * const { store, close } = await openStore({ local: true }, process.cwd());
 * try { console.log(await store.list()); } finally { await close(); }
 */
export async function openStore(
  options: GlobalOptions,
  cwd: string,
  access: StoreAccess = {},
): Promise<OpenedStore> {
  const tableName = options.table ?? DEFAULT_TABLE_NAME;
  if (options.local) return localStore(cwd, tableName, access);
  // Request timeouts as the AWS clients have them (reconciler/aws/clients.ts): the table holds the lease.
  // The region the AWS clients use too (cli/aws.ts), AWS_DEFAULT_REGION included, which the SDK ignores.
  const region = chosenRegion(options)?.region;
  const client = new DynamoDBClient({
    ...(region ? { region } : {}),
    requestHandler: requestHandlerOptions(),
  });
  return { store: new DynamoStateStore({ client, tableName }), close: async () => client.destroy() };
}

/** Handed to every command's `register`. */
export class CliContext {
  private opened: Promise<OpenedStore> | undefined;
  private aws: OpenedAws | undefined;
  /** False when every opening of the AWS was read-only: nothing to save, no file to create. */
  private awsWritten = false;
  /** Set by commands whose success has more than one answer (`plan`: 2 when something would change). */
  exitCode = 0;

  constructor(
    readonly io: CliIo,
    /** Read when a command runs, after commander parsed the global options. */
    private readonly globalOptions: () => GlobalOptions,
  ) {}

  get options(): GlobalOptions {
    return this.globalOptions();
  }

  /** Opens the store on first call; later calls share it. Only `apply` passes `{ create: true }`. */
  async store(access: StoreAccess = {}): Promise<StateStore> {
    // Locally the store keeps time on the simulated clock, as the sandbox's store and every pass do: a
    // deletion requested here would otherwise be dated in another year than the events beside it. The
    // account is opened only when a time is needed, and read only for it.
    const local = this.options.local ? { now: () => this.openAws({ readOnly: true }).now() } : {};
    this.opened ??= openStore(this.options, this.io.cwd, { ...local, ...access });
    return (await this.opened).store;
  }

  /**
   * AWS (or, with --local, the simulated account under .lambdaflex/), opened on first call. The account
   * is saved when the command ends unless every caller only read it (`readOnly`: `sim resources`).
   */
  openAws(access: { readOnly?: boolean } = {}): OpenedAws {
    if (!access.readOnly) this.awsWritten = true;
    this.aws ??= openAws(this.options, this.io.cwd);
    return this.aws;
  }

  /** A command to suggest, with this run's global options (`lambdaflex --local list`). */
  command(rest: string): string {
    return commandLine(this.options, rest);
  }

  /** A line on stdout, its control characters made visible (cli/terminal-text.ts). */
  out(line: string): void {
    this.io.stdout.write(terminalText(line) + '\n');
  }

  err(line: string): void {
    this.io.stderr.write(terminalText(line) + '\n');
  }

  /** Releases what `store()` opened. Safe to call when nothing was opened, or when opening failed. */
  async close(): Promise<void> {
    // The simulated account is saved even when the command failed: AWS would keep what was done too.
    if (this.awsWritten) this.aws?.save();
    this.awsWritten = false;
    this.aws = undefined;
    const opened = this.opened;
    this.opened = undefined;
    if (!opened) return;
    const result = await opened.catch(() => undefined);
    await result?.close();
  }
}
