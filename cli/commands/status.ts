import type { Command } from 'commander';
import { StackNotFoundError, type StackRecord } from '../../reconciler/state';
import type { CliContext } from '../context';
import { stackArgument } from '../stack-argument';
import { CliError } from '../io';
import { alignRows, generationRow, renderTable } from '../render';
import {
  clock,
  eventLines,
  eventText,
  phaseName,
  deletionNote,
  problemsOf,
  resourceLines,
  trafficLine,
  trafficView,
  urlsOf,
  waitingFor,
} from '../stack-view';
import { oneLine } from '../terminal-text';
import { followRecord, parseWatchInterval, readOnce, WATCH_INTERVAL_MS } from '../watch';
import { helpAfter } from '../help-text';

/** How many events the status shows; `lambdaflex events` shows them all. */
const STATUS_EVENTS = 5;

export function register(program: Command, ctx: CliContext): void {
  program
    .command('status')
    .description(
      "Show the reconciler's view of a stack: phase, where traffic goes, its URLs, what it waits for, " +
        'problems, conditions, resources, the last pass.',
    )
    .argument('<stack>', 'stack name', stackArgument)
    .option('--json', "print the record's status as JSON")
    .option('-w, --watch', 'keep reading the record and print a line for each change, until it is deleted')
    .option('--interval <duration>', 'how often --watch reads the record', `${WATCH_INTERVAL_MS / 1000}s`)
    .addHelpText(
      'after',
      helpAfter(`
With --local, a reconcile (or an apply that waits) in the same folder holds its state until it ends: --watch skips its readings till then, and says so. A move shows as it happens in the sandbox's dashboard, or in the progress reconcile --until-settled prints.

Examples:
  $ lambdaflex --local status orders-api
  $ lambdaflex status orders-api --watch
  $ lambdaflex status orders-api --json | jq .lastPass.apiCalls`),
    )
    .action(
      async (
        stack: string,
        options: { json?: boolean; watch?: boolean; interval: string },
        command: Command,
      ) => {
        if (command.getOptionValueSource('interval') === 'cli' && !options.watch) {
          throw new CliError(['--interval paces --watch: add --watch, or leave --interval out']);
        }
        const intervalMs = parseWatchInterval(options.interval);
        const record = await readOnce(ctx, stack);
        if (!record) {
          const tableName = ctx.options.table ?? 'lambdaflex';
          throw new StackNotFoundError(stack, { tableName });
        }
        const named = (rest: string) => ctx.command(rest);
        ctx.out(options.json ? JSON.stringify(record.status ?? {}, null, 2) : formatStatus(record, named));
        if (!options.watch) return;
        let last = watchLines(record, named);
        await followRecord(
          ctx,
          stack,
          (now) => {
            const lines = now ? watchLines(now, named) : [`${stack}: deleted (the record is gone)`];
            for (const line of lines) if (!last.includes(line)) ctx.out(`${stamp(now)}${line}`);
            last = lines;
          },
          intervalMs,
          record,
        );
      },
    );
}

function stamp(record: StackRecord | undefined): string {
  const at = record?.status?.lastPass?.at;
  return at === undefined ? '' : `[${clock(at).slice(11)}] `;
}

/**
 * What --watch compares between readings: each line printed when it changes. `command` names a lambdaflex
 * command with this run's global options, as in formatStatus.
 */
function watchLines(record: StackRecord, command: (rest: string) => string): string[] {
  const view = trafficView(record);
  const lines = [
    `phase ${phaseName(record)}${deletionNote(record)}`,
    `traffic: ${trafficLine(view)}`,
    ...waitingFor(record).map((w) => `waiting for: ${w}`),
    ...problemsOf(record, command).map((p) => `problem: ${p}`),
    ...eventLines(record.events, STATUS_EVENTS).map((e) => `event: ${clock(e.at)} ${eventText(e)}`),
  ];
  // Each is one line of the watch's output: a message's line breaks must not make more.
  return lines.map(oneLine);
}

function time(ms: number | undefined): string {
  return typeof ms === 'number' ? clock(ms) : '-';
}

/**
 * The status as `lambdaflex status` prints it, like `kubectl describe`. `command` renders the command it
 * suggests, with the run's global options.
 */
export function formatStatus(
  record: StackRecord,
  command: (rest: string) => string = (rest) => `lambdaflex ${rest}`,
): string {
  const status = record.status;
  const deletion = deletionNote(record);
  const rows: [string, string][] = [
    ['Stack', record.stack],
    ['Phase', `${phaseName(record)}${deletion}${status?.since ? ` since ${time(status.since)}` : ''}`],
  ];
  if (!status) {
    rows.push(['Generation', generationRow(record)]);
    problemsOf(record, command).forEach((p, i) => rows.push([i === 0 ? 'Problems' : '', p]));
    return alignRows(rows).join('\n');
  }
  rows.push(['Generation', generationRow(record)]);
  if (status.reason) rows.push(['Why', String(status.reason)]);
  rows.push(['Traffic', trafficLine(trafficView(record))]);
  const urls = urlsOf(record);
  const urlRows: string[] = [];
  if (urls.custom) urlRows.push(`${urls.custom}  (custom domain, weighted between the tiers)`);
  urlRows.push(`Lambda   ${urls.lambda ?? '- (no HTTP API yet)'}`);
  urlRows.push(`Fargate  ${urls.fargate ?? '- (no load balancer: the Fargate tier does not exist)'}`);
  urlRows.forEach((line, i) => rows.push([i === 0 ? 'URLs' : '', line]));
  const waits = waitingFor(record);
  waits.forEach((w, i) => rows.push([i === 0 ? 'Waiting for' : '', w]));
  const problems = problemsOf(record, command);
  problems.forEach((p, i) => rows.push([i === 0 ? 'Problems' : '', p]));
  const lines = alignRows(rows);

  lines.push('Conditions:');
  const conditions = status.conditions.map((c) => [c.type, c.status, c.reason, c.message]);
  lines.push(indent(renderTable(['TYPE', 'STATUS', 'REASON', 'MESSAGE'], conditions)));
  const resources = resourceLines(record);
  lines.push(`Resources (${resources.length}):`);
  if (resources.length > 0) {
    // The id last: ARNs are long, and the other columns stay readable before them.
    const table = resources.map((r) => [r.key, r.kind, r.state, r.id]);
    lines.push(indent(renderTable(['KEY', 'KIND', 'STATE', 'ID'], table)));
  }
  if (status.lastPass) {
    const p = status.lastPass;
    lines.push(
      `Last pass: ${time(p.at)}, ${p.apiCalls.total} API calls (${p.apiCalls.mutating} mutating)` +
        (p.observedBy === 'inventory' ? ', confirmed from the last full observation' : '') +
        (p.observedBy === 'view' ? ', what it did not wait for or act on as an earlier pass saw it' : '') +
        (p.requeueAfterMs !== undefined ? `, back in ${Math.round(p.requeueAfterMs / 1000)} s` : ''),
    );
  }
  const events = eventLines(record.events);
  if (events.length > 0) {
    const shown = events.slice(-STATUS_EVENTS);
    lines.push(
      `Events (last ${shown.length} of ${events.length}; all with \`${command(`events ${record.stack}`)}\`):`,
    );
    for (const e of shown) lines.push(`  ${clock(e.at)}  ${e.type.padEnd(8)} ${eventText(e)}`);
  }
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
