/**
 * The folder's local account is one account: the table's ARN (dynalite's) names the simulated account,
 * as every other ARN bootstrap prints does, not dynalite's default 000000000000.
 */
import { runCli, tempFolder } from './run-cli';

jest.setTimeout(120_000);

describe('the local account', () => {
  it("names the simulated account in the table's ARN, as in every other", async () => {
    const cwd = tempFolder();
    const boot = await runCli(cwd, ['--local', 'bootstrap']);
    expect(boot.code).toBe(0);
    expect(boot.stdout).toContain('table: arn:aws:dynamodb:us-east-1:123456789012:table/lambdaflex');
    expect(boot.stdout).not.toContain('000000000000');
    expect(process.env.AWS_ACCOUNT_ID).toBeUndefined();
  });
});
