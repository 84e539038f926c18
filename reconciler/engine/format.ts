/**
 * Prints a plan the way `terraform plan` does: `+` create, `~` update, `-` delete, `…` wait, `!` conflict.
 * An environment's values are not printed, as terraform does not print a sensitive value.
 */
import { planSummary } from './plan';
import type { Plan, PlanStep } from './types';

const SYMBOL: Record<PlanStep['action'], string> = {
  create: '+',
  update: '~',
  delete: '-',
  wait: '…',
  conflict: '!',
};

export function formatPlan(p: Plan): string {
  const s = planSummary(p);
  const lines = [
    `Plan for stack ${p.stack}${p.targetTier ? ` (target: ${p.targetTier})` : ''}: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.wait} waiting, ${s.conflict} conflicts`,
  ];
  if (p.steps.length === 0) lines.push('  No changes. AWS matches the desired state.');
  for (const step of p.steps) {
    lines.push(`  ${SYMBOL[step.action]} ${step.key} (${step.type}): ${step.reason}`);
    for (const change of step.changes ?? []) {
      const shown =
        change.path === 'environment'
          ? environmentChange(change.from, change.to)
          : `${JSON.stringify(change.from) ?? 'unset'} → ${JSON.stringify(change.to)}`;
      lines.push(`      ${change.path}: ${shown}`);
    }
    if (step.waitsFor) lines.push(`      waits for ${step.waitsFor}`);
    if (step.dependsOn.length > 0) lines.push(`      after ${step.dependsOn.join(', ')}`);
    if (step.after?.length) lines.push(`      ordered after ${step.after.join(', ')}, not held by them`);
  }
  return lines.join('\n');
}

/** `{ name, value }` entries, as the function's and the task's `environment` attributes list them. */
function byName(entries: unknown): Map<string, unknown> {
  const list = Array.isArray(entries) ? (entries as { name?: unknown; value?: unknown }[]) : [];
  return new Map(list.map((e) => [String(e?.name), e?.value]));
}

/**
 * Which variables a change adds (+), changes (~) or removes (-), without their values: the environment
 * holds connection strings and passwords, and a plan is printed where more people read it than the spec.
 */
function environmentChange(from: unknown, to: unknown): string {
  const before = byName(from);
  const after = byName(to);
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const marks = names.flatMap((name) => {
    if (!before.has(name)) return [`+${name}`];
    if (!after.has(name)) return [`-${name}`];
    return before.get(name) === after.get(name) ? [] : [`~${name}`];
  });
  return `${marks.join(', ')} (values are not printed)`;
}
