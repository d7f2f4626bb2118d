// Is the log bucket closed to the public? S3 combines the bucket's and the account's public access
// block flags (either one on is enough), so both are read; the account's flags count only when the
// bucket is in the caller's account. Without all four flags, a public policy statement or an ACL
// grant to everyone makes it a fail, otherwise a warn (nothing public today, nothing stopping it).
import { outcome, type Outcome } from './outcome';
import { describeStatement, type PolicyDocument } from './policyDocument';
import { publicStatements } from './bucketPolicy';
import type { AccountPublicAccessBlock, AclGrant, PublicAccessBlockFlags } from './protectionReader';
import { couldNotCheck, type Read } from './read';

const FLAG_NAMES: Record<keyof PublicAccessBlockFlags, string> = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
};
const FLAGS = Object.keys(FLAG_NAMES) as (keyof PublicAccessBlockFlags)[];

const PUBLIC_GROUPS = ['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers'];

export interface PublicAccessInputs {
  bucket: Read<PublicAccessBlockFlags | undefined>;
  account: Read<AccountPublicAccessBlock>;
  policy: Read<PolicyDocument | undefined>;
  acl: Read<AclGrant[]>;
  /** S3's own verdict on the policy; optional (older callers, and emulators without the call). */
  policyStatus?: Read<boolean | undefined>;
}

function flagsText(f: PublicAccessBlockFlags | undefined): string {
  if (!f) return 'none configured';
  const off = FLAGS.filter((k) => !f[k]).map((k) => FLAG_NAMES[k]);
  return off.length === 0 ? 'all four on' : `${off.join(', ')} off`;
}

export function publicAccessOutcome(inputs: PublicAccessInputs): Outcome {
  const bucketFlags = inputs.bucket.ok ? inputs.bucket.value : undefined;
  const account = inputs.account.ok && inputs.account.value.bucketInAccount ? inputs.account.value : undefined;
  const effective = (k: keyof PublicAccessBlockFlags) => bucketFlags?.[k] === true || account?.flags?.[k] === true;
  const parts: string[] = [inputs.bucket.ok ? `bucket: ${flagsText(bucketFlags)}` : `bucket flags not readable (${inputs.bucket.permission})`];
  if (account) parts.push(`account ${account.account}: ${flagsText(account.flags)}`);
  else if (inputs.account.ok) parts.push(`account flags do not apply (the bucket is not in account ${inputs.account.value.account})`);
  else parts.push(`account flags not readable (${inputs.account.permission})`);
  const evidence = parts.join('; ');
  if (FLAGS.every(effective)) return outcome('pass', `${evidence}.`);

  const remedy = 'Turn on all four public access block settings for the bucket (s3api put-public-access-block), or for the whole account.';
  const exposures: string[] = [];
  if (!effective('restrictPublicBuckets') && inputs.policy.ok && inputs.policy.value) {
    exposures.push(...publicStatements(inputs.policy.value).map((s) => `policy ${describeStatement(s)}`));
  }
  if (!effective('ignorePublicAcls') && inputs.acl.ok) {
    exposures.push(...inputs.acl.value.filter((g) => g.granteeUri && PUBLIC_GROUPS.includes(g.granteeUri)).map((g) => `ACL grants ${g.permission} to ${g.granteeUri?.slice(g.granteeUri.lastIndexOf('/') + 1)}`));
  }
  // S3 weighs conditions (aws:SourceIp, aws:PrincipalOrgID…) this check does not: its "public" counts too.
  if (!effective('restrictPublicBuckets') && inputs.policyStatus?.ok && inputs.policyStatus.value === true && !exposures.some((e) => e.startsWith('policy '))) {
    exposures.push('S3 judges the bucket policy public (GetBucketPolicyStatus IsPublic true)');
  }
  if (exposures.length > 0) return outcome('fail', `The bucket is public: ${exposures.join('; ')} (${evidence}).`, remedy, exposures);
  if (!inputs.bucket.ok) {
    const o = couldNotCheck(inputs.bucket, "the bucket's public access block");
    return { ...o, evidence: `${o.evidence} (${parts.slice(1).join('; ')})` };
  }
  const unread = [!inputs.policy.ok ? `the policy (${inputs.policy.permission})` : '', !inputs.acl.ok ? `the ACL (${inputs.acl.permission})` : ''].filter(Boolean);
  const found = unread.length > 0 ? `; could not read ${unread.join(' or ')} to see whether it is public now` : '; no public policy statement or ACL grant found, but nothing stops one being added';
  return outcome('warn', `Public access is not blocked (${evidence})${found}.`, remedy);
}
