import type { Command } from 'commander';
import { formatSpecErrors, validateSpec } from '../../spec';
import type { CliContext } from '../context';
import { readDocument } from '../input';
import { CliError } from '../io';
import { FIX_FIELDS } from '../next-step';
import type { DesiredState } from '../../spec/types';
import { lambdaImageErrors } from '../../spec/lambda-image';
import { chosenRegion } from '../global-options';
import { LOCAL_REGION } from '../local';
import { helpAfter } from '../help-text';
import { isStackName } from '../stack-argument';

/**
 * Reads and validates a document: the shared first half of `validate`, `apply` and `simulate`. Beyond the
 * schema and rules, the image must be one Lambda runs, from the region when it is known: the local and
 * simulated accounts' own, or the one `--region` or the environment names (no AWS call is made for it).
 */
export async function readValidSpec(
  file: string,
  ctx: CliContext,
  region: string | undefined = ctx.options.local ? LOCAL_REGION : chosenRegion(ctx.options)?.region,
): Promise<DesiredState> {
  const doc = await readDocument(file, ctx.io);
  const record = recordRefusal(doc, ctx);
  if (record) throw new CliError(record.lines, { nextStep: record.nextStep });
  const result = validateSpec(doc);
  const schemaErrors = result.ok ? [] : result.errors;
  const errors = [...schemaErrors, ...lambdaImageErrors(doc, schemaErrors, region)];
  if (!result.ok || errors.length > 0) throw new CliError(formatSpecErrors(errors), { nextStep: FIX_FIELDS });
  return result.spec;
}

/**
 * A stack's whole record (`get -o yaml` or `-o json` saved to a file and edited, as kubectl takes its
 * objects back) is no desired state: its spec is under `spec`. Said in one line with how to get the spec
 * alone, instead of one unknown field per attribute of the record. No desired state has a `spec` field.
 */
function recordRefusal(doc: unknown, ctx: CliContext): { lines: string[]; nextStep: string } | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const { spec, stack } = doc as { spec?: unknown; stack?: unknown };
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return undefined;
  // Named in the commands suggested only when it is a stack name (nothing a shell would read otherwise).
  const named = isStackName(stack) ? stack : 'STACK';
  return {
    lines: [
      `spec: the document is the stack's whole record (as \`lambdaflex get ${named} -o yaml\` prints it); a desired state is its \`spec\` alone`,
    ],
    nextStep: `write the spec alone to a file: \`${ctx.command(`get ${named} -o json`)} | jq .spec > ${named}.json\`, then edit that file and use it`,
  };
}

export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Check a desired-state document against the schema and rules, without touching AWS.')
    .requiredOption('-f, --file <file>', 'JSON or YAML document; "-" reads stdin')
    .addHelpText(
      'after',
      helpAfter(`
Prints one line per problem, "path: rule", and exits with 1 when there is any.

Examples:
  $ lambdaflex validate -f examples/orders-api.json
  $ cat examples/orders-api.json | lambdaflex validate -f -`),
    )
    .action(async (options: { file: string }) => {
      const spec = await readValidSpec(options.file, ctx);
      ctx.out(
        `${options.file === '-' ? '(stdin)' : options.file}: valid (stack ${spec.stack}, mode ${spec.mode})`,
      );
    });
}
