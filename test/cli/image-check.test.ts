/**
 * Every stack has a Lambda tier, and Lambda runs an image only from a private Amazon ECR repository in
 * the function's own region (docs/aws-facts.md). A spec naming another image passed validate and apply,
 * and the reconciler created the stack's role and HTTP API before CreateFunction refused it for good.
 * validate and apply now refuse it up front, naming the field, the rule and the region when it is known.
 */
import { runCli, tempFolder, writeFile } from './run-cli';

const ECR = (region: string) => `123456789012.dkr.ecr.${region}.amazonaws.com/orders-api:1.4.2`;
const NOT_ECR =
  'must be in a private Amazon ECR repository (<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>): Lambda runs no other image';

function specFile(cwd: string, image: string): string {
  return writeFile(cwd, 'spec.json', { stack: 'orders-api', image, mode: 'lambda' });
}

describe('the image', () => {
  // The region from the environment would be checked too: these runs name theirs, or none.
  const saved = { ...process.env };
  beforeEach(() => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it.each([
    ['nginx:1.27'],
    ['public.ecr.aws/nginx/nginx:latest'],
    ['ghcr.io/acme/orders-api:1'],
    ['123456789012.dkr.ecr-fips.us-east-1.amazonaws.com/orders-api:1'],
  ])('%s is refused by validate, and by apply before anything is written', async (image) => {
    const cwd = tempFolder();
    const file = specFile(cwd, image);
    const validated = await runCli(cwd, ['validate', '-f', file]);
    expect(validated.code).toBe(1);
    expect(validated.stderr.split('\n')[0]).toBe(`image: ${NOT_ECR}`);
    const applied = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(applied.code).toBe(1);
    expect(applied.stdout).toBe('');
    expect(applied.stderr.split('\n')[0]).toBe(`image: ${NOT_ECR} (push it to one in us-east-1)`);
    expect((await runCli(cwd, ['--local', 'list'])).code).toBe(1);
  });

  it("in another region's repository is refused where the region is known: --local, --region", async () => {
    const cwd = tempFolder();
    const file = specFile(cwd, ECR('eu-west-1'));
    const local = await runCli(cwd, ['--local', 'apply', '-f', file]);
    expect(local.code).toBe(1);
    expect(local.stderr.split('\n')[0]).toBe(
      "image: is in eu-west-1, and Lambda runs images from the stack's region only (us-east-1): replicate the repository to us-east-1",
    );
    // Before any AWS call: no credentials are needed to be told.
    const aws = await runCli(cwd, ['--region', 'us-west-2', 'validate', '-f', file]);
    expect(aws.code).toBe(1);
    expect(aws.stderr.split('\n')[0]).toMatch(/^image: is in eu-west-1, .*only \(us-west-2\)/);
    // Without a region the shape alone is checked.
    expect((await runCli(cwd, ['validate', '-f', file])).code).toBe(0);
  });

  it('in a private ECR repository of the region is taken', async () => {
    const cwd = tempFolder();
    const file = specFile(cwd, `${ECR('us-east-1').replace(':1.4.2', '')}@sha256:${'a'.repeat(64)}`);
    expect((await runCli(cwd, ['--local', 'apply', '-f', file])).code).toBe(0);
  });
});
