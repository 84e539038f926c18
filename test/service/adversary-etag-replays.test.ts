/**
 * adversary: /desired-state's conditional writes replayed and misspelled, over both stores (in memory,
 * and DynamoDB in dynalite: the service must answer alike whichever it runs on). An ETag is a revision of
 * one record: it never applies again once the spec moved on, not even when the spec came back to what it
 * was (A → B → A), nor to a PUT of the very spec it read; a weak ETag (W/…) names no revision; a create
 * (If-None-Match: *) never overwrites a record. Each: the answer, and nothing written.
 */
import request from 'supertest';
import type { StateStore } from '../../reconciler/state/types';
import { InMemoryStateStore } from '../../reconciler/state/memory-store';
import { newStore, startTestDynamo, type TestDynamo } from '../reconciler/state/fixtures';
import { bearer, buildTestApp, STACK, type TestApp } from './support';

const A = { stack: STACK, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1' };
const B = { ...A, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:2' };

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

describe.each([
  ['in memory', async (): Promise<StateStore> => new InMemoryStateStore()],
  ['DynamoDB', async (): Promise<StateStore> => (await newStore(db)).store],
])('adversary: ETags replayed (%s)', (_name, makeStore) => {
  let t: TestApp<StateStore>;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    t = await buildTestApp({}, await makeStore());
    http = request(t.app.getHttpServer());
  });
  afterEach(() => t.app.close());

  const put = (body: object, headers: Record<string, string>) => {
    let req = http.put('/desired-state').set('Authorization', bearer);
    for (const [k, v] of Object.entries(headers)) req = req.set(k, v);
    return req.send(body);
  };
  const generation = async () => (await t.store.get(STACK))?.generation;

  it('If-None-Match: * on a stack that exists: 412 with the current ETag, the spec unchanged', async () => {
    const created = await put(A, { 'If-None-Match': '*' });
    expect(created.status).toBe(201);
    const again = await put(B, { 'If-None-Match': '*' });
    expect(again.status).toBe(412);
    expect(again.headers.etag).toBe(created.headers.etag);
    expect((await t.store.get(STACK))?.spec).toMatchObject({ image: A.image });
  });

  it('an ETag replayed after A → B → A: 412, though the spec reads as it did', async () => {
    const first = await put(A, { 'If-None-Match': '*' });
    const second = await put(B, { 'If-Match': first.headers.etag! });
    expect(second.status).toBe(200);
    const third = await put(A, { 'If-Match': second.headers.etag! });
    expect(third.status).toBe(200);
    const replay = await put(B, { 'If-Match': first.headers.etag! });
    expect(replay.status).toBe(412);
    expect(replay.headers.etag).toBe(third.headers.etag);
    expect(await generation()).toBe(3);
    expect((await t.store.get(STACK))?.spec).toMatchObject({ image: A.image });
  });

  it('the very spec it read, PUT with an ETag since replaced: 412, not a quiet 200', async () => {
    const first = await put(A, { 'If-None-Match': '*' });
    const second = await put(B, { 'If-Match': first.headers.etag! });
    const stale = await put(B, { 'If-Match': first.headers.etag! });
    expect(stale.status).toBe(412);
    expect(stale.headers.etag).toBe(second.headers.etag);
    expect(await generation()).toBe(2);
  });

  it.each([
    ['weak', (etag: string) => `W/${etag}`],
    ['a list naming it twice', (etag: string) => `${etag}, ${etag}`],
    ['a list naming it after another', (etag: string) => `"9.000000000000", ${etag}`],
  ])('an If-Match %s: refused, nothing written', async (_kind, spell) => {
    const first = await put(A, { 'If-None-Match': '*' });
    const res = await put(B, { 'If-Match': spell(first.headers.etag!) });
    expect([400, 412]).toContain(res.status);
    expect(await generation()).toBe(1);
    expect((await t.store.get(STACK))?.spec).toMatchObject({ image: A.image });
  });
});
