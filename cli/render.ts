/** How records are shown: a readable summary, a table, or the record as JSON or YAML. */
import { Document, visit } from 'yaml';
import type { StackRecord } from '../reconciler/state';
import { unreadableMarkHold } from '../reconciler/state/deletion-mark';
import { clock, deletionNote, eventLines, eventText } from './stack-view';
import { hasDirectional, oneLine } from './terminal-text';

export const OUTPUT_FORMATS = ['summary', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** How many events the summary shows; `-o yaml` shows them all. */
const SUMMARY_EVENTS = 5;

/** `command` renders a lambdaflex command the summary suggests, with the run's global options. */
export function renderRecord(
  record: StackRecord,
  format: OutputFormat,
  command: (rest: string) => string = (rest) => `lambdaflex ${rest}`,
): string {
  if (format === 'json') return JSON.stringify(record, null, 2);
  if (format === 'yaml') return yamlText(record);
  return renderSummary(record, command);
}

/**
 * `value` as YAML that reads back the same once printed: a string holding a directional formatting
 * character is double-quoted, where the `\uXXXX` escape the CLI prints for it (cli/terminal-text.ts) is
 * YAML's own; plain, it would read back as the escape's six characters.
 */
export function yamlText(value: unknown): string {
  const doc = new Document(value);
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && hasDirectional(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString().trimEnd();
}

/** The phase as `list` and `get` show it: a stack the reconciler has not seen yet is Pending. */
export function phaseOf(record: StackRecord): string {
  return `${record.status?.phase ?? 'Pending'}${deletionNote(record)}`;
}

/**
 * The record's generation and, where it has one, its incarnation ("3 of incarnation 9f2c4e1a7b3d"): a
 * stack deleted and made again starts again at generation 1, and only the incarnation tells the two apart
 * (reconciler/state/incarnation.ts). A record from before incarnations shows its generation alone.
 */
function generationOf(record: Pick<StackRecord, 'generation' | 'incarnation'>): string {
  return record.incarnation === undefined
    ? String(record.generation)
    : `${record.generation} of incarnation ${record.incarnation}`;
}

/**
 * The "Generation" row of `get` and `status`, in the same words: the record's generation and how far the
 * reconciler got ("3 of incarnation 9f2c4e1a7b3d (observed: 2)"; "(not reconciled yet)" before its first
 * pass).
 */
export function generationRow(record: Pick<StackRecord, 'generation' | 'incarnation' | 'status'>): string {
  const observed = record.status ? `observed: ${record.status.observedGeneration}` : 'not reconciled yet';
  return `${generationOf(record)} (${observed})`;
}

function renderSummary(record: StackRecord, command: (rest: string) => string): string {
  const spec = record.spec as Record<string, unknown>;
  const status = record.status;
  const rows: [string, string][] = [
    ['Stack', record.stack],
    ['Image', String(spec.image ?? '-')],
    ['Mode', String(spec.mode ?? '-')],
    ['Generation', generationRow(record)],
    ['Phase', phaseOf(record)],
    ['Tier', status?.tier ?? '-'],
  ];
  if (status?.lastDecision)
    rows.push(['Last decision', `${status.lastDecision.tier}: ${status.lastDecision.reason}`]);
  if (record.lease) rows.push(['Lease', `${record.lease.holder} until ${clock(record.lease.expiresAt)}`]);
  if (record.deletionRequestedAt !== undefined)
    rows.push(['Deletion requested', clock(record.deletionRequestedAt)]);
  if (record.unreadableDeletionMark !== undefined)
    rows.push(['Deletion mark', unreadableMarkHold(record.stack, record.unreadableDeletionMark, command)]);
  const lines = alignRows(rows);

  const conditions = status?.conditions ?? [];
  if (conditions.length > 0) {
    lines.push('Conditions:');
    for (const c of conditions) lines.push(oneLine(`  ${c.type}=${c.status} ${c.reason}: ${c.message}`));
  }
  // Dated and collapsed as `status` and `events` show them, so that the three read alike.
  const all = eventLines(record.events);
  const events = all.slice(-SUMMARY_EVENTS);
  if (events.length > 0) {
    lines.push(`Events (last ${events.length} of ${all.length}):`);
    for (const e of events) lines.push(`  ${clock(e.at)}  ${e.type.padEnd(8)} ${eventText(e)}`);
  }
  return lines.join('\n');
}

/** Columns padded to their widest cell, header first. */
export function renderTable(header: string[], cells: string[][]): string {
  // A cell is one line of its row: its line breaks must not print rows of their own.
  const rows = cells.map((row) => row.map(oneLine));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows]
    .map((cells) =>
      cells
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * "Label: value" rows, the values aligned; a row with an empty label continues the one above (a second
 * URL, problem). A value is one row: its line breaks must not print rows of their own.
 */
export function alignRows(rows: [string, string][]): string[] {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${(label ? label + ':' : '').padEnd(width)} ${oneLine(value)}`);
}
