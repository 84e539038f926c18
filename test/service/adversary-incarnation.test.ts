/**
 * Attacks on /desired-state's incarnation over the DynamoDB store in dynalite: a caller without the token
 * (or with another) learns nothing of the record, however stale its ETag; a record whose incarnation was
 * edited by hand in the console is never written by a PUT that did not name it, and a PUT is never told to
 * retry what no retry can fix.
 */
import { appOverDynamo, bearer, STACK } from './support';

const IMAGE = '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1';
const doc = { stack: STACK, image: IMAGE };

const app = appOverDynamo();

const put = (body: object, ifMatch: string, authorization = bearer) =>
  app.http.put('/desired-state').set('Authorization', authorization).set('If-Match', ifMatch).send(body);

describe('adversary: a caller without the API token and an ETag', () => {
  it.each([
    ['no token', undefined],
    ['another token', 'Bearer lf_someone_else'],
  ])(
    '%s: refused before the precondition is looked at, nothing written, nothing of the record told',
    async (_, authorization) => {
      await app.store.putSpec(doc);
      const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
      await app.store.putSpec({ ...doc, mode: 'lambda' });
      const before = await app.store.get(STACK);
      for (const etag of [read.headers.etag as string, `"2.${before!.incarnation}"`, '*']) {
        const req = app.http.put('/desired-state').set('If-Match', etag);
        const res = await (authorization ? req.set('Authorization', authorization) : req)
          .send({ ...doc, mode: 'fargate' })
          .expect(401);
        // Neither the current ETag nor the incarnation: a stale ETag's 412 would tell both. (Express's own
        // weak ETag of the 401's body is no record's.)
        expect(String(res.headers.etag ?? '')).not.toMatch(/^"\d+[."]/);
        expect(JSON.stringify(res.body)).not.toContain(before!.incarnation!);
        expect(res.body.currentEtag).toBeUndefined();
      }
      expect(await app.store.get(STACK)).toEqual(before);
    },
  );
});

describe('adversary: the record’s incarnation edited by hand', () => {
  it('to another well-formed one: the ETag read before no longer applies, the one read after does', async () => {
    await app.store.putSpec(doc);
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    await app.setByHand('incarnation', '0123456789ab');
    await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(412);
    const again = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    expect(again.headers.etag).toBe('"1.0123456789ab"');
    await put({ ...doc, mode: 'fargate' }, again.headers.etag).expect(200);
    expect((await app.store.get(STACK))!.spec).toMatchObject({ mode: 'fargate' });
  });

  // A GET's ETag never leads to a 400 "If-Match must be one ETag from GET" (an incarnation outside the
  // pattern, with a dot, is none), nor to a 412 "... found "1"; GET again and retry" that no retry passes
  // (a number is none): the answer names the record's incarnation and what to do, and nothing is written.
  it.each([
    ['a string outside the pattern', '9f2c.4e1a'],
    ['a number', 12345],
  ])('to %s: the PUT of the ETag GET answers names the field, is not told to retry', async (_, value) => {
    await app.store.putSpec(doc);
    await app.setByHand('incarnation', value);
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    const before = await app.store.get(STACK);
    const res = await put({ ...doc, mode: 'fargate' }, read.headers.etag).expect(409);
    expect(res.body.message).toBe(
      `writing spec (${STACK}): the record's incarnation is not one (1 to 64 letters, digits, "-" or "_": edited by hand?), so no write conditional on generation 1 of a record without an incarnation can match it; set incarnation back to the value it had, or remove the attribute`,
    );
    expect(await app.store.get(STACK)).toEqual(before);
  });

  it('to a number: nothing is written, whatever the If-Match', async () => {
    await app.store.putSpec(doc);
    await app.setByHand('incarnation', 12345);
    const before = await app.store.get(STACK);
    for (const etag of ['"1"', '"1.12345"', '*']) {
      const res = await put({ ...doc, mode: 'fargate' }, etag);
      expect([409, 412]).toContain(res.status);
    }
    expect(await app.store.get(STACK)).toEqual(before);
  });
});
