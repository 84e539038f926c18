/** Shared set-up for the service's tests: an app over the in-memory store, quiet, with a known token. */
import type { INestApplication } from '@nestjs/common';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { createApp } from '../../service/app';
import type { LogEntry, RequestLogger } from '../../service/logging/request-logger';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';
import type { StateStore } from '../../reconciler/state/types';
import type { DynamoStateStore } from '../../reconciler/state';
import { newStore, startTestDynamo, type TestDynamo } from '../reconciler/state/fixtures';

export const STACK = 'shop';
export const TOKEN = 'lf_test_9f2c1e0a7b';
export const TOKEN_SHA256 = createHash('sha256').update(TOKEN).digest('hex');

export class CapturingLogger implements RequestLogger {
  readonly entries: LogEntry[] = [];
  log(entry: LogEntry): void {
    this.entries.push(entry);
  }
}

export interface TestApp<S extends StateStore = InMemoryStateStore> {
  app: INestApplication;
  store: S;
  logger: CapturingLogger;
}

/** The app over a new in-memory store, or over the store a test passes (the DynamoDB one in dynalite). */
export async function buildTestApp(env?: NodeJS.ProcessEnv): Promise<TestApp>;
export async function buildTestApp<S extends StateStore>(
  env: NodeJS.ProcessEnv,
  store: S,
): Promise<TestApp<S>>;
export async function buildTestApp(
  env: NodeJS.ProcessEnv = {},
  store: StateStore = new InMemoryStateStore(),
): Promise<TestApp<StateStore>> {
  const logger = new CapturingLogger();
  const app = await createApp({
    store,
    env: { LAMBDAFLEX_STACK: STACK, LAMBDAFLEX_API_TOKEN_SHA256: TOKEN_SHA256, ...env },
    requestLogger: logger,
    nestLogLevels: false,
  });
  return { app, store, logger };
}

export const bearer = `Bearer ${TOKEN}`;

/** What `appOverDynamo` gives each test: the app over a fresh table of the file's dynalite. */
export interface AppOverDynamo {
  db: TestDynamo;
  store: DynamoStateStore;
  http: ReturnType<typeof request>;
  /** Sets one attribute of the stack's record as someone would by hand in the console, past the store. */
  setByHand(attribute: string, value: unknown): Promise<void>;
}

/**
 * Registers, in the calling test file, one dynalite for the file and, for each test, the app over a store
 * on a table of its own (closed after the test). The fields are set once the hooks ran: read them in tests.
 */
export function appOverDynamo(): AppOverDynamo {
  let app: INestApplication | undefined;
  const s = {
    async setByHand(attribute: string, value: unknown) {
      await DynamoDBDocumentClient.from(s.db.client).send(
        new UpdateCommand({
          TableName: s.store.tableName,
          Key: { stack: STACK },
          UpdateExpression: 'SET #attribute = :value',
          ExpressionAttributeNames: { '#attribute': attribute },
          ExpressionAttributeValues: { ':value': value },
        }),
      );
    },
  } as AppOverDynamo;
  beforeAll(async () => (s.db = await startTestDynamo()));
  afterAll(() => s.db.stop());
  beforeEach(async () => {
    s.store = (await newStore(s.db)).store;
    app = (await buildTestApp({}, s.store)).app;
    s.http = request(app.getHttpServer());
  });
  afterEach(() => app?.close());
  return s;
}
