/**
 * adversary: PUT /desired-state on a record whose `deletionRequestedAt` was edited by hand into no time
 * (null, ""): whether the stack is to be deleted is unknown, so the write is refused with a 409 that names
 * the field, the rule and what to do, and nothing is written. Over the DynamoDB store in dynalite.
 */
import { appOverDynamo, bearer, STACK } from './support';

const doc = { stack: STACK, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1' };

const app = appOverDynamo();

describe('adversary: PUT /desired-state over a deletion mark that is no time', () => {
  it.each([
    ['null', null, 'null'],
    ['""', '', 'an empty string'],
    ['false', false, 'the boolean false'],
  ])('%s: 409 naming the field and the rule, nothing written', async (_name, value, kind) => {
    await app.store.putSpec(doc);
    await app.setByHand('deletionRequestedAt', value);
    const read = await app.http.get('/desired-state').set('Authorization', bearer).expect(200);
    const before = await app.store.get(STACK);
    const res = await app.http
      .put('/desired-state')
      .set('Authorization', bearer)
      .set('If-Match', read.headers.etag as string)
      .send({ ...doc, mode: 'lambda' })
      .expect(409);
    expect(res.body.message).toContain(
      `writing spec (${STACK}): deletionRequestedAt: ${kind} is not a deletion request`,
    );
    expect(res.body.message).toContain(`\`lambdaflex delete ${STACK}\``);
    expect(await app.store.get(STACK)).toEqual(before);
  });
});
