/** ListTasks and DescribeTasks (`failures` MISSING for unknown tasks, as AWS answers). */
import type { OperationInput } from '../common/input';
import { paginate } from '../../core/pagination';
import type { Operation, OperationContext } from '../../core/service';
import { activeClusterOrFail, serviceOrFail, taskArnOf } from './lookup';
import { describeTask } from './shapes';
import type { EcsState, TaskRecord } from './state';

type Ctx = OperationContext<EcsState>;

function listTasks(input: OperationInput, ctx: Ctx) {
  const cluster = activeClusterOrFail(ctx, input.cluster);
  const desiredStatus = input.desiredStatus ?? 'RUNNING';
  let candidates: TaskRecord[];
  if (input.serviceName) {
    const service = serviceOrFail(ctx, cluster, input.serviceName);
    candidates = service.taskArns
      .map((arn) => ctx.state.tasks[arn])
      .filter((t): t is TaskRecord => t !== undefined);
  } else {
    candidates = Object.values(ctx.state.tasks).filter((t) => t.clusterArn === cluster.arn);
  }
  const family = input.family as string | undefined;
  const arns = candidates
    .filter((t) => (desiredStatus === 'RUNNING') === (t.stoppingAt === undefined))
    .filter((t) => !family || ctx.state.taskDefinitions[t.taskDefinitionArn]?.family === family)
    .map((t) => t.arn);
  const page = paginate(arns, input.nextToken, Math.min(input.maxResults ?? 100, 100), 100);
  return { taskArns: page.items, nextToken: page.nextToken };
}

function describeTasks(input: OperationInput, ctx: Ctx) {
  const cluster = activeClusterOrFail(ctx, input.cluster);
  const asked = (input.tasks ?? []) as string[];
  if (asked.length === 0 || asked.length > 100)
    ctx.fail('InvalidParameterException', 'tasks must name between 1 and 100 tasks.');
  const includeTags = ((input.include ?? []) as string[]).includes('TAGS');
  const tasks = [];
  const failures = [];
  for (const text of asked) {
    const arn = taskArnOf(ctx.account, cluster, text);
    const task = ctx.state.tasks[arn];
    if (task && task.clusterArn === cluster.arn)
      tasks.push(describeTask(ctx.state, task, ctx.now, includeTags));
    else failures.push({ arn, reason: 'MISSING' });
  }
  return { tasks, failures };
}

export const taskOperations: Record<string, Operation<EcsState>> = {
  ListTasks: { mutating: false, handle: listTasks },
  DescribeTasks: { mutating: false, required: ['tasks'], handle: describeTasks },
};
