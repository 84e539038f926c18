/**
 * A step the plan only orders after a dependency's (strength 'order', resources/types.ts) that finds
 * nothing of it to read: the dependency's own step did not make it in this pass (held in turn, or failed),
 * and the step cannot be made without it (a record's alias target is its ALB's DNS name). Nothing was
 * sent to AWS. The step waits for a pass where the dependency is there, as one the plan held behind it
 * would, and is no failure: an ordinary scale-up must not show the user a warning for it.
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
