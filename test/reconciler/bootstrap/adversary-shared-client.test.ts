/**
 * adversary: one DynamoDB client shared by the state store and bootstrap's system-record kind (as
 * `lambdaflex bootstrap` shares its client). lib-dynamodb's `DynamoDBDocumentClient.from(client, options)`
 * writes its translation options onto the shared client's config, so a document client made later with
 * other options (or none) changes how the store's own document client marshals: a status with an
 * undefined field, which the store writes by leaving it out, would then be refused.
 */
import { systemRecordResource } from '../../../reconciler/bootstrap/system-record-kind';
import { DynamoStateStore } from '../../../reconciler/state';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

let db: TestDynamo;
beforeAll(async () => (db = await startTestDynamo()));
afterAll(() => db.stop());

it('the system record kind, used after the store on the same client, leaves the store writing as before', async () => {
  const store = new DynamoStateStore({ client: db.client, tableName: 'lf-adv-shared' });
  await store.ensureTable();
  await store.putSpec({ stack: 'orders-api', image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/x:1' });
  const kind = systemRecordResource(db.client, store.tableName, { hostedZones: [], zoneNames: {} });
  await kind.find({} as never);
  const written = await store.writeStatus('orders-api', () => ({
    observedGeneration: 1,
    phase: 'Lambda',
    conditions: [],
    resources: {},
    conflicts: undefined,
  }));
  expect(written.status?.phase).toBe('Lambda');
  expect(written.status).not.toHaveProperty('conflicts');
});
