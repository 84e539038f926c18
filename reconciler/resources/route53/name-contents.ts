/**
 * What Route 53 holds at one DNS name, read for the ownership verdict (dns-ownership.ts): every record set
 * of the name, and the set at its ownership TXT name. Sets come in DNS order (labels compared from the
 * right, then type, then set identifier), and the TXT name is a child of the record's name, so one
 * ListResourceRecordSets page from the name usually holds both; a second call reads the TXT otherwise.
 */
import {
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandInput,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { dnsOrderKey, fqdn, ownerTxtName } from './dns-ownership';

export interface NameContents {
  /** The record sets named exactly like the record, all types. */
  atName: ResourceRecordSet[];
  /** The record set at the ownership TXT name, if any. */
  txt: ResourceRecordSet | undefined;
}

type Start = Pick<
  ListResourceRecordSetsCommandInput,
  'StartRecordName' | 'StartRecordType' | 'StartRecordIdentifier'
>;

/** Reads the name and its ownership TXT. Throws what Route 53 throws (NoSuchHostedZone included). */
export async function readName(
  route53: Route53Client,
  zoneId: string,
  recordName: string,
): Promise<NameContents> {
  const name = fqdn(recordName);
  const txtName = ownerTxtName(name);
  const atName: ResourceRecordSet[] = [];
  let txt: ResourceRecordSet | undefined;
  let txtSeen = false;
  let start: Start = { StartRecordName: name };
  for (;;) {
    const page = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, ...start }));
    const sets = page.ResourceRecordSets ?? [];
    for (const set of sets) {
      const setName = fqdn(set.Name ?? '');
      if (setName === name) atName.push(set);
      else if (setName === txtName && set.Type === 'TXT') txt = set;
      if (dnsOrderKey(setName) > dnsOrderKey(txtName) || txt) txtSeen = true;
    }
    const next = page.IsTruncated ? fqdn(page.NextRecordName ?? '') : undefined;
    if (next === name && page.NextRecordType) {
      // More sets of the name itself (hundreds of weighted sets): read on.
      start = {
        StartRecordName: name,
        StartRecordType: page.NextRecordType,
        ...(page.NextRecordIdentifier ? { StartRecordIdentifier: page.NextRecordIdentifier } : {}),
      };
      continue;
    }
    // Past the TXT's place, or at the zone's end: whatever was not seen is not there.
    if (txtSeen || next === undefined) return { atName, txt };
    return { atName, txt: await readTxt(route53, zoneId, txtName) };
  }
}

async function readTxt(
  route53: Route53Client,
  zoneId: string,
  txtName: string,
): Promise<ResourceRecordSet | undefined> {
  const page = await route53.send(
    new ListResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      StartRecordName: txtName,
      StartRecordType: 'TXT',
      MaxItems: 1,
    }),
  );
  const set = page.ResourceRecordSets?.[0];
  return set && fqdn(set.Name ?? '') === txtName && set.Type === 'TXT' ? set : undefined;
}
