/**
 * adversary: the record edited by hand in the DynamoDB console (or by a script) into shapes the
 * reconciler never writes: wrong types, huge numbers, unicode, missing fields, in the spec and in the
 * reconciler's own fields. A bad spec is refused naming the field and the rule, with nothing done in AWS;
 * nothing else may make the pass throw.
 */
import { type AttributeValue, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { reconcileStack, type PassResult } from '../../reconciler/reconcile';
import { UnreadableDeletionMarkError } from '../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../support/dynalite';
import { lambdaStackOnDynamo, specInput, STACK } from './harness';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

/** A Lambda-tier stack reconciled to settled, its record in DynamoDB (dynalite), and a raw editor of the item. */
async function settledOnDynamo() {
  const { s, store, options, edit, raw } = await lambdaStackOnDynamo(db, 'adversary-edit');
  /** An edit in DynamoDB's own terms, for what a document client would not marshall (huge numbers, odd keys). */
  const rawEdit = (
    expression: string,
    values: Record<string, AttributeValue>,
    names?: Record<string, string>,
  ) =>
    raw.send(
      new UpdateItemCommand({
        TableName: store.tableName,
        Key: { stack: { S: STACK } },
        UpdateExpression: expression,
        ExpressionAttributeValues: values,
        ...(names ? { ExpressionAttributeNames: names } : {}),
      }),
    );
  const pass = async (): Promise<PassResult> => {
    s.account.advance(60_000);
    return reconcileStack(options, STACK);
  };
  /** The ids of what the stack owns in the account, sorted: nothing given up, made twice or deleted. */
  const ownedIds = () =>
    s
      .owned()
      .map((item) => item.id)
      .sort();
  return { store, edit, rawEdit, pass, ownedIds };
}

/** A spec edit refused: the pass says invalid, changes nothing in AWS, and SpecValid names `field`. */
async function expectRefused(
  { store, pass, ownedIds }: Awaited<ReturnType<typeof settledOnDynamo>>,
  before: string[],
  field: RegExp,
) {
  const result = await pass();
  expect(result.outcome).toBe('invalid');
  expect(result.calls.mutating).toBe(0);
  expect(ownedIds()).toEqual(before);
  const valid = (await store.get(STACK))!.status!.conditions.find((c) => c.type === 'SpecValid');
  expect(valid).toMatchObject({ status: 'False', message: expect.stringMatching(field) });
}

type Edit = [string, string, Record<string, unknown>?, Record<string, string>?];

const RECORD_EDITS: Edit[] = [
  ['nothing of ours (an attribute added)', 'SET extra = :v', { ':v': 'x' }],
  ['events a string', 'SET events = :v', { ':v': 'oops' }],
  ['events holding null, a number and a half event', 'SET events = :v', { ':v': [null, 5, { type: 7 }] }],
  ['bookkeeping a string', 'SET bookkeeping = :v', { ':v': 'oops' }],
  ['bookkeeping.owned a string', 'SET bookkeeping.owned = :v', { ':v': 'oops' }],
  [
    'bookkeeping.owned.function a string',
    'SET bookkeeping.owned.#f = :v',
    { ':v': 'oops' },
    { '#f': 'function' },
  ],
  ['bookkeeping.owned.function null', 'SET bookkeeping.owned.#f = :v', { ':v': null }, { '#f': 'function' }],
  ['bookkeeping.intents.vpc a string', 'SET bookkeeping.intents = :v', { ':v': { vpc: 'oops' } }],
  [
    'bookkeeping.intents.vpc half an intent',
    'SET bookkeeping.intents = :v',
    { ':v': { vpc: [{ at: 'x' }] } },
  ],
  ['bookkeeping.forgotten a number', 'SET bookkeeping.forgotten = :v', { ':v': 5 }],
  ['bookkeeping.forgotten.vpc a string', 'SET bookkeeping.forgotten = :v', { ':v': { vpc: 'x' } }],
  ['bookkeeping.retries.k a number', 'SET bookkeeping.retries = :v', { ':v': { 'create:alb': 5 } }],
  [
    'bookkeeping.pendingChanges.k a number',
    'SET bookkeeping.pendingChanges = :v',
    { ':v': { 'dns-lambda': 5 } },
  ],
  ['bookkeeping.shift a string', 'SET bookkeeping.shift = :v', { ':v': 'oops' }],
  ['bookkeeping.terminal a string', 'SET bookkeeping.terminal = :v', { ':v': 'oops' }],
  [
    'bookkeeping.terminal.messages a string',
    'SET bookkeeping.terminal = :v',
    { ':v': { generation: 1, messages: 'x' } },
  ],
  ['bookkeeping.observationSnapshot a string', 'SET bookkeeping.observationSnapshot = :v', { ':v': 'oops' }],
  ['bookkeeping.earlier a string', 'SET bookkeeping.earlier = :v', { ':v': 'oops' }],
  ['bookkeeping.autoLedger a string', 'SET bookkeeping.autoLedger = :v', { ':v': 'oops' }],
  ['bookkeeping.zones a string', 'SET bookkeeping.zones = :v', { ':v': 'oops' }],
  ['status a string', 'SET #s = :v', { ':v': 'oops' }, { '#s': 'status' }],
  ['status.conditions a string', 'SET #s.conditions = :v', { ':v': 'oops' }, { '#s': 'status' }],
  ['status.conditions holding null', 'SET #s.conditions = :v', { ':v': [null, 5] }, { '#s': 'status' }],
  ['status.resources a string', 'SET #s.resources = :v', { ':v': 'oops' }, { '#s': 'status' }],
  ['status.phase a number', 'SET #s.phase = :v', { ':v': 5 }, { '#s': 'status' }],
  ['lease half a lease', 'SET lease = :v', { ':v': { holder: 5, expiresAt: 'tomorrow' } }],
  ['lease empty', 'SET lease = :v', { ':v': {} }],
];

describe('adversary: the record edited by hand, outside the spec', () => {
  it.each(RECORD_EDITS)(
    '%s: the pass neither throws nor changes AWS, and the next one settles',
    async (...[name, expression, values, names]: Edit) => {
      const { edit, pass, store, ownedIds } = await settledOnDynamo();
      const before = ownedIds();
      await edit(expression, values, names);
      let error: unknown;
      const result = await pass().catch((e: unknown) => {
        error = e;
        return undefined;
      });
      expect({ name, error }).toEqual({ name, error: undefined });
      expect(result!.outcome).toBe('reconciled');
      // The Lambda tier it built is the same, and still the stack's: nothing given up, made twice or deleted.
      const settled = await pass();
      expect(settled.calls.mutating).toBe(0);
      expect(ownedIds()).toEqual(before);
      const record = (await store.get(STACK))!;
      expect(record.events.every((event) => typeof event === 'object' && event !== null)).toBe(true);
      expect(Array.isArray(record.status!.conditions)).toBe(true);
    },
  );
});

/** Spec edits no validation saw: each must be refused naming its field, with no AWS call that changes anything. */
const SPEC_EDITS: [string, string, Record<string, unknown>, RegExp][] = [
  ['mode a number', 'SET spec.#m = :v', { ':v': 42 }, /mode/],
  ['fargate a string', 'SET spec.fargate = :v', { ':v': 'big' }, /fargate/],
  ['fargate.minTasks negative', 'SET spec.fargate.minTasks = :v', { ':v': -1 }, /minTasks/],
  ['image removed', 'REMOVE spec.image', {}, /image/],
  ['image in unicode', 'SET spec.image = :v', { ':v': 'образ:1' }, /image/],
  ['stack another name', 'SET spec.#s = :v', { ':v': 'другой' }, /stack/],
  // Another stack's valid name: acted on, it would build (and tag) that stack's resources from this record.
  ['stack another stack’s name', 'SET spec.#s = :v', { ':v': 'payments' }, /stack/],
  ['environment a reserved name', 'SET spec.environment = :v', { ':v': { AWS_REGION: 'x' } }, /AWS_REGION/],
  ['environment values not strings', 'SET spec.environment = :v', { ':v': { DB_URL: 5 } }, /DB_URL/],
  ['an unknown field', 'SET spec.surprise = :v', { ':v': true }, /surprise/],
];

describe('adversary: the spec edited by hand into an invalid one', () => {
  it.each(SPEC_EDITS)(
    '%s: refused naming the field, nothing done in AWS',
    async (_name, expression, values, field) => {
      const stack = await settledOnDynamo();
      const before = stack.ownedIds();
      const names: Record<string, string> = {};
      if (expression.includes('#m')) names['#m'] = 'mode';
      if (expression.includes('#s')) names['#s'] = 'stack';
      await stack.edit(expression, values, names);
      await expectRefused(stack, before, field);
    },
  );
});

/** The same, written in DynamoDB's own terms: what a document client refuses to marshall, the console writes. */
const RAW_SPEC_EDITS: [string, string, Record<string, AttributeValue>, RegExp][] = [
  ['fargate.maxTasks a huge number', 'SET spec.fargate.maxTasks = :v', { ':v': { N: '1e100' } }, /maxTasks/],
  [
    'fargate.cpu past the safe integers',
    'SET spec.fargate.cpu = :v',
    { ':v': { N: '9007199254740993' } },
    /cpu/,
  ],
  [
    'environment a prototype key',
    'SET spec.environment = :v',
    { ':v': { M: { constructor: { S: 'x' } } } },
    /constructor/,
  ],
];

describe('adversary: the spec edited by hand in DynamoDB’s own terms', () => {
  it.each(RAW_SPEC_EDITS)(
    '%s: refused naming the field, nothing done in AWS',
    async (_name, expression, values, field) => {
      const stack = await settledOnDynamo();
      const before = stack.ownedIds();
      await stack.rawEdit(expression, values);
      await expectRefused(stack, before, field);
    },
  );

  it('environment __proto__: the SDK reads the key as no variable, and the pass changes nothing', async () => {
    const { rawEdit, pass, ownedIds } = await settledOnDynamo();
    const before = ownedIds();
    await rawEdit('SET spec.environment = :v', { ':v': { M: JSON.parse('{"__proto__":{"S":"x"}}') } });
    const result = await pass();
    expect(result.calls.mutating).toBe(0);
    expect(ownedIds()).toEqual(before);
  });

  it('generation past the safe integers: the pass neither throws nor changes AWS', async () => {
    const { rawEdit, pass, ownedIds } = await settledOnDynamo();
    const before = ownedIds();
    await rawEdit('SET generation = :v', { ':v': { N: '1e100' } });
    const result = await pass();
    expect(result.calls.mutating).toBe(0);
    expect(ownedIds()).toEqual(before);
  });
});

describe('adversary: the record’s own counters edited by hand', () => {
  // A `version` edited into a string (by hand, or by the stack's own role, which may write it) used to
  // make every status write conditional on a version the item could never have: each pass threw
  // VersionConflictError, for ever. It reads as none and the next status write starts it again at 1.
  it('version a string: the pass neither throws nor stops the stack for good', async () => {
    const { edit, pass } = await settledOnDynamo();
    await edit('SET version = :v', { ':v': 'x' });
    await expect(pass()).resolves.toMatchObject({ outcome: 'reconciled' });
  });
});

/**
 * A deletion mark as `lambdaflex delete` never writes it: a person "clearing" it in the console (null, false,
 * 0, ""), or writing a time in words. Deletion is final, so only a mark as the product writes it (the time
 * of the request, a number of milliseconds since the epoch) is a request: any other holds the stack, nothing
 * of it created, changed or deleted, and its status says why and what to do.
 */
const MALFORMED_MARKS: [string, AttributeValue, RegExp][] = [
  ['null', { NULL: true }, /null/],
  ['false', { BOOL: false }, /the boolean false/],
  ['true', { BOOL: true }, /the boolean true/],
  ['0', { N: '0' }, /the number 0\b/],
  ['a negative number', { N: '-5' }, /the number -5\b/],
  ['past the last time a date holds', { N: '1e100' }, /the number 1e\+?100/],
  ['""', { S: '' }, /an empty string/],
  ['"yesterday"', { S: 'yesterday' }, /the string "yesterday"/],
  // The product writes a number: a time as a string is none, whatever it says.
  ['a time as a string', { S: '2026-01-01T00:00:00Z' }, /the string "2026-01-01T00:00:00Z"/],
  ['a map', { M: { at: { N: '1767225600000' } } }, /a map/],
];

describe('adversary: the deletion mark edited by hand into no time', () => {
  it.each(MALFORMED_MARKS)(
    'deletionRequestedAt %s: the stack is held, nothing deleted, and its status says why',
    async (_name, value, kind) => {
      const { rawEdit, pass, store, ownedIds } = await settledOnDynamo();
      const before = ownedIds();
      await rawEdit('SET deletionRequestedAt = :v', { ':v': value });
      for (let i = 0; i < 3; i++) {
        const result = await pass();
        expect(result).toMatchObject({ outcome: 'invalid', calls: { mutating: 0 } });
      }
      expect(ownedIds()).toEqual(before);
      const record = (await store.get(STACK))!;
      expect(record.deletionRequestedAt).toBeUndefined();
      const held = record.status!.conditions.find((c) => c.type === 'SpecValid');
      expect(held).toMatchObject({ status: 'False', reason: 'DeletionMarkUnreadable' });
      // The field, the value's kind, the rule, and what to do.
      expect(held!.message).toMatch(/^deletionRequestedAt: /);
      expect(held!.message).toMatch(kind);
      expect(held!.message).toMatch(/milliseconds since the epoch/);
      expect(held!.message).toContain(`lambdaflex delete ${STACK}`);
      expect(held!.message).toMatch(/remov/);
      expect(record.events.filter((e) => e.reason === 'DeletionMarkUnreadable')).toHaveLength(1);
    },
  );

  it('deletionRequestedAt null, then `lambdaflex delete`: the request replaces it, and the stack is deleted', async () => {
    const { edit, pass, store, ownedIds } = await settledOnDynamo();
    await edit('SET deletionRequestedAt = :v', { ':v': null });
    await pass();
    const { record: requested } = await store.requestDelete(STACK);
    expect(requested.deletionRequestedAt).toEqual(expect.any(Number));
    expect(requested.unreadableDeletionMark).toBeUndefined();
    let result = await pass();
    for (let i = 0; i < 100 && result.outcome !== 'deleted'; i++) result = await pass();
    expect(result.outcome).toBe('deleted');
    expect(ownedIds()).toEqual([]);
    expect(await store.get(STACK)).toBeUndefined();
  });

  it('deletionRequestedAt "" removed again: the next pass reconciles, and the hold is lifted', async () => {
    const { edit, pass, store, ownedIds } = await settledOnDynamo();
    const before = ownedIds();
    await edit('SET deletionRequestedAt = :v', { ':v': '' });
    await pass();
    await edit('REMOVE deletionRequestedAt');
    const result = await pass();
    expect(result).toMatchObject({ outcome: 'reconciled', calls: { mutating: 0 } });
    expect(ownedIds()).toEqual(before);
    const valid = (await store.get(STACK))!.status!.conditions.find((c) => c.type === 'SpecValid');
    expect(valid).toMatchObject({ status: 'True' });
  });

  it('deletionRequestedAt "yesterday": apply is refused naming the field, and nothing is written', async () => {
    const { edit, store } = await settledOnDynamo();
    await edit('SET deletionRequestedAt = :v', { ':v': 'yesterday' });
    const before = await store.get(STACK);
    const error = await store.putSpec(specInput({ mode: 'fargate' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnreadableDeletionMarkError);
    expect((error as Error).message).toMatch(
      /^writing spec \(orders-api\): deletionRequestedAt: the string "yesterday" is not a deletion request/,
    );
    expect(await store.get(STACK)).toEqual(before);
  });
});
