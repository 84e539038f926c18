import { ResourceGraph, ResourceGraphError, resourceGraph } from '../../../reconciler/engine/graph';

const node = (key: string, ...dependsOn: string[]) => ({ key, dependsOn });
const keys = (kinds: readonly { key: string }[]) => kinds.map((k) => k.key);

describe('ResourceGraph', () => {
  // vpc → subnet, sg → alb → service (the Fargate tier's shape), listed in a valid order.
  const fargate = [
    node('vpc'),
    node('subnet', 'vpc'),
    node('sg', 'vpc'),
    node('alb', 'subnet', 'sg'),
    node('service', 'alb', 'sg'),
  ];

  it('refuses a dependency on a key no kind has, naming both', () => {
    expect(() => ResourceGraph.of([node('vpc'), node('alb', 'subnet')])).toThrow(
      new ResourceGraphError('resource kind alb depends on subnet, which no resource kind is'),
    );
  });

  it('refuses a key listed twice', () => {
    expect(() => ResourceGraph.of([node('vpc'), node('vpc')])).toThrow('resource kind vpc is listed twice');
  });

  it('refuses a cycle, naming the circle', () => {
    expect(() =>
      ResourceGraph.of([node('vpc'), node('a', 'vpc', 'c'), node('b', 'a'), node('c', 'b')]),
    ).toThrow('resource kinds depend on each other in a circle: a → c → b → a');
    expect(() => ResourceGraph.of([node('self', 'self')])).toThrow('in a circle: self → self');
  });

  it('keeps the listed order when it already respects the dependencies', () => {
    const graph = ResourceGraph.of(fargate);
    expect(keys(graph.topological())).toEqual(['vpc', 'subnet', 'sg', 'alb', 'service']);
    expect(keys(graph.reverse())).toEqual(['service', 'alb', 'sg', 'subnet', 'vpc']);
  });

  it('orders kinds listed before their dependencies after them', () => {
    const graph = ResourceGraph.of([node('service', 'alb'), node('alb', 'vpc'), node('dns'), node('vpc')]);
    expect(keys(graph.topological())).toEqual(['dns', 'vpc', 'alb', 'service']);
    expect(keys(graph.reverse())).toEqual(['service', 'alb', 'vpc', 'dns']);
  });

  it('gives layers whose kinds depend only on earlier layers', () => {
    const graph = ResourceGraph.of(fargate);
    expect(graph.layers().map(keys)).toEqual([['vpc'], ['subnet', 'sg'], ['alb'], ['service']]);
  });

  it('answers dependencies and dependents in the graph', () => {
    const graph = ResourceGraph.of(fargate);
    expect(keys(graph.dependenciesOf('alb'))).toEqual(['subnet', 'sg']);
    expect(keys(graph.dependentsOf('sg'))).toEqual(['alb', 'service']);
    expect(graph.dependentsOf('service')).toEqual([]);
    expect(graph.get('alb')).toBe(fargate[3]);
    expect(graph.has('nat')).toBe(false);
    expect(graph.size).toBe(5);
  });

  it('restricts to a subgraph whose outside dependencies are given, not unknown', () => {
    const sub = ResourceGraph.of(fargate).restrict(['service', 'alb']);
    expect(keys(sub.topological())).toEqual(['alb', 'service']);
    expect(sub.layers().map(keys)).toEqual([['alb'], ['service']]);
    expect(keys(sub.dependenciesOf('service'))).toEqual(['alb']);
    expect(() => ResourceGraph.of(fargate).restrict(['nat'])).toThrow('no resource kind nat in the graph');
  });

  it('takes the dependencies outside a part of a graph as given, and still refuses a cycle in it', () => {
    const part = ResourceGraph.partOf([node('service', 'alb'), node('scaling', 'service')]);
    expect(keys(part.topological())).toEqual(['service', 'scaling']);
    expect(part.dependenciesOf('service')).toEqual([]);
    expect(() => ResourceGraph.partOf([node('a', 'b', 'x'), node('b', 'a')])).toThrow(
      'in a circle: a → b → a',
    );
  });

  it('builds the graph of a list once', () => {
    expect(resourceGraph(fargate)).toBe(resourceGraph(fargate));
    const graph = ResourceGraph.of(fargate);
    expect(resourceGraph(graph)).toBe(graph);
  });
});
