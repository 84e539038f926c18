/**
 * Attacks on /desired-state's ETag (the spec's generation) over the DynamoDB store in dynalite: a PUT whose
 * If-Match is no longer the stored spec's generation must never land, however the status, a second editor
 * or a delete request moved the record meanwhile; and status writes must never make a fresh ETag stale.
 */
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { emptyBookkeeping } from '../../reconciler/state/bookkeeping';
import { appOverDynamo, bearer, STACK } from './support';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1';
const doc = { stack: STACK, image: IMAGE };

const app = appOverDynamo();

const put = (body: object, ifMatch: string) =>
  app.http.put('/desired-state').set('Authorization', bearer).set('If-Match', ifMatch).send(body);

describe('/desired-state over DynamoDB: an old ETag never overwrites a newer spec', () => {
  const status = () =>
    app.store.writeStatus(STACK, (r) => ({
      observedGeneration: r.generation,
      phase: 'Lambda',
      conditions: [],
      resources: {},
    }));

  it("keeps the PUT answer's ETag valid through status writes, and refuses the ETag before it", async () => {
    await app.store.putSpec(doc);
    const first = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    const written = await put({ ...doc, mode: 'lambda' }, first.headers.etag).expect(200);
    await status();
    await status();
    await put({ ...doc, mode: 'fargate' }, written.headers.etag).expect(200);
    const stale = await put({ ...doc, mode: 'lambda' }, first.headers.etag).expect(412);
    expect(stale.body.currentEtag).toBe(`"3.${(await app.store.get(STACK))!.incarnation}"`);
    expect((await app.store.get(STACK))!.spec).toMatchObject({ mode: 'fargate' });
  });

  it("refuses an ETag that is the record's version (what GET answered before) once it is ahead of the generation", async () => {
    await app.store.putSpec(doc);
    await status();
    await status();
    const record = (await app.store.get(STACK))!;
    expect(record).toMatchObject({ generation: 1, version: 3 });
    await put({ ...doc, mode: 'fargate' }, `"${record.version}.${record.incarnation}"`).expect(412);
    expect((await app.store.get(STACK))!.spec).not.toMatchObject({ mode: 'fargate' });
  });

  it('lets exactly one of two editors holding the same ETag win', async () => {
    await app.store.putSpec(doc);
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    const [a, b] = await Promise.all([
      put({ ...doc, mode: 'lambda' }, read.headers.etag),
      put({ ...doc, mode: 'fargate' }, read.headers.etag),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 412]);
    const winner = a.status === 200 ? a : b;
    const stored = (await app.store.get(STACK))!;
    expect(stored.generation).toBe(2);
    expect(stored.spec).toMatchObject({ mode: winner.body.mode });
  });

  it('answers 409 and writes nothing when the deletion was requested after the GET, even with If-Match: *', async () => {
    await app.store.putSpec(doc);
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    await app.store.requestDelete(STACK);
    const before = await app.store.get(STACK);
    await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(409);
    await put({ ...doc, mode: 'fargate' }, '*').expect(409);
    expect(await app.store.get(STACK)).toEqual(before);
  });

  it('does not make the record again from an ETag of a record since deleted', async () => {
    await app.store.putSpec(doc);
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    await app.store.requestDelete(STACK);
    await app.store.deleteRecord(STACK);
    await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(412);
    expect(await app.store.get(STACK)).toBeUndefined();
  });

  // The generation starts again at 1 when the stack is made again: the ETag names the record's incarnation
  // too, so that one read from the deleted record never applies to the new one.
  it('refuses an ETag of a deleted record once the stack is made again', async () => {
    await app.store.putSpec(doc);
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    await app.store.requestDelete(STACK);
    await app.store.deleteRecord(STACK);
    const made = await app.http
      .put('/desired-state')
      .set('Authorization', bearer)
      .set('If-None-Match', '*')
      .send({ ...doc, mode: 'lambda' })
      .expect(201);
    expect(made.headers.etag).toMatch(/^"1\./);
    expect(made.headers.etag).not.toBe(read.headers.etag);
    const res = await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(412);
    expect(res.body.message).toBe(
      `the desired state changed since it was read: expected ETag ${read.headers.etag}, found ${made.headers.etag} (another incarnation: the stack was deleted and created again since, or the ETag sent is not one it gave); GET /desired-state again and retry`,
    );
    expect(res.body.currentEtag).toBe(made.headers.etag);
    expect((await app.store.get(STACK))!.spec).toMatchObject({ mode: 'lambda' });
  });

  it('refuses an ETag of the form from before incarnations (a generation alone), naming it, and writes nothing', async () => {
    await app.store.putSpec(doc);
    const before = await app.store.get(STACK);
    const res = await put({ ...doc, mode: 'fargate' }, '"1"').expect(412);
    const current = `"1.${before!.incarnation}"`;
    expect(res.body).toEqual({
      statusCode: 412,
      error: 'Precondition Failed',
      message: `If-Match "1" is a generation alone, the ETag of a record created before incarnations: it cannot tell this record (ETag ${current}) from one deleted and created again since it was read; GET /desired-state again and retry`,
      currentEtag: current,
    });
    expect(await app.store.get(STACK)).toEqual(before);
  });
});

describe('/desired-state over DynamoDB: a record created before incarnations', () => {
  beforeEach(async () => {
    // As a release before incarnations wrote it: no `incarnation` attribute.
    await DynamoDBDocumentClient.from(app.db.client).send(
      new PutCommand({
        TableName: app.store.tableName,
        Item: {
          stack: STACK,
          spec: doc,
          generation: 3,
          version: 5,
          events: [],
          bookkeeping: emptyBookkeeping(),
        },
      }),
    );
  });

  it('answers its generation alone as its ETag, and takes a write with it, keeping that form', async () => {
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    expect(read.headers.etag).toBe('"3"');
    const written = await put({ ...doc, mode: 'fargate' }, '"3"').expect(200);
    expect(written.headers.etag).toBe('"4"');
    await put({ ...doc, mode: 'lambda' }, '"3"').expect(412);
    // An ETag with an incarnation names another record: refused, whatever the generation.
    await put({ ...doc, mode: 'lambda' }, '"4.9f2c4e1a7b3d"').expect(412);
    expect(await app.store.get(STACK)).toMatchObject({ generation: 4, spec: { mode: 'fargate' } });
    expect((await app.store.get(STACK))!.incarnation).toBeUndefined();
  });

  it('no longer takes its ETag once deleted and made again, even at the same generation', async () => {
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    await app.store.requestDelete(STACK);
    await app.store.deleteRecord(STACK);
    await app.store.putSpec({ ...doc, mode: 'lambda' });
    await app.store.putSpec({ ...doc, mode: 'auto' });
    await app.store.putSpec({ ...doc, mode: 'lambda' });
    const remade = (await app.store.get(STACK))!;
    expect(remade.generation).toBe(3);
    const res = await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(412);
    expect(res.body.message).toMatch(/^If-Match "3" is a generation alone/);
    expect(res.body.currentEtag).toBe(`"3.${remade.incarnation}"`);
    expect(await app.store.get(STACK)).toEqual(remade);
  });
});
