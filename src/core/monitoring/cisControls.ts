// The CIS AWS Foundations Benchmark monitoring controls (section 4 in v3.0–v5.0, section 5 from
// v6.0; numbered here as in v3.0): each names the CloudTrail events it must alert on, as sample
// records. A metric filter or an EventBridge rule covers a control when it matches every sample,
// which is judged by evaluating it (filterPattern.ts, eventPattern.ts), never by comparing text.
// The pattern is the benchmark's own, offered in the remedy.

export interface CisControl {
  /** `4.5` */
  cis: string;
  /** Stable id, also the metric filter and alarm name the remedy suggests. */
  id: string;
  title: string;
  /** Security Hub's control for the same thing. */
  securityHub: string;
  /** Events the alert must catch. */
  samples: Record<string, unknown>[];
  /** The benchmark's filter pattern, for the remedy. */
  pattern: string;
  metricName: string;
}

function calls(eventSource: string, names: readonly string[]): Record<string, unknown>[] {
  return names.map((eventName) => ({ eventVersion: '1.10', eventSource, eventName, eventType: 'AwsApiCall', awsRegion: 'us-east-1', userIdentity: { type: 'IAMUser', userName: 'someone' }, sourceIPAddress: '198.51.100.7' }));
}

function anyName(names: readonly string[]): string {
  return names.map((n) => `($.eventName = ${n})`).join(' || ');
}

const IAM_POLICY = ['DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy', 'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy'];
const TRAIL = ['CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging'];
const KMS = ['DisableKey', 'ScheduleKeyDeletion'];
const BUCKET = ['PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication', 'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication'];
const CONFIG = ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'];
const SECURITY_GROUP = ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress', 'CreateSecurityGroup', 'DeleteSecurityGroup'];
const NACL = ['CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation'];
const GATEWAY = ['CreateCustomerGateway', 'DeleteCustomerGateway', 'AttachInternetGateway', 'CreateInternetGateway', 'DeleteInternetGateway', 'DetachInternetGateway'];
const ROUTE = ['CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable'];
const VPC = ['CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection', 'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc', 'DisableVpcClassicLink', 'EnableVpcClassicLink'];
const ORGANIZATIONS = ['AcceptHandshake', 'AttachPolicy', 'CreateAccount', 'CreateOrganizationalUnit', 'CreatePolicy', 'DeclineHandshake', 'DeleteOrganization', 'DeleteOrganizationalUnit', 'DeletePolicy', 'DetachPolicy', 'DisablePolicyType', 'EnablePolicyType', 'InviteAccountToOrganization', 'LeaveOrganization', 'MoveAccount', 'RemoveAccountFromOrganization', 'UpdatePolicy', 'UpdateOrganizationalUnit'];

const consoleLogin = (extra: Record<string, unknown>): Record<string, unknown> => ({ eventVersion: '1.10', eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', eventType: 'AwsConsoleSignIn', awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', ...extra });

export const CIS_CONTROLS: readonly CisControl[] = [
  {
    cis: '4.1',
    id: 'unauthorized-api-calls',
    title: 'Unauthorized API calls',
    securityHub: 'CloudWatch.2',
    samples: [
      { ...calls('ec2.amazonaws.com', ['RunInstances'])[0], errorCode: 'Client.UnauthorizedOperation' },
      { ...calls('iam.amazonaws.com', ['ListUsers'])[0], errorCode: 'AccessDenied' },
    ],
    pattern: '{ (($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*")) && ($.sourceIPAddress != "delivery.logs.amazonaws.com") && ($.eventName != "HeadBucket") }',
    metricName: 'UnauthorizedAPICalls',
  },
  {
    cis: '4.2',
    id: 'console-signin-without-mfa',
    title: 'Console sign-in without MFA',
    securityHub: 'CloudWatch.3',
    samples: [consoleLogin({ userIdentity: { type: 'IAMUser', userName: 'alice' }, additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } })],
    pattern: '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
    metricName: 'ConsoleSigninWithoutMFA',
  },
  {
    cis: '4.3',
    id: 'root-usage',
    title: 'Usage of the root user',
    securityHub: 'CloudWatch.1',
    samples: [
      { ...calls('iam.amazonaws.com', ['CreateAccessKey'])[0], userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' } },
      consoleLogin({ userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' }, eventType: 'AwsConsoleSignIn', responseElements: { ConsoleLogin: 'Success' } }),
    ],
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    metricName: 'RootAccountUsage',
  },
  { cis: '4.4', id: 'iam-policy-changes', title: 'IAM policy changes', securityHub: 'CloudWatch.4', samples: calls('iam.amazonaws.com', IAM_POLICY), pattern: `{ ${anyName(IAM_POLICY)} }`, metricName: 'IAMPolicyChanges' },
  { cis: '4.5', id: 'cloudtrail-changes', title: 'CloudTrail configuration changes', securityHub: 'CloudWatch.5', samples: calls('cloudtrail.amazonaws.com', TRAIL), pattern: `{ ${anyName(TRAIL)} }`, metricName: 'CloudTrailChanges' },
  {
    cis: '4.6',
    id: 'console-authentication-failures',
    title: 'Console authentication failures',
    securityHub: 'CloudWatch.6',
    samples: [consoleLogin({ userIdentity: { type: 'IAMUser', userName: 'alice' }, errorMessage: 'Failed authentication', responseElements: { ConsoleLogin: 'Failure' } })],
    pattern: '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    metricName: 'ConsoleSigninFailures',
  },
  {
    cis: '4.7',
    id: 'kms-key-disable-or-deletion',
    title: 'Disabling or scheduled deletion of KMS keys',
    securityHub: 'CloudWatch.7',
    samples: calls('kms.amazonaws.com', KMS),
    pattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
    metricName: 'DisableOrDeleteCMK',
  },
  { cis: '4.8', id: 's3-bucket-policy-changes', title: 'S3 bucket policy changes', securityHub: 'CloudWatch.8', samples: calls('s3.amazonaws.com', BUCKET), pattern: `{ ($.eventSource = s3.amazonaws.com) && (${anyName(BUCKET)}) }`, metricName: 'S3BucketPolicyChanges' },
  { cis: '4.9', id: 'config-changes', title: 'AWS Config configuration changes', securityHub: 'CloudWatch.9', samples: calls('config.amazonaws.com', CONFIG), pattern: `{ ($.eventSource = config.amazonaws.com) && (${anyName(CONFIG)}) }`, metricName: 'AWSConfigChanges' },
  { cis: '4.10', id: 'security-group-changes', title: 'Security group changes', securityHub: 'CloudWatch.10', samples: calls('ec2.amazonaws.com', SECURITY_GROUP), pattern: `{ ${anyName(SECURITY_GROUP)} }`, metricName: 'SecurityGroupChanges' },
  { cis: '4.11', id: 'nacl-changes', title: 'Network ACL changes', securityHub: 'CloudWatch.11', samples: calls('ec2.amazonaws.com', NACL), pattern: `{ ${anyName(NACL)} }`, metricName: 'NACLChanges' },
  { cis: '4.12', id: 'network-gateway-changes', title: 'Network gateway changes', securityHub: 'CloudWatch.12', samples: calls('ec2.amazonaws.com', GATEWAY), pattern: `{ ${anyName(GATEWAY)} }`, metricName: 'NetworkGatewayChanges' },
  { cis: '4.13', id: 'route-table-changes', title: 'Route table changes', securityHub: 'CloudWatch.13', samples: calls('ec2.amazonaws.com', ROUTE), pattern: `{ (${anyName(ROUTE)}) && ($.eventSource = ec2.amazonaws.com) }`, metricName: 'RouteTableChanges' },
  { cis: '4.14', id: 'vpc-changes', title: 'VPC changes', securityHub: 'CloudWatch.14', samples: calls('ec2.amazonaws.com', VPC), pattern: `{ ${anyName(VPC)} }`, metricName: 'VPCChanges' },
  {
    cis: '4.15',
    id: 'organizations-changes',
    title: 'AWS Organizations changes',
    securityHub: 'none',
    samples: calls('organizations.amazonaws.com', ORGANIZATIONS),
    pattern: `{ ($.eventSource = organizations.amazonaws.com) && (${anyName(ORGANIZATIONS)}) }`,
    metricName: 'OrganizationsChanges',
  },
];
