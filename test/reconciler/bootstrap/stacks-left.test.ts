import { destroyRefusal } from '../../../reconciler/bootstrap/stacks-left';

describe('destroyRefusal words', () => {
  it('says it of one stack and them of several, with the commands as this run was typed', () => {
    const local = (rest: string) => `lambdaflex --local ${rest}`;
    expect(destroyRefusal('t', ['a'], local)).toBe(
      'table t still holds stack a: delete it first (lambdaflex --local delete a, then ' +
        'lambdaflex --local reconcile a --until-settled or let the scheduled reconciler finish), so that the ' +
        'reconciler removes its resources and its record goes; nothing was deleted',
    );
    expect(destroyRefusal('t', ['a', 'b'])).toBe(
      'table t still holds 2 stacks a, b: delete them first (lambdaflex delete STACK for each, then ' +
        'lambdaflex reconcile STACK --until-settled or let the scheduled reconciler finish), so that the ' +
        'reconciler removes their resources and their records go; nothing was deleted',
    );
    expect(destroyRefusal('t', [])).toBeUndefined();
  });
});
