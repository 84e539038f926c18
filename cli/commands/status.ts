import type { Command } from 'commander';
import { StackNotFoundError, type StackRecord } from '../../reconciler/state';
import type { CliContext } from '../context';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(
      "Show the reconciler's view of a stack: phase, where traffic goes, conditions, resources, last pass.",
    )
    .argument('<stack>', 'stack name')
    .option('--json', "print the record's status as JSON")
    .addHelpText(
      'after',
      `
Examples:
  $ lambdaflex --local status orders-api
  $ lambdaflex status orders-api --json | jq .lastPass.apiCalls`,
    )
    .action(async (stack: string, options: { json?: boolean }) => {
      const store = await ctx.store();
      const record = await store.get(stack);
      if (!record) throw new StackNotFoundError(stack, { tableName: store.tableName });
      ctx.out(options.json ? JSON.stringify(record.status ?? {}, null, 2) : formatStatus(record));
    });
}

function time(ms: unknown): string {
  return typeof ms === 'number' ? new Date(ms).toISOString() : '-';
}

export function formatStatus(record: StackRecord): string {
  const status = record.status;
  if (!status) return `stack ${record.stack}: generation ${record.generation}, not reconciled yet`;
  const lines = [
    `stack ${record.stack}  phase ${status.phase}  since ${time(status.since)}`,
    `  generation ${record.generation}, observed ${status.observedGeneration}${record.deletionRequestedAt ? ', deletion requested' : ''}`,
  ];
  if (status.reason) lines.push(`  why: ${String(status.reason)}`);
  if (status.traffic)
    lines.push(`  traffic: lambda ${status.traffic.lambda}%, fargate ${status.traffic.fargate}%`);
  lines.push('  conditions:');
  for (const c of status.conditions) lines.push(`    ${c.type}=${c.status} (${c.reason}) ${c.message}`);
  const resources = Object.entries(status.resources);
  lines.push(`  resources (${resources.length}):`);
  for (const [key, ref] of resources)
    lines.push(`    ${key.padEnd(18)} ${ref.kind.padEnd(44)} ${ref.id}${ref.state ? ` [${ref.state}]` : ''}`);
  if (status.lastPass) {
    const p = status.lastPass;
    lines.push(
      `  last pass: ${time(p.at)}, ${p.apiCalls.total} API calls (${p.apiCalls.mutating} mutating)` +
        (p.observedBy === 'inventory' ? ', confirmed from the last full observation' : '') +
        (p.requeueAfterMs !== undefined ? `, back in ${Math.round(p.requeueAfterMs / 1000)} s` : ''),
    );
  }
  const events = record.events.slice(-5);
  if (events.length > 0) {
    lines.push('  recent events:');
    for (const e of events) lines.push(`    ${time(e.at)} ${e.type} ${e.reason}: ${e.message}`);
  }
  return lines.join('\n');
}
