/**
 * Attacks on /desired-state's ETag (the spec's generation) over the DynamoDB store in dynalite: a PUT whose
 * If-Match is no longer the stored spec's generation must never land, however the status, a second editor
 * or a delete request moved the record meanwhile; and status writes must never make a fresh ETag stale.
 */
import request from 'supertest';
import type { InMemoryStateStore } from '../../reconciler/state/memory-store';
import type { DynamoStateStore } from '../../reconciler/state';
import { newStore, startTestDynamo, type TestDynamo } from '../reconciler/state/fixtures';
import { bearer, buildTestApp, STACK, type TestApp } from './support';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1';
const doc = { stack: STACK, image: IMAGE };

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

describe('/desired-state over DynamoDB: an old ETag never overwrites a newer spec', () => {
  let t: TestApp;
  let store: DynamoStateStore;
  let http: ReturnType<typeof request>;
  beforeEach(async () => {
    store = (await newStore(db)).store;
    // The app takes any StateStore; the support's type names the in-memory one it builds by default.
    t = await buildTestApp({}, store as unknown as InMemoryStateStore);
    http = request(t.app.getHttpServer());
  });
  afterEach(() => t.app.close());

  const put = (body: object, ifMatch: string) =>
    http.put('/desired-state').set('Authorization', bearer).set('If-Match', ifMatch).send(body);
  const status = () =>
    store.writeStatus(STACK, (r) => ({
      observedGeneration: r.generation,
      phase: 'Lambda',
      conditions: [],
      resources: {},
    }));

  it("keeps the PUT answer's ETag valid through status writes, and refuses the ETag before it", async () => {
    await store.putSpec(doc);
    const first = await http.get('/desired-state').set('Authorization', bearer).expect(200);
    const written = await put({ ...doc, mode: 'lambda' }, first.headers.etag).expect(200);
    await status();
    await status();
    await put({ ...doc, mode: 'fargate' }, written.headers.etag).expect(200);
    const stale = await put({ ...doc, mode: 'lambda' }, first.headers.etag).expect(412);
    expect(stale.body.currentEtag).toBe('"3"');
    expect((await store.get(STACK))!.spec).toMatchObject({ mode: 'fargate' });
  });

  it("refuses an ETag that is the record's version (what GET answered before) once it is ahead of the generation", async () => {
    await store.putSpec(doc);
    await status();
    await status();
    const record = (await store.get(STACK))!;
    expect(record).toMatchObject({ generation: 1, version: 3 });
    await put({ ...doc, mode: 'fargate' }, `"${record.version}"`).expect(412);
    expect((await store.get(STACK))!.spec).not.toMatchObject({ mode: 'fargate' });
  });

  it('lets exactly one of two editors holding the same ETag win', async () => {
    await store.putSpec(doc);
    const read = await http.get('/desired-state').set('Authorization', bearer).expect(200);
    const [a, b] = await Promise.all([
      put({ ...doc, mode: 'lambda' }, read.headers.etag),
      put({ ...doc, mode: 'fargate' }, read.headers.etag),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? a : b;
    const stored = (await store.get(STACK))!;
    expect(stored.generation).toBe(2);
    expect(stored.spec).toMatchObject({ mode: winner.body.mode });
  });

  it('answers 409 and writes nothing when the deletion was requested after the GET, even with If-Match: *', async () => {
    await store.putSpec(doc);
    const read = await http.get('/desired-state').set('Authorization', bearer).expect(200);
    await store.requestDelete(STACK);
    const before = await store.get(STACK);
    await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(409);
    await put({ ...doc, mode: 'fargate' }, '*').expect(409);
    expect(await store.get(STACK)).toEqual(before);
  });

  it('does not make the record again from an ETag of a record since deleted', async () => {
    await store.putSpec(doc);
    const read = await http.get('/desired-state').set('Authorization', bearer).expect(200);
    await store.requestDelete(STACK);
    await store.deleteRecord(STACK);
    await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(412);
    expect(await store.get(STACK)).toBeUndefined();
  });

  // DEFECT (open): the generation restarts at 1 when the stack is made again, so an ETag read from the
  // deleted record applies to the new one. Reproduction: GET (ETag "1"); the stack is deleted and made
  // again (If-None-Match: *); PUT with If-Match: "1" answers 200 and overwrites a spec its writer never
  // read. The ETag needs the record's incarnation, not only the generation.
  it.skip('refuses an ETag of a deleted record once the stack is made again', async () => {
    await store.putSpec(doc);
    const read = await http.get('/desired-state').set('Authorization', bearer).expect(200);
    await store.requestDelete(STACK);
    await store.deleteRecord(STACK);
    await http
      .put('/desired-state')
      .set('Authorization', bearer)
      .set('If-None-Match', '*')
      .send({ ...doc, mode: 'lambda' })
      .expect(201);
    await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(412);
    expect((await store.get(STACK))!.spec).toMatchObject({ mode: 'lambda' });
  });
});
