import { matchesRule } from '../../aws/classify';
import type { MessageRule } from '../types';

/**
 * A step the plan only orders after a dependency's (strength 'order', resources/types.ts) that finds
 * nothing of it to read: the dependency's own step did not make it in this pass (held in turn, or failed),
 * and the step cannot be made without it (a record's alias target is its ALB's DNS name). Nothing was
 * sent to AWS. The step waits for a pass where the dependency is there, as one the plan held behind it
 * would, and is no failure: an ordinary scale-up must not show the user a warning for it. The same holds
 * for a step whose own resource AWS will not change yet while it applies the last change (a custom domain
 * name UPDATING: apigateway/domain.ts): the "dependency" is then the step's own key.
 */
export class DependencyNotThereError extends Error {
  override readonly name = 'DependencyNotThere';

  constructor(
    readonly dependency: string,
    why: string,
  ) {
    super(why);
  }
}

/**
 * Sends a call naming `dependency`, made moments before by the same pass: AWS's answer that it cannot see
 * it yet (`notShownYet`, its eventual consistency) is expected on every first apply, so the step waits for
 * the dependency, as for one not there, rather than failing with a warning the user would see on an
 * ordinary apply. `why` says what is not there yet, given AWS's message.
 */
export async function sendOnceShown<T>(
  dependency: string,
  notShownYet: MessageRule,
  why: (awsMessage: string) => string,
  send: () => Promise<T>,
): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!matchesRule(error, notShownYet)) throw error;
    throw new DependencyNotThereError(
      dependency,
      why(error instanceof Error ? error.message : String(error)),
    );
  }
}
