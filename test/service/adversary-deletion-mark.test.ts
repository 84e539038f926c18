/**
 * adversary: PUT /desired-state on a record whose `deletionRequestedAt` was edited by hand into no time
 * (null, ""): whether the stack is to be deleted is unknown, so the write is refused with a 409 that names
 * the field, the rule and what to do, and nothing is written. Over the DynamoDB store in dynalite.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { DynamoStateStore } from '../../reconciler/state';
import { newStore, startTestDynamo, type TestDynamo } from '../reconciler/state/fixtures';
import { bearer, buildTestApp, STACK, type TestApp } from './support';

const doc = { stack: STACK, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1' };

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

let t: TestApp<DynamoStateStore>;
let store: DynamoStateStore;
let http: ReturnType<typeof request>;
beforeEach(async () => {
  store = (await newStore(db)).store;
  t = await buildTestApp({}, store);
  http = request(t.app.getHttpServer());
});
afterEach(() => t.app.close());

describe('adversary: PUT /desired-state over a deletion mark that is no time', () => {
  it.each([
    ['null', null, 'null'],
    ['""', '', 'an empty string'],
    ['false', false, 'the boolean false'],
  ])('%s: 409 naming the field and the rule, nothing written', async (_name, value, kind) => {
    await store.putSpec(doc);
    await DynamoDBDocumentClient.from(db.client).send(
      new UpdateCommand({
        TableName: store.tableName,
        Key: { stack: STACK },
        UpdateExpression: 'SET deletionRequestedAt = :value',
        ExpressionAttributeValues: { ':value': value },
      }),
    );
    const read = await http.get('/desired-state').set('Authorization', bearer).expect(200);
    const before = await store.get(STACK);
    const res = await http
      .put('/desired-state')
      .set('Authorization', bearer)
      .set('If-Match', read.headers.etag as string)
      .send({ ...doc, mode: 'lambda' })
      .expect(409);
    expect(res.body.message).toContain(
      `writing spec (${STACK}): deletionRequestedAt: ${kind} is not a deletion request`,
    );
    expect(res.body.message).toContain(`\`lambdaflex delete ${STACK}\``);
    expect(await store.get(STACK)).toEqual(before);
  });
});
