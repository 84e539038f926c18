/**
 * A real DynamoDB (dynalite, in memory) on a free port, for tests that must talk to the table over HTTP
 * with the real SDK client rather than mocks.
 *
 * @example
 * let db: TestDynamo;
 * beforeAll(async () => (db = await startTestDynamo()));
 * afterAll(() => db.stop());
 */
import { startDynalite, type RunningDynalite } from '../../cli/local';

export type TestDynamo = RunningDynalite;

export function startTestDynamo(options: { path?: string } = {}): Promise<TestDynamo> {
  return startDynalite(options);
}
