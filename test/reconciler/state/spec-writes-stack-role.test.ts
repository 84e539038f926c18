/**
 * The service's writes of its stack's record (create, spec replace) run with the stack's role, which may
 * write the spec's attributes only (reconciler/iam/stack-role-policies.ts). Each request the store sends
 * for them, against dynalite, is evaluated as IAM would evaluate it for that role: the attributes it names
 * as DynamoDB reports them (dynamodb:Attributes: the key, and every attribute of the update expression;
 * a PutItem names the whole item and is not granted at all).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../../../cli/local';
import { arn } from '../../../reconciler/iam/arns';
import {
  STACK_WRITABLE_ATTRIBUTES,
  stackBoundaryPolicy,
  stackTablePolicy,
} from '../../../reconciler/iam/stack-role-policies';
import { DynamoStateStore } from '../../../reconciler/state';
import { evaluate, type PolicySet } from '../iam/simulate';
import { newStore, specDoc, startTestDynamo, type TestDynamo } from './fixtures';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

interface Sent {
  command: string;
  input: Record<string, unknown>;
}

/** A store whose requests are recorded as sent (commandName and the low-level input). */
async function recordedStore() {
  const { store: base } = await newStore(db);
  const client = new DynamoDBClient(localClientConfig(db.endpoint));
  const sent: Sent[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ command: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  return {
    store: new DynamoStateStore({ client, tableName: base.tableName }),
    sent,
    tableName: base.tableName,
  };
}

/**
 * The attributes a write names, as IAM sees them in dynamodb:Attributes: the key's, and for an
 * UpdateItem every attribute its expression names (read or written: over-counting is the safe side).
 */
function attributesOf({ command, input }: Sent): string[] {
  const names = new Set(Object.keys((input.Key ?? {}) as object));
  if (command === 'PutItemCommand') for (const k of Object.keys(input.Item as object)) names.add(k);
  const expression = String(input.UpdateExpression ?? '');
  const aliases = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  for (const match of expression.matchAll(/(?<![:\w.#])(#?[A-Za-z_]\w*)(?!\s*\()/g)) {
    const token = match[1]!;
    if (/^(SET|REMOVE|ADD|DELETE)$/i.test(token)) continue;
    names.add(token.startsWith('#') ? aliases[token]! : token);
  }
  return [...names].sort();
}

const context = { partition: 'aws' as const, region: 'us-east-1', account: '123456789012' };

async function asStackRole(tableName: string, sent: Sent) {
  const where = { ...context, tableName };
  const role: PolicySet = {
    identity: [{ name: 'table', policy: stackTablePolicy(where) }],
    boundary: stackBoundaryPolicy(where),
    account: context.account,
    principal: `arn:aws:sts::${context.account}:assumed-role/lf-orders-api-lambda-role-us-east-1/orders-api`,
  };
  const action = `dynamodb:${sent.command.replace(/Command$/, '')}`;
  const attributes = attributesOf(sent);
  const verdict = await evaluate(role, {
    action,
    resource: arn.table(where, tableName),
    context: {
      'aws:PrincipalTag/lambdaflex:stack': 'orders-api',
      'dynamodb:LeadingKeys': 'orders-api',
      ...(action === 'dynamodb:GetItem' ? {} : { 'dynamodb:Attributes': attributes }),
    },
  });
  return { action, attributes, result: verdict.result };
}

describe("the service's writes of its record, as the stack's role", () => {
  it('creates and replaces the spec with UpdateItems naming the spec’s attributes only, each allowed', async () => {
    const { store, sent, tableName } = await recordedStore();
    const created = await store.putSpec(specDoc());
    await store.putSpec(specDoc('orders-api', { port: 9090 }), {
      expectedGeneration: created.generation,
      expectedIncarnation: created.incarnation,
    });
    const writes = sent.filter((s) => s.command !== 'GetItemCommand');
    expect(writes.map((w) => w.command)).toEqual(['UpdateItemCommand', 'UpdateItemCommand']);
    for (const write of writes) {
      const verdict = await asStackRole(tableName, write);
      expect(verdict.attributes.every((a) => STACK_WRITABLE_ATTRIBUTES.includes(a))).toBe(true);
      expect(verdict.result).toBe('Allowed');
    }
    // Every request the two calls sent, reads included, is one the role may make.
    for (const request of sent) expect((await asStackRole(tableName, request)).result).toBe('Allowed');
  });

  it('the reconciler’s own writes name its attributes, which the stack’s role is refused', async () => {
    const { store, sent, tableName } = await recordedStore();
    await store.putSpec(specDoc());
    sent.length = 0;
    await store.acquireLease('orders-api', 'pass-1');
    await store.writeStatus('orders-api', (r) => ({
      observedGeneration: r.generation,
      phase: 'Pending',
      conditions: [],
      resources: {},
    }));
    const writes = sent.filter((s) => s.command === 'UpdateItemCommand');
    expect(writes.length).toBeGreaterThanOrEqual(2);
    for (const write of writes) expect((await asStackRole(tableName, write)).result).toBe('ImplicitlyDenied');
  });

  it('a record as the service creates it reads as a new stack that owns nothing (not one from before ownership)', async () => {
    const { store } = await recordedStore();
    const created = await store.putSpec(specDoc());
    const read = await store.get('orders-api');
    for (const record of [created, read!]) {
      expect(record).toMatchObject({ generation: 1, version: 1, events: [] });
      expect(record.incarnation).toMatch(/./);
      expect(record.bookkeeping.owned).toEqual({});
      expect(record.status).toBeUndefined();
      expect(record.lease).toBeUndefined();
    }
  });
});

describe('a version that is no counter (the stack role may write `version`)', () => {
  it.each([
    ['a string', { S: 'x' }],
    ['a number-like string', { S: '5' }],
    ['a fraction', { N: '2.5' }],
    ['zero', { N: '0' }],
  ])('%s: the reconciler’s next status write starts it again at 1', async (_name, value) => {
    const { store, tableName } = await recordedStore();
    await store.putSpec(specDoc());
    const { UpdateItemCommand } = await import('@aws-sdk/client-dynamodb');
    await db.client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { stack: { S: 'orders-api' } },
        UpdateExpression: 'SET version = :v',
        ExpressionAttributeValues: { ':v': value },
      }),
    );
    expect((await store.get('orders-api'))?.version).toBe(0);
    const written = await store.writeStatus('orders-api', (r) => ({
      observedGeneration: r.generation,
      phase: 'Pending',
      conditions: [],
      resources: {},
    }));
    expect(written.version).toBe(1);
    expect(written.status?.phase).toBe('Pending');
    // And from there the counter works as ever.
    const next = await store.writeStatus('orders-api', (r) => ({ ...r.status!, phase: 'Lambda' }));
    expect(next.version).toBe(2);
  });
});
