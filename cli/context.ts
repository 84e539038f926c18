/**
 * What every command shares: the global options, the I/O, and the state store they lead to. The store
 * is opened on first use only, so that `validate` and `--help` need no AWS and start no local DynamoDB.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { requestHandlerOptions } from '../reconciler/aws/clients';
import { DEFAULT_TABLE_NAME, DynamoStateStore, type StateStore } from '../reconciler/state';
import { openAws, type OpenedAws } from './aws';
import type { CliIo } from './io';
import { startLocalDynamo } from './local';

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

/**
 * The state store that the global options name. Endpoint, credentials and profile come from the SDK's
 * standard settings (AWS_ENDPOINT_URL, AWS_PROFILE, ...), which the SDK reads itself.
 *
 * @example
 * const { store, close } = await openStore({ local: true }, process.cwd());
 * try { console.log(await store.list()); } finally { await close(); }
 */
export async function openStore(options: GlobalOptions, cwd: string): Promise<OpenedStore> {
  const tableName = options.table ?? DEFAULT_TABLE_NAME;
  if (options.local) {
    const local = await startLocalDynamo(cwd);
    const store = new DynamoStateStore({ client: local.client, tableName });
    try {
      // A fresh sandbox has no table yet; reading an empty one is friendlier than "table not found".
      await store.ensureTable();
    } catch (err) {
      await local.stop();
      throw err;
    }
    return { store, close: () => local.stop() };
  }
  // Request timeouts as the AWS clients have them (reconciler/aws/clients.ts): the table holds the lease.
  const client = new DynamoDBClient({
    ...(options.region ? { region: options.region } : {}),
    requestHandler: requestHandlerOptions(),
  });
  return { store: new DynamoStateStore({ client, tableName }), close: async () => client.destroy() };
}

/** Handed to every command's `register`. */
export class CliContext {
  private opened: Promise<OpenedStore> | undefined;
  private aws: OpenedAws | undefined;
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

  /** Opens the store on first call; later calls share it. */
  async store(): Promise<StateStore> {
    this.opened ??= openStore(this.options, this.io.cwd);
    return (await this.opened).store;
  }

  /** AWS (or, with --local, the simulated account under .lambdaflex/), opened on first call. */
  openAws(): OpenedAws {
    this.aws ??= openAws(this.options, this.io.cwd);
    return this.aws;
  }

  out(line: string): void {
    this.io.stdout.write(line + '\n');
  }

  err(line: string): void {
    this.io.stderr.write(line + '\n');
  }

  /** Releases what `store()` opened. Safe to call when nothing was opened, or when opening failed. */
  async close(): Promise<void> {
    // The simulated account is saved even when the command failed: AWS would keep what was done too.
    this.aws?.save();
    this.aws = undefined;
    const opened = this.opened;
    this.opened = undefined;
    if (!opened) return;
    const result = await opened.catch(() => undefined);
    await result?.close();
  }
}
