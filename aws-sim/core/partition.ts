/**
 * AWS's partitions as the simulated account sees them: the China regions' ARNs start `arn:aws-cn:` and their
 * endpoints end in `amazonaws.com.cn`; GovCloud's ARNs start `arn:aws-us-gov:`. (The simulator keeps its
 * own copy: it imports nothing from the code it stands in for.)
 */
export function partitionOfRegion(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function dnsSuffixOfRegion(region: string): string {
  return region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
}
